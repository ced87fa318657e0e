// Work a procedure starts and does not wait for (sending an email after the answer, so the
// answer's timing says nothing about the address). Kept track of, so a shutdown or a test can
// wait until it is done; a failure is logged (as errors are: never with SQL values), never thrown
// at a caller who has left.
import { loggableError } from './api-errors';
export interface TaskLog {
  error(details: Record<string, unknown>, message: string): void;
}

export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: TaskLog) {}

  run(name: string, task: () => Promise<void>): void {
    const promise = task()
      .catch((error: unknown) => this.log.error({ task: name, err: loggableError(error) }, 'background task failed'))
      .finally(() => this.running.delete(promise));
    this.running.add(promise);
  }

  /** Resolves when every task started so far has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
