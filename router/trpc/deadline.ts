// The time a procedure call has left. When it runs out the caller is answered 503 at once;
// work still running checks `expired` before it does anything the caller could observe. Work
// that answers as it goes (a streamed list) moves the deadline on with every step it makes, so a
// stream that is making progress is never cut, and one that stalls still is. Work that would
// otherwise wait for a turn (a password hash) takes `signal`, which fires when the call has ended
// without it: it timed out, or its client went away.
import { performance } from 'node:perf_hooks';
import { timedOut } from './api-errors';

/** How a transport says the client went away before its answer: `listener` is called then. */
export type OnClientGone = (listener: () => void) => void;

export class Deadline {
  expired = false;
  /** When the call's time runs out, in performance.now() milliseconds (kept by `DeadlineTimers`). */
  at = 0;
  private ended: AbortController | undefined;

  constructor(
    private readonly timers?: DeadlineTimers,
    private readonly onClientGone?: OnClientGone,
  ) {}

  /** Throws the caller's 503 if the call has already been answered as timed out. */
  check(): void {
    if (this.expired) throw timedOut();
  }

  /** Progress: the call gets the whole timeout again, from now. */
  progressed(): void {
    this.check();
    this.timers?.moveOn(this);
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

/** A deadline whose call is waited for: what its timer does when it runs out. */
class TimedCall<T> extends Deadline {
  resolve!: (value: T) => void;
  reject!: (error: unknown) => void;

  /** The caller's 503 first, then the work that waited for a turn gives it up. */
  timeOut(): void {
    this.reject(timedOut());
    this.expire();
  }
}

/**
 * One timer for every call with the same timeout: their deadlines in the order they run out (the
 * same timeout for all, so the order they started or last progressed in), the timer set for the
 * first. A call costs a place in a Set rather than a timer, a closure and a handle of its own,
 * which it kept while it waited (issue 23).
 */
class DeadlineTimers {
  private readonly live = new Set<TimedCall<unknown>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ms: number) {}

  add(call: TimedCall<unknown>): void {
    call.at = performance.now() + this.ms;
    this.live.add(call);
    this.timer ??= setTimeout(this.fire, this.ms);
  }

  moveOn(call: Deadline): void {
    const timed = call as TimedCall<unknown>;
    if (!this.live.delete(timed)) return;
    timed.at = performance.now() + this.ms;
    this.live.add(timed);
  }

  remove(call: TimedCall<unknown>): void {
    this.live.delete(call);
    // nothing left to time: no timer that would keep the process up
    if (this.live.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    const now = performance.now();
    for (const call of this.live) {
      if (call.at > now) {
        this.timer = setTimeout(this.fire, Math.max(1, Math.ceil(call.at - now)));
        return;
      }
      this.live.delete(call);
      call.timeOut();
    }
  };
}

const timersByMs = new Map<number, DeadlineTimers>();

/**
 * Runs `work` with a deadline of `ms`; rejects with the 503 when it passes first. No timer of its
 * own per call (see DeadlineTimers), and no race of promises: this is on every call.
 */
export function withDeadline<T>(
  ms: number,
  work: (deadline: Deadline) => Promise<T>,
  onClientGone?: OnClientGone,
): Promise<T> {
  let timers = timersByMs.get(ms);
  if (!timers) timersByMs.set(ms, (timers = new DeadlineTimers(ms)));
  const call = new TimedCall<T>(timers, onClientGone);
  const answer = new Promise<T>((resolve, reject) => {
    call.resolve = resolve;
    call.reject = reject;
  });
  timers.add(call as TimedCall<unknown>);
  let running: Promise<T>;
  try {
    running = work(call);
  } catch (error) {
    timers.remove(call as TimedCall<unknown>);
    call.reject(error);
    return answer;
  }
  running.then(
    (value) => {
      timers.remove(call as TimedCall<unknown>);
      call.resolve(value);
    },
    (error: unknown) => {
      timers.remove(call as TimedCall<unknown>);
      call.reject(error);
    },
  );
  return answer;
}
