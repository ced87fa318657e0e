// The writes suite's transactions (bench/writes.ts) against a real migrated and seeded database:
// the SQL id of a seeded user is the dataset's, an update changes the picked user as the service
// would and, with the outbox, records the `user.updated` event the service's own user-changes.ts
// describes for that change (and none without it), a create adds its rows (and its event), and
// pgbench, where installed, runs the scripts in its own dialect. Speed is measured by
// `npm run bench -- --suites writes`, not here.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { seedRow, seededUserId } from '../../bench/dataset';
import { seed } from '../../bench/seed';
import {
  compileScript,
  findPgbench,
  pgbenchScript,
  seededUserIdSql,
  sendWriteTransaction,
  writeScript,
  WRITE_DOMAIN,
} from '../../bench/writes';
import { updateChanges } from '../../router/users/user-changes';
import { openDatabase } from '../../server/database/open-database';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { skipBecause } from '../support/prerequisites';

const USERS = 20;

describe('bench: the writes suite’s create and update transactions', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let client: pg.Client;

  before(async () => {
    database = await createTestDatabase();
    await (await openDatabase({ url: database.url, poolSize: 1 })).close(true);
    const hashCost = { logN: 10, r: 8, p: 1 };
    await seed({ url: database.url, users: USERS, hashCost, force: true, log: () => {} });
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  after(async () => {
    await client?.end();
    await database?.drop();
  });
  beforeEach(() => client.query('truncate events restart identity'));

  const events = async () =>
    (await client.query<{ type: string; user_id: string; data: unknown }>('select * from events order by id')).rows;
  const userRow = async (id: string) =>
    (
      await client.query<{ name: string; age: number; version: number; email_updated: Date }>(
        `select u.name, u.age, u.version, e.updated_at as email_updated
           from users u join emails e on e.id = u.email_id where u.id = $1`,
        [id],
      )
    ).rows[0]!;

  it('computes a seeded user’s id in SQL as the dataset does', async () => {
    for (const index of [0, 1, 9, 15, 16, 255, 4097, 99_999, 1_999_999]) {
      const { rows } = await client.query<{ id: string }>(`select ${seededUserIdSql('$1::int')} as id`, [index]);
      assert.equal(rows[0]?.id, seededUserId(index), `user ${index}`);
    }
  });

  for (const target of ['outbox', 'indexed'] as const) {
    it(`updates the picked user ${target === 'outbox' ? 'and records the service’s user.updated event' : 'and records no event'}`, async () => {
      const index = target === 'outbox' ? 5 : 6;
      const id = seededUserId(index);
      const before = await userRow(id);
      const seeded = seedRow(index);
      // a name and age unlike the seeded ones, so both fields change
      const first = seeded.name.startsWith('Zoe') ? 1 : 147;
      const last = seeded.name.endsWith('Zimmermann') ? 1 : 261;
      const ageAfter = seeded.age === 87 ? 18 : 87;
      const script = writeScript('update', target, USERS);
      const values = new Map<string, unknown>([
        ['n', index],
        ['first', first],
        ['last', last],
        ['age_after', ageAfter],
      ]);
      await sendWriteTransaction(client, compileScript(script), values);

      const after = await userRow(id);
      const name = `${first === 1 ? 'Aaliyah' : 'Zoe'}_${last === 1 ? 'Abbott' : 'Zimmermann'}`;
      assert.equal(after.name, name);
      assert.equal(after.age, ageAfter);
      assert.equal(after.version, before.version + 1);
      assert.deepEqual(after.email_updated, before.email_updated, 'the email is kept, as the service keeps it');
      const recorded = await events();
      if (target === 'indexed') {
        assert.deepEqual(recorded, []);
        return;
      }
      assert.equal(recorded.length, 1);
      assert.equal(recorded[0]!.type, 'user.updated');
      assert.equal(recorded[0]!.user_id, id);
      const fields = { gender: seeded.gender, email: seeded.address, authMethod: seeded.authMethod };
      assert.deepEqual(
        recorded[0]!.data,
        updateChanges(
          { ...fields, name: before.name, age: before.age },
          { ...fields, name: after.name, age: after.age },
          false,
        ),
      );
    });
  }

  it('creates a user, with its user.created event on the outbox target only', async () => {
    const count = async () =>
      Number(
        (
          await client.query<{ n: string }>(
            `select count(*) as n from users u join emails e on e.id = u.email_id where e.address like $1`,
            [`%@${WRITE_DOMAIN}`],
          )
        ).rows[0]!.n,
      );
    const start = await count();
    await sendWriteTransaction(client, compileScript(writeScript('create', 'indexed')), new Map());
    assert.equal(await count(), start + 1);
    // an address of the seeded users' kind (first.last<number>), its number the email's own id:
    // a trigram index pays per character, so the creates must not write longer texts than users have
    const { rows: written } = await client.query<{ id: number; address: string }>(
      `select id, address from emails where address like $1 order by id desc limit 1`,
      [`%@${WRITE_DOMAIN}`],
    );
    assert.match(
      written[0]!.address,
      new RegExp(`^[a-z]+\\.[a-z]+${written[0]!.id}@${WRITE_DOMAIN.replaceAll('.', '\\.')}$`),
    );
    assert.deepEqual(await events(), []);
    await sendWriteTransaction(client, compileScript(writeScript('create', 'outbox')), new Map());
    assert.equal(await count(), start + 2);
    assert.deepEqual(
      (await events()).map((event) => event.type),
      ['user.created'],
    );
  });

  it('runs in pgbench’s dialect (-M prepared), where pgbench is installed', async function () {
    const pgbench = findPgbench();
    if (pgbench === undefined) {
      skipBecause(this, 'pgbench', 'apt-get install postgresql-15 (Debian), which .ci/run installs');
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'writes-test-'));
    try {
      for (const kind of ['create', 'update'] as const) {
        const file = path.join(dir, `${kind}.sql`);
        writeFileSync(file, pgbenchScript(writeScript(kind, 'outbox', USERS)));
        const run: { status: number | null; stdout: string; stderr: string } = spawnSync(
          pgbench,
          ['-n', '-M', 'prepared', '-f', file, '-c', '2', '-t', '5', database.url],
          {
            encoding: 'utf8',
          },
        );
        assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
        assert.match(run.stdout, /number of transactions actually processed: 10\/10/);
      }
      assert.deepEqual(
        (await events()).map((event) => event.type),
        [...Array<string>(10).fill('user.created'), ...Array<string>(10).fill('user.updated')],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
