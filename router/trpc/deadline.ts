// The time a procedure call has left. When it runs out the caller is answered 503 at once;
// work still running checks `expired` before it does anything the caller could observe. Work
// that answers as it goes (a streamed list) moves the deadline on with every step it makes, so a
// stream that is making progress is never cut, and one that stalls still is.
import { timedOut } from './api-errors';

export class Deadline {
  expired = false;

  constructor(private readonly restart: () => void = () => {}) {}

  /** Throws the caller's 503 if the call has already been answered as timed out. */
  check(): void {
    if (this.expired) throw timedOut();
  }

  /** Progress: the call gets the whole timeout again, from now. */
  progressed(): void {
    this.check();
    this.restart();
  }
}

/** Runs `work` with a deadline of `ms`; rejects with the 503 when it passes first. */
export async function withDeadline<T>(ms: number, work: (deadline: Deadline) => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let expire: (error: Error) => void = () => {};
  const expired = new Promise<never>((_, reject) => (expire = reject));
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      deadline.expired = true;
      expire(timedOut());
    }, ms);
  };
  const deadline = new Deadline(arm);
  arm();
  try {
    return await Promise.race([work(deadline), expired]);
  } finally {
    clearTimeout(timer);
  }
}
