// The benchmarked scenarios of issues 6 and 13, in the order each round runs them. The two
// 50-connection reads (issue 13) are the 10-connection ones with more callers at once: what a
// caller feels under real concurrency is the tail, so they are judged by p99 as well.
import type { Workload } from './workload';

export const SCENARIO_KEYS = [
  'rest-read',
  'trpc-read',
  'rest-read-50',
  'trpc-read-50',
  'list-first',
  'list-deep',
  'create-read',
] as const;
export type ScenarioKey = (typeof SCENARIO_KEYS)[number];

export interface Scenario {
  key: ScenarioKey;
  title: string;
  /** What the load generator sends; `create-read` sends creates and, at the same time, `rest-read`. */
  load(users: number): { workload: Workload; offset?: number; limit?: number; connections?: number };
}

export const SCENARIOS: Record<ScenarioKey, Scenario> = {
  'rest-read': {
    key: 'rest-read',
    title: 'GET by id, REST',
    load: () => ({ workload: 'rest-read' }),
  },
  'trpc-read': {
    key: 'trpc-read',
    title: 'GET by id, tRPC users.read',
    load: () => ({ workload: 'trpc-read' }),
  },
  'rest-read-50': {
    key: 'rest-read-50',
    title: 'GET by id, REST, 50 connections',
    load: () => ({ workload: 'rest-read', connections: 50 }),
  },
  'trpc-read-50': {
    key: 'trpc-read-50',
    title: 'GET by id, tRPC, 50 connections',
    load: () => ({ workload: 'trpc-read', connections: 50 }),
  },
  'list-first': {
    key: 'list-first',
    title: 'list offset 0 limit 10',
    load: () => ({ workload: 'list', offset: 0, limit: 10 }),
  },
  'list-deep': {
    key: 'list-deep',
    title: 'list offset 90% limit 10',
    load: (users) => ({ workload: 'list', offset: deepOffset(users), limit: 10 }),
  },
  'create-read': {
    key: 'create-read',
    title: 'create (POST, scrypt)',
    load: () => ({ workload: 'create' }),
  },
};

export const deepOffset = (users: number): number => Math.floor(users * 0.9);
