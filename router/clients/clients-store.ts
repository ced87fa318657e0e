// The api_clients table (migrations/Migration20270105100000.ts), reached only here. A client's secret
// is only ever a keyed hash here; every access is one statement.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PreparedStatement, RequestDatabase } from '../../server/database/request-database';
import type { Principal } from '../../server/crypto/token-service';
import { callerCte, callerValues, type CallerFacts } from '../trpc/session-check';
import type { KeyedHashes } from '../../server/crypto/secret-box';
import type { ClientAccess } from './client-schemas';

export interface ClientRow {
  id: string;
  subject: string;
  name: string;
  epoch: string;
  created_at: Date;
  created_by: string;
  last_token_at: Date | null;
  access: ClientAccess;
}

const COLUMNS = 'id, subject, name, epoch, created_at, created_by, last_token_at, access';

export async function insertClient(
  em: EntityManager,
  client: { name: string; secretHash: string; epoch: string; createdBy: string; access: ClientAccess },
): Promise<ClientRow> {
  const [row] = await em.execute<ClientRow[]>(
    `insert into api_clients (name, secret_hash, epoch, created_by, access) values (?, ?, ?, ?, ?) returning ${COLUMNS}`,
    [client.name, client.secretHash, client.epoch, client.createdBy, client.access],
  );
  return row!;
}

/** Every client, the newest first. */
export function listClients(em: EntityManager): Promise<ClientRow[]> {
  return em.execute<ClientRow[]>(`select ${COLUMNS} from api_clients order by created_at desc, id`);
}

/** Removes a client; its row as it was, or undefined when there is none. */
export async function deleteClient(em: EntityManager, id: string): Promise<ClientRow | undefined> {
  const [row] = await em.execute<ClientRow[]>(`delete from api_clients where id = ? returning ${COLUMNS}`, [id]);
  return row;
}

/** A new secret and a new epoch (every token of the old secret ends); undefined when there is no such client. */
export async function replaceSecret(
  em: EntityManager,
  id: string,
  secretHash: string,
  epoch: string,
): Promise<ClientRow | undefined> {
  const [row] = await em.execute<ClientRow[]>(
    `update api_clients set secret_hash = ?, epoch = ? where id = ? returning ${COLUMNS}`,
    [secretHash, epoch, id],
  );
  return row;
}

/**
 * The client `id` whose secret has one of `hashes` (the current key's first), marked as having got a
 * token now; its hash is made the current key's on the way, so that a client keeps working after the
 * key it was registered under is retired (TOTP_PREVIOUS_KEYS). Undefined when id and secret do not
 * match.
 */
export async function useSecret(
  em: EntityManager,
  id: string,
  hashes: KeyedHashes,
  now: Date,
): Promise<ClientRow | undefined> {
  const [row] = await em.execute<ClientRow[]>(
    `update api_clients set secret_hash = ?, last_token_at = ? where id = ? and secret_hash in (?) returning ${COLUMNS}`,
    [hashes[0], now, id, hashes],
  );
  return row;
}

/** Whether the client `id` has a secret of `hashes`, as the column `client_ok` (an introspection's asker). */
const CLIENT_OK =
  'exists(select 1 from api_clients where id = $1::uuid and secret_hash = any($2::text[])) as client_ok';

const ASKER: PreparedStatement = { name: 'introspection_asker_v1', text: `select ${CLIENT_OK}` };
/** The asker's credentials and the token's session check (router/trpc/session-check), in one statement. */
const ASKER_AND_TOKEN: PreparedStatement = {
  name: 'introspection_v1',
  text: `with ${callerCte(3)} select ${CLIENT_OK}, caller.* from caller`,
};

/**
 * An introspection's reads, from the primary (the asker is not the token's holder: no replica that
 * has replayed the holder's own writes can be chosen for it), written nothing: whether client `id`
 * has a secret of `hashes`, and, for a token that verified, what the session check reads about it.
 */
export async function readIntrospection(
  db: RequestDatabase,
  id: string,
  hashes: KeyedHashes,
  principal: Principal | undefined,
): Promise<{ clientOk: boolean; facts?: CallerFacts }> {
  if (!principal) {
    const [row] = await db.prepared<{ client_ok: boolean }>(ASKER, [id, hashes], 'primary');
    return { clientOk: row?.client_ok === true };
  }
  const [row] = await db.prepared<CallerFacts & { client_ok: boolean }>(
    ASKER_AND_TOKEN,
    [id, hashes, ...callerValues(principal)],
    'primary',
  );
  return { clientOk: row?.client_ok === true, facts: row };
}

/** The name of the client with this id, if there is one (a refused exchange is recorded only about a real client). */
export async function clientName(em: EntityManager, id: string): Promise<string | undefined> {
  const [row] = await em.execute<Array<{ name: string }>>(`select name from api_clients where id = ?`, [id]);
  return row?.name;
}
