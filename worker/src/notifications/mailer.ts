/**
 * Sends the outbox's emails with nodemailer: over SMTP_URL, or without it to the log and a local
 * folder (one .eml file per email, named by its outbox id), so StoreSync works out of the box.
 * The Message-ID is the outbox id, so an email sent twice after a crash (SMTP has no idempotent
 * send) is recognisable as one message.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { NotificationSettings } from './config.ts';

export interface OutgoingEmail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
}

export function createMailer(settings: NotificationSettings, logger: Logger): Mailer {
  const message = (email: OutgoingEmail) => ({
    from: settings.mailFrom,
    to: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    messageId: `<${email.id}@storesync>`,
  });
  if (settings.smtpUrl) {
    const transport = nodemailer.createTransport(settings.smtpUrl);
    return {
      send: async (email) => {
        await transport.sendMail(message(email));
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    send: async (email) => {
      const info = await transport.sendMail(message(email));
      await mkdir(settings.outboxDir, { recursive: true });
      const file = path.join(settings.outboxDir, `${email.id}.eml`);
      await writeFile(file, info.message);
      logger.info({ to: email.to, subject: email.subject, file, text: email.text }, 'email written to the local outbox (SMTP_URL is not set)');
    },
    close: () => transport.close(),
  };
}
