// MikroORM's AsyncLocalStorage no longer leaves async hooks on for every promise of the process
// once a transaction has run (server/database/async-context.ts), and its transaction context still
// holds while transactions overlap: one ending never clears another's. Names the seam: the Node
// storage internals and the three MikroORM entry points it wraps.
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { MikroORM } from '@mikro-orm/postgresql';
import { TransactionContext } from '@mikro-orm/postgresql';
import { MIKRO_ORM_SCOPES, storagesUseHooks } from '../server/database/async-context';
import { openDatabase } from '../server/database/open-database';
import { runScript } from './support/process';
import { createTestDatabase, type TestDatabase } from './support/test-database';

describe('MikroORM’s async context', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let orm: MikroORM;

  before(async () => {
    database = await createTestDatabase();
    orm = await openDatabase({ url: database.url, poolSize: 4 });
  });
  after(async () => {
    await orm?.close(true);
    await database?.drop();
  });

  it('the seam is where it was: Node’s storages turn on with _enable, MikroORM’s scopes are functions', () => {
    // Node 20: storages on async hooks; a later Node without them needs none of this
    assert.equal(
      storagesUseHooks(),
      typeof (AsyncLocalStorage.prototype as { _enable?: unknown })._enable === 'function',
    );
    for (const [owner, name] of MIKRO_ORM_SCOPES) {
      assert.equal(typeof (owner as Record<string, unknown>)[name], 'function', name);
    }
  });

  it('promises are tracked only while a transaction, a flush or findAndCount runs', async function () {
    if (!storagesUseHooks()) this.skip();
    const probe = runScript('test/support/async-context.probe.ts', [], {
      ...process.env,
      PROBE_DATABASE_URL: database.url,
    });
    const [, line = ''] = await probe.waitFor(/^PROBE (.*)$/m);
    assert.deepEqual(JSON.parse(line), {
      afterStart: false,
      insideTransaction: true,
      contextInside: true,
      afterTransaction: false,
      afterFlush: false,
      afterFindAndCount: false,
    });
    assert.equal((await probe.exited).code, 0);
  });

  it('a transaction that ends while another runs leaves the other its context and its connection', async () => {
    const txid = async (em: { execute: (sql: string) => Promise<Array<{ id: string }>> }) =>
      (await em.execute('select txid_current()::text as id'))[0]?.id;
    let releaseFirst!: () => void;
    const firstMayEnd = new Promise<void>((resolve) => (releaseFirst = resolve));
    let secondMayGoOn!: () => void;
    const firstEnded = new Promise<void>((resolve) => (secondMayGoOn = resolve));

    const first = orm.em.fork().transactional(async (tx) => {
      await tx.execute('select 1');
      await firstMayEnd;
    });
    const second = orm.em.fork().transactional(async (tx) => {
      const own = await txid(tx);
      releaseFirst();
      await firstEnded;
      // the first transaction has ended and its scope closed; this one is still open
      assert.equal(TransactionContext.getEntityManager(), tx, 'the context of the running transaction');
      // the global EntityManager joins the transaction of the context it runs in
      assert.equal(await txid(orm.em), own, 'a statement through the context runs in this transaction');
      await orm.em.transactional(async (nested) => assert.equal(await txid(nested), own, 'nested joins it'));
    });
    await first;
    secondMayGoOn();
    await second;
    // and after both, a new transaction has its context again
    await orm.em.fork().transactional(async (tx) => {
      await tx.execute('select 1');
      assert.equal(TransactionContext.getEntityManager(), tx);
    });
  });
});
