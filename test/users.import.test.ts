// Importing users from another system with their password hashes (POST /api/v2/users/import,
// `users.import`): hashes made by another implementation (hash-wasm: bcrypt, Argon2) sign their
// users in with the password they had, once re-hashed with this service's scrypt at the first
// sign-in; a batch is made whole or not at all, every problem named by its place; costs past the
// caps are refused (they would be paid at each sign-in); only admins import; no hash leaves.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { argon2d, argon2i, argon2id, bcrypt } from 'hash-wasm';
import { newUserBody, uniqueSuffix } from './support/fixtures';
import { restClient } from './support/rest';
import { historyOf } from './support/events';
import { startTestService, type TestService } from './support/service';

const IMPORT = '/api/v2/users/import';
const LOGIN = '/api/v2/auth/token';

const bcryptOf = (password: string, costFactor = 4) =>
  bcrypt({ password, salt: randomBytes(16), costFactor, outputType: 'encoded' });
const argon2Options = (password: string) => ({
  password,
  salt: randomBytes(16),
  parallelism: 1,
  iterations: 2,
  memorySize: 1024,
  hashLength: 32,
  outputType: 'encoded' as const,
});

/** A user of another system: its fields as the import takes them. */
function imported(authMethod: 0 | 1 | 2 | 3, passwordHash?: string) {
  const suffix = uniqueSuffix();
  return {
    name: `moved_${suffix}`,
    age: 41,
    gender: 2 as const,
    email: { email: `moved.${suffix}@example.com`, authMethod, ...(passwordHash ? { passwordHash } : {}) },
  };
}

describe('importing users with their password hashes', function () {
  this.timeout(60_000);
  let service: TestService;
  let admin: ReturnType<typeof restClient>;
  let api: ReturnType<typeof restClient>;

  before(async () => {
    service = await startTestService({ LOG_LEVEL: 'trace' });
    admin = restClient(service.baseUrl, service.adminToken);
    api = restClient(service.baseUrl);
  });
  after(() => service?.close());

  const storedHash = async (address: string) =>
    (
      await service.sql<{ password_hash: string | null }>('select password_hash from emails where address = ?', [
        address,
      ])
    )[0]?.password_hash;
  const emailsAt = async (addresses: string[]) =>
    Number(
      (await service.sql<{ n: string }>('select count(*) as n from emails where address in (?)', [addresses]))[0]?.n,
    );

  it('signs each user in with the password it had, then keeps it as its own scrypt hash', async () => {
    const passwords = ['lemon tree by the gate', 'tall ships at dawn', 'a quiet blue harbour', 'seven paper lanterns'];
    const bcrypt2a = await bcryptOf(passwords[0]!);
    const users = [
      imported(0, bcrypt2a),
      // PHP's and OpenBSD's prefixes of the same algorithm
      imported(0, (await bcryptOf(passwords[1]!)).replace(/^\$2a\$/, '$2y$')),
      imported(0, await argon2id(argon2Options(passwords[2]!))),
      imported(2, await argon2i(argon2Options(passwords[3]!))),
      imported(1),
      imported(3),
    ];
    users[0] = { ...users[0]!, id: `moved-${uniqueSuffix()}` } as (typeof users)[0];
    const answer = await admin.post(IMPORT, { users });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const items = answer.body.items as Array<{
      id: string;
      name: string;
      email: { email: string; authMethod: number };
    }>;
    assert.deepEqual(
      items.map((item) => [item.name, item.email.email, item.email.authMethod]),
      users.map((user) => [user.name, user.email.email, user.email.authMethod]),
      'every user, in the order sent',
    );
    assert.equal(items[0]?.id, (users[0] as { id?: string }).id, 'an id given is kept');
    assert.ok(!JSON.stringify(answer.body).includes('$2'), 'no hash in the answer');

    for (const [index, password] of passwords.slice(0, 3).entries()) {
      const address = users[index]!.email.email;
      assert.equal((await api.post(LOGIN, { email: address, password: `${password}!` })).status, 401);
      const first = await api.post(LOGIN, { email: address, password });
      assert.equal(first.status, 200, `${address}: ${JSON.stringify(first.body)}`);
      assert.ok(first.body.token);
      await service.background.idle();
      const hash = await storedHash(address);
      assert.ok(hash && !hash.startsWith('$'), `re-hashed with this service's scrypt: ${hash?.slice(0, 7)}`);
      assert.ok(service.passwords.needsRehash(hash) === false);
      assert.equal((await api.post(LOGIN, { email: address, password })).status, 200, 'and signs in again');
    }
    // password, then TOTP: the imported password opens the enrollment
    const totp = await api.post(LOGIN, { email: users[3]!.email.email, password: passwords[3] });
    assert.equal(totp.status, 200, JSON.stringify(totp.body));
    assert.equal(totp.body.challenge, 'totp_enroll');

    const history = await historyOf(service, items[0]!.id);
    const created = history.find((event) => event.type === 'user.created');
    assert.equal((created?.data as { imported?: boolean }).imported, true);
    assert.equal(created?.actor, 'test-admin');
    const said = JSON.stringify([history, service.logs]);
    assert.ok(!said.includes(bcrypt2a.slice(7)), 'no imported hash in an event or a log line');
  });

  it('takes a scrypt key of this service (a user moved from another instance) and Argon2d', async () => {
    const source = newUserBody();
    source.email.password = 'orchard wind at noon';
    assert.equal((await admin.post('/api/v2/users', source)).status, 200);
    const key = await storedHash(source.email.email);
    const users = [imported(0, key ?? ''), imported(0, await argon2d(argon2Options('three red kites')))];
    assert.equal((await admin.post(IMPORT, { users })).status, 200);
    assert.equal(
      (await api.post(LOGIN, { email: users[0]!.email.email, password: 'orchard wind at noon' })).status,
      200,
    );
    assert.equal((await api.post(LOGIN, { email: users[1]!.email.email, password: 'three red kites' })).status, 200);
  });

  it('refuses a batch with any problem, naming each by its place, and writes nothing', async () => {
    const cheap = await bcryptOf('whatever it was');
    const argon = await argon2id(argon2Options('whatever it was'));
    const duplicate = imported(0, cheap);
    const users = [
      imported(0, cheap),
      imported(0),
      imported(1, cheap),
      imported(0, 'md5:5f4dcc3b5aa765d61d8327deb882cf99'),
      imported(0, cheap.replace(/^\$2a\$04\$/, '$2a$15$')),
      imported(0, argon.replace(/m=1024/, 'm=262144')),
      duplicate,
      {
        ...duplicate,
        name: `other_${uniqueSuffix()}`,
        email: { ...duplicate.email, email: duplicate.email.email.toUpperCase() },
      },
    ];
    const answer = await admin.post(IMPORT, { users });
    assert.equal(answer.status, 400, JSON.stringify(answer.body));
    assert.deepEqual(String(answer.body.msg).split('; '), [
      'users.1.email.passwordHash: is required when email.authMethod is 0 (password) or 2 (totp)',
      'users.2.email.passwordHash: can only be set when email.authMethod is 0 (password) or 2 (totp)',
      'users.3.email.passwordHash: must be a bcrypt hash ($2a$, $2b$, $2y$), an Argon2 PHC string ($argon2id$…) or a scrypt key',
      'users.4.email.passwordHash: a bcrypt cost above 14 is refused',
      'users.5.email.passwordHash: Argon2 memory above 131072 KiB is refused',
      'users.7.email.email: is the address of users.6 too',
    ]);
    assert.ok(!String(answer.body.msg).includes(cheap.slice(7)), 'the hash is not repeated');
    assert.equal(await emailsAt(users.map((user) => user.email.email)), 0, 'nothing written');
  });

  it('answers 409 for an address or an id another user has, naming it, and writes nothing', async () => {
    const existing = newUserBody({ id: `taken-${uniqueSuffix()}` });
    assert.equal((await admin.post('/api/v2/users', existing)).status, 200);
    const users = [
      imported(1),
      { ...imported(1), email: { email: existing.email.email.toUpperCase(), authMethod: 1 } },
      { ...imported(1), id: existing.id },
    ];
    const answer = await admin.post(IMPORT, { users });
    assert.equal(answer.status, 409, JSON.stringify(answer.body));
    assert.deepEqual(String(answer.body.msg).split('; '), [
      'users.1.email.email: a user with this email address already exists',
      'users.2.id: a user with this id already exists',
    ]);
    assert.equal(await emailsAt([users[0]!.email.email]), 0);
  });

  it('takes at most 100 users a call, and only from an admin', async () => {
    const tooMany = await admin.post(IMPORT, { users: Array.from({ length: 101 }, () => imported(1)) });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.msg, 'users: must hold at most 100 users');
    assert.equal((await admin.post(IMPORT, { users: [] })).status, 400);

    const body = newUserBody();
    assert.equal((await admin.post('/api/v2/users', body)).status, 200);
    const { token } = (await api.post(LOGIN, { email: body.email.email, password: body.email.password })).body;
    const users = [imported(1)];
    assert.equal((await api.post(IMPORT, { users }, { token })).status, 403);
    assert.equal((await api.post(IMPORT, { users })).status, 401);
    assert.equal(await emailsAt([users[0]!.email.email]), 0);
  });

  it('is users.import over tRPC, with the same refusals', async () => {
    const user = imported(0, await bcryptOf('kettle on the stove'));
    const { items } = await service.caller().users.import({ users: [user] });
    assert.equal(items[0]?.email.email, user.email.email);
    await assert.rejects(
      service.caller().users.import({ users: [imported(0)] }),
      (error: unknown) => error instanceof TRPCError && error.code === 'BAD_REQUEST',
    );
    await assert.rejects(
      service.caller({ id: 'someone', role: 'user', issuedAt: Math.floor(Date.now() / 1000) }).users.import({
        users: [imported(1)],
      }),
      (error: unknown) => error instanceof TRPCError && error.code === 'FORBIDDEN',
    );
  });
});
