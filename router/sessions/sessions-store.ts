// The sessions and session_tokens tables, reached only here. A session is what one sign-in began;
// its refresh tokens are rows of session_tokens, stored only as keyed hashes: the current one
// unspent, every earlier one spent, so a spent one presented again is known for reuse. Every
// access is one statement: a refresh spends its token, makes the next one and touches its session
// in one statement, so of two refreshes with the same token exactly one finds it unspent (the
// second waits on the row's lock and then re-reads `spent_at`). Ending a session deletes its row
// (its tokens go with it, and the session check refuses its access tokens from then on).
import type { EntityManager } from '@mikro-orm/postgresql';
import type { KeyedHashes } from '../../server/crypto/secret-box';
import type { MetadataObject } from '../metadata/metadata-schemas';
import { tokenMetadataColumn } from '../metadata/token-claims';

/** How a session began: the sign-in method of its first token, or an admin's impersonation. */
export type SessionMethod = 'password' | 'totp' | 'email_code' | 'oauth2' | 'passkey' | 'impersonation';

export interface NewSession {
  id: string;
  userId: string;
  /** The user's credential epoch the session was begun under: it ends when the epoch moves. */
  epoch: string;
  method: SessionMethod;
  now: Date;
  expiresAt: Date;
  clientAddress: string;
  userAgent: string;
  /** Its first refresh token's keyed hash; null for a session that cannot be renewed (impersonation). */
  tokenHash: string | null;
  /** An impersonation: the admin (or operator) who began it, and the admin's own session, if any. */
  impersonator?: string;
  parentId?: string | null;
  /** The passkey it was signed in with: removing the passkey ends it. */
  passkeyId?: string;
}

export interface SessionRow {
  id: string;
  method: SessionMethod;
  created_at: Date;
  last_used_at: Date;
  client_address: string;
  user_agent: string;
  impersonator: string | null;
}

export interface RefreshedRow {
  id: string;
  user_id: string;
  epoch: string;
  auth_time: Date;
  role: 'admin' | 'user';
  /** The user's `app` metadata, when the refresh asked for it (its token carries some of it). */
  app_data: MetadataObject | null;
}

/** The times a refresh is judged at (the service's clock). */
export interface RefreshTimes {
  now: Date;
  /** Sessions last used before this have been idle too long. */
  idleBefore: Date;
  /** A token spent after this is a concurrent refresh that lost the race, not reuse. */
  raceAfter: Date;
}

/**
 * A new session with its first refresh token (none when `tokenHash` is null); the user's ended
 * sessions are swept on the way, and a sign-in is the user's last from then on (./sign-in-activity.ts;
 * an impersonation is none: an admin acting as the user is not the user signing in). False when
 * `parentId` names a session that no longer exists (the admin's session ended meanwhile): then
 * nothing was made.
 */
export async function insertSession(em: EntityManager, s: NewSession, idleBefore: Date): Promise<boolean> {
  const made = await em.execute<Array<{ id: string }>>(
    `with swept as (
       delete from sessions where user_id = ? and (expires_at <= ? or last_used_at <= ?)
     ), made as (
       insert into sessions (id, user_id, epoch, method, auth_time, created_at, last_used_at, expires_at,
                             client_address, user_agent, impersonator, parent_id, passkey_id)
       select ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::uuid, ?::uuid
        where ?::uuid is null or exists (select 1 from sessions where id = ?::uuid for key share)
       returning id
     ), first_token as (
       insert into session_tokens (hash, session_id) select ?::text, id from made where ?::text is not null
     ), signed_in as (
       insert into user_sign_ins as s (user_id, last_at, last_method)
       select ?, ?::timestamptz, ? from made where ?::text is null
       on conflict (user_id) do update
         set last_at = excluded.last_at, last_method = excluded.last_method, count = s.count + 1
     )
     select id from made`,
    [
      ...[s.userId, s.now, idleBefore],
      ...[s.id, s.userId, s.epoch, s.method, s.now, s.now, s.now, s.expiresAt, s.clientAddress, s.userAgent],
      ...[s.impersonator ?? null, s.parentId ?? null, s.passkeyId ?? null, s.parentId ?? null, s.parentId ?? null],
      ...[s.tokenHash, s.tokenHash],
      ...[s.userId, s.now, s.method, s.impersonator ?? null],
    ],
  );
  return made.length > 0;
}

/**
 * Removes up to `batch` sessions past their expiry, anyone's (the periodic retention round,
 * server/start/retention.ts), with their refresh tokens: those of users who never sign in again
 * (their client addresses and browsers) do not stay for good. Found through the expires_at index;
 * rows a sign-in or refresh holds are skipped. How many went.
 */
export async function removeExpiredSessions(em: EntityManager, now: Date, batch: number): Promise<number> {
  const removed = await em.execute(
    `delete from sessions where id in (
       select id from sessions where expires_at <= ? limit ? for update skip locked) returning id`,
    [now, batch],
  );
  return removed.length;
}

/**
 * Spends the unspent token `hash` of a live session (not idle, not past its end, its epoch still
 * the user's), makes `nextHash` its next token and marks the session used, in one statement.
 * Undefined when no such token was unspent.
 */
export async function rotateToken(
  em: EntityManager,
  hashes: KeyedHashes,
  nextHash: string,
  times: RefreshTimes,
  client: { address: string; userAgent: string },
  withAppData: boolean,
): Promise<RefreshedRow | undefined> {
  const [row] = await em.execute<RefreshedRow[]>(
    `with spent as (
       update session_tokens t set spent_at = ?
         from sessions s join users u on u.id = s.user_id
        where t.hash in (?) and t.spent_at is null and s.id = t.session_id
          and s.epoch = u.token_epoch and s.last_used_at > ? and s.expires_at > ?
       returning t.session_id
     ), next as (
       insert into session_tokens (hash, session_id) select ?, session_id from spent
     ), used as (
       update sessions s set last_used_at = ?, client_address = ?, user_agent = ?
         from spent where s.id = spent.session_id
       returning s.id, s.user_id, s.epoch, s.auth_time
     )
     select used.id, used.user_id, used.epoch, used.auth_time, u.role,
            ${withAppData ? tokenMetadataColumn('used.user_id') : 'null'} as app_data
       from used join users u on u.id = used.user_id`,
    [times.now, hashes, times.idleBefore, times.now, nextHash, times.now, client.address, client.userAgent],
  );
  return row;
}

/**
 * A refused token's session ends when the token was spent before (reuse: every token of the
 * family ends, RFC 9700 §4.14.2) unless it was spent a moment ago by a concurrent refresh, or when
 * the session is over anyway (idle, past its end, its epoch moved). Answers the session that ended for reuse, if it was reuse.
 */
export async function endRefusedSession(
  em: EntityManager,
  hashes: KeyedHashes,
  times: RefreshTimes,
): Promise<{ userId: string; sessionId: string } | null> {
  const rows = await em.execute<Array<{ reused: boolean; user_id: string; id: string }>>(
    `delete from sessions s using session_tokens t
      where t.hash in (?) and s.id = t.session_id
        and ((t.spent_at is not null and t.spent_at <= ?) or s.last_used_at <= ? or s.expires_at <= ?
             or s.epoch is distinct from (select token_epoch from users where id = s.user_id))
      returning (t.spent_at is not null and t.spent_at <= ?) as reused, s.user_id, s.id`,
    [hashes, times.raceAfter, times.idleBefore, times.now, times.raceAfter],
  );
  const reused = rows.find((row) => row.reused);
  return reused ? { userId: reused.user_id, sessionId: reused.id } : null;
}

/** The live sessions of a user, most recently used first. */
export async function listSessions(
  em: EntityManager,
  userId: string,
  times: Pick<RefreshTimes, 'now' | 'idleBefore'>,
): Promise<SessionRow[]> {
  return em.execute<SessionRow[]>(
    `select id, method, created_at, last_used_at, client_address, user_agent, impersonator from sessions
      where user_id = ? and expires_at > ? and last_used_at > ? order by last_used_at desc, id`,
    [userId, times.now, times.idleBefore],
  );
}

/** Ends one session of a user; false when the user has no such session. */
export async function deleteSession(em: EntityManager, userId: string, sessionId: string): Promise<boolean> {
  const rows = await em.execute(`delete from sessions where id = ? and user_id = ? returning id`, [sessionId, userId]);
  return rows.length > 0;
}

/** Ends every session of a user but `keep` (none kept when null); answers the ids of those that ended. */
export async function deleteSessionsOf(em: EntityManager, userId: string, keep: string | null): Promise<string[]> {
  const rows = await em.execute<Array<{ id: string }>>(
    `delete from sessions where user_id = ? and id is distinct from ?::uuid returning id`,
    [userId, keep],
  );
  return rows.map((row) => row.id);
}

/** The kept session lives on under the user's new credential epoch (a change of its own credentials). */
export async function moveSessionEpoch(
  em: EntityManager,
  sessionId: string,
  userId: string,
  epoch: string,
): Promise<void> {
  await em.execute(`update sessions set epoch = ? where id = ? and user_id = ?`, [epoch, sessionId, userId]);
}

/**
 * Ends the sessions signed in with one of `userId`'s passkeys, but `keep` (the remover's own): the
 * ids of those ended.
 */
/** Ends the user's sessions that began with `method` (but `keep`): their ids. */
export async function deleteSessionsByMethod(
  em: EntityManager,
  userId: string,
  method: SessionMethod,
  keep: string | null,
): Promise<string[]> {
  const ended = await em.execute<Array<{ id: string }>>(
    `delete from sessions where user_id = ? and method = ? and id is distinct from ?::uuid returning id`,
    [userId, method, keep],
  );
  return ended.map(({ id }) => id);
}

export async function deleteSessionsOfPasskey(
  em: EntityManager,
  userId: string,
  passkeyId: string,
  keep: string | null,
): Promise<string[]> {
  const ended = await em.execute<Array<{ id: string }>>(
    `delete from sessions where user_id = ? and passkey_id = ? and id is distinct from ?::uuid returning id`,
    [userId, passkeyId, keep],
  );
  return ended.map(({ id }) => id);
}
