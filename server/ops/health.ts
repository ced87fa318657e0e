// Liveness, readiness and metrics endpoints for orchestrators and Prometheus (no auth), by the
// path each is served at (server/http/routes.ts routes them).
//
// /readyz answers whether a balancer should send this instance requests:
// - 503 "unavailable" while PostgreSQL does not answer or a migration this build carries is not
//   applied, and 503 "stopping" from SIGTERM on (server/start/shutdown drains behind it);
// - 200 "degraded" when a shared part is away but the instance still answers everything: Redis
//   unreachable (limits count in this process's memory, per instance, until it is back) or a
//   replica down or lagging (its reads go to the primary). These stay 200 on purpose: Redis and
//   the replicas are shared, so they fail for every instance at once, and a 503 would take every
//   instance out of the balancer together, turning a weaker guess budget or a busier primary
//   into a full outage;
// - 200 "ready" otherwise.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Middleware } from 'koa';
import type { Limits } from '../limits/rate-limits';
import type { ReadReplicas } from '../database/read-replicas';
import type { Metrics } from './metrics';

const CHECK_TIMEOUT_MS = 2000;

/** What readiness looks at. */
export interface ReadinessSources {
  orm: MikroORM;
  limits: Limits;
  replicas: ReadReplicas | null;
  /** Set from the first SIGTERM/SIGINT on (server/start/shutdown). */
  lifecycle: Lifecycle;
}

export interface Lifecycle {
  stopping: boolean;
}

export interface Readiness {
  status: 'ready' | 'degraded' | 'unavailable' | 'stopping';
  checks: {
    database: string;
    migrations: string;
    limits: string;
    replicas?: Record<string, string>;
  };
}

export function opsPages(
  sources: ReadinessSources,
  metrics: Metrics,
): Record<'/healthz' | '/readyz' | '/metrics', Middleware> {
  return {
    '/healthz': (ctx) => {
      ctx.body = { status: 'ok' };
    },
    '/readyz': async (ctx) => {
      const answer = await readiness(sources);
      ctx.status = answer.status === 'ready' || answer.status === 'degraded' ? 200 : 503;
      ctx.body = answer;
    },
    '/metrics': async (ctx) => {
      ctx.type = metrics.registry.contentType;
      ctx.body = await metrics.registry.metrics();
    },
  };
}

export async function readiness({ orm, limits, replicas, lifecycle }: ReadinessSources): Promise<Readiness> {
  const [database, limitStore] = await Promise.all([
    databaseChecks(orm),
    withTimeout(limits.store()).catch(() => 'memory (redis unreachable)'),
  ]);
  const checks: Readiness['checks'] = { ...database, limits: limitStore };
  if (replicas) checks.replicas = replicas.report();
  const status = lifecycle.stopping
    ? 'stopping'
    : database.database !== 'ok' || database.migrations !== 'ok'
      ? 'unavailable'
      : limitStore === 'memory (redis unreachable)' ||
          Object.values(checks.replicas ?? {}).some((state) => state !== 'ok')
        ? 'degraded'
        : 'ready';
  return { status, checks };
}

async function databaseChecks(orm: MikroORM): Promise<{ database: string; migrations: string }> {
  try {
    await withTimeout(orm.em.getConnection().execute('select 1'));
  } catch {
    return { database: 'unreachable', migrations: 'unknown' };
  }
  try {
    const pending = await withTimeout(orm.getMigrator().getPendingMigrations());
    return { database: 'ok', migrations: pending.length === 0 ? 'ok' : `${pending.length} pending` };
  } catch {
    return { database: 'ok', migrations: 'unknown' };
  }
}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('check timed out')), CHECK_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
