// The decoy shown where a non-entitled reader would see Plus text: German-looking shuffled text made from a secret seed, never from the text.
import { HmacSha256 } from './hmac-sha256.ts';
import {
  COMMA_PER_MILLE, GERMAN_LETTERS, GERMAN_VOWELS, GERMAN_WORD_LENGTHS, MIN_SENTENCE_WORDS,
  QUESTION_PER_MILLE, SENTENCE_END_PER_MILLE, nounChancePerMille,
} from './decoy-german.ts';

/** The text fields of a stored premium block; image blocks carry caption and credit instead of text. */
export interface DecoySourceBlock {
  type: string;
  text?: string;
  speaker?: string;
  by?: string;
  caption?: string;
  credit?: string;
}

const MIN_SEED_BYTES = 16;
const MAX_ATTEMPTS = 1000;
const MIN_PARAGRAPH_CHARS = 60;
const WORD = /\p{L}+/gu;

/** The (constant) tables pick draws from, prepared once each. */
const tables = new WeakMap<ReadonlyArray<readonly [unknown, number]>, WeightTable<unknown>>();

/**
 * Deterministic random numbers: HMAC-SHA256(seed, label ‖ counter) blocks. Each word position has
 * its own label, so re-drawing one word never shifts the words after it. The HMAC runs on the seed's
 * precomputed states (hmac-sha256.ts): a decoy takes thousands of them, and createHmac per block was
 * half the time of a first render of a Plus page (docs/decisions/027); the bytes are the same.
 */
class SeedStream {
  private readonly block = new Uint32Array(8);
  private offset = 8;
  private counter = 0;
  constructor(private readonly seed: HmacSha256, private readonly label: string) {}

  private uint32(): number {
    if (this.offset >= 8) {
      this.seed.digestWords(`${this.label}\0${this.counter++}`, this.block);
      this.offset = 0;
    }
    return this.block[this.offset++]!;
  }

  /** Uniform in [0, n), without modulo bias. */
  below(n: number): number {
    const limit = Math.floor(0x1_0000_0000 / n) * n;
    let value = this.uint32();
    while (value >= limit) value = this.uint32();
    return value % n;
  }

  chance(perMille: number): boolean {
    return this.below(1000) < perMille;
  }

  pick<T>(table: ReadonlyArray<readonly [T, number]>): T {
    let t = tables.get(table) as WeightTable<T> | undefined;
    if (!t) tables.set(table, (t = weightTable(table)));
    // the first entry whose running weight exceeds the draw, as walking the table subtracting weights finds it
    const draw = this.below(t.total);
    const upTo = t.upTo;
    for (let i = 0; i < upTo.length; i++) if (draw < upTo[i]!) return t.values[i]!;
    throw new Error('unreachable: weights exhausted');
  }
}

/** A table pick draws from, prepared once: its values, running weight totals and the total. */
interface WeightTable<T> { values: T[]; upTo: number[]; total: number }
function weightTable<T>(table: ReadonlyArray<readonly [T, number]>): WeightTable<T> {
  let total = 0;
  const upTo = table.map(([, weight]) => (total += weight));
  return { values: table.map(([value]) => value), upTo, total };
}

/** Integer buckets growing by a factor; rounding to the nearest in log scale keeps the error under √factor. */
function bucketScale(first: number, factor: number): number[] {
  const scale = [first];
  while (scale[scale.length - 1]! < 1e8) scale.push(Math.max(scale[scale.length - 1]! + 1, Math.ceil(scale[scale.length - 1]! * factor)));
  return scale;
}
const CHAR_BUCKETS = bucketScale(40, 1.25);
const COUNT_BUCKETS = bucketScale(1, 1.5);

function roundToBucket(n: number, scale: readonly number[]): number {
  if (n <= scale[0]!) return scale[0]!;
  for (let k = 0; k + 1 < scale.length; k++) {
    const low = scale[k]!;
    const high = scale[k + 1]!;
    if (n < high) return n * n < low * high ? low : high;
  }
  return scale[scale.length - 1]!;
}

const letterKey = (word: string): string => [...word.toLowerCase()].sort().join('');

function blockTexts(block: DecoySourceBlock): string[] {
  return [block.speaker, block.text, block.by, block.caption, block.credit].filter((t): t is string => !!t);
}

interface Exclusions {
  longWords: ReadonlySet<string>;
  /** The letter multiset of the premium word at each word position. */
  letterKeys: readonly string[];
}

function isAllowed(word: string, position: number, exclusions: Exclusions): boolean {
  const lower = word.toLowerCase();
  if (exclusions.longWords.has(lower)) return false;
  return exclusions.letterKeys[position] !== letterKey(lower);
}

function drawWord(seed: HmacSha256, position: number, sentenceStart: boolean, exclusions: Exclusions): string {
  // The length is drawn once per position: re-drawing it with the letters would favour long words,
  // because short ones fail the vowel rule more often.
  const length = new SeedStream(seed, `length\0${position}`).pick(GERMAN_WORD_LENGTHS);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const stream = new SeedStream(seed, `word\0${position}\0${attempt}`);
    const letters = Array.from({ length }, () => stream.pick(GERMAN_LETTERS));
    if (letters[0] === 'ß') continue;
    if (length > 1 && !letters.some((letter) => GERMAN_VOWELS.has(letter))) continue;
    const capital = sentenceStart || stream.chance(nounChancePerMille(length));
    const word = (capital ? letters[0]!.toUpperCase() : letters[0]!) + letters.slice(1).join('');
    if (isAllowed(word, position, exclusions)) return word;
  }
  throw new Error(`no admissible decoy word at position ${position}`);
}

function paragraphTargets(seed: HmacSha256, totalChars: number, blockCount: number): number[] {
  const stream = new SeedStream(seed, 'layout');
  const count = Math.max(1, Math.min(roundToBucket(blockCount, COUNT_BUCKETS), Math.floor(totalChars / MIN_PARAGRAPH_CHARS)));
  const weights = Array.from({ length: count }, () => 60 + stream.below(81));
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((weight) => Math.max(MIN_PARAGRAPH_CHARS / 2, Math.round((totalChars * weight) / sum)));
}

/**
 * Paragraphs of decoy text. The premium blocks are read only for their rough size (character total
 * rounded to a ×1.25 scale, block count to a ×1.5 scale) and for the exclusion rules: no premium word
 * of four or more letters appears, and no decoy word is an anagram of the premium word at its
 * position. Everything else comes from the seed, so the same seed gives the same bytes in every process.
 */
export function makeDecoy(premium: readonly DecoySourceBlock[], seedBytes: Buffer): string[] {
  if (seedBytes.length < MIN_SEED_BYTES) throw new RangeError(`decoy seed must be at least ${MIN_SEED_BYTES} bytes`);
  const seed = new HmacSha256(seedBytes);
  const texts = premium.map(blockTexts).filter((fields) => fields.length > 0);
  const premiumChars = texts.reduce((sum, fields) => sum + fields.join(' ').length, 0);
  if (premiumChars === 0) return [];
  const premiumWords = texts.flatMap((fields) => fields.join(' ').match(WORD) ?? []);
  const exclusions: Exclusions = {
    longWords: new Set(premiumWords.filter((word) => [...word].length >= 4).map((word) => word.toLowerCase())),
    letterKeys: premiumWords.map(letterKey),
  };

  const paragraphs: string[] = [];
  let position = 0;
  for (const target of paragraphTargets(seed, roundToBucket(premiumChars, CHAR_BUCKETS), texts.length)) {
    let paragraph = '';
    let sentenceWords = 0;
    for (;;) {
      const word = drawWord(seed, position, sentenceWords === 0, exclusions);
      const punctuation = new SeedStream(seed, `mark\0${position}`);
      position++;
      sentenceWords++;
      paragraph += (paragraph ? ' ' : '') + word;
      // Stop at the word that comes closest to the target, so paragraphs neither fall short nor overshoot much.
      if (paragraph.length + word.length / 2 >= target) {
        paragraph += '.';
        break;
      }
      if (sentenceWords >= MIN_SENTENCE_WORDS && punctuation.chance(SENTENCE_END_PER_MILLE)) {
        paragraph += punctuation.chance(QUESTION_PER_MILLE) ? '?' : '.';
        sentenceWords = 0;
      } else if (sentenceWords > 1 && punctuation.chance(COMMA_PER_MILLE)) {
        paragraph += ',';
      }
    }
    paragraphs.push(paragraph);
  }
  return paragraphs;
}
