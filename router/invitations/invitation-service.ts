// Invitations, as Clerk, Supabase (inviteUserByEmail) and Keycloak give them: an admin, or a product's
// backend (a machine client), asks a person to make an account with an address, whether or not the
// service takes sign-ups. The person gets a link by mail and, through it, makes its account as at a
// sign-up's second step (the address is proven by the link), signed in at once.
// - The link's token is 256 random bits, kept only as a keyed hash; it works for `validDays` (7 by
//   default, at most 30), once, and only while the invitation stands: a revocation ends it, and
//   sending the invitation again replaces it (the old link is dead). No answer holds it.
// - One live invitation per address, and none for an address that has an account (409).
// - Wrong tokens are counted per client address as sign-in failures are, so guessing meets the same
//   limit; a right one gives its point back.
// - The account is a `user`, always: an invitation cannot make an admin (the role is set by
//   `npm run admin` alone). Every change is an event: `invitation.created`, `.resent`, `.revoked`,
//   and `invitation.accepted` with the new user's `user.created`, in the transaction that takes it.
import { TRPCError } from '@trpc/server';
import { emailKey } from '../../entities';
import type { Context } from '../trpc/context';
import type { Deadline } from '../trpc/deadline';
import { badRequest, notFound, unauthorized } from '../trpc/api-errors';
import { UUID_PATTERN } from '../trpc/common-schemas';
import type { Principal } from '../../server/crypto/token-service';
import { randomToken } from '../../server/crypto/secret-box';
import { clientLimitKey } from '../../server/limits/client-key';
import { recordEvent } from '../events/events-store';
import { eventOrigin } from '../events/event-origin';
import { takeOrRefuse, type LimitEntries } from '../auth/limit-refusal';
import { makeOwnAccount, type SignUpContext } from '../auth/sign-up/sign-up';
import { requireMail } from '../auth/mailed-codes';
import type { LoginResult } from '../auth/auth-schemas';
import { checkCreation } from '../users/write-checks';
import { checkPresetMetadata, presetMetadata } from '../metadata/metadata-service';
import type {
  Invitation,
  InvitationAccept,
  InvitationCreate,
  InvitationList,
  InvitationLookup,
} from './invitation-schemas';
import {
  deleteInvitation,
  insertInvitation,
  listInvitations as selectInvitations,
  liveInvitation,
  replaceToken,
  takeInvitation,
  type InvitationRow,
} from './invitations-store';

/** What managing invitations needs of a call's context. */
export type InvitationContext = Pick<
  Context,
  | 'db'
  | 'orm'
  | 'secrets'
  | 'clock'
  | 'mail'
  | 'signIn'
  | 'background'
  | 'clientAddress'
  | 'requestId'
  | 'tokenAppMetadata'
> & { principal: Principal };

/** What accepting one needs: a sign-up's context. */
export type AcceptContext = SignUpContext & { deadline?: Deadline };

const TOKEN_PURPOSE = 'invitation';
/** What a 503 names without a mail server. */
const INVITATIONS = 'invitations';
export const INVITATION_REFUSED = 'invalid or expired invitation';
/** The console's page a link opens (server/http/console-assets). */
export const INVITATION_PATH = '/accept-invitation';

function toInvitation(row: InvitationRow, now: number): Invitation {
  return {
    id: row.id,
    email: row.address,
    invitedBy: row.invited_by,
    metadata: row.metadata,
    createdAt: new Date(row.created_at).toISOString(),
    sentAt: new Date(row.sent_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
    expired: new Date(row.expires_at).getTime() <= now,
  };
}

/** Mails the link of `token` to the invited address, after the answer (the row is committed by then). */
function sendLink(ctx: InvitationContext, row: InvitationRow, token: string): void {
  const mail = requireMail(ctx, INVITATIONS);
  const { signIn } = ctx;
  const link = new URL(INVITATION_PATH, `${signIn.publicUrl}/`);
  link.searchParams.set('token', token);
  const until = new Date(row.expires_at).toISOString().slice(0, 16).replace('T', ' ');
  ctx.background.run('invitation mail', () =>
    mail.send({
      to: row.address,
      subject: `You are invited to ${signIn.serviceName}`,
      text:
        `You are invited to make an account on ${signIn.serviceName} with this address.\n\n` +
        `Open this link to make it:\n${link.href}\n\n` +
        `The link works once, until ${until} UTC. ` +
        `If you did not expect this invitation, you can ignore this email: no account is made without you.\n`,
    }),
  );
}

export async function createInvitation(ctx: InvitationContext, input: InvitationCreate): Promise<Invitation> {
  requireMail(ctx, INVITATIONS);
  const metadata = { ...input.metadata };
  checkPresetMetadata(metadata, 'metadata', ctx.tokenAppMetadata);
  await checkCreation(ctx.db, undefined, input.email);
  const token = randomToken(32);
  const now = new Date(ctx.clock.now());
  const row = await ctx.db.em.transactional(async (tx) => {
    const made = await insertInvitation(tx, {
      address: input.email,
      addressKey: emailKey(input.email),
      tokenHash: ctx.secrets.hash(TOKEN_PURPOSE, token),
      validDays: input.validDays,
      invitedBy: ctx.principal.id,
      metadata,
      now,
    });
    if (!made) {
      throw new TRPCError({
        code: 'CONFLICT',
        message: 'email: this address has an invitation already: send it again, or revoke it',
      });
    }
    await recordEvent(tx, {
      type: 'invitation.created',
      ...eventOrigin(ctx),
      data: {
        invitation: made.id,
        email: made.address,
        validDays: made.valid_days,
        metadata: Object.keys(made.metadata),
      },
    });
    return made;
  });
  sendLink(ctx, row, token);
  return toInvitation(row, now.getTime());
}

export async function listInvitations(ctx: InvitationContext): Promise<InvitationList> {
  const now = ctx.clock.now();
  return { items: (await selectInvitations(ctx.db.em)).map((row) => toInvitation(row, now)) };
}

/** Mails a new link, which works as long as the first did from now; the old link is dead. */
export async function resendInvitation(ctx: InvitationContext, id: string): Promise<Invitation> {
  if (!UUID_PATTERN.test(id)) throw notFound();
  requireMail(ctx, INVITATIONS);
  const token = randomToken(32);
  const now = new Date(ctx.clock.now());
  const row = await ctx.db.em.transactional(async (tx) => {
    const renewed = await replaceToken(tx, id, ctx.secrets.hash(TOKEN_PURPOSE, token), now);
    if (!renewed) throw notFound();
    await recordEvent(tx, {
      type: 'invitation.resent',
      ...eventOrigin(ctx),
      data: { invitation: renewed.id, email: renewed.address },
    });
    return renewed;
  });
  sendLink(ctx, row, token);
  return toInvitation(row, now.getTime());
}

/** Revokes an invitation: its link is dead at once. */
export async function revokeInvitation(ctx: InvitationContext, id: string): Promise<void> {
  if (!UUID_PATTERN.test(id)) throw notFound();
  await ctx.db.em.transactional(async (tx) => {
    const row = await deleteInvitation(tx, id);
    if (!row) throw notFound();
    await recordEvent(tx, {
      type: 'invitation.revoked',
      ...eventOrigin(ctx),
      data: { invitation: row.id, email: row.address },
    });
  });
}

/** Takes a try from the client's failure budget; the entries, to give back once the token proves right. */
async function takeTry(ctx: AcceptContext): Promise<LimitEntries> {
  const limits: LimitEntries = [['loginFailsByAddressPerDay', clientLimitKey(ctx.clientAddress)]];
  await takeOrRefuse(ctx, limits, 'too many attempts');
  return limits;
}

/** What a link's holder is told of its invitation: the address the account is made with. */
export async function lookUpInvitation(ctx: AcceptContext, token: string): Promise<InvitationLookup> {
  const limits = await takeTry(ctx);
  const row = await liveInvitation(ctx.db.em, ctx.secrets.hashes(TOKEN_PURPOSE, token), new Date(ctx.clock.now()));
  if (!row) throw unauthorized(INVITATION_REFUSED);
  await ctx.limits.giveBack(limits);
  return { email: row.address, expiresAt: new Date(row.expires_at).toISOString() };
}

/** Makes the invited account and signs it in (or asks for its authenticator first). */
export async function acceptInvitation(ctx: AcceptContext, input: InvitationAccept): Promise<LoginResult> {
  const limits = await takeTry(ctx);
  const hashes = ctx.secrets.hashes(TOKEN_PURPOSE, input.token);
  const found = await liveInvitation(ctx.db.em, hashes, new Date(ctx.clock.now()));
  if (!found) throw unauthorized(INVITATION_REFUSED);
  await ctx.limits.giveBack(limits);
  const email = { email: found.address, authMethod: input.email.authMethod };
  const { password } = input.email;
  if (password !== undefined) {
    const refusal = ctx.passwordPolicy.refusal(password, { name: input.name, email: found.address });
    if (refusal) throw badRequest(`email.password: ${refusal}`);
  }
  const fields = { name: input.name, age: input.age, gender: input.gender, email };
  let taken: InvitationRow | undefined;
  return makeOwnAccount(
    ctx,
    fields,
    password,
    async (tx, id) => {
      taken = await takeInvitation(tx, hashes, new Date(ctx.clock.now()));
      if (!taken) throw unauthorized(INVITATION_REFUSED);
      return [{ type: 'invitation.accepted', userId: id, data: { invitation: taken.id, invitedBy: taken.invited_by } }];
    },
    // the metadata it was sent with, as it is now (a resend keeps it)
    async (tx, id) => {
      const event = await presetMetadata(tx, id, taken!.metadata);
      return event ? [event] : [];
    },
  );
}
