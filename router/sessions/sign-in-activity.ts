// A user's last sign-in, how it was made, and how many there have been (the user_sign_ins table):
// written by the statement that begins a sign-in's session (./sessions-store.ts `insertSession`),
// read here for an account's status and its data export, and asked by the users list's
// `signedInSince` / `notSignedInSince`, which find the accounts in use and the dormant ones.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SignInActivity } from './session-schemas';

interface ActivityRow {
  /** As the driver gives a timestamptz: a string (MikroORM's), or a Date. */
  last_at: string | Date;
  last_method: NonNullable<SignInActivity['lastSignInMethod']>;
  count: number;
}

export async function readSignInActivity(em: EntityManager, userId: string): Promise<SignInActivity> {
  const [row] = await em.execute<ActivityRow[]>(
    'select last_at, last_method, count from user_sign_ins where user_id = ?',
    [userId],
  );
  if (!row) return { signInCount: 0 };
  return {
    lastSignInAt: new Date(row.last_at).toISOString(),
    lastSignInMethod: row.last_method,
    signInCount: row.count,
  };
}

/**
 * The SQL condition "the user `userId` (an SQL expression) has signed in at or after `since` (an
 * SQL expression of a timestamptz)": one probe of the table's key, or, for the few recent ones, its
 * `last_at` index.
 */
export function signedInSinceSql(userId: string, since: string): string {
  return `exists (select from user_sign_ins si where si.user_id = ${userId} and si.last_at >= ${since})`;
}
