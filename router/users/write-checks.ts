// What a write that sends a password can be refused for without hashing it: the user in the path
// does not exist (404), the address or the id is another user's (409). These run before the hash,
// so a write bound to fail costs no scrypt (a hash is the expensive part of a write, and anyone
// with a token could otherwise repeat a failing one for ever). They read the primary, outside the
// write's transaction: the unique constraints and the row lock in the transaction stay the final
// guard against a write that races them.
import type { PreparedStatement, RequestDatabase } from '../../server/database/request-database';
import { duplicate, notFound } from '../trpc/api-errors';
import { USER_ID_PATTERN } from './user-schemas';
import { EMAIL_KEY_INDEX, EMAIL_KEY_SQL } from '../../entities';

const EMAIL_OF_USER: PreparedStatement = {
  name: 'users_write_check_email_2',
  text: 'select u.email_id, e.address from users u join emails e on e.id = u.email_id where u.id = $1',
};

// the same expression as the unique index on emails (entities/email-key.ts)
const ADDRESS_HOLDER: PreparedStatement = {
  name: 'users_write_check_address_2',
  text: `select id from emails where ${EMAIL_KEY_SQL}(address) = ${EMAIL_KEY_SQL}($1) and id is distinct from $2 limit 1`,
};

const USER_EXISTS: PreparedStatement = {
  name: 'users_write_check_id_1',
  text: 'select 1 from users where id = $1',
};

/**
 * Before replacing user `id` with `address`: the user exists, `checkAddress` takes the address it
 * has now (and refuses by throwing), and no other user has the new one.
 */
export async function checkReplacement(
  db: RequestDatabase,
  id: string,
  address: string,
  checkAddress?: (current: string) => void,
): Promise<void> {
  if (!USER_ID_PATTERN.test(id)) throw notFound();
  const [user] = await db.prepared<{ email_id: number; address: string }>(EMAIL_OF_USER, [id]);
  if (!user) throw notFound();
  checkAddress?.(user.address);
  await checkAddressFree(db, address, user.email_id);
}

/** Before creating a user: its id (when one is given) and its address are free. */
export async function checkCreation(db: RequestDatabase, id: string | undefined, address: string): Promise<void> {
  if (id !== undefined && (await db.prepared(USER_EXISTS, [id])).length > 0) throw duplicate('users_pkey');
  await checkAddressFree(db, address, null);
}

async function checkAddressFree(db: RequestDatabase, address: string, ownEmailId: number | null): Promise<void> {
  const holders = await db.prepared(ADDRESS_HOLDER, [address, ownEmailId]);
  if (holders.length > 0) throw duplicate(EMAIL_KEY_INDEX);
}
