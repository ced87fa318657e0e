// The database as one request sees it: a MikroORM unit of work, forked only when the request
// writes, and prepared reads that go through MikroORM's own connection pools as named
// statements, which PostgreSQL parses and plans once per connection (and, for a write sent with
// every change, a prepared statement inside the unit of work's transaction: preparedInTransaction).
// A prepared read marked 'read' may be served by a replica (server/database/read-replicas decides
// which, or the primary); the unit of work, and every other statement, always uses the primary. A
// call whose caller is not yet known to be valid reads through a gated view (`gated`): its
// statements wait for the gate (the session check, router/trpc/session-check), all but one that
// carries the check itself.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { User } from '../../entities';
import type { ReadReplicas, Reader, Replica } from './read-replicas';
import { knexClient, transactionConnection, type KnexClient } from './knex-internals';

/** A read PostgreSQL plans once per connection; the name must be unique to the text. */
export interface PreparedStatement {
  name: string;
  text: string;
  /**
   * The statement answers the gate's question itself (the session check, or a read with the check
   * folded into it): it runs at once, and whoever made it settles the gate from its answer.
   */
  carriesCheck?: true;
}

/**
 * What a call's statements wait for before they may read anything: the caller's session check
 * (router/trpc/session-check), made by the first statement that carries it or, failing that, on
 * its own.
 */
export interface StatementGate {
  /** Until the check has passed. */
  readonly closed: boolean;
  /** Resolves once the check has passed (making it if nothing has yet); rejects with its refusal. */
  passed(): Promise<void>;
}

/** A prepared read inside a snapshot (see RequestDatabase.snapshot). */
export type SnapshotRead = <T>(statement: PreparedStatement, values: unknown[]) => Promise<T[]>;

/** 'primary': must see the latest state (sign-in, a read inside a write). 'read': a replica may serve it. */
export type ReadTarget = 'primary' | 'read';

/** What every view of one request's database shares. */
interface RequestState {
  unitOfWork: EntityManager | undefined;
  /** The replica this request reads from, chosen once so its reads see one replica's state. */
  replica: Promise<Replica | null> | undefined;
  /** Made on the first write: most requests write nothing. */
  affected: Set<string> | undefined;
}

export class RequestDatabase {
  private gate: StatementGate | undefined;

  constructor(
    private readonly orm: MikroORM,
    private readonly replicas: ReadReplicas | null = null,
    /** Whose request this is: its own recent writes decide which replica may serve it. */
    private readonly reader: Reader | null = null,
    private readonly state: RequestState = { unitOfWork: undefined, replica: undefined, affected: undefined },
  ) {}

  /**
   * This request's database for one call whose statements wait for `gate`: the same unit of work,
   * replica and affected users, so the other calls of a batch are not held by this one's gate.
   */
  gated(gate: StatementGate): RequestDatabase {
    const view = new RequestDatabase(this.orm, this.replicas, this.reader, this.state);
    view.gate = gate;
    return view;
  }

  /**
   * This request's unit of work, forked on first use: most reads never need one. Every user whose
   * row it writes (created, updated, deleted) is affected by this request: the handlers need not
   * say so (its subscriber is carried into the transactions forked from it).
   */
  get em(): EntityManager {
    // the unit of work cannot wait for the gate: a call that reads through a gated view writes
    // nothing, and one that tried would be a mistake to stop here rather than let through
    if (this.gate?.closed) throw new Error('the unit of work was reached before the session check passed');
    const state = this.state;
    if (!state.unitOfWork) {
      state.unitOfWork = this.orm.em.fork({ cloneEventManager: true });
      state.unitOfWork.getEventManager().registerSubscriber({
        afterFlush: ({ uow }) => {
          for (const change of uow.getChangeSets()) {
            if (change.meta.class === User) (state.affected ??= new Set()).add((change.entity as User).id);
          }
        },
      });
    }
    return state.unitOfWork;
  }

  async prepared<T>(statement: PreparedStatement, values: unknown[], target: ReadTarget = 'primary'): Promise<T[]> {
    if (this.gate?.closed && !statement.carriesCheck) await this.gate.passed();
    if (target === 'read' && this.replicas) {
      const replica = await (this.state.replica ??= this.replicas.choose(this.reader));
      if (replica) {
        try {
          return await query<T>(knexClient(replica.connection), statement, values);
        } catch (error) {
          // whatever went wrong there, the primary answers instead; a replica that could not be
          // reached is skipped until the next check finds it again
          if (unreachable(error)) this.replicas.failed(replica);
          this.state.replica = Promise.resolve(null);
        }
      }
    }
    try {
      return await query<T>(knexClient(this.orm.em.getConnection()), statement, values);
    } catch (error) {
      // the same exception classes as MikroORM's own queries, so errors map the same way
      throw ormError(this.orm.em, error);
    }
  }

  /**
   * Several prepared reads that must see one state of the database (a streamed list: its total and
   * every batch of its rows), on one connection in one read-only REPEATABLE READ transaction, on a
   * replica when one may serve this request. Nothing of it is kept after `work` ends.
   */
  async snapshot<R>(target: ReadTarget, work: (read: SnapshotRead) => Promise<R>): Promise<R> {
    if (this.gate?.closed) await this.gate.passed();
    const replica =
      target === 'read' && this.replicas ? await (this.state.replica ??= this.replicas.choose(this.reader)) : null;
    const client = knexClient(replica ? replica.connection : this.orm.em.getConnection());
    const connection = await client.acquireConnection();
    const read: SnapshotRead = async <T>(statement: PreparedStatement, values: unknown[]) =>
      (await connection.query({ name: statement.name, text: statement.text, values })).rows as T[];
    try {
      await connection.query({ name: '', text: 'begin isolation level repeatable read read only', values: [] });
      try {
        return await work(read);
      } finally {
        // a broken connection cannot roll back; the pool drops it
        await connection.query({ name: '', text: 'rollback', values: [] }).catch(() => undefined);
      }
    } catch (error) {
      throw ormError(this.orm.em, error);
    } finally {
      await client.releaseConnection(connection);
    }
  }

  /**
   * A principal other than the caller whose reads must see this request's write, for a write made
   * outside the unit of work (plain SQL); the unit of work's writes to users are noted by itself.
   */
  affects(principalId: string): void {
    (this.state.affected ??= new Set()).add(principalId);
  }

  /**
   * After a write committed: the caller's and every affected principal's next reads wait for a
   * replica that has replayed it (server/database/read-your-writes). Nothing to do without replicas.
   */
  async wrote(callerId?: string): Promise<void> {
    if (!this.replicas) return;
    const ids = new Set(this.state.affected ?? []);
    if (callerId !== undefined) ids.add(callerId);
    await this.replicas.wrote([...ids]);
    // this request's own later reads too
    this.state.replica = Promise.resolve(null);
  }
}

/** A driver's error as MikroORM's exception classes, as its own statements throw them, so errors map the same way. */
function ormError(em: EntityManager, error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  return em.getPlatform().getExceptionConverter().convertException(error);
}

async function query<T>(client: KnexClient, statement: PreparedStatement, values: unknown[]): Promise<T[]> {
  const connection = await client.acquireConnection();
  try {
    const { rows } = await connection.query({ name: statement.name, text: statement.text, values });
    return rows as T[];
  } finally {
    await client.releaseConnection(connection);
  }
}

/**
 * A failure to reach the server, rather than the statement's own error: anything but an error
 * PostgreSQL answered (no connection: refused, reset, timed out, none free), and of those it
 * answered, classes 08 (connection) and 57 (shutting down, cannot connect now, canceled).
 */
function unreachable(error: unknown): boolean {
  const { severity, code } = (error ?? {}) as { severity?: unknown; code?: unknown };
  if (typeof severity !== 'string' || typeof code !== 'string') return true;
  return code.startsWith('08') || code.startsWith('57');
}

/**
 * A prepared statement inside the transaction `tx` (MikroORM's, from `em.transactional`), on the
 * transaction's own connection: it commits or rolls back with the transaction's other statements.
 * For a write the service sends with every change (an event, router/events/events-store), where
 * knex's building of the statement would cost the request more than PostgreSQL's work on it.
 * Errors are MikroORM's exception classes, as for its own statements.
 */
export async function preparedInTransaction(
  tx: EntityManager,
  statement: PreparedStatement,
  values: unknown[],
): Promise<void> {
  const connection = await transactionConnection(tx);
  try {
    await connection.query({ name: statement.name, text: statement.text, values });
  } catch (error) {
    throw ormError(tx, error);
  }
}
