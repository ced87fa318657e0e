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
    passwords: new PasswordHasher({ logN: config.HASH_LOG_N, r: config.HASH_R, p: config.HASH_P }),
    tokens: new TokenService({
      secret: config.JWT_SECRET,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      ttlSeconds: config.TOKEN_TTL_SECONDS,
      clockToleranceSeconds: config.TOKEN_CLOCK_TOLERANCE_SECONDS,
    }),
    loginLimiter: new RateLimiter(rateLimitStore, {
      address: { max: config.LOGIN_LIMIT_PER_ADDRESS, windowMs },
      email: { max: config.LOGIN_LIMIT_PER_EMAIL, windowMs },
    }),
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
  };
}
