// One load-generator run with autocannon, in a process of its own (the orchestrator pins it to
// another core than the server's): a warm-up, then the measured run; prints one result line.
//   node --require tsx/cjs bench/load-generator.ts '<LoadSpec as JSON>'
// Latencies are taken from autocannon's per-response event, in fractional milliseconds:
// autocannon's own histogram keeps whole milliseconds, too coarse for sub-millisecond p50s.
import type autocannon from 'autocannon';
import { autocannonRun } from './autocannon-run';
import { seedRow, seededUserId } from './dataset';
import {
  CREATE_PATH,
  RESULT_MARKER,
  createBody,
  createByCodeBody,
  findEmailPath,
  listPath,
  readPath,
  trpcReadPath,
  updateRequest,
  updatedIndex,
  type LoadResult,
  type LoadSpec,
} from './workload';

type Request = autocannon.Request;

function requestsFor(spec: LoadSpec, phase: string): Request[] {
  switch (spec.workload) {
    case 'rest-read':
    case 'trpc-read': {
      const toPath = spec.workload === 'rest-read' ? readPath : trpcReadPath;
      // made per request (an md5 of the index) rather than listed up front: 2,000,000 paths would
      // cost the load generator seconds and hundreds of MB before its first request
      const pick = () => toPath(seededUserId(Math.floor(Math.random() * spec.users)));
      return [{ method: 'GET', setupRequest: (request) => ({ ...request, path: pick() }) }];
    }
    case 'list':
      return [{ method: 'GET', path: listPath(spec.offset ?? 0, spec.limit ?? 10) }];
    case 'find-email': {
      // like the reads: a random seeded user per request, found by its address
      const pick = () => findEmailPath(seedRow(Math.floor(Math.random() * spec.users)).address);
      return [{ method: 'GET', setupRequest: (request) => ({ ...request, path: pick() }) }];
    }
    case 'paths': {
      const paths = spec.paths ?? [];
      if (paths.length === 0) throw new Error('workload paths: no paths given');
      const pick = () => paths[Math.floor(Math.random() * paths.length)]!;
      return [{ method: 'GET', setupRequest: (request) => ({ ...request, path: pick() }) }];
    }
    case 'create':
    case 'create-by-code': {
      let n = 0;
      const tag = `${spec.tag}-${phase}`;
      const body = spec.workload === 'create' ? createBody : createByCodeBody;
      return [
        {
          method: 'POST',
          path: CREATE_PATH,
          headers: { 'content-type': 'application/json' },
          setupRequest: (request) => ({ ...request, body: body(tag, n++) }),
        },
      ];
    }
    case 'update': {
      if (spec.users < 3) throw new Error('workload update: at least 3 seeded users are needed');
      return [
        {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          setupRequest: (request) => ({ ...request, ...updateRequest(updatedIndex(spec.users)) }),
        },
      ];
    }
  }
}

async function run(spec: LoadSpec, phase: 'warmup' | 'measure', seconds: number): Promise<LoadResult> {
  return autocannonRun({
    url: spec.baseUrl,
    connections: spec.connections,
    duration: seconds,
    headers: { authorization: `Bearer ${spec.token}` },
    requests: requestsFor(spec, phase),
  });
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '') as LoadSpec;
  if (spec.warmupSeconds > 0) await run(spec, 'warmup', spec.warmupSeconds);
  const result = await run(spec, 'measure', spec.durationSeconds);
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`load: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
