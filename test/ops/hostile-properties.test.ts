// Property-based hostile input (fast-check) over both surfaces: arbitrary JSON bodies, query
// strings and path ids are answered 2xx or 4xx, never 5xx, and a rejected request leaves the
// database exactly as it was. Seeded (FC_SEED overrides) and bounded to run in seconds; on a
// failure fast-check prints the seed and the shrunk counterexample.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { newUserBody } from '../support/fixtures';
import { startTestService, type TestService } from '../support/service';

const SEED = Number(process.env.FC_SEED ?? 20261128);
const RUNS = Number(process.env.FC_RUNS ?? 120);

/** How many cases the properties below ran, for the report at the end. */
let casesRun = 0;

describe('hostile input, property-based', function () {
  this.timeout(120_000);
  let service: TestService;
  let existingId: string;

  before(async () => {
    service = await startTestService();
    existingId = (await service.caller().users.create(newUserBody({ id: 'fuzz-target' }))).id;
  });
  after(async () => {
    console.log(`      fast-check: ${casesRun} cases (seed ${SEED})`);
    await service.close();
  });

  const snapshot = async () =>
    JSON.stringify([
      await service.sql('select * from users order by id'),
      await service.sql('select * from emails order by id'),
    ]);

  /** Sends one request; fails on a 5xx, and on any change to the database when it was refused. */
  async function send(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
    casesRun += 1;
    const before = await snapshot();
    const response = await fetch(`${service.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${service.adminToken}`, 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await response.text();
    assert.ok(
      response.status < 500,
      `${method} ${path} ${body?.slice(0, 200) ?? ''} answered ${response.status} ${text}`,
    );
    if (response.status >= 400) assert.equal(await snapshot(), before, `${method} ${path} was refused but wrote`);
    return response.status;
  }

  // strings of any code point (control characters, surrogate halves, RTL marks, emoji...)
  const anyString = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom('', ' ', '0', '-1', '1e3', '0x10', 'NaN', 'null', 'true', '4294967296', "1' OR '1'='1", '%00'),
    fc.bigInt().map(String),
  );
  const anyJson = fc.jsonValue({ maxDepth: 4 });
  // a valid body with any of its fields replaced or removed: closer to the edges than pure noise
  const mutatedBody = fc
    .record({
      field: fc.constantFrom(
        'id',
        'name',
        'age',
        'gender',
        'email',
        'email.email',
        'email.authMethod',
        'email.password',
      ),
      value: fc.option(fc.oneof(anyJson, anyString, fc.double(), fc.integer()), { nil: undefined }),
    })
    .map(({ field, value }) => {
      const body = newUserBody() as Record<string, any>;
      const [head, tail] = field.split('.') as [string, string | undefined];
      if (tail) body[head][tail] = value;
      else body[head] = value;
      return body;
    });
  const bodies = fc.oneof(anyJson, mutatedBody);
  // a path segment that reaches the server as the string, whatever it holds
  const encode = (value: string) => encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '\ufffd'));

  const property = (name: string, arbitrary: fc.Arbitrary<unknown>, check: (value: any) => Promise<unknown>) =>
    it(name, () =>
      fc.assert(
        fc.asyncProperty(arbitrary, async (value) => {
          await check(value);
        }),
        { seed: SEED, numRuns: RUNS },
      ),
    );

  describe('over REST', () => {
    property('POST /api/v2/users with any body', bodies, (body) => send('POST', '/api/v2/users', JSON.stringify(body)));
    property('PUT /api/v2/users/{id} with any body', bodies, (body) =>
      send('PUT', `/api/v2/users/${existingId}`, JSON.stringify(body)),
    );
    property(
      'any path id, on every method',
      fc.tuple(anyString, fc.constantFrom('GET', 'PUT', 'DELETE')),
      ([id, method]) =>
        send(method, `/api/v2/users/${encode(id)}`, method === 'PUT' ? JSON.stringify(newUserBody()) : undefined),
    );
    property('any list query string', fc.tuple(anyString, anyString), ([offset, limit]) =>
      send('GET', `/api/v2/users?offset=${encode(offset)}&limit=${encode(limit)}`),
    );
  });

  describe('over native tRPC', () => {
    property('users.create with any input', bodies, (body) => send('POST', '/trpc/users.create', JSON.stringify(body)));
    property('users.update with any input', bodies, (body) =>
      send('POST', '/trpc/users.update', JSON.stringify({ ...(typeof body === 'object' ? body : {}), id: existingId })),
    );
    property(
      'users.read and users.list with any input',
      fc.tuple(anyJson, fc.constantFrom('read', 'list')),
      ([input, name]) => send('GET', `/trpc/users.${name}?input=${encode(JSON.stringify(input) ?? 'null')}`),
    );
  });
});
