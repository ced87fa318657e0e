// Password hashing runs on libuv's thread pool, off the event loop, but on the same cores. To
// keep the API answering while creates and sign-ins hash, the pool's threads run at a lower
// scheduling priority (Linux: per-thread nice): hashing takes the CPU the API leaves, and a
// burst of hashes no longer starves reads. Node does not say which threads are the pool's, so
// they are found by giving each one a short scrypt and seeing which threads did the work.
import { randomBytes, scrypt } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';

const TASKS = '/proc/self/task';

/** Lowers the pool threads' priority to `nice` (0–19); returns how many threads it changed. */
export async function deprioritiseThreadPool(nice: number): Promise<number> {
  if (nice === 0 || !existsSync(TASKS)) return 0;
  const size = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  const before = cpuTicksByThread();
  // one job per pool thread, long enough to show in the thread's CPU time (~40 ms each)
  await Promise.all(Array.from({ length: size }, () => busyPoolThread()));
  const after = cpuTicksByThread();
  const pool = [...after]
    .filter(([tid, ticks]) => tid !== process.pid && ticks - (before.get(tid) ?? 0) >= 2)
    .map(([tid]) => tid);
  // anything but exactly the pool's threads means the guess is unsafe: change nothing
  if (pool.length !== size) return 0;
  for (const tid of pool) setPriority(tid, nice);
  return pool.length;
}

function busyPoolThread(): Promise<void> {
  return new Promise((resolve, reject) =>
    // small in memory (4 MiB), long in time: p runs the same work p times over
    scrypt(randomBytes(16), randomBytes(16), 32, { N: 2 ** 12, r: 8, p: 16 }, (error) =>
      error ? reject(error) : resolve(),
    ),
  );
}

function cpuTicksByThread(): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const tid of readdirSync(TASKS)) {
    try {
      // fields after the command name: utime and stime are the 12th and 13th
      const fields = readFileSync(`${TASKS}/${tid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      ticks.set(Number(tid), Number(fields[11]) + Number(fields[12]));
    } catch {
      // the thread ended meanwhile
    }
  }
  return ticks;
}
