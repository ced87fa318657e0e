// Waiting for what a service does after it answered (a delivery recorded, a replica caught up):
// tests poll for the state a user would see instead of sleeping a guessed while.

/** Reads with `read` (every 100 ms, for at most `timeoutMs`) until `done` holds for what it read, and gives that. */
export async function readUntil<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().then(
      (value) => ({ value }),
      () => undefined,
    );
    if (value && done(value.value)) return value.value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls `probe` until it returns true (every 100 ms, for at most `timeoutMs`). */
export async function eventually(what: string, probe: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  await readUntil(what, probe, (ok) => ok, timeoutMs);
}
