// The Koa application: the published REST API under /api/v2, its OpenAPI document and the
// reference page at /docs, and the native tRPC endpoint under /trpc, all calling the same router.
import Koa from 'koa';
import { appRouter } from '../router/app';
import { contextFactory, type Services } from '../router/context';
import type { Config } from './config';
import { docsPage } from './docs';
import type { Logger } from './logger';
import { generateDocument } from './openapi';
import { restApi } from './rest';
import { restErrors } from './rest/errors';
import { nativeTrpc } from './trpc-native';

export const REST_PREFIX = '/api/v2';
export const TRPC_PREFIX = '/trpc';
export const DOCS_PREFIX = '/docs';

export interface AppOptions {
  services: Services;
  config: Pick<Config, 'BODY_LIMIT_BYTES'>;
  logger: Logger;
}

export function createApp({ services, config, logger }: AppOptions): Koa {
  const app = new Koa();
  const createContext = contextFactory(services);
  const document = JSON.stringify(generateDocument());

  app.use(restErrors(REST_PREFIX, logger));
  app.use(async (ctx, next) => {
    if (ctx.method !== 'GET' || ctx.path !== `${REST_PREFIX}/openapi.json`) {
      await next();
      return;
    }
    ctx.type = 'application/json';
    ctx.body = document;
  });
  app.use(docsPage({ prefix: DOCS_PREFIX, documentUrl: `${REST_PREFIX}/openapi.json` }));
  app.use(restApi({ router: appRouter, createContext, bodyLimit: config.BODY_LIMIT_BYTES, logger }));
  app.use(
    nativeTrpc({ router: appRouter, createContext, prefix: TRPC_PREFIX, bodyLimit: config.BODY_LIMIT_BYTES, logger }),
  );
  return app;
}
