// What one load-generator run sends, and what it reports: shared by the orchestrator, the
// autocannon runner (load-generator.ts) and the wrk runner (loader.ts), so both tools send the same
// requests.
import { BENCH_PASSWORD, CREATE_DOMAIN } from './dataset';

/**
 * `find-email`: the list found by a random seeded user's address per request (issue 20);
 * `paths`: GET a random one of `paths` per request (a fixed page when there is one).
 */
export type Workload = 'rest-read' | 'trpc-read' | 'list' | 'create' | 'find-email' | 'paths';

export interface LoadSpec {
  /** `http://host:port` of the server under test. */
  baseUrl: string;
  token: string;
  workload: Workload;
  /** How many users are seeded: reads pick a uniformly random one of them per request. */
  users: number;
  /** For `list`. */
  offset?: number;
  limit?: number;
  /** For `paths`. */
  paths?: string[];
  connections: number;
  durationSeconds: number;
  /** Sent first and not measured, so both servers are measured warm (JIT, pools, caches). */
  warmupSeconds: number;
  /** Makes created email addresses unique across runs and processes. */
  tag: string;
}

export interface LoadResult {
  /** 2xx responses in the measured window. */
  ok: number;
  seconds: number;
  /** 2xx responses per second. */
  rps: number;
  /** Latencies of 2xx responses, in milliseconds. */
  p50Ms: number;
  p99Ms: number;
  /** Responses other than 2xx, and socket errors or timeouts: a valid run has none. */
  non2xx: number;
  errors: number;
  /** The load generator's own CPU use, in cores: near 1 means it, not the server, set the pace. */
  loaderCores: number;
}

export const readPath = (id: string): string => `/api/v2/users/${encodeURIComponent(id)}`;

export const trpcReadPath = (id: string): string =>
  `/trpc/users.read?input=${encodeURIComponent(JSON.stringify({ id }))}`;

export const listPath = (offset: number, limit: number): string => `/api/v2/users?offset=${offset}&limit=${limit}`;

/** The list found by an address (`?email=`, issue 20). */
export const findEmailPath = (address: string): string => `/api/v2/users?email=${encodeURIComponent(address)}`;

/** The list with these parameters (issue 20's filters, sort and cursor), in their order. */
export const searchPath = (params: Record<string, string>): string =>
  `/api/v2/users?${new URLSearchParams(params).toString()}`;

export const CREATE_PATH = '/api/v2/users';

/** The body of the `n`th create of a run: a new password user each time (wrk fills `n` in itself). */
export function createBody(tag: string, n: number | string): string {
  return JSON.stringify({
    name: 'bench_create',
    age: 30,
    gender: 1,
    email: { email: `${tag}-${n}@${CREATE_DOMAIN}`, authMethod: 0, password: BENCH_PASSWORD },
  });
}

/** The marker that starts the result line a runner prints, so the orchestrator finds it among other output. */
export const RESULT_MARKER = 'LOAD-RESULT ';

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(rank, 1)) - 1] ?? NaN;
}
