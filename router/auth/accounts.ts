// How sign-in finds an account: by email address (its key: any case of A–Z, nothing else folded,
// see entities/email-key.ts) or by user id, with what each method needs to decide — never more.
// Sign-in reads from the primary: it must see the latest credentials. A disabled account is refused
// by `refuseIfDisabled`, which every method calls only after the credential was proven right.
import type { EntityManager } from '@mikro-orm/postgresql';
import { TRPCError } from '@trpc/server';
import { EMAIL_KEY_SQL, type AuthMethod, type Role } from '../../entities';
import type { Principal } from '../../server/crypto/token-service';
import { notFound } from '../trpc/api-errors';

export interface Account {
  userId: string;
  role: Role;
  epoch: string;
  emailId: number;
  address: string;
  authMethod: AuthMethod;
  passwordHash: string | null;
  /** Whether a TOTP secret has been confirmed (null: none, pending or confirmed). */
  totp: 'none' | 'pending' | 'confirmed';
  /** Disabled by an admin (null: not disabled); `until`: when it ends by itself (null: never). */
  disabled: { until: Date | null } | null;
}

interface AccountRow {
  user_id: string;
  role: Role;
  token_epoch: string;
  email_id: number;
  address: string;
  auth_method: AuthMethod;
  password_hash: string | null;
  totp_confirmed: boolean | null;
  disabled_at: Date | null;
  disabled_until: Date | null;
}

const SELECT = `select u.id as user_id, u.role, u.token_epoch, e.id as email_id, e.address, e.auth_method,
    e.password_hash, t.confirmed_at is not null as totp_confirmed, u.disabled_at, u.disabled_until
  from emails e
  join users u on u.email_id = e.id
  left join totp_credentials t on t.email_id = e.id`;

/** The account of an address, through the unique index on its key. */
export const ACCOUNT_BY_ADDRESS = `${SELECT} where ${EMAIL_KEY_SQL}(e.address) = ${EMAIL_KEY_SQL}(?)`;

export async function accountByAddress(em: EntityManager, address: string): Promise<Account | undefined> {
  const [row] = await em.execute<AccountRow[]>(ACCOUNT_BY_ADDRESS, [address]);
  return row && fromRow(row);
}

/** A user's account, for a call naming the user by id (an admin's): 404 when there is none. */
export async function userAccountOrNotFound(em: EntityManager, userId: string): Promise<Account> {
  const account = await accountByUserId(em, userId);
  if (!account) throw notFound();
  return account;
}

export async function accountByUserId(em: EntityManager, userId: string): Promise<Account | undefined> {
  const [row] = await em.execute<AccountRow[]>(`${SELECT} where u.id = ?`, [userId]);
  return row && fromRow(row);
}

function fromRow(row: AccountRow): Account {
  return {
    userId: row.user_id,
    role: row.role,
    epoch: row.token_epoch,
    emailId: row.email_id,
    address: row.address,
    authMethod: row.auth_method,
    passwordHash: row.password_hash,
    totp: row.totp_confirmed === null ? 'none' : row.totp_confirmed ? 'confirmed' : 'pending',
    disabled: row.disabled_at === null ? null : { until: row.disabled_until && new Date(row.disabled_until) },
  };
}

export const ACCOUNT_DISABLED = 'this account is disabled';

/**
 * Whether `account` is disabled at `now` (the clock the sign-in rules read): an end date that has
 * passed re-enables it, with no job. Asked only once the credential was proven right, so the
 * refusal tells nobody who has not proven it which accounts are disabled.
 */
export function isDisabled(account: Pick<Account, 'disabled'>, now: number): boolean {
  if (!account.disabled) return false;
  return account.disabled.until === null || account.disabled.until.getTime() > now;
}

/** The refusal of a disabled account, once its credential was proven right (403). */
export function refuseIfDisabled(account: Pick<Account, 'disabled'>, now: number): void {
  if (isDisabled(account, now)) throw new TRPCError({ code: 'FORBIDDEN', message: ACCOUNT_DISABLED });
}

/**
 * The caller's own account, signed in as a person (its token carries the user's epoch): an
 * operator's token or a machine client's has none, and is refused (403) with `refusal`.
 */
export async function callersAccount(
  ctx: { db: { em: EntityManager }; principal: Principal },
  refusal: string,
): Promise<Account> {
  const { principal } = ctx;
  const account = principal.epoch === undefined ? undefined : await accountByUserId(ctx.db.em, principal.id);
  if (!account) throw new TRPCError({ code: 'FORBIDDEN', message: refusal });
  return account;
}
