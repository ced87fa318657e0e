// Prometheus metrics: requests by operation and status, latency, database pool use, the password
// hasher's queue, and the process's own (CPU, memory, event loop). One registry per app, so tests
// can run several.
import type { MikroORM } from '@mikro-orm/postgresql';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PasswordHasher } from '../crypto/password-hasher';

export interface Metrics {
  registry: Registry;
  observeRequest(labels: { operation: string; method: string; status: number }, seconds: number): void;
}

/** The connection pool knex keeps (tarn). */
interface Pool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  max: number;
}

export function createMetrics(orm: MikroORM, passwords?: PasswordHasher): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by operation and status',
    labelNames: ['operation', 'method', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request',
    labelNames: ['operation', 'method'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const pool = (): Pool | undefined =>
    (orm.em.getConnection().getKnex().client as { pool?: Pool } | undefined)?.pool ?? undefined;
  const poolGauge = (name: string, help: string, read: (p: Pool) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const current = pool();
        this.set(current ? read(current) : 0);
      },
    });
  poolGauge('db_pool_connections_used', 'Database connections in use', (p) => p.numUsed());
  poolGauge('db_pool_connections_idle', 'Database connections open and idle', (p) => p.numFree());
  poolGauge('db_pool_acquires_pending', 'Requests waiting for a database connection', (p) => p.numPendingAcquires());
  poolGauge('db_pool_connections_max', 'Size limit of the database pool', (p) => p.max);

  if (passwords) hasherMetrics(registry, passwords);

  // the labelled series, looked up once per label set rather than hashed on every request
  const counters = new Map<string, { inc(): void }>();
  const timers = new Map<string, { observe(value: number): void }>();
  return {
    registry,
    observeRequest({ operation, method, status }, seconds) {
      const timerKey = `${operation} ${method}`;
      const counterKey = `${timerKey} ${status}`;
      let counter = counters.get(counterKey);
      if (!counter) counters.set(counterKey, (counter = requests.labels(operation, method, String(status))));
      let timer = timers.get(timerKey);
      if (!timer) timers.set(timerKey, (timer = duration.labels(operation, method)));
      counter.inc();
      timer.observe(seconds);
    },
  };
}

/** The hasher's queue: what runs and waits now, and every hash so far by how it ended. */
function hasherMetrics(registry: Registry, passwords: PasswordHasher): void {
  new Gauge({
    name: 'password_hashes_running',
    help: 'Password hashes being computed',
    registers: [registry],
    collect() {
      this.set(passwords.stats.running);
    },
  });
  new Gauge({
    name: 'password_hashes_waiting',
    help: 'Password hashes waiting for a turn (at most HASH_QUEUE_MAX)',
    registers: [registry],
    collect() {
      this.set(passwords.stats.waiting);
    },
  });
  new Counter({
    name: 'password_hashes_total',
    help: 'Password hashes: completed, refused (queue full) or dropped (the request ended while it waited)',
    labelNames: ['outcome'] as const,
    registers: [registry],
    collect() {
      const stats = passwords.stats;
      this.reset();
      for (const outcome of ['completed', 'refused', 'dropped'] as const) this.labels(outcome).inc(stats[outcome]);
    },
  });
}
