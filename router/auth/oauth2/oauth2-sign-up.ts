// Sign-up with the OpenID provider, while sign-up is open (SIGN_UP=open, SIGN_UP_EMAIL_DOMAINS), as
// Keycloak's first broker login, Auth0 and Clerk make an account on a social sign-in: a verified
// identity that matches no account comes back from the callback with a one-time ticket (./oauth2.ts)
// instead of a code, and the person gives what the provider does not (age, gender; the name it
// offered, or another). The provider proved the address, so no code is mailed.
// - The ticket is a 256-bit secret kept as a keyed hash, for 10 minutes, once, and only in the
//   browser the callback sent it to (its cookie), as a login code is: a ticket handed to another
//   browser makes nothing there (login CSRF).
// - The account is a `user` of method 3 (oauth2) at the provider's verified address, bound to the
//   provider's `(iss, sub)` in the transaction that makes it, with the ticket taken by the same
//   transaction: of concurrent completions one makes it; an address or an identity that got an
//   account meanwhile is a 409. Bad fields are a 400 that spends nothing.
// - `user.created` names the person as its actor; it is signed in at once (a session of method
//   `oauth2`), as a provider's sign-in is.
import { TRPCError } from '@trpc/server';
import { unauthorized } from '../../trpc/api-errors';
import { checkCreation } from '../../users/write-checks';
import { createOwnAccount } from '../../users/user-service';
import { AuthMethod, type Gender } from '../../../entities';
import type { Token } from '../auth-schemas';
import { accountByUserId } from '../accounts';
import { issueAccessToken } from '../access-token';
import { recordSignIn } from '../auth-events';
import { refuseUnlessOpenTo, type SignUpContext } from '../sign-up/sign-up';
import { bindIdentity, readSignUpTicket, takeSignUpTicket, type SignUpTicket } from './oauth2-store';
import { takeOrRefuse, type LimitEntries } from '../limit-refusal';
import { clientLimitKey } from '../../../server/limits/client-key';
import type { KeyedHashes } from '../../../server/crypto/secret-box';
import { endBound, fromBoundBrowser, SIGN_UP_TICKET, type OAuth2Context } from './oauth2';
import type { OAuth2SignUp, OAuth2SignUpIdentity } from './oauth2-sign-up-schemas';

export const SIGN_UP_TICKET_FAILED =
  'this sign-up is unknown, was used or took too long: sign in with the provider again';

/**
 * The ticket in `hashes`, live, or a 401; a ticket that is none spends a point of the client
 * address's sign-in failures (as a wrong invitation link or login code does), given back for a live one.
 */
async function liveTicket(ctx: OAuth2Context, hashes: KeyedHashes): Promise<SignUpTicket> {
  const limits: LimitEntries = [['loginFailsByAddressPerDay', clientLimitKey(ctx.clientAddress)]];
  await takeOrRefuse(ctx, limits, 'too many sign-in attempts');
  const row = await readSignUpTicket(ctx.db.em, hashes);
  if (!row || expired(ctx, row)) throw unauthorized(SIGN_UP_TICKET_FAILED);
  await ctx.limits.giveBack(limits);
  return row;
}

/** What the form shows: the address the provider verified, and what its profile offered. */
export async function lookUpSignUp(ctx: OAuth2Context, ticket: string): Promise<OAuth2SignUpIdentity> {
  const row = await liveTicket(ctx, ctx.secrets.hashes(SIGN_UP_TICKET.purpose, ticket));
  const gender = row.gender === null ? null : (row.gender as Gender);
  return { email: row.address, name: row.name, age: row.age, gender, provider: ctx.oidc?.name ?? 'the provider' };
}

export async function completeProviderSignUp(ctx: OAuth2Context & SignUpContext, input: OAuth2SignUp): Promise<Token> {
  const hashes = ctx.secrets.hashes(SIGN_UP_TICKET.purpose, input.ticket);
  const pending = await liveTicket(ctx, hashes);
  if (!fromBoundBrowser(ctx, SIGN_UP_TICKET, pending.browser_hash)) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'this sign-up can only be finished in the browser that signed in; sign in with the provider again there',
    });
  }
  // sign-up may have closed, or its domains changed, since the callback
  refuseUnlessOpenTo(ctx, pending.address, 'email');
  await checkCreation(ctx.db, undefined, pending.address);
  const fields = {
    name: input.name,
    age: input.age,
    gender: input.gender,
    email: { email: pending.address, authMethod: AuthMethod.oauth2 },
  };
  const userId = await createOwnAccount(
    ctx,
    fields,
    null,
    async (tx) => {
      // taken by the transaction that makes the account: a refused write spends nothing
      const taken = await takeSignUpTicket(tx, hashes);
      if (!taken || taken.browser_hash !== pending.browser_hash) throw unauthorized(SIGN_UP_TICKET_FAILED);
      return [];
    },
    async (tx, id) => {
      if (!(await bindIdentity(tx, pending.issuer, pending.subject, id))) {
        throw new TRPCError({ code: 'CONFLICT', message: 'this identity signs in to another account already' });
      }
      return [];
    },
  );
  endBound(ctx, SIGN_UP_TICKET);
  const account = await accountByUserId(ctx.db.em, userId);
  if (!account) throw unauthorized(SIGN_UP_TICKET_FAILED); // deleted the instant it was made
  await recordSignIn(ctx, userId, 'oauth2');
  return issueAccessToken(ctx, account);
}

const expired = (ctx: Pick<OAuth2Context, 'clock'>, row: SignUpTicket) =>
  new Date(row.expires_at).getTime() <= ctx.clock.now();
