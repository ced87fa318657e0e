// A user's data, exported on demand (OWASP ASVS 4.0 8.3.2; GDPR Art. 15 and 20): the user itself
// downloads its own, or an admin answers a person's request for it. One JSON document of what each
// domain already shows about the user to that asker: the published User, its metadata (the
// `admin` part to admins only, as every metadata read), its account's status and last sign-in, its
// live sessions, its passkeys, whether the OpenID provider signs it in, and its history as a
// history read shows it to the asker, the newest EXPORT_MAX_EVENTS of it. Another user's id is a 404, as every user read answers a user.
// Each export is recorded (`user.data_exported`, in the user's own history too): a person sees
// that an admin took a copy of its data, and when.
import type { Principal } from '../../server/crypto/token-service';
import { notFound } from '../trpc/api-errors';
import { authorizeUserAccess } from '../users/user-access';
import { readUser, type UsersContext } from '../users/user-service';
import { accountStatus, type AccountStateContext } from '../users/account-state';
import { readMetadata } from '../metadata/metadata-store';
import { sessionsOf, type SessionContext } from '../sessions/session-service';
import { passkeysOfUser, type OwnerContext } from '../auth/passkeys/passkeys';
import { linkStatusOfUser, type LinkContext } from '../auth/oauth2/oauth2-link';
import { OWN_EVENT_TYPES } from '../events/event-reads';
import { readFeed, recordEvent, type FeedEvent } from '../events/events-store';
import { eventOrigin } from '../events/event-origin';
import { FEED_MAX_LIMIT } from '../events/event-schemas';
import { EXPORT_MAX_EVENTS, type DataExport } from './export-schemas';

/** What an export needs of a call's context: what each part's own read needs. */
export type ExportContext = UsersContext &
  AccountStateContext &
  SessionContext &
  OwnerContext &
  LinkContext & { principal: Principal };

export async function exportUserData(ctx: ExportContext, id: string): Promise<DataExport> {
  authorizeUserAccess(ctx, id);
  const admin = ctx.principal.role === 'admin';
  // from the primary: a person who just changed something finds it in its copy
  const { user } = await readUser(ctx, id, 'primary');
  const metadata = await readMetadata(ctx.db.em, id, admin);
  if (!metadata) throw notFound();
  const status = await accountStatus(ctx, id);
  const { items: sessions } = await sessionsOf(ctx, id, ctx.principal.id === id ? ctx.principal.sessionId : undefined);
  const { items: passkeys } = await passkeysOfUser(ctx, id);
  const provider = ctx.oidc ? await linkStatusOfUser(ctx, id) : undefined;
  const { events, complete } = await historyOf(ctx, id, admin);
  await recordEvent(ctx.db.em, {
    type: 'user.data_exported',
    userId: id,
    ...eventOrigin(ctx),
    data: { events: events.length },
  });
  return {
    exportedAt: new Date(ctx.clock.now()).toISOString(),
    user,
    metadata,
    status,
    sessions,
    passkeys,
    ...(provider ? { provider } : {}),
    events,
    eventsComplete: complete,
  };
}

/** The user's history as the asker may read it, newest pages first up to the cap, then oldest first. */
async function historyOf(
  ctx: ExportContext,
  userId: string,
  admin: boolean,
): Promise<{ events: FeedEvent[]; complete: boolean }> {
  const events: FeedEvent[] = [];
  let before = 0;
  for (;;) {
    // one more than the cap leaves room for: finding it says the history is longer
    const limit = Math.min(FEED_MAX_LIMIT, EXPORT_MAX_EVENTS - events.length + 1);
    const page = await readFeed(ctx.db.em, {
      after: 0,
      before,
      order: 'newest',
      limit,
      userId,
      ...(admin ? {} : { types: OWN_EVENT_TYPES, orImpersonated: true }),
    });
    events.push(...page);
    if (events.length > EXPORT_MAX_EVENTS) {
      return { events: events.slice(0, EXPORT_MAX_EVENTS).reverse(), complete: false };
    }
    if (page.length < limit) break;
    before = page[page.length - 1]!.id;
  }
  return { events: events.reverse(), complete: true };
}
