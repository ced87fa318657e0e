// One way to reach each table: users and emails through their entities, every other table by SQL
// alone (mikro-orm.config.ts, SQL_ONLY_TABLES). What MikroORM would generate as the next migration
// from the entities, against a database with every committed migration applied, must leave those
// tables alone: without the list of them it would drop the sign-in tables, and every code with them.
import assert from 'node:assert/strict';
import type { MikroORM } from '@mikro-orm/postgresql';
import { SQL_ONLY_TABLES } from '../mikro-orm.config';
import { openDatabase } from '../server/database/open-database';
import { createTestDatabase, type TestDatabase } from './support/test-database';

describe('the schema the entities describe', () => {
  let database: TestDatabase;
  let orm: MikroORM;

  before(async () => {
    database = await createTestDatabase();
    orm = await openDatabase({ url: database.url });
  });
  after(async () => {
    await orm?.close(true);
    await database?.drop();
  });

  it('names every table the migrations make: an entity, or SQL_ONLY_TABLES', async () => {
    const rows = await orm.em.execute<Array<{ name: string }>>(
      `select table_name as name from information_schema.tables
        where table_schema = 'public' and table_name <> 'mikro_orm_migrations'`,
    );
    const entityTables = Object.values(orm.getMetadata().getAll())
      .filter((meta) => !meta.abstract && !meta.embeddable)
      .map((meta) => meta.tableName);
    assert.deepEqual(rows.map((row) => row.name).sort(), [...entityTables, ...SQL_ONLY_TABLES].sort());
  });

  it('a migration generated from the entities drops and alters none of the SQL-only tables', async () => {
    const sql = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    assert.doesNotMatch(sql, /drop table/i);
    for (const table of SQL_ONLY_TABLES) assert.ok(!sql.includes(`"${table}"`), `${table} is left alone:\n${sql}`);
  });

  it('keeps a hash for every address that signs in with a password (0, or 2 with TOTP), and none is needed for 1 or 3', async () => {
    const insert = (authMethod: number, hash: string | null) =>
      orm.em.execute(`insert into emails (address, auth_method, password_hash) values (?, ?, ?)`, [
        `schema.${authMethod}.${hash === null ? 'none' : 'hash'}@example.com`,
        authMethod,
        hash,
      ]);
    for (const authMethod of [0, 2]) {
      await assert.rejects(insert(authMethod, null), /emails_password_check/);
      await insert(authMethod, 'c2NyeXB0-a-hash');
    }
    for (const authMethod of [1, 3]) await insert(authMethod, null);
  });
});
