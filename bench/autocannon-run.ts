// One autocannon run as the bench measures it: the latencies of the 2xx answers, every other
// answer and error counted, and the CPU the loader itself used (to tell when it, not the server,
// was the limit). Shared by the service's load generator (./load-generator.ts) and the feed bench.
import autocannon from 'autocannon';
import { percentile, type LoadResult } from './workload';

export async function autocannonRun(
  options: Pick<autocannon.Options, 'url' | 'connections' | 'duration' | 'headers' | 'requests'>,
): Promise<LoadResult> {
  let latencies = new Float64Array(1 << 16);
  let ok = 0;
  let non2xx = 0;
  const cpuAtStart = process.cpuUsage();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      // slow routes (a deep page, a create while scrypt is saturated) are measured, not cut off
      { ...options, timeout: 30 },
      (error: unknown, done) => (error ? reject(new Error('autocannon failed', { cause: error })) : resolve(done)),
    );
    instance.on('response', (_client, status, _bytes, responseTime) => {
      if (status < 200 || status >= 300) {
        non2xx++;
        return;
      }
      if (ok === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[ok++] = responseTime;
    });
  });
  const cpu = process.cpuUsage(cpuAtStart);
  const sorted = latencies.subarray(0, ok).sort();
  return {
    ok,
    seconds: result.duration,
    rps: ok / result.duration,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    non2xx,
    errors: result.errors + result.timeouts,
    loaderCores: (cpu.user + cpu.system) / 1e6 / result.duration,
  };
}
