// The service started as `npm start` started it before the production build (tsx compiling the
// TypeScript as it loads: `node <flags> --require tsx/cjs server/start/main.ts`) against the
// compiled build `npm start` runs now (`node <flags> build/server/start/main.js`), side by side
// in one run, rounds alternating which goes first:
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/startup.ts [--rounds 5]
//
// Per start: the time from spawning Node to the first answered request (GET /healthz 200, polled
// every 5 ms), the resident set size once it has sat idle for --idle seconds, then the peak RSS,
// throughput and CPU per request under --connections connections of REST reads (GET
// /api/v2/users/{id} with an admin token, autocannon pinned to the load core) for --duration
// seconds. The database is a
// fresh one on DATABASE_URL's server, migrated and seeded with --users users before the first
// start, and dropped at the end; build/ is brought up to date first (dev/build-service.mjs).
// Each form is started once unmeasured first, so neither pays for a cold disk cache or tsx's
// empty transform cache.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freePort } from '../dev/embedded-postgres/embedded-postgres';
import { loadConfig } from '../server/config/config';
import { migrated } from './bench-database';
import { runLoad } from './loader';
import { ProcessMeter, startPinned, type Child } from './processes';
import { markdownTable, median } from './report';
import { seed } from './seed';
import { benchAdminToken, ROOT } from './servers';
import type { LoadResult } from './workload';

type Form = 'tsx' | 'build';
const FORMS: Form[] = ['tsx', 'build'];
const LABEL: Record<Form, string> = {
  tsx: 'before: tsx (server/start/main.ts)',
  build: 'after: build (build/server/start/main.js)',
};

interface Sample {
  round: number;
  form: Form;
  startupMs: number;
  idleRssBytes: number;
  loadPeakRssBytes: number;
  loadCores: number;
  load: LoadResult;
}

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    users: { type: 'string', default: '10000' },
    connections: { type: 'string', default: '50' },
    duration: { type: 'string', default: '10' },
    idle: { type: 'string', default: '5' },
    'server-cores': { type: 'string', default: '0' },
    'load-cores': { type: 'string', default: '1' },
  },
});
const ROUNDS = Number(values.rounds);
const USERS = Number(values.users);
const CONNECTIONS = Number(values.connections);
const DURATION_SECONDS = Number(values.duration);
const IDLE_SECONDS = Number(values.idle);

function log(line: string): void {
  process.stderr.write(`[startup] ${line}\n`);
}

/** The Node flags of package.json's start script (the V8 tuning), shared by both forms. */
function nodeFlags(): string[] {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return manifest.scripts.start
    .split(/\s+/)
    .slice(1)
    .filter((arg) => arg.startsWith('-'));
}

function commandOf(form: Form): string[] {
  return form === 'tsx'
    ? [...nodeFlags(), '--require', 'tsx/cjs', path.join(ROOT, 'server/start/main.ts')]
    : [...nodeFlags(), path.join(ROOT, 'build/server/start/main.js')];
}

/** Status of GET url, or undefined when nothing answers yet. */
function status(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false, timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on('error', () => resolve(undefined));
    request.on('timeout', () => request.destroy());
  });
}

function vmRss(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kb === undefined ? NaN : Number(kb) * 1024;
}

async function start(
  form: Form,
  env: NodeJS.ProcessEnv,
): Promise<{ child: Child; baseUrl: string; startupMs: number }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = startPinned(form, values['server-cores'], process.execPath, commandOf(form), {
    ...env,
    PORT: String(port),
  });
  let exited = false;
  void child.exited.then(() => (exited = true));
  for (;;) {
    if (exited) throw new Error(`${form} exited during start-up:\n${child.output()}`);
    if ((await status(`${baseUrl}/healthz`)) === 200) break;
    if (performance.now() - started > 60_000) {
      await child.stop();
      throw new Error(`${form} did not answer /healthz within 60 s:\n${child.output()}`);
    }
    await sleep(5);
  }
  return { child, baseUrl, startupMs: performance.now() - started };
}

async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('set DATABASE_URL to a PostgreSQL server (a fresh database is made on it)');
  if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error('--rounds must be a positive integer');

  const built = spawnSync(process.execPath, [path.join(ROOT, 'dev/build-service.mjs'), '--if-stale'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error('the build failed');

  const name = `users_startup_${randomBytes(4).toString('hex')}`;
  const url = await migrated(serverUrl, name);
  log(`database ${name}: migrated`);
  try {
    const secret = randomBytes(32).toString('base64url');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_OPTIONS: '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      DATABASE_URL: url,
      DATABASE_REPLICA_URLS: '',
      JWT_SECRET: secret,
      TOTP_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'warn',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
    };
    const config = loadConfig(env);
    await seed({
      url,
      users: USERS,
      hashCost: { logN: config.HASH_LOG_N, r: config.HASH_R, p: config.HASH_P },
      force: false,
      log,
    });
    const token = benchAdminToken(config, secret);

    for (const form of FORMS) {
      const { child, startupMs } = await start(form, env);
      await child.stop();
      log(`warm-up start of ${form}: ${startupMs.toFixed(0)} ms (not counted)`);
    }

    const samples: Sample[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      // alternate who goes first, so a drift of the machine over time favours neither
      for (const form of round % 2 ? FORMS : [...FORMS].reverse()) {
        const { child, baseUrl, startupMs } = await start(form, env);
        try {
          await sleep(IDLE_SECONDS * 1000);
          const idleRssBytes = vmRss(child.pid);
          const meter = new ProcessMeter(child.pid);
          meter.start();
          const load = await runLoad(
            {
              baseUrl,
              token,
              workload: 'rest-read',
              users: USERS,
              connections: CONNECTIONS,
              durationSeconds: DURATION_SECONDS,
              warmupSeconds: 0,
              tag: `startup-${round}-${form}`,
            },
            'autocannon',
            values['load-cores'],
          );
          const use = meter.stop();
          if (load.non2xx || load.errors) throw new Error(`${form}: ${load.non2xx} non-2xx, ${load.errors} errors`);
          const sample = {
            round,
            form,
            startupMs,
            idleRssBytes,
            loadPeakRssBytes: use.peakRssBytes,
            loadCores: use.cores,
            load,
          };
          samples.push(sample);
          log(
            `round ${round} ${form.padEnd(5)}: start-up ${startupMs.toFixed(0)} ms, idle ${mb(idleRssBytes)}, ` +
              `under load ${mb(use.peakRssBytes)} peak, ${load.rps.toFixed(0)} req/s, p99 ${load.p99Ms.toFixed(1)} ms`,
          );
        } finally {
          await child.stop();
        }
      }
    }
    const table = report(samples);
    process.stdout.write(`${table}\n`);
    const dir = path.join(ROOT, 'bench/.results');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `startup-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(
      file,
      `${JSON.stringify({ rounds: ROUNDS, users: USERS, connections: CONNECTIONS, samples }, null, 1)}\n`,
    );
    log(`samples: ${path.relative(ROOT, file)}`);
  } finally {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  }
}

function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MB`;
}

/** Medians with their ranges, and the change from before to after. */
function report(samples: Sample[]): string {
  const metrics: Array<[string, (sample: Sample) => number, (value: number) => string]> = [
    ['start-up to first /healthz 200 (ms)', (s) => s.startupMs, (v) => v.toFixed(0)],
    [`RSS idle, ${IDLE_SECONDS} s after start-up (MB)`, (s) => s.idleRssBytes / 2 ** 20, (v) => v.toFixed(1)],
    [`peak RSS, ${CONNECTIONS} connections of reads (MB)`, (s) => s.loadPeakRssBytes / 2 ** 20, (v) => v.toFixed(1)],
    ['reads per second under that load', (s) => s.load.rps, (v) => v.toFixed(0)],
    ['read p99 under that load (ms)', (s) => s.load.p99Ms, (v) => v.toFixed(2)],
    ['service CPU per read (µs)', (s) => (s.loadCores / s.load.rps) * 1e6, (v) => v.toFixed(0)],
  ];
  const cell = (values: number[], format: (value: number) => string) =>
    `${format(median(values))} (${format(Math.min(...values))}–${format(Math.max(...values))})`;
  const rows = metrics.map(([title, pick, format]) => {
    const before = samples.filter((s) => s.form === 'tsx').map(pick);
    const after = samples.filter((s) => s.form === 'build').map(pick);
    const change = (median(after) / median(before) - 1) * 100;
    return [title, cell(before, format), cell(after, format), `${change >= 0 ? '+' : ''}${change.toFixed(0)}%`];
  });
  return markdownTable([`${ROUNDS} rounds each, median (min–max)`, LABEL.tsx, LABEL.build, 'change'], rows);
}

main().catch((error: unknown) => {
  process.stderr.write(`startup: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
