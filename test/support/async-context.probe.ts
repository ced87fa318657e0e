// Run by test/async-context.test.ts in a process of its own (nothing else there turns async hooks
// on): opens the database at PROBE_DATABASE_URL as the service does, then reports whether promises
// are tracked by async hooks before, during and after MikroORM's scopes: a transaction, a flush and
// findAndCount. Prints one JSON line.
import { executionAsyncId } from 'node:async_hooks';
import { TransactionContext } from '@mikro-orm/postgresql';
import { User } from '../../entities';
import { openDatabase } from '../../server/database/open-database';

/** Whether async hooks track promises now: a promise reaction runs with an async id only then. */
const tracked = async () => (await Promise.resolve().then(() => executionAsyncId())) !== 0;

async function main(): Promise<void> {
  const orm = await openDatabase({ url: process.env.PROBE_DATABASE_URL!, poolSize: 2 });
  const seen: Record<string, unknown> = { afterStart: await tracked() };
  await orm.em.fork().transactional(async (tx) => {
    await tx.execute('select 1');
    seen.insideTransaction = await tracked();
    seen.contextInside = TransactionContext.getEntityManager() === tx;
  });
  seen.afterTransaction = await tracked();
  await orm.em.fork().flush();
  seen.afterFlush = await tracked();
  await orm.em.fork().findAndCount(User, {}, { limit: 1 });
  seen.afterFindAndCount = await tracked();
  await orm.close(true);
  process.stdout.write(`PROBE ${JSON.stringify(seen)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`probe failed: ${String(error)}\n`);
  process.exit(1);
});
