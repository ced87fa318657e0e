// The email_codes table, reached only here. One pending code per address and requester: the
// requester is '' for any client without a device cookie, or the device id of a browser known for
// the address (../device-cookie), whose code nobody else's requests replace and nobody else's
// wrong guesses count against. Every access is one atomic statement, so a code is used at most
// once and its wrong tries are counted exactly.
import type { EntityManager } from '@mikro-orm/postgresql';

/** Whose pending code: '' for unknown clients, else the requesting device's id. */
export type CodeRequester = string;
export const ANY_CLIENT: CodeRequester = '';

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
 * Uses the right, live code with fewer than `maxWrong` wrong tries among the pending codes of
 * `requesters`: one conditional DELETE.
 */
export async function consumeCode(
  em: EntityManager,
  emailId: number,
  requesters: CodeRequester[],
  codeHash: string,
  now: Date,
  maxWrong: number,
): Promise<boolean> {
  const consumed = await em.execute(
    `delete from email_codes
      where email_id = ? and device in (${placeholders(requesters)}) and code_hash = ? and expires_at > ?
        and failures < ?
      returning email_id`,
    [emailId, ...requesters, codeHash, now, maxWrong],
  );
  return consumed.length >= 1;
}

/** Counts a wrong try against the pending codes of `requesters`. */
export async function countWrongCode(em: EntityManager, emailId: number, requesters: CodeRequester[]): Promise<void> {
  await em.execute(
    `update email_codes set failures = failures + 1 where email_id = ? and device in (${placeholders(requesters)})`,
    [emailId, ...requesters],
  );
}

/** Ends every pending code of an email that stops signing in by code. */
export async function removeEmailCode(em: EntityManager, emailId: number): Promise<void> {
  await em.execute(`delete from email_codes where email_id = ?`, [emailId]);
}

const placeholders = (values: unknown[]): string => values.map(() => '?').join(', ');
