// Running the programs the cluster needs (id, useradd, locale, initdb, a shell for `test`): one
// result whatever happens, so that a program that cannot run at all becomes part of the one line.
import { execFile, type SpawnOptions } from 'node:child_process';
import { cannotRun } from './embedded-error';

export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // English messages (firstError and the port check read them), whatever the person's locale
  return { ...process.env, LC_ALL: 'C', LANG: 'C', ...extra };
}

export interface RunResult {
  code: number | null;
  output: string;
  /** Set when the program could not be run at all. */
  error?: string;
}

export function run(file: string, args: string[], options: SpawnOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, { ...options, encoding: 'utf8' }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (!error) return resolve({ code: 0, output });
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'number') return resolve({ code, output });
      resolve({ code: null, output, error: cannotRun(file, error) });
    });
  });
}
