// The read path answered on node:http, before Koa (issue 23, second pass): a GET of the REST API
// that a query procedure answers in one JSON body (users.read, the account status, a page of the
// list; not a list that may be streamed, not a redirect), and a plain tRPC GET of queries (what
// httpBatchLink sends for reads). Everything else, and these too when CORS is configured or the URL is anything but
// plain, goes to Koa. Why: Koa's context, the listeners its response tracking adds, and six
// promise levels of middleware are garbage each read keeps alive while it waits for PostgreSQL,
// which the garbage collector copies on every young collection (docs/performance.md, issue 23).
//
// What a request answered here gets is what the Koa path gives it, step for step: the same request
// record (X-Request-Id, the log line, the metrics: server/ops/request-log.ts), the same security
// headers (./security-headers.ts), the same route table and input rules as the REST dispatcher
// (./rest/rest-api.ts), the same answers as the native tRPC endpoint (./trpc-native.ts, through
// ./trpc-internals.ts), the same error bodies, and the body and headers Koa would write (Content-Type
// and Content-Length; none of them on a 204 or 304). test/fast-lane.test.ts holds the two paths to
// the same answers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnyRouter, TRPCError } from '@trpc/server';
import { loggableError } from '../../router/trpc/api-errors';
import type { Meta } from '../../router/trpc/procedures';
import type { RequestRecord } from '../ops/request-log';
import { noteRequest } from '../ops/request-notes';
import { hiddenKeys, JSON_TYPE, matchesIfNoneMatch, queryCallInput, refusalOf } from './rest/rest-api';
import { errorBody } from './rest/rest-errors';
import type { HeaderSetter } from './security-headers';
import {
  answerPlainQuery,
  callProcedure,
  callsInRequest,
  procedureTable,
  readPlainQuery,
  restRoutes,
  toTRPCError,
  TRPC_RESPONSE_HEADERS,
  type ContextFactory,
  type PlainQuery,
  type ProcedureInfo,
} from './trpc-internals';

export interface FastLaneOptions {
  router: AnyRouter;
  createContext: ContextFactory;
  record: RequestRecord;
  securityHeaders: HeaderSetter;
  /** Whether the fixed routes (server/http/routes.ts) own a path: those are Koa's. */
  pages: { claims(path: string): boolean };
  restPrefix: string;
  trpcPrefix: string;
  maxBatch: number;
}

/** A handler that answers the request and says true, or says false and leaves it untouched for Koa. */
export type Lane = (req: IncomingMessage, res: ServerResponse) => boolean;

// a URL Koa's parser (parseurl) surely reads as a split at '?' does: a path of printable ASCII
// without a fragment; anything else (an absolute form, '#', spaces, other bytes) goes to Koa
const PLAIN_URL = /^\/[!"$-~]*$/;

export function fastLane(options: FastLaneOptions): Lane {
  const { router, createContext, record, securityHeaders, pages, restPrefix, trpcPrefix, maxBatch } = options;
  const routes = restRoutes<Meta>(router);
  const procedures = procedureTable(router);
  const hidden = hiddenKeys();
  const restFrom = `${restPrefix}/`;
  const securityNames = securityHeaders.pairs.map(([name]) => name.toLowerCase());
  const securityFlat = securityHeaders.pairs.flat();
  const trpcFrom = `${trpcPrefix}/`;

  return (req, res) => {
    const url = req.url ?? '';
    if (req.method !== 'GET' || !PLAIN_URL.test(url)) return false;
    const at = url.indexOf('?');
    const path = at < 0 ? url : url.slice(0, at);
    const querystring = at < 0 ? '' : url.slice(at + 1);
    if (path.startsWith(restFrom)) {
      if (pages.claims(path)) return false;
      const match = routes.match('GET', path);
      const rest = match?.procedure.meta?.rest;
      if (!match || match.procedure.type !== 'query' || rest?.redirect || rest?.ifMatch) return false;
      const input = restInput(match.procedure, match.pathInput, querystring);
      // a list that may be streamed needs Koa's sink (./rest/list-stream.ts); a page does not
      if (rest?.stream?.(input)) return false;
      void answer(
        req,
        res,
        (head) => restRead(req, res, head, match.procedure, input),
        () => [JSON_TYPE, JSON.stringify(errorBody('internal server error'))],
      );
      return true;
    }
    if (path.startsWith(trpcFrom)) {
      const name = path.slice(trpcFrom.length);
      // more calls than allowed: the native endpoint refuses them, with its message
      if (callsInRequest(name, querystring) > maxBatch) return false;
      const query = readPlainQuery(procedures, {
        method: 'GET',
        path: name,
        querystring,
        header: (header) => headerOf(req, header),
      });
      if (!query) return false;
      void answer(
        req,
        res,
        (head) => trpcRead(req, res, head, name, query),
        () => ['text/plain; charset=utf-8', 'Internal Server Error'],
      );
      return true;
    }
    return false;
  };

  /**
   * The request record around `serve` (which answers and says with what status), with the request
   * id and the security headers first. A throw, with nothing written yet, is answered as the Koa
   * path answers one: the REST API's error body (./rest/rest-errors.ts), Koa's plain 500 for tRPC.
   */
  async function answer(
    req: IncomingMessage,
    res: ServerResponse,
    serve: (head: Head) => Promise<number>,
    failure: () => [type: string, body: string],
  ): Promise<void> {
    const started = record.begin(req);
    const head = new Head(securityNames, securityFlat);
    head.set('X-Request-Id', started.reqId);
    let status: number;
    try {
      status = await serve(head);
    } catch (error) {
      noteRequest(req, { error: loggableError(error) });
      status = 500;
      if (res.headersSent) {
        res.end();
      } else {
        const [type, body] = failure();
        head.set('Content-Type', type);
        head.write(res, status, body);
      }
    }
    record.end(req, started, status);
  }

  /** The procedure's input as the REST dispatcher reads it: the query, the path parameters over it. */
  function restInput(
    procedure: ProcedureInfo<Meta>,
    pathInput: Record<string, string>,
    querystring: string,
  ): Record<string, unknown> {
    const input = queryCallInput(querystring, pathInput);
    for (const key of hidden(procedure)) delete input[key];
    return input;
  }

  /** The REST dispatcher's answer (./rest/rest-api.ts), for a GET of a query. */
  async function restRead(
    req: IncomingMessage,
    res: ServerResponse,
    head: Head,
    procedure: ProcedureInfo<Meta>,
    input: Record<string, unknown>,
  ): Promise<number> {
    const { meta } = procedure;
    noteRequest(req, { route: meta?.openapi?.path, operation: procedure.path });
    const context = createContext({ req, res });
    let status: number;
    let body: string | undefined;
    try {
      const data = await callProcedure(router, {
        path: procedure.path,
        type: 'query',
        ctx: context,
        input,
        batchIndex: 0,
      });
      if (data === undefined) {
        status = 204;
      } else if (
        meta?.rest?.etag &&
        matchesIfNoneMatch(headerOf(req, 'if-none-match'), context.responseHeaders?.ETag)
      ) {
        status = 304;
      } else {
        status = meta?.rest?.status ?? 200;
        head.set('Content-Type', JSON_TYPE);
        body = JSON.stringify(data);
      }
    } catch (cause) {
      const refusal = refusalOf(req, toTRPCError(cause), headerOf(req, 'authorization') !== '');
      status = refusal.status;
      if (refusal.challenge) head.set('WWW-Authenticate', refusal.challenge);
      head.set('Content-Type', JSON_TYPE);
      body = JSON.stringify(refusal.body);
    }
    head.setAll(context.responseHeaders);
    head.write(res, status, body);
    return status;
  }

  /** The native tRPC endpoint's answer to a plain GET of queries (./trpc-native.ts). */
  async function trpcRead(
    req: IncomingMessage,
    res: ServerResponse,
    head: Head,
    name: string,
    query: PlainQuery,
  ): Promise<number> {
    // unknown names are not echoed into logs and metrics
    const operation = name
      .split(',')
      .map((call) => (procedures.has(call) ? call : 'unknown'))
      .join(',');
    noteRequest(req, { route: `${trpcPrefix}/${operation}`, operation });
    const context = createContext({ req, res });
    const answer = await answerPlainQuery(router, query, context, (error: TRPCError) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') noteRequest(req, { error: loggableError(error) });
    });
    head.setAll(TRPC_RESPONSE_HEADERS);
    head.setAll(context.responseHeaders);
    head.write(res, answer.status, answer.body);
    return answer.status;
  }
}

/** A request header as Koa's `ctx.get` reads it: `''` when absent. */
function headerOf(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value.join(', ') : value) ?? '';
}

/**
 * A response's headers, gathered as Koa's `ctx.set` would leave them (a later value for a name, in
 * any case, replaces the earlier) and written in one `writeHead`: no header object per response.
 */
class Head {
  /** The names in lower case, at the index of their pair. */
  private readonly names: string[];
  /** Name, value, name, value…: what `writeHead` takes. */
  private readonly flat: Array<string | string[]>;

  constructor(names: readonly string[], flat: ReadonlyArray<string | string[]>) {
    this.names = names.slice();
    this.flat = flat.slice();
  }

  set(name: string, value: string | string[]): void {
    const lower = name.toLowerCase();
    const at = this.names.indexOf(lower);
    if (at < 0) {
      this.names.push(lower);
      this.flat.push(name, value);
    } else {
      this.flat[2 * at] = name;
      this.flat[2 * at + 1] = value;
    }
  }

  /** Values as Koa sets them: as strings. */
  setAll(headers: Readonly<Record<string, string | readonly string[] | number>> | undefined): void {
    if (!headers) return;
    for (const name in headers) {
      const value = headers[name]!;
      this.set(name, Array.isArray(value) ? value.map(String) : String(value));
    }
  }

  /**
   * The body as Koa writes it: none on a 204 or 304 (nor the headers that would describe one),
   * else its type (text unless one is set) and length.
   */
  write(res: ServerResponse, status: number, body: string | undefined): void {
    if (status === 204 || status === 304 || body === undefined) {
      for (const name of ['content-type', 'content-length', 'transfer-encoding']) {
        const at = this.names.indexOf(name);
        if (at >= 0) {
          this.names.splice(at, 1);
          this.flat.splice(2 * at, 2);
        }
      }
      res.writeHead(status, this.flat as string[]);
      res.end();
      return;
    }
    if (!this.names.includes('content-type')) this.set('Content-Type', 'text/plain; charset=utf-8');
    this.set('Content-Length', String(Buffer.byteLength(body)));
    res.writeHead(status, this.flat as string[]);
    res.end(body);
  }
}
