// The TOTP tables (totp_credentials, recovery_codes), reached only here, each access one atomic
// statement: a step is used at most once (`update … where last_used_step < step returning`), a
// recovery code at most once (`delete … returning`), and an enrollment completes in one transaction.
// (The sealed secrets are also named here for the key's rotation, whose statements are written
// once for every sealed column, server/crypto/sealed-column.ts.)
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SealedColumn } from '../../../server/crypto/sealed-column';
import type { KeyedHashes } from '../../../server/crypto/secret-box';

/** What an email's TOTP secret is sealed for: a sealed secret copied to another email's row does not open. */
export const totpSealContext = (emailId: number | string) => `totp-secret:${emailId}`;

/** A stored TOTP secret (sealed) and whether it has been confirmed. */
export interface StoredCredential {
  secret: string;
  enrollment_id: string;
  confirmed: boolean;
}

/** A new pending secret, replacing an unconfirmed one; a confirmed one is never replaced here. */
export async function storePendingSecret(
  em: EntityManager,
  emailId: number,
  sealedSecret: string,
  enrollmentId: string,
): Promise<void> {
  await em.execute(
    `insert into totp_credentials (email_id, secret, enrollment_id) values (?, ?, ?)
     on conflict (email_id) do update
       set secret = excluded.secret, enrollment_id = excluded.enrollment_id, last_used_step = null, updated_at = now()
       where totp_credentials.confirmed_at is null`,
    [emailId, sealedSecret, enrollmentId],
  );
}

export async function readCredential(em: EntityManager, emailId: number): Promise<StoredCredential | undefined> {
  const [stored] = await em.execute<StoredCredential[]>(
    `select secret, enrollment_id, confirmed_at is not null as confirmed from totp_credentials where email_id = ?`,
    [emailId],
  );
  return stored;
}

/** Marks `step` used (RFC 6238 §5.2: a code is accepted once); false if it or a later one was. */
export async function useStep(em: EntityManager, emailId: number, step: number): Promise<boolean> {
  const accepted = await em.execute(
    `update totp_credentials set last_used_step = ?, updated_at = now()
      where email_id = ? and confirmed_at is not null and (last_used_step is null or last_used_step < ?)
      returning email_id`,
    [step, emailId, step],
  );
  return accepted.length === 1;
}

/**
 * Confirms the pending secret of `enrollmentId`, replaces the recovery codes and moves the user's
 * credential epoch, in one transaction; the new epoch, or null when the enrollment is not pending.
 */
export async function confirmEnrollment(
  em: EntityManager,
  enrollment: {
    emailId: number;
    userId: string;
    enrollmentId: string;
    step: number;
    recoveryCodeHashes: string[];
    /** The key the recovery codes are hashed under (SecretBox.keyId). */
    keyId: string;
    /** Writes what else commits with the enrollment (its events), last in its transaction. */
    record: (tx: EntityManager) => Promise<void>;
  },
): Promise<string | null> {
  return em.transactional(async (tx) => {
    const confirmed = await tx.execute(
      `update totp_credentials set confirmed_at = now(), last_used_step = ?, updated_at = now()
        where email_id = ? and confirmed_at is null and enrollment_id = ? returning email_id`,
      [enrollment.step, enrollment.emailId, enrollment.enrollmentId],
    );
    if (confirmed.length !== 1) return null;
    await tx.execute(`delete from recovery_codes where email_id = ?`, [enrollment.emailId]);
    // one statement for all ten (knex would spread an array binding into a list, so it goes as JSON)
    await tx.execute(
      `insert into recovery_codes (code_hash, email_id, key_id) select jsonb_array_elements_text(?::jsonb), ?, ?`,
      [JSON.stringify(enrollment.recoveryCodeHashes), enrollment.emailId, enrollment.keyId],
    );
    const [user] = await tx.execute<Array<{ token_epoch: string }>>(
      `update users set token_epoch = gen_random_uuid() where id = ? returning token_epoch`,
      [enrollment.userId],
    );
    await enrollment.record(tx);
    return user?.token_epoch ?? null;
  });
}

/**
 * Uses a recovery code, once; false if it is not one of the email's. `codeHashes` are its hashes
 * under each key held: codes given out before a key rotation are stored under the key of then.
 */
export async function useRecoveryCode(em: EntityManager, emailId: number, codeHashes: KeyedHashes): Promise<boolean> {
  const used = await em.execute(
    `delete from recovery_codes where code_hash in (?) and email_id = ? returning email_id`,
    [codeHashes, emailId],
  );
  return used.length === 1;
}

/** How many recovery codes the email has left. */
export async function countRecoveryCodes(em: EntityManager, emailId: number): Promise<number> {
  const [row] = await em.execute<Array<{ left: number }>>(
    `select count(*)::int as left from recovery_codes where email_id = ?`,
    [emailId],
  );
  return row?.left ?? 0;
}

/** Ends TOTP for an email that stops signing in by it: its secret and recovery codes are deleted. */
export async function removeTotp(em: EntityManager, emailId: number): Promise<void> {
  await em.execute(`delete from totp_credentials where email_id = ?`, [emailId]);
  await em.execute(`delete from recovery_codes where email_id = ?`, [emailId]);
}

/**
 * The TOTP secrets, pending and confirmed, as `npm run reseal` walks them after a key rotation and
 * start-up checks them. Sealing one again changes no credential: its step and enrollment stay.
 */
export const totpSecrets: SealedColumn = {
  name: 'TOTP secrets',
  table: 'totp_credentials',
  id: 'email_id',
  idType: 'int',
  column: 'secret',
  context: totpSealContext,
};

/** How many recovery codes, of how many emails. */
export interface CodeCount {
  codes: number;
  emails: number;
}

/**
 * The recovery codes not hashed under the key `keyId`: those hashed under another key, and those
 * of before key ids (`key_id` null), which were made under the key that was current before the
 * first rotation.
 */
export async function recoveryCodesNotUnder(
  em: EntityManager,
  keyId: string,
): Promise<{ otherKey: CodeCount; beforeKeyIds: CodeCount }> {
  const [row] = await em.execute<
    Array<{ other: number; other_emails: number; unnamed: number; unnamed_emails: number }>
  >(
    `select count(*) filter (where key_id is not null)::int as other,
            count(distinct email_id) filter (where key_id is not null)::int as other_emails,
            count(*) filter (where key_id is null)::int as unnamed,
            count(distinct email_id) filter (where key_id is null)::int as unnamed_emails
       from recovery_codes where key_id is distinct from ?`,
    [keyId],
  );
  return {
    otherKey: { codes: row?.other ?? 0, emails: row?.other_emails ?? 0 },
    beforeKeyIds: { codes: row?.unnamed ?? 0, emails: row?.unnamed_emails ?? 0 },
  };
}
