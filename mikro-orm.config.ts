// MikroORM configuration, shared by the service and the MikroORM CLI (`npx mikro-orm-esm` is not
// needed: the CLI runs through tsx, see package.json). The database URL is the only thing that
// differs between them, so the service builds its options with `ormConfig(url)`.
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import path from 'node:path';
import { entities } from './entities';

/**
 * Tables the service reaches by SQL alone, never through an entity, so a generated migration must
 * leave them as they are. The sign-in tables: every access is one atomic statement (use a code once
 * with `delete … returning`, count a wrong try and check the cap in one `update … returning`, bind
 * with `insert … on conflict`), which a unit of work cannot express without a window between its
 * read and its write; each is reached through one module of its method (router/auth/<method>/
 * <method>-store.ts, router/auth/revocation.ts). The list index's tables and the search's are the triggers' own
 * (migrations/Migration20261201120000.ts, Migration20261223100000.ts). A user's metadata is
 * merged and written under its row's lock in one place (router/metadata/metadata-store.ts).
 */
export const SQL_ONLY_TABLES = [
  'totp_credentials',
  'recovery_codes',
  'email_codes',
  'password_resets',
  'oauth_identities',
  'oauth_states',
  'oauth_login_codes',
  'revoked_tokens',
  'sessions',
  'session_tokens',
  'user_page_deltas',
  'user_pages_folded',
  'user_pages',
  'user_chapters',
  'user_search',
  'events',
  'webhook_endpoints',
  'webhook_deliveries',
  'webhook_attempts',
  'webhook_fanout',
  'security_notices',
  'user_metadata',
  'api_clients',
  'passkeys',
  'passkey_challenges',
  'sign_up_codes',
  'invitations',
  'email_change_codes',
  'oauth_sign_ups',
  'user_sign_ins',
  'dormancy_warnings',
  'periodic_runs',
];

/**
 * Whether this runs as TypeScript (tsx: the CLIs, the tests, the bench, the MikroORM CLI) or as
 * the compiled service (build/, `npm start`): MikroORM then looks for the migrations' .ts sources
 * or for their compiled .js, each beside this file (migrations/ or build/migrations/).
 */
const RUNNING_TS = __filename.endsWith('.ts');
const MIGRATIONS = path.join(__dirname, 'migrations');

export function ormConfig(clientUrl: string | undefined, overrides: Partial<Options> = {}): Options {
  return defineConfig({
    clientUrl,
    entities,
    // tsx emits no decorator metadata, nor does the build (tsconfig.build.json): every property
    // names its type explicitly
    discovery: { requireEntitiesArray: true },
    extensions: [Migrator],
    migrations: {
      path: MIGRATIONS,
      pathTs: RUNNING_TS ? MIGRATIONS : undefined,
      emit: 'ts',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    preferTs: RUNNING_TS,
    schemaGenerator: { skipTables: SQL_ONLY_TABLES },
    // Loading the email in a second query keeps `count(*)` and paging off the emails table.
    loadStrategy: 'select-in',
    forceUtcTimezone: true,
    ...overrides,
  });
}

export default ormConfig(process.env.DATABASE_URL);
