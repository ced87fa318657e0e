// `npm run bench [-- --suites LIST --users N --duration S --rounds R --connections C …]` (flags:
// options.ts). Seeds the bench database, then runs the chosen suites, each side by side in
// interleaved rounds, and prints a table of medians and the targets met or missed for each:
// - service (issues 6, 13 and 23): starts the raw baseline (with the service's session check's
//   statement), the raw server without it (one statement per read) and the real service pinned to
//   the server core, checks that they answer alike, runs every scenario against all three with the
//   load generator on the other core; finally records CPU profiles of the service under load and summarises where
//   its time goes;
// - writes (issue 12, writes.ts): the create transaction with and without the list index; creates
//   and updates with and without their event (issue 21), as bare transactions, then through the
//   service against the same service recording none (service-writes.ts);
// - scale (issue 12, scale.ts): the service on --users against --scale-users users, and one
//   limit=0 request over all users on each;
// - replicas (issue 12, replicas.ts): reads on a streaming replica against the primary alone;
// - find (issue 20, find.ts): ?email=, ?q= and each sort's cursor page on --users and on
//   --scale-users users, and creates with and without issue 20's indexes;
// - sign-in (sign-in.ts): sign-ins by password and by passkey against the same service, and a
//   sign-in's look at a long history with the sign-ins' index and without (sign-in-history.ts);
// - tokens (tokens.ts): ES256 access tokens (JWT_SIGNING_KEY) against HS256 ones, signed and
//   verified in the process, and refreshes and reads with unseen tokens through two servers.
// Progress goes to stderr, results to stdout, raw figures to bench/.results/.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { loadConfig } from '../server/config/config';
import type { ReplicatedPostgres } from '../dev/testing/replicated-postgres';
import { openBenchDatabase, type BenchDatabase } from './bench-database';
import { limitZero, type LimitZeroResult } from './limit-zero';
import { runLoad, wrkInstalled } from './loader';
import { parseOptions, USAGE, type BenchOptions } from './options';
import { PostgresMeter } from './postgres-meter';
import { checkParity } from './parity';
import { ProcessMeter, canPin } from './processes';
import { summarise, type CpuProfile } from './profile-summary';
import {
  buildReplicaReport,
  buildReport,
  buildScaleReport,
  buildWriteReport,
  buildOutboxReport,
  formatChecks,
  type Measurement,
  type SingleRequest,
} from './report';
import { POSTGRESQL_SERVER_MISSING, findPostgresServer, runReplicas } from './replicas';
import { SCALE_DATABASE, runScale } from './scale';
import { runServiceWrites } from './service-writes';
import { FIND_UNINDEXED_DATABASE, FIND_WRITES_DATABASE } from './find';
import { SCENARIOS, type ScenarioKey } from './scenarios';
import { removeCreatedUsers, seed } from './seed';
import { runFind } from './find';
import { buildFindReport } from './find-report';
import { runSignIns, signInReport } from './sign-in';
import { runSignInHistory, signInHistoryReport } from './sign-in-history';
import { runTokens, tokensReport } from './tokens';
import {
  benchAdminToken,
  ROOT,
  serverSettings,
  startServer,
  type RunningServer,
  type ServerSettings,
  type Target,
} from './servers';
import type { LoadResult, LoadSpec } from './workload';
import {
  LIST_WRITES_DATABASE,
  WRITES_DATABASE,
  dropFindIndexes,
  findPgbench,
  preparePlainTables,
  resetUpdateTables,
  resetWriteTables,
  runWriteLoad,
  UPDATES_DATABASE,
  type WriteKind,
  type WriteMeasurement,
  type WriteSpec,
  type WriteTarget,
} from './writes';

const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const out = (text: string) => process.stdout.write(`${text}\n`);

const running = new Set<RunningServer>();
/** The replicas suite's clusters while they run, for an interrupted run to close. */
let replicated: ReplicatedPostgres | undefined;
let database: BenchDatabase | undefined;

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exit(2);
  }
  if (options.loader === 'wrk' && !wrkInstalled()) throw new Error('--loader wrk: wrk is not installed');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const tag = `b${Date.now().toString(36)}`;

  const db = (database = await openBenchDatabase(log));
  const secret = randomBytes(32).toString('base64url');
  // production requires a key of sign-in secrets at rest; the servers inherit it
  process.env.TOTP_KEY ??= randomBytes(32).toString('base64');
  // the service's own defaults for everything the environment does not set
  const config = loadConfig({ ...process.env, NODE_ENV: 'production', JWT_SECRET: secret, DATABASE_URL: database.url });
  const hashCost = { logN: config.HASH_LOG_N, r: config.HASH_R, p: config.HASH_P };
  await seed({ url: database.url, users: options.users, hashCost, force: options.reseed, log });
  await removeCreatedUsers(database.url);

  // long enough for any run, however many rounds
  const token = benchAdminToken(config, secret, 7 * 24 * 3600);
  const settings: ServerSettings = serverSettings(config, {
    databaseUrl: database.url,
    jwtSecret: secret,
    cores: options.serverCores,
  });
  const machine = await describeMachine(database, options, config.DB_POOL_SIZE);
  log(machine);

  /** What the load generator sends for `scenario` to `baseUrl`, the same in every suite; `tag` marks its creates. */
  const loadSpec = (suffix: string, scenario: ScenarioKey, baseUrl: string, users: number): LoadSpec => ({
    baseUrl,
    token,
    users,
    connections: options.connections,
    durationSeconds: options.durationSeconds,
    warmupSeconds: options.warmupSeconds,
    tag: `${tag}-${suffix}`,
    ...SCENARIOS[scenario].load(users),
  });
  const results: Record<string, unknown> = { options, machine };
  const load = (s: LoadSpec) => runLoad(s, options.loader, options.loadCores);
  if (options.suites.includes('service')) {
    results.service = await serviceSuite();
  }
  if (options.suites.includes('writes')) {
    results.writes = await writesSuite();
  }
  if (options.suites.includes('scale')) {
    results.scale = await scaleSuite();
  }
  if (options.suites.includes('replicas')) {
    results.replicas = await replicasSuite();
  }
  if (options.suites.includes('find')) {
    results.find = await findSuite();
  }
  if (options.suites.includes('sign-in')) {
    results.signIn = await signInSuite();
  }
  if (options.suites.includes('tokens')) {
    results.tokens = await tokensSuite();
  }

  async function serviceSuite() {
    // fresh processes for every round, so each round's figures (peak RSS above all) owe nothing to
    // what earlier scenarios left behind in the heap or in malloc's arenas
    let servers = await startAll(settings);
    for (const raw of ['baseline', 'raw'] as const) {
      const checked = await checkParity(servers[raw], servers.service, token, options.users);
      await removeCreatedUsers(db.url);
      log(`${raw} and service answer alike: ${checked.join('; ')}`);
    }

    const spec = (target: Target, scenario: ScenarioKey, extra: Partial<LoadSpec> = {}): LoadSpec => ({
      ...loadSpec(target, scenario, servers[target].baseUrl, options.users),
      ...extra,
    });
    const postgres = await PostgresMeter.open(db.url);

    const measurements: Measurement[] = [];
    const singles: SingleRequest[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      if (round > 1) servers = await startAll(settings);
      // alternate who goes first, so a drift of the machine over time favours neither
      for (const scenario of options.scenarios) {
        for (const target of firstInRound(round)) {
          const meter = new ProcessMeter(servers[target].pid);
          meter.start();
          await postgres.start();
          let result: LoadResult;
          let reads: LoadResult | undefined;
          if (scenario === 'create-read') {
            // creates keep scrypt busy while the reads measure what is left for everyone else
            [result, reads] = await Promise.all([
              load(spec(target, scenario, { connections: options.createConnections })),
              load(spec(target, 'rest-read')),
            ]);
          } else {
            result = await load(spec(target, scenario));
          }
          const pgCores = await postgres.stop();
          const { peakRssBytes, cores } = meter.stop();
          if (scenario === 'create-read') await removeCreatedUsers(db.url);
          const measurement: Measurement = {
            round,
            scenario,
            target,
            load: result,
            ...(reads ? { reads } : {}),
            peakRssBytes,
            cores,
            pgCores,
          };
          measurements.push(measurement);
          log(describeMeasurement(measurement, options.rounds));
        }
      }
    }
    // in fresh processes again: a response of every user is the largest memory peak of all
    if (options.limitZero) {
      servers = await startAll(settings);
      for (let round = 1; round <= options.rounds; round++) {
        // one request: the session check's statement makes no difference, the raw server is left out
        for (const target of firstInRound(round).filter((target) => target !== 'raw')) {
          const single: SingleRequest = { round, target, ...(await limitZero(servers[target], token)) };
          singles.push(single);
          log(`limit=0 round ${round} ${target}: ${describeLimitZero(single)}`);
        }
      }
    }
    await stopAll();
    await postgres.close();

    const report = buildReport(measurements, singles, options.scenarios, options.users);
    out(`\n## Results (${options.rounds} rounds × ${options.durationSeconds} s, medians)\n\n${machine}\n`);
    out(report.table);
    out(`\nTargets (issues 6, 13 and 23):\n${formatChecks(report.checks)}`);
    for (const warning of report.warnings) out(`WARNING: ${warning}`);

    const profiles: Record<string, string> = {};
    if (options.profile.length > 0) {
      out('\n## Where the service’s time goes (CPU profile of the main thread, measured window only)');
      for (const scenario of options.profile) {
        const summary = await profileService(scenario, settings, spec, load, stamp);
        profiles[scenario] = summary;
        out(`\n### ${SCENARIOS[scenario].title}\n\n${summary}`);
      }
    }
    return { measurements, singles, report, profiles };
  }

  /** pgbench, or node-postgres where it is missing (or as --write-loader says). */
  function writeLoader() {
    const pgbench = findPgbench();
    const loader = options.writeLoader ?? (pgbench ? 'pgbench' : 'node-postgres');
    if (loader === 'pgbench' && !pgbench) throw new Error('--write-loader pgbench: pgbench is not installed');
    if (!pgbench && !options.writeLoader) {
      log(
        'writes: pgbench not found (PATH, /usr/lib/postgresql/*/bin); sending the transactions over node-postgres instead ' +
          '(pgbench comes with PostgreSQL: apt-get install postgresql-15)',
      );
    }
    return { pgbench, loader };
  }

  /** The scale suite's large database, seeded with --scale-users users (kept between runs); the seconds it took to seed. */
  async function scaleDatabase(): Promise<{ url: string; seedSeconds: number | undefined }> {
    const url = await db.other(SCALE_DATABASE);
    const started = Date.now();
    const seeded = await seed({ url, users: options.scaleUsers, hashCost, force: options.reseed, log });
    await removeCreatedUsers(url);
    return { url, seedSeconds: seeded ? (Date.now() - started) / 1000 : undefined };
  }

  async function writesSuite() {
    const url = await db.other(WRITES_DATABASE);
    const { pgbench, loader } = writeLoader();
    // issue 12's list index alone: its schema without issue 20's additions, and those tables without it
    const listUrl = await db.other(LIST_WRITES_DATABASE);
    await dropFindIndexes(listUrl);
    await preparePlainTables(listUrl);
    // updates pick random users among --users seeded ones, in a database of their own (kept between runs)
    const updatesUrl = await db.other(UPDATES_DATABASE);
    await seed({ url: updatesUrl, users: options.users, hashCost, force: options.reseed, log });
    /** Issue 12's pair in the list index's own database, the outbox's on the whole schema. */
    const createsUrl = (target: WriteTarget) => (target === 'plain' || target === 'unindexed' ? listUrl : url);
    const measurements: WriteMeasurement[] = [];
    const measure = async (round: number, kind: WriteKind, target: WriteTarget, connections: number) => {
      const spec: WriteSpec = {
        url: kind === 'update' ? updatesUrl : createsUrl(target),
        kind,
        target,
        users: options.users,
        connections,
        durationSeconds: options.durationSeconds,
        warmupSeconds: options.warmupSeconds,
      };
      if (kind === 'create') await resetWriteTables(spec.url);
      else await resetUpdateTables(updatesUrl);
      const result = await runWriteLoad(spec, loader, pgbench, options.loadCores);
      measurements.push({ round, kind, connections, target, loader, load: result });
      log(
        `writes round ${round}/${options.rounds} ${String(connections).padStart(3)} connections ${kind} ${target.padEnd(7)}` +
          ` ${result.rps.toFixed(1)} tx/s p50 ${result.p50Ms.toFixed(2)} ms p99 ${result.p99Ms.toFixed(2)} ms` +
          (result.errors > 0 ? ` (${result.errors} failed!)` : ''),
      );
    };
    for (let round = 1; round <= options.rounds; round++) {
      for (const connections of options.writeConnections) {
        // the list index (issue 12) beside the tables without it, and the outbox (issue 21) beside
        // the same transaction without its event, alternating the order
        const order: WriteTarget[] = ['plain', 'unindexed', 'indexed', 'outbox'];
        if (round % 2 === 0) order.reverse();
        for (const target of order) await measure(round, 'create', target, connections);
        const updated = order.filter((t) => t === 'indexed' || t === 'outbox');
        for (const target of updated) await measure(round, 'update', target, connections);
      }
    }
    await resetWriteTables(url);
    await resetWriteTables(listUrl);
    await resetUpdateTables(updatesUrl);
    const report = buildWriteReport(measurements, options.writeConnections);
    out(
      `\n## Writes (${options.rounds} rounds × ${options.durationSeconds} s, medians): the create transaction ` +
        `straight to PostgreSQL, into the service's schema without issue 20's additions (the list index alone) ` +
        `and into the same tables without the list index\n`,
    );
    out(report.table);
    out(`\nTargets (issue 12):\n${formatChecks(report.checks)}`);
    const outbox = buildOutboxReport(measurements, options.writeConnections);
    out(
      `\n### The outbox (issue 21): each create and each update (a PUT of a random one of ${options.users} seeded ` +
        `users) with its event in the same transaction, against it without (${loader})\n`,
    );
    out(outbox.table);
    out(`\nTargets (issue 21, the bare transactions):\n${formatChecks(outbox.checks)}`);
    // the same pairs through the service, in the updates' database (its seeded users)
    const serviceMeasurements = await runServiceWrites({
      settings: { ...settings, databaseUrl: updatesUrl },
      users: options.users,
      rounds: options.rounds,
      connections: options.writeConnections,
      spec: (workload, baseUrl, connections) => ({
        baseUrl,
        token,
        workload,
        users: options.users,
        connections,
        durationSeconds: options.durationSeconds,
        warmupSeconds: options.warmupSeconds,
        tag: `${tag}-writes`,
      }),
      // always autocannon: wrk's script sends neither of these writes
      load: (spec) => runLoad(spec, 'autocannon', options.loadCores),
      log,
      track,
      untrack: (server) => running.delete(server),
    });
    const throughService = buildOutboxReport(serviceMeasurements, options.writeConnections, 'service');
    out(
      `\n### The outbox through the service (issue 21): the service's creates (POST of a user signing in by email ` +
        `code: no hash) and PUTs (of a random one of ${options.users} seeded users) over REST, against the same ` +
        `service recording no events (bench/without-events.ts)\n`,
    );
    out(throughService.table);
    out(`\nTargets (issue 21, through the service):\n${formatChecks(throughService.checks)}`);
    for (const warning of [...report.warnings, ...outbox.warnings, ...throughService.warnings]) {
      out(`WARNING: ${warning}`);
    }
    return { loader, measurements, report, outbox, serviceMeasurements, throughService };
  }

  async function scaleSuite() {
    const { url, seedSeconds } = await scaleDatabase();
    const scaled = await runScale({
      databases: {
        small: { url: db.url, users: options.users },
        large: { url, users: options.scaleUsers },
      },
      settings,
      rounds: options.rounds,
      spec: (scenario, baseUrl, users) => loadSpec('scale', scenario, baseUrl, users),
      load,
      limitZero: options.limitZero ? (server) => limitZero(server, token) : undefined,
      log,
      track,
      untrack: (server) => running.delete(server),
    });
    const report = buildScaleReport(scaled);
    out(
      `\n## Scale (${options.rounds} rounds × ${options.durationSeconds} s, medians): the service on ` +
        `${options.users.toLocaleString('en-US')} and on ${options.scaleUsers.toLocaleString('en-US')} users\n`,
    );
    if (seedSeconds !== undefined) {
      out(`Seeded ${options.scaleUsers.toLocaleString('en-US')} users in ${seedSeconds.toFixed(0)} s.\n`);
    }
    out(report.table);
    out(`\nTargets (issue 12):\n${formatChecks(report.checks)}`);
    for (const warning of report.warnings) out(`WARNING: ${warning}`);
    return { seedSeconds, ...scaled, report };
  }

  async function findSuite() {
    const { url, seedSeconds } = await scaleDatabase();
    // the creates' databases: the real schema, and it without issue 20's indexes, each with --users seeded users
    const writeDatabases = {
      indexed: await db.other(FIND_WRITES_DATABASE),
      unindexed: await db.other(FIND_UNINDEXED_DATABASE),
    };
    await dropFindIndexes(writeDatabases.unindexed);
    for (const writeUrl of Object.values(writeDatabases)) {
      await seed({ url: writeUrl, users: options.users, hashCost, force: options.reseed, log });
    }
    const { pgbench, loader } = writeLoader();
    const found = await runFind({
      databases: {
        small: { url: db.url, users: options.users },
        large: { url, users: options.scaleUsers },
      },
      writeDatabases,
      settings,
      token,
      rounds: options.rounds,
      connections: options.connections,
      durationSeconds: options.durationSeconds,
      warmupSeconds: options.warmupSeconds,
      writeConnections: options.writeConnections,
      writeLoader: loader,
      pgbench,
      loadCores: options.loadCores,
      // each scenario says its own workload
      spec: (baseUrl, users) => loadSpec('find', 'rest-read', baseUrl, users),
      load,
      log,
      track,
      untrack: (server) => running.delete(server),
    });
    const report = buildFindReport(found);
    out(
      `\n## Find, sort and cursor at scale (${options.rounds} rounds × ${options.durationSeconds} s, medians): the service on ` +
        `${options.users.toLocaleString('en-US')} and on ${options.scaleUsers.toLocaleString('en-US')} users (issue 20)\n`,
    );
    if (seedSeconds !== undefined) {
      out(`Seeded ${options.scaleUsers.toLocaleString('en-US')} users in ${seedSeconds.toFixed(0)} s.\n`);
    }
    out(`Checked before measuring: ${found.checked.join('; ')}.\n`);
    out(report.tables);
    out(`\nTargets (issue 20):\n${formatChecks(report.checks)}`);
    out(`\nWithout a target:\n${report.notes.map((note) => `  ${note}`).join('\n')}`);
    for (const warning of report.warnings) out(`WARNING: ${warning}`);
    return { seedSeconds, ...found, report };
  }

  async function signInSuite() {
    const signIns = await runSignIns({
      // every passkey sign-in begins with a stored challenge, limited per client address: not here
      settings: { ...settings, env: { PASSKEY_CHALLENGES_PER_ADDRESS_PER_HOUR: '1000000' } },
      token,
      rounds: options.rounds,
      connections: options.connections,
      durationSeconds: options.durationSeconds,
      warmupSeconds: options.warmupSeconds,
      log,
      track,
      untrack: (server) => running.delete(server),
    });
    out(
      `\n## Sign-in (${options.rounds} rounds × ${options.durationSeconds} s, medians): by password (scrypt, ` +
        `log2 N = ${hashCost.logN}) and by passkey (options, then the signed answer), ${options.connections} callers\n`,
    );
    out(`Checked: ${signIns.checked}.\n`);
    out(signInReport(signIns.measurements));
    const history = await runSignInHistory(db.url, options.rounds, log);
    out(
      `\n## A sign-in's look at its user's history (${options.rounds} rounds, medians): the sign-ins' index against none\n`,
    );
    out(`Checked: ${history.checked}.\n`);
    out(signInHistoryReport(history.measurements));
    return { ...signIns, history };
  }

  async function tokensSuite() {
    const tokens = await runTokens({
      settings,
      token,
      rounds: options.rounds,
      connections: options.connections,
      durationSeconds: options.durationSeconds,
      warmupSeconds: options.warmupSeconds,
      log,
      track,
      untrack: (server) => running.delete(server),
    });
    out(
      `\n## Tokens (${options.rounds} rounds; in the process ${'5,000'} operations, through the service ` +
        `${options.durationSeconds} s with ${options.connections} callers; medians): ES256 (JWT_SIGNING_KEY) against HS256\n`,
    );
    out(`Checked: ${tokens.checked}.\n`);
    out(tokensReport(tokens.measurements));
    return tokens;
  }

  async function replicasSuite() {
    const binDir = findPostgresServer();
    if (!binDir) {
      out(`\n## Replicas: skipped, ${POSTGRESQL_SERVER_MISSING}`);
      return { skipped: POSTGRESQL_SERVER_MISSING };
    }
    const replicas = await runReplicas({
      binDir,
      users: options.users,
      hashCost,
      settings,
      rounds: options.rounds,
      spec: (scenario, baseUrl, users) => loadSpec('replicas', scenario, baseUrl, users),
      load,
      log,
      track,
      untrack: (server) => running.delete(server),
      started: (cluster) => (replicated = cluster),
    });
    replicated = undefined;
    const report = buildReplicaReport(replicas.measurements);
    out(
      `\n## Replicas (${options.rounds} rounds × ${options.durationSeconds} s, medians): the service reading on a ` +
        `streaming replica against the primary alone, ${options.users.toLocaleString('en-US')} users\n`,
    );
    out(
      `${replicas.postgres}; seeded in ${replicas.seedSeconds.toFixed(1)} s, replayed ${replicas.catchUpSeconds.toFixed(1)} s later. ` +
        'The primary and the replica share this machine with the service and the load generator: no throughput ' +
        'gain is to be expected, only what the routing costs.\n',
    );
    out(report.table);
    out(`\nChecks (issue 12: reads on the replica):\n${formatChecks(report.checks)}`);
    for (const warning of report.warnings) out(`WARNING: ${warning}`);
    return { ...replicas, report };
  }

  const resultsDir = path.join(ROOT, 'bench/.results');
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `bench-${stamp}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  log(`raw results in ${path.relative(process.cwd(), file)}`);
  await db.close();
}

/** Odd rounds start with the raw servers, even ones with the service. */
function firstInRound(round: number): Target[] {
  return round % 2 ? ['raw', 'baseline', 'service'] : ['service', 'baseline', 'raw'];
}

async function startAll(settings: ServerSettings): Promise<Record<Target, RunningServer>> {
  await stopAll();
  const servers = {
    baseline: track(await startServer('baseline', settings)),
    raw: track(await startServer('raw', settings)),
    service: track(await startServer('service', settings)),
  };
  log(
    Object.values(servers)
      .map((server) => `${server.target} pid ${server.pid} at ${server.baseUrl}`)
      .join(', '),
  );
  return servers;
}

/** One limit=0 answer in a log line: complete or what is wrong, its size, time and the server's peak RSS. */
function describeLimitZero(single: LimitZeroResult): string {
  return (
    `${single.status}, ${single.items} of ${single.total} users, ${mb(single.bytes)} in ${single.ms.toFixed(0)} ms, ` +
    `peak RSS ${mb(single.peakRssBytes)}${single.complete ? '' : ` (INCOMPLETE: ${single.problem})`}`
  );
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const pct = (cores: number) => (Number.isFinite(cores) ? `${(cores * 100).toFixed(0)}%` : '—');

function describeMeasurement(m: Measurement, rounds: number): string {
  const { load, reads } = m;
  const problems = load.non2xx + load.errors + (reads ? reads.non2xx + reads.errors : 0);
  return (
    `round ${m.round}/${rounds} ${m.scenario.padEnd(11)} ${m.target.padEnd(8)} ${load.rps.toFixed(1)} req/s` +
    ` p50 ${load.p50Ms.toFixed(2)} ms p99 ${load.p99Ms.toFixed(2)} ms` +
    (reads ? `; reads ${reads.rps.toFixed(1)} req/s p99 ${reads.p99Ms.toFixed(2)} ms` : '') +
    `; peak RSS ${mb(m.peakRssBytes)}, CPU server ${pct(m.cores)} PostgreSQL ${pct(m.pgCores)} load ${pct(load.loaderCores)}` +
    (problems > 0 ? ` (${problems} non-2xx responses or errors!)` : '')
  );
}

function track(server: RunningServer): RunningServer {
  running.add(server);
  return server;
}

async function stopAll(): Promise<void> {
  await Promise.all([...running].map((server) => server.stop()));
  running.clear();
}

/**
 * A fresh service under `node --cpu-prof`: warmed up, then loaded for the measured duration,
 * then stopped gracefully so V8 writes the profile. Only the measured window is summarised
 * (start-up, module loading and the warm-up are left out).
 */
async function profileService(
  scenario: ScenarioKey,
  settings: ServerSettings,
  spec: (target: Target, scenario: ScenarioKey, extra?: Partial<LoadSpec>) => LoadSpec,
  load: (spec: LoadSpec) => Promise<LoadResult>,
  stamp: string,
): Promise<string> {
  const dir = path.join(ROOT, 'bench/.profiles');
  const name = `service-${scenario}-${stamp}`;
  const threads = path.join(dir, name);
  mkdirSync(threads, { recursive: true });
  const server = track(await startServer('service', settings, { dir: threads }));
  const base = spec('service', scenario);
  const run = (extra: Partial<LoadSpec>) => load({ ...base, baseUrl: server.baseUrl, warmupSeconds: 0, ...extra });
  log(`profiling the service under ${scenario}`);
  await run({ durationSeconds: Math.max(2, base.warmupSeconds) });
  const started = performance.now();
  const result = await run({});
  const ended = performance.now();
  await server.stop();
  running.delete(server);
  const exited = performance.now();
  // V8's names end in .<pid>.<thread id>.<sequence>.cpuprofile; the main thread is thread 0
  const main = readdirSync(threads).find((entry) => entry.endsWith('.cpuprofile') && entry.split('.')[4] === '0');
  if (!main) throw new Error(`no profile of the main thread in ${threads}`);
  const file = path.join(dir, `${name}.cpuprofile`);
  renameSync(path.join(threads, main), file);
  rmSync(threads, { recursive: true, force: true });
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const windowMs = Math.round(ended - started);
  const skipLastMs = Math.round(exited - ended);
  const summary = summarise(profile, { windowMs, skipLastMs });
  const header =
    `${result.rps.toFixed(0)} req/s while profiled (the profiler costs some); ` +
    `npx tsx bench/profile-summary.ts ${path.relative(ROOT, file)} --window-ms ${windowMs} --skip-last-ms ${skipLastMs}`;
  writeFileSync(path.join(dir, `${name}.summary.txt`), `${header}\n${summary}\n`);
  return `${header}\n\n${summary}`;
}

async function describeMachine(db: BenchDatabase, options: BenchOptions, poolSize: number): Promise<string> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const { rows } = await client.query<{ server_version: string }>('show server_version');
  await client.end();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const pinning = canPin
    ? `servers pinned to core ${options.serverCores}, load generator to core ${options.loadCores} (taskset); PostgreSQL unpinned`
    : 'no pinning (taskset missing or a single core)';
  return [
    `Machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${os.release()}; Node ${process.version}; PostgreSQL ${rows[0]?.server_version ?? '?'} (${db.description})`,
    `Load average before the run: ${os
      .loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')} (other work on the machine skews every figure)`,
    `Load: ${options.loader}, ${options.connections} connections (${options.createConnections} for creates), ${options.warmupSeconds} s warm-up + ${options.durationSeconds} s per measurement, ${options.rounds} interleaved rounds; ${options.users.toLocaleString('en-US')} users; DB pool ${poolSize} each; ${pinning}`,
  ].join('\n');
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the servers`);
    void stopAll()
      .then(() => replicated?.close())
      .then(() => database?.close())
      .finally(() => process.exit(130));
  });
}

main().catch(async (error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  await stopAll();
  await replicated?.close().catch(() => undefined);
  await database?.close();
  process.exit(1);
});
