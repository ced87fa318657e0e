// The one module that hashes and verifies passwords. scrypt-kdf runs Node's asynchronous
// scrypt on the libuv thread pool, so a hash never blocks the event loop.
import { randomBytes } from 'node:crypto';
import Scrypt from 'scrypt-kdf';

/** scrypt cost: N = 2^logN, block size r, parallelism p. Memory per hash is 128 * r * N bytes. */
export interface HashCost {
  logN: number;
  r: number;
  p: number;
}

export const DEFAULT_HASH_COST: HashCost = { logN: 15, r: 8, p: 1 };

export class PasswordHasher {
  private dummy: Promise<string> | undefined;
  private readonly slots: Slots;

  /** `concurrency`: hashes computed at once; more wait their turn (each holds its memory). */
  constructor(
    readonly cost: HashCost = DEFAULT_HASH_COST,
    concurrency = 2,
  ) {
    this.slots = new Slots(concurrency);
  }

  /**
   * Verifies a password against a stored hash, or, when there is none (unknown email, another
   * sign-in method), against a throwaway hash of the same cost, so that both take the same time
   * and a caller cannot tell which emails exist.
   */
  async verifyOrWaste(hash: string | null, password: string): Promise<boolean> {
    if (hash !== null) return this.verify(hash, password);
    this.dummy ??= this.hash(randomBytes(16).toString('hex'));
    await this.verify(await this.dummy, password);
    return false;
  }

  /** A self-describing scrypt key (parameters and salt included), base64 for a text column. */
  async hash(password: string): Promise<string> {
    const key = await this.slots.run(() => Scrypt.kdf(password, this.cost));
    return Buffer.from(key).toString('base64');
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await this.slots.run(() => Scrypt.verify(Buffer.from(hash, 'base64'), password));
    } catch {
      // a stored value that is not a scrypt key never matches
      return false;
    }
  }

  /** True when the hash was made with a lower cost than the configured one. */
  needsRehash(hash: string): boolean {
    try {
      const used = Scrypt.viewParams(Buffer.from(hash, 'base64'));
      return used.logN < this.cost.logN || used.r < this.cost.r || used.p < this.cost.p;
    } catch {
      return true;
    }
  }
}

/** At most `size` jobs at once, the rest in arrival order. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    this.free = size;
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await job();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}
