// The one way the embedded PostgreSQL fails: an `EmbeddedPostgresError` whose message is a single
// line (what failed, why, and the way out), and the helpers that turn what the system and
// PostgreSQL's tools report into the "why" of that line.
import { existsSync } from 'node:fs';

/** Any failure of the embedded PostgreSQL, as one line a person can act on. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
  constructor(what: string, why?: string) {
    const reason = why ? `: ${oneLine(why)}` : '';
    super(
      `the embedded PostgreSQL failed: ${what}${reason}. Set DATABASE_URL to a PostgreSQL of your own to run without it.`,
    );
  }
}

/** The first line of a tool's or a server log's output that says what went wrong. */
export function firstError(output: string): string | undefined {
  for (const line of output.split('\n')) {
    const match = /(?:FATAL|PANIC|ERROR|error):\s+(.*)$/.exec(line);
    if (match?.[1]) return match[1].trim();
  }
  return undefined;
}

export function explain(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code } = error as NodeJS.ErrnoException;
  const known: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOSPC: 'no space left on the device',
    ENOENT: 'no such file or folder',
    ENOTDIR: 'a part of the path is not a folder',
    EROFS: 'the file system is read-only',
    EEXIST: 'it already exists',
  };
  return code && known[code] ? `${known[code]} (${code})` : error.message;
}

export function cannotRun(file: string, error: Error): string {
  // ENOENT for a file that is there: what it needs to start (its #! interpreter, its loader) is not
  const missing = (error as NodeJS.ErrnoException).code === 'ENOENT' && existsSync(file);
  return missing
    ? `${file} cannot be run: the interpreter or loader it names is missing (a broken install: run npm ci again)`
    : `could not run ${file}: ${explain(error)}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/\.$/, '');
}
