// Where the primary's WAL stood after a principal's latest write, so that its next reads go to a
// replica only once that replica has replayed that far (server/database/read-replicas). Kept in Redis when
// the service has one, so every instance knows; and always in this process too, so this instance
// still knows while Redis is away. While Redis cannot be asked, a read cannot know what other
// instances wrote, so it goes to the primary.
//
// A position needs keeping only as long as a replica that far behind could still be used: after
// REPLICA_MAX_LAG_MS every usable replica has replayed past it. Entries live a minute longer.
import type { Redis } from 'ioredis';

/** How much longer than the replicas' allowed lag a position is kept (clocks of instances differ). */
const MARGIN_MS = 60_000;
/** A sweep of expired positions in memory, once there are this many. */
const SWEEP_AT = 10_000;
const KEY_PREFIX = 'users-service:written:';

// Positions are fixed-width hex, so Lua compares them as strings; a write never lowers a
// position another instance recorded after it.
const RECORD_SCRIPT = `local current = redis.call('get', KEYS[1])
if not current or current < ARGV[1] then
  redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
else
  redis.call('pexpire', KEYS[1], ARGV[2])
end
return 1`;

/** What a read must wait for: a WAL position, or the primary when it cannot be known. */
export type Requirement = bigint | 'primary';

export class WrittenPositions {
  private readonly local = new Map<string, { position: bigint; expiresAt: number }>();
  private readonly ttlMs: number;

  constructor(
    maxLagMs: number,
    private readonly redis?: Redis,
  ) {
    this.ttlMs = maxLagMs + MARGIN_MS;
  }

  /** Records `position` for each principal; never fails (a lost record costs one stale read at worst, see README). */
  async record(principalIds: readonly string[], position: bigint): Promise<void> {
    const expiresAt = Date.now() + this.ttlMs;
    for (const id of principalIds) {
      const known = this.local.get(id);
      if (!known || known.position < position || known.expiresAt < Date.now())
        this.local.set(id, { position, expiresAt });
    }
    if (this.local.size > SWEEP_AT) this.sweep();
    if (!this.redis) return;
    const pipeline = this.redis.pipeline();
    for (const id of principalIds) pipeline.eval(RECORD_SCRIPT, 1, KEY_PREFIX + id, toHex(position), this.ttlMs);
    await pipeline.exec().catch(() => undefined);
  }

  /** The position a read for this principal must see: 0 when it wrote nothing lately. */
  async required(principalId: string): Promise<Requirement> {
    const known = this.local.get(principalId);
    const local = known && known.expiresAt > Date.now() ? known.position : 0n;
    if (!this.redis) return local;
    if (this.redis.status !== 'ready') return 'primary';
    try {
      const shared = await this.redis.get(KEY_PREFIX + principalId);
      const position = shared === null ? 0n : BigInt(`0x${shared}`);
      return position > local ? position : local;
    } catch {
      return 'primary';
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, entry] of this.local) if (entry.expiresAt <= now) this.local.delete(id);
  }
}

/** PostgreSQL's `X/Y` text form of a WAL position (pg_lsn) as a number. */
export function parseLsn(text: string): bigint {
  const match = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i.exec(text.trim());
  if (!match) throw new Error(`not a WAL position: ${text}`);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

function toHex(position: bigint): string {
  return position.toString(16).padStart(16, '0');
}
