// The invitations table (migrations/Migration20270109100000.ts), reached only here. A link's token
// is only ever a keyed hash here; every access is one statement, so an invitation is accepted at
// most once and a revoked or re-sent one's old link is dead at once.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { KeyedHashes } from '../../server/crypto/secret-box';
import type { PresetMetadata } from '../metadata/metadata-service';

export interface InvitationRow {
  id: string;
  address: string;
  valid_days: number;
  invited_by: string;
  metadata: PresetMetadata;
  created_at: Date;
  sent_at: Date;
  expires_at: Date;
}

const COLUMNS = 'id, address, valid_days, invited_by, metadata, created_at, sent_at, expires_at';

/**
 * A new invitation for `address` (its key `addressKey`), replacing one that expired; undefined when
 * a live one exists for the address.
 */
export async function insertInvitation(
  em: EntityManager,
  invitation: {
    address: string;
    addressKey: string;
    tokenHash: string;
    validDays: number;
    invitedBy: string;
    metadata: PresetMetadata;
    now: Date;
  },
): Promise<InvitationRow | undefined> {
  const { address, addressKey, tokenHash, validDays, invitedBy, metadata, now } = invitation;
  const [row] = await em.execute<InvitationRow[]>(
    `insert into invitations
       (address, address_key, token_hash, valid_days, invited_by, metadata, created_at, sent_at, expires_at)
       values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?::timestamptz + make_interval(days => ?))
     on conflict (address_key) do update
       set address = excluded.address, token_hash = excluded.token_hash, valid_days = excluded.valid_days,
           invited_by = excluded.invited_by, metadata = excluded.metadata, created_at = excluded.created_at,
           sent_at = excluded.sent_at, expires_at = excluded.expires_at
       where invitations.expires_at <= excluded.created_at
     returning ${COLUMNS}`,
    [address, addressKey, tokenHash, validDays, invitedBy, JSON.stringify(metadata), now, now, now, validDays],
  );
  return row;
}

/** Every invitation, live or expired, the newest first. */
export function listInvitations(em: EntityManager): Promise<InvitationRow[]> {
  return em.execute<InvitationRow[]>(`select ${COLUMNS} from invitations order by created_at desc, id`);
}

/** A new token and a new expiry, as long as the first; undefined when there is no such invitation. */
export async function replaceToken(
  em: EntityManager,
  id: string,
  tokenHash: string,
  now: Date,
): Promise<InvitationRow | undefined> {
  const [row] = await em.execute<InvitationRow[]>(
    `update invitations set token_hash = ?, sent_at = ?, expires_at = ?::timestamptz + make_interval(days => valid_days)
      where id = ? returning ${COLUMNS}`,
    [tokenHash, now, now, id],
  );
  return row;
}

/** Removes an invitation; its row as it was, or undefined when there is none. */
export async function deleteInvitation(em: EntityManager, id: string): Promise<InvitationRow | undefined> {
  const [row] = await em.execute<InvitationRow[]>(`delete from invitations where id = ? returning ${COLUMNS}`, [id]);
  return row;
}

/** The live invitation of a link's token, or undefined. */
export async function liveInvitation(
  em: EntityManager,
  tokenHashes: KeyedHashes,
  now: Date,
): Promise<InvitationRow | undefined> {
  const [row] = await em.execute<InvitationRow[]>(
    `select ${COLUMNS} from invitations where token_hash in (?) and expires_at > ?`,
    [tokenHashes, now],
  );
  return row;
}

/**
 * Takes the live invitation of a link's token (accepting it): one conditional DELETE, so of
 * concurrent acceptances exactly one goes on. Undefined when it is gone, dead or replaced.
 */
export async function takeInvitation(
  em: EntityManager,
  tokenHashes: KeyedHashes,
  now: Date,
): Promise<InvitationRow | undefined> {
  const [row] = await em.execute<InvitationRow[]>(
    `delete from invitations where token_hash in (?) and expires_at > ? returning ${COLUMNS}`,
    [tokenHashes, now],
  );
  return row;
}

/**
 * Removes up to `batch` invitations that expired before `before` (the retention round, which keeps
 * an expired one for a while for an admin to send again); rows a request holds are skipped.
 */
export async function removeExpiredInvitations(em: EntityManager, before: Date, batch: number): Promise<number> {
  const removed = await em.execute(
    `delete from invitations where id in
       (select id from invitations where expires_at < ? limit ? for update skip locked)
     returning id`,
    [before, batch],
  );
  return removed.length;
}
