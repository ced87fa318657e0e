// The email_codes table, reached only here. One pending code per address; every access is one
// atomic statement, so a code is used at most once and its wrong tries are counted exactly.
import type { EntityManager } from '@mikro-orm/postgresql';

/** One pending code per address: a new one replaces the last, with a fresh count of wrong tries. */
export async function storeCode(em: EntityManager, emailId: number, codeHash: string, expiresAt: Date): Promise<void> {
  await em.execute(
    `insert into email_codes (email_id, code_hash, expires_at) values (?, ?, ?)
     on conflict (email_id) do update
       set code_hash = excluded.code_hash, expires_at = excluded.expires_at, failures = 0, created_at = now()`,
    [emailId, codeHash, expiresAt],
  );
}

/** Uses the right, live code with fewer than `maxWrong` wrong tries: one conditional DELETE. */
export async function consumeCode(
  em: EntityManager,
  emailId: number,
  codeHash: string,
  now: Date,
  maxWrong: number,
): Promise<boolean> {
  const consumed = await em.execute(
    `delete from email_codes
      where email_id = ? and code_hash = ? and expires_at > ? and failures < ?
      returning email_id`,
    [emailId, codeHash, now, maxWrong],
  );
  return consumed.length === 1;
}

/** Counts a wrong try against the pending code. */
export async function countWrongCode(em: EntityManager, emailId: number): Promise<void> {
  await em.execute(`update email_codes set failures = failures + 1 where email_id = ?`, [emailId]);
}

/** Ends a pending code of an email that stops signing in by code. */
export async function removeEmailCode(em: EntityManager, emailId: number): Promise<void> {
  await em.execute(`delete from email_codes where email_id = ?`, [emailId]);
}
