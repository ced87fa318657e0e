// A steady load for tests that take a component away in the middle of it: a few workers send
// requests one after another until told to stop, and every answer is kept (status, time). Tests
// assert on what clients saw (no failure); the times are reported in the test output, not
// asserted (performance belongs to `npm run bench`).
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  requests: number;
  /** Answers that a client would count as failures: 5xx, or no answer at all. */
  failures: Array<{ status: number | 'error'; detail: string }>;
  statuses: Record<string, number>;
  latencyMs: { p50: number; p99: number; max: number };
}

export interface Load {
  stop(): Promise<LoadResult>;
  /** Requests answered so far. */
  readonly count: number;
}

/** Starts `workers` loops of `request` (which answers a status, or throws when there was none). */
export function startLoad(workers: number, request: (worker: number, n: number) => Promise<number>): Load {
  let running = true;
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  const failures: LoadResult['failures'] = [];
  const loops = Array.from({ length: workers }, async (_, worker) => {
    for (let n = 0; running; n += 1) {
      const start = performance.now();
      let status: number | 'error';
      let detail = '';
      try {
        status = await request(worker, n);
      } catch (error) {
        status = 'error';
        detail =
          error instanceof Error
            ? `${error.message} ${String((error.cause as Error | undefined)?.message ?? '')}`
            : String(error);
      }
      times.push(performance.now() - start);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === 'error' || status >= 500) failures.push({ status, detail });
    }
  });
  return {
    get count() {
      return times.length;
    },
    async stop() {
      running = false;
      await Promise.all(loops);
      const sorted = [...times].sort((a, b) => a - b);
      const at = (q: number) =>
        Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 10) / 10;
      return {
        requests: times.length,
        failures,
        statuses,
        latencyMs: { p50: at(0.5), p99: at(0.99), max: at(1) },
      };
    },
  };
}

/** One line for the test output: what a load saw. */
export function describeLoad(what: string, result: LoadResult): string {
  const statuses = Object.entries(result.statuses)
    .map(([status, count]) => `${count}×${status}`)
    .join(', ');
  return (
    `      ↳ ${what}: ${result.requests} requests (${statuses}), ${result.failures.length} failed; ` +
    `latency p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, max ${result.latencyMs.max} ms`
  );
}
