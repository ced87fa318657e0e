// The email_codes table, reached only here. One pending code per address and requester: the
// requester is '' for any client without a device cookie, or the device id of a browser known for
// the address (../device-cookie), whose code nobody else's requests replace and nobody else's
// wrong guesses count against. Every access is one atomic statement, so a code is used at most
// once and its wrong tries are counted exactly.
import type { EntityManager } from '@mikro-orm/postgresql';

/** Whose pending code: '' for unknown clients, else the requesting device's id. */
export type CodeRequester = string;

/** A requester's pending code: a new one replaces its last, with a fresh count of wrong tries. */
export async function storeCode(
  em: EntityManager,
  emailId: number,
  requester: CodeRequester,
  codeHash: string,
  expiresAt: Date,
): Promise<void> {
  await em.execute(
    `insert into email_codes (email_id, device, code_hash, expires_at) values (?, ?, ?, ?)
     on conflict (email_id, device) do update
       set code_hash = excluded.code_hash, expires_at = excluded.expires_at, failures = 0, created_at = now()`,
    [emailId, requester, codeHash, expiresAt],
  );
}

/**
 * Judges a try against the live pending codes of `requesters`, in one UPDATE: only a live code
 * with fewer than `maxWrong` wrong tries is judged at all, and a wrong try is counted by the same
 * statement that judged it. Concurrent tries queue on the rows' locks, and each sees the count the
 * one before it left (READ COMMITTED re-checks the WHERE against the newest row), so no more than
 * `maxWrong` wrong tries are ever judged against one code, however many arrive at once. A right
 * code still has to be used (`useCode`): the requester whose code it is, or null for none.
 */
export async function tryCode(
  em: EntityManager,
  emailId: number,
  requesters: CodeRequester[],
  codeHash: string,
  now: Date,
  maxWrong: number,
): Promise<CodeRequester | null> {
  const rows = await em.execute<Array<{ device: string; is_right: boolean }>>(
    `update email_codes set failures = failures + case when code_hash = ? then 0 else 1 end
      where email_id = ? and device in (${placeholders(requesters)}) and expires_at > ? and failures < ?
      returning device, code_hash = ? as is_right`,
    [codeHash, emailId, ...requesters, now, maxWrong, codeHash],
  );
  return rows.find((row) => row.is_right)?.device ?? null;
}

/**
 * Uses the code a try judged right: one conditional DELETE, so of concurrent right tries exactly
 * one signs in, and a code replaced in the meantime is not used.
 */
export async function useCode(
  em: EntityManager,
  emailId: number,
  requester: CodeRequester,
  codeHash: string,
): Promise<boolean> {
  const used = await em.execute(
    `delete from email_codes where email_id = ? and device = ? and code_hash = ? returning email_id`,
    [emailId, requester, codeHash],
  );
  return used.length === 1;
}

/** Ends every pending code of an email that stops signing in by code. */
export async function removeEmailCode(em: EntityManager, emailId: number): Promise<void> {
  await em.execute(`delete from email_codes where email_id = ?`, [emailId]);
}

/**
 * Removes up to `batch` codes that expired before `now`, nobody's in particular (the periodic
 * retention round); rows a request holds are skipped, and a code replaced meanwhile with a new
 * expiry is re-checked and kept. How many went.
 */
export async function removeExpiredCodes(em: EntityManager, now: Date, batch: number): Promise<number> {
  const removed = await em.execute(
    `delete from email_codes where (email_id, device) in
       (select email_id, device from email_codes where expires_at < ? limit ? for update skip locked)
     returning email_id`,
    [now, batch],
  );
  return removed.length;
}

const placeholders = (values: unknown[]): string => values.map(() => '?').join(', ');
