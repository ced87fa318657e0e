// The api_clients table (migrations/Migration20270105100000.ts), reached only here. A client's secret
// is only ever a keyed hash here; every access is one statement.
import type { EntityManager } from '@mikro-orm/postgresql';
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

/** The client `id` whose secret has one of `hashes`, read only (an introspection writes nothing). */
export async function clientBySecret(
  em: EntityManager,
  id: string,
  hashes: KeyedHashes,
): Promise<ClientRow | undefined> {
  const [row] = await em.execute<ClientRow[]>(
    `select ${COLUMNS} from api_clients where id = ? and secret_hash in (?)`,
    [id, hashes],
  );
  return row;
}

/** The name of the client with this id, if there is one (a refused exchange is recorded only about a real client). */
export async function clientName(em: EntityManager, id: string): Promise<string | undefined> {
  const [row] = await em.execute<Array<{ name: string }>>(`select name from api_clients where id = ?`, [id]);
  return row?.name;
}
