// The retention round's removal of expired one-time rows (a login code, a sign-up ticket, a passkey
// challenge): up to `batch` rows whose `expires_at` has passed, found through that column's index,
// skipping rows a request holds, in one statement. Each store names its own table and key.
import type { EntityManager } from '@mikro-orm/postgresql';

/** The tables of one-time rows with a single-column key and an `expires_at` index. */
export type ExpiringTable =
  | { table: 'oauth_login_codes'; key: 'code_hash' }
  | { table: 'oauth_sign_ups'; key: 'ticket_hash' }
  | { table: 'passkey_challenges'; key: 'challenge' };

/** Removes up to `batch` rows of `table` that expired before `now`. How many went. */
export async function removeExpiredRows(
  em: EntityManager,
  { table, key }: ExpiringTable,
  now: Date,
  batch: number,
): Promise<number> {
  const removed = await em.execute(
    `delete from ${table} where ${key} in (
       select ${key} from ${table} where expires_at < ? limit ? for update skip locked)
     returning ${key}`,
    [now, batch],
  );
  return removed.length;
}
