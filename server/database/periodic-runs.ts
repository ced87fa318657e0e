// A periodic task that one instance at a time is enough for, shared through PostgreSQL (no instance
// keeps it): each instance's round claims the task's run, and one claim in `intervalMs` wins, whatever
// the number of instances. The dormant accounts' step (server/start/retention.ts) reads every user,
// which every instance's ten-minute round need not do.
import type { EntityManager } from '@mikro-orm/postgresql';

/** Whether this round runs `name`: true once per `intervalMs` (by `now`, ms) among every instance. */
export async function claimPeriodicRun(em: EntityManager, name: string, intervalMs: number, now: number) {
  const claimed = await em.execute<Array<{ name: string }>>(
    `insert into periodic_runs as r (name, last_at) values (?, ?)
     on conflict (name) do update set last_at = excluded.last_at where r.last_at <= ?
     returning name`,
    [name, new Date(now), new Date(now - intervalMs)],
  );
  return claimed.length > 0;
}
