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
 * tries to get in that failed or were stopped by a limit (so someone guessing is seen too).
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
] as const;

/** What the events procedures need of a call's context. */
export type EventReadContext = Pick<Context, 'db' | 'responseHeaders'> & { principal: Principal };

export async function listFeed(ctx: EventReadContext, input: FeedQueryInput): Promise<EventList> {
  const items = await readFeed(ctx.db.em, {
    after: input.after,
    limit: input.limit,
    ...(input.type ? { types: input.type.split(',') } : {}),
    ...(input.userId ? { userId: input.userId } : {}),
  });
  const rest = { ...(input.type ? { type: input.type } : {}), ...(input.userId ? { userId: input.userId } : {}) };
  linkNext(ctx, '/api/v2/events', items, input, rest);
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
    ...(admin ? {} : { types: OWN_EVENT_TYPES }),
  });
  const path = `/api/v2/users/${encodeURIComponent(input.id)}/events`;
  if (input.order === 'newest') {
    // the next page is older: below the last event of this one, still above `after`. A short page
    // was the last: no smaller id can appear later (readFeed), so it has no next
    const before = items.at(-1)?.id;
    if (before === undefined || items.length < input.limit) return { items };
    const query = new URLSearchParams({
      ...(input.after > 0 ? { after: String(input.after) } : {}),
      before: String(before),
      order: 'newest',
      limit: String(input.limit),
    });
    ctx.responseHeaders.Link = `<${path}?${query.toString()}>; rel="next"`;
  } else {
    linkNext(ctx, path, items, input, input.before > 0 ? { before: String(input.before) } : {});
  }
  return { items };
}

/** The next page resumes after the last event of this one (or after the same id, when it was empty). */
function linkNext(
  ctx: EventReadContext,
  path: string,
  items: FeedEvent[],
  page: { after: number; limit: number },
  rest: Record<string, string>,
): void {
  const after = items.at(-1)?.id ?? page.after;
  const query = new URLSearchParams({ after: String(after), limit: String(page.limit), ...rest });
  ctx.responseHeaders.Link = `<${path}?${query.toString()}>; rel="next"`;
}
