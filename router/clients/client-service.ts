// What machine clients do: an admin (a person, not another client) registers, lists, rotates and
// removes them; a client exchanges its id and secret for an admin access token of its own
// (RFC 6749 §4.4). The secret is shown once and kept only as a keyed hash; tokens name the client
// (`sub: client:<id>`) and carry its epoch, so a removal or a rotation refuses them at their next
// call (router/trpc/session-check). Every change, and every exchange, is an event.
import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import type { Context } from '../trpc/context';
import { notFound } from '../trpc/api-errors';
import { UUID_PATTERN } from '../trpc/common-schemas';
import type { Principal } from '../../server/crypto/token-service';
import { randomToken } from '../../server/crypto/secret-box';
import { clientLimitKey } from '../../server/limits/client-key';
import { recordEvent } from '../events/events-store';
import { eventOrigin } from '../events/event-origin';
import { takeOrRefuse } from '../auth/limit-refusal';
import {
  CLIENT_SECRET_PREFIX,
  type Client,
  type ClientCreate,
  type ClientCreated,
  type ClientList,
  type ClientToken,
  type ClientTokenRequest,
  type OAuth2ClientToken,
  type OAuth2ClientTokenRequest,
} from './client-schemas';
import {
  clientName,
  deleteClient,
  insertClient,
  listClients as selectClients,
  replaceSecret,
  useSecret,
  type ClientRow,
} from './clients-store';

/** What the clients procedures need of a call's context. */
export type ClientContext = Pick<
  Context,
  'db' | 'secrets' | 'tokens' | 'clock' | 'limits' | 'responseHeaders' | 'clientAddress' | 'requestId' | 'principal'
>;
type AdminContext = ClientContext & { principal: Principal };

/** What a client's secret is hashed for (a keyed hash, server/crypto/secret-box). */
export const SECRET_PURPOSE = 'client-secret';
export const CLIENT_REFUSED = 'invalid client credentials';
/** How a client's tokens and events name it. */
export const CLIENT_SUBJECT_PREFIX = 'client:';

/**
 * Only people manage clients (every management procedure asks this first, ./clients-router.ts): a client that could register clients would outlive its own removal
 * (it would have made itself another), and one that could rotate its secret would lock its admins out.
 */
export function refuseMachine(principal: Principal): void {
  if (principal.id.startsWith(CLIENT_SUBJECT_PREFIX)) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'a machine client cannot manage clients' });
  }
}

function newSecret(): string {
  return `${CLIENT_SECRET_PREFIX}${randomToken(32)}`;
}

function toClient(row: ClientRow): Client {
  return {
    id: row.id,
    name: row.name,
    subject: row.subject,
    access: row.access,
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: row.created_by,
    lastTokenAt: row.last_token_at === null ? null : new Date(row.last_token_at).toISOString(),
  };
}

export async function createClient(ctx: AdminContext, input: ClientCreate): Promise<ClientCreated> {
  const secret = newSecret();
  return ctx.db.em.transactional(async (tx) => {
    const row = await insertClient(tx, {
      name: input.name,
      secretHash: ctx.secrets.hash(SECRET_PURPOSE, secret),
      epoch: randomUUID(),
      createdBy: ctx.principal.id,
      access: input.access,
    });
    await recordEvent(tx, {
      type: 'client.created',
      ...eventOrigin(ctx),
      data: { clientId: row.id, name: row.name, access: row.access },
    });
    return { ...toClient(row), clientSecret: secret };
  });
}

export async function listClients(ctx: AdminContext): Promise<ClientList> {
  return { items: (await selectClients(ctx.db.em)).map(toClient) };
}

/** Removes a client: its tokens are refused from their next call. */
export async function removeClient(ctx: AdminContext, id: string): Promise<void> {
  if (!UUID_PATTERN.test(id)) throw notFound();
  await ctx.db.em.transactional(async (tx) => {
    const row = await deleteClient(tx, id);
    if (!row) throw notFound();
    await recordEvent(tx, { type: 'client.deleted', ...eventOrigin(ctx), data: { clientId: row.id, name: row.name } });
    // the client's next call reads no copy that still has it (server/database/read-your-writes)
    ctx.db.affects(row.subject);
  });
}

/** A new secret, shown once; the old one, and every token it got, is refused from now on. */
export async function rotateClientSecret(ctx: AdminContext, id: string): Promise<ClientCreated> {
  if (!UUID_PATTERN.test(id)) throw notFound();
  const secret = newSecret();
  return ctx.db.em.transactional(async (tx) => {
    const row = await replaceSecret(tx, id, ctx.secrets.hash(SECRET_PURPOSE, secret), randomUUID());
    if (!row) throw notFound();
    ctx.db.affects(row.subject);
    await recordEvent(tx, {
      type: 'client.secret_rotated',
      ...eventOrigin(ctx),
      data: { clientId: row.id, name: row.name },
    });
    return { ...toClient(row), clientSecret: secret };
  });
}

/**
 * The client credentials exchange: an admin access token of the client's own, or the same 401 for
 * every wrong id or secret. Counted, as sign-in failures are, per client address.
 */
export async function exchangeClientCredentials(ctx: ClientContext, input: ClientTokenRequest): Promise<ClientToken> {
  const limits = [['loginFailsByAddressPerDay', clientLimitKey(ctx.clientAddress)]] as const;
  await takeOrRefuse(ctx, limits, 'too many token requests');
  const id = UUID_PATTERN.test(input.clientId) ? input.clientId.toLowerCase() : null;
  const hashes = ctx.secrets.hashes(SECRET_PURPOSE, input.clientSecret);
  const row =
    id === null
      ? undefined
      : await ctx.db.em.transactional(async (tx) => {
          const used = await useSecret(tx, id, hashes, new Date(ctx.clock.now()));
          if (used) {
            await recordEvent(tx, {
              type: 'client.token_issued',
              ...eventOrigin(ctx, used.subject),
              data: { clientId: used.id, name: used.name },
            });
          }
          return used;
        });
  if (!row) {
    // recorded only about a client that exists: made-up ids cannot fill the table
    const name = id === null ? undefined : await clientName(ctx.db.em, id);
    if (name !== undefined) {
      await recordEvent(ctx.db.em, {
        type: 'client.token_refused',
        ...eventOrigin(ctx),
        data: { clientId: id, name, reason: 'invalid_credentials' },
      });
    }
    throw new TRPCError({ code: 'UNAUTHORIZED', message: CLIENT_REFUSED });
  }
  await ctx.limits.giveBack(limits);
  // the token's first call must read the client as this exchange left it, on whichever copy
  ctx.db.affects(row.subject);
  // a client registered to read gets read-only tokens; any client may ask for one (least privilege
  // for one job), none for more than it was registered with
  const readOnly = row.access === 'read' || input.scope === 'read';
  const { token, expiresIn } = ctx.tokens.issue({
    id: row.subject,
    role: 'admin',
    epoch: row.epoch,
    ...(readOnly ? { readOnly: true as const } : {}),
  });
  return { token, tokenType: 'Bearer', expiresIn, ...(readOnly ? { scope: 'read' as const } : {}) };
}

/**
 * The exchange as an OAuth 2.0 token endpoint answers it (RFC 6749 §4.4.3, §5.1). A client that
 * names no id or secret failed client authentication: 401, as a wrong one.
 */
export async function oauth2ClientToken(
  ctx: ClientContext,
  input: OAuth2ClientTokenRequest,
): Promise<OAuth2ClientToken> {
  if (input.client_id === undefined || input.client_secret === undefined) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: 'client authentication required: client_id and client_secret, by HTTP Basic or in the form',
    });
  }
  const { token, expiresIn, scope } = await exchangeClientCredentials(ctx, {
    clientId: input.client_id,
    clientSecret: input.client_secret,
    ...(input.scope?.trim() === 'read' ? { scope: 'read' as const } : {}),
  });
  return { access_token: token, token_type: 'Bearer', expires_in: expiresIn, ...(scope ? { scope } : {}) };
}
