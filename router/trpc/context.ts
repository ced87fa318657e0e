// The context of a procedure call. `createContextInner` is what every call runs with (tests
// call it directly); `contextFactory` builds it from an HTTP request: a fresh unit of work,
// the caller proven by the Bearer token (if any), the client's address and the cookie header.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Limits } from '../../server/limits/rate-limits';
import type { Mailer } from '../../server/mail/mailer';
import type { OidcProvider } from '../../server/oidc/openid-provider';
import type { SecretBox } from '../../server/crypto/secret-box';
import type { BackgroundTasks } from './background-tasks';
import type { Clock } from './clock';
import { RequestDatabase } from '../../server/database/request-database';
import type { PasswordHasher } from '../../server/crypto/password-hasher';
import type { PasswordPolicy } from '../../server/passwords/password-policy';
import type { ListSink } from './list-sink';
import type { Deadline, OnClientGone } from './deadline';
import type { SessionCheck } from './session-check';
import type { ReadReplicas } from '../../server/database/read-replicas';
import { TokenError, type Principal, type TokenService } from '../../server/crypto/token-service';

/** What sign-in says about itself to people. */
export interface SignInSettings {
  /** The name in sign-in emails and authenticator apps. */
  serviceName: string;
  /** The issuer shown in authenticator apps (the `otpauth://` URL). */
  totpIssuer: string;
  /** The service's external base URL (PUBLIC_URL), for links in mails (the password reset form). */
  publicUrl: string;
  /** SIGN_IN_NOTICES: whether a sign-in from where the account never signed in is mailed to its owner. */
  unusualSignInNotices: boolean;
}

/** The relying party of passkeys (WebAuthn §5.1.2, §13.4.9). */
export interface PasskeySettings {
  /** The domain passkeys are made for (PASSKEY_RP_ID). */
  rpId: string;
  /** The name an authenticator shows beside the passkey (SERVICE_NAME). */
  rpName: string;
  /** The origins a ceremony is accepted from (PASSKEY_ORIGINS). */
  origins: string[];
}

/** Whether people make their own accounts (router/auth/sign-up). */
export interface SignUpSettings {
  /** SIGN_UP=open: anyone who proves an address by a mailed code; otherwise admins make accounts. */
  open: boolean;
  /** SIGN_UP_EMAIL_DOMAINS, lower-cased: the only domains that may sign up; any when empty. */
  domains: string[];
}

/** How sign-in's device cookies are set (router/auth/device-cookie). */
export interface DeviceCookieSettings {
  /** `Secure`: PUBLIC_URL is https. */
  secure: boolean;
  /** How long a browser stays known for an email after its last sign-in to it. */
  ttlSeconds: number;
}

/** How long sessions last, and how the console's refresh cookie is set (router/sessions). */
export interface SessionSettings {
  /** SESSION_IDLE_SECONDS: a session not refreshed for this long ends. */
  idleSeconds: number;
  /** SESSION_MAX_SECONDS: a session ends this long after its sign-in. */
  maxSeconds: number;
  /** `Secure` on the refresh cookie: always, unless the service is reached over http on loopback. */
  cookieSecure: boolean;
}

/** What a procedure may log: warnings about refused sign-ins, never secrets. */
export interface ProcedureLog {
  warn(details: Record<string, unknown>, message: string): void;
}

/** What the service builds once at start-up and every request shares. */
export interface Services {
  orm: MikroORM;
  /** Where reads may go besides the primary (DATABASE_REPLICA_URLS); null without replicas. */
  replicas: ReadReplicas | null;
  passwords: PasswordHasher;
  /** Which passwords may be set (a common one, or one built on its owner's name, may not). */
  passwordPolicy: PasswordPolicy;
  tokens: TokenService;
  /** Every sign-in limit (in Redis when configured). */
  limits: Limits;
  /** The key of sign-in secrets at rest: sealing TOTP secrets, hashing codes. */
  secrets: SecretBox;
  /** Where sign-in codes are mailed; null when this service cannot send mail. */
  mail: Mailer | null;
  /** The OpenID provider for OAuth2 sign-in; null when not configured. */
  oidc: OidcProvider | null;
  clock: Clock;
  background: BackgroundTasks;
  signIn: SignInSettings;
  deviceCookie: DeviceCookieSettings;
  sessionSettings: SessionSettings;
  log: ProcedureLog;
  /** How long a procedure call may take before it is cut with a 503. */
  requestTimeoutMs: number;
  /** Webhook registration: whether private addresses and plain http: are allowed (WEBHOOK_ALLOW_PRIVATE). */
  webhooks: { allowPrivate: boolean };
  /** Whom passkeys are made for, and where their ceremonies may come from (router/auth/passkeys). */
  passkeys: PasskeySettings;
  /** Whether, and with which addresses, people make their own accounts. */
  signUp: SignUpSettings;
  /** How recent a sign-in a user's own credential change needs (REAUTH_MAX_AGE_SECONDS). */
  reauthMaxAgeSeconds: number;
  /** How long a list cursor may be followed (LIST_CURSOR_TTL_SECONDS). */
  listCursorTtlSeconds: number;
  /** The keys of a user's `app` metadata its access tokens carry (TOKEN_APP_METADATA); none when empty. */
  tokenAppMetadata: readonly string[];
}

export interface ContextOptions extends Services {
  /** This request's view of the database: its own unit of work, and prepared reads. */
  db: RequestDatabase;
  /** The verified caller; null when no usable token came with the call. */
  principal: Principal | null;
  /** Why there is no principal, for the 401 the caller will get. */
  authProblem?: string;
  /** The address the request came from (the proxy's view when the app trusts a proxy). */
  clientAddress: string;
  /** The request's id (X-Request-Id), which the events it records carry. */
  requestId?: string;
  /** Set by a transport that can stream a long list as its rows are read (REST). */
  listSink?: ListSink;
  /**
   * The request headers procedures read: cookies (the OAuth2 browser binding, device cookies, the
   * refresh cookie), the User-Agent a session is listed with, X-Refresh-Cookie (router/sessions),
   * and over REST the `If-Match` of a write (router/users/user-versions.ts; tRPC clients name the
   * version in the input).
   */
  requestHeaders: { cookie?: string; 'user-agent'?: string; 'x-refresh-cookie'?: string; ifMatch?: string };
  /** Set by a transport that knows when its client hangs up before the answer. */
  onClientGone?: OnClientGone;
  /** The call's deadline, set by the procedures' middleware (router/trpc/procedures.ts). */
  deadline?: Deadline;
  /** A read's session check still to make, set by the read procedures' middleware (./session-check.ts). */
  sessionCheck?: SessionCheck;
}

export function createContextInner(opts: ContextOptions & { responseHeaders?: Record<string, string | string[]> }) {
  // headers a procedure wants on its response (Retry-After, Set-Cookie); both adapters send them,
  // a list as one header line each (several cookies). The options, made for this call alone,
  // become the context: no copy of every service on every request.
  const context = opts as ContextOptions & { responseHeaders: Record<string, string | string[]> };
  if (!context.responseHeaders) context.responseHeaders = {};
  return context;
}

export type Context = ReturnType<typeof createContextInner>;

export function contextFactory(
  services: Services,
  clientAddress: (req: IncomingMessage) => string,
  requestId: (req: IncomingMessage) => string | undefined = () => undefined,
) {
  return ({ req, res }: { req: IncomingMessage; res?: ServerResponse }): Context => {
    const caller = authenticate(req.headers.authorization, services.tokens);
    // Every property a call's context will have, in one literal with the services spread last: V8
    // (Node 20) gives an object spread and then added to (`{ ...services, db }`, or a property set
    // on it later) new hidden classes of its own each time, about 7 KB per request that lived as
    // long as the call. The middleware's `deadline` and `sessionCheck` have their slots here, so
    // that tRPC's merge of them (server/http/trpc-internals.ts) only copies (issue 23).
    return createContextInner({
      db: new RequestDatabase(services.orm, services.replicas, caller.principal),
      principal: caller.principal,
      authProblem: caller.authProblem,
      clientAddress: clientAddress(req),
      requestId: requestId(req),
      requestHeaders: {
        cookie: req.headers.cookie,
        'user-agent': req.headers['user-agent'],
        'x-refresh-cookie': headerValue(req.headers['x-refresh-cookie']),
      },
      onClientGone: res ? clientGone(res) : undefined,
      responseHeaders: {},
      deadline: undefined,
      sessionCheck: undefined,
      listSink: undefined,
      ...services,
    });
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The client hung up: the response closed before it was all written. Nothing listens until asked,
 * and then one listener on the response serves every call of a batch (a listener each was one more
 * than Node's bound of ten for a batch of ten, and grows with TRPC_MAX_BATCH).
 */
function clientGone(res: ServerResponse): OnClientGone {
  let waiting: Array<() => void> | undefined;
  return (listener) => {
    if (res.writableFinished) return;
    if (res.closed) return listener();
    if (!waiting) {
      const calls: Array<() => void> = (waiting = []);
      res.once('close', () => {
        if (!res.writableFinished) for (const call of calls) call();
      });
    }
    waiting.push(listener);
  };
}

function authenticate(
  header: string | undefined,
  tokens: TokenService,
): Pick<ContextOptions, 'principal' | 'authProblem'> {
  if (!header) return { principal: null, authProblem: 'missing bearer token' };
  const match = /^Bearer +(\S+) *$/i.exec(header);
  if (!match?.[1]) return { principal: null, authProblem: 'authorization must be a Bearer token' };
  try {
    return { principal: tokens.verify(match[1]) };
  } catch (error) {
    if (error instanceof TokenError) return { principal: null, authProblem: error.message };
    throw error;
  }
}
