// The time a procedure call has left. When it runs out the caller is answered 503 at once;
// work still running checks `expired` before it does anything the caller could observe. Work
// that answers as it goes (a streamed list) moves the deadline on with every step it makes, so a
// stream that is making progress is never cut, and one that stalls still is. Work that would
// otherwise wait for a turn (a password hash) takes `signal`, which fires when the call has ended
// without it: it timed out, or its client went away.
import { timedOut } from './api-errors';

/** How a transport says the client went away before its answer: `listener` is called then. */
export type OnClientGone = (listener: () => void) => void;

export class Deadline {
  expired = false;
  private ended: AbortController | undefined;

  constructor(
    private readonly restart: () => void = () => {},
    private readonly onClientGone?: OnClientGone,
  ) {}

  /** Throws the caller's 503 if the call has already been answered as timed out. */
  check(): void {
    if (this.expired) throw timedOut();
  }

  /** Progress: the call gets the whole timeout again, from now. */
  progressed(): void {
    this.check();
    this.restart();
  }

  /**
   * Fires when nobody waits for this call's answer any more (it timed out, or its client went
   * away). Made on first use: most calls never wait for anything that could be dropped.
   */
  get signal(): AbortSignal {
    if (!this.ended) {
      const ended = (this.ended = new AbortController());
      if (this.expired) ended.abort();
      else this.onClientGone?.(() => ended.abort());
    }
    return this.ended.signal;
  }

  /** The time is up: the caller is being answered 503. */
  expire(): void {
    this.expired = true;
    this.ended?.abort();
  }
}

/**
 * Runs `work` with a deadline of `ms`; rejects with the 503 when it passes first. One timer per
 * call, moved on in place when the work progresses, and no race of promises: this is on every call.
 */
export function withDeadline<T>(
  ms: number,
  work: (deadline: Deadline) => Promise<T>,
  onClientGone?: OnClientGone,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      // the caller's 503 first, then the work that waited for a turn gives it up
      reject(timedOut());
      deadline.expire();
    }, ms);
    const deadline = new Deadline(() => timer.refresh(), onClientGone);
    const settle = () => clearTimeout(timer);
    let running: Promise<T>;
    try {
      running = work(deadline);
    } catch (error) {
      settle();
      throw error;
    }
    running.then(
      (value) => {
        settle();
        resolve(value);
      },
      (error: unknown) => {
        settle();
        // whatever the work threw, passed on as it was
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        reject(error);
      },
    );
  });
}
