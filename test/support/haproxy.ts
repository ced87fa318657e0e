// HAProxy for tests, started with the project's own deploy/haproxy.cfg (the file the README
// shows) on free ports, in the foreground, as a child the test stops: its public frontend (`url`)
// and its internal one for the operations routes (`opsUrl`). `servers()` reads its stats page
// (CSV), so a test can see what the balancer thinks of each instance.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../dev/embedded-postgres/embedded-postgres';

export const HAPROXY_CONFIG = path.resolve(__dirname, '../../deploy/haproxy.cfg');

export interface ServerStats {
  /** "users1", "users2": the config's server names. */
  name: string;
  /** "UP", "DOWN", "UP 1/2" (going down), "DOWN 1/2" (coming up), "MAINT". */
  status: string;
  /** Requests haproxy sent it, in all (HTTP mode: one per request). */
  requests: number;
  /** Its last health check, as the stats say it: "L7OK 200" (an HTTP check answered 200), … */
  check: string;
}

export interface Haproxy {
  /** Where clients connect (the public frontend). */
  url: string;
  /** The internal frontend of the operations routes (USERS_OPS_BIND). */
  opsUrl: string;
  servers(): Promise<ServerStats[]>;
  output(): string;
  stop(): Promise<void>;
}

/** Starts haproxy in front of `instances` (host:port each, for USERS_1, USERS_2). */
export async function startHaproxy(program: string, instances: [string, string]): Promise<Haproxy> {
  const [port, opsPort, statsPort] = [await freePort(), await freePort(), await freePort()];
  const child = spawn(program, ['-db', '-f', HAPROXY_CONFIG], {
    env: {
      ...process.env,
      USERS_BIND: `127.0.0.1:${port}`,
      USERS_OPS_BIND: `127.0.0.1:${opsPort}`,
      USERS_1: instances[0],
      USERS_2: instances[1],
      HAPROXY_STATS_BIND: `127.0.0.1:${statsPort}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));

  async function servers(): Promise<ServerStats[]> {
    const response = await fetch(`http://127.0.0.1:${statsPort}/stats;csv`);
    const [header, ...rows] = (await response.text()).trim().split('\n');
    const columns = (header ?? '').replace(/^# /, '').split(',');
    const field = (row: string[], name: string) => row[columns.indexOf(name)] ?? '';
    return rows
      .map((line) => line.split(','))
      .filter((row) => field(row, 'pxname') === 'users' && /^users\d+$/.test(field(row, 'svname')))
      .map((row) => ({
        name: field(row, 'svname'),
        status: field(row, 'status'),
        requests: Number(field(row, 'stot')),
        check: `${field(row, 'check_status')} ${field(row, 'check_code')}`.trim(),
      }));
  }

  for (const deadline = Date.now() + 20_000; ; await sleep(100)) {
    if (child.exitCode !== null) throw new Error(`haproxy exited with code ${child.exitCode}:\n${text}`);
    const seen = await servers().catch(() => []);
    if (seen.length === 2 && seen.every((server) => server.status === 'UP')) break;
    if (Date.now() > deadline) throw new Error(`haproxy did not see both instances UP within 20 s:\n${text}`);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    opsUrl: `http://127.0.0.1:${opsPort}`,
    servers,
    output: () => text,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
