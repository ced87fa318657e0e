// What sign-in needs from email: one message to one address. The service sends through SMTP
// (server/mail/smtp-mailer.ts); in development without SMTP it prints the message instead.
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
