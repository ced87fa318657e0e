// Disabling and enabling accounts, and an admin's reset of a user's authenticator (issue 22); an
// account's status says too when it last signed in (../sessions/sign-in-activity.ts). A
// disabled user signs in by no method (router/auth/accounts `refuseIfDisabled`, asked only once
// the credential was proven) until an admin enables it or its end date passes (compared with the
// clock at sign-in: nothing has to run at that time). Disabling ends every session of the user
// (its epoch moves, router/auth/sign-in-state), so its tokens are refused at once on every
// instance. An admin cannot disable itself, nor the last enabled admin: someone must be left who
// can enable the others.
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { TRPCError } from '@trpc/server';
import { AuthMethod, User } from '../../entities';
import { endSignInState, queueSecurityNotice, type NoticeContext } from '../auth/sign-in-state';
import { badRequest } from '../trpc/api-errors';
import type { Clock } from '../trpc/clock';
import type { Principal } from '../../server/crypto/token-service';
import { readSignInActivity } from '../sessions/sign-in-activity';
import { dormancyWarnedAt } from './dormant-accounts';
import { findUser, writeTransaction, type WriteContext } from './user-writes';
import type { AccountStatus, DisableUserCommand } from './account-state-schemas';

/** What these procedures need of a call's context. */
export interface AccountStateContext extends WriteContext {
  principal: Principal;
  clock: Clock;
}

export async function accountStatus(ctx: AccountStateContext, id: string): Promise<AccountStatus> {
  // through the unit of work, on the primary: an admin who just disabled a user reads what it wrote
  const user = await findUser(ctx.db.em, id);
  return statusOf(ctx.db.em, user, ctx.clock.now());
}

export async function disableUser(ctx: AccountStateContext, input: DisableUserCommand): Promise<AccountStatus> {
  if (input.id === ctx.principal.id) throw badRequest('id: an admin cannot disable itself');
  const now = ctx.clock.now();
  const until = input.until === undefined ? null : new Date(input.until);
  if (until && until.getTime() <= now) throw badRequest('until: must be in the future');
  return writeTransaction(ctx, async (tx, record) => {
    // every admin row locked, in one order: two admins disabling each other at once cannot both
    // pass the last-admin check
    const admins = await tx.execute<Array<{ id: string; disabled_at: Date | null; disabled_until: Date | null }>>(
      `select id, disabled_at, disabled_until from users where role = 'admin' order by id for update`,
    );
    const user = await findUser(tx, input.id, LockMode.PESSIMISTIC_WRITE);
    if (user.role === 'admin') {
      const othersEnabled = admins.filter(
        (admin) =>
          admin.id !== user.id &&
          !disabledAt({ disabledAt: admin.disabled_at, disabledUntil: admin.disabled_until }, now),
      );
      if (othersEnabled.length === 0) {
        throw new TRPCError({
          code: 'CONFLICT',
          message: 'this is the last enabled admin: enable or promote another admin before disabling it',
        });
      }
    }
    tx.assign(user, { disabledAt: new Date(now), disabledReason: input.reason, disabledUntil: until });
    // every session of the user ends: its tokens are refused from this commit on
    await endSignInState(tx, user);
    record({
      type: 'user.disabled',
      userId: user.id,
      data: { reason: input.reason, until: until?.toISOString() ?? null },
    });
    return statusOf(tx, user, now);
  });
}

export async function enableUser(ctx: AccountStateContext, id: string): Promise<AccountStatus> {
  return writeTransaction(ctx, async (tx, record) => {
    const user = await findUser(tx, id, LockMode.PESSIMISTIC_WRITE);
    const wasDisabled = disabledAt(user, ctx.clock.now());
    // a dormant account enabled again has its DORMANT_ACCOUNT_DAYS from now (./dormant-accounts.ts)
    tx.assign(user, {
      disabledAt: null,
      disabledReason: null,
      disabledUntil: null,
      ...(wasDisabled ? { enabledAt: new Date(ctx.clock.now()) } : {}),
    });
    if (wasDisabled) record({ type: 'user.enabled', userId: user.id });
    // written first: the status reads a warning against the account's new start
    await tx.flush();
    return statusOf(tx, user, ctx.clock.now());
  });
}

/**
 * A user who lost its authenticator (authMethod 2): its TOTP secret and recovery codes are deleted
 * and every session ends; its next password sign-in enrolls a new authenticator.
 */
export async function resetAuthenticator(ctx: AccountStateContext & NoticeContext, id: string): Promise<void> {
  await writeTransaction(ctx, async (tx, record) => {
    const user = await findUser(tx, id, LockMode.PESSIMISTIC_WRITE);
    if (user.email.authMethod !== AuthMethod.totp) {
      throw badRequest('id: this user does not sign in with an authenticator (authMethod 2)');
    }
    await endSignInState(tx, user, AuthMethod.totp);
    record({ type: 'auth.totp_reset', userId: user.id });
    await queueSecurityNotice(tx, ctx, user.id, user.email.address, { kind: 'authenticator reset' });
  });
}

async function statusOf(em: EntityManager, user: User, now: number): Promise<AccountStatus> {
  const activity = await readSignInActivity(em, user.id);
  if (!disabledAt(user, now)) {
    const warnedAt = await dormancyWarnedAt(em, user.id);
    return { state: 'enabled', ...activity, ...(warnedAt ? { dormancyWarnedAt: warnedAt } : {}) };
  }
  return {
    state: 'disabled',
    ...(user.disabledReason ? { reason: user.disabledReason } : {}),
    ...(user.disabledUntil ? { until: new Date(user.disabledUntil).toISOString() } : {}),
    ...activity,
  };
}

/** Disabled at `now`: disabled, and its end date (if any) not yet reached. */
function disabledAt(user: Pick<User, 'disabledAt' | 'disabledUntil'>, now: number): boolean {
  if (!user.disabledAt) return false;
  return !user.disabledUntil || new Date(user.disabledUntil).getTime() > now;
}
