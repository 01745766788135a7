// Checks the demo newspaper: every picture renders as a 1200x675 JPEG, and the articles follow the demo content rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { interchangeDocument } from '../interchange.schema.ts';
import { DEMO_PHOTO_HEIGHT, DEMO_PHOTO_NAME, DEMO_PHOTO_WIDTH, readDemoDocument, referencedPhotos, renderDemoPhotos } from './photos.ts';

type Access = 'free' | 'registered' | 'plus';
type Block =
  | { type: 'paragraph' | 'subheading' | 'question'; text: string }
  | { type: 'answer'; speaker: string; text: string }
  | { type: 'quote'; text: string; by: string }
  | { type: 'image'; src: string; caption: string; credit: string };
interface ImageRef { src: string; caption: string; credit: string }
interface Article {
  slug: string; section: string; kicker: string; headline: string; teaser: string; access: Access; paywallAfter: number;
  publishedAt: string; authors: string[]; image: ImageRef; blocks: Block[];
}

const ARTICLE_KEYS = ['slug', 'section', 'kicker', 'headline', 'teaser', 'access', 'paywallAfter', 'publishedAt', 'authors', 'image', 'blocks'];
const BLOCK_KEYS: Record<Block['type'], readonly string[]> = {
  paragraph: ['type', 'text'], subheading: ['type', 'text'], question: ['type', 'text'],
  answer: ['type', 'speaker', 'text'], quote: ['type', 'text', 'by'], image: ['type', 'src', 'caption', 'credit'],
};
const SECTIONS = ['stadt', 'region', 'wirtschaft', 'sport', 'kultur'];
const NEWEST = Date.parse('2026-11-26T18:00:00Z');
const HOUR = 3600_000;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Exactly these keys, each a non-empty string unless listed in `other`. */
function strictRecord(v: unknown, keys: readonly string[], where: string, other: readonly string[] = []): Record<string, unknown> {
  assert.ok(isRecord(v), `${where} is an object`);
  assert.deepEqual(Object.keys(v).sort(), [...keys].sort(), `${where} has exactly the fields ${keys.join(', ')}`);
  for (const k of keys) {
    if (other.includes(k)) continue;
    const value = v[k];
    assert.ok(typeof value === 'string' && value.trim().length > 0, `${where}.${k} is a non-empty string`);
  }
  return v;
}

const str = (r: Record<string, unknown>, k: string): string => String(r[k]);

function toBlock(v: unknown, where: string): Block {
  assert.ok(isRecord(v), `${where} is an object`);
  const type = v['type'];
  assert.ok(typeof type === 'string' && type in BLOCK_KEYS, `${where}.type is known`);
  const t = type as Block['type'];
  const r = strictRecord(v, BLOCK_KEYS[t], where);
  switch (t) {
    case 'answer': return { type: t, speaker: str(r, 'speaker'), text: str(r, 'text') };
    case 'quote': return { type: t, text: str(r, 'text'), by: str(r, 'by') };
    case 'image': return { type: t, src: str(r, 'src'), caption: str(r, 'caption'), credit: str(r, 'credit') };
    default: return { type: t, text: str(r, 'text') };
  }
}

function toArticles(doc: unknown): Article[] {
  assert.ok(isRecord(doc), 'document is an object');
  assert.deepEqual(Object.keys(doc), ['articles']);
  const list = doc['articles'];
  assert.ok(Array.isArray(list), 'articles is a list');
  return (list as unknown[]).map((v, i): Article => {
    const where = `articles[${i}]`;
    const r = strictRecord(v, ARTICLE_KEYS, where, ['paywallAfter', 'authors', 'image', 'blocks']);
    const access = str(r, 'access');
    assert.ok(access === 'free' || access === 'registered' || access === 'plus', `${where}.access`);
    const paywallAfter = r['paywallAfter'];
    assert.ok(typeof paywallAfter === 'number' && Number.isInteger(paywallAfter), `${where}.paywallAfter is an integer`);
    const authors = r['authors'];
    assert.ok(Array.isArray(authors) && authors.every((a): a is string => typeof a === 'string' && a.length > 0), `${where}.authors`);
    const image = strictRecord(r['image'], ['src', 'caption', 'credit'], `${where}.image`);
    const blocks = r['blocks'];
    assert.ok(Array.isArray(blocks), `${where}.blocks is a list`);
    return {
      slug: str(r, 'slug'), section: str(r, 'section'), kicker: str(r, 'kicker'), headline: str(r, 'headline'), teaser: str(r, 'teaser'),
      access, paywallAfter, publishedAt: str(r, 'publishedAt'), authors: authors as string[],
      image: { src: str(image, 'src'), caption: str(image, 'caption'), credit: str(image, 'credit') },
      blocks: (blocks as unknown[]).map((b, j) => toBlock(b, `${where}.blocks[${j}]`)),
    };
  });
}

const plain = (t: string): string => t
  .replace(/\[([^\]\n]+)\]\([^)\s]+\)/g, '$1')
  .replace(/\*\*([^*\n]+)\*\*/g, '$1')
  .replace(/\*([^*\n]+)\*/g, '$1');

function sentences(t: string): string[] {
  return plain(t).split(/(?<=[.!?…][“”"»«)]*)\s+(?=[„"»«(A-ZÄÖÜ])/u).map((s) => s.trim()).filter((s) => s.length > 0);
}

/** The text units that could leak: sentences of prose blocks, whole subheadings and captions. */
function units(b: Block): string[] {
  if (b.type === 'image') return [b.caption];
  if (b.type === 'subheading') return [b.text.trim()];
  return sentences(b.text);
}

const premium = (a: Article): Block[] => a.blocks.slice(a.paywallAfter);

test('every picture of the demo newspaper renders as a 1200x675 JPEG below 120 KB', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'klartext-demo-photos-'));
  try {
    const expected = referencedPhotos(await readDemoDocument());
    const written = await renderDemoPhotos(dir);
    assert.deepEqual([...written].sort(), [...expected].sort());
    for (const name of expected) {
      const file = path.join(dir, name);
      const { size } = await stat(file);
      assert.ok(size < 120 * 1024, `${name} is ${size} bytes`);
      const meta = await sharp(file).metadata();
      assert.equal(meta.format, 'jpeg', name);
      assert.equal(meta.width, DEMO_PHOTO_WIDTH, name);
      assert.equal(meta.height, DEMO_PHOTO_HEIGHT, name);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the demo document is valid interchange format with only the documented fields', async () => {
  const doc = await readDemoDocument();
  const parsed = interchangeDocument.safeParse(doc);
  assert.ok(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 5)));
  const articles = toArticles(doc);
  assert.equal(new Set(articles.map((a) => a.slug)).size, articles.length, 'slugs are unique');
  for (const a of articles) {
    assert.match(a.slug, /^[a-z0-9]+(?:-[a-z0-9]+)*$/, a.slug);
    assert.ok(a.authors.length >= 1 && a.authors.length <= 2, `${a.slug}: one or two authors`);
  }
});

test('the demo newspaper has the planned mix of sections, access levels, dates, authors and pictures', async () => {
  const articles = toArticles(await readDemoDocument());
  assert.ok(articles.length >= 18, `${articles.length} articles`);
  assert.deepEqual([...new Set(articles.map((a) => a.section))].sort(), [...SECTIONS].sort());
  const count = (access: Access): number => articles.filter((a) => a.access === access).length;
  assert.ok(count('plus') >= 4, 'at least four plus articles');
  const registered = count('registered');
  assert.ok(registered >= 1 && registered <= 2, 'one or two registered articles');

  for (const a of articles) {
    if (a.access === 'free') {
      assert.equal(a.paywallAfter, a.blocks.length, `${a.slug}: free articles have paywallAfter = block count`);
      assert.ok(a.blocks.length >= 4 && a.blocks.length <= 8, `${a.slug}: 4-8 blocks`);
    } else {
      assert.ok(a.paywallAfter >= 1 && a.paywallAfter < a.blocks.length, `${a.slug}: paywall inside the article`);
    }
    if (a.access === 'plus' && a.kicker !== 'Interview') {
      assert.ok(a.blocks.length >= 8 && a.blocks.length <= 14, `${a.slug}: 8-14 blocks`);
      assert.ok(a.paywallAfter === 2 || a.paywallAfter === 3, `${a.slug}: paywallAfter 2 or 3`);
      for (const type of ['subheading', 'quote', 'image'] as const) assert.ok(a.blocks.some((b) => b.type === type), `${a.slug}: has a ${type}`);
    }
  }

  const times = articles.map((a) => Date.parse(a.publishedAt));
  for (const [i, t] of times.entries()) {
    assert.ok(articles[i]!.publishedAt.endsWith('Z'), 'UTC');
    assert.ok(t <= NEWEST && t >= NEWEST - 10 * 24 * HOUR, `${articles[i]!.slug}: within the ten days before the newest date`);
  }
  assert.ok(times.filter((t) => t >= NEWEST - 40 * HOUR).length >= 4, 'at least four articles within the last 40 hours');

  const authors = new Set(articles.flatMap((a) => a.authors));
  assert.ok(authors.size >= 6 && authors.size <= 8, `${authors.size} authors`);

  const srcs = articles.flatMap((a) => [a.image.src, ...a.blocks.flatMap((b) => (b.type === 'image' ? [b.src] : []))]);
  assert.equal(new Set(srcs).size, srcs.length, 'every picture is used once');
  for (const src of srcs) assert.match(src, DEMO_PHOTO_NAME);
});

test('the interview alternates questions and answers and shows only the first question for free', async () => {
  const articles = toArticles(await readDemoDocument());
  const interview = articles.find((a) => a.slug === 'digitalbuero-im-rathaus');
  assert.ok(interview, 'interview exists');
  assert.equal(interview.kicker, 'Interview');
  assert.equal(interview.access, 'plus');
  assert.equal(interview.paywallAfter, 1);
  assert.equal(interview.blocks.length % 2, 0);
  assert.ok(interview.blocks.length >= 12, 'at least six question/answer pairs');
  const speakers = new Set<string>();
  interview.blocks.forEach((b, i) => {
    if (i % 2 === 0) {
      assert.equal(b.type, 'question', `block ${i} is a question`);
    } else {
      assert.equal(b.type, 'answer', `block ${i} is an answer`);
      if (b.type === 'answer') speakers.add(b.speaker);
    }
  });
  assert.equal(speakers.size, 1, 'one interviewee');
  const [speaker] = [...speakers];
  assert.match(speaker ?? '', /^\p{Lu}[\p{L}-]+$/u, 'speaker is a surname');
});

test('premium text is substantial and no premium sentence appears anywhere else in the corpus', async () => {
  const articles = toArticles(await readDemoDocument());
  const seen = new Map<string, number>();
  const add = (u: string): void => { seen.set(u, (seen.get(u) ?? 0) + 1); };
  for (const a of articles) {
    [a.headline, a.teaser, a.image.caption].flatMap(sentences).forEach(add);
    a.blocks.flatMap(units).forEach(add);
  }
  for (const a of articles.filter((x) => x.access !== 'free')) {
    for (const [j, b] of premium(a).entries()) {
      const where = `${a.slug} premium block ${j}`;
      for (const u of units(b)) {
        assert.equal(seen.get(u), 1, `${where}: unique in the corpus: ${u}`);
        for (const other of seen.keys()) if (other !== u && u.length >= 20) assert.ok(!other.includes(u), `${where}: contained in another text: ${u}`);
      }
      if (b.type === 'paragraph' || b.type === 'question' || b.type === 'answer' || b.type === 'quote') {
        for (const s of sentences(b.text)) assert.ok(s.length >= 30, `${where}: sentence of at least 30 characters: ${s}`);
      }
      if (b.type === 'paragraph' || b.type === 'answer') {
        const k = sentences(b.text).length;
        assert.ok(k >= 2 && k <= 5, `${where}: 2-5 sentences, has ${k}`);
      }
    }
  }
});
