// The German mails of the account flows: verify, already registered, reset, email change, password changed.
import { composeMail } from './mail-layout.ts';
import type { OutgoingMail } from './mailer.ts';

export interface MailContext { siteName: string; baseUrl: string }

export const verifyEmailMail = (c: MailContext, to: string, token: string): OutgoingMail => ({ ...composeMail({
  to, siteName: c.siteName, subject: `Bitte bestätigen Sie Ihre E-Mail-Adresse bei ${c.siteName}`,
  paragraphs: [`vielen Dank für Ihre Registrierung bei ${c.siteName}. Bitte bestätigen Sie, dass diese E-Mail-Adresse Ihnen gehört.`],
  action: { label: 'E-Mail-Adresse bestätigen', url: `${c.baseUrl}/registrieren/bestaetigen?token=${encodeURIComponent(token)}`, note: 'Der Link gilt 48 Stunden und funktioniert einmal. Wenn Sie sich nicht registriert haben, können Sie diese Mail einfach löschen.' },
}), secrets: [token] });

export const alreadyRegisteredMail = (c: MailContext, to: string): OutgoingMail => composeMail({
  to, siteName: c.siteName, subject: `Registrierung bei ${c.siteName}: Sie haben bereits ein Konto`,
  paragraphs: [
    'gerade wollte sich jemand mit Ihrer E-Mail-Adresse neu registrieren. Für diese Adresse gibt es bereits ein Konto, deshalb haben wir kein zweites angelegt.',
    'Wenn Sie das waren: Melden Sie sich einfach an. Falls Sie Ihr Passwort vergessen haben, können Sie ein neues festlegen.',
  ],
  action: { label: 'Neues Passwort festlegen', url: `${c.baseUrl}/passwort-vergessen`, note: 'Wenn Sie das nicht waren, müssen Sie nichts tun. Ihr Konto bleibt unverändert.' },
});

export const resetPasswordMail = (c: MailContext, to: string, token: string): OutgoingMail => ({ ...composeMail({
  to, siteName: c.siteName, subject: `Neues Passwort für ${c.siteName}`,
  paragraphs: ['Sie haben ein neues Passwort angefordert. Über den folgenden Link legen Sie es fest.'],
  action: { label: 'Neues Passwort festlegen', url: `${c.baseUrl}/passwort-vergessen/neu?token=${encodeURIComponent(token)}`, note: 'Der Link gilt eine Stunde und funktioniert einmal. Wenn Sie kein neues Passwort angefordert haben, ignorieren Sie diese Mail; Ihr Passwort bleibt dann unverändert.' },
}), secrets: [token] });

export const confirmNewEmailMail = (c: MailContext, to: string, token: string): OutgoingMail => ({ ...composeMail({
  to, siteName: c.siteName, subject: `Bitte bestätigen Sie Ihre neue E-Mail-Adresse bei ${c.siteName}`,
  paragraphs: [`Sie möchten Ihr Konto bei ${c.siteName} künftig mit dieser Adresse nutzen. Bitte bestätigen Sie die Änderung.`],
  action: { label: 'Neue Adresse bestätigen', url: `${c.baseUrl}/konto/email/bestaetigen?token=${encodeURIComponent(token)}`, note: 'Der Link gilt 24 Stunden und funktioniert einmal. Bis zur Bestätigung bleibt Ihre bisherige Adresse gültig.' },
}), secrets: [token] });

export const emailChangeRequestedMail = (c: MailContext, to: string, newEmail: string): OutgoingMail => composeMail({
  to, siteName: c.siteName, subject: `Ihre E-Mail-Adresse bei ${c.siteName} soll geändert werden`,
  paragraphs: [
    `für Ihr Konto wurde eine Änderung der E-Mail-Adresse auf ${newEmail} angefordert. Die Änderung wird erst wirksam, wenn sie an der neuen Adresse bestätigt wird.`,
    'Wenn Sie das nicht waren, ändern Sie bitte Ihr Passwort.',
  ],
  action: { label: 'Zum Konto', url: `${c.baseUrl}/konto` },
});

export const emailTakenMail = (c: MailContext, to: string): OutgoingMail => composeMail({
  to, siteName: c.siteName, subject: `Ihre E-Mail-Adresse bei ${c.siteName}`,
  paragraphs: [
    'jemand wollte diese E-Mail-Adresse für ein anderes Konto eintragen. Da sie bereits zu Ihrem Konto gehört, haben wir nichts geändert.',
    'Wenn Sie das waren und die Konten zusammenführen möchten, melden Sie sich bei uns.',
  ],
});

export const passwordChangedMail = (c: MailContext, to: string): OutgoingMail => composeMail({
  to, siteName: c.siteName, subject: `Ihr Passwort bei ${c.siteName} wurde geändert`,
  paragraphs: ['das Passwort Ihres Kontos wurde soeben geändert. Andere Geräte wurden dabei abgemeldet.', 'Wenn Sie das nicht waren, fordern Sie bitte sofort ein neues Passwort an.'],
  action: { label: 'Neues Passwort anfordern', url: `${c.baseUrl}/passwort-vergessen` },
});
