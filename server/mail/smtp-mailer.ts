// Sending sign-in codes: through the SMTP server of SMTP_URL (nodemailer), or, in development
// without one, printed to the console marked DEVELOPMENT (as the admin token is), so `npm start`
// works with no mail server. In production without SMTP_URL there is no mailer: code requests
// answer 503 and start-up warns; a code is never logged.
import nodemailer from 'nodemailer';
import type { Mailer, MailMessage } from './mailer';
import { publicUrl, type Config } from '../config/config';

export function createMailer(
  config: Pick<Config, 'SMTP_URL' | 'MAIL_FROM' | 'NODE_ENV' | 'SERVICE_NAME' | 'PUBLIC_URL' | 'HOST' | 'PORT'>,
  print: (text: string) => void = (text) => process.stdout.write(text),
): Mailer | null {
  const from = config.MAIL_FROM ?? `"${config.SERVICE_NAME}" <no-reply@${new URL(publicUrl(config)).hostname}>`;
  if (config.SMTP_URL) {
    const transport = nodemailer.createTransport(config.SMTP_URL);
    return {
      async send(message: MailMessage) {
        await transport.sendMail({ from, ...message });
      },
    };
  }
  if (config.NODE_ENV !== 'development') return null;
  return {
    send(message: MailMessage) {
      print(
        `\nDEVELOPMENT ONLY: no SMTP_URL is set, so this email is printed instead of sent.\n` +
          `From: ${from}\nTo: ${message.to}\nSubject: ${message.subject}\n\n${message.text}\n`,
      );
      return Promise.resolve();
    },
  };
}
