// What one load-generator run sends, and what it reports: shared by the orchestrator, the
// autocannon runner (load-generator.ts) and the wrk runner (loader.ts), so both tools send the same
// requests.
import { BENCH_PASSWORD, CREATE_DOMAIN, FIRST_NAMES, LAST_NAMES, seedRow, seededUserId } from './dataset';

/**
 * `find-email`: the list found by a random seeded user's address per request (issue 20);
 * `paths`: GET a random one of `paths` per request (a fixed page when there is one);
 * `create-by-code`: a create of a user who signs in by email code (no password, so no hash: the
 * create's own work, issue 21); `update`: a PUT of a random seeded user (issue 21).
 */
export type Workload =
  'rest-read' | 'trpc-read' | 'list' | 'create' | 'create-by-code' | 'update' | 'find-email' | 'paths';

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

/** The body of the `n`th create of a run of `create-by-code`: a new user signing in by email code. */
export function createByCodeBody(tag: string, n: number): string {
  return JSON.stringify({
    name: 'bench_create',
    age: 30,
    gender: 1,
    email: { email: `${tag}-${n}@${CREATE_DOMAIN}`, authMethod: 1 },
  });
}

/**
 * A PUT of seeded user `index` as the console's edit form sends it: a new name and age, its address,
 * sign-in method and gender as they are (so its email row is kept, and no password is sent: the
 * hash stays), a name and age of the seeded kind.
 */
export function updateRequest(index: number, random: () => number = Math.random): { path: string; body: string } {
  const row = seedRow(index);
  const pick = (names: readonly string[]) => names[Math.floor(random() * names.length)]!;
  return {
    path: readPath(seededUserId(index)),
    body: JSON.stringify({
      name: `${pick(FIRST_NAMES)}_${pick(LAST_NAMES)}`,
      age: 18 + Math.floor(random() * 70),
      gender: row.gender,
      email: { email: row.address, authMethod: row.authMethod },
    }),
  };
}

/**
 * The seeded user an update picks: any but the first and the last, which bench/seed.ts reads to
 * tell whether the seed is still the wanted one.
 */
export const updatedIndex = (users: number, random: () => number = Math.random): number =>
  1 + Math.floor(random() * (users - 2));

/** The marker that starts the result line a runner prints, so the orchestrator finds it among other output. */
export const RESULT_MARKER = 'LOAD-RESULT ';

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(rank, 1)) - 1] ?? NaN;
}
