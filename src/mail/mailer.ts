// Sending mail: one interface, two adapters — SMTP through nodemailer, or the outbox table when no SMTP server is configured.
import nodemailer from 'nodemailer';
import type { Kysely } from 'kysely';
import { newId, nowIso, type Database } from '../db/index.ts';

export interface OutgoingMail { to: string; subject: string; text: string; html: string }

export interface Mailer {
  /** 'outbox' means mails stay in the database and admins read them at /konto/postausgang */
  readonly kind: 'smtp' | 'outbox';
  send(mail: OutgoingMail): Promise<void>;
}

export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    kind: 'smtp',
    async send(mail) {
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
    },
  };
}

/** `now` is the clock the mails are dated by; tests pass their own instead of waiting between mails. */
export function outboxMailer(db: Kysely<Database>, now: () => Date = () => new Date()): Mailer {
  return {
    kind: 'outbox',
    async send(mail) {
      await db.insertInto('mail_outbox').values({ id: newId(), recipient: mail.to, subject: mail.subject, text_body: mail.text, html_body: mail.html, created_at: nowIso(now()) }).execute();
    },
  };
}

export interface OutboxMail { id: string; to: string; subject: string; text: string; createdAt: string }

export async function listOutbox(db: Kysely<Database>, limit = 50): Promise<OutboxMail[]> {
  const rows = await db.selectFrom('mail_outbox').select(['id', 'recipient', 'subject', 'text_body', 'created_at']).orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, to: r.recipient, subject: r.subject, text: r.text_body, createdAt: r.created_at }));
}
