// The two tables of codes sent by mail, reached only here: email_codes (sign-in codes) and
// password_resets (reset codes). Both keep one pending code per email and requester: the requester
// is '' (ANY_CLIENT, ./mailed-codes) for any client without a device cookie, or the device id of a
// browser known for the address (./device-cookie), whose code nobody else's requests replace and
// nobody else's wrong guesses count against. A code is kept only as its keyed hash. Every access is
// one atomic statement, so a code is used at most once and its wrong tries are counted exactly.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { KeyedHashes } from '../../server/crypto/secret-box';

/** Whose pending code: '' for unknown clients, else the requesting device's id. */
export type CodeRequester = string;

/** Closures over one table: each may be passed on alone. */
export interface MailedCodeStore {
  /** A requester's pending code: a new one replaces its last, with a fresh count of wrong tries. */
  readonly store: (
    em: EntityManager,
    emailId: number,
    requester: CodeRequester,
    codeHash: string,
    expiresAt: Date,
  ) => Promise<void>;
  /**
   * Judges a try against the live pending codes of `requesters`, in one UPDATE: only a live code
   * with fewer than `maxWrong` wrong tries is judged at all, and a wrong try is counted by the same
   * statement that judged it. Concurrent tries queue on the rows' locks, and each sees the count
   * the one before it left (READ COMMITTED re-checks the WHERE against the newest row), so no more
   * than `maxWrong` wrong tries are ever judged against one code, however many arrive at once. A
   * right code still has to be used (`use`): the requester whose code it is, or null for none.
   */
  readonly judge: (
    em: EntityManager,
    emailId: number,
    requesters: CodeRequester[],
    codeHashes: KeyedHashes,
    now: Date,
    maxWrong: number,
  ) => Promise<CodeRequester | null>;
  /**
   * Uses the code a try judged right: one conditional DELETE, so of concurrent right tries exactly
   * one goes on, and a code replaced in the meantime is not used. Where the store says so, every
   * other pending code of the email goes with it.
   */
  readonly use: (
    em: EntityManager,
    emailId: number,
    requester: CodeRequester,
    codeHashes: KeyedHashes,
  ) => Promise<boolean>;
  /** Ends every pending code of an email. */
  readonly removeAll: (em: EntityManager, emailId: number) => Promise<void>;
  /**
   * Removes up to `batch` codes that expired before `now`, anyone's (the periodic retention
   * round); rows a request holds are skipped, and a code replaced meanwhile with a new expiry is
   * re-checked and kept. How many went.
   */
  readonly removeExpired: (em: EntityManager, now: Date, batch: number) => Promise<number>;
}

function mailedCodeStore(
  table: 'email_codes' | 'password_resets',
  { usingEndsOthers }: { usingEndsOthers: boolean },
): MailedCodeStore {
  const removeAll = async (em: EntityManager, emailId: number): Promise<void> => {
    await em.execute(`delete from ${table} where email_id = ?`, [emailId]);
  };
  return {
    async store(em, emailId, requester, codeHash, expiresAt) {
      await em.execute(
        `insert into ${table} (email_id, device, code_hash, expires_at) values (?, ?, ?, ?)
         on conflict (email_id, device) do update
           set code_hash = excluded.code_hash, expires_at = excluded.expires_at, failures = 0, created_at = now()`,
        [emailId, requester, codeHash, expiresAt],
      );
    },
    async judge(em, emailId, requesters, codeHashes, now, maxWrong) {
      const rows = await em.execute<Array<{ device: string; is_right: boolean }>>(
        `update ${table} set failures = failures + case when code_hash in (?) then 0 else 1 end
          where email_id = ? and device in (?)
            and expires_at > ? and failures < ?
          returning device, code_hash in (?) as is_right`,
        [codeHashes, emailId, requesters, now, maxWrong, codeHashes],
      );
      return rows.find((row) => row.is_right)?.device ?? null;
    },
    async use(em, emailId, requester, codeHashes) {
      const used = await em.execute(
        `delete from ${table} where email_id = ? and device = ? and code_hash in (?) returning email_id`,
        [emailId, requester, codeHashes],
      );
      if (used.length !== 1) return false;
      if (usingEndsOthers) await removeAll(em, emailId);
      return true;
    },
    removeAll,
    async removeExpired(em, now, batch) {
      const removed = await em.execute(
        `delete from ${table} where (email_id, device) in
           (select email_id, device from ${table} where expires_at < ? limit ? for update skip locked)
         returning email_id`,
        [now, batch],
      );
      return removed.length;
    },
  };
}

/** Sign-in codes (authMethod 1): using one leaves the other browsers' pending codes be. */
export const signInCodes = mailedCodeStore('email_codes', { usingEndsOthers: false });

/** Password reset codes: a reset ends every other pending reset of the email with it. */
export const resetCodes = mailedCodeStore('password_resets', { usingEndsOthers: true });
