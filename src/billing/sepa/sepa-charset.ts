// The SEPA character set: names and remittance text are transliterated into it (ä → ae), identifiers must already fit.

/**
 * The EPC's basic Latin set every SEPA bank must accept. German banks take more (umlauts, &, *, $, %),
 * but a file that stays inside this set is accepted everywhere, so we transliterate rather than gamble.
 */
const SEPA_TEXT = /^[A-Za-z0-9/?:().,'+\- ]*$/;

/** Identifiers (message, end-to-end, mandate): SEPA letters without spaces, never starting with '/' nor containing '//' (EPC rule). */
const SEPA_ID = /^[A-Za-z0-9/?:().,'+-]{1,35}$/;

const REPLACEMENTS: Record<string, string> = {
  'ä': 'ae', 'ö': 'oe', 'ü': 'ue', 'Ä': 'Ae', 'Ö': 'Oe', 'Ü': 'Ue', 'ß': 'ss', 'ẞ': 'SS',
  'æ': 'ae', 'Æ': 'Ae', 'œ': 'oe', 'Œ': 'Oe', 'ø': 'o', 'Ø': 'O', 'ł': 'l', 'Ł': 'L', 'đ': 'd', 'Đ': 'D', 'þ': 'th', 'Þ': 'Th', 'ð': 'd', 'Ð': 'D', 'ı': 'i',
  '&': '+', '‘': "'", '’': "'", '‚': "'", '`': "'", '´': "'", '“': '', '”': '', '„': '', '"': '', '«': '', '»': '',
  '–': '-', '—': '-', '‐': '-', '‑': '-', '_': '-', ';': ',', '!': '.',
};

const SEPA_CHAR = /^[A-Za-z0-9/?:().,'+\- ]$/;

/**
 * Text as the bank will carry it: German and other Latin letters transliterated (Müller → Mueller, José → Jose),
 * typographic quotes and dashes simplified, runs of whitespace collapsed. Returns the character that has no
 * SEPA form (e.g. '€', '@', 'Ж') instead of guessing one.
 */
export function toSepaText(input: string): { ok: true; text: string } | { ok: false; char: string } {
  const collapsed = input.normalize('NFC').replace(/\s+/g, ' ').trim();
  // Most names and purposes need no change; a file of 100,000 debits should not walk them character by character.
  if (SEPA_TEXT.test(collapsed)) return { ok: true, text: collapsed };
  let out = '';
  for (const ch of collapsed) {
    const mapped = REPLACEMENTS[ch];
    if (mapped !== undefined) { out += mapped; continue; }
    if (SEPA_CHAR.test(ch)) { out += ch; continue; }
    // é → e + combining accent → e; what has no Latin base letter is reported, not guessed.
    const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    if (base === '' || !SEPA_TEXT.test(base)) return { ok: false, char: ch };
    out += base;
  }
  return { ok: true, text: out.replace(/ {2,}/g, ' ').trim() };
}

/** Whether `id` is usable as a SEPA identifier (1–35 SEPA characters, no space, no leading '/', no '//'). */
export function isSepaId(id: string): boolean {
  return SEPA_ID.test(id) && !id.startsWith('/') && !id.includes('//');
}
