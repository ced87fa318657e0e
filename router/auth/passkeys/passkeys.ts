// Passkeys (WebAuthn Level 3): a person adds a passkey to its own account, and signs in with it
// from then on without typing anything, whatever its account's method. Checked by
// @simplewebauthn/server, the library made for the job; what this file decides:
// - a ceremony's challenge is the service's (32 random bytes), stored, good for one ceremony of its
//   kind (a registration's for the user it was issued to) and for 5 minutes: it is taken before the
//   answer is judged, so a signed answer cannot be played twice (§13.4.3);
// - only this relying party's id and origins are accepted (PASSKEY_RP_ID, PASSKEY_ORIGINS): a
//   passkey signs in nowhere but here, the phishing resistance passkeys exist for (§13.4.9);
// - user verification is required (a PIN or a biometric on the authenticator): the passkey alone
//   is two factors, so it stands in for a password and a TOTP code alike (§6.2.3; NIST SP 800-63B
//   AAL2); an authenticator that did not verify its user is refused;
// - the authenticator's signature counter must grow when it counts: one that did not is a cloned
//   credential, refused and recorded (§6.1.1); the user handle must name the passkey's owner (§7.2);
// - adding or removing a passkey is a change of how the user signs in: a recent sign-in is asked
//   (router/users/step-up), never under an impersonation, recorded, and told by mail; removing one
//   (the user, or an admin for a lost one) ends every session it signed in, but the remover's own;
// - a refused sign-in is the same 401 whatever was wrong, recorded with its kind, and counted per
//   client address, as password sign-in failures are.
import { generateAuthenticationOptions, generateRegistrationOptions } from '@simplewebauthn/server';
import { verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import type { AuthenticatorTransport } from '@simplewebauthn/server';
import { TRPCError } from '@trpc/server';
import type { Context } from '../../trpc/context';
import type { Principal } from '../../../server/crypto/token-service';
import { badRequest, notFound, unauthorized } from '../../trpc/api-errors';
import { UUID_PATTERN } from '../../trpc/common-schemas';
import { clientLimitKey } from '../../../server/limits/client-key';
import { recordEvent } from '../../events/events-store';
import { eventOrigin } from '../../events/event-origin';
import { requireRecentSignIn, type StepUpContext } from '../../users/step-up';
import { beginSession, type SessionContext } from '../../sessions/session-service';
import { deleteSessionsOfPasskey } from '../../sessions/sessions-store';
import { accountByUserId, callersAccount, refuseIfDisabled, type Account, userAccountOrNotFound } from '../accounts';
import { takeOrRefuse, type LimitContext } from '../limit-refusal';
import { recordSignIn, recordSignInFailure, type SignInEventContext } from '../auth-events';
import { queueSecurityNotice } from '../security-notices';
import type { Token } from '../auth-schemas';
import type {
  Passkey,
  PasskeyCreationOptions,
  PasskeyList,
  PasskeyRegistration,
  PasskeyRename,
  PasskeyRequestOptions,
  PasskeySignIn,
} from './passkey-schemas';
import {
  deletePasskey,
  renamePasskey,
  insertPasskey,
  passkeyByCredentialId,
  passkeysOf,
  recordUse,
  saveChallenge,
  takeChallenge,
  type ChallengePurpose,
  type PasskeyRow,
} from './passkey-store';

/** What passkeys need of a call's context. */
export type PasskeyContext = Pick<Context, 'passkeys'> &
  SessionContext &
  LimitContext &
  SignInEventContext &
  Omit<StepUpContext, 'principal'>;
export type OwnerContext = PasskeyContext & { principal: Principal };

const CHALLENGE_TTL_SECONDS = 300;
/** More would be a list nobody keeps track of; each is a way in. */
const MAX_PASSKEYS = 20;
const PASSKEY_REFUSED = 'the passkey was not recognised';
const LIMITED = 'too many passkey sign-in attempts';
/**
 * The user handle an authenticator keeps with a passkey is a keyed hash of the user id (under
 * TOTP_KEY), not the id: §14.6.1 asks for one that names nobody, since ids may be what a product
 * chose (an address, a name). The same for every passkey of a user (while the key is), so an
 * authenticator replaces its old passkey of the account rather than keeping two. Each passkey keeps
 * the one it was made with, which its sign-ins are compared with: a key rotation changes nothing.
 */
const HANDLE_PURPOSE = 'passkey-user-handle';
/** ES256 and RS256 (every platform authenticator makes one of these), and EdDSA. */
const ALGORITHMS = [-8, -7, -257];

function toPasskey(row: PasskeyRow): Passkey {
  return {
    id: row.id,
    name: row.name,
    createdAt: new Date(row.created_at).toISOString(),
    lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at).toISOString(),
    backedUp: row.backed_up,
    transports: row.transports,
  };
}

/**
 * What every ceremony's answer must show, registration and sign-in alike: the challenge the service
 * issued for it, made on one of this relying party's origins for its id (phishing resistance,
 * §13.4.9), by an authenticator that verified its user (§6.2.3).
 */
function expected(ctx: PasskeyContext, challenge: string) {
  return {
    expectedChallenge: challenge,
    expectedOrigin: ctx.passkeys.origins,
    expectedRPID: ctx.passkeys.rpId,
    requireUserVerification: true,
  };
}

/** The challenge a ceremony's answer signed (its client data's), or undefined when it says none. */
function challengeOf(clientDataJSON: string): string | undefined {
  try {
    const clientData = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as unknown;
    const challenge = (clientData as { challenge?: unknown } | null)?.challenge;
    return typeof challenge === 'string' && challenge.length <= 512 ? challenge : undefined;
  } catch {
    return undefined;
  }
}

async function newChallenge(
  ctx: PasskeyContext,
  challenge: string,
  purpose: ChallengePurpose,
  owner: { userId: string; userHandle: string } | null,
): Promise<void> {
  const expiresAt = new Date(ctx.clock.now() + CHALLENGE_TTL_SECONDS * 1000);
  await saveChallenge(ctx.db.em, {
    challenge,
    purpose,
    userId: owner?.userId ?? null,
    userHandle: owner?.userHandle ?? null,
    expiresAt,
  });
}

/**
 * The challenge an answer's client data signed, when it is one issued for `purpose` (to `userId`)
 * and still good, with the user handle it was issued with: taken now, so it serves once. Undefined
 * otherwise.
 */
async function takeAnswered(
  ctx: PasskeyContext,
  clientDataJSON: string,
  purpose: ChallengePurpose,
  userId: string | null,
): Promise<{ challenge: string; userHandle: string | null } | undefined> {
  const challenge = challengeOf(clientDataJSON);
  if (challenge === undefined) return undefined;
  const taken = await takeChallenge(ctx.db.em, challenge, purpose, userId, new Date(ctx.clock.now()));
  return taken && { challenge, userHandle: taken.userHandle };
}

/**
 * Every ceremony begun stores a challenge (for 5 minutes): one budget per client address bounds
 * those writes, a sign-in's (anonymous) and a registration's alike (PASSKEY_CHALLENGES_PER_ADDRESS_PER_HOUR).
 */
async function limitChallenges(ctx: PasskeyContext, what: 'sign-ins' | 'registrations'): Promise<void> {
  await takeOrRefuse(
    ctx,
    [['passkeyChallengesByAddress', clientLimitKey(ctx.clientAddress)]],
    `too many passkey ${what} begun`,
  );
}

/**
 * The account whose passkeys the caller manages: its own, signed in as a person. An operator's
 * token or a machine client's has no account to add a passkey to.
 */
const ownAccount = (ctx: OwnerContext) => callersAccount(ctx, 'passkeys belong to a person’s own account');

/** The options of a new passkey for the caller's own account (a recent sign-in asked first). */
export async function registrationOptions(ctx: OwnerContext): Promise<PasskeyCreationOptions> {
  const account = await ownAccount(ctx);
  requireRecentSignIn(ctx, account.userId, ['passkeys']);
  await limitChallenges(ctx, 'registrations');
  const existing = await passkeysOf(ctx.db.em, account.userId);
  const userHandle = ctx.secrets.hash(HANDLE_PURPOSE, account.userId);
  if (existing.length >= MAX_PASSKEYS) throw badRequest(`an account has at most ${MAX_PASSKEYS} passkeys`);
  const options = await generateRegistrationOptions({
    rpName: ctx.passkeys.rpName,
    rpID: ctx.passkeys.rpId,
    userID: Buffer.from(userHandle, 'base64url'),
    userName: account.address,
    userDisplayName: account.address,
    timeout: CHALLENGE_TTL_SECONDS * 1000,
    attestationType: 'none',
    excludeCredentials: existing.map((row) => ({
      id: row.credential_id,
      transports: row.transports as AuthenticatorTransport[],
    })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    supportedAlgorithmIDs: ALGORITHMS,
  });
  await newChallenge(ctx, options.challenge, 'register', { userId: account.userId, userHandle });
  return options;
}

/** Adds the passkey the authenticator made from `registrationOptions`'s answer. */
export async function registerPasskey(ctx: OwnerContext, input: PasskeyRegistration): Promise<Passkey> {
  const account = await ownAccount(ctx);
  requireRecentSignIn(ctx, account.userId, ['passkeys']);
  const { credential } = input;
  const taken = await takeAnswered(ctx, credential.response.clientDataJSON, 'register', account.userId);
  const userHandle = taken?.userHandle;
  if (!taken || !userHandle) {
    throw badRequest('credential: its challenge is not one issued to you, or it was used or has expired: begin again');
  }
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response: credential,
      ...expected(ctx, taken.challenge),
      supportedAlgorithmIDs: ALGORITHMS,
    });
  } catch (error) {
    // the library's reasons are about the answer sent (its origin, its flags, its format)
    throw badRequest(`credential: ${error instanceof Error ? error.message : 'not a passkey'}`);
  }
  if (!verified.verified) throw badRequest('credential: not verified');
  const info = verified.registrationInfo;
  return ctx.db.em.transactional(async (tx) => {
    const row = await insertPasskey(tx, {
      userId: account.userId,
      credentialId: info.credential.id,
      userHandle,
      publicKey: info.credential.publicKey,
      signCount: info.credential.counter,
      transports: credential.response.transports ?? [],
      name: input.name ?? 'Passkey',
      backedUp: info.credentialBackedUp,
    });
    if (!row) throw new TRPCError({ code: 'CONFLICT', message: 'this passkey is registered already' });
    await recordEvent(tx, {
      type: 'auth.passkey_added',
      userId: account.userId,
      ...eventOrigin(ctx),
      data: { passkeyId: row.id, name: row.name },
    });
    await queueSecurityNotice(tx, ctx, account.userId, account.address, { kind: 'passkey added', name: row.name });
    return toPasskey(row);
  });
}

export async function listOwnPasskeys(ctx: OwnerContext): Promise<PasskeyList> {
  return { items: (await passkeysOf(ctx.db.em, ctx.principal.id)).map(toPasskey) };
}

/** Removes one of the caller's passkeys (a recent sign-in asked first): it signs in no more. */
export async function removeOwnPasskey(ctx: OwnerContext, id: string): Promise<void> {
  const account = await ownAccount(ctx);
  requireRecentSignIn(ctx, account.userId, ['passkeys']);
  await removePasskey(ctx, account, id);
}

/** Names one of the caller's passkeys anew: how it tells them apart. Not a change of how it signs in. */
export async function renameOwnPasskey(ctx: OwnerContext, input: PasskeyRename): Promise<Passkey> {
  const account = await ownAccount(ctx);
  if (!UUID_PATTERN.test(input.id)) throw notFound();
  return ctx.db.em.transactional(async (tx) => {
    const renamed = await renamePasskey(tx, account.userId, input.id, input.name);
    if (!renamed) throw notFound();
    await recordEvent(tx, {
      type: 'auth.passkey_renamed',
      userId: account.userId,
      ...eventOrigin(ctx),
      data: { passkeyId: input.id, name: renamed.after.name, before: renamed.before },
    });
    return toPasskey(renamed.after);
  });
}

/** A user's passkeys, for an admin. */
export async function passkeysOfUser(ctx: OwnerContext, userId: string): Promise<PasskeyList> {
  await userAccountOrNotFound(ctx.db.em, userId);
  return { items: (await passkeysOf(ctx.db.em, userId)).map(toPasskey) };
}

/** An admin removes one of a user's passkeys (one the user lost, or one it did not add). */
export async function removeUserPasskey(ctx: OwnerContext, userId: string, id: string): Promise<void> {
  const account = await userAccountOrNotFound(ctx.db.em, userId);
  await removePasskey(ctx, account, id);
}

/**
 * Removes passkey `id` of `account`, and ends every session it signed in but the remover's own:
 * whoever holds the authenticator (a lost phone) is signed out with it. Recorded, and mailed.
 */
async function removePasskey(ctx: OwnerContext, account: Pick<Account, 'userId' | 'address'>, id: string) {
  if (!UUID_PATTERN.test(id)) throw notFound();
  const keep = ctx.principal.id === account.userId ? (ctx.principal.sessionId ?? null) : null;
  await ctx.db.em.transactional(async (tx) => {
    const sessionIds = await deleteSessionsOfPasskey(tx, account.userId, id, keep);
    const row = await deletePasskey(tx, account.userId, id);
    if (!row) throw notFound();
    await recordEvent(tx, {
      type: 'auth.passkey_removed',
      userId: account.userId,
      ...eventOrigin(ctx),
      data: { passkeyId: row.id, name: row.name, sessionIds },
    });
    await queueSecurityNotice(tx, ctx, account.userId, account.address, { kind: 'passkey removed', name: row.name });
  });
  // the ended sessions' next calls read no copy that still has them (server/database/read-your-writes)
  ctx.db.affects(account.userId);
}

/** Begins a passkey sign-in: the options for `navigator.credentials.get()`, any of this service's passkeys. */
export async function signInOptions(ctx: PasskeyContext): Promise<PasskeyRequestOptions> {
  await limitChallenges(ctx, 'sign-ins');
  const options = await generateAuthenticationOptions({
    rpID: ctx.passkeys.rpId,
    userVerification: 'required',
    timeout: CHALLENGE_TTL_SECONDS * 1000,
  });
  await newChallenge(ctx, options.challenge, 'sign_in', null);
  return options;
}

/** Signs in with a passkey: a session, as any sign-in's, or the same 401 whatever was wrong. */
export async function passkeySignIn(ctx: PasskeyContext, input: PasskeySignIn): Promise<Token> {
  const limits = [['loginFailsByAddressPerDay', clientLimitKey(ctx.clientAddress)]] as const;
  await takeOrRefuse(ctx, limits, LIMITED);
  const { credential } = input;
  const refuse = async (reason: 'invalid_challenge' | 'invalid_credentials' | 'cloned_credential', userId?: string) => {
    await recordSignInFailure(ctx, 'passkey', reason, userId ?? null);
    return unauthorized(PASSKEY_REFUSED);
  };
  const challenge = (await takeAnswered(ctx, credential.response.clientDataJSON, 'sign_in', null))?.challenge;
  if (challenge === undefined) throw await refuse('invalid_challenge');
  const passkey = await passkeyByCredentialId(ctx.db.em, credential.id);
  if (!passkey) throw await refuse('invalid_credentials');
  const owner = passkey.user_id;
  // §7.2 step 6: the handle the authenticator keeps with the credential names the passkey's owner
  const { userHandle } = credential.response;
  if (userHandle !== undefined && userHandle !== passkey.user_handle) {
    throw await refuse('invalid_credentials', owner);
  }
  const stored = Number(passkey.sign_count);
  let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verified = await verifyAuthenticationResponse({
      response: credential,
      ...expected(ctx, challenge),
      credential: {
        id: passkey.credential_id,
        publicKey: new Uint8Array(passkey.public_key),
        counter: stored,
        transports: passkey.transports,
      },
    });
  } catch (error) {
    // the one reason worth telling apart: a counter that went back is a cloned authenticator
    const cloned = error instanceof Error && /counter/i.test(error.message);
    throw await refuse(cloned ? 'cloned_credential' : 'invalid_credentials', owner);
  }
  const { newCounter, credentialBackedUp } = verified.authenticationInfo;
  if (!verified.verified) throw await refuse('invalid_credentials', owner);
  const now = new Date(ctx.clock.now());
  // of two concurrent uses seen at the same counter (a clone racing its original), one gets through
  const recorded = await recordUse(ctx.db.em, passkey.id, passkey.sign_count, newCounter, credentialBackedUp, now);
  if (!recorded) throw await refuse('cloned_credential', owner);
  const account = await accountByUserId(ctx.db.em, owner);
  if (!account) throw await refuse('invalid_credentials');
  await ctx.limits.giveBack(limits);
  // only now, with the passkey proven: before it, a disabled account fails like any other
  refuseIfDisabled(account, ctx.clock.now());
  await recordSignIn(ctx, account.userId, 'passkey');
  return beginSession(ctx, account, 'passkey', passkey.id);
}
