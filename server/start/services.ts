// The long-lived parts every request shares, built once from the configuration.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { Limits, type LimitName, type LimitRule } from '../limits/rate-limits';
import type { Mailer } from '../mail/mailer';
import { OidcProvider } from '../oidc/openid-provider';
import { SecretBox } from '../crypto/secret-box';
import { BackgroundTasks } from '../../router/trpc/background-tasks';
import { ReadReplicas } from '../database/read-replicas';
import { systemClock, type Clock } from '../../router/trpc/clock';
import type { PasskeySettings, Services } from '../../router/trpc/context';
import { PasswordHasher } from '../crypto/password-hasher';
import { PasswordPolicy } from '../passwords/password-policy';
import { TokenService } from '../crypto/token-service';
import { parseSigningKey } from '../crypto/signing-keys';
import { passkeySettingsOf, publicUrl, type Config } from '../config/config';
import type { Logger } from '../ops/logger';

export interface ServiceParts {
  logger: Logger;
  /** The key of sign-in secrets at rest (see server/start/secret-key-file). */
  secretKey: Buffer;
  mail: Mailer | null;
  redis?: Redis;
  clock?: Clock;
  /** A hasher of the caller's own instead of the configured one (tests that drive its timing). */
  passwords?: PasswordHasher;
}

export function createServices(orm: MikroORM, config: Config & { JWT_SECRET: string }, parts: ServiceParts): Services {
  return {
    orm,
    // the checks of each replica start now; until the first answers, reads use the primary
    replicas:
      config.DATABASE_REPLICA_URLS.length > 0
        ? new ReadReplicas(orm, { maxLagMs: config.REPLICA_MAX_LAG_MS, redis: parts.redis, log: parts.logger }).start()
        : null,
    passwords:
      parts.passwords ??
      new PasswordHasher(
        { logN: config.HASH_LOG_N, r: config.HASH_R, p: config.HASH_P },
        { concurrency: config.HASH_CONCURRENCY, queueMax: config.HASH_QUEUE_MAX },
      ),
    passwordPolicy: passwordPolicy(config),
    tokens: tokenService(config),
    limits: new Limits(limitRules(config), parts.redis),
    secrets: secretBox(config, parts.secretKey),
    mail: parts.mail,
    oidc: oidcProvider(config),
    clock: parts.clock ?? systemClock,
    background: new BackgroundTasks(parts.logger),
    signIn: {
      serviceName: config.SERVICE_NAME,
      totpIssuer: config.SERVICE_NAME,
      publicUrl: publicUrl(config),
      unusualSignInNotices: config.SIGN_IN_NOTICES,
    },
    // Secure exactly when the service is reached over https (as the OAuth2 binding cookie)
    deviceCookie: { secure: publicUrl(config).startsWith('https:'), ttlSeconds: config.DEVICE_COOKIE_TTL_SECONDS },
    sessionSettings: {
      idleSeconds: config.SESSION_IDLE_SECONDS,
      maxSeconds: config.SESSION_MAX_SECONDS,
      cookieSecure: !isLoopbackHttp(publicUrl(config)),
    },
    log: parts.logger,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    reauthMaxAgeSeconds: config.REAUTH_MAX_AGE_SECONDS,
    listCursorTtlSeconds: config.LIST_CURSOR_TTL_SECONDS,
    tokenAppMetadata: config.TOKEN_APP_METADATA,
    webhooks: { allowPrivate: config.WEBHOOK_ALLOW_PRIVATE },
    passkeys: passkeySettings(config),
    signUp: { open: config.SIGN_UP === 'open', domains: config.SIGN_UP_EMAIL_DOMAINS },
  };
}

function limitRules(config: Config): Record<LimitName, LimitRule> {
  const hour = 3600;
  return {
    loginFailsByEmailAndAddress: {
      points: config.LOGIN_MAX_CONSECUTIVE_FAILS,
      durationSeconds: config.LOGIN_CONSECUTIVE_WINDOW_SECONDS,
      blockSeconds: config.LOGIN_BLOCK_SECONDS,
    },
    loginFailsByAddressPerDay: {
      points: config.LOGIN_MAX_FAILS_PER_ADDRESS,
      durationSeconds: config.LOGIN_ADDRESS_WINDOW_SECONDS,
      blockSeconds: config.LOGIN_ADDRESS_WINDOW_SECONDS,
    },
    loginFailsByEmail: { points: config.LOGIN_MAX_FAILS_PER_EMAIL, durationSeconds: config.LOGIN_EMAIL_WINDOW_SECONDS },
    loginFailsByDevice: {
      points: config.LOGIN_MAX_FAILS_PER_DEVICE,
      durationSeconds: config.LOGIN_DEVICE_WINDOW_SECONDS,
    },
    codeSendsByEmailPerInterval: { points: 1, durationSeconds: config.CODE_SEND_INTERVAL_SECONDS },
    codeSendsByEmailPerHour: { points: config.CODE_SENDS_PER_HOUR, durationSeconds: hour },
    codeSendsByAddress: { points: config.CODE_SENDS_PER_CLIENT_PER_HOUR, durationSeconds: hour },
    codeSendsByDevice: { points: config.CODE_SENDS_PER_HOUR, durationSeconds: hour },
    // a challenge lives 5 minutes: its count needs to live as long
    totpFailsByChallenge: { points: 5, durationSeconds: 300 },
    totpFailsByUser: {
      points: config.TOTP_LOCK_AFTER_FAILS,
      durationSeconds: config.TOTP_LOCK_SECONDS,
      blockSeconds: config.TOTP_LOCK_SECONDS,
    },
    // each call stores a pending sign-in (10 minutes): anonymous writes need a bound
    oauth2AuthorizeByAddress: { points: config.OAUTH2_AUTHORIZE_PER_ADDRESS_PER_HOUR, durationSeconds: hour },
    // each call stores a challenge (5 minutes): the same bound for passkey sign-ins
    passkeyChallengesByAddress: { points: config.PASSKEY_CHALLENGES_PER_ADDRESS_PER_HOUR, durationSeconds: hour },
  };
}

function oidcProvider(config: Config): OidcProvider | null {
  if (!config.OIDC_ISSUER || !config.OIDC_CLIENT_ID || !config.OIDC_CLIENT_SECRET) return null;
  return new OidcProvider({
    issuer: config.OIDC_ISSUER,
    clientId: config.OIDC_CLIENT_ID,
    clientSecret: config.OIDC_CLIENT_SECRET,
    publicUrl: publicUrl(config),
    providerName: config.OIDC_PROVIDER_NAME ?? new URL(config.OIDC_ISSUER).host,
  });
}

/** Which passwords may be set: none built on this service's name or the configured words (`npm run admin` asks it too). */
export function passwordPolicy(config: Pick<Config, 'SERVICE_NAME' | 'PASSWORD_CONTEXT_WORDS'>): PasswordPolicy {
  return new PasswordPolicy([config.SERVICE_NAME, ...config.PASSWORD_CONTEXT_WORDS]);
}

/** The sign-in secrets at rest under `key` and the keys of before a rotation (as `npm run reseal` opens them too). */
export function secretBox(config: Pick<Config, 'TOTP_PREVIOUS_KEYS'>, key: Buffer): SecretBox {
  return new SecretBox(
    key,
    config.TOTP_PREVIOUS_KEYS.map((previous) => Buffer.from(previous, 'base64')),
  );
}

/** Tokens as the service issues and verifies them (the token CLI and tests mint the same). */
export function tokenService(
  config: Config & { JWT_SECRET: string },
  ttlSeconds = config.TOKEN_TTL_SECONDS,
): TokenService {
  return new TokenService({
    secret: config.JWT_SECRET,
    previousSecrets: config.JWT_PREVIOUS_SECRETS,
    signingKey: config.JWT_SIGNING_KEY === undefined ? undefined : parseSigningKey(config.JWT_SIGNING_KEY),
    verifyKeys: config.JWT_VERIFY_KEYS.map(parseSigningKey),
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    ttlSeconds,
    clockToleranceSeconds: config.TOKEN_CLOCK_TOLERANCE_SECONDS,
  });
}

/** http on a loopback host: a developer's machine or a test, where a Secure cookie would never be sent. */
/** Passkeys' relying party (../config/config.ts), named as authenticators show it: SERVICE_NAME. */
function passkeySettings(config: Config): PasskeySettings {
  return { ...passkeySettingsOf(config), rpName: config.SERVICE_NAME };
}

function isLoopbackHttp(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(hostname);
}
