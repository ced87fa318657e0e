// Fixed-window rate limits with a pluggable store: in memory by default (one instance); a
// shared store (e.g. Redis INCR + PEXPIRE) lets several instances count together.
export interface RateLimitStore {
  /** Counts one hit on `key` and tells how many hits its current window has had. */
  hit(key: string, windowMs: number): Promise<{ count: number; resetAt: number }>;
}

export interface RateLimitRule {
  /** Hits allowed per window. */
  max: number;
  windowMs: number;
}

export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  hit(key: string, windowMs: number): Promise<{ count: number; resetAt: number }> {
    const now = Date.now();
    if (this.windows.size > 10_000) this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return Promise.resolve({ ...window });
  }

  // keeps memory bounded when many distinct keys (addresses, emails) come by
  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}

export class RateLimiter {
  constructor(
    private readonly store: RateLimitStore,
    private readonly rules: Record<string, RateLimitRule>,
  ) {}

  /** Counts a hit for each named key (`{ address: '1.2.3.4', email: 'a@b.c' }`); refused if any is over. */
  async hit(keys: Record<string, string>): Promise<RateLimitVerdict> {
    let retryAfterMs = 0;
    for (const [name, value] of Object.entries(keys)) {
      const rule = this.rules[name];
      if (!rule) throw new Error(`no rate limit rule named ${name}`);
      const { count, resetAt } = await this.store.hit(`${name}:${value}`, rule.windowMs);
      if (count > rule.max) retryAfterMs = Math.max(retryAfterMs, resetAt - Date.now());
    }
    return retryAfterMs > 0
      ? { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) }
      : { allowed: true };
  }
}
