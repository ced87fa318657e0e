// What the suites that call the service from the bench's own process share (sign-in.ts, tokens.ts):
// the API over fetch as JSON, and callers in a closed loop, each sending its next call when its
// last is answered, with the rate and the latencies of the calls that succeeded.
import { performance } from 'node:perf_hooks';
import { percentile } from './workload';
import type { RunningServer, ServerSettings } from './servers';

/** What a suite that starts servers of its own and calls them from this process is given. */
export interface ServiceSuiteRun {
  settings: ServerSettings;
  /** An admin token the servers accept: it makes the suite's users, and removes them after. */
  token: string;
  rounds: number;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  log: (line: string) => void;
  track: (server: RunningServer) => void;
  untrack: (server: RunningServer) => void;
}

export type Answer = { status: number; body: Record<string, unknown> };
export type Api = (method: string, path: string, body?: unknown, token?: string) => Promise<Answer>;

/** `/api/v2` of `baseUrl`: a JSON body in, the status and the JSON body (or `{}`) out. */
export function apiOf(baseUrl: string): Api {
  return async (method, path, body, token) => {
    const response = await fetch(`${baseUrl}/api/v2${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
}

export interface LoopResult {
  /** Calls that succeeded, a second. */
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
}

/** `callers` callers for `seconds`, each calling `call(itsIndex)` again once answered (true: it succeeded). */
export async function closedLoop(
  callers: number,
  seconds: number,
  call: (caller: number) => Promise<boolean>,
): Promise<LoopResult> {
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: callers }, async (_, caller) => {
      while (performance.now() < end) {
        const begun = performance.now();
        if (await call(caller)) latencies.push(performance.now() - begun);
        else failures += 1;
      }
    }),
  );
  const sorted = Float64Array.from(latencies).sort();
  return {
    perSecond: latencies.length / ((performance.now() - started) / 1000),
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    failures,
  };
}
