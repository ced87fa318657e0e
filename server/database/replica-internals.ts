// The one reach into MikroORM's internals for read replicas (test/replica-internals.test.ts names
// it). MikroORM builds one connection per entry of its `replicas` option, in order, and keeps them
// in the driver's protected `replicas` array; its only public way to them is
// `getConnection('read')`, which picks one at random, so it cannot skip one that is down or
// behind. This file reads that array (MikroORM 6.6.16, pinned exactly in package.json), and
// checks it is what it should be, so a MikroORM that keeps its replicas elsewhere stops start-up
// with a message instead of reading from the wrong place.
import { PostgreSqlConnection, type MikroORM } from '@mikro-orm/postgresql';

/** The seam: where MikroORM 6 keeps the replicas' connections. */
export const REPLICAS_FIELD = 'replicas';
/** The MikroORM version the seam was read off (every @mikro-orm/* package is pinned to it). */
export const CHECKED_MIKRO_ORM_VERSION = '6.6.16';

/** MikroORM's connection to each configured replica, in the order of the `replicas` option. */
export function replicaConnections(orm: MikroORM): PostgreSqlConnection[] {
  const configured = orm.config.get('replicas') ?? [];
  const found = (orm.em.getDriver() as unknown as Record<string, unknown>)[REPLICAS_FIELD];
  const connections: unknown[] = Array.isArray(found) ? found : [];
  if (
    connections.length !== configured.length ||
    !connections.every((connection): connection is PostgreSqlConnection => connection instanceof PostgreSqlConnection)
  ) {
    throw new Error(
      `MikroORM's driver does not keep its ${configured.length} replica connections in \`${REPLICAS_FIELD}\` ` +
        'as server/database/replica-internals.ts expects (a new MikroORM version? see that file)',
    );
  }
  return connections;
}
