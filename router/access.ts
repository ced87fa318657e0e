// Who may touch which user. Admins: everyone. A user: only itself, and every other id looks
// absent (404, not 403), so ids cannot be probed (OWASP API1, broken object-level authorization).
import { TRPCError } from '@trpc/server';
import type { PreparedStatement, RequestDatabase } from './database';
import { notFound } from './errors';
import type { Principal } from './tokens';

const CREATED: PreparedStatement = {
  name: 'users_created_1',
  text: 'select floor(extract(epoch from created_at))::int as created from users where id = $1',
};

export async function authorizeUserAccess(
  ctx: { db: RequestDatabase; principal: Principal },
  id: string,
): Promise<void> {
  const { principal } = ctx;
  if (principal.role === 'admin') return;
  if (principal.id !== id) throw notFound();
  // a token names its user by id; a user created under that id after the token was issued
  // (the old one deleted, the id chosen again) is someone else
  const [row] = await ctx.db.prepared<{ created: number }>(CREATED, [id]);
  if (row && row.created > principal.issuedAt) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'token is no longer valid' });
  }
}
