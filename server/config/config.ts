// Every setting of the service, read from the environment once at start-up and checked by one
// schema. A bad value stops start-up with a message naming the variable and what it expects.
import { z } from 'zod';
import { SECRET_KEY_BYTES } from '../crypto/secret-box';
import { MIN_SECRET_BYTES } from '../crypto/token-service';
import { parseSigningKey, SigningKeyError } from '../crypto/signing-keys';
import { METADATA_KEY_PATTERN } from '../../entities/metadata-key';

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

/** A key of sign-in secrets at rest: the current one, and each kept from before a rotation. */
const secretKey = z
  .string()
  .refine((value) => Buffer.from(value, 'base64').length === SECRET_KEY_BYTES, 'must be 32 bytes in base64');

/** An HMAC secret for tokens: the current one, and each kept from before a rotation. */
const jwtSecret = z
  .string()
  .refine((value) => Buffer.byteLength(value) >= MIN_SECRET_BYTES, `must be at least ${MIN_SECRET_BYTES} bytes`);

/** Key material for tokens' ES256 signatures (../crypto/signing-keys): refused with its reason, never echoed. */
const signingKey = (needsPrivate: boolean) =>
  z.string().superRefine((value, check) => {
    try {
      const key = parseSigningKey(value);
      if (needsPrivate && !key.privateKey) {
        check.addIssue({ code: 'custom', message: 'must be the private key (PKCS #8), not the public one' });
      }
    } catch (error) {
      if (!(error instanceof SigningKeyError)) throw error;
      check.addIssue({ code: 'custom', message: error.message });
    }
  });

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: integer(0, 65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** PostgreSQL to use; without it the service runs an embedded PostgreSQL of its own. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
  /** Streaming replicas of DATABASE_URL (comma-separated): reads and access checks go there (see README). */
  DATABASE_REPLICA_URLS: list
    .pipe(z.array(z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' })))
    .default([]),
  /** A replica further behind the primary than this is skipped: its reads go to the primary. */
  REPLICA_MAX_LAG_MS: integer(200, 600_000).default(5000),
  /** Where the embedded PostgreSQL keeps its data. */
  EMBEDDED_PG_DIR: z.string().min(1).default('.data/postgres'),
  JWT_SECRET: jwtSecret.optional(),
  /**
   * Secrets tokens were signed with before a rotation (comma-separated): still verified until
   * removed, never used to sign. docs/operations.md has the rotation, step by step.
   */
  JWT_PREVIOUS_SECRETS: list.pipe(z.array(jwtSecret)).default([]),
  /**
   * The ECDSA P-256 private key access tokens are signed with (ES256), PEM or base64 PKCS #8 DER:
   * its public half is published (`GET /api/v2/auth/jwks`) for a product's backends to verify
   * tokens with. Without it access tokens are HS256 under JWT_SECRET, which only this service verifies.
   */
  JWT_SIGNING_KEY: signingKey(true).optional(),
  /**
   * Keys published and accepted but signing nothing (comma-separated, private or public): the
   * signing key of before a rotation, and the next one ahead of it. docs/operations.md has the steps.
   */
  JWT_VERIFY_KEYS: list.pipe(z.array(signingKey(false))).default([]),
  JWT_ISSUER: z.string().min(1).default('users-service'),
  JWT_AUDIENCE: z.string().min(1).default('users-api'),
  TOKEN_TTL_SECONDS: integer(60, 86_400).default(3600),
  /**
   * Keys of a user's `app` metadata its access tokens carry, as their claim `app_metadata`
   * (comma-separated, e.g. `plan,orgId`): a product's backend that verifies tokens on its own reads
   * them without asking. Only the `app` part, which admins set and the user may read anyway.
   */
  TOKEN_APP_METADATA: list
    .pipe(
      z
        .array(
          // the metadata's own key rule
          z.string().regex(METADATA_KEY_PATTERN, 'must be keys of the app metadata, as `plan,orgId`'),
        )
        .max(20, 'must name at most 20 keys'),
    )
    .transform((keys) => [...new Set(keys)])
    .default([]),
  TOKEN_CLOCK_TOLERANCE_SECONDS: integer(0, 300).default(30),
  /**
   * How recent a sign-in must be for a user to change its own password, email address or sign-in
   * method, or to delete itself (RFC 9470 step-up): older, the call answers 401 "sign in again".
   */
  REAUTH_MAX_AGE_SECONDS: integer(30, 86_400).default(300),
  /** A session not refreshed for this long ends (its refresh token is refused). */
  SESSION_IDLE_SECONDS: integer(60, 400 * 86_400).default(7 * 86_400),
  /** A session ends this long after its sign-in, however often it was refreshed. */
  SESSION_MAX_SECONDS: integer(60, 400 * 86_400).default(30 * 86_400),
  /** The longest lifetime `npm run token` gives an operator token; a longer --ttl is refused. */
  OPERATOR_TOKEN_MAX_TTL_SECONDS: integer(60, 30 * 86_400).default(86_400),
  /** Events older than this many days are removed (server/start/retention). */
  EVENT_RETENTION_DAYS: integer(1, 36_500).default(90),
  /** How often each instance runs the retention round (old events, expired codes and sessions), in seconds. */
  EVENT_RETENTION_INTERVAL_SECONDS: integer(10, 86_400).default(600),
  /**
   * Users who have not signed in for this many days (nor been made or enabled since) are disabled
   * by every instance's retention round, warned by mail a week before (router/users/dormant-accounts);
   * unset: never.
   */
  DORMANT_ACCOUNT_DAYS: integer(14, 36_500).optional(),
  /** How often each instance merges the new entries of the search's indexes (server/start/search-upkeep), in seconds. */
  SEARCH_UPKEEP_INTERVAL_SECONDS: integer(1, 3_600).default(5),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HASH_LOG_N: integer(10, 22).default(15),
  HASH_R: integer(1, 32).default(8),
  HASH_P: integer(1, 16).default(1),
  /** Hashes computed at once (each takes 128 * r * 2^logN bytes: 32 MiB at the defaults). */
  HASH_CONCURRENCY: integer(1, 64).default(2),
  /** Hashes that may wait for a turn; past that a request needing one is answered 503 with Retry-After at once. */
  HASH_QUEUE_MAX: integer(0, 100_000).default(64),
  /** Scheduling priority of the hashing threads (Linux nice, 0 = same as the API's threads). */
  HASH_THREAD_NICE: integer(0, 19).default(10),
  /** Browser origins allowed to call the API (comma-separated, e.g. https://app.example.com). */
  CORS_ORIGINS: list.default([]),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For. */
  TRUST_PROXY: z.stringbool().default(false),
  /** With TRUST_PROXY: how many proxies in front append to X-Forwarded-For (the client is the address the outermost saw). */
  TRUST_PROXY_HOPS: integer(1, 10).default(1),
  /** The service's own external base URL (OAuth2 redirect URI); default http://HOST:PORT. */
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  /** The name people see in sign-in emails and authenticator apps. */
  SERVICE_NAME: z.string().min(1).max(64).default('Users service'),
  /**
   * Words a password may not be built on, besides its owner's name and address and SERVICE_NAME
   * (comma-separated): the product's or company's name, its city (server/passwords/password-policy).
   */
  PASSWORD_CONTEXT_WORDS: list.default([]),
  /** The key of sign-in secrets at rest: 32 random bytes, base64 (`openssl rand -base64 32`). */
  TOTP_KEY: secretKey.optional(),
  /**
   * Keys of sign-in secrets from before a rotation (comma-separated): what was sealed or hashed
   * under them still opens and matches; nothing new is. docs/operations.md has the rotation.
   */
  TOTP_PREVIOUS_KEYS: list.pipe(z.array(secretKey)).default([]),
  /** Development only: where the generated TOTP_KEY is kept, so enrollments survive restarts. */
  TOTP_KEY_FILE: z.string().min(1).default('.data/totp.key'),
  /** SMTP server for sign-in codes, e.g. smtp://127.0.0.1:2525 or smtps://user:pass@mail.example.com. */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  /** The sender of sign-in emails; default "<SERVICE_NAME>" <no-reply@PUBLIC_URL's host>. */
  MAIL_FROM: z.string().min(3).max(256).optional(),
  /** OpenID provider for OAuth2 sign-in: all three, or none. */
  OIDC_ISSUER: z.url({ protocol: /^https?$/, error: 'must be an https:// URL' }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The provider's name on the "Sign in with …" button; default the issuer's host. */
  OIDC_PROVIDER_NAME: z.string().min(1).max(64).optional(),
  /** Shared Redis for every limit, so several instances count together (redis:// or rediss://). */
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  // The login recipe: consecutive failures per (email, address), failures per address per day,
  // failures per email from anywhere. Over a limit: 429 with Retry-After.
  LOGIN_MAX_CONSECUTIVE_FAILS: integer(1, 1000).default(5),
  LOGIN_CONSECUTIVE_WINDOW_SECONDS: integer(1, 86_400).default(3600),
  LOGIN_BLOCK_SECONDS: integer(1, 86_400).default(900),
  LOGIN_MAX_FAILS_PER_ADDRESS: integer(1, 1_000_000).default(100),
  LOGIN_ADDRESS_WINDOW_SECONDS: integer(1, 7 * 86_400).default(86_400),
  LOGIN_MAX_FAILS_PER_EMAIL: integer(1, 1_000_000).default(20),
  LOGIN_EMAIL_WINDOW_SECONDS: integer(1, 86_400).default(3600),
  // A browser that signed in to an email before (its device cookie) is judged on its own budget.
  LOGIN_MAX_FAILS_PER_DEVICE: integer(1, 1_000_000).default(10),
  LOGIN_DEVICE_WINDOW_SECONDS: integer(1, 86_400).default(3600),
  /** How long a browser stays known for an email after its last sign-in (browsers cap cookies at 400 days). */
  DEVICE_COOKIE_TTL_SECONDS: integer(60, 400 * 86_400).default(90 * 86_400),
  /** Email codes: at most one per interval and this many per hour per address, and per client address per hour. */
  CODE_SEND_INTERVAL_SECONDS: integer(1, 3600).default(60),
  CODE_SENDS_PER_HOUR: integer(1, 1000).default(5),
  CODE_SENDS_PER_CLIENT_PER_HOUR: integer(1, 100_000).default(20),
  /** OAuth2 sign-ins started (`authorize`, each a stored pending sign-in) per client address per hour. */
  OAUTH2_AUTHORIZE_PER_ADDRESS_PER_HOUR: integer(1, 1_000_000).default(60),
  /** Passkey ceremonies begun (sign-ins and registrations, each a stored challenge) per client address per hour. */
  PASSKEY_CHALLENGES_PER_ADDRESS_PER_HOUR: integer(1, 1_000_000).default(120),
  /**
   * The passkeys' relying party id (WebAuthn §5.1.2): the domain passkeys are made for, PUBLIC_URL's
   * host by default (`localhost` for a loopback address: browsers refuse an IP address).
   */
  PASSKEY_RP_ID: z
    .string()
    .regex(/^[a-z0-9.-]+$/i, 'must be a domain name, as `example.com`')
    .optional(),
  /** Every origin a passkey ceremony may come from, comma-separated; PUBLIC_URL's by default. */
  PASSKEY_ORIGINS: z
    .string()
    .transform((list) =>
      list
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ protocol: /^https?$/, error: 'must be http:// or https:// origins' })))
    .optional(),
  /** Whether a sign-in from an address and a browser the account never signed in from is mailed to its owner. */
  SIGN_IN_NOTICES: z.stringbool().default(true),
  /**
   * Whether people may make their own accounts (POST /api/v2/auth/sign-up): `closed`, accounts are
   * made by admins and machine clients only; `open`, anyone who proves an address by a mailed code.
   */
  SIGN_UP: z.enum(['closed', 'open']).default('closed'),
  /** With SIGN_UP=open: the only domains whose addresses may sign up (comma-separated); any when empty. */
  SIGN_UP_EMAIL_DOMAINS: list
    .pipe(z.array(z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i, 'must be domain names, as `example.com`')))
    .transform((domains) => domains.map((domain) => domain.toLowerCase()))
    .default([]),
  /** Wrong TOTP codes across challenges before the account's TOTP is locked, and for how long. */
  TOTP_LOCK_AFTER_FAILS: integer(1, 1000).default(10),
  TOTP_LOCK_SECONDS: integer(1, 86_400).default(900),
  DB_POOL_SIZE: integer(1, 100).default(10),
  /** Longest wait for a database connection: requests fail fast (503) while PostgreSQL is away. */
  DB_CONNECT_TIMEOUT_MS: integer(100, 60_000).default(2000),
  /** Longest a request may take; also PostgreSQL's statement timeout. */
  REQUEST_TIMEOUT_MS: integer(100, 600_000).default(10_000),
  /** On SIGTERM/SIGINT, how long in-flight requests may take to finish. */
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(10_000),
  /**
   * On SIGTERM/SIGINT, how long /readyz answers 503 while the service still serves, before it stops
   * accepting: long enough for a balancer's health checks to notice. Default 10 s in production, 0 otherwise.
   */
  SHUTDOWN_DRAIN_DELAY_MS: integer(0, 600_000).optional(),
  /** How long an idle keep-alive connection stays open: above the idle timeout of any balancer in front. */
  KEEP_ALIVE_TIMEOUT_MS: integer(1000, 3_600_000).default(65_000),
  /** Node's headersTimeout, kept above KEEP_ALIVE_TIMEOUT_MS (slow senders are cut by REQUEST_TIMEOUT_MS). */
  HEADERS_TIMEOUT_MS: integer(1000, 3_600_000).default(66_000),
  BODY_LIMIT_BYTES: integer(1024, 10 * 1024 * 1024).default(100 * 1024),
  /** Most calls in one native tRPC batch (GET or POST); a longer batch answers 400. */
  TRPC_MAX_BATCH: integer(1, 1000).default(10),
  /** How long a list cursor (`Link: …; rel="next"`) may be followed; an older one is a 400. */
  LIST_CURSOR_TTL_SECONDS: integer(60, 30 * 86_400).default(86_400),
  /** Development and tests only: webhooks may go to loopback, private and link-local addresses, and over plain http:. */
  WEBHOOK_ALLOW_PRIVATE: z.stringbool().default(false),
  /** Whether this instance runs the webhook delivery loop (every instance does by default; they share the work). */
  WEBHOOK_WORKER: z.stringbool().default(true),
  /** How long a failing delivery is retried before it is given up and its endpoint paused (hours, fractions allowed). */
  WEBHOOK_RETRY_HOURS: z.coerce.number().positive().max(720).default(24),
  /** The first retry's delay; each next one doubles (±25 % jitter), up to WEBHOOK_RETRY_MAX_DELAY_MS. */
  WEBHOOK_RETRY_BASE_MS: integer(10, 3_600_000).default(10_000),
  WEBHOOK_RETRY_MAX_DELAY_MS: integer(10, 86_400_000).default(3_600_000),
  /** How long one delivery may take, connection to last byte. */
  WEBHOOK_TIMEOUT_MS: integer(100, 120_000).default(10_000),
  /** How much of a receiver's answer is read (the rest is cut off). */
  WEBHOOK_RESPONSE_LIMIT_BYTES: integer(0, 10 * 1024 * 1024).default(64 * 1024),
  /** How often an idle delivery loop looks for new events and due retries (each look is one cheap read). */
  WEBHOOK_POLL_MS: integer(10, 60_000).default(50),
  /** Deliveries one instance has in flight at once (sending, or having its outcome recorded). */
  WEBHOOK_CONCURRENCY: integer(1, 256).default(64),
});

export type Config = Omit<z.infer<typeof EnvSchema>, 'SHUTDOWN_DRAIN_DELAY_MS'> & { SHUTDOWN_DRAIN_DELAY_MS: number };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // an empty variable means "not set", as in most shells' `VAR= cmd`
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  }
  const config: Config = {
    ...parsed.data,
    // a single instance in development has no balancer to wait for
    SHUTDOWN_DRAIN_DELAY_MS:
      parsed.data.SHUTDOWN_DRAIN_DELAY_MS ?? (parsed.data.NODE_ENV === 'production' ? 10_000 : 0),
  };
  const problems = crossChecks(config);
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return config;
}

/** Rules between settings, each as `NAME: what is wrong`. */
function crossChecks(config: Config): string[] {
  const problems: string[] = [];
  if (config.NODE_ENV === 'production') {
    if (!config.JWT_SECRET) problems.push('JWT_SECRET: is required when NODE_ENV is production');
    if (!config.TOTP_KEY) problems.push('TOTP_KEY: is required when NODE_ENV is production');
  }
  const oidc = [config.OIDC_ISSUER, config.OIDC_CLIENT_ID, config.OIDC_CLIENT_SECRET];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    problems.push('OIDC_ISSUER: OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set together, or not at all');
  }
  if (config.OIDC_ISSUER && new URL(config.OIDC_ISSUER).protocol === 'http:' && !isLoopback(config.OIDC_ISSUER)) {
    problems.push('OIDC_ISSUER: must be https:// (plain http:// only for a provider on 127.0.0.0/8 or localhost)');
  }
  if (config.HEADERS_TIMEOUT_MS <= config.KEEP_ALIVE_TIMEOUT_MS) {
    problems.push('HEADERS_TIMEOUT_MS: must be above KEEP_ALIVE_TIMEOUT_MS');
  }
  if (config.DATABASE_REPLICA_URLS.length > 0 && !config.DATABASE_URL) {
    problems.push('DATABASE_REPLICA_URLS: needs DATABASE_URL (the primary they replicate)');
  }
  if (config.OIDC_ISSUER && config.NODE_ENV === 'production' && !config.PUBLIC_URL) {
    problems.push('PUBLIC_URL: is required for OAuth2 sign-in when NODE_ENV is production (the redirect URI)');
  }
  // WebAuthn §5.1.2: a relying party id is each origin's host or a suffix of it; else no passkey
  // ceremony could ever succeed
  const passkeys = passkeySettingsOf(config);
  for (const origin of passkeys.origins) {
    const host = new URL(origin).hostname;
    if (host !== passkeys.rpId && !host.endsWith(`.${passkeys.rpId}`)) {
      problems.push(
        `PASSKEY_ORIGINS: ${origin} is not on the passkeys' domain ${passkeys.rpId} (PASSKEY_RP_ID), nor a subdomain of it`,
      );
    }
  }
  return problems;
}

export function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The relying party of passkeys: PASSKEY_RP_ID and PASSKEY_ORIGINS, or what PUBLIC_URL says, its
 * host and its origin. A loopback address is read as `localhost`, the only name of it a browser
 * takes for a relying party.
 */
export function passkeySettingsOf(
  config: Pick<Config, 'PUBLIC_URL' | 'HOST' | 'PORT' | 'PASSKEY_RP_ID' | 'PASSKEY_ORIGINS'>,
): { rpId: string; origins: string[] } {
  const url = new URL(publicUrl(config));
  if (isLoopback(url.href)) url.hostname = 'localhost';
  return {
    rpId: (config.PASSKEY_RP_ID ?? url.hostname).toLowerCase(),
    origins: config.PASSKEY_ORIGINS ?? [url.origin],
  };
}

/** The external base URL: PUBLIC_URL, or where this process listens. */
export function publicUrl(config: Pick<Config, 'PUBLIC_URL' | 'HOST' | 'PORT'>): string {
  return (config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`).replace(/\/$/, '');
}
