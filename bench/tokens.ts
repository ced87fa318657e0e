// The tokens suite: what ES256 access tokens (JWT_SIGNING_KEY, verifiable by a product's backends
// with the published keys) cost against HS256 ones (JWT_SECRET alone), side by side in one run,
// round after round, alternating which goes first:
// - in the bench's process, the token service itself: signing a token, and verifying one it has
//   not seen (the service keeps a verdict per token, so a client's later requests skip this);
// - through the service, two servers on the same database, one with a signing key and one
//   without: token refreshes (each signs a new access token; the session's row is rotated too),
//   and reads by id where every request carries a token the server has not seen (more distinct
//   tokens than its verdict cache holds): the worst case of verification, every request paying it;
// - and a third server, ES256 with TOKEN_APP_METADATA, whose refreshes read the user's app
//   metadata (two keys set on every user) into each new token: against the ES256 server's refreshes;
// - asking whether a live token stands: a machine client's introspection (RFC 7662, a form with HTTP
//   Basic: the client's keyed hash, its limit, the token's session check) against the token's own
//   `GET /auth/session` (the session check alone), on the ES256 server.
// `connections` callers in a closed loop each.
import { performance } from 'node:perf_hooks';
import { newSigningKey } from '../server/crypto/signing-keys';
import { TokenService, type TokenSettings } from '../server/crypto/token-service';
import { apiOf, closedLoop, type ServiceSuiteRun } from './closed-loop';
import { markdownTable, median } from './report';
import { startServer, type RunningServer } from './servers';

export type TokenAlgorithm = 'HS256' | 'ES256';
/** The servers: HS256, ES256, and ES256 whose tokens carry app metadata (refreshes only). */
export type TokenVariant = TokenAlgorithm | typeof WITH_METADATA;
export const WITH_METADATA = 'ES256 + app metadata';
export type TokenScenario = 'sign' | 'verify' | 'refresh' | 'read with a new token' | LivenessScenario;
/** Two ways to ask whether a token is live, compared with each other. */
export type LivenessScenario = 'introspect' | 'session check';

export interface TokenMeasurement {
  round: number;
  scenario: TokenScenario;
  algorithm: TokenVariant;
  /** Operations a second (in the process: on one core, nothing else running in it). */
  perSecond: number;
  /** Through the service; NaN in the process. */
  p50Ms: number;
  p99Ms: number;
  failures: number;
}

/** Its token is HS256: both servers accept it. */
export type TokensRun = ServiceSuiteRun;

const PASSWORD = 'a tokens bench passphrase';
const IN_PROCESS_OPERATIONS = 5_000;
/** Above the service's verdict cache (10,000 tokens): cycling through them, none is ever cached. */
const FRESH_TOKENS = 25_000;

export async function runTokens(run: TokensRun): Promise<{ measurements: TokenMeasurement[]; checked: string }> {
  const { material, key } = newSigningKey();
  const base: TokenSettings = {
    secret: run.settings.jwtSecret,
    issuer: run.settings.issuer,
    audience: run.settings.audience,
    ttlSeconds: 3600,
    clockToleranceSeconds: 30,
  };
  const services: Record<TokenAlgorithm, () => TokenService> = {
    HS256: () => new TokenService(base),
    ES256: () => new TokenService({ ...base, signingKey: key }),
  };
  const es256 = { ...run.settings.env, JWT_SIGNING_KEY: material };
  const servers: Record<TokenVariant, RunningServer> = {
    HS256: await startServer('service', run.settings),
    ES256: await startServer('service', { ...run.settings, env: es256 }),
    [WITH_METADATA]: await startServer('service', {
      ...run.settings,
      env: { ...es256, TOKEN_APP_METADATA: 'plan,orgId' },
    }),
  };
  Object.values(servers).forEach(run.track);
  const made: string[] = [];
  try {
    const api = apiOf(servers.HS256.baseUrl);
    const reader = await api('POST', '/users', person('reader'), run.token);
    if (reader.status !== 200) throw new Error(`creating the read user: ${reader.status}`);
    made.push(String(reader.body.id));
    const emails: string[] = [];
    for (let i = 0; i < run.connections; i++) {
      const body = person(`refresh-${i}`);
      const created = await api('POST', '/users', body, run.token);
      if (created.status !== 200) throw new Error(`creating a user: ${created.status}`);
      made.push(String(created.body.id));
      emails.push(body.email.email);
      // what a product keeps there: the carried keys, and one no token carries
      const app = { plan: 'team', orgId: `org-${i % 7}`, seats: 25 };
      const written = await api('PUT', `/users/${String(created.body.id)}/metadata`, { app }, run.token);
      if (written.status !== 200) throw new Error(`writing a user's metadata: ${written.status}`);
    }
    // each server's tokens as it signs them, none seen by it yet
    const fresh = Object.fromEntries(
      (['HS256', 'ES256'] as const).map((algorithm) => {
        const tokens = services[algorithm]();
        const list = Array.from({ length: FRESH_TOKENS }, () => tokens.issue({ id: 'bench', role: 'admin' }).token);
        return [algorithm, list];
      }),
    ) as Record<TokenAlgorithm, string[]>;
    const readPath = `/users/${made[0]}`;
    await checkAnswers(servers, fresh, readPath, emails);
    const asker = await registerAsker(servers.ES256.baseUrl, run.token, emails);
    made.push(...asker.users);

    const measurements: TokenMeasurement[] = [];
    for (let round = 1; round <= run.rounds; round++) {
      const pair: TokenAlgorithm[] = round % 2 ? ['HS256', 'ES256'] : ['ES256', 'HS256'];
      for (const scenario of ['sign', 'verify', 'refresh', 'read with a new token'] as const) {
        // the three refreshes take turns in each place of the round (a place late in a round, after
        // the others' rotations, is slower): each in each place twice in six rounds
        const refreshes: TokenVariant[] = ['HS256', 'ES256', WITH_METADATA];
        const turn = (round - 1) % 3;
        const order: TokenVariant[] =
          scenario !== 'refresh' ? pair : [...refreshes.slice(turn), ...refreshes.slice(0, turn)];
        for (const algorithm of order) {
          const measured =
            scenario === 'sign' || scenario === 'verify'
              ? inProcess(services[algorithm as TokenAlgorithm], scenario)
              : await throughService(
                  run,
                  servers[algorithm].baseUrl,
                  scenario,
                  fresh[algorithm as TokenAlgorithm] ?? [],
                  readPath,
                  emails,
                );
          measurements.push({ round, scenario, algorithm, ...measured });
          run.log(`tokens round ${round} ${scenario} ${algorithm}: ${measured.perSecond.toFixed(0)}/s`);
        }
      }
      const liveness: LivenessScenario[] =
        round % 2 ? ['introspect', 'session check'] : ['session check', 'introspect'];
      for (const scenario of liveness) {
        const measured = await askLiveness(run, servers.ES256.baseUrl, scenario, asker);
        measurements.push({ round, scenario, algorithm: 'ES256', ...measured });
        run.log(`tokens round ${round} ${scenario}: ${measured.perSecond.toFixed(0)}/s`);
      }
    }
    return {
      measurements,
      checked:
        `both servers answer 200 to a read with each of their first tokens and a refresh of each user's session; ` +
        `the ES256 server's tokens carry alg ES256, ${FRESH_TOKENS.toLocaleString('en')} distinct tokens per server; ` +
        `the third server's sign-in and refreshed tokens carry the user's plan and orgId, and not its seats`,
    };
  } finally {
    const api = apiOf(servers.HS256.baseUrl);
    for (const id of made.filter((id) => !id.startsWith('client:'))) {
      await api('DELETE', `/users/${id}`, undefined, run.token);
    }
    for (const id of made.filter((id) => id.startsWith('client:'))) {
      await api('DELETE', `/clients/${id.slice('client:'.length)}`, undefined, run.token);
    }
    for (const server of Object.values(servers)) {
      await server.stop();
      run.untrack(server);
    }
  }
}

/** A machine client that asks, and the ES256 server's tokens of the callers' users it asks about. */
interface Asker {
  basic: string;
  tokens: string[];
  /** What to remove after: the client, as `client:<id>`. */
  users: string[];
}

async function registerAsker(baseUrl: string, adminToken: string, emails: string[]): Promise<Asker> {
  const api = apiOf(baseUrl);
  const client = await api('POST', '/clients', { name: 'tokens bench gateway', access: 'read' }, adminToken);
  if (client.status !== 200) throw new Error(`registering the asking client: ${client.status}`);
  const basic = Buffer.from(`${String(client.body.id)}:${String(client.body.clientSecret)}`).toString('base64');
  const tokens: string[] = [];
  for (const email of emails) {
    const signedIn = await api('POST', '/auth/token', { email, password: PASSWORD });
    tokens.push(String(signedIn.body.token));
  }
  const asker = { basic, tokens, users: [`client:${String(client.body.id)}`] };
  for (const token of tokens) {
    const answer = await introspect(baseUrl, asker.basic, token);
    if (answer.status !== 200 || answer.body.active !== true) throw new Error(`introspection: ${answer.status}`);
  }
  return asker;
}

async function introspect(baseUrl: string, basic: string, token: string) {
  const response = await fetch(`${baseUrl}/api/v2/auth/oauth2/introspect`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }).toString(),
  });
  return { status: response.status, body: (await response.json()) as { active?: boolean } };
}

/** Each caller asking about its own user's live token, by introspection or by the token itself. */
async function askLiveness(run: TokensRun, baseUrl: string, scenario: LivenessScenario, asker: Asker) {
  const api = apiOf(baseUrl);
  const call = async (caller: number): Promise<boolean> => {
    const token = asker.tokens[caller % asker.tokens.length]!;
    if (scenario === 'session check') return (await api('GET', '/auth/session', undefined, token)).status === 200;
    const answer = await introspect(baseUrl, asker.basic, token);
    return answer.status === 200 && answer.body.active === true;
  };
  await closedLoop(run.connections, run.warmupSeconds, call);
  return closedLoop(run.connections, run.durationSeconds, call);
}

function person(label: string) {
  const email = `tokens-bench-${label}-${Date.now()}@example.com`;
  return {
    name: `tokens${label.replace(/\W/g, '')}`,
    age: 30,
    gender: 0,
    email: { email, authMethod: 0, password: PASSWORD },
  };
}

/** Signing, or verifying tokens the verifier has not seen, in this process: operations a second. */
function inProcess(make: () => TokenService, scenario: 'sign' | 'verify') {
  const tokens = make();
  const principal = { id: 'bench', role: 'admin' as const };
  if (scenario === 'sign') {
    const started = performance.now();
    for (let i = 0; i < IN_PROCESS_OPERATIONS; i++) tokens.issue(principal);
    return { perSecond: IN_PROCESS_OPERATIONS / ((performance.now() - started) / 1000), ...NO_LATENCY };
  }
  const issued = Array.from({ length: IN_PROCESS_OPERATIONS }, () => tokens.issue(principal).token);
  const verifier = make();
  const started = performance.now();
  for (const token of issued) verifier.verify(token);
  return { perSecond: IN_PROCESS_OPERATIONS / ((performance.now() - started) / 1000), ...NO_LATENCY };
}

const NO_LATENCY = { p50Ms: NaN, p99Ms: NaN, failures: 0 };

/** `connections` callers for the warm-up, then for the measured seconds. */
async function throughService(
  run: TokensRun,
  baseUrl: string,
  scenario: 'refresh' | 'read with a new token',
  fresh: string[],
  readPath: string,
  emails: string[],
) {
  const api = apiOf(baseUrl);
  let next = 0;
  // each caller's own session, begun on this server for this measurement
  const sessions: string[] = [];
  if (scenario === 'refresh') {
    for (const email of emails) {
      const signedIn = await api('POST', '/auth/token', { email, password: PASSWORD });
      sessions.push(String(signedIn.body.refreshToken));
    }
  }
  const call = async (caller: number): Promise<boolean> => {
    if (scenario === 'read with a new token') {
      const token = fresh[next++ % fresh.length]!;
      return (await api('GET', readPath, undefined, token)).status === 200;
    }
    const refreshed = await api('POST', '/auth/refresh', { refreshToken: sessions[caller] });
    sessions[caller] = String(refreshed.body.refreshToken);
    return refreshed.status === 200;
  };
  await closedLoop(run.connections, run.warmupSeconds, call);
  return closedLoop(run.connections, run.durationSeconds, call);
}

/** Before measuring: both servers take their own tokens, sessions refresh, and the algorithms are as said. */
async function checkAnswers(
  servers: Record<TokenVariant, RunningServer>,
  fresh: Record<TokenAlgorithm, string[]>,
  readPath: string,
  emails: string[],
): Promise<void> {
  for (const algorithm of ['HS256', 'ES256'] as const) {
    const api = apiOf(servers[algorithm].baseUrl);
    const header = JSON.parse(Buffer.from(fresh[algorithm][0]!.split('.')[0]!, 'base64url').toString()) as {
      alg: string;
    };
    if (header.alg !== algorithm) throw new Error(`the ${algorithm} tokens are ${header.alg}`);
    const read = await api('GET', readPath, undefined, fresh[algorithm][0]);
    if (read.status !== 200) throw new Error(`${algorithm} server: a read answered ${read.status}`);
    const signedIn = await api('POST', '/auth/token', { email: emails[0], password: PASSWORD });
    const issued = String(signedIn.body.token).split('.')[0]!;
    if ((JSON.parse(Buffer.from(issued, 'base64url').toString()) as { alg: string }).alg !== algorithm) {
      throw new Error(`the ${algorithm} server signed a sign-in's token otherwise`);
    }
    const refreshed = await api('POST', '/auth/refresh', { refreshToken: signedIn.body.refreshToken });
    if (refreshed.status !== 200) throw new Error(`${algorithm} server: a refresh answered ${refreshed.status}`);
    if ('app_metadata' in claimsOf(refreshed.body.token))
      throw new Error(`the ${algorithm} server's token carries metadata`);
  }
  const api = apiOf(servers[WITH_METADATA].baseUrl);
  const signedIn = await api('POST', '/auth/token', { email: emails[0], password: PASSWORD });
  const refreshed = await api('POST', '/auth/refresh', { refreshToken: signedIn.body.refreshToken });
  for (const token of [signedIn.body.token, refreshed.body.token]) {
    const carried = JSON.stringify(claimsOf(token).app_metadata);
    if (carried !== JSON.stringify({ plan: 'team', orgId: 'org-0' })) {
      throw new Error(`the ${WITH_METADATA} server's token carries ${carried}`);
    }
  }
}

/** A token's claims, unverified (the bench reads what its own servers issued). */
function claimsOf(token: unknown): Record<string, unknown> {
  return JSON.parse(Buffer.from(String(token).split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
}

/** The suite's tables: the algorithms, the refreshes with app metadata beside ES256's, introspection beside the session check. */
export function tokensReport(measurements: TokenMeasurement[]): string {
  const of = (scenario: TokenScenario, algorithm: TokenVariant) =>
    measurements.filter((m) => m.scenario === scenario && m.algorithm === algorithm);
  const scenarios = [...new Set(measurements.filter((m) => m.algorithm === 'HS256').map((m) => m.scenario))];
  const algorithms = sideBySide(
    ['HS256', 'ES256', 'ES256 / HS256'],
    scenarios.map((scenario) => [scenario, of(scenario, 'HS256'), of(scenario, 'ES256')] as const),
  );
  const metadata = sideBySide(
    ['ES256', 'ES256 + app metadata', 'with / without'],
    [['refresh', of('refresh', 'ES256'), of('refresh', WITH_METADATA)]],
  );
  const liveness = sideBySide(
    ['GET /auth/session', 'POST /auth/oauth2/introspect', 'introspect / session'],
    [['a live token', of('session check', 'ES256'), of('introspect', 'ES256')]],
  );
  return (
    `${algorithms}\n\nRefreshes whose tokens carry app metadata (TOKEN_APP_METADATA), against ES256's without:\n\n${metadata}` +
    `\n\nAsking whether a live token stands (ES256): a machine client's introspection against the token's own session check:\n\n${liveness}`
  );
}

/**
 * A table of pairs measured in the same rounds: per row, each side's median of the rounds with its
 * range and p50, the median (and range) of each round's ratio of the second to the first, failures.
 */
function sideBySide(
  [first, second, ratio]: readonly [string, string, string],
  rows: ReadonlyArray<readonly [string, TokenMeasurement[], TokenMeasurement[]]>,
): string {
  return markdownTable(
    [
      'per second',
      `${first} (range)`,
      'p50 ms',
      `${second} (range)`,
      'p50 ms',
      `${ratio}: median of rounds (range)`,
      'failures',
    ],
    rows.map(([name, base, other]) => {
      const ratios = base.map((b) => (other.find((o) => o.round === b.round)?.perSecond ?? NaN) / b.perSecond);
      return [
        name,
        figure(base),
        p50(base),
        figure(other),
        p50(other),
        `${median(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`,
        String([...base, ...other].reduce((sum, m) => sum + m.failures, 0)),
      ];
    }),
  );
}

function figure(list: TokenMeasurement[]): string {
  const rates = list.map((m) => m.perSecond);
  return `${fmt(median(rates))} (${fmt(Math.min(...rates))}–${fmt(Math.max(...rates))})`;
}

function p50(list: TokenMeasurement[]): string {
  const value = median(list.map((m) => m.p50Ms));
  return Number.isFinite(value) ? value.toFixed(2) : '—';
}

const fmt = (value: number) => Math.round(value).toLocaleString('en');
