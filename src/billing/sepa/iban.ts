// Checking what a reader types as IBAN and BIC, masking an IBAN for the screen, and checking our creditor identifier.
import { ValidationErrorsIBAN, getCountrySpecifications, isSEPACountry, validateIBAN } from 'ibantools';

export type IbanCheck = { ok: true; iban: string; country: string } | { ok: false; message: string };
export type BicCheck = { ok: true; bic: string | null } | { ok: false; message: string };

const COUNTRIES = getCountrySpecifications();
const REGION_NAMES = new Intl.DisplayNames(['de'], { type: 'region' });

function countryName(code: string): string {
  try {
    return REGION_NAMES.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Electronic format: no spaces (typed, copied or non-breaking) or dashes, upper case. */
function compact(input: string): string {
  return input.replace(/[\s-]+/g, '').toUpperCase();
}

/**
 * Checks a typed IBAN and says in German which part is wrong, so a reader can fix a typo without guessing.
 * Only accounts in the SEPA area can be debited, so other countries are refused even when their IBAN is valid.
 */
export function checkIban(input: string): IbanCheck {
  const iban = compact(input);
  if (iban === '') return { ok: false, message: 'Bitte geben Sie Ihre IBAN ein.' };
  const bad = [...iban].find((ch) => !/[A-Z0-9]/.test(ch));
  if (bad !== undefined) return { ok: false, message: `Das Zeichen „${bad}“ kommt in einer IBAN nicht vor; sie besteht nur aus Buchstaben und Ziffern.` };
  const country = iban.slice(0, 2);
  if (!/^[A-Z]{2}$/.test(country)) return { ok: false, message: 'Eine IBAN beginnt mit dem Ländercode aus zwei Buchstaben, zum Beispiel DE.' };
  const spec = COUNTRIES[country];
  if (!spec?.chars) return { ok: false, message: `Den Ländercode „${country}“ gibt es für IBANs nicht – bitte die ersten zwei Buchstaben prüfen.` };
  if (!isSEPACountry(country)) {
    return { ok: false, message: `Konten aus ${countryName(country)} (${country}) liegen nicht im SEPA-Raum; eine Lastschrift ist nur von Konten im SEPA-Raum möglich.` };
  }
  if (!/^[0-9]{2}$/.test(iban.slice(2, 4))) return { ok: false, message: 'Auf den Ländercode folgen zwei Prüfziffern; an Stelle 3 und 4 stehen hier keine Ziffern.' };
  if (iban.length !== spec.chars) {
    return { ok: false, message: `Eine IBAN aus ${countryName(country)} hat ${spec.chars} Stellen, diese hat ${iban.length}.` };
  }
  const errors = validateIBAN(iban).errorCodes;
  if (errors.includes(ValidationErrorsIBAN.WrongBBANFormat)) {
    return { ok: false, message: `Nach den Prüfziffern passt die IBAN nicht zum Aufbau für ${countryName(country)} (Buchstaben, wo Ziffern stehen müssen, oder umgekehrt).` };
  }
  if (errors.includes(ValidationErrorsIBAN.WrongAccountBankBranchChecksum)) {
    return { ok: false, message: 'Die Kontonummer in der IBAN ist ungültig (ihre nationale Prüfziffer stimmt nicht) – bitte Tippfehler prüfen.' };
  }
  if (errors.length > 0) return { ok: false, message: 'Die Prüfziffer der IBAN stimmt nicht – bitte Tippfehler prüfen.' };
  return { ok: true, iban, country };
}

/**
 * Checks an optional BIC: within the SEPA area the IBAN is enough, so an empty field is fine and yields null.
 * Format as ISO 9362 (2014): 4 bank characters, 2 country letters, 2 location characters, optionally 3 for the branch.
 */
export function checkBic(input: string): BicCheck {
  const bic = input.replace(/\s+/g, '').toUpperCase();
  if (bic === '') return { ok: true, bic: null };
  if (!/^[A-Z0-9]+$/.test(bic)) return { ok: false, message: 'Eine BIC besteht nur aus Buchstaben und Ziffern.' };
  if (bic.length !== 8 && bic.length !== 11) return { ok: false, message: `Eine BIC hat 8 oder 11 Stellen, diese hat ${bic.length}.` };
  const country = bic.slice(4, 6);
  if (!/^[A-Z]{2}$/.test(country) || COUNTRIES[country] === undefined) {
    return { ok: false, message: `An Stelle 5 und 6 einer BIC steht der Ländercode; „${country}“ ist keiner.` };
  }
  return { ok: true, bic };
}

/**
 * An IBAN as we may show it (Mein Konto, mails): country and check digits, bullets in groups of four, the last four
 * characters. The number of bullet groups does not reveal the exact length.
 */
export function maskIban(iban: string): string {
  const value = compact(iban);
  if (value.length < 9) return '••••';
  const groups = Math.max(1, Math.floor((value.length - 8) / 4));
  return [value.slice(0, 4), ...Array.from({ length: groups }, () => '••••'), value.slice(-4)].join(' ');
}

/** ISO 7064 MOD 97-10 over digits, letters counted as A=10 … Z=35; done piecewise because the number is too long for a double. */
function mod97(text: string): number {
  let rest = 0;
  for (const ch of text) {
    const value = ch >= 'A' && ch <= 'Z' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of value) rest = (rest * 10 + Number(digit)) % 97;
  }
  return rest;
}

/**
 * Checks a SEPA creditor identifier (Gläubiger-Identifikationsnummer), e.g. DE98ZZZ09999999999: country, two check
 * digits, a three-character business code, the national identifier. The check digits cover the national identifier
 * and the country only — the business code can be changed freely by the creditor, so it is left out (EPC 262-08).
 */
export function checkCreditorId(id: string): boolean {
  const value = compact(id);
  const match = /^([A-Z]{2})([0-9]{2})([A-Z0-9]{3})([A-Z0-9]{1,28})$/.exec(value);
  if (!match) return false;
  const [, country, check, , national] = match as unknown as [string, string, string, string, string];
  if (!isSEPACountry(country)) return false;
  // Germany's Bundesbank issues 11 digits after the business code.
  if (country === 'DE' && !/^[0-9]{11}$/.test(national)) return false;
  return mod97(`${national}${country}${check}`) === 1;
}
