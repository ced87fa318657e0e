// Runs the service's own entry points (`npm start`, the CLIs) as child processes, as a user would.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface Running {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first output line matching the pattern. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A TypeScript entry point of the project (`server/start/main.ts`), run through tsx. */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv): Running {
  return runNode(['--require', 'tsx/cjs', path.join(ROOT, script), ...args], env);
}

/** Node with exactly these arguments (no TypeScript loader unless they name one), in the project's root. */
export function runNode(nodeArgs: string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, nodeArgs, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => text,
    exited,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = text.match(pattern);
          if (!match) return;
          cleanup();
          resolve(match);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${pattern}; output so far:\n${text}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exited.then(() => {
          if (listeners.has(check)) {
            cleanup();
            reject(new Error(`exited before ${pattern}; output:\n${text}`));
          }
        });
        check();
      });
    },
  };
}

/** The environment a child starts with: this one minus the settings a test wants unset. */
export function envWithout(...names: string[]): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of names) delete env[name];
  return env;
}
