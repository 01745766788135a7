// The statistics that make a decoy look like German text with its letters shuffled: letter, word-length and capitalisation rates.

/**
 * Letters in German running text, per 10 000 letters (rounded from common corpus counts; ß, ä, ö, ü
 * counted as their own letters). Independent draws from this table look like shuffled words: shuffling
 * keeps a word's letters but destroys their order, which is all an independent draw lacks.
 */
export const GERMAN_LETTERS: ReadonlyArray<readonly [string, number]> = [
  ['e', 1640], ['n', 978], ['i', 755], ['s', 727], ['r', 700], ['a', 651], ['t', 615], ['d', 508],
  ['h', 476], ['u', 435], ['l', 344], ['c', 306], ['g', 301], ['m', 253], ['o', 251], ['b', 189],
  ['w', 189], ['f', 166], ['k', 121], ['z', 113], ['p', 79], ['v', 67], ['ü', 65], ['ä', 54],
  ['ß', 31], ['ö', 30], ['j', 27], ['y', 4], ['x', 3], ['q', 2],
];

export const GERMAN_VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y', 'ä', 'ö', 'ü']);

/**
 * Word lengths in letters, per 1000 words of newspaper German: many short function words (der, die,
 * und, in, zu), a long tail of compounds. Mean about 5.6 letters.
 */
export const GERMAN_WORD_LENGTHS: ReadonlyArray<readonly [number, number]> = [
  [1, 5], [2, 95], [3, 230], [4, 120], [5, 105], [6, 95], [7, 85], [8, 70], [9, 52], [10, 40],
  [11, 30], [12, 22], [13, 16], [14, 11], [15, 8], [16, 6], [17, 4], [18, 3], [19, 2], [20, 1],
];

/**
 * Chance, per 1000, that a word of this length is a capitalised noun inside a sentence. Nouns are
 * rarely shorter than three letters; with sentence starts this gives about a quarter of all words
 * capitalised, as in German prose.
 */
export function nounChancePerMille(length: number): number {
  if (length <= 2) return 0;
  if (length === 3) return 80;
  if (length <= 5) return 250;
  return 350;
}

/** Per 1000 words: a comma after the word, a sentence end after it, and a question mark for that end. */
export const COMMA_PER_MILLE = 75;
export const SENTENCE_END_PER_MILLE = 85;
export const QUESTION_PER_MILLE = 40;
export const MIN_SENTENCE_WORDS = 4;
