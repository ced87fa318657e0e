// The check every authenticated call makes: a signed token is not yet a valid session. A token is
// refused once its `jti` is revoked (logout), once its user's credential epoch has moved on (a
// password, address or sign-in method change, a completed TOTP enrollment), once its user is
// deleted, or when its subject is a user created after it under the same id (router/auth/revocation
// writes that state), or, for a token of a session (`sid`), once that session has ended (signed out,
// reused, ended by its user or an admin: router/sessions deletes its row). One prepared statement per call; nothing about revocation is cached in a
// process. With replicas the check may read one, but only one that has replayed the caller's own
// latest write (a logout, a credential change) and everything before its token was issued
// (server/database/read-replicas).
import type { PreparedStatement, RequestDatabase } from '../../server/database/request-database';
import type { Principal } from '../../server/crypto/token-service';
import { unauthorized } from './api-errors';

const SESSION: PreparedStatement = {
  name: 'session_check_2',
  text: `select exists(select 1 from revoked_tokens where jti = $1) as revoked,
    (select token_epoch from users where id = $2) as epoch,
    ($3::uuid is null or exists(select 1 from sessions where id = $3::uuid)) as live`,
};

/** Refuses a principal whose token was revoked or outlived its user's credentials. */
export async function assertSessionValid(db: RequestDatabase, principal: Principal): Promise<void> {
  // principals made in-process (createCaller in tests, CLIs) carry no token to revoke
  if (principal.tokenId === undefined) return;
  const [row] = await db.prepared<{ revoked: boolean; epoch: string | null; live: boolean }>(
    SESSION,
    [principal.tokenId, principal.id, principal.sessionId ?? null],
    'read',
  );
  if (row?.revoked) throw unauthorized('token has been revoked');
  // A token issued to a user carries that user's epoch and stands only while the user exists with
  // that epoch: a deleted user's tokens end with it (an admin's rights too), and a user made later
  // under the same id has another epoch. Operator tokens carry none, and name subjects that are not
  // users; a user made later under such a name is someone else.
  const current = row?.epoch ?? null;
  const stands = principal.epoch === undefined ? current === null : principal.epoch === current;
  if (!stands) throw unauthorized('token is no longer valid');
  if (row && !row.live) throw unauthorized('the session of this token has ended');
}
