// tRPC is initialised here, once. Everything else builds procedures from these exports.
import { initTRPC, TRPCError } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import type { ZodType } from 'zod';
import type { Context } from './context';
import { assertSessionValid, SessionCheck } from './session-check';
import { withDeadline, type Deadline } from './deadline';
import { badRequest, fromDatabaseError, fromHashError, publicMessage, reauthenticationOf } from './api-errors';
import { nulAt } from './storable-text';
import type { Principal } from '../../server/crypto/token-service';
import type { ContractVersion } from './common-schemas';

export interface Meta extends OpenApiMeta {
  /** The named schema a REST client sends as this operation's body (see server/http/openapi-document.ts). */
  requestBody?: ZodType;
  /** The contract version that added this operation (the document of an older one leaves it out). */
  since?: ContractVersion;
  /**
   * How REST answers success when it is not a plain 200 with the output as JSON: `status` 202,
   * or `redirect`, a 302 to the output's `location` (browser flows such as OAuth2); `stream`: a
   * long answer may be written as it is read (the list, server/http/rest/list-stream.ts), and
   * whether this request's may be, told from its query as sent (before validation; true when in
   * doubt): the REST dispatcher gives a sink to those that may, the fast lane
   * (server/http/fast-lane.ts) answers those that cannot.
   * And what else the operation does over HTTP, for the dispatcher and the document alike (all
   * since 2.1.0): `etag`, its answer carries an ETag (a GET then answers a matching If-None-Match
   * with 304); `ifMatch`, it takes If-Match (412 when it no longer matches); `link`, a page with
   * more after it carries `Link: <…>; rel="next"`; `bodyType`, the media type of its body when
   * it is not application/json. `oauth2`: an OAuth 2.0 token endpoint (RFC 6749): its client may
   * authenticate with HTTP Basic (`client_id` and `client_secret` of the input), and its refusals
   * carry RFC 6749's `error` beside `code` and `msg` (server/http/rest/oauth2-endpoint.ts).
   */
  rest?: {
    status?: 202;
    redirect?: true;
    stream?: (query: Readonly<Record<string, unknown>>) => boolean;
    etag?: true;
    ifMatch?: true;
    link?: true;
    bodyType?: 'application/merge-patch+json' | 'application/x-www-form-urlencoded';
    oauth2?: true;
  };
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // stacks reach callers only in development
    isDev: process.env.NODE_ENV === 'development',
    // a refusal that asks for a fresh sign-in says so in `data`, for a frontend to recognise
    // (REST says it in WWW-Authenticate)
    errorFormatter: ({ shape, error }) => {
      const stepUp = reauthenticationOf(error);
      return {
        ...shape,
        message: publicMessage(error),
        data: { ...shape.data, ...(stepUp ? { reauthenticate: { maxAgeSeconds: stepUp.maxAgeSeconds } } : {}) },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * What every procedure call goes through, in one middleware (each tRPC middleware level copies
 * the call's options, which shows on a read's profile): the access check, a deadline that cuts
 * the call with a clean 503 at the request timeout (and ends, with the client, the work it waits
 * for), and database and hashing failures that mean something to the caller (duplicate, not
 * found, unreachable, too busy to hash) turned into that error.
 */
async function guard<R extends { ok: boolean; error?: TRPCError }>(
  ctx: Context,
  getRawInput: () => Promise<unknown>,
  run: (deadline: Deadline) => Promise<R>,
): Promise<R> {
  // before the input's own rules, which it would otherwise reach PostgreSQL past (./storable-text.ts)
  const nul = nulAt(await getRawInput());
  if (nul !== undefined) throw badRequest(`${nul}: must not contain the NUL character (U+0000)`);
  let result: R;
  try {
    result = await withDeadline(ctx.requestTimeoutMs, run, ctx.onClientGone);
  } catch (error) {
    // thrown by the guard's own work (the session check), not by the procedure
    throw fromDatabaseError(error) ?? error;
  }
  if (!result.ok) {
    const cause = result.error?.cause;
    const mapped = fromDatabaseError(cause) ?? fromHashError(cause, ctx.responseHeaders);
    if (mapped) throw mapped;
  }
  return result;
}

/**
 * A read-only machine client (router/clients, `access: read`) reads what an admin reads and writes
 * nothing: every mutation is refused it, before anything runs. Mutations are exactly the writes
 * (every read is a query), so one rule covers every route, present and future.
 */
function refuseReadOnlyWrite(principal: Principal, type: string): void {
  if (principal.readOnly && type !== 'query') {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'this client may only read (it was registered with access: read)',
    });
  }
}

function signedIn(ctx: Context): Principal {
  if (!ctx.principal) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: ctx.authProblem ?? 'missing bearer token' });
  }
  return ctx.principal;
}

export const publicProcedure = t.procedure.use(({ ctx, next, type, getRawInput }) =>
  guard(ctx, getRawInput, async (deadline) => {
    const result = await next({ ctx: { deadline } });
    // a sign-in that wrote (a completed TOTP enrollment) names whom it affects
    if (type === 'mutation' && result.ok) await ctx.db.wrote();
    return result;
  }),
);

// A signed token is not yet a valid session: logout and credential changes are checked in the
// database on every call (router/trpc/session-check, router/auth/revocation). A mutation that
// succeeded is a write its caller (and whoever it names with `db.affects`) must read back at once,
// even with replicas.
export const protectedProcedure = t.procedure.use(({ ctx, next, type, getRawInput }) => {
  const principal = signedIn(ctx);
  refuseReadOnlyWrite(principal, type);
  return guard(ctx, getRawInput, async (deadline) => {
    await assertSessionValid(ctx.db, principal);
    const result = await next({ ctx: { deadline, principal } });
    if (type === 'mutation' && result.ok) await ctx.db.wrote(principal.id);
    return result;
  });
});

export const adminProcedure = t.procedure.use(({ ctx, next, type, getRawInput }) => {
  const principal = signedIn(ctx);
  if (principal.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'admin role required' });
  refuseReadOnlyWrite(principal, type);
  return guard(ctx, getRawInput, async (deadline) => {
    await assertSessionValid(ctx.db, principal);
    const result = await next({ ctx: { deadline, principal } });
    if (type === 'mutation' && result.ok) await ctx.db.wrote(principal.id);
    return result;
  });
});

/**
 * A read whose statement may carry the session check itself (issue 23: one round trip): the call
 * reads through a database view gated by its `SessionCheck`, which a read folds into its statement
 * (`sessionCheck.fold()`); every other statement of the call waits for the check, and makes it when
 * nothing has. A call that answers without having made it (refused before any read) makes it
 * afterwards, and its refusal is the answer: a revoked caller gets 401 whatever else it asked for.
 * Queries only: the unit of work cannot wait for the gate.
 */
export const protectedReadProcedure = t.procedure.use(({ ctx, next, getRawInput }) => {
  const principal = signedIn(ctx);
  return guard(ctx, getRawInput, async (deadline) => {
    const check = new SessionCheck(ctx.db, principal);
    const result = await next({ ctx: { deadline, principal, db: ctx.db.gated(check), sessionCheck: check } });
    if (check.closed) await check.passed();
    return result;
  });
});

export const adminReadProcedure = t.procedure.use(({ ctx, next, getRawInput }) => {
  const principal = signedIn(ctx);
  if (principal.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'admin role required' });
  return guard(ctx, getRawInput, async (deadline) => {
    const check = new SessionCheck(ctx.db, principal);
    const result = await next({ ctx: { deadline, principal, db: ctx.db.gated(check), sessionCheck: check } });
    if (check.closed) await check.passed();
    return result;
  });
});
