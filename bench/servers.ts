// The servers under test, each in a process of its own on the server core(s): the raw baseline
// (bench/baseline.ts) with the service's session check (`baseline`) and without it (`raw`: one
// statement per read, issue 23), and the real service, started with `npm start`'s Node flags on its
// TypeScript sources (`node <flags> --require tsx/cjs server/start/main.ts`; `npm start` itself runs
// the compiled build/, see bench/startup.ts for the two side by side), configured only through
// its environment.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../dev/embedded-postgres/embedded-postgres';
import { startPinned, waitForHttp, type Child } from './processes';
import type { Config } from '../server/config/config';
import { TokenService } from '../server/crypto/token-service';

export const ROOT = path.resolve(__dirname, '..');

/** `baseline`: the raw server with the session check's statement; `raw`: without it; `service`: the service. */
export type Target = 'baseline' | 'raw' | 'service';

export interface ServerSettings {
  databaseUrl: string;
  /** A streaming replica of databaseUrl to send reads to (DATABASE_REPLICA_URLS); none when undefined. */
  replicaUrl?: string;
  jwtSecret: string;
  issuer: string;
  audience: string;
  hashLogN: number;
  hashR: number;
  hashP: number;
  poolSize: number;
  /** taskset core list for the server, or undefined to leave it unpinned. */
  cores: string | undefined;
  /** The service without its outbox (bench/without-events.ts): the baseline of the outbox's cost. */
  withoutEvents?: boolean;
  /** Settings of a suite's own, over the rest (the sign-in suite's limits). */
  env?: Record<string, string>;
}

/** What a server is started with, from the service's configuration and the run's JWT secret. */
export function serverSettings(
  config: Config,
  run: { databaseUrl: string; jwtSecret: string; cores: string | undefined },
): ServerSettings {
  return {
    ...run,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    hashLogN: config.HASH_LOG_N,
    hashR: config.HASH_R,
    hashP: config.HASH_P,
    poolSize: config.DB_POOL_SIZE,
  };
}

/** An admin token the servers started with `secret` accept, for `ttlSeconds` (a day by default). */
export function benchAdminToken(config: Config, secret: string, ttlSeconds = 24 * 3600): string {
  return new TokenService({
    secret,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    ttlSeconds: config.TOKEN_TTL_SECONDS,
    clockToleranceSeconds: config.TOKEN_CLOCK_TOLERANCE_SECONDS,
  }).issue({ id: 'bench', role: 'admin' }, ttlSeconds).token;
}

export interface RunningServer extends Child {
  target: Target;
  baseUrl: string;
}

/** `--cpu-prof` writes one profile per thread (tsx's loader runs in a worker): a folder of their own. */
export interface ProfileOptions {
  dir: string;
}

export async function startServer(target: Target, settings: ServerSettings, profile?: ProfileOptions) {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: settings.databaseUrl,
    // set either way, so a DATABASE_REPLICA_URLS of the bench's own environment never reaches a server
    DATABASE_REPLICA_URLS: settings.replicaUrl ?? '',
    JWT_SECRET: settings.jwtSecret,
    JWT_ISSUER: settings.issuer,
    JWT_AUDIENCE: settings.audience,
    HASH_LOG_N: String(settings.hashLogN),
    HASH_R: String(settings.hashR),
    HASH_P: String(settings.hashP),
    DB_POOL_SIZE: String(settings.poolSize),
    // warnings and errors only: no per-request logging in what is measured
    LOG_LEVEL: 'warn',
    // no balancer to tell before a stop: without this, every stop of a server waits 10 s
    SHUTDOWN_DRAIN_DELAY_MS: '0',
    // the raw server leaves out the session check's statement (bench/baseline.ts)
    BASELINE_SESSION_CHECK: target === 'raw' ? 'off' : 'on',
    ...settings.env,
  };
  // the service with `npm start`'s Node flags, on its sources (no build to keep fresh); the
  // baseline with the same TypeScript loader
  const args =
    target === 'service'
      ? startCommandArgs(settings.withoutEvents ?? false)
      : ['--require', 'tsx/cjs', path.join(ROOT, 'bench/baseline.ts')];
  const profiling = profile ? ['--cpu-prof', '--cpu-prof-dir', profile.dir] : [];
  const child = startPinned(target, settings.cores, process.execPath, [...profiling, ...args], env);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(child, `${baseUrl}/`);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { ...child, target, baseUrl } satisfies RunningServer;
}

/**
 * The Node flags of package.json's start script, then the TypeScript entry point through tsx (after
 * bench/without-events.ts when the outbox's baseline is wanted).
 */
function startCommandArgs(withoutEvents: boolean): string[] {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const [command, ...args] = manifest.scripts.start.split(/\s+/);
  if (command !== 'node') throw new Error(`npm start is not a node command: ${manifest.scripts.start}`);
  const flags = args.filter((arg) => arg.startsWith('-'));
  const baseline = withoutEvents ? ['--require', path.join(ROOT, 'bench/without-events.ts')] : [];
  return [...flags, '--require', 'tsx/cjs', ...baseline, path.join(ROOT, 'server/start/main.ts')];
}
