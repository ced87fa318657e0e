// Dormant accounts (CIS Controls v8 safeguard 5.3; NIST SP 800-53 AC-2(3)): with DORMANT_ACCOUNT_DAYS
// set, every instance's retention round (server/start/retention.ts) disables the users who have not
// signed in for that many days, as an admin's disabling does (no sign-in by any method, every
// session ended, `user.disabled` in the user's history), with the service as its actor (`service`)
// and the reason saying why. An account's days count from the latest of its last sign-in
// (../sessions/sign-in-activity.ts), its creation, the last time an admin enabled it, and the end of
// an earlier disabling: an account just made, or just enabled again, has its days to sign in.
// Admins are left alone: the last enabled one must stay, and the few there are an admin reviews by
// hand (`?notSignedInSince=…` lists them). An admin enables a disabled one as any other.
import type { EntityManager } from '@mikro-orm/postgresql';
import { endSignInState } from '../auth/sign-in-state';
import { recordEvent } from '../events/events-store';
import { SERVICE_ACTOR } from '../events/event-origin';
import { signedInSinceSql } from '../sessions/sign-in-activity';
import { findUser } from './user-writes';

const DAY_MS = 86_400_000;

/**
 * Disables at most `batch` accounts dormant at `now` (ms), in one transaction; rows a request holds
 * are skipped (a later round takes them). How many it disabled.
 */
export async function disableDormantAccounts(
  em: EntityManager,
  days: number,
  now: number,
  batch: number,
): Promise<number> {
  const since = new Date(now - days * DAY_MS);
  const reason = `No sign-in for ${days} days (DORMANT_ACCOUNT_DAYS)`;
  return em.transactional(async (tx) => {
    const dormant = await tx.execute<Array<{ id: string }>>(
      `select u.id from users u
        where u.role = 'user'
          and (u.disabled_at is null or (u.disabled_until is not null and u.disabled_until < ?))
          and u.created_at < ? and (u.enabled_at is null or u.enabled_at < ?)
          and not ${signedInSinceSql('u.id', '?::timestamptz')}
        order by u.id limit ? for update of u skip locked`,
      [since, since, since, since, batch],
    );
    for (const { id } of dormant) {
      // locked above, by this transaction
      const user = await findUser(tx, id);
      tx.assign(user, { disabledAt: new Date(now), disabledReason: reason, disabledUntil: null });
      await endSignInState(tx, user);
    }
    await tx.flush();
    for (const { id } of dormant) {
      await recordEvent(tx, {
        type: 'user.disabled',
        actor: SERVICE_ACTOR,
        userId: id,
        data: { reason, until: null, dormantDays: days },
      });
    }
    return dormant.length;
  });
}
