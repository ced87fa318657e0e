// One log line per request (method, route, status, duration, request id; never bodies or
// headers), the request id echoed back in X-Request-Id, and the request counted in the metrics.
// Both ways a request is answered use the same two steps (`requestRecord`): the Koa middleware
// here, and the read path answered on node:http directly (server/http/fast-lane.ts).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Middleware } from 'koa';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import { noteRequest, requestNotes } from './request-notes';

// a caller's id is kept only when it cannot smuggle anything into a log line
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** What a request's log line needs from its start. */
export interface RequestStart {
  reqId: string;
  /** performance.now() at the start: a double, not a BigInt, so no allocation for the clock. */
  start: number;
}

export interface RequestRecord {
  /**
   * The request's id (the caller's when it is safe, else a new one), noted, and echoed back in
   * X-Request-Id on `res` (without `res`, the caller writes that header itself).
   */
  begin(req: IncomingMessage, res?: ServerResponse): RequestStart;
  /** The metrics and, when enabled (always for a failure), the log line. */
  end(req: IncomingMessage, started: RequestStart, status: number): void;
}

export function requestRecord(logger: Logger, metrics: Metrics): RequestRecord {
  return {
    begin(req, res) {
      const start = performance.now();
      const incoming = req.headers['x-request-id'];
      const reqId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      noteRequest(req, { requestId: reqId });
      res?.setHeader('X-Request-Id', reqId);
      return { reqId, start };
    },
    end(req, { reqId, start }, status) {
      const seconds = (performance.now() - start) / 1000;
      const { route = '(unmatched)', operation = 'none', error } = requestNotes(req);
      const method = req.method ?? 'GET';
      metrics.observeRequest({ operation, method, status }, seconds);
      const failed = status >= 500;
      if (failed || logger.isLevelEnabled('info')) {
        const line = { reqId, method, route, status, durationMs: Math.round(seconds * 10_000) / 10 };
        if (failed) logger.error({ ...line, err: error }, 'request failed');
        else logger.info(line, 'request');
      }
    },
  };
}

export function requestLog(record: RequestRecord): Middleware {
  return async (ctx, next) => {
    const started = record.begin(ctx.req, ctx.res);
    ctx.state.reqId = started.reqId;
    try {
      await next();
    } finally {
      // tRPC writes its own responses; Koa's status is then what the adapter sent
      record.end(ctx.req, started, ctx.respond === false ? ctx.res.statusCode : ctx.status);
    }
  };
}
