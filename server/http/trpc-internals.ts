// Every place this service relies on tRPC or trpc-to-openapi beyond what their documentation
// promises: read off @trpc/server 11.22.1 and trpc-to-openapi 3.3.0, the exact versions
// package.json pins. Nothing else in the project reads `_def` or imports
// `@trpc/server/unstable-core-do-not-import` (eslint.config.mjs forbids it), so an upgrade is
// re-checked here and in test/trpc-internals.test.ts, which names each seam when it breaks.
//
// What is relied on:
//  1. `router._def.procedures`: a flat table of every procedure by its dotted path (no lazy
//     routers here), each with `_def.type`, `_def.meta`, `_def.inputs` (the schemas given to
//     `.input()`, in order) and `_def.output` (the output schema as given to `.output()`). tRPC's
//     callers, adapters and trpc-to-openapi read the same table.
//  2. How tRPC's procedure caller runs a call (`createProcedureCaller` and `callRecursive` in
//     11.22.1), redone here with the language's own object spreads: tRPC's build turns each spread
//     into a helper that defines one property at a time, and a call spreads its options twice per
//     middleware and its whole context once, about 15 µs of a read (issue 23). Each procedure's
//     `_def.middlewares` (ours, then `.input()`'s, `.output()`'s, last the resolver's) is called
//     with the call options (`router`, `path`, `type`, `ctx`, `getRawInput`, `signal`, `batchIndex`)
//     and `meta`, `input` and `next`; `next(opts)` continues with `opts.ctx` merged over the
//     context, `opts.input` and `opts.getRawInput` when given; whatever a middleware throws becomes
//     `{ ok: false, error }` (getTRPCErrorFromUnknown); the call answers `data` or throws `error`.
//     `batchIndex` became required in 11.10.0; `signal` is undefined (the procedures here do not
//     watch for aborts). test/trpc-internals.test.ts holds it to `callTRPCProcedure`, answer for answer.
//  3. `router._def._config`: the root config (`transformer`, `errorFormatter`, `isDev`) that
//     `getErrorShape` and `transformTRPCResponse` (both exported, both marked internal) take.
//  4. `getHTTPStatusCode(response | responses)` (one argument in 11.22.1; later versions take
//     more) and `getHTTPStatusCodeFromError(error)`, both from `@trpc/server/http`.
//  5. How tRPC's fetch/node adapter answers a GET of queries (resolveResponse in 11.22.1): which
//     requests are plain JSON (no `trpc-accept`, no `Accept: application/jsonl`, no
//     `connectionParams`; a batch's input an object), the input decoded by the transformer, the
//     `Vary` and `Content-Type` it sends, the error shape and status per result.
//     Known differences, invisible here: the fast path passes no abort signal, and hands the
//     error formatter the call's input even when the call failed before reading it (tRPC's
//     adapter passes undefined then; router/trpc/procedures.ts's formatter does not look at the input).
//     And how it counts the calls of a request and refuses a whole request: `batch=1` makes the
//     percent-decoded path a comma-separated list of calls (for GET and POST alike); a refusal
//     before any call (its `maxBatchSize`, a malformed path) is one error shape, not a list, with
//     the error's status (the adapter labels that JSON `text/plain`; the fast path says JSON).
//  6. trpc-to-openapi's route matcher `createProcedureCache` (exported, undocumented): the route
//     of each procedure with `openapi` meta, matched case-insensitively, path parameters
//     captured as raw (not decoded) strings; and which methods carry the input in the body.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TRPCError, type AnyRouter } from '@trpc/server';
import { callTRPCProcedure, getErrorShape, getTRPCErrorFromUnknown, transformTRPCResponse } from '@trpc/server';
import { getHTTPStatusCode, getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { TRPCErrorShape, TRPCResponse } from '@trpc/server/rpc';
import {
  acceptsRequestBody,
  createProcedureCache,
  normalizePath,
  type OpenApiMethod,
  type OpenApiRouter,
} from 'trpc-to-openapi';

/** The versions every seam below was read off; the test fails when the installed ones differ. */
export const CHECKED_VERSIONS = {
  '@trpc/server': '11.22.1',
  '@trpc/client': '11.22.1',
  '@trpc/tanstack-react-query': '11.22.1',
  'trpc-to-openapi': '3.3.0',
} as const;

export type ProcedureType = 'query' | 'mutation' | 'subscription';

export interface ProcedureInfo<TMeta = unknown> {
  /** The dotted path a client calls it by, e.g. `users.read`. */
  path: string;
  type: ProcedureType;
  meta: TMeta | undefined;
  /** The schema given to `.output()`, if any. */
  output: unknown;
  /** The (first) schema given to `.input()`, if any. */
  input: unknown;
}

interface ProcedureDef {
  _def: { type: ProcedureType; meta?: unknown; output?: unknown; inputs?: unknown[]; middlewares: Middleware[] };
}

/** What tRPC hands each middleware of a call (seam 2). */
interface CallOptions {
  router: AnyRouter;
  path: string;
  type: ProcedureType;
  ctx: unknown;
  input: unknown;
  getRawInput: () => Promise<unknown>;
  signal: undefined;
  batchIndex: number;
  meta: unknown;
  next: ((opts?: NextOptions) => Promise<MiddlewareResult>) | undefined;
}
interface NextOptions {
  ctx?: Record<string, unknown>;
  input?: unknown;
  getRawInput?: () => Promise<unknown>;
}
interface MiddlewareResult {
  ok: boolean;
  data?: unknown;
  error?: TRPCError;
}
type Middleware = (
  opts: CallOptions & { next: (opts?: NextOptions) => Promise<MiddlewareResult> },
) => Promise<MiddlewareResult>;

/** Seam 1: every procedure of the router by its dotted path. */
export function procedureTable<TMeta = unknown>(router: AnyRouter): ReadonlyMap<string, ProcedureInfo<TMeta>> {
  const procedures = router._def.procedures as Record<string, ProcedureDef>;
  return new Map(
    Object.entries(procedures).map(([path, { _def }]) => [
      path,
      { path, type: _def.type, meta: _def.meta as TMeta | undefined, output: _def.output, input: _def.inputs?.[0] },
    ]),
  );
}

export interface ProcedureCall {
  path: string;
  type: ProcedureType;
  ctx: unknown;
  input: unknown;
  /** The call's index in its batch (0 outside a batch). */
  batchIndex: number;
}

/**
 * Seam 2: one call, as tRPC's adapters make it (middlewares, input and output parsing included).
 * Promise chains rather than async functions: a suspended async function keeps its frame (a
 * generator object and its registers) for as long as the call waits for PostgreSQL, five of them
 * per call, which the garbage collector copies on every young collection (issue 23).
 */
export function callProcedure(
  router: AnyRouter,
  { path, type, ctx, input, batchIndex }: ProcedureCall,
): Promise<unknown> {
  const procedure = (router._def.procedures as Record<string, ProcedureDef | undefined>)[path];
  if (!procedure || procedure._def.type !== type) {
    return Promise.reject(new TRPCError({ code: 'NOT_FOUND', message: `No "${type}"-procedure on path "${path}"` }));
  }
  const options: CallOptions = {
    router,
    path,
    type,
    ctx,
    input: undefined,
    getRawInput: () => Promise.resolve(input),
    signal: undefined,
    batchIndex,
    // set per middleware; their slots are here because V8 (Node 20) gives an object that is
    // spread and then added to new hidden classes of its own every time (issue 23)
    meta: undefined,
    next: undefined,
  };
  return runMiddleware(procedure._def, 0, options).then(answerOf);
}

/** The call's answer from the outermost middleware's result. */
function answerOf(result: MiddlewareResult): unknown {
  if (!result.ok) throw result.error!;
  return result.data;
}

/** tRPC's own caller, which seam 2 is held to, answer for answer (test/trpc-internals.test.ts). */
export const callThroughTrpc = callTRPCProcedure;

/** The `index`th middleware of a call, and through its `next` the rest (tRPC's callRecursive). */
function runMiddleware(def: ProcedureDef['_def'], index: number, options: CallOptions): Promise<MiddlewareResult> {
  let result: Promise<MiddlewareResult>;
  try {
    result = def.middlewares[index]!({
      ...options,
      meta: def.meta,
      next: (next) =>
        runMiddleware(def, index + 1, {
          ...options,
          ctx: next?.ctx ? { ...(options.ctx as Record<string, unknown>), ...next.ctx } : options.ctx,
          input: next && 'input' in next ? next.input : options.input,
          getRawInput: next?.getRawInput ?? options.getRawInput,
        }),
    });
  } catch (cause) {
    return Promise.resolve(failure(cause));
  }
  // whatever it answers, as a promise (a middleware that is not an async function may answer a value)
  return Promise.resolve(result).then(undefined, failure);
}

/** What a middleware threw, as tRPC's caller records it. */
function failure(cause: unknown): MiddlewareResult {
  return { ok: false, error: getTRPCErrorFromUnknown(cause) };
}

/** Anything a call threw, as the TRPCError tRPC's adapters would answer with. */
export const toTRPCError: (cause: unknown) => TRPCError = getTRPCErrorFromUnknown;

/** Seam 4: the HTTP status tRPC gives an error (the REST API answers with the same one). */
export const httpStatusOf: (error: TRPCError) => number = getHTTPStatusCodeFromError;

// --- Seam 5: a GET of queries, answered as tRPC's adapter answers it -------------------------

/**
 * How an HTTP endpoint makes a call's context from its request: what it reads back of it is the
 * headers a procedure asked for (the native endpoint, the fast lane; the REST dispatcher's own type
 * adds what it passes in).
 */
export type ContextFactory = (opts: { req: IncomingMessage; res: ServerResponse }) => {
  responseHeaders?: Record<string, string | string[]>;
};

/** What tRPC's adapter sends with every answer, besides the procedures' own headers. */
export const TRPC_RESPONSE_HEADERS = { Vary: 'trpc-accept, accept', 'Content-Type': 'application/json' } as const;

export interface PlainQueryRequest {
  method: string;
  /** The request path below the tRPC prefix: `users.read` or `users.read,users.list`. */
  path: string;
  querystring: string;
  header: (name: string) => string;
}

export interface PlainQuery {
  batch: boolean;
  calls: Array<{ path: string; input: unknown }>;
}

/**
 * The request as a plain GET of known queries with well-formed JSON input, or undefined when
 * anything about it needs tRPC's own adapter: streaming (`trpc-accept`, or `application/jsonl`
 * among the accepted types, read as tRPC reads them), connection parameters, input tRPC would
 * refuse (malformed JSON, a batch input that is not an object), a mutation, an unknown name.
 */
export function readPlainQuery(
  table: ReadonlyMap<string, ProcedureInfo>,
  { method, path, querystring, header }: PlainQueryRequest,
): PlainQuery | undefined {
  if (method !== 'GET' || header('trpc-accept')) return undefined;
  if (
    header('accept') &&
    header('accept')
      .split(',')
      .some((type) => type.trim() === 'application/jsonl')
  ) {
    return undefined;
  }
  const params = new URLSearchParams(querystring);
  if (params.has('connectionParams') || params.getAll('input').length > 1) return undefined;
  const batch = params.get('batch') === '1';
  const names = path.split(',');
  if (!batch && names.length !== 1) return undefined;
  const raw = params.get('input');
  let inputs: unknown;
  try {
    inputs = raw ? JSON.parse(raw) : undefined;
  } catch {
    return undefined;
  }
  if (batch && inputs !== undefined && !isObject(inputs)) return undefined;
  const calls: PlainQuery['calls'] = [];
  for (const [index, name] of names.entries()) {
    if (table.get(name)?.type !== 'query') return undefined;
    calls.push({ path: name, input: batch ? (inputs as Record<number, unknown> | undefined)?.[index] : inputs });
  }
  return { batch, calls };
}

export interface PlainAnswer {
  status: number;
  /** The JSON text of the response body. */
  body: string;
}

/**
 * Calls the queries and builds the answer tRPC's adapter would send: the result or error shape
 * per call (a list for a batch), serialised by the router's transformer, and the status of the
 * whole (207 for a batch of mixed statuses).
 */
export async function answerPlainQuery(
  router: AnyRouter,
  { batch, calls }: PlainQuery,
  ctx: unknown,
  onError: (error: TRPCError) => void,
): Promise<PlainAnswer> {
  const config = router._def._config as Parameters<typeof transformTRPCResponse>[0];
  const call = async ({ path, input: raw }: PlainQuery['calls'][number], batchIndex: number): Promise<TRPCResponse> => {
    const input: unknown = raw === undefined ? undefined : (config.transformer.input.deserialize(raw) as unknown);
    try {
      return { result: { data: await callProcedure(router, { path, type: 'query', ctx, input, batchIndex }) } };
    } catch (cause) {
      const error = toTRPCError(cause);
      onError(error);
      const shape = getErrorShape({ config, ctx, error, input, path, type: 'query' }) as TRPCErrorShape;
      return { error: shape };
    }
  };
  // most requests are one call: no array of promises for them
  const results = calls.length === 1 ? [await call(calls[0]!, 0)] : await Promise.all(calls.map(call));
  return {
    status: getHTTPStatusCode(results),
    body: JSON.stringify(transformTRPCResponse(config, batch ? results : results[0]!)),
  };
}

/**
 * How many calls tRPC's adapter reads from a request: with `batch=1`, one per comma of the
 * percent-decoded path (`a%2Cb` is two), else one. A path that does not decode is left to the
 * adapter, which refuses it.
 */
export function callsInRequest(path: string, querystring: string): number {
  if (new URLSearchParams(querystring).get('batch') !== '1') return 1;
  try {
    return decodeURIComponent(path).split(',').length;
  } catch {
    return 1;
  }
}

/** A refusal of the whole request, before any call, as tRPC's adapter answers one. */
export function answerRequestError(router: AnyRouter, error: TRPCError): PlainAnswer {
  const config = router._def._config as Parameters<typeof transformTRPCResponse>[0];
  const shape = getErrorShape({
    config,
    ctx: undefined,
    error,
    input: undefined,
    path: undefined,
    type: 'unknown',
  }) as TRPCErrorShape;
  return { status: httpStatusOf(error), body: JSON.stringify(transformTRPCResponse(config, { error: shape })) };
}

/** tRPC's own test for an object input (arrays are not). */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// --- Seam 6: trpc-to-openapi's REST routes ----------------------------------------------------

export const REST_METHODS: readonly OpenApiMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export interface RestMatch<TMeta = unknown> {
  procedure: ProcedureInfo<TMeta>;
  /** The path parameters, as they appear in the path (not percent-decoded). */
  pathInput: Record<string, string>;
}

export interface RestRoutes<TMeta = unknown> {
  /** The procedure whose `openapi` route is `method path`. */
  match(method: string, path: string): RestMatch<TMeta> | undefined;
  /** The methods some procedure answers at `path` (for 405's `Allow`). */
  methodsAt(path: string): OpenApiMethod[];
}

/** The REST routes trpc-to-openapi derives from the procedures' `openapi` meta. */
export function restRoutes<TMeta = unknown>(router: AnyRouter): RestRoutes<TMeta> {
  const find = createProcedureCache(router as OpenApiRouter);
  const table = procedureTable<TMeta>(router);
  const match = (method: string, path: string): RestMatch<TMeta> | undefined => {
    const found = find(method as OpenApiMethod, normalizePath(path));
    const procedure = found?.procedure && table.get(found.procedure.path);
    return procedure && found ? { procedure, pathInput: found.pathInput } : undefined;
  };
  return {
    match,
    methodsAt: (path) => REST_METHODS.filter((method) => match(method, path)),
  };
}

/** Whether the operation's input travels in a JSON body (else in the query string). */
export const takesRequestBody: (method: OpenApiMethod) => boolean = acceptsRequestBody;
