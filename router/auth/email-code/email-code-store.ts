// The email_codes table, reached only here. One pending code per address; every access is one
// atomic statement, so a code is used at most once, and a try is judged and counted at once.
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

/**
 * Judges a try against the pending code, in one UPDATE: only a live code with fewer than
 * `maxWrong` wrong tries is judged at all, and a wrong try is counted by the same statement that
 * judged it. Concurrent tries queue on the row's lock, and each sees the count the one before it
 * left (READ COMMITTED re-checks the WHERE against the newest row), so no more than `maxWrong`
 * wrong tries are ever judged against one code, however many arrive at once. 'right' still has to
 * be used (`useCode`); 'none' is no live code, or one with its wrong tries used up.
 */
export async function tryCode(
  em: EntityManager,
  emailId: number,
  codeHash: string,
  now: Date,
  maxWrong: number,
): Promise<'right' | 'wrong' | 'none'> {
  const [row] = await em.execute<Array<{ is_right: boolean }>>(
    `update email_codes set failures = failures + case when code_hash = ? then 0 else 1 end
      where email_id = ? and expires_at > ? and failures < ?
      returning code_hash = ? as is_right`,
    [codeHash, emailId, now, maxWrong, codeHash],
  );
  return row ? (row.is_right ? 'right' : 'wrong') : 'none';
}

/**
 * Uses the code a try judged right: one conditional DELETE, so of concurrent right tries exactly
 * one signs in, and a code replaced in the meantime is not used.
 */
export async function useCode(em: EntityManager, emailId: number, codeHash: string): Promise<boolean> {
  const used = await em.execute(`delete from email_codes where email_id = ? and code_hash = ? returning email_id`, [
    emailId,
    codeHash,
  ]);
  return used.length === 1;
}

/** Ends a pending code of an email that stops signing in by code. */
export async function removeEmailCode(em: EntityManager, emailId: number): Promise<void> {
  await em.execute(`delete from email_codes where email_id = ?`, [emailId]);
}
