// What the events procedures do: the feed for admins, and a user's history, admins seeing
// anyone's and a user its own sign-ins, sign-outs and credential changes (another user's looks
// absent, 404, as the users domain answers). Each page says where the next one starts in a
// `Link: <…?after=<last id>…>; rel="next"` header.
import type { Context } from '../trpc/context';
import { notFound } from '../trpc/api-errors';
import type { Principal } from '../../server/crypto/token-service';
import { readFeed, type FeedEvent } from './events-store';
import type { EventList, FeedQueryInput, UserEventsQuery } from './event-schemas';

/** What a user may read of its own history: enough to spot a sign-in that was not theirs. */
export const OWN_EVENT_TYPES = [
  'auth.signed_in',
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
    limit: input.limit,
    userId: input.id,
    ...(admin ? {} : { types: OWN_EVENT_TYPES }),
  });
  linkNext(ctx, `/api/v2/users/${encodeURIComponent(input.id)}/events`, items, input, {});
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
