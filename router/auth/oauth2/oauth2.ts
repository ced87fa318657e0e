// Sign-in with an OpenID Connect provider (authMethod 3): the authorization code flow with PKCE
// S256, `state` and `nonce` (RFC 9700), through openid-client, which checks the issuer, the ID
// token's signature, audience, expiry and nonce, and the `iss` response parameter (RFC 9207).
// What this module adds:
// - the `state` is single use and bound to the browser that started the sign-in (a cookie whose
//   hash is stored with it), so a callback URL handed to someone else signs nobody in (login
//   CSRF); the PKCE verifier and the nonce are derived from the state with a server key, so no
//   pending secret is stored;
// - the one-time login code is bound the same way to the browser the callback sent it to (a
//   cookie on the paths that redeem it, its hash stored with the code), so a code handed to
//   someone else's browser signs nobody in there (login CSRF, RFC 9700 §4.7);
// - `returnTo` is a path on this site (no open redirect: ./return-to.ts, checked when the sign-in
//   starts and again on the Location the callback sends), and the callback sends the browser back
//   there with a one-time `code` (60 s, once), never a token in a URL;
// - linking: the first sign-in matches an `oauth2` user by the provider's email, only when the
//   provider says the email is verified; from then on the user is bound to the provider's
//   `(iss, sub)` and only that identity signs it in; a person links the provider to an account of
//   another method itself (./oauth2-link.ts), and then it signs that account in too (never one with
//   an authenticator);
// - sign-up: while sign-up is open (SIGN_UP=open, its domains), a verified identity that matches no
//   account comes back with a one-time sign-up ticket instead of a code, bound to the browser the
//   same way, for the fields its provider does not give (./oauth2-sign-up.ts).
import type { EntityManager } from '@mikro-orm/postgresql';
import { TRPCError } from '@trpc/server';
import * as oidc from 'openid-client';
import { AuthMethod } from '../../../entities';
import type { Context } from '../../trpc/context';
import type { Token } from '../auth-schemas';
import { accountByAddress, accountByUserId, refuseIfDisabled } from '../accounts';
import { issueAccessToken, type TokenContext } from '../access-token';
import { takeOrRefuse } from '../limit-refusal';
import { randomToken } from '../../../server/crypto/secret-box';
import { clientLimitKey } from '../../../server/limits/client-key';
import { unauthorized } from '../../trpc/api-errors';
import { nulAt } from '../../trpc/storable-text';
import {
  CALLBACK_PATH,
  LOGIN_CODE_PATHS,
  SIGN_UP_TICKET_PATHS,
  type OidcProvider,
} from '../../../server/oidc/openid-provider';
import { returnLocation } from './return-to';
import { linkIdentity } from './identity-link';
import { recordSignIn, recordSignInFailure, type SignInEventContext } from '../auth-events';
import {
  bindIdentity,
  boundUser,
  storeLoginCode,
  storeSignUpTicket,
  storeState,
  takeLoginCode,
  takeState,
} from './oauth2-store';
import { domainRefusal } from '../sign-up/sign-up';
import { EmailCreateSchema } from '../../users/user-schemas';
import { offeredFields, type OfferedFields, type ProviderProfile } from './offered-fields';

/** What OAuth2 sign-in needs of a call's context. */
export type OAuth2Context = Pick<
  Context,
  | 'db'
  | 'oidc'
  | 'secrets'
  | 'limits'
  | 'responseHeaders'
  | 'requestHeaders'
  | 'tokens'
  | 'clock'
  | 'clientAddress'
  | 'log'
  | 'signUp'
> &
  TokenContext &
  SignInEventContext;

export const BINDING_COOKIE = 'users_oauth2_binding';
export const TOTP_ACCOUNT_REFUSAL =
  'this account signs in with its password and authenticator code, not with the OpenID provider';
/** The cookie that binds a one-time login code to the browser the callback sent it to. */
export const LOGIN_CODE_COOKIE = 'users_oauth2_code_binding';
/** The cookie that binds a sign-up ticket to the browser the callback sent it to. */
export const SIGN_UP_COOKIE = 'users_oauth2_sign_up_binding';
const STATE_TTL_MS = 10 * 60_000;
const LOGIN_CODE_TTL_MS = 60_000;
const PURPOSE = {
  state: 'oauth2-state',
  binding: 'oauth2-binding',
} as const;

/**
 * A one-time secret the callback puts in the return URL (a login code, a sign-up ticket), bound to
 * the browser it sends there by a cookie on the paths that redeem it: both kept as keyed hashes
 * under their own purposes, for `ttlMs`.
 */
export interface BrowserBound {
  purpose: string;
  bindingPurpose: string;
  cookie: string;
  paths: readonly string[];
  ttlMs: number;
}

const LOGIN_CODE: BrowserBound = {
  purpose: 'oauth2-login-code',
  bindingPurpose: 'oauth2-login-code-binding',
  cookie: LOGIN_CODE_COOKIE,
  paths: LOGIN_CODE_PATHS,
  ttlMs: LOGIN_CODE_TTL_MS,
};

export const SIGN_UP_TICKET: BrowserBound = {
  purpose: 'oauth2-sign-up-ticket',
  bindingPurpose: 'oauth2-sign-up-binding',
  cookie: SIGN_UP_COOKIE,
  paths: SIGN_UP_TICKET_PATHS,
  // long enough to type an age and choose a gender
  ttlMs: 10 * 60_000,
};

export function provider(ctx: Pick<OAuth2Context, 'oidc'>): OidcProvider {
  if (!ctx.oidc) {
    throw new TRPCError({
      code: 'SERVICE_UNAVAILABLE',
      message:
        'sign-in with OAuth2 is not configured on this service (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET)',
    });
  }
  return ctx.oidc;
}

export async function authorize(ctx: OAuth2Context, returnTo: string): Promise<{ location: string }> {
  return beginAtProvider(ctx, provider(ctx), returnTo);
}

/**
 * A new pending sign-in at the provider, bound to this browser: where to send it. With `link`, a
 * person's request to link its identity there to its account (./oauth2-link.ts) instead.
 */
export async function beginAtProvider(
  ctx: OAuth2Context,
  op: OidcProvider,
  returnTo: string,
  link?: { userId: string; epoch: string },
): Promise<{ location: string }> {
  const back = returnLocation(returnTo, op.settings.publicUrl);
  if (!back.ok) throw new TRPCError({ code: 'BAD_REQUEST', message: `returnTo: ${back.problem}` });
  // anyone may call this, and each call stores a pending sign-in: a bound per client address
  await takeOrRefuse(
    ctx,
    [['oauth2AuthorizeByAddress', clientLimitKey(ctx.clientAddress)]],
    'too many sign-ins started from this address',
  );
  const config = await op.config();
  const state = randomToken();
  const binding = randomToken();
  await storeState(
    ctx.db.em,
    {
      stateHash: ctx.secrets.hash(PURPOSE.state, state),
      bindingHash: ctx.secrets.hash(PURPOSE.binding, binding),
      returnTo,
      expiresAt: new Date(ctx.clock.now() + STATE_TTL_MS),
      link,
    },
    new Date(ctx.clock.now()),
  );
  ctx.responseHeaders['Set-Cookie'] = bindingCookie(op, binding, STATE_TTL_MS / 1000);
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: op.redirectUri,
    response_type: 'code',
    // the name too while people may sign up: it fills the new account's form
    scope: ctx.signUp.open ? 'openid email profile' : 'openid email',
    state,
    nonce: ctx.secrets.derive('oauth2-nonce', state),
    code_challenge: await oidc.calculatePKCECodeChallenge(ctx.secrets.derive('oauth2-pkce', state)),
    code_challenge_method: 'S256',
  });
  return { location: url.href };
}

/**
 * A sign-in cookie: HttpOnly, only on its path. The binding cookie is Lax: it must come along on
 * the provider's redirect to the callback, a cross-site navigation. The login code's cookie is
 * Strict: only the page's own same-origin call redeems the code, and no other site's page needs it.
 */
function cookieLine(
  op: OidcProvider,
  { name, value, path, maxAgeSeconds }: { name: string; value: string; path: string; maxAgeSeconds: number },
): string {
  const secure = op.redirectUri.startsWith('https:') ? '; Secure' : '';
  const sameSite = name === BINDING_COOKIE ? 'Lax' : 'Strict';
  return `${name}=${value}; Path=${path}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=${sameSite}${secure}`;
}

function bindingCookie(op: OidcProvider, value: string, maxAgeSeconds: number): string {
  return cookieLine(op, { name: BINDING_COOKIE, value, path: CALLBACK_PATH, maxAgeSeconds });
}

/** A browser-bound secret's cookie on every path it is redeemed at (`value` '' ends it). */
function boundCookies(op: OidcProvider, kind: BrowserBound, value: string): string[] {
  const maxAgeSeconds = value ? kind.ttlMs / 1000 : 0;
  return kind.paths.map((path) => cookieLine(op, { name: kind.cookie, value, path, maxAgeSeconds }));
}

/** A new browser-bound secret: for the URL, the hashes to store with what it stands for, the cookies to set. */
function newBound(ctx: Pick<OAuth2Context, 'secrets' | 'clock'>, op: OidcProvider, kind: BrowserBound) {
  const secret = randomToken();
  const binding = randomToken();
  return {
    secret,
    secretHash: ctx.secrets.hash(kind.purpose, secret),
    browserHash: ctx.secrets.hash(kind.bindingPurpose, binding),
    expiresAt: new Date(ctx.clock.now() + kind.ttlMs),
    cookies: boundCookies(op, kind, binding),
  };
}

/** Whether this request comes from the browser a secret of `kind` was bound to (`browserHash`, as stored). */
export function fromBoundBrowser(
  ctx: Pick<OAuth2Context, 'secrets' | 'requestHeaders'>,
  kind: BrowserBound,
  browserHash: string,
): boolean {
  const binding = cookie(ctx.requestHeaders.cookie, kind.cookie);
  return binding !== undefined && binding !== '' && ctx.secrets.matches(kind.bindingPurpose, binding, browserHash);
}

/** Ends a used secret's cookies in this browser. */
export function endBound(ctx: Pick<OAuth2Context, 'oidc' | 'responseHeaders'>, kind: BrowserBound): void {
  if (ctx.oidc) ctx.responseHeaders['Set-Cookie'] = boundCookies(ctx.oidc, kind, '');
}

export interface CallbackParameters {
  code?: string;
  state?: string;
  iss?: string;
  error?: string;
  error_description?: string;
  session_state?: string;
}

/**
 * The provider's answer. Before the state is proven, a failure is a 400 (where to send the
 * browser is not known); after, the browser goes back to `returnTo` with `error` and
 * `error_description`, or with the one-time `code`.
 */
export async function callback(ctx: OAuth2Context, parameters: CallbackParameters): Promise<{ location: string }> {
  const op = provider(ctx);
  const { state } = parameters;
  if (!state) throw badCallback('the sign-in answer has no state; start the sign-in again');
  const stateHashes = ctx.secrets.hashes(PURPOSE.state, state);
  const pending = await takeState(ctx.db.em, stateHashes);
  if (!pending) throw badCallback('this sign-in is unknown or was already used; start the sign-in again');
  const binding = cookie(ctx.requestHeaders.cookie, BINDING_COOKIE);
  // from here the state was a real one: a refusal is recorded (an unknown state is not, so made-up
  // callbacks cannot fill the outbox)
  if (!binding || !ctx.secrets.matches(PURPOSE.binding, binding, pending.binding_hash)) {
    await recordSignInFailure(ctx, 'oauth2', 'invalid_challenge');
    throw badCallback('this sign-in was started in another browser; start the sign-in again');
  }
  const endBinding = bindingCookie(op, '', 0);
  ctx.responseHeaders['Set-Cookie'] = endBinding;
  // checked again here, before any code exists: a stored returnTo is trusted no more than a new one
  if (!returnLocation(pending.return_to, op.settings.publicUrl).ok) {
    throw badCallback('this sign-in would return to another site; start the sign-in again');
  }
  const back = (query: Record<string, string>) => {
    const location = returnLocation(pending.return_to, op.settings.publicUrl, query);
    if (!location.ok) throw badCallback('this sign-in would return to another site; start the sign-in again');
    return { location: location.location };
  };
  if (new Date(pending.expires_at).getTime() <= ctx.clock.now()) {
    await recordSignInFailure(ctx, 'oauth2', 'invalid_challenge');
    return back({ error: 'expired', error_description: 'the sign-in took too long; start it again' });
  }
  if (parameters.error) {
    await recordSignInFailure(ctx, 'oauth2', 'provider_refused');
    return back({
      error: 'access_denied',
      error_description: `${op.name} did not sign you in (${parameters.error_description ?? parameters.error})`,
    });
  }
  // a sign-in begun before a key rotation derives its verifier and nonce under the key of then
  const key = stateHashes.indexOf(pending.state_hash);
  const verified = await identify(ctx, op, parameters, state, key);
  if (pending.link_user_id !== null && pending.link_epoch !== null) {
    const linked =
      'refused' in verified
        ? verified
        : await linkIdentity(ctx, op, { userId: pending.link_user_id, epoch: pending.link_epoch }, verified);
    return 'refused' in linked
      ? back({ error: 'link_refused', error_description: linked.refused })
      : back({ linked: '1' });
  }
  const outcome = 'refused' in verified ? verified : await bind(ctx.db.em, op, ctx.signUp, verified);
  if ('refused' in outcome) {
    await recordSignInFailure(ctx, 'oauth2', 'invalid_credentials');
    return back({ error: 'access_denied', error_description: outcome.refused });
  }
  // the code (or, for a person with no account yet, the sign-up ticket) goes into the address; the
  // proof that this browser may redeem it, into a cookie
  if ('signUp' in outcome) {
    const ticket = newBound(ctx, op, SIGN_UP_TICKET);
    const { secretHash: ticketHash, browserHash, expiresAt } = ticket;
    await storeSignUpTicket(ctx.db.em, { ticketHash, browserHash, expiresAt, ...outcome.signUp });
    ctx.responseHeaders['Set-Cookie'] = [endBinding, ...ticket.cookies];
    return back({ signUp: ticket.secret });
  }
  const code = newBound(ctx, op, LOGIN_CODE);
  const { secretHash: codeHash, browserHash, expiresAt } = code;
  await storeLoginCode(ctx.db.em, { codeHash, browserHash, expiresAt, userId: outcome.userId });
  ctx.responseHeaders['Set-Cookie'] = [endBinding, ...code.cookies];
  return back({ code: code.secret });
}

/** A verified identity that may make an account (sign-up is open to its address), with what its profile offers. */
interface NewIdentity extends OfferedFields {
  issuer: string;
  subject: string;
  address: string;
}

/** The identity the provider's answer proves, with what its profile offers; or why it proves none. */
async function identify(
  ctx: OAuth2Context,
  op: OidcProvider,
  parameters: CallbackParameters,
  state: string,
  key: number,
): Promise<VerifiedIdentity | { refused: string }> {
  const config = await op.config();
  const currentUrl = new URL(op.redirectUri);
  for (const name of ['code', 'state', 'iss', 'session_state'] as const) {
    const value = parameters[name];
    if (value !== undefined) currentUrl.searchParams.set(name, value);
  }
  let issuer: string;
  let subject: string;
  let email: unknown;
  let emailVerified: unknown;
  let profile: ProviderProfile;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: ctx.secrets.derive('oauth2-pkce', state, key),
      expectedState: state,
      expectedNonce: ctx.secrets.derive('oauth2-nonce', state, key),
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('no ID token');
    issuer = claims.iss;
    subject = claims.sub;
    ({ email, email_verified: emailVerified } = claims);
    profile = { name: claims.name, gender: claims.gender, birthdate: claims.birthdate };
    if (email === undefined) {
      const info = await oidc.fetchUserInfo(config, tokens.access_token, subject);
      ({ email, email_verified: emailVerified } = info);
      profile = { name: info.name, gender: info.gender, birthdate: info.birthdate };
    }
  } catch (error) {
    ctx.log.warn({ err: describeOidcError(error) }, 'OAuth2 sign-in: the provider answer was refused');
    return { refused: `${op.name}'s answer could not be verified; start the sign-in again` };
  }
  const offered = offeredFields(profile, new Date(ctx.clock.now()));
  // PostgreSQL holds no U+0000 in text, and the driver's refusal of a parameter holding it reads as
  // a lost connection: an identity with one, which no account can have, is the provider's mistake
  if (nulAt({ issuer, subject, email }) !== undefined) {
    return { refused: `${op.name} sent an identity holding the character U+0000, which no account can hold` };
  }
  return { issuer, subject, email, emailVerified, offered };
}

/** What the provider proved: who the person is there, and what it says of them. */
export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  email: unknown;
  emailVerified: unknown;
  offered: OfferedFields;
}

/**
 * Finds the bound user, or binds an `oauth2` user by verified email (first sign-in only), or, with
 * no account at that address while sign-up is open to it, answers the person who may make one.
 */
async function bind(
  em: EntityManager,
  op: OidcProvider,
  signUp: OAuth2Context['signUp'],
  identity: VerifiedIdentity,
): Promise<{ userId: string } | { signUp: NewIdentity } | { refused: string }> {
  const noAccount = `no account signs in with this ${op.name} identity; ask an administrator to create one`;
  const bound = await boundUser(em, identity.issuer, identity.subject);
  if (bound) return { userId: bound };
  if (typeof identity.email !== 'string') return { refused: `${op.name} did not share an email address` };
  if (identity.emailVerified !== true) {
    return { refused: `${op.name} has not verified the email address ${identity.email}` };
  }
  const account = await accountByAddress(em, identity.email);
  if (!account && signUp.open) {
    const outside = domainRefusal(signUp, identity.email);
    if (outside) return { refused: outside };
    // an account's address is checked as the published create checks it, whoever verified it
    const checked = EmailCreateSchema.shape.email.safeParse(identity.email);
    if (!checked.success) {
      return { refused: `${op.name}'s address ${identity.email} cannot be an account's address here` };
    }
    const { issuer, subject } = identity;
    return { signUp: { issuer, subject, address: identity.email, ...identity.offered } };
  }
  if (account?.authMethod !== AuthMethod.oauth2) return { refused: noAccount };
  // the user may already be bound to another identity: then this one is not it
  const linked = await bindIdentity(em, identity.issuer, identity.subject, account.userId);
  return linked ? { userId: account.userId } : { refused: noAccount };
}

/**
 * The one-time code from the return URL becomes a token, once, within a minute, and only in the
 * browser the callback sent it to (its cookie), against login CSRF: a code an attacker got for
 * their own account, handed to a victim's browser, signs nobody in there. The first attempt
 * spends the code, from whatever browser: a code presented elsewhere has leaked, and dies.
 */
export async function exchangeLoginCode(ctx: OAuth2Context, code: string): Promise<Token> {
  const limits = [['loginFailsByAddressPerDay', clientLimitKey(ctx.clientAddress)]] as const;
  await takeOrRefuse(ctx, limits, 'too many sign-in attempts');
  const row = await takeLoginCode(ctx.db.em, ctx.secrets.hashes(LOGIN_CODE.purpose, code));
  if (!row || new Date(row.expires_at).getTime() <= ctx.clock.now()) {
    await recordSignInFailure(ctx, 'oauth2', 'invalid_code', row?.user_id ?? null);
    throw unauthorized('invalid or expired code');
  }
  if (!fromBoundBrowser(ctx, LOGIN_CODE, row.browser_hash)) {
    await recordSignInFailure(ctx, 'oauth2', 'invalid_code', row.user_id);
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'this code can only be used in the browser that signed in; start the sign-in again in this browser',
    });
  }
  const account = await accountByUserId(ctx.db.em, row.user_id);
  if (!account) {
    await recordSignInFailure(ctx, 'oauth2', 'invalid_code', row.user_id);
    throw unauthorized('invalid or expired code');
  }
  // an account of another method signs in here only through an identity its owner linked
  // (./oauth2-link.ts), and never one with an authenticator: the provider would skip its code
  if (account.authMethod === AuthMethod.totp) {
    await recordSignInFailure(ctx, 'oauth2', 'invalid_credentials', row.user_id);
    throw unauthorized(TOTP_ACCOUNT_REFUSAL);
  }
  await ctx.limits.giveBack(limits);
  await recordSignIn(ctx, account.userId, 'oauth2');
  endBound(ctx, LOGIN_CODE);
  // only now, with the provider's answer and this browser's binding proven
  refuseIfDisabled(account, ctx.clock.now());
  return issueAccessToken(ctx, account, 'oauth2');
}

function badCallback(message: string): TRPCError {
  return new TRPCError({ code: 'BAD_REQUEST', message });
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/**
 * What may be logged of a refused answer: openid-client's error code and message, the OAuth error,
 * and which claim failed, never values (tokens, the expected nonce).
 */
function describeOidcError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const { code, error: oauthError } = error as Error & { code?: unknown; error?: unknown };
  // openid-client wraps oauth4webapi's error, whose own cause names the claim
  let claim: unknown;
  for (let link: unknown = error; typeof link === 'object' && link !== null && claim === undefined;) {
    claim = (link as { claim?: unknown }).claim;
    link = (link as { cause?: unknown }).cause;
  }
  return { type: error.name, code, error: oauthError, claim, message: error.message };
}
