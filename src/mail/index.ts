// Public face of mail: the mailer adapters, the outbox listing and the account mail templates.
export { smtpMailer, outboxMailer, withoutSecrets, listOutbox, type Mailer, type OutgoingMail, type OutboxMail } from './mailer.ts';
export { composeMail, type MailContent } from './mail-layout.ts';
export * from './account-mails.ts';
