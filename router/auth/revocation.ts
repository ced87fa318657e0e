// Ending tokens: logout revokes one `jti`; a credential change moves the user's epoch, which ends
// every token issued before it. The state lives in PostgreSQL, so every instance sees it at once;
// the check that every authenticated call makes is router/trpc/session-check.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { User } from '../../entities';
import type { Principal } from '../../server/crypto/token-service';
import { recordEvent, type NewEvent } from '../events/events-store';
import { eventOrigin, type EventContext } from '../events/event-origin';

/**
 * Logout: the token is refused from now on; rows of tokens that expired anyway are swept. The
 * sign-out is recorded (auth.signed_out) in the same transaction.
 */
export async function revokeToken(em: EntityManager, principal: Principal, ctx: EventContext = {}): Promise<void> {
  if (principal.tokenId === undefined || principal.expiresAt === undefined) return;
  await revokeTokenId(em, principal.tokenId, principal.expiresAt, {
    type: 'auth.signed_out',
    userId: principal.id,
    ...eventOrigin({ ...ctx, principal }),
    data: { tokenId: principal.tokenId },
  });
}

/**
 * Refuses the token with this `jti` from now on, on every instance (`npm run token -- --revoke`
 * too). Its row stays until the token would have expired anyway; with no known expiry (an operator
 * revoking by `jti` alone), for good. Answers false when the token was revoked already. `event`
 * (a sign-out, a revocation) is recorded in the same transaction when the token was not revoked yet.
 */
export async function revokeTokenId(
  em: EntityManager,
  jti: string,
  expiresAt: number | null,
  event?: NewEvent,
): Promise<boolean> {
  return em.transactional(async (tx) => {
    const inserted = await tx.getConnection().execute<Array<{ jti: string }>>(
      `insert into revoked_tokens (jti, expires_at)
           values (?, coalesce(to_timestamp(?), 'infinity'::timestamptz)) on conflict do nothing returning jti`,
      [jti, expiresAt],
      'all',
      tx.getTransactionContext(),
    );
    await tx.execute(`delete from revoked_tokens where expires_at < now()`);
    if (event && inserted.length > 0) await recordEvent(tx, event);
    return inserted.length > 0;
  });
}

/** A new credential epoch for `user`: every token issued to it before this write ends. */
export function endSessions(user: User): void {
  user.tokenEpoch = randomUUID();
}
