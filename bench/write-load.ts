// The write suite's load generator where pgbench is missing: the same create or update
// transaction (writes.ts writeScript) over node-postgres, on `connections` connections of its own, as named prepared
// statements (pgbench's -M prepared); a warm-up, then the measured run on the same connections;
// prints one result line.
//   node --require tsx/cjs bench/write-load.ts '<WriteSpec as JSON>'
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { compileScript, drawRandoms, sendWriteTransaction, writeScript, type WriteSpec } from './writes';
import { RESULT_MARKER, percentile, type LoadResult } from './workload';

async function run(spec: WriteSpec, clients: pg.Client[], seconds: number): Promise<LoadResult> {
  const script = writeScript(spec.kind, spec.target, spec.users);
  const statements = compileScript(script);
  const latencies: number[] = [];
  let errors = 0;
  const cpuAtStart = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < deadline) {
        const at = performance.now();
        try {
          await sendWriteTransaction(client, statements, drawRandoms(script));
          latencies.push(performance.now() - at);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  const sorted = Float64Array.from(latencies).sort();
  return {
    ok: latencies.length,
    seconds: elapsed,
    rps: latencies.length / elapsed,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    non2xx: 0,
    errors,
    loaderCores: (cpu.user + cpu.system) / 1e6 / elapsed,
  };
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '') as WriteSpec;
  // the same connections warm up and are measured, as a service's pooled connections would be
  const clients = await Promise.all(
    Array.from({ length: spec.connections }, async () => {
      const client = new pg.Client({ connectionString: spec.url });
      await client.connect();
      return client;
    }),
  );
  if (spec.warmupSeconds > 0) await run(spec, clients, spec.warmupSeconds);
  const result = await run(spec, clients, spec.durationSeconds);
  await Promise.all(clients.map((client) => client.end()));
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`write-load: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
