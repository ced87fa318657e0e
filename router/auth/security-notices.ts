// Security notices by email (OWASP ASVS 4.0 2.2.3 and 5.0 6.3.7: users are notified after a change
// to how they sign in): the user's address is told what changed, when, from which client address
// and by whom, and what to do if it was not them; and when an administrator begins acting as the
// user (router/auth/impersonation), why and until when. A new address is told at its new address, and
// the old one is told too, that it no longer signs in (whoever took an account changes its address
// first; the old address is where its owner still reads mail). A notice never holds a password, a
// code or a secret, nor the new address.
// A notice leaves by an outbox: it is a row of `security_notices` written in the transaction of the
// change it tells of, so it exists exactly when the change committed, and every instance's worker
// (server/start/notice-worker.ts) mails it, at least once, retrying while the mail server refuses.
// Without a mail server (production without SMTP_URL) none is written.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../trpc/context';
import { eventOrigin, type EventContext } from '../events/event-origin';

/** What a change did to how a user signs in, as its notice names it. */
export type SecurityChange =
  | { kind: 'credentials'; credentials: string[] }
  | { kind: 'password reset' }
  | { kind: 'recovery code used'; left: number }
  | { kind: 'authenticator reset' }
  | { kind: 'impersonation'; reason: string; until: Date }
  | { kind: 'passkey added' | 'passkey removed'; name: string }
  | { kind: 'provider linked' | 'provider unlinked'; name: string }
  | { kind: 'new sign-in'; method: string }
  | { kind: 'email change requested' };

/** What sending a notice needs of a call's context. */
export type NoticeContext = Pick<Context, 'mail' | 'signIn' | 'clock'> & EventContext;

/** More of what a notice says: where the user was moved off, and who acted when the call has no principal. */
export interface NoticeOptions {
  /** The address the change moved the user off: it is told too. */
  previousAddress?: string;
  /** Who acted when the call carries no token (a provider's callback), as eventOrigin takes it. */
  actor?: string;
}

/**
 * Writes, in the change's transaction `tx`, the notice of `change` to the user's `address` (as it
 * is after the change), and, when the change moved the user off `options.previousAddress`, a
 * notice to that one too. `userId`: whose account. The notice says "by you" when the change's
 * actor, as its event records it (eventOrigin: an admin acting as the user is the admin), is the
 * user, and "by an administrator" otherwise.
 */
export async function queueSecurityNotice(
  tx: EntityManager,
  ctx: NoticeContext,
  userId: string,
  address: string,
  change: SecurityChange,
  options: NoticeOptions = {},
): Promise<void> {
  if (!ctx.mail) return;
  const { previousAddress, actor } = options;
  const at = new Date(ctx.clock.now()).toISOString().replace('T', ' ').slice(0, 16);
  const by = eventOrigin(ctx, actor).actor === userId ? 'by you' : 'by an administrator';
  const where = `on ${at} UTC${ctx.clientAddress ? `, from the address ${ctx.clientAddress}` : ''}`;
  const service = ctx.signIn.serviceName;
  const messages = [{ to: address, ...noticeOf(change, service, by, where) }];
  if (previousAddress !== undefined && previousAddress !== address) {
    messages.push({
      to: previousAddress,
      subject: `The email address of your ${service} account was changed`,
      text:
        `The email address of your ${service} account was changed from this address to another one, ${by}, ${where}.\n\n` +
        `This address no longer signs in to the account. If you did not ask for this, tell an administrator of ` +
        `${service} at once: whoever changed it may hold your account.\n`,
    });
  }
  for (const message of messages) await queueNotice(tx, message);
}

/**
 * Writes one notice into the outbox, in the transaction `tx` of what it tells of; every instance's
 * worker mails it. Also for notices no call's change makes (router/users/dormant-accounts' warning).
 */
export async function queueNotice(tx: EntityManager, message: { to: string; subject: string; text: string }) {
  await tx.execute('insert into security_notices (address, subject, body) values (?, ?, ?)', [
    message.to,
    message.subject,
    message.text,
  ]);
}

/** A notice claimed for sending: `attempts` counts this one. */
export interface DueNotice {
  id: string;
  address: string;
  subject: string;
  body: string;
  attempts: number;
}

/**
 * Claims up to `limit` notices that are due, for one sending each: a claim moves `next_at` on by
 * the next retry's wait (30 s doubling, at most an hour), so it is also the lease that keeps other
 * instances off it while it is sent, and a notice whose sender died is sent again once it runs out.
 */
export async function claimDueNotices(em: EntityManager, limit: number): Promise<DueNotice[]> {
  return em.execute<DueNotice[]>(
    `update security_notices
        set attempts = attempts + 1,
            next_at = now() + make_interval(secs => least(3600, 30 * power(2, attempts)))
      where id in (select id from security_notices where next_at <= now() order by id limit ? for update skip locked)
      returning id::text as id, address, subject, body, attempts`,
    [limit],
  );
}

/** A notice sent (or given up on) leaves the outbox. */
export async function removeNotice(em: EntityManager, id: string): Promise<void> {
  await em.execute('delete from security_notices where id = ?', [id]);
}

/** How a sign-in's method reads in a notice. */
const SIGN_IN_METHODS: Record<string, string> = {
  password: 'a password',
  email_code: 'a code sent by email',
  totp: 'a password and an authenticator code',
  oauth2: 'an OpenID provider',
  passkey: 'a passkey',
};

function noticeOf(
  change: SecurityChange,
  service: string,
  by: string,
  where: string,
): { subject: string; text: string } {
  const notYou = (advice: string) =>
    `If you made this change or asked for it, there is nothing to do. If not: ${advice}\n`;
  const resetAdvice = `reset your password from the sign-in page (Forgot your password?), and tell an administrator of ${service}.`;
  switch (change.kind) {
    case 'credentials': {
      const what = change.credentials.join(', ').replace(/, ([^,]*)$/, ' and $1');
      return {
        subject: `Your ${service} ${what} changed`,
        // the user's own change keeps the session it was made from
        text: `The ${what} of your ${service} account changed, ${by}, ${where}. ${by === 'by you' ? 'Every other session' : 'Every session'} has ended.\n\n${notYou(resetAdvice)}`,
      };
    }
    case 'password reset':
      return {
        subject: `Your ${service} password was reset`,
        text: `The password of your ${service} account was reset with a code mailed to this address, ${where}. Every session has ended.\n\n${notYou(`tell an administrator of ${service} at once: someone could read this mailbox.`)}`,
      };
    case 'recovery code used':
      return {
        subject: `A recovery code signed in to your ${service} account`,
        text: `One of the recovery codes of your ${service} account was used to sign in instead of your authenticator, ${where}. ${change.left} ${change.left === 1 ? 'code is' : 'codes are'} left.\n\n${notYou(`${resetAdvice} Your recovery codes may have been seen.`)}`,
      };
    case 'impersonation':
      return {
        subject: `An administrator is acting as you in ${service}`,
        text: `An administrator began acting as you in your ${service} account ${where}, until ${change.until.toISOString().replace('T', ' ').slice(0, 16)} UTC, to: ${change.reason}\n\nWhat they do is recorded as done by them, as you; your account's history shows it. They cannot change your password, email address or sign-in method, nor delete your account. To end it now, sign in and end the session "An admin acting as the user" under Your sessions.\n\nIf you did not ask for help, tell an administrator of ${service}.\n`,
      };
    case 'passkey added':
      return {
        subject: `A passkey was added to your ${service} account`,
        text: `A passkey named "${change.name}" was added to your ${service} account, ${by}, ${where}. It signs in to the account without a password.\n\n${notYou(`sign in and remove the passkey (under Passkeys), then ${resetAdvice}`)}`,
      };
    case 'passkey removed':
      return {
        subject: `A passkey was removed from your ${service} account`,
        text: `The passkey named "${change.name}" was removed from your ${service} account, ${by}, ${where}. It no longer signs in, and the sessions it signed in have ended.\n\n${notYou(resetAdvice)}`,
      };
    case 'provider linked':
      return {
        subject: `${change.name} now signs in to your ${service} account`,
        text: `Your ${change.name} identity was linked to your ${service} account, ${by}, ${where}. Signing in with ${change.name} now signs in to the account, without its password.\n\n${notYou(`sign in and unlink ${change.name} (under Sign in with ${change.name}), then ${resetAdvice}`)}`,
      };
    case 'provider unlinked':
      return {
        subject: `${change.name} no longer signs in to your ${service} account`,
        text: `Your ${change.name} identity was unlinked from your ${service} account, ${by}, ${where}. It no longer signs in, and the sessions it signed in have ended.\n\n${notYou(resetAdvice)}`,
      };
    case 'new sign-in':
      return {
        subject: `A new sign-in to your ${service} account`,
        text: `Your ${service} account was signed in to ${where}, with ${SIGN_IN_METHODS[change.method] ?? change.method}, from an address and a browser it had not signed in from before.\n\nIf it was you, there is nothing to do. If not: end that session under Your sessions, then ${resetAdvice}\n`,
      };
    case 'email change requested':
      // the new address stays out of it, as from every notice: the owner needs to know, not where
      return {
        subject: `Someone asked to change the email address of your ${service} account`,
        text: `A new email address was asked for your ${service} account, ${by}, ${where}. It changes only once the code mailed to the new address is typed, within 10 minutes.\n\nIf it was you, there is nothing to do. If not: ${resetAdvice} A new password signs every session out, and the change cannot be finished.\n`,
      };
    case 'authenticator reset':
      return {
        subject: `The authenticator of your ${service} account was reset`,
        text: `An administrator reset the authenticator of your ${service} account ${where}: its recovery codes no longer work, every session has ended, and your next sign-in sets up an authenticator again.\n\n${notYou(`tell an administrator of ${service}.`)}`,
      };
  }
}
