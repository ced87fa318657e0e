// Ending tokens: logout revokes one `jti`; a credential change moves the user's epoch, which ends
// every token issued before it. The state lives in PostgreSQL, so every instance sees it at once;
// the check that every authenticated call makes is router/trpc/session-check.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { User } from '../../entities';
import type { Principal } from '../../server/crypto/token-service';

/** Logout: the token is refused from now on; rows of tokens that expired anyway are swept. */
export async function revokeToken(em: EntityManager, principal: Principal): Promise<void> {
  if (principal.tokenId === undefined || principal.expiresAt === undefined) return;
  await em.transactional(async (tx) => {
    await tx
      .getConnection()
      .execute(
        `insert into revoked_tokens (jti, expires_at) values (?, to_timestamp(?)) on conflict do nothing`,
        [principal.tokenId, principal.expiresAt],
        'run',
        tx.getTransactionContext(),
      );
    await tx.execute(`delete from revoked_tokens where expires_at < now()`);
  });
}

/** A new credential epoch for `user`: every token issued to it before this write ends. */
export function endSessions(user: User): void {
  user.tokenEpoch = randomUUID();
}
