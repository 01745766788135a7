// Deterministic randomness and German newspaper text for the generated big paper: every value a pure function of (seed, stream, row).
import { seededRng } from '../content/index.ts';

/** A small fast PRNG (mulberry32, the demo's): the same seed gives the same sequence on every machine. */
export const rng: (seed: number) => () => number = seededRng;

/** Combines numbers into one 32-bit seed (murmur3's finaliser per part). */
export function mix(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    let k = Math.imul(p >>> 0, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h = Math.imul(((h ^ k) << 13) | ((h ^ k) >>> 19), 5) + 0xe6546b64;
  }
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;
  return h >>> 0;
}

/** The random source of one row of one stream: rows are independent, so any row can be made without the others. */
export const rowRng = (seed: number, stream: number, n: number): (() => number) => rng(mix(seed, stream, n));

const ID_BYTES = Buffer.alloc(12);
/**
 * An opaque id like newId() (12 bytes, base64url), unique by construction: the middle word is a bijection of the row
 * number (an odd multiplier and an xor-shift are both invertible mod 2^32), the others depend on seed and stream.
 */
export function generatedId(seed: number, stream: number, n: number): string {
  let x = (n ^ mix(seed, stream)) >>> 0;
  x = Math.imul(x, 0x9e3779b1) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  ID_BYTES.writeUInt32BE(mix(seed, stream, 7), 0);
  ID_BYTES.writeUInt32BE(x, 4);
  ID_BYTES.writeUInt32BE(mix(seed, stream, n, 11), 8);
  return ID_BYTES.toString('base64url');
}

export const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;

/** A choice by weights, e.g. [['plus', 35], ['free', 55], …]. */
export function weighted<T>(r: () => number, table: readonly (readonly [T, number])[]): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [v, w] of table) { if ((x -= w) < 0) return v; }
  return table[table.length - 1]![0];
}

export const FIRST_NAMES = ['Anna', 'Jonas', 'Lea', 'Lukas', 'Marie', 'Paul', 'Sophie', 'Felix', 'Emma', 'Leon', 'Hannah', 'Finn', 'Mia', 'Elias', 'Lena',
  'Noah', 'Clara', 'Ben', 'Ida', 'Moritz', 'Greta', 'Jakob', 'Frieda', 'Anton', 'Selin', 'Konrad', 'Dagmar', 'Bernd', 'Ursula', 'Wolfgang', 'Petra', 'Jürgen',
  'Sabine', 'Thomas', 'Heike', 'Stefan', 'Renate', 'Klaus', 'Birgit', 'Andreas', 'Özlem', 'Mehmet', 'Katarzyna', 'Piotr', 'Aylin', 'Dimitri', 'Björn', 'Jörg'];
export const LAST_NAMES = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Koch', 'Richter',
  'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Braun', 'Zimmermann', 'Krüger', 'Hartmann', 'Lange', 'Werner', 'Krause', 'Lehmann', 'Köhler',
  'Vossberg', 'Aydemir', 'Heitkamp', 'Lüttmann', 'Kampmann', 'Brinkmann', 'Tiedemann', 'Overbeck', 'Jansen', 'Hinrichs', 'Wiegand', 'Nowak', 'Yilmaz', 'Kowalski'];

const PLACES = ['Brackenau', 'Niederkamp', 'Oberhessel', 'Sülmetal', 'Kirchwende', 'Haselfurt', 'Mühlentor', 'Altenbruch', 'Wiesbrück', 'Lindhorst', 'Rotenfeld', 'Grevenstedt'];

/** Per section: kickers, subjects and what they do — enough variety that search and listings behave like a real archive. */
const SECTION_TEXT: Record<string, { kickers: string[]; subjects: string[]; actions: string[] }> = {
  stadt: {
    kickers: ['Rathaus', 'Verkehr', 'Baustelle', 'Wohnen', 'Schule', 'Stadtwerke', 'Haushalt', 'Markt', 'Innenstadt', 'Advent'],
    subjects: ['Der Stadtrat', 'Die Bürgermeisterin', 'Das Bauamt', 'Die Stadtwerke GmbH', 'Der Ortsbeirat', 'Die Verwaltung', 'Das Ordnungsamt', 'Der Seniorenbeirat'],
    actions: ['beschließt neue Pläne für den Marktplatz', 'sperrt die Mühlentorbrücke für drei Wochen', 'erhöht die Gebühren für Parkplätze', 'plant einen Radweg entlang der Sülme',
      'stellt den Haushalt für das kommende Jahr vor', 'saniert die Grundschule am Lindenweg', 'verlängert die Öffnungszeiten der Bibliothek', 'baut neue Wohnungen am Bahnhof'],
  },
  region: {
    kickers: ['Kreis', 'Wetter', 'Landwirtschaft', 'Nahverkehr', 'Natur', 'Polizei', 'Feuerwehr', 'Gesundheit'],
    subjects: ['Der Kreistag', 'Die Feuerwehr', 'Die Polizei', 'Der Landkreis', 'Der Bauernverband', 'Der Zweckverband', 'Das Kreiskrankenhaus', 'Die Busgesellschaft'],
    actions: ['warnt vor Glätte auf den Höhen', 'rückt zu einem Großbrand in einer Scheune aus', 'sucht Zeugen nach einem Unfall auf der Landstraße', 'stellt den neuen Fahrplan vor',
      'pflanzt tausend Bäume am Sülmeufer', 'schließt die Geburtsstation vorübergehend', 'fordert mehr Geld vom Land', 'eröffnet eine neue Rettungswache'],
  },
  wirtschaft: {
    kickers: ['Unternehmen', 'Handel', 'Arbeit', 'Handwerk', 'Energie', 'Tourismus'],
    subjects: ['Die Brackenauer Maschinenfabrik', 'Der Einzelhandelsverband', 'Die Sparkasse', 'Die Handwerkskammer', 'Ein Start-up aus Haselfurt', 'Die Brauerei Kampmann'],
    actions: ['stellt zweihundert neue Mitarbeiter ein', 'meldet einen Rekordumsatz', 'schließt die Filiale in der Altstadt', 'investiert in eine Solaranlage',
      'sucht dringend Auszubildende', 'verlagert die Produktion ins Gewerbegebiet', 'übernimmt einen Zulieferer', 'kämpft mit gestiegenen Energiepreisen'],
  },
  sport: {
    kickers: ['Fußball', 'Handball', 'Leichtathletik', 'Schwimmen', 'Radsport', 'Tischtennis', 'Turnen'],
    subjects: ['Der SV Brackenau', 'Die HSG Sülmetal', 'Der TuS Niederkamp', 'Die Handballabteilung des TV Oberhessel', 'Der Radclub Haselfurt', 'Die A-Jugend des FC Altenbruch'],
    actions: ['gewinnt das Derby in der Nachspielzeit', 'steigt nach einer starken Saison auf', 'verliert knapp gegen den Tabellenführer', 'holt einen neuen Trainer',
      'feiert den Kreispokal', 'richtet die Landesmeisterschaft aus', 'muss um den Klassenerhalt bangen', 'verpflichtet zwei Talente aus der Region'],
  },
  kultur: {
    kickers: ['Theater', 'Musik', 'Museum', 'Literatur', 'Kino', 'Ausstellung', 'Konzert'],
    subjects: ['Das Stadttheater', 'Der Posaunenchor der Marienkirche', 'Das Heimatmuseum', 'Die Musikschule', 'Der Kunstverein', 'Die Stadtbibliothek'],
    actions: ['zeigt eine gefeierte Inszenierung', 'lädt zum Sommerkonzert im Schlosspark', 'eröffnet eine Ausstellung über die Textilgeschichte', 'feiert sein hundertjähriges Bestehen',
      'bekommt eine neue Leitung', 'holt eine bekannte Autorin zur Lesung', 'restauriert ein wertvolles Gemälde', 'startet eine Reihe für junge Bands'],
  },
  politik: {
    kickers: ['Landtag', 'Wahl', 'Bund', 'Europa', 'Parteien', 'Bürgerbeteiligung'],
    subjects: ['Die Landtagsabgeordnete', 'Der Kreisverband', 'Die Fraktion im Stadtrat', 'Die Landesregierung', 'Ein Bürgerbündnis', 'Der Bundestagsabgeordnete'],
    actions: ['fordert schnelleres Internet auf dem Land', 'stellt sich zur Wahl', 'kritisiert die Kürzungen beim Nahverkehr', 'startet ein Bürgerbegehren',
      'verspricht Geld für die Sanierung der Brücken', 'lädt zur Bürgerversammlung', 'streitet über die neue Umgehungsstraße', 'will die Schulen besser ausstatten'],
  },
  meinung: {
    kickers: ['Kommentar', 'Leitartikel', 'Glosse', 'Standpunkt'],
    subjects: ['Die Stadt', 'Der Kreis', 'Die Politik', 'Der Verein', 'Die Verwaltung', 'Das Land'],
    actions: ['muss endlich mutiger werden', 'verschläft eine Chance', 'verdient ein Lob', 'sollte auf die Bürger hören', 'darf jetzt nicht nachlassen', 'braucht einen langen Atem'],
  },
};

const OPENERS = ['Am Montag', 'Am Dienstagabend', 'In der vergangenen Woche', 'Seit Anfang des Monats', 'Am Wochenende', 'Bereits im Frühjahr', 'Nach langem Streit', 'Überraschend'];
const MIDDLES = ['nach Angaben der Verwaltung', 'wie ein Sprecher bestätigte', 'nach einer Sitzung im Rathaus', 'trotz deutlicher Kritik', 'mit großer Mehrheit', 'zur Freude vieler Anwohner'];
/** Things money is for, with the article they take after „für“ (accusative): „für den Radweg“, „für die Kita“, „für das Freibad“. */
const NOUNS: readonly (readonly [string, 'den' | 'die' | 'das'])[] = [['Haushalt', 'den'], ['Brücke', 'die'], ['Bahnhof', 'den'], ['Kita', 'die'], ['Turnhalle', 'die'],
  ['Radweg', 'den'], ['Freibad', 'das'], ['Feuerwache', 'die'], ['Marktplatz', 'den'], ['Gewerbegebiet', 'das'], ['Windpark', 'den'], ['Stadtfest', 'das'],
  ['Bibliothek', 'die'], ['Buslinie', 'die'], ['Ortsumgehung', 'die'], ['Sporthalle', 'die'], ['Klinik', 'die'], ['Hochwasserschutz', 'den'], ['Baugebiet', 'das'],
  ['Wochenmarkt', 'den'], ['Glasfaserausbau', 'den'], ['Kreisverkehr', 'den'], ['Spielplatz', 'den'], ['Musikschule', 'die']];
const CLOSINGS = ['Eine Entscheidung soll im kommenden Monat fallen.', 'Die Arbeiten sollen bis zum Herbst abgeschlossen sein.', 'Die Kosten liegen bei rund {n} Euro.',
  'Anwohner können sich bis Ende des Monats äußern.', 'Weitere Informationen gibt es im Bürgerbüro.', 'Der Ausschuss berät das Thema erneut im {m}.',
  '„Wir sind zuversichtlich“, sagt {p}.', 'Nicht alle sind davon überzeugt.'];
const MONTHS = ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'];

export const SECTION_SLUGS = Object.keys(SECTION_TEXT);

function sentence(r: () => number, section: string): string {
  const t = SECTION_TEXT[section]!;
  switch (Math.floor(r() * 4)) {
    case 0: {
      // verb second: „Am Montag beschließt der Stadtrat neue Pläne …“
      const [verb, ...rest] = pick(r, t.actions).split(' ');
      const subject = pick(r, t.subjects).replace(/^(Der|Die|Das|Ein|Eine) /, (a) => a.toLowerCase());
      return `${pick(r, OPENERS)} ${verb} ${subject} ${rest.join(' ')}.`;
    }
    case 1: return `${pick(r, t.subjects)} ${pick(r, t.actions)}, ${pick(r, MIDDLES)}.`;
    case 2: return `Für ${pick(r, NOUNS).slice().reverse().join(' ')} in ${pick(r, PLACES)} sind ${Math.floor(r() * 900 + 100)}.000 Euro vorgesehen, ${pick(r, MIDDLES)}.`;
    default: return pick(r, CLOSINGS).replace('{n}', `${Math.floor(r() * 90 + 10)}.000`).replace('{m}', pick(r, MONTHS)).replace('{p}', `${pick(r, FIRST_NAMES)} ${pick(r, LAST_NAMES)}`);
  }
}

export function paragraph(r: () => number, section: string): string {
  const n = 2 + Math.floor(r() * 3);
  return Array.from({ length: n }, () => sentence(r, section)).join(' ');
}

export function articleText(r: () => number, section: string): { kicker: string; headline: string; teaser: string } {
  const t = SECTION_TEXT[section]!;
  const subject = pick(r, t.subjects);
  const place = pick(r, PLACES);
  return {
    kicker: pick(r, t.kickers),
    headline: `${subject} ${pick(r, t.actions)}${r() < 0.4 ? ` – ${pick(r, NOUNS)[0]} in ${place}` : ''}`,
    teaser: `${paragraph(r, section).split('. ')[0]!.replace(/\.?$/, '.')}`,
  };
}

/** ASCII for email local parts (ä → ae …). */
export const asciiName = (s: string): string => s.toLowerCase().replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss')
  .normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '');
