// Which replica a read may use (DATABASE_REPLICA_URLS), decided from what the service last saw of
// each: a background check asks the primary where its WAL stands, then each replica how far it has
// replayed. A replica is known to hold everything the primary held at the time of the newest such
// reading it has replayed past; its lag is the time since then. A replica that did not answer,
// that is no standby (promoted, misconfigured), or whose lag is over REPLICA_MAX_LAG_MS is skipped.
// A read for a principal also needs the replica to have replayed that principal's latest write
// (server/database/read-your-writes) and to be known current as of the moment its token was issued (so a
// fresh sign-in sees what was written before it, on any instance, even without Redis); when no
// replica qualifies, the primary serves. Judged from the last check alone, never by asking a
// replica per request: a read only ever waits for the replica it is sent to.
import type { PostgreSqlConnection } from '@mikro-orm/postgresql';
import type { MikroORM } from '@mikro-orm/postgresql';
import { parseLsn, WrittenPositions } from './read-your-writes';
import { replicaConnections } from './replica-internals';
import type { Redis } from 'ioredis';

export interface ReplicaSettings {
  maxLagMs: number;
  redis?: Redis;
  /** Check failures worth a log line (a replica gone or back); never a URL. */
  log: {
    warn(details: Record<string, unknown>, message: string): void;
    info(details: Record<string, unknown>, message: string): void;
  };
}

/** Who a read is for: the caller's id and when its token was issued (unix seconds). */
export interface Reader {
  id: string;
  issuedAt?: number;
}

export interface Replica {
  /** "replica 1" … in the order of DATABASE_REPLICA_URLS (readyz and logs name them so, never by URL). */
  name: string;
  connection: PostgreSqlConnection;
}

interface ReplicaState extends Replica {
  reachable: boolean;
  standby: boolean;
  /** How far it had replayed at the last check. */
  replayed: bigint;
  /** The time of the newest primary reading it had replayed past (ms), null before the first. */
  currentAt: number | null;
  /** What the logs last said of it, so a state is logged once. */
  reported?: string;
}

interface PrimaryReading {
  at: number;
  position: bigint;
}

const CHECK_TIMEOUT_MS = 1000;
const POSITION = `select pg_current_wal_lsn()::text as position`;
const REPLAYED = `select pg_is_in_recovery() as standby, coalesce(pg_last_wal_replay_lsn(), '0/0')::text as replayed`;

export class ReadReplicas {
  readonly positions: WrittenPositions;
  private readonly replicas: ReplicaState[];
  private readings: PrimaryReading[] = [];
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private next = 0;

  constructor(
    private readonly orm: MikroORM,
    private readonly settings: ReplicaSettings,
  ) {
    this.positions = new WrittenPositions(settings.maxLagMs, settings.redis);
    this.replicas = replicaConnections(orm).map((connection, index) => ({
      name: `replica ${index + 1}`,
      connection,
      reachable: false,
      standby: false,
      replayed: 0n,
      currentAt: null,
    }));
    // several checks fit in the allowed lag, so a replica that keeps up is never judged behind
    this.intervalMs = Math.min(1000, Math.max(50, Math.floor(settings.maxLagMs / 4)));
  }

  /** Starts the checks (the first at once); replicas are used once the first one has answered. */
  start(): this {
    const loop = () => {
      this.running = this.check().finally(() => {
        if (!this.stopped) this.timer = setTimeout(loop, this.intervalMs).unref();
      });
    };
    loop();
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Resolves once a check has run after this call (tests, and start-up in main). */
  async checked(): Promise<void> {
    await this.running;
    await this.check();
  }

  /** The replica to send this reader's reads to, or null for the primary. */
  async choose(reader: Reader | null | undefined): Promise<Replica | null> {
    const required = reader ? await this.positions.required(reader.id) : 0n;
    if (required === 'primary') return null;
    // the token's second, rounded up: everything committed before it was issued
    const since = reader?.issuedAt === undefined ? 0 : (reader.issuedAt + 1) * 1000;
    const now = Date.now();
    const usable = this.replicas.filter(
      (replica) =>
        replica.reachable &&
        replica.standby &&
        replica.currentAt !== null &&
        now - replica.currentAt <= this.settings.maxLagMs &&
        replica.currentAt >= since &&
        replica.replayed >= required,
    );
    if (usable.length === 0) return null;
    this.next = (this.next + 1) % usable.length;
    return usable[this.next] ?? null;
  }

  /** A read on `replica` failed to reach it: skip it until a check finds it again. */
  failed(replica: Replica): void {
    const state = this.replicas.find((candidate) => candidate.connection === replica.connection);
    if (state) this.mark(state, false);
  }

  /** After a write: its principals' next reads wait for a replica that has replayed it. */
  async wrote(principalIds: readonly string[]): Promise<void> {
    if (principalIds.length === 0) return;
    let position: bigint;
    try {
      const [row] = await this.orm.em.getConnection().execute<Array<{ position: string }>>(POSITION);
      position = parseLsn(row?.position ?? '');
    } catch {
      // the write committed but its position is unknown: the furthest one, so reads stay on the primary
      position = (1n << 64n) - 1n;
    }
    await this.positions.record(principalIds, position);
  }

  /** For /readyz: each replica as "ok", "lagging (N ms)", "not a standby" or "unreachable". */
  report(): Record<string, string> {
    const now = Date.now();
    return Object.fromEntries(this.replicas.map((replica) => [replica.name, this.describe(replica, now)]));
  }

  private describe(replica: ReplicaState, now: number): string {
    if (!replica.reachable) return 'unreachable';
    if (!replica.standby) return 'not a standby';
    if (replica.currentAt === null) return 'lagging (not caught up yet)';
    const lag = now - replica.currentAt;
    return lag <= this.settings.maxLagMs ? 'ok' : `lagging (${lag} ms)`;
  }

  private async check(): Promise<void> {
    const at = Date.now();
    try {
      const [row] = await withTimeout(this.orm.em.getConnection().execute<Array<{ position: string }>>(POSITION));
      this.readings.push({ at, position: parseLsn(row?.position ?? '') });
      // readings older than the allowed lag cannot make a replica usable any more
      const oldest = at - this.settings.maxLagMs;
      while (this.readings.length > 1 && (this.readings[1]?.at ?? at) < oldest) this.readings.shift();
    } catch {
      // the primary did not answer: no new reading, so the replicas' lag grows until it does
    }
    await Promise.all(this.replicas.map((replica) => this.checkReplica(replica)));
  }

  private async checkReplica(replica: ReplicaState): Promise<void> {
    try {
      const [row] = await withTimeout(
        replica.connection.execute<Array<{ standby: boolean; replayed: string }>>(REPLAYED),
      );
      replica.standby = row?.standby === true;
      replica.replayed = parseLsn(row?.replayed ?? '0/0');
      for (const reading of this.readings) {
        if (reading.position <= replica.replayed && (replica.currentAt ?? 0) < reading.at)
          replica.currentAt = reading.at;
      }
      this.mark(replica, true);
    } catch {
      this.mark(replica, false);
    }
  }

  private mark(replica: ReplicaState, reachable: boolean): void {
    replica.reachable = reachable;
    const state = this.describe(replica, Date.now()).replace(/ \(.*\)$/, '');
    if (state === replica.reported) return;
    const first = replica.reported === undefined;
    replica.reported = state;
    if (state === 'ok') {
      if (!first) this.settings.log.info({ replica: replica.name }, `${replica.name} is back: reads use it again`);
    } else {
      this.settings.log.warn(
        { replica: replica.name, state },
        `${replica.name} is ${state}: its reads go to the primary`,
      );
    }
  }
}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('check timed out')), CHECK_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
