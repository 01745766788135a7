// Sending mail: one interface, two adapters — SMTP through nodemailer, or the outbox table when no SMTP server is configured.
import nodemailer from 'nodemailer';
import type { Kysely } from 'kysely';
import { newId, nowIso, type Database } from '../db/index.ts';

export interface OutgoingMail {
  to: string; subject: string; text: string; html: string;
  /** one-time tokens in the links: sent to the recipient, never stored (the outbox blanks them out) */
  secrets?: readonly string[];
}

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

const REDACTED = 'ENTFERNT';
const REDACTION_NOTE = '\n\n(Im Postausgang gespeichert ohne den Einmal-Schlüssel des Links; er ist nur für den Empfänger bestimmt.)';

/** The mail with its one-time tokens replaced, so a copy at rest (database, backup, admin page) opens no account. */
export function withoutSecrets(mail: OutgoingMail): OutgoingMail {
  const secrets = (mail.secrets ?? []).filter(Boolean).flatMap((s) => [s, encodeURIComponent(s)]);
  if (!secrets.length) return mail;
  const blank = (s: string) => secrets.reduce((acc, secret) => acc.split(secret).join(REDACTED), s);
  return { to: mail.to, subject: mail.subject, text: blank(mail.text) + REDACTION_NOTE, html: blank(mail.html) };
}

/**
 * `keepSecrets`: store the links whole, so that on a development machine without a mail server the outbox is how one
 * completes registration. Production keeps the mail but not a usable token (issue 7).
 */
export function outboxMailer(db: Kysely<Database>, o: { keepSecrets?: boolean; now?: () => Date } = {}): Mailer {
  return {
    kind: 'outbox',
    async send(full) {
      const mail = o.keepSecrets ? full : withoutSecrets(full);
      await db.insertInto('mail_outbox').values({ id: newId(), recipient: mail.to, subject: mail.subject, text_body: mail.text, html_body: mail.html, created_at: nowIso(o.now?.() ?? new Date()) }).execute();
    },
  };
}

export interface OutboxMail { id: string; to: string; subject: string; text: string; createdAt: string }

export async function listOutbox(db: Kysely<Database>, limit = 50): Promise<OutboxMail[]> {
  const rows = await db.selectFrom('mail_outbox').select(['id', 'recipient', 'subject', 'text_body', 'created_at']).orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, to: r.recipient, subject: r.subject, text: r.text_body, createdAt: r.created_at }));
}
