// The Koa application: the published REST API under /api/v2, its OpenAPI document and the
// reference page at /docs, the native tRPC endpoint under /trpc (all calling the same router),
// and the operational endpoints /healthz, /readyz and /metrics. The fixed routes are one
// @koa/router table (./routes.ts); /trpc and the REST API dispatch by procedure. The reads that
// answer one JSON body (a REST GET of a query, a plain tRPC GET) are answered before Koa, on
// node:http, with the same headers, log line and metrics (./fast-lane.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from '@koa/cors';
import Koa from 'koa';
import { appRouter } from '../../router/app-router';
import { loggableError } from '../../router/trpc/api-errors';
import { contextFactory, type Services } from '../../router/trpc/context';
import type { Config } from '../config/config';
import type { Logger } from '../ops/logger';
import { generateDocument } from './openapi-document';
import type { Lifecycle } from '../ops/health';
import { createMetrics } from '../ops/metrics';
import { requestLog, requestRecord } from '../ops/request-log';
import { requestNotes } from '../ops/request-notes';
import { restApi } from './rest/rest-api';
import { restErrors } from './rest/rest-errors';
import { headersMiddleware, securityHeaders, withHeaders } from './security-headers';
import { fastLane } from './fast-lane';
import { pageRoutes } from './routes';
import { nativeTrpc } from './trpc-native';

export const REST_PREFIX = '/api/v2';
export const TRPC_PREFIX = '/trpc';
export const DOCS_PREFIX = '/docs';

export interface AppOptions {
  services: Services;
  config: Pick<Config, 'BODY_LIMIT_BYTES' | 'CORS_ORIGINS' | 'TRUST_PROXY' | 'TRUST_PROXY_HOPS' | 'TRPC_MAX_BATCH'>;
  logger: Logger;
  /** Set to stopping on SIGTERM (server/start/shutdown): /readyz then answers 503. */
  lifecycle?: Lifecycle;
  /** Whether the reads are answered before Koa (./fast-lane.ts); false: all through Koa (tests compare the two). */
  fastLane?: boolean;
}

export function createApp({
  services,
  config,
  logger,
  lifecycle = { stopping: false },
  fastLane: laneWanted = true,
}: AppOptions): Koa {
  const trustedHops = config.TRUST_PROXY ? config.TRUST_PROXY_HOPS : 0;
  // Koa's own idea of the client (ctx.ip) agrees with ours
  const app = new Koa({ proxy: config.TRUST_PROXY, maxIpsCount: config.TRUST_PROXY_HOPS });
  // Koa's default prints errors it sees after a response to stderr. A client that went away
  // mid-answer (a long stream it stopped reading) is no error of ours; anything else is logged as
  // the service logs, never with request data.
  app.on('error', (error: Error & { code?: string }) => {
    if (error.code === 'ECONNRESET' || error.code === 'EPIPE' || error.code === 'ERR_STREAM_PREMATURE_CLOSE') return;
    logger.error({ err: loggableError(error) }, 'error after the response');
  });
  const createContext = contextFactory(
    services,
    (req) => clientAddress(req, trustedHops),
    (req) => requestNotes(req).requestId,
  );
  const document = JSON.stringify(generateDocument());
  const allowedOrigins = new Set(config.CORS_ORIGINS);
  const metrics = createMetrics(services.orm, services.passwords);

  // Responses here are data, not documents: the headers that only guard documents (opener
  // policy, DNS prefetch, download and Flash policies, the legacy XSS auditor) are left out. None
  // may be kept by a cache on the way or in the browser (`no-store`): answers hold tokens, secrets
  // shown once and personal data (RFC 6749 §5.1, RFC 9700, OWASP ASVS 8.2.1). A route that may be
  // cached says so itself (the console's assets, the API reference).
  const dataHeaders = withHeaders(
    securityHeaders({
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      frameguard: { action: 'deny' },
      crossOriginOpenerPolicy: false,
      originAgentCluster: false,
      xDnsPrefetchControl: false,
      xDownloadOptions: false,
      xPermittedCrossDomainPolicies: false,
      xXssProtection: false,
    }),
    [['Cache-Control', 'no-store']],
  );
  const browserHeaders: Koa.Middleware[] = [headersMiddleware(dataHeaders)];
  // no browser origin may call the API unless configured; an unlisted one gets no CORS headers
  if (allowedOrigins.size > 0) {
    browserHeaders.push(
      cors({
        origin: (ctx) => (allowedOrigins.has(ctx.get('Origin')) ? ctx.get('Origin') : ''),
        allowHeaders: ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match'],
        exposeHeaders: ['ETag', 'Link', 'Retry-After', 'WWW-Authenticate', 'X-Request-Id'],
        maxAge: 600,
      }),
    );
  }
  const pages = pageRoutes({
    readiness: { orm: services.orm, limits: services.limits, replicas: services.replicas, lifecycle },
    metrics,
    document,
    documentPath: `${REST_PREFIX}/openapi.json`,
    docsPrefix: DOCS_PREFIX,
    browserHeaders,
  });

  const record = requestRecord(logger, metrics);
  app.use(requestLog(record));
  // the fixed routes first: each carries its own headers, and they end the request
  app.use(pages);
  for (const headers of browserHeaders) app.use(headers);
  app.use(
    nativeTrpc({
      router: appRouter,
      createContext,
      prefix: TRPC_PREFIX,
      bodyLimit: config.BODY_LIMIT_BYTES,
      maxBatch: config.TRPC_MAX_BATCH,
    }),
  );
  app.use(restErrors(REST_PREFIX));
  app.use(restApi({ router: appRouter, createContext, prefix: REST_PREFIX, bodyLimit: config.BODY_LIMIT_BYTES }));

  // CORS headers depend on the request's Origin: with CORS configured, every request goes through Koa
  if (laneWanted && allowedOrigins.size === 0) {
    const lane = fastLane({
      router: appRouter,
      createContext,
      record,
      securityHeaders: dataHeaders,
      pages,
      restPrefix: REST_PREFIX,
      trpcPrefix: TRPC_PREFIX,
      maxBatch: config.TRPC_MAX_BATCH,
    });
    const koa = app.callback.bind(app);
    app.callback = () => {
      const handle = koa();
      // the service serves HTTP/1.1 only (app.listen): its requests are node:http's
      return (req, res) => (lane(req as IncomingMessage, res as ServerResponse) ? Promise.resolve() : handle(req, res));
    };
  }
  return app;
}

/**
 * Where a request came from: the socket's peer, or behind `hops` trusted proxies the address the
 * outermost of them saw. Each proxy appends the address it was reached from to X-Forwarded-For,
 * so that is the `hops`-th entry from the right; anything left of it came from the client, which
 * can write what it likes there (a fresh address per guess, to slip past the per-address limits).
 * Fewer entries than hops: the request skipped a proxy, and the leftmost one is the best known.
 */
function clientAddress(req: IncomingMessage, hops: number): string {
  if (hops > 0) {
    const header = req.headers['x-forwarded-for'];
    const entries = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    const client = entries[Math.max(0, entries.length - hops)];
    if (client) return client;
  }
  return req.socket.remoteAddress || 'unknown';
}
