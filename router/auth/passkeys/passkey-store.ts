// The passkeys and passkey_challenges tables (migrations/Migration20270106100000.ts), reached only
// here; every access is one statement. A challenge is taken by a delete, so of two ceremonies that
// present the same one, one gets it; an expired one is never taken.
import type { EntityManager } from '@mikro-orm/postgresql';
import { removeExpiredRows } from '../../../server/database/expired-rows';

export interface PasskeyRow {
  id: string;
  user_id: string;
  credential_id: string;
  user_handle: string;
  public_key: Buffer;
  sign_count: string;
  transports: string[];
  name: string;
  backed_up: boolean;
  created_at: Date;
  last_used_at: Date | null;
}

const COLUMNS =
  'id, user_id, credential_id, user_handle, public_key, sign_count, transports, name, backed_up, created_at, last_used_at';

export type ChallengePurpose = 'register' | 'sign_in';

export async function saveChallenge(
  em: EntityManager,
  challenge: {
    challenge: string;
    purpose: ChallengePurpose;
    userId: string | null;
    /** A registration's: the user handle its options gave. */
    userHandle: string | null;
    expiresAt: Date;
  },
): Promise<void> {
  await em.execute(
    `insert into passkey_challenges (challenge, purpose, user_id, user_handle, expires_at) values (?, ?, ?, ?, ?)`,
    [challenge.challenge, challenge.purpose, challenge.userId, challenge.userHandle, challenge.expiresAt],
  );
}

/**
 * Takes a challenge issued for `purpose` (and, for a registration, to `userId`) that has not expired
 * at `now`, once: undefined when it was not there, else the user handle it was issued with (a
 * registration's; null for a sign-in's).
 */
export async function takeChallenge(
  em: EntityManager,
  challenge: string,
  purpose: ChallengePurpose,
  userId: string | null,
  now: Date,
): Promise<{ userHandle: string | null } | undefined> {
  const [taken] = await em.execute<Array<{ user_handle: string | null }>>(
    `delete from passkey_challenges
      where challenge = ? and purpose = ? and user_id is not distinct from ? and expires_at > ?
      returning user_handle`,
    [challenge, purpose, userId, now],
  );
  return taken && { userHandle: taken.user_handle };
}

/** Removes up to `batch` challenges that expired before `now`, through the expires_at index. How many went. */
export const removeExpiredChallenges = (em: EntityManager, now: Date, batch: number): Promise<number> =>
  removeExpiredRows(em, { table: 'passkey_challenges', key: 'challenge' }, now, batch);

/** A new passkey; undefined when its credential id is registered already (to anyone). */
export async function insertPasskey(
  em: EntityManager,
  passkey: {
    userId: string;
    credentialId: string;
    userHandle: string;
    publicKey: Uint8Array;
    signCount: number;
    transports: string[];
    name: string;
    backedUp: boolean;
  },
): Promise<PasskeyRow | undefined> {
  const [row] = await em.execute<PasskeyRow[]>(
    `insert into passkeys (user_id, credential_id, user_handle, public_key, sign_count, transports, name, backed_up)
     values (?, ?, ?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)), ?, ?)
     on conflict (credential_id) do nothing
     returning ${COLUMNS}`,
    [
      passkey.userId,
      passkey.credentialId,
      passkey.userHandle,
      Buffer.from(passkey.publicKey),
      passkey.signCount,
      // as JSON: knex would spread an array into a list of parameters
      JSON.stringify(passkey.transports),
      passkey.name,
      passkey.backedUp,
    ],
  );
  return row;
}

/** A user's passkeys, the newest first. */
export function passkeysOf(em: EntityManager, userId: string): Promise<PasskeyRow[]> {
  return em.execute<PasskeyRow[]>(`select ${COLUMNS} from passkeys where user_id = ? order by created_at desc, id`, [
    userId,
  ]);
}

export async function passkeyByCredentialId(em: EntityManager, credentialId: string): Promise<PasskeyRow | undefined> {
  const [row] = await em.execute<PasskeyRow[]>(`select ${COLUMNS} from passkeys where credential_id = ?`, [
    credentialId,
  ]);
  return row;
}

/**
 * Records a use: the authenticator's new counter, and when. Only while the stored counter is still
 * the one the check was made against, so two concurrent uses of a cloned credential cannot both
 * pass with the same counter. Whether it was recorded.
 */
export async function recordUse(
  em: EntityManager,
  id: string,
  seenCount: string,
  newCount: number,
  backedUp: boolean,
  now: Date,
): Promise<boolean> {
  const updated = await em.execute(
    `update passkeys set sign_count = ?, backed_up = ?, last_used_at = ? where id = ? and sign_count = ? returning id`,
    [newCount, backedUp, now, id, seenCount],
  );
  return updated.length === 1;
}

/** Names one of a user's passkeys anew: its row before and after, or undefined when the user has no such passkey. */
export async function renamePasskey(
  em: EntityManager,
  userId: string,
  id: string,
  name: string,
): Promise<{ before: string; after: PasskeyRow } | undefined> {
  // the subquery reads the statement's snapshot: the name before this update
  const [row] = await em.execute<Array<PasskeyRow & { before: string }>>(
    `update passkeys set name = ? where id = ? and user_id = ?
      returning ${COLUMNS}, (select old.name from passkeys old where old.id = passkeys.id) as before`,
    [name, id, userId],
  );
  if (!row) return undefined;
  const { before, ...after } = row;
  return { before, after };
}

/** Removes one of a user's passkeys; its row as it was, or undefined when the user has no such passkey. */
export async function deletePasskey(em: EntityManager, userId: string, id: string): Promise<PasskeyRow | undefined> {
  const [row] = await em.execute<PasskeyRow[]>(
    `delete from passkeys where id = ? and user_id = ? returning ${COLUMNS}`,
    [id, userId],
  );
  return row;
}
