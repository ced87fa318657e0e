// A real SMTP server for tests (smtp-server on a free port): the service mails through it as it
// would through any, and tests read what arrived, parsed (mailparser), by recipient: any case of
// A–Z, nothing else folded (the service's rule, entities/email-key.ts, written out here again so
// that a test does not trust the code it tests), so a look-alike's mail never counts as its
// original's.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string;
  subject: string;
  text: string;
}

export interface SmtpCapture {
  /** For SMTP_URL. */
  url: string;
  mails: ReceivedMail[];
  /** The mails to `address` (any case of A–Z) so far. */
  to(address: string): ReceivedMail[];
  /** Resolves with the next mail to `address` that arrives after `after` mails to it (default: the first). */
  waitFor(address: string, options?: { after?: number; timeoutMs?: number }): Promise<ReceivedMail>;
  /** While on, every message is refused with 451 (a server that cannot take mail now), as a real one does. */
  refuse(on: boolean): void;
  close(): Promise<void>;
}

export async function startSmtpCapture(): Promise<SmtpCapture> {
  const mails: ReceivedMail[] = [];
  const listeners = new Set<() => void>();
  let refusing = false;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, done) {
      if (refusing) {
        stream.on('end', () =>
          done(Object.assign(new Error('cannot take mail now, try again later'), { responseCode: 451 })),
        );
        stream.resume();
        return;
      }
      simpleParser(stream)
        .then((parsed) => {
          const to = Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : [];
          for (const address of to.flatMap((entry) => entry.value)) {
            mails.push({
              from: parsed.from?.text ?? '',
              to: recipientKey(address.address ?? ''),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
            });
          }
          for (const listener of listeners) listener();
          done();
        })
        .catch(done);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const to = (address: string) => mails.filter((mail) => mail.to === recipientKey(address));
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    to,
    refuse(on) {
      refusing = on;
    },
    waitFor(address, { after = 0, timeoutMs = 10_000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const mail = to(address)[after];
          if (!mail) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve(mail);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no mail ${after + 1} to ${address} within ${timeoutMs} ms`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A–Z lower-cased, every other character as it is. */
function recipientKey(address: string): string {
  return address.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/** The 6-digit code of a sign-in mail. */
export function codeOf(mail: ReceivedMail): string {
  const match = /sign-in code is (\d{6})/.exec(mail.text);
  if (!match?.[1]) throw new Error(`no code in the mail: ${mail.text}`);
  return match[1];
}
