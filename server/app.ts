// The Koa application: the published REST API under /api/v2, its OpenAPI document and the
// reference page at /docs, the native tRPC endpoint under /trpc (all calling the same router),
// and the operational endpoints /healthz, /readyz and /metrics. The fixed routes are one
// @koa/router table (./routes.ts); /trpc and the REST API dispatch by procedure.
import type { IncomingMessage } from 'node:http';
import cors from '@koa/cors';
import Koa from 'koa';
import helmet from 'koa-helmet';
import { appRouter } from '../router/app';
import { contextFactory, type Services } from '../router/context';
import type { Config } from './config';
import type { Logger } from './logger';
import { generateDocument } from './openapi';
import { createMetrics } from './ops/metrics';
import { requestLog } from './ops/request-log';
import { restApi } from './rest';
import { restErrors } from './rest/errors';
import { pageRoutes } from './routes';
import { nativeTrpc } from './trpc-native';

export const REST_PREFIX = '/api/v2';
export const TRPC_PREFIX = '/trpc';
export const DOCS_PREFIX = '/docs';

export interface AppOptions {
  services: Services;
  config: Pick<Config, 'BODY_LIMIT_BYTES' | 'CORS_ORIGINS' | 'TRUST_PROXY'>;
  logger: Logger;
}

export function createApp({ services, config, logger }: AppOptions): Koa {
  const app = new Koa({ proxy: config.TRUST_PROXY });
  const createContext = contextFactory(services, (req) => clientAddress(req, config.TRUST_PROXY));
  const document = JSON.stringify(generateDocument());
  const allowedOrigins = new Set(config.CORS_ORIGINS);
  const metrics = createMetrics(services.orm);

  // Responses here are data, not documents: the headers that only guard documents (opener
  // policy, DNS prefetch, download and Flash policies, the legacy XSS auditor) are left out.
  const browserHeaders: Koa.Middleware[] = [
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      frameguard: { action: 'deny' },
      crossOriginOpenerPolicy: false,
      originAgentCluster: false,
      xDnsPrefetchControl: false,
      xDownloadOptions: false,
      xPermittedCrossDomainPolicies: false,
      xXssProtection: false,
    }),
  ];
  // no browser origin may call the API unless configured; an unlisted one gets no CORS headers
  if (allowedOrigins.size > 0) {
    browserHeaders.push(
      cors({
        origin: (ctx) => (allowedOrigins.has(ctx.get('Origin')) ? ctx.get('Origin') : ''),
        allowHeaders: ['Authorization', 'Content-Type'],
        exposeHeaders: ['Retry-After', 'WWW-Authenticate', 'X-Request-Id'],
        maxAge: 600,
      }),
    );
  }
  const pages = pageRoutes({
    orm: services.orm,
    metrics,
    document,
    documentPath: `${REST_PREFIX}/openapi.json`,
    docsPrefix: DOCS_PREFIX,
    browserHeaders,
  });

  app.use(requestLog(logger, metrics));
  // the fixed routes first: each carries its own headers, and they end the request
  app.use(pages.routes());
  for (const headers of browserHeaders) app.use(headers);
  app.use(nativeTrpc({ router: appRouter, createContext, prefix: TRPC_PREFIX, bodyLimit: config.BODY_LIMIT_BYTES }));
  app.use(restErrors(REST_PREFIX));
  app.use(restApi({ router: appRouter, createContext, prefix: REST_PREFIX, bodyLimit: config.BODY_LIMIT_BYTES }));
  return app;
}

/** Where a request came from: the socket's peer, or the client a trusted proxy names first. */
function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? req.headers['x-forwarded-for'] : undefined;
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return first || req.socket.remoteAddress || 'unknown';
}
