// The tables of codes sent by mail, reached only here: email_codes (sign-in codes), password_resets
// (reset codes), each of an email (its id), sign_up_codes (sign-up codes), each of an address
// that has no account yet (its key, entities/email-key.ts), and email_change_codes (the code that
// proves a user's new address), each of a user (its id). Each keeps one pending code per email
// or address and requester: the requester
// is '' (ANY_CLIENT, ./mailed-codes) for any client without a device cookie, or the device id of a
// browser known for the address (./device-cookie), whose code nobody else's requests replace and
// nobody else's wrong guesses count against. A code is kept only as its keyed hash. Every access is
// one atomic statement, so a code is used at most once and its wrong tries are counted exactly.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { KeyedHashes } from '../../server/crypto/secret-box';

/** Whose pending code: '' for unknown clients, else the requesting device's id. */
export type CodeRequester = string;

/** Closures over one table, whose codes are each of a `K` (an email id, an address key): each may be passed on alone. */
export interface MailedCodeStore<K extends number | string = number> {
  /** A requester's pending code: a new one replaces its last, with a fresh count of wrong tries. */
  readonly store: (
    em: EntityManager,
    owner: K,
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
    owner: K,
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
  readonly use: (em: EntityManager, owner: K, requester: CodeRequester, codeHashes: KeyedHashes) => Promise<boolean>;
  /** Ends every pending code of an email. */
  readonly removeAll: (em: EntityManager, owner: K) => Promise<void>;
  /**
   * Removes up to `batch` codes that expired before `now`, anyone's (the periodic retention
   * round); rows a request holds are skipped, and a code replaced meanwhile with a new expiry is
   * re-checked and kept. How many went.
   */
  readonly removeExpired: (em: EntityManager, now: Date, batch: number) => Promise<number>;
}

function mailedCodeStore<K extends number | string>(
  table: 'email_codes' | 'password_resets' | 'sign_up_codes' | 'email_change_codes',
  { key, usingEndsOthers }: { key: 'email_id' | 'address_key' | 'user_id'; usingEndsOthers: boolean },
): MailedCodeStore<K> {
  const removeAll = async (em: EntityManager, owner: K): Promise<void> => {
    await em.execute(`delete from ${table} where ${key} = ?`, [owner]);
  };
  return {
    async store(em, owner, requester, codeHash, expiresAt) {
      await em.execute(
        `insert into ${table} (${key}, device, code_hash, expires_at) values (?, ?, ?, ?)
         on conflict (${key}, device) do update
           set code_hash = excluded.code_hash, expires_at = excluded.expires_at, failures = 0, created_at = now()`,
        [owner, requester, codeHash, expiresAt],
      );
    },
    async judge(em, owner, requesters, codeHashes, now, maxWrong) {
      const rows = await em.execute<Array<{ device: string; is_right: boolean }>>(
        `update ${table} set failures = failures + case when code_hash in (?) then 0 else 1 end
          where ${key} = ? and device in (?)
            and expires_at > ? and failures < ?
          returning device, code_hash in (?) as is_right`,
        [codeHashes, owner, requesters, now, maxWrong, codeHashes],
      );
      return rows.find((row) => row.is_right)?.device ?? null;
    },
    async use(em, owner, requester, codeHashes) {
      const used = await em.execute(
        `delete from ${table} where ${key} = ? and device = ? and code_hash in (?) returning ${key}`,
        [owner, requester, codeHashes],
      );
      if (used.length !== 1) return false;
      if (usingEndsOthers) await removeAll(em, owner);
      return true;
    },
    removeAll,
    async removeExpired(em, now, batch) {
      const removed = await em.execute(
        `delete from ${table} where (${key}, device) in
           (select ${key}, device from ${table} where expires_at < ? limit ? for update skip locked)
         returning ${key}`,
        [now, batch],
      );
      return removed.length;
    },
  };
}

/** Sign-in codes (authMethod 1): using one leaves the other browsers' pending codes be. */
export const signInCodes = mailedCodeStore<number>('email_codes', { key: 'email_id', usingEndsOthers: false });

/** Password reset codes: a reset ends every other pending reset of the email with it. */
export const resetCodes = mailedCodeStore<number>('password_resets', { key: 'email_id', usingEndsOthers: true });

/**
 * Sign-up codes, of an address with no account yet (its key): one per address, as no browser is
 * known for an address nobody has signed in to.
 */
export const signUpCodes = mailedCodeStore<string>('sign_up_codes', { key: 'address_key', usingEndsOthers: true });

/**
 * The codes that prove a user's new address, of the user (its id): one pending change per user,
 * its hash bound to the new address (router/auth/email-change).
 */
export const emailChangeCodes = mailedCodeStore<string>('email_change_codes', {
  key: 'user_id',
  usingEndsOthers: true,
});
