// Sends the security notices (router/auth/security-notices.ts) from their outbox, in every instance:
// a round every `intervalMs` claims the notices that are due (SKIP LOCKED, so instances share them
// and two never send one at once), mails each, and removes it once the mail server took it. A
// refused or failed send stays, and is tried again when its claim runs out (30 s, doubling, at
// most an hour between tries); an instance killed while sending leaves it to be sent again. After
// MAX_ATTEMPTS (about a day of tries) a notice is given up, with a warning that names only its id.
// Started by main.ts when the service can send mail, stopped on shutdown before the database closes.
import type { MikroORM } from '@mikro-orm/postgresql';
import { claimDueNotices, removeNotice } from '../../router/auth/security-notices';
import type { Mailer } from '../mail/mailer';
import type { Logger } from '../ops/logger';
import { startPeriodicTask, type PeriodicTask } from './periodic-task';

const BATCH = 20;
/** How often each instance looks for notices to send: one leaves about a second after its change. */
export const NOTICE_POLL_MS = 1000;
const MAX_ATTEMPTS = 30;

export interface NoticeWorkerOptions {
  orm: MikroORM;
  mail: Mailer;
  intervalMs: number;
  logger: Pick<Logger, 'warn'>;
}

export function startNoticeWorker({ orm, mail, intervalMs, logger }: NoticeWorkerOptions): PeriodicTask {
  return startPeriodicTask({
    name: 'sending security notices',
    intervalMs,
    logger,
    async round(stopping) {
      const em = orm.em.fork();
      for (;;) {
        const due = await claimDueNotices(em, BATCH);
        for (const notice of due) {
          try {
            await mail.send({ to: notice.address, subject: notice.subject, text: notice.body });
            await removeNotice(em, notice.id);
          } catch (error) {
            const givingUp = notice.attempts >= MAX_ATTEMPTS;
            logger.warn(
              { notice: notice.id, attempts: notice.attempts, err: { message: (error as Error).message } },
              givingUp
                ? 'a security notice could not be sent, and is given up'
                : 'a security notice could not be sent yet',
            );
            if (givingUp) await removeNotice(em, notice.id);
          }
        }
        if (due.length < BATCH || stopping()) return;
      }
    },
  });
}
