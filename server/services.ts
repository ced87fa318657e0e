// The long-lived parts every request shares, built once from the configuration.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Services } from '../router/context';
import { PasswordHasher } from '../router/passwords';
import { MemoryRateLimitStore, RateLimiter, type RateLimitStore } from '../router/rate-limit';
import { TokenService } from '../router/tokens';
import type { Config } from './config';

export function createServices(
  orm: MikroORM,
  config: Config & { JWT_SECRET: string },
  rateLimitStore: RateLimitStore = new MemoryRateLimitStore(),
): Services {
  const windowMs = config.LOGIN_LIMIT_WINDOW_SECONDS * 1000;
  return {
    orm,
    passwords: new PasswordHasher(
      { logN: config.HASH_LOG_N, r: config.HASH_R, p: config.HASH_P },
      config.HASH_CONCURRENCY,
    ),
    tokens: tokenService(config),
    loginLimiter: new RateLimiter(rateLimitStore, {
      address: { max: config.LOGIN_LIMIT_PER_ADDRESS, windowMs },
      email: { max: config.LOGIN_LIMIT_PER_EMAIL, windowMs },
    }),
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
  };
}

/** Tokens as the service issues and verifies them (the token CLI and tests mint the same). */
export function tokenService(
  config: Config & { JWT_SECRET: string },
  ttlSeconds = config.TOKEN_TTL_SECONDS,
): TokenService {
  return new TokenService({
    secret: config.JWT_SECRET,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    ttlSeconds,
    clockToleranceSeconds: config.TOKEN_CLOCK_TOLERANCE_SECONDS,
  });
}
