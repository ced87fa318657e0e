// The password_resets table, reached only here: one pending reset code per email and requester
// ('' for any client, or the device id of a browser known for the address, as email codes: see
// ../email-code/email-code-store). Every access is one atomic statement, so a code is used at most
// once and its wrong tries are counted exactly.
import type { EntityManager } from '@mikro-orm/postgresql';

/** Whose pending code: '' for unknown clients, else the requesting device's id. */
export type ResetRequester = string;

/** A requester's pending reset code: a new one replaces its last, with a fresh count of wrong tries. */
export async function storeResetCode(
  em: EntityManager,
  emailId: number,
  requester: ResetRequester,
  codeHash: string,
  expiresAt: Date,
): Promise<void> {
  await em.execute(
    `insert into password_resets (email_id, device, code_hash, expires_at) values (?, ?, ?, ?)
     on conflict (email_id, device) do update
       set code_hash = excluded.code_hash, expires_at = excluded.expires_at, failures = 0, created_at = now()`,
    [emailId, requester, codeHash, expiresAt],
  );
}

/**
 * Judges a try in one UPDATE that only judges a live code with fewer than `maxWrong` wrong tries,
 * and counts a wrong one in the same statement: however many tries arrive at once, no more than
 * `maxWrong` wrong ones are judged against a code (READ COMMITTED re-checks the WHERE against the
 * newest row). The requester whose code is right, or null.
 */
export async function tryResetCode(
  em: EntityManager,
  emailId: number,
  requesters: ResetRequester[],
  codeHash: string,
  now: Date,
  maxWrong: number,
): Promise<ResetRequester | null> {
  const rows = await em.execute<Array<{ device: string; is_right: boolean }>>(
    `update password_resets set failures = failures + case when code_hash = ? then 0 else 1 end
      where email_id = ? and device in (${requesters.map(() => '?').join(', ')}) and expires_at > ? and failures < ?
      returning device, code_hash = ? as is_right`,
    [codeHash, emailId, ...requesters, now, maxWrong, codeHash],
  );
  return rows.find((row) => row.is_right)?.device ?? null;
}

/**
 * Uses the code a try judged right, and every other pending reset of the email with it: one
 * conditional DELETE, so of concurrent right tries exactly one resets, and a code replaced in the
 * meantime is not used.
 */
export async function useResetCode(
  em: EntityManager,
  emailId: number,
  requester: ResetRequester,
  codeHash: string,
): Promise<boolean> {
  const used = await em.execute(
    `delete from password_resets where email_id = ? and device = ? and code_hash = ? returning email_id`,
    [emailId, requester, codeHash],
  );
  if (used.length !== 1) return false;
  await em.execute(`delete from password_resets where email_id = ?`, [emailId]);
  return true;
}

/**
 * Removes up to `batch` reset codes that expired before `now` (the periodic retention round), as
 * ../email-code/email-code-store's removeExpiredCodes does. How many went.
 */
export async function removeExpiredResetCodes(em: EntityManager, now: Date, batch: number): Promise<number> {
  const removed = await em.execute(
    `delete from password_resets where (email_id, device) in
       (select email_id, device from password_resets where expires_at < ? limit ? for update skip locked)
     returning email_id`,
    [now, batch],
  );
  return removed.length;
}
