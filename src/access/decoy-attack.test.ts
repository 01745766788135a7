// Runs the word-list attack that breaks the reference paper's shuffled text against our decoy: it must fail on the decoy and succeed on a shuffle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { makeDecoy, type DecoySourceBlock } from './decoy.ts';
import { GERMAN_PREMIUM_SAMPLES } from './fixtures/german-premium-samples.ts';

const WORD_LIST = '/usr/share/dict/ngerman';
const WORD = /\p{L}+/gu;
const skip = existsSync(WORD_LIST) ? false : `${WORD_LIST} is missing: install the Debian package wngerman to run the word-list attack`;

const letterKey = (word: string): string => [...word.toLowerCase()].sort().join('');
const wordsOf = (texts: readonly string[]): string[] => texts.flatMap((text) => text.match(WORD) ?? []);
const premiumTexts = (blocks: readonly DecoySourceBlock[]): string[] =>
  blocks.map((block) => [block.speaker, block.text, block.by].filter(Boolean).join(' '));

/** Sorted letters → the lowercase words made of exactly those letters. */
function buildAnagramIndex(): Map<string, Set<string>> {
  const index = new Map<string, Set<string>>();
  for (const line of readFileSync(WORD_LIST, 'utf8').split('\n')) {
    const word = line.trim().toLowerCase();
    if (!word) continue;
    const key = letterKey(word);
    const words = index.get(key);
    if (words) words.add(word);
    else index.set(key, new Set([word]));
  }
  return index;
}

/** Word i counts as recovered when the premium word i is among the dictionary anagrams of shown word i. */
function recoveredShare(index: Map<string, Set<string>>, premium: readonly string[], shown: readonly string[]): number {
  const recovered = premium.filter((word, i) => i < shown.length && index.get(letterKey(shown[i]!))?.has(word.toLowerCase()));
  return recovered.length / premium.length;
}

/** The reference paper's scheme: every word's letters shuffled, a capital kept at the first position, punctuation untouched. */
function shuffleWords(text: string, seed: number): string {
  let state = seed >>> 0;
  const nextBelow = (n: number): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 0x1_0000_0000) * n);
  };
  return text.replace(WORD, (word) => {
    const letters = [...word.toLowerCase()];
    for (let i = letters.length - 1; i > 0; i--) {
      const j = nextBelow(i + 1);
      [letters[i], letters[j]] = [letters[j]!, letters[i]!];
    }
    const capital = word[0] !== word[0]!.toLowerCase() && letters[0] !== 'ß';
    return (capital ? letters[0]!.toUpperCase() : letters[0]!) + letters.slice(1).join('');
  });
}

test('a German word list recovers at most 2 % of the text from the decoy, but at least half from a letter shuffle', { skip }, () => {
  const index = buildAnagramIndex();
  let premiumCount = 0;
  let fromDecoy = 0;
  let fromShuffle = 0;
  for (const sample of GERMAN_PREMIUM_SAMPLES) {
    const texts = premiumTexts(sample.premium);
    const premium = wordsOf(texts);
    const seed = createHash('sha256').update(`attack ${sample.name}`).digest();
    const decoyShare = recoveredShare(index, premium, wordsOf(makeDecoy(sample.premium, seed)));
    const shuffleShare = recoveredShare(index, premium, wordsOf(texts.map((text, i) => shuffleWords(text, i + 1))));
    console.log(`${sample.name}: decoy ${(decoyShare * 100).toFixed(1)} %, shuffle ${(shuffleShare * 100).toFixed(1)} % of ${premium.length} words recovered`);
    premiumCount += premium.length;
    fromDecoy += decoyShare * premium.length;
    fromShuffle += shuffleShare * premium.length;
  }
  const decoyShare = fromDecoy / premiumCount;
  const shuffleShare = fromShuffle / premiumCount;
  console.log(`all samples: decoy ${(decoyShare * 100).toFixed(1)} %, shuffle ${(shuffleShare * 100).toFixed(1)} % of ${premiumCount} words recovered`);
  assert.ok(shuffleShare >= 0.5, `the attack must work on shuffled text, recovered ${shuffleShare}`);
  assert.ok(decoyShare <= 0.02, `the decoy leaks ${decoyShare}`);
});
