// The service's fixed routes in one @koa/router table: the operational endpoints, the OpenAPI
// document, the API reference pages and the console. Each route answers GET
// and HEAD, names itself to the request log and the metrics, and carries the headers its group
// needs; any other method on its path gets 405 with Allow. Paths match exactly (case and
// trailing slash included), as they always have, so a request for any other path skips the
// table without being matched against each of its routes (every API call is one of those).
//
// The tRPC endpoint and the REST API are not in this table, on purpose. Their paths are the
// router's procedures: tRPC's are procedure names (and comma-separated batches of them); the
// REST API's are trpc-to-openapi's routes from each procedure's `openapi` meta, the same ones the
// document is generated from, matched case-insensitively with raw path parameters. Copying
// them into this table would make a second list that could disagree with the first.
import Router from '@koa/router';
import type { Middleware } from 'koa';
import { consolePages } from './console-assets';
import { docsPages } from './docs-page';
import { opsPages, type ReadinessSources } from '../ops/health';
import type { Metrics } from '../ops/metrics';
import { noteRequest } from '../ops/request-notes';
import { errorBody } from './rest/rest-errors';

export interface RouteOptions {
  /** What /readyz looks at. */
  readiness: ReadinessSources;
  metrics: Metrics;
  /** The OpenAPI document, as the JSON text served. */
  document: string;
  /** Where the document is served, e.g. `/api/v2/openapi.json` (errors there are `{code, msg}`). */
  documentPath: string;
  /** Where the reference pages live, e.g. `/docs`. */
  docsPrefix: string;
  /** What every response a browser may read carries: security headers, CORS. */
  browserHeaders: Middleware[];
}

const ALLOWED = ['GET', 'HEAD'];

export function pageRoutes({
  readiness,
  metrics,
  document,
  documentPath,
  docsPrefix,
  browserHeaders,
}: RouteOptions): PageRoutes {
  const routes = new Router({ strict: true, sensitive: true });

  /** A GET (and HEAD) route, and its 405 for any other method (the GET route answers first). */
  function page(
    operation: string,
    paths: string[],
    headers: Middleware[],
    serve: Middleware,
    refusal: (msg: string) => unknown = plain,
  ) {
    routes.get(paths, ...headers, async (ctx, next) => {
      noteRequest(ctx.req, { route: ctx.routerPath, operation });
      await serve(ctx, next);
    });
    routes.all(paths, ...headers, methodNotAllowed(refusal));
  }

  // For orchestrators and Prometheus: no browser reads these, so they carry no browser headers.
  for (const [path, serve] of Object.entries(opsPages(readiness, metrics))) page(path.slice(1), [path], [], serve);

  page('openapi', [documentPath], browserHeaders, serveDocument(document), errorBody);
  for (const [path, serve] of docsPages({ prefix: docsPrefix, documentUrl: documentPath })) {
    page('docs', [path], browserHeaders, serve);
  }
  // the console's pages set their own Content-Security-Policy over the API's, as the reference does
  for (const [path, serve] of consolePages()) page('console', [path], browserHeaders, serve);
  return onlyAt(routes);
}

type RoutesMiddleware = ReturnType<Router['routes']>;

/** The table's middleware, and whether a path is one of its own (the read path outside Koa asks). */
export type PageRoutes = RoutesMiddleware & { claims(path: string): boolean };

/**
 * The table's middleware, for the paths it has routes at (exact, or, for a route with parameters
 * such as `/assets/:file`, starting with its literal part); every other request goes past it.
 */
function onlyAt(routes: Router): PageRoutes {
  const paths = new Set<string>();
  const prefixes: string[] = [];
  for (const layer of routes.stack) {
    if (typeof layer.path !== 'string') return Object.assign(routes.routes(), { claims: () => true });
    const literal = /^[^*(:?]*/.exec(layer.path)![0];
    if (literal === layer.path) paths.add(literal);
    else prefixes.push(literal);
  }
  const dispatch = routes.routes();
  const claims = (path: string) => paths.has(path) || prefixes.some((prefix) => path.startsWith(prefix));
  const guarded = (ctx: Parameters<RoutesMiddleware>[0], next: () => Promise<unknown>): Promise<unknown> =>
    claims(ctx.path) ? (dispatch(ctx, next) as Promise<unknown>) : next();
  return Object.assign(guarded as RoutesMiddleware, { claims });
}
function serveDocument(document: string): Middleware {
  return (ctx) => {
    ctx.type = 'application/json';
    ctx.body = document;
  };
}

function plain(msg: string): string {
  return msg;
}

/** Any method but GET and HEAD: 405 naming the allowed ones; OPTIONS just learns them. */
function methodNotAllowed(body: (msg: string) => unknown): Middleware {
  return (ctx) => {
    ctx.set('Allow', ALLOWED.join(', '));
    if (ctx.method === 'OPTIONS') {
      ctx.status = 204;
      return;
    }
    ctx.status = 405;
    ctx.body = body(`method ${ctx.method} is not allowed here; use ${ALLOWED.join(' or ')}`);
  };
}
