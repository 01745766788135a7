// German texts for the ISO 20022 reason codes banks give when a direct debit is rejected, returned or refunded.

/** Written for the publisher's staff and, shortened, for the reader: what happened, in plain German. */
const REASONS: Record<string, string> = {
  AC01: 'Die IBAN ist fehlerhaft oder das Konto existiert nicht.',
  AC04: 'Das Konto wurde aufgelöst.',
  AC06: 'Das Konto ist gesperrt.',
  AC13: 'Das Konto ist ein Verbraucherkonto; eine Firmenlastschrift ist davon nicht möglich.',
  AG01: 'Lastschriften sind auf diesem Konto nicht zugelassen (zum Beispiel ein Sparkonto).',
  AG02: 'Die Art der Lastschrift ist ungültig (zum Beispiel ein falscher Sequenztyp).',
  AM04: 'Das Konto war nicht gedeckt.',
  AM05: 'Die Lastschrift wurde doppelt eingereicht.',
  BE05: 'Die Bank des Zahlungspflichtigen kennt die Gläubiger-Identifikationsnummer nicht.',
  CNOR: 'Die Bank des Zahlungsempfängers ist für SEPA-Lastschriften nicht erreichbar.',
  DNOR: 'Die Bank des Zahlungspflichtigen ist für SEPA-Lastschriften nicht erreichbar.',
  FF01: 'Die Lastschriftdatei hatte ein ungültiges Format.',
  MD01: 'Es liegt kein gültiges Mandat vor (Widerspruch des Kontoinhabers).',
  MD02: 'Die Angaben zum Mandat fehlen oder sind fehlerhaft.',
  MD06: 'Der Kontoinhaber hat die Lastschrift zurückgegeben (Erstattung innerhalb von acht Wochen).',
  MD07: 'Der Kontoinhaber ist verstorben.',
  MS02: 'Der Kontoinhaber hat die Lastschrift ohne Angabe von Gründen abgelehnt.',
  MS03: 'Die Bank hat die Lastschrift ohne Angabe von Gründen zurückgegeben.',
  RC01: 'Die BIC ist fehlerhaft.',
  RR01: 'Kontoangaben des Zahlungspflichtigen fehlen (regulatorische Gründe).',
  RR02: 'Name oder Anschrift des Zahlungspflichtigen fehlen (regulatorische Gründe).',
  RR03: 'Name oder Anschrift des Zahlungsempfängers fehlen (regulatorische Gründe).',
  RR04: 'Die Lastschrift wurde aus regulatorischen Gründen zurückgegeben.',
  SL01: 'Die Bank des Kontoinhabers hat die Lastschrift auf dessen Wunsch abgewiesen (Lastschriftsperre).',
  FOCR: 'Die Lastschrift wurde nach einem Rückruf des Zahlungsempfängers zurückgegeben.',
  DUPL: 'Die Lastschrift wurde doppelt eingereicht.',
  AC03: 'Die IBAN des Zahlungsempfängers ist ungültig.',
  AM02: 'Der Betrag übersteigt den zulässigen Höchstbetrag.',
  BE01: 'Der Name passt nicht zum Konto.',
  CUST: 'Der Kontoinhaber hat die Lastschrift vor der Belastung abgelehnt.',
  ED05: 'Die Verrechnung zwischen den Banken ist fehlgeschlagen.',
  TECH: 'Die Lastschrift scheiterte an einem technischen Problem der Bank.',
};

/** The German text for a reason code; an unknown code still tells staff which code to look up. */
export function returnReasonText(code: string): string {
  if (code === '') return 'Die Bank hat keinen Grund angegeben.';
  const key = code.toUpperCase();
  return Object.hasOwn(REASONS, key) ? REASONS[key]! : `Die Bank nennt den Grund „${code}“, für den kein Text hinterlegt ist.`;
}
