// The user_metadata table (migrations/Migration20270103100000.ts), reached only here. A read joins
// the user, so an unknown user is told from one without metadata; a write first makes the row if
// there is none and then holds it locked to the commit, so two writers merge one after the other
// and neither loses the other's keys. The admin part is selected only when asked for: a read for
// the user itself never carries it.
import type { EntityManager } from '@mikro-orm/postgresql';
import { METADATA_COLUMNS, type MetadataObject, type MetadataPart } from './metadata-schemas';

export interface StoredMetadata {
  version: string;
  app: MetadataObject;
  user: MetadataObject;
  admin?: MetadataObject;
}

interface Row {
  version: string | null;
  app_data: MetadataObject | null;
  user_data: MetadataObject | null;
  admin_data?: MetadataObject | null;
}

function metadataOf(row: Row, withAdmin: boolean): StoredMetadata {
  return {
    version: row.version ?? '0',
    app: row.app_data ?? {},
    user: row.user_data ?? {},
    ...(withAdmin ? { admin: row.admin_data ?? {} } : {}),
  };
}

/** The user's metadata (empty parts when it has none), or undefined when there is no such user. */
export async function readMetadata(
  em: EntityManager,
  userId: string,
  withAdmin: boolean,
): Promise<StoredMetadata | undefined> {
  const [row] = await em.execute<Row[]>(
    `select m.version::text as version, m.app_data, m.user_data${withAdmin ? ', m.admin_data' : ''}
       from users u left join user_metadata m on m.user_id = u.id where u.id = ?`,
    [userId],
  );
  return row ? metadataOf(row, withAdmin) : undefined;
}

/**
 * The SQL of the `app` part of the user whose id `userIdSql` names, for a statement of another
 * domain that reads it in passing (a refresh's, router/sessions): null when the user has none.
 */
export function appDataSql(userIdSql: string): string {
  return `(select app_data from user_metadata where user_id = ${userIdSql})`;
}

/** The user's `app` part alone (empty when it has none): what its access tokens may carry. */
export async function readAppMetadata(em: EntityManager, userId: string): Promise<MetadataObject> {
  const [row] = await em.execute<Array<Pick<Row, 'app_data'>>>('select app_data from user_metadata where user_id = ?', [
    userId,
  ]);
  return row?.app_data ?? {};
}

/**
 * The user's whole metadata, its row locked until the transaction ends (made empty, at version 0,
 * if it had none), or undefined when there is no such user. Inside a transaction only.
 */
export async function lockMetadata(tx: EntityManager, userId: string): Promise<Required<StoredMetadata> | undefined> {
  // the insert takes a key-share lock on the user's row: a delete of the user waits for this
  // transaction, and one that came first leaves nothing to insert
  await tx.execute(
    `insert into user_metadata (user_id) select id from users where id = ? on conflict (user_id) do nothing`,
    [userId],
  );
  const [row] = await tx.execute<Row[]>(
    `select version::text as version, app_data, user_data, admin_data from user_metadata where user_id = ? for update`,
    [userId],
  );
  return row ? (metadataOf(row, true) as Required<StoredMetadata>) : undefined;
}

/** Writes the parts given, under a new version; the new version. Call with the row locked. */
export async function writeMetadata(
  tx: EntityManager,
  userId: string,
  parts: Partial<Record<MetadataPart, MetadataObject>>,
): Promise<string> {
  const entries = Object.entries(parts) as Array<[MetadataPart, MetadataObject]>;
  const sets = entries.map(([which]) => `${METADATA_COLUMNS[which]} = ?::jsonb`);
  const [row] = await tx.execute<Array<{ version: string }>>(
    `update user_metadata set ${[...sets, `version = nextval('user_metadata_versions')`, 'updated_at = now()'].join(', ')}
       where user_id = ? returning version::text as version`,
    [...entries.map(([, value]) => JSON.stringify(value)), userId],
  );
  return row!.version;
}
