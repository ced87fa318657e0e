// Every limit on sign-in, counted with rate-limiter-flexible: in Redis when the service has one
// (so all instances share one budget), in memory otherwise (one instance). With Redis, each limiter
// is insured by an in-memory twin that counts while Redis is away, so sign-in keeps answering (no
// 5xx) and recovers by itself when Redis is back.
//
// The login recipe is rate-limiter-flexible's own ("Login endpoint protection"): consecutive
// failures per email and address (reset by a success), failures per address per day, plus failures
// per email from anywhere (guessing one account from many addresses). A point is taken before the
// credential is checked and given back on success, so parallel guesses cannot slip past a limit.
// A browser known for an email (a device cookie, router/auth/device-cookie) is counted on its own
// instead: its sign-in failures and its code requests, by device.
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface LimitRule {
  points: number;
  durationSeconds: number;
  /** How long a key stays refused once over the limit (default: the rest of the window). */
  blockSeconds?: number;
}

export const LIMIT_NAMES = [
  'loginFailsByEmailAndAddress',
  'loginFailsByAddressPerDay',
  'loginFailsByEmail',
  'loginFailsByDevice',
  'codeSendsByEmailPerInterval',
  'codeSendsByEmailPerHour',
  'codeSendsByAddress',
  'codeSendsByDevice',
  'totpFailsByChallenge',
  'totpFailsByUser',
  'oauth2AuthorizeByAddress',
  'passkeyChallengesByAddress',
] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

/** Refused by a limit: the caller may try again in `retryAfterSeconds`. */
export class LimitExceeded extends Error {
  override name = 'LimitExceeded';
  constructor(
    /** Every limit that refused. */
    readonly limits: LimitName[],
    readonly retryAfterSeconds: number,
    /** This refusal is the first of its window: the attempt before it was still allowed (a lock begins). */
    readonly locksNow = false,
  ) {
    super(`limit ${limits.join(', ')} reached`);
  }
}

export class Limits {
  private readonly limiters: Record<LimitName, RateLimiterAbstract>;

  constructor(
    rules: Record<LimitName, LimitRule>,
    private readonly redis?: Redis,
  ) {
    this.limiters = Object.fromEntries(
      LIMIT_NAMES.map((name) => {
        const options = {
          keyPrefix: `users-service:limit:${name}`,
          points: rules[name].points,
          duration: rules[name].durationSeconds,
          blockDuration: rules[name].blockSeconds ?? 0,
        };
        const memory = new RateLimiterMemory(options);
        const limiter = redis
          ? new RateLimiterRedis({
              ...options,
              storeClient: redis,
              rejectIfRedisNotReady: true,
              insuranceLimiter: memory,
            })
          : memory;
        return [name, limiter];
      }),
    ) as unknown as Record<LimitName, RateLimiterAbstract>;
  }

  /**
   * Where the counts live now, for /readyz: asks Redis (a PING), since a server that hangs keeps
   * its connection "ready" while every command times out into the insurance limiter.
   */
  async store(): Promise<'memory' | 'redis' | 'memory (redis unreachable)'> {
    if (!this.redis) return 'memory';
    if (this.redis.status !== 'ready') return 'memory (redis unreachable)';
    try {
      await this.redis.ping();
      return 'redis';
    } catch {
      return 'memory (redis unreachable)';
    }
  }

  /**
   * Takes a point from every (limit, key); throws `LimitExceeded` with the longest wait when any of
   * them is over. A refused attempt checks no credential, so it is no failure: the points it took
   * from the other limits are given back.
   */
  async take(entries: ReadonlyArray<readonly [LimitName, string]>): Promise<void> {
    const results = await Promise.allSettled(entries.map(([name, key]) => this.limiters[name].consume(key)));
    const refused: LimitName[] = [];
    let wait = 0;
    let locksNow = false;
    for (const [index, result] of results.entries()) {
      if (result.status === 'fulfilled') continue;
      const reason: unknown = result.reason;
      // anything but a verdict is a store failure the insurance limiter did not absorb
      if (!(reason instanceof RateLimiterRes)) throw reason;
      const name = entries[index]![0];
      refused.push(name);
      if (reason.consumedPoints === this.limiters[name].points + 1) locksNow = true;
      wait = Math.max(wait, Math.ceil(reason.msBeforeNext / 1000));
    }
    if (refused.length === 0) return;
    await this.giveBack(entries.filter((_, index) => results[index]?.status === 'fulfilled'));
    throw new LimitExceeded(refused, Math.max(1, wait), locksNow);
  }

  /** Gives back the point an attempt took (a success is not a failure). */
  async giveBack(entries: ReadonlyArray<readonly [LimitName, string]>): Promise<void> {
    await Promise.all(entries.map(([name, key]) => this.limiters[name].reward(key, 1)));
  }

  /** Takes every point a key has left, so it is refused until its window ends (a used-up challenge). */
  async useUp(name: LimitName, key: string): Promise<void> {
    const limiter = this.limiters[name];
    await limiter.penalty(key, limiter.points);
  }

  /** Forgets a key's count (consecutive failures end with a success). */
  async clear(entries: ReadonlyArray<readonly [LimitName, string]>): Promise<void> {
    await Promise.all(entries.map(([name, key]) => this.limiters[name].delete(key)));
  }
}
