// Dormant accounts (CIS Controls v8 safeguard 5.3; NIST SP 800-53 AC-2(3)): with DORMANT_ACCOUNT_DAYS
// set, every instance's retention round (server/start/retention.ts) disables the users who have not
// signed in for that many days, as an admin's disabling does (no sign-in by any method, every
// session ended, `user.disabled` in the user's history), with the service as its actor (`service`)
// and the reason saying why. An account is active at the latest of its last sign-in
// (../sessions/sign-in-activity.ts), its creation, the last time an admin enabled it, and the end of
// an earlier disabling: an account just made, or just enabled again, has its days to sign in.
// While the service can mail, a user is warned DORMANT_WARNING_DAYS before (a notice by the
// security notices' outbox, `user.dormancy_warned` in its history), and is disabled only once such a
// warning of the same stretch of dormancy is that old: so turning the setting on warns the accounts
// long dormant before it disables any. A sign-in after the warning makes the account active again.
// Admins are left alone: the last enabled one must stay, and the few there are an admin reviews by
// hand (`?notSignedInSince=…` lists them). An admin enables a disabled one as any other.
import type { EntityManager } from '@mikro-orm/postgresql';
import { endSignInState, queueNotice } from '../auth/sign-in-state';
import { recordEvent } from '../events/events-store';
import { SERVICE_ACTOR } from '../events/event-origin';
import { findUser } from './user-writes';

/** How long before its disabling a dormant account is warned. */
export const DORMANT_WARNING_DAYS = 7;
const DAY_MS = 86_400_000;
/** When the user `u` was last active: signed in, made, enabled by an admin, or let out of a disabling. */
const activeAt = `greatest(u.created_at, u.enabled_at, u.disabled_until,
                          (select si.last_at from user_sign_ins si where si.user_id = u.id))`;

/**
 * When the user was warned that its account will be disabled for want of a sign-in, if it was in
 * its present stretch of dormancy (a sign-in since makes the warning moot); undefined otherwise.
 */
export async function dormancyWarnedAt(em: EntityManager, userId: string): Promise<string | undefined> {
  const [row] = await em.execute<Array<{ warned_at: string | Date }>>(
    `select w.warned_at from dormancy_warnings w join users u on u.id = w.user_id
      where w.user_id = ? and w.warned_at > ${activeAt}`,
    [userId],
  );
  return row ? new Date(row.warned_at).toISOString() : undefined;
}

/** What a warning says of the service: its name, and where to sign in. */
export interface DormancyMail {
  serviceName: string;
  signInUrl: string;
}

export interface DormancyRound {
  /** DORMANT_ACCOUNT_DAYS. */
  days: number;
  /** The round's time (ms). */
  now: number;
  batch: number;
  /** Present while the service can mail: accounts are warned, and disabled only once warned. */
  mail?: DormancyMail;
}

/**
 * The enabled users (not admins) last active before `before`, from the lowest id, at most `batch`,
 * locked (rows a request holds are skipped: a later round takes them), with when they were last
 * active and their address. `warning`: `{ warnedBy }`, only those warned in this stretch of
 * dormancy (after they were last active) at or before that time; `not warned`, only those not.
 */
async function dormantUsers(
  tx: EntityManager,
  before: Date,
  round: DormancyRound,
  warning: { warnedBy: Date } | 'not warned' | 'any',
): Promise<Array<{ id: string; address: string; active_at: string | Date }>> {
  const now = new Date(round.now);
  // the conditions sit beside the lock and the limit, so only the rows returned are locked
  const warned = (extra: string) =>
    `exists (select from dormancy_warnings w where w.user_id = u.id and w.warned_at > ${activeAt}${extra})`;
  const condition =
    warning === 'any' ? 'true' : warning === 'not warned' ? `not ${warned('')}` : warned(' and w.warned_at <= ?');
  return tx.execute(
    `select u.id, e.address, ${activeAt} as active_at
       from users u join emails e on e.id = u.email_id
      where u.role = 'user' and (u.disabled_at is null or u.disabled_until <= ?)
        and ${activeAt} < ? and ${condition}
      order by u.id limit ?
      for update of u skip locked`,
    [now, before, ...(typeof warning === 'object' ? [warning.warnedBy] : []), round.batch],
  );
}

/** Warns at most `batch` accounts due a warning at `round.now`, in one transaction. How many. */
export async function warnDormantAccounts(em: EntityManager, round: DormancyRound & { mail: DormancyMail }) {
  const before = new Date(round.now - (round.days - DORMANT_WARNING_DAYS) * DAY_MS);
  return em.transactional(async (tx) => {
    const due = await dormantUsers(tx, before, round, 'not warned');
    for (const user of due) {
      const disableOn = new Date(new Date(user.active_at).getTime() + round.days * DAY_MS);
      // never before the warning is DORMANT_WARNING_DAYS old (warned late: the round was off)
      const disableAfter = new Date(Math.max(disableOn.getTime(), round.now + DORMANT_WARNING_DAYS * DAY_MS));
      await tx.execute(
        `insert into dormancy_warnings (user_id, warned_at) values (?, ?)
         on conflict (user_id) do update set warned_at = excluded.warned_at`,
        [user.id, new Date(round.now)],
      );
      await queueNotice(tx, {
        to: user.address,
        subject: `Your ${round.mail.serviceName} account will be disabled unless you sign in`,
        text: warningText(round, new Date(user.active_at), disableAfter),
      });
      await recordEvent(tx, {
        type: 'user.dormancy_warned',
        actor: SERVICE_ACTOR,
        userId: user.id,
        data: { dormantDays: round.days, disableAfter: disableAfter.toISOString() },
      });
    }
    return due.length;
  });
}

function warningText(round: DormancyRound & { mail: DormancyMail }, activeAt: Date, disableAfter: Date): string {
  const day = (date: Date) => date.toISOString().slice(0, 10);
  return (
    `Your ${round.mail.serviceName} account has had no sign-in since ${day(activeAt)}. Accounts ` +
    `nobody signs in to for ${round.days} days are disabled, so this one will be on or after ` +
    `${day(disableAfter)}.\n\nTo keep it, sign in before then: ${round.mail.signInUrl}\n\n` +
    `If you no longer need it, there is nothing to do. Once disabled, an administrator can enable it again.\n`
  );
}

/**
 * Disables at most `batch` accounts dormant at `round.now` (warned long enough before, while the
 * service can mail), in one transaction. How many it disabled.
 */
export async function disableDormantAccounts(em: EntityManager, round: DormancyRound): Promise<number> {
  const before = new Date(round.now - round.days * DAY_MS);
  const reason = `No sign-in for ${round.days} days (DORMANT_ACCOUNT_DAYS)`;
  const warning = round.mail ? { warnedBy: new Date(round.now - DORMANT_WARNING_DAYS * DAY_MS) } : 'any';
  return em.transactional(async (tx) => {
    const dormant = await dormantUsers(tx, before, round, warning);
    for (const { id } of dormant) {
      // locked above, by this transaction
      const user = await findUser(tx, id);
      tx.assign(user, { disabledAt: new Date(round.now), disabledReason: reason, disabledUntil: null });
      await endSignInState(tx, user);
    }
    await tx.flush();
    for (const { id } of dormant) {
      await recordEvent(tx, {
        type: 'user.disabled',
        actor: SERVICE_ACTOR,
        userId: id,
        data: { reason, until: null, dormantDays: round.days },
      });
    }
    return dormant.length;
  });
}
