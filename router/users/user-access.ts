// Who may touch which user. Admins: everyone. A user: only itself, and every other id looks
// absent (404, not 403), so ids cannot be probed (OWASP API1, broken object-level authorization).
// Whether the token still stands (logout, credential changes, a later user under the same id) is
// the session check's (router/trpc/session-check): before the procedure runs, or for a read, in its
// statement or, when this refuses first, before the 404 is answered, so a refused token gets 401.
import { notFound } from '../trpc/api-errors';
import type { Principal } from '../../server/crypto/token-service';

export function authorizeUserAccess(ctx: { principal: Principal }, id: string): void {
  const { principal } = ctx;
  if (principal.role !== 'admin' && principal.id !== id) throw notFound();
}
