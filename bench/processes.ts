// Child processes of the benchmark: started pinned to given cores (with `taskset`, when there is
// one and more than one core), waited for, stopped by their own pid, and their peak RSS measured.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** Whether pinning is possible here: `taskset` exists and there are cores to keep apart. */
export const canPin: boolean = cpus().length >= 2 && spawnSync('taskset', ['--version']).status === 0;

export interface Child {
  name: string;
  process: ChildProcess;
  pid: number;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  exited: Promise<number | null>;
  /** SIGTERM (a graceful stop, which also lets `--cpu-prof` write its profile), SIGKILL after a while. */
  stop(): Promise<void>;
}

/** Starts `command args` on the given cores (a taskset list such as "0" or "1"), or unpinned when undefined. */
export function startPinned(
  name: string,
  cores: string | undefined,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Child {
  const [file, argv] = cores !== undefined && canPin ? ['taskset', ['-c', cores, command, ...args]] : [command, args];
  // taskset execs the command, so the pid is the command's own
  const child = spawn(file, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const collect = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    // keep memory bounded: only the end of a long output is useful in an error message
    if (text.length > 1_000_000) text = text.slice(-200_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  if (child.pid === undefined) throw new Error(`could not start ${name} (${file})`);
  const pid = child.pid;
  return {
    name,
    process: child,
    pid,
    output: () => text,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves once `url` answers at all (any status), rejects if the child exits or time runs out. */
export async function waitForHttp(child: Child, url: string, timeoutMs = 60_000): Promise<void> {
  let exited = false;
  void child.exited.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${child.name} exited during start-up:\n${child.output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      return;
    } catch {
      await sleep(200);
    }
  }
  throw new Error(`${child.name} did not answer ${url} within ${timeoutMs} ms:\n${child.output()}`);
}

function statusField(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
  return kb === undefined ? NaN : Number(kb) * 1024;
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** CPU seconds a process (all its threads) has used, from /proc/PID/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // the fields after the command name, which may itself hold spaces and parentheses
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export interface ProcessUse {
  /** Peak resident set size over the window, in bytes. */
  peakRssBytes: number;
  /** CPU time used over the window divided by its length: 1 is one core fully busy. */
  cores: number;
}

/**
 * What a process used over a window: its peak resident set size and its CPU. The kernel's
 * high-water mark (VmHWM) is reset at the start of the window through /proc/PID/clear_refs,
 * so it catches every peak; where that is not allowed, VmRSS is sampled every 50 ms instead.
 */
export class ProcessMeter {
  private sampled = 0;
  private timer: NodeJS.Timeout | undefined;
  private kernelPeak = false;
  private cpuAtStart = 0;
  private startedAt = 0;

  constructor(private readonly pid: number) {}

  start(): void {
    try {
      writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
      this.kernelPeak = true;
    } catch {
      this.kernelPeak = false;
    }
    this.sampled = statusField(this.pid, 'VmRSS');
    this.cpuAtStart = cpuSeconds(this.pid);
    this.startedAt = performance.now();
    this.timer = setInterval(() => {
      try {
        this.sampled = Math.max(this.sampled, statusField(this.pid, 'VmRSS'));
      } catch {
        // the process is gone; what was sampled stands
      }
    }, 50);
  }

  stop(): ProcessUse {
    clearInterval(this.timer);
    let peak = this.sampled;
    let cores = NaN;
    try {
      if (this.kernelPeak) peak = Math.max(peak, statusField(this.pid, 'VmHWM'));
      peak = Math.max(peak, statusField(this.pid, 'VmRSS'));
      cores = (cpuSeconds(this.pid) - this.cpuAtStart) / ((performance.now() - this.startedAt) / 1000);
    } catch {
      // the process is gone
    }
    return { peakRssBytes: peak, cores };
  }
}
