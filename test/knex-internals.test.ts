// The seam in server/database/knex-internals.ts: knex's client lends node-postgres connections,
// and a transaction's client lends the transaction's own, so a prepared statement sent on it
// (preparedInTransaction, how every event is recorded) commits and rolls back with the
// transaction. Checked against knex as installed, on a database of the test server.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { CHECKED_KNEX_VERSION, transactionConnection } from '../server/database/knex-internals';
import { openDatabase } from '../server/database/open-database';
import { preparedInTransaction } from '../server/database/request-database';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const ROOT = path.join(__dirname, '..');
const readJson = (file: string): any => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8'));

const NOTE = { name: 'knex_internals_note', text: 'insert into notes (text) values ($1)' };

describe('knex under MikroORM (server/database/knex-internals.ts)', () => {
  let database: TestDatabase;
  let orm: MikroORM;

  before(async () => {
    database = await createTestDatabase();
    orm = await openDatabase({ url: database.url });
    await orm.em.getConnection().execute('create table notes (id serial primary key, text text not null unique)');
  });
  after(async () => {
    await orm?.close(true);
    await database?.drop();
  });
  beforeEach(() => orm.em.getConnection().execute('truncate notes'));

  const notes = async () =>
    (await orm.em.getConnection().execute<Array<{ text: string }>>('select text from notes order by id')).map(
      (row) => row.text,
    );

  it('is read off the knex that the pinned @mikro-orm/knex pins, exactly', () => {
    const mikroKnex = readJson('node_modules/@mikro-orm/knex/package.json');
    assert.equal(mikroKnex.dependencies.knex, CHECKED_KNEX_VERSION);
    assert.equal(readJson('node_modules/knex/package.json').version, CHECKED_KNEX_VERSION);
  });

  it("lends the transaction's own connection: it sees the transaction's uncommitted rows, and commits with it", async () => {
    await orm.em.fork().transactional(async (tx) => {
      await tx.execute(`insert into notes (text) values ('through MikroORM')`);
      const connection = await transactionConnection(tx);
      const { rows } = await connection.query({ name: '', text: 'select count(*)::int as n from notes', values: [] });
      assert.deepEqual(rows, [{ n: 1 }], 'the uncommitted row is visible: the same connection');
      await preparedInTransaction(tx, NOTE, ['prepared']);
      // nothing is visible outside until the commit
      assert.deepEqual(await notes(), []);
    });
    assert.deepEqual(await notes(), ['through MikroORM', 'prepared']);
  });

  it('rolls back with the transaction', async () => {
    await assert.rejects(
      orm.em.fork().transactional(async (tx) => {
        await preparedInTransaction(tx, NOTE, ['rolled back']);
        throw new Error('the change fails after the statement');
      }),
      /the change fails after the statement/,
    );
    assert.deepEqual(await notes(), []);
  });

  it("turns PostgreSQL's errors into MikroORM's exception classes, as for its own statements", async () => {
    await assert.rejects(
      orm.em.fork().transactional(async (tx) => {
        await preparedInTransaction(tx, NOTE, ['twice']);
        await preparedInTransaction(tx, NOTE, ['twice']);
      }),
      { name: 'UniqueConstraintViolationException' },
    );
    assert.deepEqual(await notes(), []);
  });

  it('refuses outside a transaction rather than send the statement elsewhere', async () => {
    await assert.rejects(transactionConnection(orm.em.fork()), /not inside a transaction/);
    await assert.rejects(preparedInTransaction(orm.em.fork(), NOTE, ['outside']), /not inside a transaction/);
    assert.deepEqual(await notes(), []);
  });
});
