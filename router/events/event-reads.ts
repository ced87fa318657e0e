// What the events procedures do: the feed for admins, and a user's history, admins seeing
// anyone's and a user its own sign-ins, sign-outs and credential changes (another user's looks
// absent, 404, as the users domain answers). Each page says where the next one starts in a
// `Link: <…?after=<last id>…>; rel="next"` header (a history read newest first: `before=<last id>`).
import type { Context } from '../trpc/context';
import { notFound } from '../trpc/api-errors';
import type { Principal } from '../../server/crypto/token-service';
import { readFeed, type FeedEvent } from './events-store';
import type { EventList, FeedQueryInput, UserEventsQuery } from './event-schemas';

/**
 * What a user may read of its own history: enough to spot a sign-in that was not theirs, and the
 * tries to get in that failed or were stopped by a limit (so someone guessing is seen too), each
 * copy taken of its data (router/data-export: an admin's too), the warning that it would be
 * disabled for want of a sign-in (router/users/dormant-accounts); and, whatever their type, the events
 * an admin recorded acting as the user (router/auth/impersonation).
 */
export const OWN_EVENT_TYPES = [
  'auth.signed_in',
  'auth.sign_in_failed',
  'limit.locked',
  'auth.signed_out',
  'auth.credentials_changed',
  'auth.totp_enrolled',
  'auth.totp_reset',
  'auth.sessions_ended',
  'auth.refresh_token_reused',
  'auth.impersonated',
  'auth.passkey_added',
  'auth.passkey_removed',
  'auth.identity_linked',
  'auth.identity_unlinked',
  'auth.passkey_renamed',
  'auth.email_change_requested',
  'auth.password_reset_sent',
  'user.data_exported',
  'user.dormancy_warned',
] as const;

/** What the events procedures need of a call's context. */
export type EventReadContext = Pick<Context, 'db' | 'responseHeaders'> & { principal: Principal };

export async function listFeed(ctx: EventReadContext, input: FeedQueryInput): Promise<EventList> {
  const items = await readFeed(ctx.db.em, {
    after: input.after,
    before: input.before,
    order: input.order,
    limit: input.limit,
    ...(input.type ? { types: input.type.split(',') } : {}),
    ...(input.userId ? { userId: input.userId } : {}),
  });
  const filters = { ...(input.type ? { type: input.type } : {}), ...(input.userId ? { userId: input.userId } : {}) };
  linkNext(ctx, '/api/v2/events', items, input, filters);
  return { items };
}

export async function listUserEvents(ctx: EventReadContext, input: UserEventsQuery): Promise<EventList> {
  const admin = ctx.principal.role === 'admin';
  if (!admin && ctx.principal.id !== input.id) throw notFound();
  const items = await readFeed(ctx.db.em, {
    after: input.after,
    before: input.before,
    order: input.order,
    limit: input.limit,
    userId: input.id,
    ...(admin ? {} : { types: OWN_EVENT_TYPES, orImpersonated: true }),
  });
  linkNext(ctx, `/api/v2/users/${encodeURIComponent(input.id)}/events`, items, input, {});
  return { items };
}

/** Where a page was asked to start and end, and which way it reads. */
interface PageAsked {
  after: number;
  before: number;
  order: 'oldest' | 'newest';
  limit: number;
}

/**
 * Says where the next page starts, in `Link: <…>; rel="next"`, keeping the page's filters.
 * - Oldest first: after the last event of this one (after the same id, when it was empty). The
 *   link is always there: newer events may come.
 * - Newest first: below the last event of this one. A short page was the last, so it has no
 *   next: no smaller id can appear later (readFeed).
 */
function linkNext(
  ctx: EventReadContext,
  path: string,
  items: FeedEvent[],
  page: PageAsked,
  filters: Record<string, string>,
): void {
  const last = items.at(-1)?.id;
  const newest = page.order === 'newest';
  if (newest && (last === undefined || items.length < page.limit)) return;
  const bounds = newest
    ? { ...(page.after > 0 ? { after: String(page.after) } : {}), before: String(last), order: 'newest' }
    : { after: String(last ?? page.after), ...(page.before > 0 ? { before: String(page.before) } : {}) };
  const query = new URLSearchParams({ ...bounds, limit: String(page.limit), ...filters });
  ctx.responseHeaders.Link = `<${path}?${query.toString()}>; rel="next"`;
}
