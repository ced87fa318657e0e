// The sign-in suite: what a sign-in costs the service, by password (scrypt at the service's own
// cost) and by passkey (two calls: the options, whose challenge is stored, then the answer, an
// ECDSA signature checked and the challenge taken), side by side in one run, round after round,
// alternating which goes first, against the same service on the same database. Each sign-in begins
// a session, as every real one does. The passkeys sign with the software authenticator the tests
// use (dev/testing/soft-authenticator.ts), in the bench's process; `connections` callers sign in
// in a closed loop, each as a user of its own.
import { SoftAuthenticator } from '../dev/testing/soft-authenticator';
import { apiOf, closedLoop, type Api, type ServiceSuiteRun } from './closed-loop';
import { markdownTable, median } from './report';
import { startServer } from './servers';

export type SignInMethod = 'password' | 'passkey';

export interface SignInMeasurement {
  round: number;
  method: SignInMethod;
  /** Completed sign-ins per second (a passkey's: both calls). */
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
}

export type SignInRun = ServiceSuiteRun;

const PASSWORD = 'a sign-in bench passphrase';

interface Person {
  id: string;
  email: string;
  authenticator: SoftAuthenticator;
}

export async function runSignIns(run: SignInRun): Promise<{ measurements: SignInMeasurement[]; checked: string }> {
  const server = await startServer('service', run.settings);
  run.track(server);
  const api = apiOf(server.baseUrl);
  const origin = server.baseUrl.replace('127.0.0.1', 'localhost');
  const people: Person[] = [];
  try {
    for (let i = 0; i < run.connections; i++) people.push(await newPerson(api, run.token, origin, i));
    const measurements: SignInMeasurement[] = [];
    for (let round = 1; round <= run.rounds; round++) {
      const order: SignInMethod[] = round % 2 ? ['password', 'passkey'] : ['passkey', 'password'];
      for (const method of order) {
        await measure(api, people, method, run.warmupSeconds);
        const measured = await measure(api, people, method, run.durationSeconds);
        measurements.push({ round, method, ...measured });
        run.log(
          `sign-in round ${round} ${method}: ${measured.perSecond.toFixed(0)}/s, p50 ${measured.p50Ms.toFixed(1)} ms`,
        );
      }
    }
    return {
      measurements,
      checked: `${people.length} users, each signing in by password and by its own passkey (every answer 200)`,
    };
  } finally {
    for (const person of people) await api('DELETE', `/users/${person.id}`, undefined, run.token);
    await server.stop();
    run.untrack(server);
  }
}

type CreationOptions = Parameters<SoftAuthenticator['create']>[0];
type RequestOptions = Parameters<SoftAuthenticator['get']>[0];

/** A user who signs in by password, with a passkey it added (a recent sign-in, as the service asks). */
async function newPerson(api: Api, admin: string, origin: string, index: number): Promise<Person> {
  const email = `sign-in-bench-${index}-${Date.now()}@example.com`;
  const made = await api(
    'POST',
    '/users',
    { name: `bench${index}`, age: 30, gender: 0, email: { email, authMethod: 0, password: PASSWORD } },
    admin,
  );
  if (made.status !== 200) throw new Error(`creating a sign-in user: ${made.status} ${JSON.stringify(made.body)}`);
  const signedIn = await api('POST', '/auth/token', { email, password: PASSWORD });
  const token = String(signedIn.body.token);
  const authenticator = new SoftAuthenticator(origin);
  const options = await api('POST', '/auth/passkeys/registration-options', {}, token);
  const added = await api(
    'POST',
    '/auth/passkeys',
    { credential: authenticator.create(options.body as unknown as CreationOptions) },
    token,
  );
  if (added.status !== 200) throw new Error(`adding a passkey: ${added.status} ${JSON.stringify(added.body)}`);
  return { id: String(made.body.id), email, authenticator };
}

/** One closed-loop caller per person, signing in by `method` for `seconds`. */
function measure(api: Api, people: Person[], method: SignInMethod, seconds: number) {
  return closedLoop(people.length, seconds, (caller) =>
    method === 'password' ? byPassword(api, people[caller]!) : byPasskey(api, people[caller]!),
  );
}

async function byPassword(api: Api, person: Person): Promise<boolean> {
  return (await api('POST', '/auth/token', { email: person.email, password: PASSWORD })).status === 200;
}

async function byPasskey(api: Api, person: Person): Promise<boolean> {
  const options = await api('POST', '/auth/passkeys/sign-in-options', {});
  if (options.status !== 200) return false;
  const credential = person.authenticator.get(options.body as unknown as RequestOptions);
  return (await api('POST', '/auth/passkeys/sign-in', { credential })).status === 200;
}

/** The suite's table: per method, the medians of the rounds and their ranges. */
export function signInReport(measurements: SignInMeasurement[]): string {
  const cell = (values: number[], digits: number) =>
    `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
  const rows = (['password', 'passkey'] as const).map((method) => {
    const mine = measurements.filter((m) => m.method === method);
    return [
      method,
      cell(
        mine.map((m) => m.perSecond),
        0,
      ),
      cell(
        mine.map((m) => m.p50Ms),
        1,
      ),
      cell(
        mine.map((m) => m.p99Ms),
        1,
      ),
      String(mine.reduce((sum, m) => sum + m.failures, 0)),
    ];
  });
  return markdownTable(['sign-in', 'per second: median (range)', 'p50 ms', 'p99 ms', 'failures'], rows);
}
