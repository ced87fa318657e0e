// The Koa application: the published REST API under /api/v2, its OpenAPI document and the
// reference page at /docs, the native tRPC endpoint under /trpc (all calling the same router),
// and the operational endpoints /healthz, /readyz and /metrics.
import type { IncomingMessage } from 'node:http';
import cors from '@koa/cors';
import Koa from 'koa';
import helmet from 'koa-helmet';
import { appRouter } from '../router/app';
import { contextFactory, type Services } from '../router/context';
import type { Config } from './config';
import { docsPage } from './docs';
import type { Logger } from './logger';
import { generateDocument } from './openapi';
import { opsRoutes } from './ops/health';
import { createMetrics } from './ops/metrics';
import { noteRequest } from './ops/request-notes';
import { requestLog } from './ops/request-log';
import { restApi } from './rest';
import { restErrors } from './rest/errors';
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
  // Koa knows the client address (proxy-aware); the tRPC adapters only hand over the request
  const clientAddresses = new WeakMap<IncomingMessage, string>();
  const createContext = contextFactory(services, (req) => clientAddresses.get(req) ?? 'unknown');
  const document = JSON.stringify(generateDocument());
  const allowedOrigins = new Set(config.CORS_ORIGINS);
  const metrics = createMetrics(services.orm);

  app.use(requestLog(logger, metrics));
  app.use(opsRoutes(services.orm, metrics));
  app.use(helmet());
  app.use(
    cors({
      // no origin is allowed unless configured; an unlisted origin gets no CORS headers
      origin: (ctx) => (allowedOrigins.has(ctx.get('Origin')) ? ctx.get('Origin') : ''),
      allowHeaders: ['Authorization', 'Content-Type'],
      exposeHeaders: ['Retry-After', 'WWW-Authenticate'],
      maxAge: 600,
    }),
  );
  app.use(async (ctx, next) => {
    clientAddresses.set(ctx.req, ctx.ip);
    await next();
  });
  app.use(restErrors(REST_PREFIX));
  app.use(async (ctx, next) => {
    if (ctx.method !== 'GET' || ctx.path !== `${REST_PREFIX}/openapi.json`) {
      await next();
      return;
    }
    noteRequest(ctx.req, { route: ctx.path, operation: 'openapi' });
    ctx.type = 'application/json';
    ctx.body = document;
  });
  app.use(docsPage({ prefix: DOCS_PREFIX, documentUrl: `${REST_PREFIX}/openapi.json` }));
  app.use(restApi({ router: appRouter, createContext, bodyLimit: config.BODY_LIMIT_BYTES }));
  app.use(nativeTrpc({ router: appRouter, createContext, prefix: TRPC_PREFIX, bodyLimit: config.BODY_LIMIT_BYTES }));
  return app;
}
