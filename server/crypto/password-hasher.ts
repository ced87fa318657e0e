// The one module that hashes and verifies passwords. scrypt-kdf runs Node's asynchronous
// scrypt on the libuv thread pool, so a hash never blocks the event loop. Hashes wait their turn
// in a bounded queue (./hash-queue): past its bound a hash is refused at once, and a waiting hash
// whose caller has gone (its AbortSignal fired) is dropped before it runs, so nobody can pile up
// work the service would do for nobody.
import { createHash, randomBytes } from 'node:crypto';
import Scrypt from 'scrypt-kdf';
import { HashQueue, type HashQueueOptions, type HashQueueStats } from './hash-queue';
import { hashFormat, verifyImported } from './imported-hashes';

export { HashAbandoned, HashQueueFull, type HashQueueStats } from './hash-queue';

/** scrypt cost: N = 2^logN, block size r, parallelism p. Memory per hash is 128 * r * N bytes. */
export interface HashCost {
  logN: number;
  r: number;
  p: number;
}

export const DEFAULT_HASH_COST: HashCost = { logN: 15, r: 8, p: 1 };

export class PasswordHasher {
  /** What an unknown email is verified against: a key of the configured cost that no password opens. */
  private readonly dummy: Buffer;
  private readonly queue: HashQueue;

  /** `concurrency`: hashes computed at once; `queueMax`: how many more may wait their turn. */
  constructor(
    readonly cost: HashCost = DEFAULT_HASH_COST,
    options: Partial<HashQueueOptions> = {},
  ) {
    this.queue = new HashQueue({ concurrency: 2, queueMax: 64, ...options });
    this.dummy = unopenableKey(cost);
  }

  /** Hashes computed, waiting, refused and dropped so far (for /metrics and tests). */
  get stats(): HashQueueStats {
    return this.queue.stats();
  }

  /**
   * Verifies a password against a stored hash, or, when there is none (unknown email, another
   * sign-in method), against a key of the same cost, so that both take the same time and a
   * caller cannot tell which emails exist.
   */
  async verifyOrWaste(hash: string | null, password: string, signal?: AbortSignal): Promise<boolean> {
    if (hash !== null) return this.verify(hash, password, signal);
    await this.queue.run(() => Scrypt.verify(this.dummy, password), signal);
    return false;
  }

  /** A self-describing scrypt key (parameters and salt included), base64 for a text column. */
  async hash(password: string, signal?: AbortSignal): Promise<string> {
    const key = await this.queue.run(() => Scrypt.kdf(password, this.cost), signal);
    return Buffer.from(key).toString('base64');
  }

  /**
   * Whether `password` opens `hash`: a scrypt key of this service, or a bcrypt or Argon2 hash an
   * import brought (./imported-hashes). Throws `HashQueueFull` or `HashAbandoned` when nothing was
   * checked; a stored value that is no such hash is no error: it never matches.
   */
  async verify(hash: string, password: string, signal?: AbortSignal): Promise<boolean> {
    return this.queue.run(async () => {
      if (hashFormat(hash) !== 'scrypt') return verifyImported(hash, password);
      try {
        return await Scrypt.verify(Buffer.from(hash, 'base64'), password);
      } catch {
        return false;
      }
    }, signal);
  }

  /** True when the hash was made by an imported algorithm, or with a lower cost than the configured one. */
  needsRehash(hash: string): boolean {
    if (hashFormat(hash) !== 'scrypt') return true;
    try {
      const used = Scrypt.viewParams(Buffer.from(hash, 'base64'));
      return used.logN < this.cost.logN || used.r < this.cost.r || used.p < this.cost.p;
    } catch {
      return true;
    }
  }
}

/**
 * A well-formed scrypt key (Colin Percival's format, as scrypt-kdf writes it) of `cost` whose MAC is
 * random: verifying any password against it runs the full scrypt and answers false. It is built
 * without hashing anything, so it cannot fail, and nothing about it is cached that could.
 */
function unopenableKey({ logN, r, p }: HashCost): Buffer {
  const key = Buffer.alloc(96);
  key.write('scrypt', 0, 'latin1');
  key.writeUInt8(0, 6);
  key.writeUInt8(logN, 7);
  key.writeUInt32BE(r, 8);
  key.writeUInt32BE(p, 12);
  randomBytes(32).copy(key, 16);
  createHash('sha256').update(key.subarray(0, 48)).digest().copy(key, 48, 0, 16);
  randomBytes(32).copy(key, 64);
  return key;
}
