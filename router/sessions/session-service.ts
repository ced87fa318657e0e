// What sessions do: begin one at the end of every sign-in (router/auth/access-token), renew it
// with a refresh token that is spent by its use (rotation), end it on reuse, list and end them.
// Times come from the service's clock, so tests can move them. A refresh keeps the `auth_time` of
// the sign-in that began the session: renewing is not signing in again (router/users/step-up).
import { readTokenMetadata, tokenMetadataOf } from '../metadata/token-claims';
import type { MetadataObject } from '../metadata/metadata-schemas';
import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../trpc/context';
import { UUID_PATTERN } from '../trpc/common-schemas';
import { randomToken } from '../../server/crypto/secret-box';
import type { Principal, Role } from '../../server/crypto/token-service';
import { cookieToken, setRefreshCookie, wantsCookie } from './refresh-cookie';
import { summariseUserAgent } from './user-agent';
import {
  deleteSession,
  deleteSessionsOf,
  endRefusedSession,
  insertSession,
  listSessions,
  rotateToken,
  type RefreshTimes,
  type SessionMethod,
} from './sessions-store';
import type { RefreshedToken, SessionList } from './session-schemas';
import { recordEvent } from '../events/events-store';
import { eventOrigin } from '../events/event-origin';

/** What sessions need of a call's context. */
export type SessionContext = Pick<
  Context,
  | 'db'
  | 'tokens'
  | 'clock'
  | 'secrets'
  | 'clientAddress'
  | 'requestHeaders'
  | 'responseHeaders'
  | 'sessionSettings'
  | 'principal'
  | 'requestId'
  | 'tokenAppMetadata'
>;

const TOKEN_PURPOSE = 'refresh-token';
/** A token spent less than this long ago was spent by a concurrent refresh: refused, not reuse. */
export const RACE_SECONDS = 10;
const REFRESH_REFUSED = 'invalid or expired refresh token';

export interface SignedInAccount {
  userId: string;
  role: Role;
  epoch: string;
}

/** What a session begins with, besides what the request says (its client, its time). */
interface SessionStart {
  userId: string;
  epoch: string;
  method: SessionMethod;
  lifetimeSeconds: number;
  /** Its first refresh token's keyed hash; null: a session that cannot be renewed. */
  tokenHash: string | null;
  impersonator?: string;
  parentId?: string | null;
  passkeyId?: string;
}

/**
 * A new session row for this request's client, at the service's clock: its id and times, or null
 * when its parent session ended meanwhile (nothing was made).
 */
async function openSession(
  ctx: SessionContext,
  em: EntityManager,
  start: SessionStart,
): Promise<{ id: string; now: number; expiresAt: Date } | null> {
  const now = ctx.clock.now();
  const id = randomUUID();
  const expiresAt = new Date(now + start.lifetimeSeconds * 1000);
  const made = await insertSession(
    em,
    {
      id,
      userId: start.userId,
      epoch: start.epoch,
      method: start.method,
      now: new Date(now),
      expiresAt,
      clientAddress: ctx.clientAddress,
      userAgent: summariseUserAgent(ctx.requestHeaders['user-agent']),
      tokenHash: start.tokenHash,
      impersonator: start.impersonator,
      parentId: start.parentId,
      passkeyId: start.passkeyId,
    },
    times(ctx).idleBefore,
  );
  return made ? { id, now, expiresAt } : null;
}

/**
 * Begins a session for a sign-in that just succeeded and answers its first access token and
 * refresh token (the refresh token in the cookie instead when the request asked for it).
 * `passkeyId`: the passkey it signed in with, whose removal ends it.
 */
export async function beginSession(
  ctx: SessionContext,
  account: SignedInAccount,
  method: SessionMethod,
  passkeyId?: string,
): Promise<RefreshedToken> {
  const refreshToken = randomToken(32);
  const session = await openSession(ctx, ctx.db.em, {
    userId: account.userId,
    epoch: account.epoch,
    method,
    lifetimeSeconds: ctx.sessionSettings.maxSeconds,
    tokenHash: ctx.secrets.hash(TOKEN_PURPOSE, refreshToken),
    passkeyId,
  });
  // a sign-in's session has no parent: it is always made
  const { id, now } = session!;
  const appMetadata = await readTokenMetadata(ctx.db.em, account.userId, ctx.tokenAppMetadata);
  return answer(ctx, { ...account, sessionId: id, authTime: Math.floor(now / 1000), appMetadata }, refreshToken);
}

/** An impersonation to begin: the user acted as, and who acts. */
export interface ImpersonationStart {
  userId: string;
  /** The user's credential epoch now: a credential change, a disable or a delete ends the session. */
  epoch: string;
  /** The admin's (or operator's) id, the token's `act.sub`. */
  impersonator: string;
  /** The admin's own session: ending it ends this one. None for an operator token. */
  parentId: string | null;
  expiresIn: number;
}

/**
 * Begins a session of `start.userId` acted in by an admin, inside the caller's transaction `tx`,
 * and answers its one access token (no refresh token: it ends when the token does). Null when the
 * admin's session ended meanwhile.
 */
export async function beginImpersonation(
  ctx: SessionContext,
  tx: EntityManager,
  start: ImpersonationStart,
): Promise<{ token: string; expiresIn: number; expiresAt: Date; sessionId: string } | null> {
  const session = await openSession(ctx, tx, {
    userId: start.userId,
    epoch: start.epoch,
    method: 'impersonation',
    lifetimeSeconds: start.expiresIn,
    tokenHash: null,
    impersonator: start.impersonator,
    parentId: start.parentId,
  });
  if (!session) return null;
  // the role is the user's, whatever the admin's: the token may do what the user may, no more; and
  // it carries the user's metadata, as the user's own would
  const appMetadata = await readTokenMetadata(tx, start.userId, ctx.tokenAppMetadata);
  const { token, expiresIn } = ctx.tokens.issue(
    {
      id: start.userId,
      role: 'user',
      epoch: start.epoch,
      sessionId: session.id,
      impersonator: start.impersonator,
      appMetadata,
    },
    start.expiresIn,
  );
  return { token, expiresIn, expiresAt: session.expiresAt, sessionId: session.id };
}

/**
 * A refresh token for a new access token and a new refresh token; the one presented is spent. A
 * spent one presented again is reuse: its whole session ends. Every refusal is the same 401.
 */
export async function refresh(ctx: SessionContext, sent: string | undefined): Promise<RefreshedToken> {
  const presented = sent ?? cookieToken(ctx);
  if (!presented) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: 'refreshToken: required (or the refresh cookie, with the header X-Refresh-Cookie: 1)',
    });
  }
  const hashes = ctx.secrets.hashes(TOKEN_PURPOSE, presented);
  const next = randomToken(32);
  const when = times(ctx);
  const client = { address: ctx.clientAddress, userAgent: summariseUserAgent(ctx.requestHeaders['user-agent']) };
  const keys = ctx.tokenAppMetadata;
  const row = await rotateToken(
    ctx.db.em,
    hashes,
    ctx.secrets.hash(TOKEN_PURPOSE, next),
    when,
    client,
    keys.length > 0,
  );
  if (!row) {
    const reused = await ctx.db.em.transactional(async (tx) => {
      const ended = await endRefusedSession(tx, hashes, when);
      // reuse is theft or a broken client: the owner and the admins see it in the user's history
      if (ended) {
        await recordEvent(tx, {
          type: 'auth.refresh_token_reused',
          userId: ended.userId,
          ...eventOrigin(ctx),
          data: { sessionId: ended.sessionId },
        });
      }
      return ended !== null;
    });
    if (wantsCookie(ctx)) setRefreshCookie(ctx, null);
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: reused ? 'this refresh token was used already: its session has ended, sign in again' : REFRESH_REFUSED,
    });
  }
  // the new token's session and epoch must be what its first access check reads
  ctx.db.affects(row.user_id);
  const authTime = Math.floor(new Date(row.auth_time).getTime() / 1000);
  // the metadata as it is now, read by the rotation itself: a change since the last token reaches this one
  const appMetadata = keys.length > 0 ? tokenMetadataOf(row.app_data, keys) : undefined;
  const claims = { userId: row.user_id, role: row.role, epoch: row.epoch, sessionId: row.id, authTime, appMetadata };
  return answer(ctx, claims, next);
}

/** The live sessions of `userId`; `current` marks the caller's own. */
export async function sessionsOf(ctx: SessionContext, userId: string, current?: string): Promise<SessionList> {
  const rows = await listSessions(ctx.db.em, userId, times(ctx));
  return {
    items: rows.map((row) => ({
      id: row.id,
      method: row.method,
      createdAt: new Date(row.created_at).toISOString(),
      lastUsedAt: new Date(row.last_used_at).toISOString(),
      clientAddress: row.client_address,
      userAgent: row.user_agent,
      ...(row.impersonator === null ? {} : { impersonator: row.impersonator }),
      current: row.id === current,
    })),
  };
}

/** Ends one of `userId`'s sessions; any other id is answered as absent (404). */
export async function endSession(ctx: SessionContext, userId: string, sessionId: string): Promise<void> {
  const ended =
    UUID_PATTERN.test(sessionId) &&
    (await ctx.db.em.transactional(async (tx) => {
      if (!(await deleteSession(tx, userId, sessionId))) return false;
      await recordEvent(tx, {
        type: 'auth.sessions_ended',
        userId,
        ...eventOrigin(ctx),
        data: { sessionIds: [sessionId] },
      });
      return true;
    }));
  if (!ended) throw new TRPCError({ code: 'NOT_FOUND', message: 'session not found' });
}

/** Ends every session of `userId` but `keep`; answers how many ended. */
export async function endSessionsOf(ctx: SessionContext, userId: string, keep: string | null): Promise<number> {
  return ctx.db.em.transactional(async (tx) => {
    const ended = await deleteSessionsOf(tx, userId, keep);
    if (ended.length > 0) {
      await recordEvent(tx, { type: 'auth.sessions_ended', userId, ...eventOrigin(ctx), data: { sessionIds: ended } });
    }
    return ended.length;
  });
}

/** Ends the caller's own session (logout). */
export async function endOwnSession(ctx: SessionContext, principal: Principal): Promise<void> {
  if (principal.sessionId) await deleteSession(ctx.db.em, principal.id, principal.sessionId);
  // a browser's refresh cookie is dead now: it is cleared too. Not an impersonation's: it has none,
  // and the browser's cookie is the admin's own session, which goes on (the console returns to it)
  if (principal.impersonator === undefined) setRefreshCookie(ctx, null);
}

function times(ctx: Pick<SessionContext, 'clock' | 'sessionSettings'>): RefreshTimes {
  const now = ctx.clock.now();
  return {
    now: new Date(now),
    idleBefore: new Date(now - ctx.sessionSettings.idleSeconds * 1000),
    raceAfter: new Date(now - RACE_SECONDS * 1000),
  };
}

function answer(
  ctx: SessionContext,
  claims: SignedInAccount & { sessionId: string; authTime: number; appMetadata?: MetadataObject },
  refreshToken: string,
): RefreshedToken {
  const { token, expiresIn } = ctx.tokens.issue({
    id: claims.userId,
    role: claims.role,
    epoch: claims.epoch,
    authTime: claims.authTime,
    sessionId: claims.sessionId,
    appMetadata: claims.appMetadata,
  });
  const base = { token, tokenType: 'Bearer' as const, expiresIn };
  if (!wantsCookie(ctx)) return { ...base, refreshToken };
  setRefreshCookie(ctx, refreshToken, ctx.sessionSettings.maxSeconds);
  return base;
}
