// Retention, one round every EVENT_RETENTION_INTERVAL_SECONDS in every instance: the events older
// than EVENT_RETENTION_DAYS, and the webhook deliveries as old (each carries a copy of its event);
// then what has expired and is only kept for nothing: sign-in, reset and sign-up codes nobody used,
// invitations 30 days after they expired, OAuth2 login codes nobody redeemed, passkey challenges
// nobody answered, and sessions past their end (with the client address and browser of users who
// never sign in again). A batch of at most 1000 at a time in its own short
// transaction, found through an index, rows a request holds skipped, so no lock is held for long
// and no request waits on it or pays for it. Several instances doing it at once only share the
// work. With DORMANT_ACCOUNT_DAYS set, the round then warns and disables the dormant accounts
// (router/users/dormant-accounts.ts), a batch at a time in the same way: one round an hour among
// all the instances (server/database/periodic-runs.ts). Started by main.ts,
// stopped on shutdown before the database closes.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { emailChangeCodes, resetCodes, signUpCodes, signInCodes } from '../../router/auth/mailed-code-store';
import { removeExpiredLoginCodes, removeExpiredSignUpTickets } from '../../router/auth/oauth2/oauth2-store';
import { removeExpiredChallenges } from '../../router/auth/passkeys/passkey-store';
import { removeExpiredInvitations } from '../../router/invitations/invitations-store';
import { removeEventsBefore } from '../../router/events/events-store';
import { removeExpiredSessions } from '../../router/sessions/sessions-store';
import { disableDormantAccounts, warnDormantAccounts, type DormancyMail } from '../../router/users/dormant-accounts';
import { removeDeliveriesBefore } from '../webhooks/delivery-store';
import type { Logger } from '../ops/logger';
import { startPeriodicTask, type PeriodicTask } from './periodic-task';
import { claimPeriodicRun } from '../database/periodic-runs';

export const RETENTION_BATCH = 1000;
/** Accounts disabled per transaction: each is several statements (its sessions, its event). */
const DORMANT_BATCH = 100;
/**
 * How often the dormant accounts' step runs, among all the instances: it reads every user (1.5 s at
 * 1,000,000 users, docs/performance.md), and its days are whole days.
 */
const DORMANT_INTERVAL_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface RetentionOptions {
  orm: MikroORM;
  days: number;
  /** How often a round runs. */
  intervalMs: number;
  /** DORMANT_ACCOUNT_DAYS: users not signed in for this long are disabled; undefined: none are. */
  dormantDays?: number;
  /** While the service can mail: dormant accounts are warned first (SERVICE_NAME, where to sign in). */
  dormancyMail?: DormancyMail;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** The time now (ms since the epoch); tests move it. */
  now?: () => number;
}

/** What a round removed. */
export interface Removed {
  events: number;
  deliveries: number;
  /** Expired sign-in, password reset and sign-up codes, invitations, OAuth2 login codes and passkey challenges. */
  codes: number;
  sessions: number;
}

/**
 * A step run batch after batch, each in an entity manager of its own, until one does less than a
 * whole `batch` (or the task stops): how many it did in all.
 */
function batchesOf(orm: MikroORM, batch: number, shouldStop: () => boolean) {
  return async (step: (em: EntityManager) => Promise<number>): Promise<number> => {
    let total = 0;
    while (!shouldStop()) {
      const done = await step(orm.em.fork());
      total += done;
      if (done < batch) break;
    }
    return total;
  };
}

/**
 * One round: events, then deliveries, then expired codes and sessions, each in batches until one
 * removes less than a whole batch. Answers how many of each went.
 */
export async function removeExpired(
  orm: MikroORM,
  days: number,
  now: number,
  shouldStop: () => boolean = () => false,
): Promise<Removed> {
  const before = new Date(now - days * DAY_MS);
  const inBatches = batchesOf(orm, RETENTION_BATCH, shouldStop);
  const events = await inBatches((em) => removeEventsBefore(em, before, RETENTION_BATCH));
  const deliveries = await inBatches((em) => removeDeliveriesBefore(em, before, RETENTION_BATCH));
  const expired = new Date(now);
  let codes = 0;
  for (const remove of [
    signInCodes.removeExpired,
    resetCodes.removeExpired,
    signUpCodes.removeExpired,
    emailChangeCodes.removeExpired,
    removeExpiredLoginCodes,
    removeExpiredSignUpTickets,
    removeExpiredChallenges,
    // an expired invitation is kept 30 days for an admin to send again
    (em: EntityManager, at: Date, batch: number) =>
      removeExpiredInvitations(em, new Date(at.getTime() - 30 * DAY_MS), batch),
  ]) {
    codes += await inBatches((em) => remove(em, expired, RETENTION_BATCH));
  }
  const sessions = await inBatches((em) => removeExpiredSessions(em, expired, RETENTION_BATCH));
  return { events, deliveries, codes, sessions };
}

/**
 * The dormant accounts at `now`: those due a warning warned (with `mail`), then those dormant long
 * enough disabled, a batch at a time, until one does less than a batch. How many of each.
 */
export async function handleDormant(
  orm: MikroORM,
  days: number,
  now: number,
  mail?: DormancyMail,
  shouldStop: () => boolean = () => false,
): Promise<{ warned: number; disabled: number }> {
  const inBatches = batchesOf(orm, DORMANT_BATCH, shouldStop);
  const round = { days, now, batch: DORMANT_BATCH };
  const warned = mail ? await inBatches((em) => warnDormantAccounts(em, { ...round, mail })) : 0;
  const disabled = await inBatches((em) => disableDormantAccounts(em, { ...round, mail }));
  return { warned, disabled };
}

/** Runs a round at start and then every `intervalMs` (./periodic-task); `stop()` waits for a round under way. */
export function startRetention(options: RetentionOptions): PeriodicTask {
  return startPeriodicTask({
    name: 'retention',
    intervalMs: options.intervalMs,
    logger: options.logger,
    async round(stopping) {
      const now = (options.now ?? Date.now)();
      const removed = await removeExpired(options.orm, options.days, now, stopping);
      if (Object.values(removed).some((count) => count > 0)) {
        options.logger.info({ ...removed, days: options.days }, 'old events and expired codes and sessions removed');
      }
      if (
        options.dormantDays !== undefined &&
        (await claimPeriodicRun(options.orm.em.fork(), 'dormant-accounts', DORMANT_INTERVAL_MS, now))
      ) {
        const days = options.dormantDays;
        const done = await handleDormant(options.orm, days, now, options.dormancyMail, stopping);
        if (done.warned + done.disabled > 0)
          options.logger.info({ ...done, days }, 'dormant accounts warned and disabled');
      }
    },
  });
}
