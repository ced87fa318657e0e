// The seam in server/database/replica-internals.ts: where MikroORM keeps the connections of its `replicas`
// option, which the service reads to send a read to one replica it chose (MikroORM's own
// `getConnection('read')` picks at random). Checked against MikroORM as installed, with replica
// URLs that are databases on the test server (only where each connection leads matters here).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { CHECKED_MIKRO_ORM_VERSION, REPLICAS_FIELD, replicaConnections } from '../server/database/replica-internals';
import { openDatabase } from '../server/database/open-database';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const ROOT = path.join(__dirname, '..');
const readJson = (file: string): any => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8'));

describe('MikroORM replicas (server/database/replica-internals.ts)', () => {
  const databases: TestDatabase[] = [];
  let orm: MikroORM;

  before(async () => {
    for (let i = 0; i < 3; i += 1) databases.push(await createTestDatabase());
    const [primary, ...replicas] = databases.map((database) => database.url);
    orm = await openDatabase({ url: primary!, replicaUrls: replicas });
  });
  after(async () => {
    await orm?.close(true);
    for (const database of databases) await database.drop();
  });

  it('is read off the pinned MikroORM: every @mikro-orm/* package at that version, exactly', () => {
    const manifest = readJson('package.json');
    const names = Object.keys(manifest.dependencies).filter((name) => name.startsWith('@mikro-orm/'));
    assert.ok(names.length >= 3);
    for (const name of names) {
      assert.equal(manifest.dependencies[name], CHECKED_MIKRO_ORM_VERSION, `${name} is pinned`);
      assert.equal(
        readJson(`node_modules/${name}/package.json`).version,
        CHECKED_MIKRO_ORM_VERSION,
        `${name} installed`,
      );
    }
  });

  it(`finds one connection per replica, in order, in the driver's \`${REPLICAS_FIELD}\``, async () => {
    const connections = replicaConnections(orm);
    assert.equal(connections.length, 2);
    const names = await Promise.all(
      connections.map(async (connection) => {
        const [row] = await connection.execute<Array<{ name: string }>>('select current_database() as name');
        return row?.name;
      }),
    );
    assert.deepEqual(
      names,
      databases.slice(1).map((database) => new URL(database.url).pathname.slice(1)),
    );
  });

  it("is what MikroORM's own read connections are drawn from, and never the primary", () => {
    const connections = replicaConnections(orm);
    const driver = orm.em.getDriver();
    for (let i = 0; i < 20; i += 1) assert.ok(connections.includes(driver.getConnection('read') as never));
    assert.ok(!connections.includes(driver.getConnection('write') as never));
  });

  it('stops with a message naming this file when the field is not there', () => {
    const driver = orm.em.getDriver() as unknown as Record<string, unknown>;
    const kept = driver[REPLICAS_FIELD];
    driver[REPLICAS_FIELD] = undefined;
    try {
      assert.throws(() => replicaConnections(orm), /server\/database\/replica-internals\.ts/);
    } finally {
      driver[REPLICAS_FIELD] = kept;
    }
  });
});
