// What the users procedures do, in terms of entities and one unit of work. Writes run in a
// transaction so a failure leaves nothing behind; the password is hashed before the
// transaction opens, so no connection waits on scrypt, and after everything that can refuse the
// write without it (./write-checks), so a write bound to fail costs no hash.
import { randomUUID } from 'node:crypto';
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { TRPCError } from '@trpc/server';
import { AuthMethod, User, emailKey } from '../../entities';
import { endSignInState, queueSecurityNotice, type NoticeContext } from '../auth/sign-in-state';
import { badRequest, notFound } from '../trpc/api-errors';
import type { ReadTarget } from '../../server/database/request-database';
import type { SessionCheck } from '../trpc/session-check';
import type { PasswordHasher } from '../../server/crypto/password-hasher';
import type { PasswordPolicy } from '../../server/passwords/password-policy';
import { findUserView } from './user-reads';
import { checkCreation, checkReplacement } from './write-checks';
import { requireRecentSignIn, type CredentialChange, type StepUpContext } from './step-up';
import { findUser, newUser, writeTransaction, type WriteContext, type WriteEvent } from './user-writes';
import { createdChanges, updateChanges, userFields } from './user-changes';
import {
  PASSWORD_NOT_USED,
  PASSWORD_REQUIRED,
  USER_ID_PATTERN,
  usesPassword,
  type UpdateUserCommand,
  type User as UserDto,
  type UserCreate,
  type VersionedUser,
} from './user-schemas';
import { assertExpected, userVersion, type VersionExpectation } from './user-versions';

type EmailInput = UserCreate['email'];
/** A replacement of a user: its new state, without the version a typed client expects (see `expected`). */
export type UserReplacement = Omit<UpdateUserCommand, 'expectedVersion'>;

/** What the users procedures need of a call's context (the caller and request, for the events). */
export interface UsersContext extends WriteContext, NoticeContext {
  passwords: PasswordHasher;
  passwordPolicy: PasswordPolicy;
  /** A read's session check, still to make: the read carries it (router/trpc/session-check). */
  sessionCheck?: SessionCheck;
}

/**
 * The user and its version (the ETag), from one row; `target` 'primary' for a read before a write.
 * A read by id carries the call's session check when it is still to make, so its 401 comes before
 * any 404.
 */
export async function readUser(ctx: UsersContext, id: string, target: ReadTarget = 'read'): Promise<VersionedUser> {
  const found = USER_ID_PATTERN.test(id) ? await findUserView(ctx.db, id, target, ctx.sessionCheck) : undefined;
  if (!found) throw notFound();
  return found;
}

export async function createUser(ctx: UsersContext, input: UserCreate): Promise<VersionedUser> {
  const sentHash = await hashSentPassword(ctx, input, () => checkCreation(ctx.db, input.id, input.email.email));
  const { passwordHash = null } = passwordWrite(input.email, sentHash, false);
  const user = await writeTransaction(ctx, (tx, record) => {
    const user = newUser(tx, input, passwordHash);
    record({ type: 'user.created', userId: user.id, data: createdChanges(userFields(user)) });
    return user;
  });
  return versioned(user);
}

/** The fields of an account a person makes itself: a new user's, without an id. */
export type OwnAccount = Pick<UserCreate, 'name' | 'age' | 'gender'> & {
  email: Pick<UserCreate['email'], 'email' | 'authMethod'>;
};

/**
 * The account a person makes itself (router/auth/sign-up, router/invitations): a user as
 * `createUser` makes one, with a new id and the role every account starts with, recorded with the
 * person as its actor. `claim` runs first in the same transaction (it spends the proof the person
 * gave: a code, an invitation) and refuses by throwing, and then nothing is written; `then` runs
 * once the user is written (what else the account starts with). The events both answer are
 * recorded after `user.created`, in the same transaction. The new user's id.
 */
export async function createOwnAccount(
  ctx: WriteContext,
  fields: OwnAccount,
  passwordHash: string | null,
  claim: (tx: EntityManager, userId: string) => Promise<WriteEvent[]>,
  then?: (tx: EntityManager, userId: string) => Promise<WriteEvent[]>,
): Promise<string> {
  const id = randomUUID();
  await writeTransaction(
    ctx,
    async (tx, record) => {
      const events = await claim(tx, id);
      const user = newUser(tx, { ...fields, id }, passwordHash);
      record({ type: 'user.created', userId: id, data: createdChanges(userFields(user)) });
      for (const event of events) record(event);
      if (then) {
        await tx.flush();
        for (const event of await then(tx, id)) record(event);
      }
    },
    id,
  );
  return id;
}

/**
 * Replaces a user (PUT, and every PATCH once merged: see ./user-patch.ts), if it is still at the
 * version `expected` names (none: unconditionally).
 */
export async function updateUser(
  ctx: UsersContext & StepUpContext,
  input: UserReplacement,
  expected: VersionExpectation = {},
): Promise<VersionedUser> {
  // a password sent by a caller whose sign-in is too old is refused before any hashing
  requireRecentSignIn(ctx, input.id, input.email.password === undefined ? [] : ['password']);
  // a person's own new address is refused before the address is looked up, so no 409 tells it
  // whether the address has an account (the code sent to it tells nobody: ../auth/email-change);
  // without a password the write's transaction refuses it before its flush meets the unique index
  const newAddress = (current: string) =>
    refuseUnprovenOwnAddress(ctx, input.id, emailKey(current) === emailKey(input.email.email) ? [] : ['email address']);
  const sentHash = await hashSentPassword(ctx, input, () =>
    checkReplacement(ctx.db, input.id, input.email.email, newAddress),
  );
  const user = await writeTransaction(ctx, async (tx, record) => {
    // the row lock makes concurrent replacements of one user apply one after the other, and holds
    // the version still while it is compared and the write made
    const user = await findUser(tx, input.id, LockMode.PESSIMISTIC_WRITE);
    assertExpected(expected, versionOf(user));
    const before = { address: user.email.address, authMethod: user.email.authMethod };
    const fieldsBefore = userFields(user);
    const changes = credentialChanges(before, input.email, sentHash !== null);
    // before anything is written: a refusal leaves the user as it was
    refuseUnprovenOwnAddress(ctx, input.id, changes);
    requireRecentSignIn(ctx, input.id, changes);
    const now = new Date();
    tx.assign(user, { name: input.name, age: input.age, gender: input.gender, updatedAt: now });
    // the email's updatedAt says when the email changed: a PUT that keeps it writes no row of it
    const emailChanged =
      input.email.email !== before.address || input.email.authMethod !== before.authMethod || sentHash !== null;
    tx.assign(user.email, {
      address: input.email.email,
      authMethod: input.email.authMethod,
      ...passwordWrite(input.email, sentHash, usesPassword(before.authMethod)),
      ...(emailChanged ? { updatedAt: now } : {}),
    });
    // a password is named as changed whenever one is sent, never with a value
    record({
      type: 'user.updated',
      userId: user.id,
      data: updateChanges(fieldsBefore, userFields(user), sentHash !== null),
    });
    if (changes.length > 0) await credentialsChanged(tx, ctx, record, user, changes, before);
    return user;
  });
  return versioned(user);
}

/**
 * Moves a user to a new address it proved it reads (router/auth/email-change): `claim` spends the
 * proof in the same transaction, and refuses by throwing, and then nothing is written. An address
 * another user holds meanwhile is a 409 (the unique index), and the proof is not spent.
 */
export async function changeOwnAddress(
  ctx: UsersContext & { principal: StepUpContext['principal'] },
  userId: string,
  address: string,
  claim: (tx: EntityManager) => Promise<void>,
): Promise<VersionedUser> {
  const user = await writeTransaction(ctx, async (tx, record) => {
    await claim(tx);
    const user = await findUser(tx, userId, LockMode.PESSIMISTIC_WRITE);
    const before = { address: user.email.address, authMethod: user.email.authMethod };
    const fieldsBefore = userFields(user);
    const now = new Date();
    tx.assign(user, { updatedAt: now });
    tx.assign(user.email, { address, updatedAt: now });
    record({ type: 'user.updated', userId, data: updateChanges(fieldsBefore, userFields(user), false) });
    await credentialsChanged(tx, ctx, record, user, ['email address'], before);
    return user;
  });
  return versioned(user);
}

/**
 * What follows a change of how a user signs in, in the transaction of the change: every token
 * issued before it ends, with every session but the one a user changing its own credentials calls
 * from, and what a method it leaves kept for signing in; `auth.credentials_changed` is recorded; and
 * the user is told, at its address and, for a new one, at the one it left too.
 */
async function credentialsChanged(
  tx: EntityManager,
  ctx: UsersContext & { principal: StepUpContext['principal'] },
  record: (event: WriteEvent) => void,
  user: User,
  changes: CredentialChange[],
  before: { address: string; authMethod: AuthMethod },
): Promise<void> {
  const methodLeft = changes.includes('sign-in method') ? before.authMethod : undefined;
  const ownSession = ctx.principal.id === user.id ? ctx.principal.sessionId : undefined;
  await endSignInState(tx, user, methodLeft, ownSession);
  record({ type: 'auth.credentials_changed', userId: user.id, data: { credentials: changes } });
  const left = changes.includes('email address') ? before.address : undefined;
  const change = { kind: 'credentials' as const, credentials: changes };
  await queueSecurityNotice(tx, ctx, user.id, user.email.address, change, { previousAddress: left });
}

/** What a user's own write with another address is told (403): ./refuseUnprovenOwnAddress. */
export const OWN_ADDRESS_NEEDS_PROOF =
  'email.email: changing your own email address needs a code sent to the new one: ' +
  'request it with POST /api/v2/auth/email-change, then confirm it with POST /api/v2/auth/email-change/confirm';

/**
 * A person moves its own account to another address only by proving it reads the new one
 * (router/auth/email-change), never by writing it: otherwise anyone could put an address they do
 * not own on their account, and its owner would meet that account when signing in by the address
 * (an OpenID provider's first sign-in is linked by its verified email: a pre-account takeover), or
 * find the address taken. Admins (on other users), operator tokens and machine clients set
 * addresses as they always did; an impersonation is refused by the step-up rule (./step-up).
 */
function refuseUnprovenOwnAddress(ctx: StepUpContext, userId: string, changes: readonly CredentialChange[]): void {
  if (!changes.includes('email address') || !isOwnWrite(ctx, userId)) return;
  throw new TRPCError({ code: 'FORBIDDEN', message: OWN_ADDRESS_NEEDS_PROOF });
}

/** A person writing its own account, signed in as itself (not an admin acting as it). */
function isOwnWrite(ctx: StepUpContext, userId: string): boolean {
  const { principal } = ctx;
  return principal.id === userId && principal.epoch !== undefined && principal.impersonator === undefined;
}

/** Deletes a user, if it is still at the version `expected` names (none: unconditionally). */
export async function deleteUser(
  ctx: UsersContext & StepUpContext,
  id: string,
  expected: VersionExpectation = {},
): Promise<void> {
  requireRecentSignIn(ctx, id, ['account']);
  await writeTransaction(ctx, async (tx, record) => {
    const user = await findUser(tx, id, LockMode.PESSIMISTIC_WRITE);
    assertExpected(expected, versionOf(user));
    // the email is an orphan once its user is gone, and is removed with it
    tx.remove(user);
    record({ type: 'user.deleted', userId: id, data: { before: userFields(user) } });
  });
}

/**
 * What a write changes of how its user signs in: a password whenever one is sent (it is never
 * compared), the address when it differs as the service compares addresses, the method.
 */
function credentialChanges(
  before: { address: string; authMethod: AuthMethod },
  after: EmailInput,
  passwordSent: boolean,
): CredentialChange[] {
  const changes: CredentialChange[] = [];
  if (passwordSent) changes.push('password');
  // an address is new when its key is (entities/email-key)
  if (emailKey(before.address) !== emailKey(after.email)) changes.push('email address');
  if (before.authMethod !== after.authMethod) changes.push('sign-in method');
  return changes;
}

/**
 * Hashes the password a write sends, once nothing but the hash stands between the write and its
 * success: only the methods that sign in with a password have one, so one sent for another method
 * is refused first, then one the password policy refuses (a common one, or one built on the
 * user's name or address as the write leaves them); then `check` refuses what it can without a
 * hash. The hash is dropped if the call ends while it waits for its turn.
 */
async function hashSentPassword(
  ctx: UsersContext,
  user: { name: string; email: EmailInput },
  check: () => Promise<void>,
): Promise<string | null> {
  const { email } = user;
  if (email.password === undefined) return null;
  if (!usesPassword(email.authMethod)) {
    throw badRequest(`email.password: ${PASSWORD_NOT_USED}`);
  }
  const refusal = ctx.passwordPolicy.refusal(email.password, { name: user.name, email: email.email });
  if (refusal) throw badRequest(`email.password: ${refusal}`);
  ctx.deadline?.check();
  await check();
  return ctx.passwords.hash(email.password, ctx.deadline?.signal);
}

/**
 * What a write does to the stored hash: stores the one just made of a sent password, drops it for a
 * method without a password, or leaves it as it is (not read, not written) when the method keeps
 * signing in with a password and none was sent: a method with a password always has one stored
 * (the `emails_password_check` constraint), so `hadPassword`, the method it had, says it is there.
 */
function passwordWrite(
  email: EmailInput,
  sentHash: string | null,
  hadPassword: boolean,
): { passwordHash?: string | null } {
  if (!usesPassword(email.authMethod)) return { passwordHash: null };
  if (sentHash !== null) return { passwordHash: sentHash };
  if (!hadPassword) {
    throw badRequest(`email.password: ${PASSWORD_REQUIRED}`);
  }
  return {};
}

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

function versionOf(user: User) {
  return userVersion(user.email.id, user.version);
}

/** The user as written (after the flush: the version is the one just stored) and its version. */
function versioned(user: User): VersionedUser {
  return { user: toUserDto(user), version: versionOf(user) };
}

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
