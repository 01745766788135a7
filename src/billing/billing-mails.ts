// The billing mails: order confirmation (contract text, withdrawal, SEPA pre-notification), dunning, gift, end and cancellation receipt.
import { composeMail, type OutgoingMail } from '../mail/index.ts';
import { formatGermanDate, formatGermanDateTime, lastDayBefore } from './billing-calendar.ts';
import type { CheckoutQuote } from './checkout.service.ts';
import { formatEuro } from './offer.ts';
import type { Subscription } from './subscription.store.ts';

interface MailCtx { siteName: string; baseUrl: string; creditor: { name: string; creditorId: string } }

export const WITHDRAWAL_TEXT = [
  'Widerrufsbelehrung: Sie haben das Recht, binnen vierzehn Tagen ohne Angabe von Gründen diesen Vertrag zu widerrufen. Die Widerrufsfrist beträgt vierzehn Tage ab dem Tag des Vertragsabschlusses.',
  'Um Ihr Widerrufsrecht auszuüben, müssen Sie uns mittels einer eindeutigen Erklärung (z. B. eine E-Mail) über Ihren Entschluss, diesen Vertrag zu widerrufen, informieren. Zur Wahrung der Widerrufsfrist reicht es aus, dass Sie die Mitteilung vor Ablauf der Widerrufsfrist absenden.',
  'Folgen des Widerrufs: Wenn Sie diesen Vertrag widerrufen, zahlen wir Ihnen alle Zahlungen, die wir von Ihnen erhalten haben, unverzüglich und spätestens binnen vierzehn Tagen zurück.',
  'Vorzeitiges Erlöschen: Sie haben ausdrücklich zugestimmt, dass wir vor Ablauf der Widerrufsfrist mit der Bereitstellung der digitalen Inhalte beginnen, und Ihre Kenntnis davon bestätigt, dass Sie dadurch Ihr Widerrufsrecht verlieren (§ 356 Abs. 5 BGB).',
];

export function orderConfirmationMail(c: MailCtx, o: { to: string; sub: Subscription; quote: CheckoutQuote; mandate: { reference: string; iban_masked: string } | null; giftCode: string | null }): OutgoingMail {
  const q = o.quote;
  const paragraphs = [
    `vielen Dank für Ihre Bestellung. Hiermit bestätigen wir den Vertrag über „${o.sub.offer_name}“ (Abo-Nummer ${o.sub.number}).`,
    `Vertragsinhalt: Zugang zu allen Plus-Artikeln von ${c.siteName}. Preis: ${q.priceText} (inkl. 7 % MwSt.). ${q.termsText}.`,
    o.sub.kind === 'gift'
      ? `Ihr Geschenk-Code: ${o.giftCode}. Die beschenkte Person löst ihn unter ${c.baseUrl}/abo/einloesen ein; ab dann läuft das Geschenk-Abo ${q.giftMonths} Monate und endet von selbst.`
      : `Sie können jederzeit über „Verträge hier kündigen“ unten auf jeder Seite oder in „Mein Konto“ kündigen.`,
    ...(o.mandate ? [
      `Vorabankündigung (Pre-Notification): Wir ziehen ${formatEuro(q.firstAmountCents)} am ${formatGermanDate(q.sepaDueOn)} per SEPA-Lastschrift von Ihrem Konto ${o.mandate.iban_masked} ein.` +
      (q.nextAmountCents !== null && q.nextDueOn ? ` Danach ziehen wir ${formatEuro(q.nextAmountCents)} jeweils zum Beginn des nächsten Zeitraums ein, erstmals am ${formatGermanDate(q.nextDueOn)}.` : ''),
      `Gläubiger-Identifikationsnummer: ${c.creditor.creditorId} (${c.creditor.name}). Mandatsreferenz: ${o.mandate.reference}.`,
    ] : []),
    ...WITHDRAWAL_TEXT,
  ];
  return composeMail({ to: o.to, siteName: c.siteName, subject: `Ihre Bestellung bei ${c.siteName}: ${o.sub.offer_name} (${o.sub.number})`, paragraphs, action: { label: 'Zu Mein Konto', url: `${c.baseUrl}/konto/abo` } });
}

export function dunningReminderMail(c: MailCtx, o: { to: string; sub: Subscription; attempt: number; amountCents: number; dueOn: string }): OutgoingMail {
  return composeMail({
    to: o.to, siteName: c.siteName, subject: `Zahlungserinnerung ${o.attempt} zu Ihrem Abo ${o.sub.number}`,
    paragraphs: [
      `leider konnten wir den letzten Betrag für Ihr Abo „${o.sub.offer_name}“ nicht einziehen.`,
      `Wir versuchen es erneut und ziehen ${formatEuro(o.amountCents)} am ${formatGermanDate(o.dueOn)} ein. Bitte sorgen Sie für Deckung oder hinterlegen Sie in „Mein Konto“ eine neue Bankverbindung.`,
      `Nach drei erfolglosen Versuchen innerhalb von 14 Tagen endet das Abo.`,
    ],
    action: { label: 'Zahlungsart ändern', url: `${c.baseUrl}/konto/abo` },
  });
}

export function giftEndingMail(c: MailCtx, o: { to: string; sub: Subscription }): OutgoingMail {
  return composeMail({
    to: o.to, siteName: c.siteName, subject: `Ihr Geschenk-Abo endet am ${formatGermanDate(lastDayBefore(o.sub.current_period_end!))}`,
    paragraphs: [
      `Ihr Geschenk-Abo „${o.sub.offer_name}“ läuft noch bis einschließlich ${formatGermanDate(lastDayBefore(o.sub.current_period_end!))} und endet dann von selbst – Sie müssen nichts tun.`,
      'Wenn Sie Plus danach weiterlesen möchten, finden Sie unsere Angebote unter dem folgenden Link.',
    ],
    action: { label: 'Plus weiterlesen', url: `${c.baseUrl}/abo` },
  });
}

export function subscriptionEndedMail(c: MailCtx, o: { to: string; sub: Subscription }): OutgoingMail {
  const why = o.sub.end_reason === 'unpaid' ? 'weil die offenen Beträge auch nach drei Versuchen nicht eingegangen sind' : o.sub.end_reason === 'gift-over' ? 'weil die Laufzeit des Geschenk-Abos vorbei ist' : 'wie vereinbart';
  return composeMail({
    to: o.to, siteName: c.siteName, subject: `Ihr Abo ${o.sub.number} ist beendet`,
    paragraphs: [`Ihr Abo „${o.sub.offer_name}“ ist beendet, ${why}. Vielen Dank, dass Sie ${c.siteName} gelesen haben.`],
    action: { label: 'Angebote ansehen', url: `${c.baseUrl}/abo` },
  });
}

export function cancellationReceiptMail(c: MailCtx, o: { to: string; name: string; number: string; receivedAt: string; kind: 'ordinary' | 'extraordinary'; contractHint: string; effectiveAt: string | null; matched: boolean }): OutgoingMail {
  const paragraphs = [
    `wir haben Ihre ${o.kind === 'ordinary' ? 'ordentliche' : 'außerordentliche'} Kündigung am ${formatGermanDateTime(o.receivedAt)} erhalten (Eingangsnummer ${o.number}).`,
    `Angaben: ${o.name}, Vertrag „${o.contractHint}“.`,
    o.effectiveAt
      ? `Ihr Vertrag endet zum ${formatGermanDate(lastDayBefore(o.effectiveAt))} (einschließlich). Bis dahin können Sie Plus weiter lesen, und bis dahin können Sie die Kündigung in „Mein Konto“ auch zurücknehmen.`
      : o.matched
        ? 'Wir prüfen Ihre außerordentliche Kündigung und teilen Ihnen das Vertragsende umgehend mit.'
        : 'Wir ordnen Ihre Kündigung dem Vertrag zu und bestätigen Ihnen das Vertragsende umgehend per E-Mail.',
  ];
  return composeMail({ to: o.to, siteName: c.siteName, subject: `Eingangsbestätigung Ihrer Kündigung (${o.number})`, paragraphs });
}

export function mandateChangedMail(c: MailCtx, o: { to: string; sub: Subscription; reference: string; ibanMasked: string; open: { amountCents: number; dueOn: string } | null }): OutgoingMail {
  return composeMail({
    to: o.to, siteName: c.siteName, subject: `Neue Bankverbindung für Ihr Abo ${o.sub.number}`,
    paragraphs: [
      `für Ihr Abo „${o.sub.offer_name}“ haben Sie ein neues SEPA-Lastschriftmandat erteilt: Konto ${o.ibanMasked}, Mandatsreferenz ${o.reference}, Gläubiger-Identifikationsnummer ${c.creditor.creditorId} (${c.creditor.name}). Das bisherige Mandat ist erloschen.`,
      o.open
        ? `Vorabankündigung (Pre-Notification): Wir ziehen den offenen Betrag von ${formatEuro(o.open.amountCents)} am ${formatGermanDate(o.open.dueOn)} von diesem Konto ein. Künftige Beträge ziehen wir jeweils zum Beginn des nächsten Zeitraums ein.`
        : 'Künftige Beträge ziehen wir jeweils zum Beginn des nächsten Zeitraums von diesem Konto ein.',
      'Wenn Sie das nicht waren, melden Sie sich bitte sofort bei uns und ändern Sie Ihr Passwort.',
    ],
    action: { label: 'Zu Mein Konto', url: `${c.baseUrl}/konto/abo` },
  });
}
