// The time a procedure call has left. When it runs out the caller is answered 503 at once;
// work still running checks `expired` before it does anything the caller could observe.
import { timedOut } from './errors';

export class Deadline {
  expired = false;

  /** Throws the caller's 503 if the call has already been answered as timed out. */
  check(): void {
    if (this.expired) throw timedOut();
  }
}

/** Runs `work` with a deadline of `ms`; rejects with the 503 when it passes first. */
export async function withDeadline<T>(ms: number, work: (deadline: Deadline) => Promise<T>): Promise<T> {
  const deadline = new Deadline();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      deadline.expired = true;
      reject(timedOut());
    }, ms);
  });
  try {
    return await Promise.race([work(deadline), expired]);
  } finally {
    clearTimeout(timer);
  }
}
