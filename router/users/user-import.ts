// Importing users from another system (POST /api/v2/users/import, `users.import`), with the password
// hash each had there, so that moving to this service signs nobody out of their password: the first
// sign-in verifies the imported hash and replaces it with this service's own (server/crypto).
// A batch is made whole or not at all: every problem of every user is found before anything is
// written (each named by its place, `users.3.email.passwordHash: …`), then one transaction makes
// the users with a `user.created` event each (`imported: true`), as a create would.
import { emailKey, EMAIL_KEY_INDEX, EMAIL_KEY_SQL } from '../../entities';
import { importProblem } from '../../server/crypto/imported-hashes';
import type { PreparedStatement } from '../../server/database/request-database';
import { badRequest, duplicatesAt } from '../trpc/api-errors';
import { newUser, writeTransaction, type WriteContext } from './user-writes';
import { createdChanges, userFields } from './user-changes';
import { toUserDto } from './user-service';
import {
  PASSWORD_NOT_USED,
  PASSWORD_REQUIRED,
  usesPassword,
  type User as UserDto,
  type UserImportRequest,
} from './user-schemas';

type UserImport = UserImportRequest['users'][number];

const TAKEN_IDS: PreparedStatement = {
  name: 'users_import_taken_ids_1',
  text: 'select id from users where id = any($1::text[])',
};

// by the expression of the unique index on emails, given the keys (entities/email-key.ts)
const TAKEN_ADDRESSES: PreparedStatement = {
  name: 'users_import_taken_addresses_1',
  text: `select ${EMAIL_KEY_SQL}(address) as key from emails where ${EMAIL_KEY_SQL}(address) = any($1::text[])`,
};

export async function importUsers(ctx: WriteContext, input: UserImportRequest): Promise<UserDto[]> {
  const problems = input.users.flatMap(problemsOf);
  problems.push(...repeats(input.users));
  if (problems.length > 0) throw badRequest(problems.join('; '));
  await refuseTaken(ctx, input.users);
  const users = await writeTransaction(ctx, (tx, record) =>
    input.users.map((item) => {
      const user = newUser(tx, item, item.email.passwordHash ?? null);
      record({ type: 'user.created', userId: user.id, data: { ...createdChanges(userFields(user)), imported: true } });
      return user;
    }),
  );
  return users.map(toUserDto);
}

/** Password (0) and password + TOTP (2) sign in with a password, so they need its hash; 1 and 3 have none. */
function problemsOf(item: UserImport, index: number): string[] {
  const path = `users.${index}.email.passwordHash`;
  const { authMethod, passwordHash } = item.email;
  if (usesPassword(authMethod) && passwordHash === undefined) return [`${path}: ${PASSWORD_REQUIRED}`];
  if (!usesPassword(authMethod) && passwordHash !== undefined) return [`${path}: ${PASSWORD_NOT_USED}`];
  const problem = passwordHash === undefined ? undefined : importProblem(passwordHash);
  return problem ? [`${path}: ${problem}`] : [];
}

/** Two users of the batch with one address (as the service compares them) or one id. */
function repeats(users: UserImport[]): string[] {
  const problems: string[] = [];
  const addresses = new Map<string, number>();
  const ids = new Map<string, number>();
  users.forEach((user, index) => {
    const key = emailKey(user.email.email);
    const first = addresses.get(key);
    if (first === undefined) addresses.set(key, index);
    else problems.push(`users.${index}.email.email: is the address of users.${first} too`);
    if (user.id === undefined) return;
    const firstId = ids.get(user.id);
    if (firstId === undefined) ids.set(user.id, index);
    else problems.push(`users.${index}.id: is the id of users.${firstId} too`);
  });
  return problems;
}

/** 409 when an address or an id of the batch is another user's already, naming each. */
async function refuseTaken(ctx: WriteContext, users: UserImport[]): Promise<void> {
  const ids = users.flatMap((user) => (user.id === undefined ? [] : [user.id]));
  const [takenIds, takenAddresses] = await Promise.all([
    ids.length > 0 ? ctx.db.prepared<{ id: string }>(TAKEN_IDS, [ids]) : Promise.resolve([]),
    ctx.db.prepared<{ key: string }>(TAKEN_ADDRESSES, [users.map((user) => emailKey(user.email.email))]),
  ]);
  const idSet = new Set(takenIds.map((row) => row.id));
  const keySet = new Set(takenAddresses.map((row) => row.key));
  const taken = users.flatMap((user, index) => [
    ...(user.id !== undefined && idSet.has(user.id) ? [{ path: `users.${index}.id`, constraint: 'users_pkey' }] : []),
    ...(keySet.has(emailKey(user.email.email))
      ? [{ path: `users.${index}.email.email`, constraint: EMAIL_KEY_INDEX }]
      : []),
  ]);
  if (taken.length > 0) throw duplicatesAt(taken);
}
