// Liveness, readiness and metrics endpoints for orchestrators and Prometheus (no auth).
// Ready means: PostgreSQL answers, and every migration this build carries has been applied.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Middleware } from 'koa';
import type { Metrics } from './metrics';
import { noteRequest } from './request-notes';

const CHECK_TIMEOUT_MS = 2000;

export function opsRoutes(orm: MikroORM, metrics: Metrics): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'GET' || !['/healthz', '/readyz', '/metrics'].includes(ctx.path)) {
      await next();
      return;
    }
    noteRequest(ctx.req, { route: ctx.path, operation: ctx.path.slice(1) });
    if (ctx.path === '/healthz') {
      ctx.body = { status: 'ok' };
    } else if (ctx.path === '/readyz') {
      const checks = await readiness(orm);
      const ready = Object.values(checks).every((check) => check === 'ok');
      ctx.status = ready ? 200 : 503;
      ctx.body = { status: ready ? 'ready' : 'unavailable', checks };
    } else {
      ctx.type = metrics.registry.contentType;
      ctx.body = await metrics.registry.metrics();
    }
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
