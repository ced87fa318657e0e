// Liveness, readiness and metrics endpoints for orchestrators and Prometheus (no auth), by the
// path each is served at (server/routes.ts routes them). Ready means: PostgreSQL answers, and
// every migration this build carries has been applied.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Middleware } from 'koa';
import type { Metrics } from './metrics';

const CHECK_TIMEOUT_MS = 2000;

export function opsPages(orm: MikroORM, metrics: Metrics): Record<'/healthz' | '/readyz' | '/metrics', Middleware> {
  return {
    '/healthz': (ctx) => {
      ctx.body = { status: 'ok' };
    },
    '/readyz': async (ctx) => {
      const checks = await readiness(orm);
      const ready = Object.values(checks).every((check) => check === 'ok');
      ctx.status = ready ? 200 : 503;
      ctx.body = { status: ready ? 'ready' : 'unavailable', checks };
    },
    '/metrics': async (ctx) => {
      ctx.type = metrics.registry.contentType;
      ctx.body = await metrics.registry.metrics();
    },
  };
}

async function readiness(orm: MikroORM): Promise<{ database: string; migrations: string }> {
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
