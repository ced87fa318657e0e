// What every write to a user shares (its fields through ./user-service, its account state through
// ./account-state): one transaction that commits the write and its events together, and the user
// read under the lock the write needs.
import { randomUUID } from 'node:crypto';
import type { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { Email, User, type AuthMethod } from '../../entities';
import { notFound } from '../trpc/api-errors';
import type { RequestDatabase } from '../../server/database/request-database';
import type { Deadline } from '../trpc/deadline';
import { recordEvent, type NewEvent } from '../events/events-store';
import { eventOrigin, type EventContext } from '../events/event-origin';
import { USER_ID_PATTERN } from './user-schemas';

/** What a write needs of a call's context: the unit of work, the call's deadline, the event's origin. */
export interface WriteContext extends EventContext {
  db: RequestDatabase;
  deadline?: Deadline;
}

/** An event a write records, from the caller of the write. */
export type WriteEvent = Omit<NewEvent, 'actor' | 'requestId' | 'clientAddress'>;

/**
 * A write in one transaction, with the events it `record`s: they are written last, after the
 * flush, in the same transaction, so they commit with the write or not at all (and the events' id
 * lock is held for the commit only, events-store.ts). A call that has been answered already (it
 * timed out, see the `deadline` middleware) must not take effect afterwards: it is checked once
 * before the work and once after everything is written, just before the commit. The events' actor
 * is the caller, or `actor` for a call with none (a person making its own account).
 */
export async function writeTransaction<T>(
  ctx: WriteContext,
  work: (tx: EntityManager, record: (event: WriteEvent) => void) => T | Promise<T>,
  actor?: string,
): Promise<T> {
  const { db, deadline } = ctx;
  deadline?.check();
  return db.em.transactional(async (tx) => {
    const events: WriteEvent[] = [];
    const result = await work(tx, (event) => events.push(event));
    await tx.flush();
    for (const event of events) await recordEvent(tx, { ...event, ...eventOrigin(ctx, actor) });
    deadline?.check();
    return result;
  });
}

/** The user with this id and its email, or a 404. Ids no user can have are not looked up. */
export async function findUser(em: EntityManager, id: string, lockMode?: LockMode): Promise<User> {
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

/** A new user and its email, to be written at the transaction's flush; a new id unless one is chosen. */
export function newUser(
  tx: EntityManager,
  fields: {
    id?: string;
    name: string;
    age: number;
    gender: User['gender'];
    email: { email: string; authMethod: AuthMethod };
  },
  passwordHash: string | null,
): User {
  const email = tx.create(Email, { address: fields.email.email, authMethod: fields.email.authMethod, passwordHash });
  return tx.create(User, {
    id: fields.id ?? randomUUID(),
    name: fields.name,
    age: fields.age,
    gender: fields.gender,
    email,
  });
}
