// One log line per request (method, route, status, duration, request id; never bodies or
// headers), the request id echoed back in X-Request-Id, and the request counted in the metrics.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Middleware } from 'koa';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import { noteRequest, requestNotes } from './request-notes';

// a caller's id is kept only when it cannot smuggle anything into a log line
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestLog(logger: Logger, metrics: Metrics): Middleware {
  return async (ctx, next) => {
    // a double, not a BigInt: no allocation for the clock on every request
    const start = performance.now();
    const incoming = ctx.get('X-Request-Id');
    const reqId = REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.reqId = reqId;
    noteRequest(ctx.req, { requestId: reqId });
    ctx.set('X-Request-Id', reqId);
    try {
      await next();
    } finally {
      const seconds = (performance.now() - start) / 1000;
      const { route = '(unmatched)', operation = 'none', error } = requestNotes(ctx.req);
      // tRPC writes its own responses; Koa's status is then what the adapter sent
      const status = ctx.respond === false ? ctx.res.statusCode : ctx.status;
      metrics.observeRequest({ operation, method: ctx.method, status }, seconds);
      const failed = status >= 500;
      if (failed || logger.isLevelEnabled('info')) {
        const line = { reqId, method: ctx.method, route, status, durationMs: Math.round(seconds * 10_000) / 10 };
        if (failed) logger.error({ ...line, err: error }, 'request failed');
        else logger.info(line, 'request');
      }
    }
  };
}
