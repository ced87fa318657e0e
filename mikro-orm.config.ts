// MikroORM configuration, shared by the service and the MikroORM CLI (`npx mikro-orm-esm` is not
// needed: the CLI runs through tsx, see package.json). The database URL is the only thing that
// differs between them, so the service builds its options with `ormConfig(url)`.
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import path from 'node:path';
import { entities } from './entities';

export function ormConfig(clientUrl: string | undefined, overrides: Partial<Options> = {}): Options {
  return defineConfig({
    clientUrl,
    entities,
    // tsx emits no decorator metadata, so every property names its type explicitly
    discovery: { requireEntitiesArray: true },
    extensions: [Migrator],
    migrations: {
      path: path.join(__dirname, 'migrations'),
      pathTs: path.join(__dirname, 'migrations'),
      emit: 'ts',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    preferTs: true,
    // Loading the email in a second query keeps `count(*)` and paging off the emails table.
    loadStrategy: 'select-in',
    forceUtcTimezone: true,
    ...overrides,
  });
}

export default ormConfig(process.env.DATABASE_URL);
