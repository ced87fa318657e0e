// The seams in server/http/trpc-internals.ts: what this service relies on in tRPC and trpc-to-openapi
// beyond their documented API. Each test names the seam it checks, so an upgrade that changes
// one fails here, by name, rather than somewhere as a wrong answer. The plain GET queries the
// service answers without tRPC's adapter are compared, byte for byte, with what the adapter
// sends for the same request (`connectionParams` in the URL makes a request take the adapter).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { initTRPC, TRPCError, type AnyRouter, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import Koa from 'koa';
import { z } from 'zod';
import { appRouter } from '../router/app-router';
import { createContextInner } from '../router/trpc/context';
import { RequestDatabase } from '../server/database/request-database';
import { ReadUserInput, UserSchema } from '../router/users/user-schemas';
import { generateDocument } from '../server/http/openapi-document';
import { nativeTrpc } from '../server/http/trpc-native';
import {
  callProcedure,
  callThroughTrpc,
  CHECKED_VERSIONS,
  httpStatusOf,
  procedureTable,
  readPlainQuery,
  restRoutes,
  takesRequestBody,
} from '../server/http/trpc-internals';
import { newUserBody } from './support/fixtures';
import { ADMIN, startTestService, type TestService } from './support/service';

const ROOT = path.join(__dirname, '..');
const readJson = (file: string): any => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8'));
const input = (value: unknown) => encodeURIComponent(JSON.stringify(value));
/**
 * Headers that say nothing about the answer: the clock, the connection, this request's id, and
 * the framing (tRPC's adapter streams its body in chunks; the fast path sends it whole).
 */
const UNRELATED_HEADERS = new Set([
  'date',
  'connection',
  'keep-alive',
  'x-request-id',
  'content-length',
  'transfer-encoding',
]);

async function wire(response: Response) {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!UNRELATED_HEADERS.has(name)) headers[name] = value;
  });
  return { status: response.status, headers, body: await response.text() };
}

describe('tRPC internals (server/http/trpc-internals.ts)', () => {
  describe('the pinned versions', () => {
    it('are installed, exactly as package.json pins them and as the seams were read off', () => {
      const manifest = readJson('package.json');
      for (const [name, checked] of Object.entries(CHECKED_VERSIONS)) {
        const pinned = manifest.dependencies[name] ?? manifest.devDependencies[name];
        const installed = readJson(`node_modules/${name}/package.json`).version;
        const upgrade =
          `${name}: package.json pins ${pinned}, ${installed} is installed, the seams were read off ${checked}. ` +
          'On an upgrade, re-read every seam listed in the header of server/http/trpc-internals.ts against the new ' +
          'version (the code behind `unstable-core-do-not-import` changes in most minor releases), run this ' +
          'file, then update CHECKED_VERSIONS.';
        assert.match(String(pinned), /^\d+\.\d+\.\d+$/, `${upgrade} (the pin must be an exact version)`);
        assert.equal(installed, pinned, upgrade);
        assert.equal(checked, pinned, upgrade);
      }
    });
  });

  describe('seam 1: the procedure table', () => {
    const table = procedureTable<{ openapi?: { path: string; operationId: string } }>(appRouter);

    it('has every procedure by its dotted path, with its type, its meta and its input and output schemas', () => {
      const seam = 'seam 1 (router._def.procedures and each procedure’s _def) changed';
      const types = Object.fromEntries(
        ['users.list', 'users.read', 'users.create', 'users.update', 'users.delete', 'auth.login'].map((name) => [
          name,
          table.get(name)?.type,
        ]),
      );
      assert.deepEqual(
        types,
        {
          'users.list': 'query',
          'users.read': 'query',
          'users.create': 'mutation',
          'users.update': 'mutation',
          'users.delete': 'mutation',
          'auth.login': 'mutation',
        },
        seam,
      );
      assert.equal(table.get('users.read')?.meta?.openapi?.path, '/api/v2/users/{id}', seam);
      assert.equal(table.get('users.read')?.output, UserSchema, seam);
      assert.ok(table.get('users.delete')?.output instanceof z.ZodUndefined, seam);
      assert.equal(table.get('users.read')?.input, ReadUserInput, seam);
      for (const [name, procedure] of table) assert.equal(procedure.path, name, seam);
    });
  });

  describe('seam 2: a call through the middlewares, as tRPC’s own caller makes it', () => {
    const seam = 'seam 2 (tRPC’s procedure caller: how middlewares, next, ctx and input work) changed';
    const t = initTRPC.context<{ who: string; seen?: string[] }>().create();
    const noted = t.procedure.use(({ ctx, next }) => next({ ctx: { seen: [...(ctx.seen ?? []), 'noted'] } }));
    const router = t.router({
      echo: noted
        .input(z.object({ a: z.number() }))
        .input(z.object({ b: z.string().default('b') }))
        .output(z.object({ a: z.number(), b: z.string(), who: z.string(), seen: z.array(z.string()) }))
        .query(({ ctx, input: { a, b } }) => ({ a, b, who: ctx.who, seen: ctx.seen ?? [], dropped: 'by output' })),
      replaced: t.procedure
        .use(({ next }) => next({ input: { a: 7 } }))
        .input(z.object({ a: z.number() }))
        .query(({ input }) => input),
      badOutput: t.procedure.output(z.object({ n: z.number() })).query(() => ({ n: 'not a number' }) as never),
      throwsPlain: noted.query(() => {
        throw new Error('plain failure');
      }),
      throwsCode: noted.query(() => {
        throw new TRPCError({ code: 'CONFLICT', message: 'taken' });
      }),
      refusedFirst: t.procedure
        .use(() => {
          throw new TRPCError({ code: 'FORBIDDEN', message: 'no' });
        })
        .query(() => 'never'),
      write: noted.input(z.object({ a: z.number() })).mutation(({ input }) => input.a * 2),
    });
    const outcome = async (call: () => Promise<unknown>) => {
      try {
        return { data: await call() };
      } catch (error) {
        assert.ok(error instanceof TRPCError, seam);
        return { code: error.code, message: error.message, cause: error.cause?.message };
      }
    };
    const calls: Array<[string, 'query' | 'mutation', unknown]> = [
      ['echo', 'query', { a: 1 }],
      ['echo', 'query', { a: 1, b: 'x' }],
      ['echo', 'query', { a: 'one' }],
      ['echo', 'query', undefined],
      ['replaced', 'query', { a: 1 }],
      ['badOutput', 'query', undefined],
      ['throwsPlain', 'query', undefined],
      ['throwsCode', 'query', undefined],
      ['refusedFirst', 'query', undefined],
      ['write', 'mutation', { a: 2 }],
      ['write', 'query', { a: 2 }],
      ['nowhere', 'query', undefined],
    ];

    it('answers every call, success or failure, exactly as tRPC’s callTRPCProcedure does', async () => {
      for (const [path, type, input] of calls) {
        const ctx = { who: 'caller' };
        const ours = await outcome(() => callProcedure(router as AnyRouter, { path, type, ctx, input, batchIndex: 0 }));
        const theirs = await outcome(() =>
          callThroughTrpc({
            router,
            path,
            type,
            ctx,
            getRawInput: () => Promise.resolve(input),
            signal: undefined,
            batchIndex: 0,
          }),
        );
        assert.deepEqual(ours, theirs, `${path} (${type}): ${seam}`);
      }
    });
  });

  describe('with the service', () => {
    let service: TestService;
    let userId: string;
    let userToken: string;

    before(async () => {
      service = await startTestService();
      userId = (await service.caller().users.create(newUserBody())).id;
      // a user's token carries its credential epoch, as sign-in issues it
      const [row] = await service.sql<{ token_epoch: string }>('select token_epoch from users where id = ?', [userId]);
      userToken = service.tokens.issue({ id: userId, role: 'user', epoch: row?.token_epoch }).token;
    });
    after(() => service.close());

    const context = () =>
      createContextInner({
        ...service,
        db: new RequestDatabase(service.orm),
        principal: ADMIN,
        clientAddress: '127.0.0.1',
        requestHeaders: {},
      });

    describe('seam 2: calling a procedure', () => {
      const seam = 'seam 2 (callTRPCProcedure and its call options) changed';

      it('runs the procedure with its middlewares and input parsing', async () => {
        const user = await callProcedure(appRouter, {
          path: 'users.read',
          type: 'query',
          ctx: context(),
          input: { id: userId },
          batchIndex: 0,
        });
        assert.equal((user as { id: string }).id, userId, seam);
        await assert.rejects(
          callProcedure(appRouter, {
            path: 'users.read',
            type: 'query',
            ctx: context(),
            input: { id: 42 },
            batchIndex: 0,
          }),
          (error: unknown) => error instanceof TRPCError && error.code === 'BAD_REQUEST',
          seam,
        );
        const anonymous = { ...context(), principal: null, authProblem: 'missing bearer token' };
        await assert.rejects(
          callProcedure(appRouter, { path: 'users.list', type: 'query', ctx: anonymous, input: {}, batchIndex: 0 }),
          (error: unknown) => error instanceof TRPCError && error.code === 'UNAUTHORIZED',
          seam,
        );
      });

      it('refuses a procedure called as the wrong type', async () => {
        await assert.rejects(
          callProcedure(appRouter, { path: 'users.create', type: 'query', ctx: context(), input: {}, batchIndex: 0 }),
          (error: unknown) => error instanceof TRPCError && error.code === 'NOT_FOUND',
          seam,
        );
      });
    });

    describe('seams 3 to 5: plain GET queries, answered as tRPC’s adapter answers them', () => {
      const admin = () => ({ authorization: `Bearer ${service.adminToken}` });
      const user = () => ({ authorization: `Bearer ${userToken}` });
      /** [what, path below /trpc, headers, whether the fast path answers it] */
      const requests = (): Array<[string, string, Record<string, string>, boolean]> => [
        ['a read', `users.read?input=${input({ id: userId })}`, admin(), true],
        ['an unknown id (404)', `users.read?input=${input({ id: 'nobody' })}`, admin(), true],
        ['a bad input (400)', `users.read?input=${input({ id: 42 })}`, admin(), true],
        ['no input', `users.list`, admin(), true],
        ['no token (401)', `users.list?input=${input({})}`, {}, true],
        ['a user token where admin is required (403)', `users.list?input=${input({})}`, user(), true],
        ['a user reading themself', `users.read?input=${input({ id: userId })}`, user(), true],
        [
          'a batch',
          `users.read,users.list?batch=1&input=${input({ 0: { id: userId }, 1: { limit: 1 } })}`,
          admin(),
          true,
        ],
        [
          'a batch with an error (207)',
          `users.read,users.read?batch=1&input=${input({ 0: { id: userId }, 1: { id: 'x' } })}`,
          admin(),
          true,
        ],
        [
          'a batch of errors',
          `users.read,users.read?batch=1&input=${input({ 0: { id: 'x' }, 1: { id: 'y' } })}`,
          admin(),
          true,
        ],
        ['a batch without input', `users.list?batch=1`, admin(), true],
        // tRPC's adapter answers these itself: the fast path must leave them to it
        ['a batch whose input is a list', `users.read?batch=1&input=${input([{ id: userId }])}`, admin(), false],
        ['a batch whose input is a string', `users.read?batch=1&input=${input('x')}`, admin(), false],
        ['malformed JSON input', `users.read?input=%7Bid`, admin(), false],
        [
          'a stream accepted by Accept (not batched)',
          `users.read?input=${input({ id: userId })}`,
          { ...admin(), accept: 'text/html, application/jsonl' },
          false,
        ],
        [
          'a stream accepted by Accept (batched)',
          `users.read?batch=1&input=${input({ 0: { id: userId } })}`,
          { ...admin(), accept: 'application/jsonl' },
          false,
        ],
        [
          'a stream asked for by trpc-accept',
          `users.read?batch=1&input=${input({ 0: { id: userId } })}`,
          { ...admin(), 'trpc-accept': 'application/jsonl' },
          false,
        ],
        ['several names without batch=1', `users.read,users.list?input=${input({ id: userId })}`, admin(), false],
        ['an unknown name in a batch', `users.read,nope?batch=1&input=${input({ 0: { id: userId } })}`, admin(), false],
        ['a mutation', `users.delete?input=${input({ id: userId })}`, admin(), false],
      ];

      async function answer(pathAndQuery: string, headers: Record<string, string>, viaAdapter: boolean) {
        const separator = pathAndQuery.includes('?') ? '&' : '?';
        const url = `${service.baseUrl}/trpc/${pathAndQuery}${viaAdapter ? `${separator}connectionParams=null` : ''}`;
        return wire(await fetch(url, { headers }));
      }

      it('answers every kind of query exactly as tRPC’s adapter does: status, headers and body', async () => {
        for (const [what, pathAndQuery, headers] of requests()) {
          const fast = await answer(pathAndQuery, headers, false);
          const adapter = await answer(pathAndQuery, headers, true);
          assert.deepEqual(
            fast,
            adapter,
            `${what}: the fast path no longer answers as tRPC's adapter does (seams 3 to 5: the error shape, ` +
              'the status, the serialised response, which requests are plain JSON)',
          );
        }
      });

      it('answers the plain queries itself and leaves everything else to the adapter', () => {
        const table = procedureTable(appRouter);
        for (const [what, pathAndQuery, headers, fast] of requests()) {
          const [procedurePath = '', querystring = ''] = pathAndQuery.split('?');
          const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
          const query = readPlainQuery(table, {
            method: 'GET',
            path: procedurePath,
            querystring,
            header: (name) => lower[name] ?? '',
          });
          assert.equal(query !== undefined, fast, what);
        }
      });

      it('covers successes and failures alike', async () => {
        const fast = requests().filter(([, , , plain]) => plain);
        const statuses = await Promise.all(
          fast.map(async ([, pathAndQuery, headers]) => (await answer(pathAndQuery, headers, false)).status),
        );
        assert.deepEqual([...new Set(statuses)].sort(), [200, 207, 400, 401, 403, 404]);
      });
    });

    describe('seam 4: the REST API’s statuses are tRPC’s', () => {
      const promised: Partial<Record<TRPC_ERROR_CODE_KEY, number>> = {
        BAD_REQUEST: 400,
        UNAUTHORIZED: 401,
        FORBIDDEN: 403,
        NOT_FOUND: 404,
        CONFLICT: 409,
        PAYLOAD_TOO_LARGE: 413,
        UNSUPPORTED_MEDIA_TYPE: 415,
        TOO_MANY_REQUESTS: 429,
        INTERNAL_SERVER_ERROR: 500,
        SERVICE_UNAVAILABLE: 503,
      };

      it('maps each error code the service throws to the status the REST API documents', () => {
        const mapped = Object.fromEntries(
          Object.keys(promised).map((code) => [
            code,
            httpStatusOf(new TRPCError({ code: code as TRPC_ERROR_CODE_KEY })),
          ]),
        );
        assert.deepEqual(mapped, promised, 'seam 4 (getHTTPStatusCodeFromError) maps error codes differently');
      });

      it('answers the same failure with the same status over REST as over tRPC’s adapter', async () => {
        const taken = newUserBody();
        await service.caller().users.create(taken);
        const duplicate = newUserBody({ email: taken.email });
        const cases: Array<[string, Request, Request]> = [
          [
            'an unknown id',
            restRequest('GET', '/api/v2/users/nobody', service.adminToken),
            trpcRequest('GET', `users.read?connectionParams=null&input=${input({ id: 'nobody' })}`, service.adminToken),
          ],
          [
            'a bad query',
            restRequest('GET', '/api/v2/users?limit=abc', service.adminToken),
            trpcRequest('GET', `users.list?connectionParams=null&input=${input({ limit: 'abc' })}`, service.adminToken),
          ],
          [
            'no token',
            restRequest('GET', '/api/v2/users', null),
            trpcRequest('GET', `users.list?connectionParams=null&input=${input({})}`, null),
          ],
          [
            'a user token where admin is required',
            restRequest('GET', '/api/v2/users', userToken),
            trpcRequest('GET', `users.list?connectionParams=null&input=${input({})}`, userToken),
          ],
          [
            'a duplicate email',
            restRequest('POST', '/api/v2/users', service.adminToken, duplicate),
            trpcRequest('POST', 'users.create', service.adminToken, duplicate),
          ],
        ];
        const statuses = new Set<number>();
        for (const [what, rest, trpc] of cases) {
          const [restAnswer, trpcAnswer] = await Promise.all([fetch(rest), fetch(trpc)]);
          const shape = (await trpcAnswer.json()) as { error?: { data?: { httpStatus?: number } } };
          assert.equal(restAnswer.status, trpcAnswer.status, `${what}: seam 4 (the REST status mapping) drifted`);
          assert.equal(shape.error?.data?.httpStatus, restAnswer.status, what);
          statuses.add(restAnswer.status);
        }
        assert.deepEqual([...statuses].sort(), [400, 401, 403, 404, 409]);
      });

      function restRequest(method: string, pathAndQuery: string, token: string | null, body?: unknown): Request {
        return new Request(`${service.baseUrl}${pathAndQuery}`, {
          method,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
      }
      function trpcRequest(method: string, pathAndQuery: string, token: string | null, body?: unknown): Request {
        return restRequest(method, `/trpc/${pathAndQuery}`, token, body);
      }
    });
  });

  describe('seam 4 with a rate limit: the same 429 and Retry-After on both', () => {
    let service: TestService;
    before(async () => {
      service = await startTestService({ LOGIN_MAX_CONSECUTIVE_FAILS: '1' });
    });
    after(() => service.close());

    it('answers a limited sign-in with 429 and Retry-After over REST and over tRPC', async () => {
      const body = JSON.stringify({ email: 'limited@example.com', password: 'wrong' });
      const post = (url: string) =>
        fetch(`${service.baseUrl}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      assert.equal((await post('/api/v2/auth/token')).status, 401);
      const rest = await post('/api/v2/auth/token');
      const trpc = await post('/trpc/auth.login');
      assert.equal(rest.status, 429);
      assert.equal(trpc.status, 429, 'seam 4: tRPC’s adapter and the REST API disagree on TOO_MANY_REQUESTS');
      assert.ok(Number(rest.headers.get('retry-after')) >= 1);
      assert.ok(Number(trpc.headers.get('retry-after')) >= 1, 'the procedure’s headers reach tRPC’s answer');
    });
  });

  describe('seam 5 with a transformer: input decoded and output encoded as the adapter does', () => {
    // a router of its own, because the service's has no transformer: every value travels
    // wrapped, so a fast path that skipped the transformer would answer differently
    const t = initTRPC.create({
      isDev: false, // stacks differ between the two paths
      transformer: {
        serialize: (value: unknown) => ({ wrapped: value }),
        deserialize: (value: unknown) => (value as { wrapped: unknown }).wrapped,
      },
    });
    const router = t.router({
      echo: t.procedure.input(z.object({ text: z.string() })).query(({ input: { text } }) => ({ said: text })),
      fail: t.procedure.query(() => {
        throw new TRPCError({ code: 'CONFLICT', message: 'not now' });
      }),
    });
    let server: ReturnType<Koa['listen']>;
    let baseUrl: string;

    before(async () => {
      const app = new Koa();
      app.use(nativeTrpc({ router, createContext: () => ({}), prefix: '/trpc', bodyLimit: 1024, maxBatch: 10 }));
      server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc`;
    });
    after(() => new Promise((resolve) => server.close(resolve)));

    it('answers exactly as tRPC’s adapter does', async () => {
      const cases = [
        `echo?input=${input({ wrapped: { text: 'hi' } })}`,
        `echo,fail?batch=1&input=${input({ 0: { wrapped: { text: 'hi' } } })}`,
        `echo?input=${input({ wrapped: { text: 42 } })}`,
      ];
      const table = procedureTable(router);
      for (const pathAndQuery of cases) {
        const [procedurePath = '', querystring = ''] = pathAndQuery.split('?');
        assert.ok(readPlainQuery(table, { method: 'GET', path: procedurePath, querystring, header: () => '' }));
        const fast = await wire(await fetch(`${baseUrl}/${pathAndQuery}`));
        const adapter = await wire(await fetch(`${baseUrl}/${pathAndQuery}&connectionParams=null`));
        assert.deepEqual(fast, adapter, `${pathAndQuery}: seam 5 (the router’s transformer) is applied differently`);
      }
      const echoed = await (await fetch(`${baseUrl}/${cases[0]}`)).json();
      assert.deepEqual(echoed, { result: { data: { wrapped: { said: 'hi' } } } });
    });
  });

  describe('seam 5 with a refused batch: one error for the whole request, as tRPC’s adapter refuses one', () => {
    const t = initTRPC.create({
      isDev: false,
      transformer: {
        serialize: (value: unknown) => ({ wrapped: value }),
        deserialize: (value: unknown) => (value as { wrapped: unknown }).wrapped,
      },
    });
    const router = t.router({ echo: t.procedure.query(() => 'echo'), note: t.procedure.mutation(() => 'noted') });
    const servers: Array<ReturnType<Koa['listen']>> = [];
    let ours: string;
    let theirs: string;
    const listen = async (app: Koa) => {
      const server = app.listen(0, '127.0.0.1');
      servers.push(server);
      await new Promise((resolve) => server.once('listening', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc`;
    };

    before(async () => {
      ours = await listen(
        new Koa().use(nativeTrpc({ router, createContext: () => ({}), prefix: '/trpc', bodyLimit: 1024, maxBatch: 2 })),
      );
      // tRPC's own adapter with its own bound
      theirs = await listen(
        new Koa().use(async (ctx) => {
          ctx.respond = false;
          ctx.res.statusCode = 200;
          await nodeHTTPRequestHandler({
            req: ctx.req,
            res: ctx.res,
            path: ctx.path.slice('/trpc/'.length),
            router,
            createContext: () => ({}),
            maxBatchSize: 2,
          });
        }),
      );
    });
    after(() => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))));

    it('counts the calls as the adapter does (GET and POST, commas encoded or not) and answers in its shape', async () => {
      const cases: Array<[string, string]> = [
        ['GET', 'echo,echo,echo?batch=1'],
        ['GET', 'echo%2Cecho%2Cecho?batch=1'],
        ['POST', 'note,note,note?batch=1'],
        ['POST', 'note%2cnote%2Cnote?batch=1'],
      ];
      for (const [method, pathAndQuery] of cases) {
        const init: RequestInit =
          method === 'POST' ? { method, body: '{}', headers: { 'content-type': 'application/json' } } : {};
        const mine = await wire(await fetch(`${ours}/${pathAndQuery}`, init));
        const adapter = await wire(await fetch(`${theirs}/${pathAndQuery}`, init));
        assert.equal(mine.status, 400, `${method} ${pathAndQuery}`);
        assert.match(mine.body, /a batch may hold at most 2 calls \(TRPC_MAX_BATCH\); this one has 3/);
        // the same answer but for the message, which names the bound and the setting, and the
        // type: the adapter labels this JSON body text/plain (tRPC's client reads it as JSON either way)
        const theirMessage = 'Batch call exceeds maximum size';
        assert.equal(adapter.headers['content-type'], 'text/plain;charset=UTF-8', 'seam 5: the adapter’s refusal');
        assert.deepEqual(
          {
            ...mine,
            headers: { ...mine.headers, 'content-type': adapter.headers['content-type'] },
            body: mine.body.replace('a batch may hold at most 2 calls (TRPC_MAX_BATCH); this one has 3', theirMessage),
          },
          adapter,
          `${method} ${pathAndQuery}: seam 5 (how the adapter counts a batch, or answers its refusal) changed`,
        );
      }
      // a batch at the bound is answered, call by call
      const allowed = await fetch(`${ours}/echo,echo?batch=1`);
      assert.equal(allowed.status, 200);
      assert.equal((await allowed.json()).length, 2);
    });
  });

  describe('seam 6: trpc-to-openapi’s REST routes', () => {
    const routes = restRoutes<{ openapi?: { operationId: string } }>(appRouter);
    const seam = 'seam 6 (trpc-to-openapi’s createProcedureCache) matches differently';

    it('routes every operation of the generated document to the procedure it documents', () => {
      const document = generateDocument();
      let operations = 0;
      for (const [template, item] of Object.entries(document.paths ?? {})) {
        for (const [method, operation] of Object.entries(item as Record<string, { operationId?: string }>)) {
          const concrete = template.replace(/\{[^}]+\}/g, 'some-id');
          const match = routes.match(method.toUpperCase(), concrete);
          assert.equal(
            match?.procedure.meta?.openapi?.operationId,
            operation.operationId,
            `${method} ${template}: ${seam}`,
          );
          operations += 1;
        }
      }
      assert.ok(operations >= 6);
    });

    it('matches as the REST API always has: any case, a trailing slash ignored, path parameters raw', () => {
      assert.deepEqual({ ...routes.match('GET', '/api/v2/users/a%20b')?.pathInput }, { id: 'a%20b' }, seam);
      assert.equal(routes.match('GET', '/API/V2/USERS/x')?.procedure.path, 'users.read', seam);
      assert.equal(routes.match('GET', '/api/v2/users/')?.procedure.path, 'users.list', seam);
      assert.equal(routes.match('GET', '/api/v2/users/x/y'), undefined, seam);
      assert.equal(routes.match('POST', '/api/v2/users/x'), undefined, seam);
      assert.equal(routes.match('PATCH', '/api/v2/users/x')?.procedure.path, 'users.patch', seam);
      assert.deepEqual(routes.methodsAt('/api/v2/users/x'), ['GET', 'PUT', 'PATCH', 'DELETE'], seam);
    });

    it('reads the input from a JSON body for POST, PUT and PATCH only', () => {
      const withBody = (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).filter(takesRequestBody);
      assert.deepEqual(withBody, ['POST', 'PUT', 'PATCH'], 'seam 6 (trpc-to-openapi’s acceptsRequestBody) changed');
    });
  });
});
