// What the users procedures do, in terms of entities and one unit of work. Writes run in a
// transaction so a failure leaves nothing behind; the password is hashed before the
// transaction opens, so no connection waits on scrypt.
import { randomUUID } from 'node:crypto';
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { AuthMethod, Email, User } from '../entities';
import { badRequest, notFound } from './errors';
import type { RequestDatabase } from './database';
import type { Deadline } from './deadline';
import type { PasswordHasher } from './passwords';
import { findUserView, listUserViews } from './user-reads';
import {
  USER_ID_PATTERN,
  type ListUsersQuery,
  type UpdateUserCommand,
  type User as UserDto,
  type UserCreate,
  type UserList,
} from './schemas/user';

type EmailInput = UserCreate['email'];

export function listUsers(db: RequestDatabase, { offset, limit }: ListUsersQuery): Promise<UserList> {
  return listUserViews(db, offset, limit);
}

export async function readUser(db: RequestDatabase, id: string): Promise<UserDto> {
  const user = USER_ID_PATTERN.test(id) ? await findUserView(db, id) : undefined;
  if (!user) throw notFound();
  return user;
}

export async function createUser(
  em: EntityManager,
  passwords: PasswordHasher,
  input: UserCreate,
  deadline?: Deadline,
): Promise<UserDto> {
  const sentHash = await hashSentPassword(input.email, passwords);
  const passwordHash = hashToStore(input.email, sentHash, null);
  const user = await writeTransaction(em, deadline, (tx) => {
    const email = tx.create(Email, { address: input.email.email, authMethod: input.email.authMethod, passwordHash });
    return tx.create(User, {
      id: input.id ?? randomUUID(),
      name: input.name,
      age: input.age,
      gender: input.gender,
      email,
    });
  });
  return toUserDto(user);
}

export async function updateUser(
  em: EntityManager,
  passwords: PasswordHasher,
  input: UpdateUserCommand,
  deadline?: Deadline,
): Promise<UserDto> {
  const sentHash = await hashSentPassword(input.email, passwords);
  const user = await writeTransaction(em, deadline, async (tx) => {
    // the row lock makes concurrent replacements of one user apply one after the other
    const user = await findUser(tx, input.id, LockMode.PESSIMISTIC_WRITE);
    const keepsPassword = sentHash === null && input.email.authMethod === AuthMethod.password;
    const storedHash = keepsPassword ? await storedPasswordHash(tx, user.email) : null;
    const now = new Date();
    tx.assign(user, { name: input.name, age: input.age, gender: input.gender, updatedAt: now });
    tx.assign(user.email, {
      address: input.email.email,
      authMethod: input.email.authMethod,
      passwordHash: hashToStore(input.email, sentHash, storedHash),
      updatedAt: now,
    });
    return user;
  });
  return toUserDto(user);
}

export async function deleteUser(em: EntityManager, id: string, deadline?: Deadline): Promise<void> {
  await writeTransaction(em, deadline, async (tx) => {
    const user = await findUser(tx, id, LockMode.PESSIMISTIC_WRITE);
    // the email is an orphan once its user is gone, and is removed with it
    tx.remove(user);
  });
}

/**
 * A write in one transaction. A call that has been answered already (it timed out, see the
 * `deadline` middleware) must not take effect afterwards: it is checked once before the work
 * and once after everything is flushed, just before the commit.
 */
async function writeTransaction<T>(
  em: EntityManager,
  deadline: Deadline | undefined,
  work: (tx: EntityManager) => T | Promise<T>,
): Promise<T> {
  deadline?.check();
  return em.transactional(async (tx) => {
    const result = await work(tx);
    await tx.flush();
    deadline?.check();
    return result;
  });
}

/** The user with this id and its email, or a 404. Ids no user can have are not looked up. */
async function findUser(em: EntityManager, id: string, lockMode?: LockMode): Promise<User> {
  if (!USER_ID_PATTERN.test(id)) throw notFound();
  // one statement (joined), so the user and its email come from the same snapshot
  const user = await em.findOne(
    User,
    { id },
    { populate: ['email'], strategy: 'joined', ...(lockMode ? { lockMode } : {}) },
  );
  if (!user) throw notFound();
  return user;
}

async function storedPasswordHash(em: EntityManager, email: Email): Promise<string | null> {
  await em.populate(email, ['passwordHash']);
  return email.passwordHash;
}

/**
 * Hashes the password a write sends. Only a password sign-in has a password, so one sent for
 * another method is refused before any work is done.
 */
async function hashSentPassword(email: EmailInput, passwords: PasswordHasher): Promise<string | null> {
  if (email.password === undefined) return null;
  if (email.authMethod !== AuthMethod.password) {
    throw badRequest('email.password: can only be set when email.authMethod is 0 (password)');
  }
  return passwords.hash(email.password);
}

/** The hash an email keeps after a write: the one just sent, else the stored one; none unless it signs in by password. */
function hashToStore(email: EmailInput, sentHash: string | null, storedHash: string | null): string | null {
  if (email.authMethod !== AuthMethod.password) return null;
  const hash = sentHash ?? storedHash;
  if (hash === null) throw badRequest('email.password: is required when email.authMethod is 0 (password)');
  return hash;
}

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** The public view of a user. `email.token` exists in the published shape and is always empty. */
export function toUserDto(user: User): UserDto {
  const { email } = user;
  return {
    id: user.id,
    name: user.name,
    age: user.age,
    gender: user.gender,
    email: {
      id: email.id,
      email: email.address,
      authMethod: email.authMethod,
      token: '',
      createdAt: seconds(email.createdAt),
      updatedAt: seconds(email.updatedAt),
    },
    createdAt: seconds(user.createdAt),
    updatedAt: seconds(user.updatedAt),
  };
}
