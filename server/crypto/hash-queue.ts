// The queue password hashes wait in. At most `concurrency` run at once (each holds its memory);
// at most `queueMax` more wait, in arrival order. A hash that would wait past that bound is
// refused at once (`HashQueueFull`, with how long the queue needs to drain), and a waiting hash
// whose caller has gone (its AbortSignal fired: the request timed out, the client hung up) leaves
// the queue before it runs (`HashAbandoned`). A hash that has started runs to its end: scrypt on
// libuv's threads cannot be stopped.

export interface HashQueueOptions {
  /** Hashes computed at once. */
  concurrency: number;
  /** Hashes that may wait for a turn; one more is refused. */
  queueMax: number;
}

export interface HashQueueStats {
  /** Hashes that ran to their end (whatever they answered). */
  completed: number;
  running: number;
  waiting: number;
  /** Refused because the queue was full: nothing was computed. */
  refused: number;
  /** Dropped while waiting, because their caller had gone: nothing was computed. */
  dropped: number;
}

/** Too many hashes wait already: try again in `retryAfterSeconds`. */
export class HashQueueFull extends Error {
  override name = 'HashQueueFull';
  constructor(readonly retryAfterSeconds: number) {
    super(`${retryAfterSeconds} s of password hashing are queued already`);
  }
}

/** The caller went away before its hash had a turn, so it was not computed. */
export class HashAbandoned extends Error {
  override name = 'HashAbandoned';
  constructor() {
    super('the request ended before its password hash had a turn');
  }
}

interface Waiter {
  start: () => void;
}

/** A first guess of one hash's time, until one has been measured. */
const FIRST_GUESS_MS = 100;

export class HashQueue {
  private running = 0;
  private readonly waiting: Waiter[] = [];
  private readonly counts = { completed: 0, refused: 0, dropped: 0 };
  /** A moving average of how long a hash takes here, for Retry-After. */
  private averageMs = FIRST_GUESS_MS;

  constructor(private readonly options: HashQueueOptions) {}

  stats(): HashQueueStats {
    return { ...this.counts, running: this.running, waiting: this.waiting.length };
  }

  async run<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) {
      this.counts.dropped += 1;
      throw new HashAbandoned();
    }
    if (this.running < this.options.concurrency) {
      this.running += 1;
    } else {
      await this.turn(signal);
      // the caller may have gone between the handover and now: the slot goes on to the next
      if (signal?.aborted) {
        this.counts.dropped += 1;
        this.release();
        throw new HashAbandoned();
      }
    }
    const started = performance.now();
    try {
      return await job();
    } finally {
      this.counts.completed += 1;
      this.averageMs += (performance.now() - started - this.averageMs) / 8;
      this.release();
    }
  }

  /** Waits for a running hash to hand over its slot, or refuses, or gives up when `signal` fires. */
  private turn(signal: AbortSignal | undefined): Promise<void> {
    if (this.waiting.length >= this.options.queueMax) {
      this.counts.refused += 1;
      throw new HashQueueFull(this.drainSeconds());
    }
    return new Promise<void>((resolve, reject) => {
      const leave = () => {
        const index = this.waiting.indexOf(waiter);
        if (index < 0) return;
        this.waiting.splice(index, 1);
        this.counts.dropped += 1;
        reject(new HashAbandoned());
      };
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener('abort', leave);
          resolve();
        },
      };
      this.waiting.push(waiter);
      signal?.addEventListener('abort', leave, { once: true });
    });
  }

  /** A finished hash hands its slot to the first waiter (the slot stays taken), or frees it. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next.start();
    else this.running -= 1;
  }

  /** How long until everything queued now has run: the wait a refused caller is told. */
  private drainSeconds(): number {
    const hashes = this.running + this.waiting.length;
    return Math.max(1, Math.ceil((hashes / this.options.concurrency) * (this.averageMs / 1000)));
  }
}
