// Importing users (POST /api/v2/users/import, 100 users a call) beside creating the same users one
// by one through the published POST /api/v2/users, side by side in one run: how long moving a user
// base here takes, and what the batch saves. Both send users who sign in by password: the import
// with a bcrypt hash made once beforehand (an import never hashes), the creates with the email-code
// method, so that no scrypt hash (tens of milliseconds each) hides what is measured. Each
// measurement starts from an empty, vacuumed `users_bench_import` on the DATABASE_URL server, the
// order flips every round, and the service runs as `npm start` runs it (pinned to --server-cores).
// Callers send their requests one after another, `--callers` of them at once. Reported: users made
// per second, the median of the rounds with their range, and the ratio of the two per round. A
// first round, of 500 users each way, warms the service up and is not counted.
//   DATABASE_URL=postgres://… npm run bench:import -- [--users 2000] [--rounds 3] [--callers 4]
//     [--server-cores 0]
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { hash } from '@node-rs/bcrypt';
import { migrated, withClient } from './bench-database';
import { canPin, ProcessMeter } from './processes';
import { markdownTable, median } from './report';
import { benchAdminToken, serverSettings, startServer, type RunningServer } from './servers';
import { loadConfig } from '../server/config/config';
import { IMPORT_BATCH_MAX } from '../router/users/user-schemas';

type Way = 'import' | 'create';
interface Measurement {
  round: number;
  way: Way;
  usersPerSecond: number;
  /** The service's peak resident memory over the measurement, and its CPU (1: one core busy). */
  peakRssBytes: number;
  cores: number;
}

const log = (line: string) =>
  process.stderr.write(`[bench:import ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/** Empty tables, vacuumed as autovacuum would have (the bench's server runs without it). */
async function emptied(url: string): Promise<void> {
  await withClient(url, async (client) => {
    await client.query('truncate users, emails, events restart identity cascade');
    await client.query('vacuum (analyze) users, emails, events');
  });
}

/** `count` users of this round, each a distinct name and address. */
function users(round: number, way: Way, count: number, passwordHash: string) {
  return Array.from({ length: count }, (_, index) => ({
    name: `${way}_${round}_${index}`,
    age: 30,
    gender: 1,
    email:
      way === 'import'
        ? { email: `${way}.${round}.${index}@example.com`, authMethod: 0, passwordHash }
        : { email: `${way}.${round}.${index}@example.com`, authMethod: 1 },
  }));
}

/** Sends `bodies` to `path`, `callers` at a time, each caller one request after another. */
async function send(service: RunningServer, token: string, path: string, bodies: unknown[], callers: number) {
  let next = 0;
  const caller = async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      const response = await fetch(`${service.baseUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: callers }, caller));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      users: { type: 'string', default: '2000' },
      rounds: { type: 'string', default: '3' },
      callers: { type: 'string', default: '4' },
      'server-cores': { type: 'string', default: '0' },
    },
  });
  const count = (name: 'users' | 'rounds' | 'callers') => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
    return value;
  };
  const [userCount, rounds, callers] = [count('users'), count('rounds'), count('callers')];
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('set DATABASE_URL to a PostgreSQL server');
  const url = await migrated(serverUrl, 'users_bench_import');

  const secret = randomBytes(32).toString('base64url');
  process.env.TOTP_KEY ??= randomBytes(32).toString('base64');
  // the delivery loop would fan the events out: not what is measured
  process.env.WEBHOOK_WORKER = 'false';
  const config = loadConfig({ ...process.env, NODE_ENV: 'production', JWT_SECRET: secret, DATABASE_URL: url });
  const token = benchAdminToken(config, secret);
  // one hash for every imported user: the import checks its form and cost, never computes it
  const passwordHash = await hash('lemon tree by the gate', 10);

  const service = await startServer(
    'service',
    serverSettings(config, { databaseUrl: url, jwtSecret: secret, cores: canPin ? values['server-cores'] : undefined }),
  );
  const measurements: Measurement[] = [];
  try {
    // round 0 warms the service up (its JIT, the pool, the prepared statements), and is not counted
    for (let round = 0; round <= rounds; round++) {
      const order: Way[] = round % 2 === 1 ? ['import', 'create'] : ['create', 'import'];
      for (const way of order) {
        await emptied(url);
        const made = users(round, way, round === 0 ? Math.min(userCount, 500) : userCount, passwordHash);
        const bodies =
          way === 'import'
            ? Array.from({ length: Math.ceil(made.length / IMPORT_BATCH_MAX) }, (_, batch) => ({
                users: made.slice(batch * IMPORT_BATCH_MAX, (batch + 1) * IMPORT_BATCH_MAX),
              }))
            : made;
        const meter = new ProcessMeter(service.pid);
        meter.start();
        const started = process.hrtime.bigint();
        await send(service, token, way === 'import' ? '/api/v2/users/import' : '/api/v2/users', bodies, callers);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const { peakRssBytes, cores } = meter.stop();
        const stored = await withClient(url, async (client) =>
          Number((await client.query<{ n: string }>('select count(*) as n from users')).rows[0]?.n),
        );
        if (stored !== made.length) throw new Error(`${way}: ${stored} users stored, not ${made.length}`);
        if (round === 0) continue;
        measurements.push({ round, way, usersPerSecond: userCount / seconds, peakRssBytes, cores });
        log(
          `round ${round} ${way}: ${userCount} users in ${seconds.toFixed(2)} s, ${Math.round(userCount / seconds)}/s`,
        );
      }
    }
  } finally {
    await service.stop();
    await emptied(url);
  }
  report(measurements, { userCount, rounds, callers });
}

function report(measurements: Measurement[], run: { userCount: number; rounds: number; callers: number }): void {
  const of = (way: Way, field: 'usersPerSecond' | 'peakRssBytes' | 'cores' = 'usersPerSecond') =>
    measurements.filter((m) => m.way === way).map((m) => m[field]);
  const mb = (way: Way) => of(way, 'peakRssBytes').map((bytes) => bytes / 2 ** 20);
  const ratios = Array.from({ length: run.rounds }, (_, index) => {
    const round = index + 1;
    const [imported, created] = (['import', 'create'] as const).map(
      (way) => measurements.find((m) => m.round === round && m.way === way)!.usersPerSecond,
    );
    return imported! / created!;
  });
  const range = (values: number[], digits = 0) =>
    `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
  process.stdout.write(
    `\n${run.userCount} users per measurement, ${run.rounds} rounds, ${run.callers} callers at once; medians of the rounds (range)\n\n` +
      markdownTable(
        ['way', 'users/s', 'ratio to one by one', 'service peak RSS, MB', 'service CPU, cores'],
        (['import', 'create'] as const).map((way) => [
          way === 'import' ? `POST /api/v2/users/import, ${IMPORT_BATCH_MAX} a call` : 'POST /api/v2/users, one a call',
          `${Math.round(median(of(way)))} (${range(of(way))})`,
          way === 'import' ? `${median(ratios).toFixed(1)}× (${range(ratios, 1)})` : '1×',
          `${Math.round(median(mb(way)))} (${range(mb(way))})`,
          `${median(of(way, 'cores')).toFixed(2)} (${range(of(way, 'cores'), 2)})`,
        ]),
      ) +
      '\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
