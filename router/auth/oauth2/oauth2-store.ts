// The OAuth2 tables (oauth_states, oauth_login_codes, oauth_identities, oauth_sign_ups), reached
// only here. A state, a login code and a sign-up ticket are used at most once (`delete …
// returning`); an identity binds once (`insert … on conflict do nothing returning`). States, codes
// and tickets are stored with the keyed hash of the cookie of the browser they belong to.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { KeyedHashes } from '../../../server/crypto/secret-box';
import { removeExpiredRows } from '../../../server/database/expired-rows';

export interface PendingSignIn {
  /** The state's hash under the key of when the sign-in began (which derives its PKCE and nonce). */
  state_hash: string;
  binding_hash: string;
  return_to: string;
  expires_at: Date;
  /** A person's request to link its account (./oauth2-link.ts): the account, and its epoch then. */
  link_user_id: string | null;
  link_epoch: string | null;
}

/** A new pending sign-in (or link, `link`); expired ones are swept first. */
export async function storeState(
  em: EntityManager,
  state: {
    stateHash: string;
    bindingHash: string;
    returnTo: string;
    expiresAt: Date;
    link?: { userId: string; epoch: string };
  },
  now: Date,
): Promise<void> {
  await em.execute(`delete from oauth_states where expires_at < ?`, [now]);
  await em.execute(
    `insert into oauth_states (state_hash, binding_hash, return_to, expires_at, link_user_id, link_epoch)
     values (?, ?, ?, ?, ?, ?)`,
    [
      state.stateHash,
      state.bindingHash,
      state.returnTo,
      state.expiresAt,
      state.link?.userId ?? null,
      state.link?.epoch ?? null,
    ],
  );
}

/** Takes the pending sign-in of a state (by its hashes under each key held), once. */
export async function takeState(em: EntityManager, stateHashes: KeyedHashes): Promise<PendingSignIn | undefined> {
  const [pending] = await em.execute<PendingSignIn[]>(
    `delete from oauth_states where state_hash in (?)
     returning state_hash, binding_hash, return_to, expires_at, link_user_id, link_epoch`,
    [stateHashes],
  );
  return pending;
}

/** A new one-time login code, with the hash of the cookie of the browser it is for. */
export async function storeLoginCode(
  em: EntityManager,
  code: { codeHash: string; browserHash: string; userId: string; expiresAt: Date },
): Promise<void> {
  await em.execute(`insert into oauth_login_codes (code_hash, browser_hash, user_id, expires_at) values (?, ?, ?, ?)`, [
    code.codeHash,
    code.browserHash,
    code.userId,
    code.expiresAt,
  ]);
}

export interface LoginCode {
  user_id: string;
  browser_hash: string;
  expires_at: Date;
}

/**
 * Removes up to `batch` login codes nobody redeemed (a browser closed between the callback and the
 * exchange) once expired (the periodic retention round, server/start/retention.ts), found through
 * the expires_at index. How many went.
 */
export const removeExpiredLoginCodes = (em: EntityManager, now: Date, batch: number): Promise<number> =>
  removeExpiredRows(em, { table: 'oauth_login_codes', key: 'code_hash' }, now, batch);

/**
 * Takes a login code (by its hashes under each key held), once: whoever presents it first spends
 * it, from whatever browser.
 */
export async function takeLoginCode(em: EntityManager, codeHashes: KeyedHashes): Promise<LoginCode | undefined> {
  const [row] = await em.execute<LoginCode[]>(
    `delete from oauth_login_codes where code_hash in (?) returning user_id, browser_hash, expires_at`,
    [codeHashes],
  );
  return row;
}

/** The user bound to a provider identity, if any. */
export async function boundUser(em: EntityManager, issuer: string, subject: string): Promise<string | undefined> {
  const [bound] = await em.execute<Array<{ user_id: string }>>(
    `select user_id from oauth_identities where issuer = ? and subject = ?`,
    [issuer, subject],
  );
  return bound?.user_id;
}

/** Binds an identity to a user; false when the user is bound to another identity already. */
export async function bindIdentity(
  em: EntityManager,
  issuer: string,
  subject: string,
  userId: string,
): Promise<boolean> {
  const linked = await em.execute(
    `insert into oauth_identities (issuer, subject, user_id) values (?, ?, ?) on conflict do nothing returning user_id`,
    [issuer, subject, userId],
  );
  return linked.length === 1;
}

/** Ends the binding of a user that stops signing in by OAuth2; setting it again links anew. Whether there was one. */
export async function removeOAuthIdentity(em: EntityManager, userId: string): Promise<boolean> {
  const removed = await em.execute(`delete from oauth_identities where user_id = ? returning user_id`, [userId]);
  return removed.length === 1;
}

/** When the user's identity at the provider was bound to it, if it is. */
export async function identityOf(em: EntityManager, userId: string): Promise<{ linkedAt: Date } | undefined> {
  const [row] = await em.execute<Array<{ created_at: Date }>>(
    `select created_at from oauth_identities where user_id = ?`,
    [userId],
  );
  return row ? { linkedAt: new Date(row.created_at) } : undefined;
}

/** A verified identity with no account yet, waiting for the fields its provider does not give. */
export interface SignUpTicket {
  browser_hash: string;
  issuer: string;
  subject: string;
  address: string;
  name: string | null;
  age: number | null;
  gender: number | null;
  expires_at: Date;
}

/** A new sign-up ticket, with the hash of the cookie of the browser it is for. */
export async function storeSignUpTicket(
  em: EntityManager,
  ticket: {
    ticketHash: string;
    browserHash: string;
    issuer: string;
    subject: string;
    address: string;
    name: string | null;
    age: number | null;
    gender: number | null;
    expiresAt: Date;
  },
): Promise<void> {
  await em.execute(
    `insert into oauth_sign_ups (ticket_hash, browser_hash, issuer, subject, address, name, age, gender, expires_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      ticket.ticketHash,
      ticket.browserHash,
      ticket.issuer,
      ticket.subject,
      ticket.address,
      ticket.name,
      ticket.age,
      ticket.gender,
      ticket.expiresAt,
    ],
  );
}

/** A sign-up ticket, read and left in place (what the form shows before it is sent). */
export async function readSignUpTicket(em: EntityManager, hashes: KeyedHashes): Promise<SignUpTicket | undefined> {
  const [row] = await em.execute<SignUpTicket[]>(
    `select browser_hash, issuer, subject, address, name, age, gender, expires_at
       from oauth_sign_ups where ticket_hash in (?)`,
    [hashes],
  );
  return row;
}

/** Takes a sign-up ticket, once: of concurrent takers one gets it. */
export async function takeSignUpTicket(em: EntityManager, hashes: KeyedHashes): Promise<SignUpTicket | undefined> {
  const [row] = await em.execute<SignUpTicket[]>(
    `delete from oauth_sign_ups where ticket_hash in (?)
     returning browser_hash, issuer, subject, address, name, age, gender, expires_at`,
    [hashes],
  );
  return row;
}

/** Removes up to `batch` sign-up tickets nobody finished, once expired (the retention round). How many went. */
export const removeExpiredSignUpTickets = (em: EntityManager, now: Date, batch: number): Promise<number> =>
  removeExpiredRows(em, { table: 'oauth_sign_ups', key: 'ticket_hash' }, now, batch);
