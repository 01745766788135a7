// The leak test: on the real demo newspaper, crawl everything a guest can reach and prove no sentence of any premium block appears — plain, HTML- or JSON-escaped.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { seedDemo } from '../src/cli/seed.ts';
import { blocksPlainText, freeBlocks, getArticleBySlug, listArticles, premiumBlocks, stripInline, type Article, type Block } from '../src/content/index.ts';
import { testEngines } from '../src/db/test-stores.ts';
import { createTestApp, type TestApp } from '../src/testing/test-app.ts';
import { loggedInAs } from '../src/testing/test-accounts.ts';
import { grantSubscription } from '../src/billing/index.ts';

/** Everything readable in a block, split into sentences long enough that finding one elsewhere means it leaked. */
function blockSentences(b: Block): string[] {
  const fields = b.type === 'image' ? [b.caption, b.credit] : b.type === 'answer' ? [b.text] : b.type === 'quote' ? [b.text, b.by ?? ''] : [b.text];
  return fields.flatMap((f) => stripInline(f).split(/(?<=[.!?…])\s+/)).map((s) => s.trim()).filter((s) => s.length >= 24 || s.split(/\s+/).length >= 5);
}

const htmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const jsonEscape = (s: string): string => JSON.stringify(s).slice(1, -1);
const jsonAsciiEscape = (s: string): string => jsonEscape(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const decodeEntities = (s: string): string => s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (_, e: string) =>
  e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)))
    : ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' } as Record<string, string>)[e.toLowerCase()]!);

/** The premium sentences found in a body, in any of the forms a page, a feed or JSON could carry them. */
function leakedSentences(body: string, sentences: readonly string[]): string[] {
  const textOnly = decodeEntities(body.replace(/<[^>]*>/g, ''));
  let jsonText = '';
  try { jsonText = collectStrings(JSON.parse(body)).join('\n'); } catch { /* not JSON */ }
  return sentences.filter((s) => [s, htmlEscape(s), jsonEscape(s), jsonAsciiEscape(s)].some((form) => body.includes(form)) || textOnly.includes(s) || jsonText.includes(s));
}

function collectStrings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(collectStrings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(collectStrings);
  return [];
}

for (const engine of testEngines()) {
  describe(`no premium text reaches a guest, on the demo newspaper on ${engine}`, () => {
    let t: TestApp;
    let plusArticles: Article[];
    let sentences: string[];

    before(async () => {
      t = await createTestApp(engine);
      await seedDemo(t.store, t.config);
      const summaries = await listArticles(t.store.db, { limit: 1000, now: new Date() });
      const articles = (await Promise.all(summaries.map((s) => getArticleBySlug(t.store.db, s.slug, { now: new Date() })))).filter((a): a is Article => !!a);
      plusArticles = articles.filter((a) => a.access !== 'free');
      // A premium sentence that also stands in some free text (a lead, a teaser) is public anyway.
      const publicText = articles.map((a) => [a.kicker, a.headline, a.teaser, blocksPlainText(freeBlocks(a)), a.image?.caption ?? '', a.image?.credit ?? '', ...freeBlocks(a).map((b) => (b.type === 'image' ? b.credit : ''))].join('\n')).join('\n');
      sentences = [...new Set(plusArticles.flatMap((a) => premiumBlocks(a).flatMap(blockSentences)))].filter((s) => !publicText.includes(s));
    });
    after(async () => { await t?.close(); });

    test('the demo has Plus and registered articles with premium sentences to look for', () => {
      assert.ok(plusArticles.length >= 5, `${plusArticles.length} non-free articles`);
      assert.ok(plusArticles.some((a) => a.access === 'registered'));
      assert.ok(sentences.length >= 50, `${sentences.length} premium sentences`);
    });

    test('the check can fail: it finds a premium sentence plain, HTML-escaped, JSON-escaped and split by markup, and in an entitled answer', async () => {
      const s = sentences.find((x) => /[äöüß]/.test(x) && /[,.]/.test(x))!;
      for (const body of [`<p>${s}</p>`, `<p>${htmlEscape(s)}</p>`, JSON.stringify({ text: s }), jsonAsciiEscape(JSON.stringify({ t: s })), `<p>${s.replace(' ', ' <em>')}</em></p>`]) {
        assert.deepEqual(leakedSentences(body, [s]), [s], body.slice(0, 60));
      }
      const { browser, userId } = await loggedInAs(t, 'reader', 'leak-self-check@example.de');
      await grantSubscription(t.store.db, { userId, days: 1, now: new Date() });
      const entitled = await browser.get(`/artikel/${plusArticles[0]!.slug}/klartext`);
      assert.equal(entitled.status, 200);
      assert.ok(leakedSentences(entitled.text, sentences).length > 0, 'the subscriber page would count as a leak');
    });

    test('crawling every guest-reachable URL finds none of them', async (ctx) => {
      const words = [...new Set(plusArticles.flatMap((a) => blocksPlainText(premiumBlocks(a)).match(/\p{L}{9,}/gu) ?? []))].slice(0, 40);
      const queue: string[] = [
        '/', '/robots.txt', '/feed.xml', '/sitemap.xml', '/news-sitemap.xml', '/api/me', '/abo', '/suche',
        '/gibt-es-nicht', '/artikel/gibt-es-nicht', '/artikel/gibt-es-nicht/klartext', `/suche?q=${'x'.repeat(201)}`, '/stadt?seite=abc',
        ...words.map((w) => `/suche?q=${encodeURIComponent(w)}`),
        ...plusArticles.flatMap((a) => [`/artikel/${a.slug}/klartext`, `/artikel/${a.slug}/verschenken`, `/artikel/${a.slug}?geschenk=${'A'.repeat(43)}`]),
      ];
      const seen = new Set<string>();
      const failures: string[] = [];
      const check = (label: string, body: string) => {
        const found = leakedSentences(body, sentences);
        if (found.length) failures.push(`${label} leaks ${found.length}: “${found[0]}”`);
      };
      while (queue.length && seen.size < 1500) {
        const path = queue.shift()!;
        if (seen.has(path)) continue;
        seen.add(path);
        const res = await t.app.request(path, { headers: { 'accept-encoding': 'identity' } });
        const type = res.headers.get('content-type') ?? '';
        if (/image|font|octet/.test(type)) continue;
        const body = await res.text();
        check(`${res.status} ${path}`, body);
        for (const [, href] of body.matchAll(/(?:href|src|action)="([^"]+)"|<loc>([^<]+)<\/loc>|<link>([^<]+)<\/link>/g)) {
          if (!href) continue;
          const url = new URL(href.replace(/&amp;/g, '&'), 'http://localhost');
          if (url.host === 'localhost' && !url.pathname.startsWith('/bilder/')) queue.push(url.pathname + url.search);
        }
        for (const [, loc] of body.matchAll(/<(?:loc|link)>https?:\/\/localhost([^<]*)<\/(?:loc|link)>/g)) queue.push(loc!);
      }
      // The unlock endpoint as a guest, for every article, with the key id of its page and with bad input.
      for (const a of await listArticles(t.store.db, { limit: 1000, now: new Date() })) {
        const page = await (await t.app.request(`/artikel/${a.slug}`)).text();
        const keyId = /data-key-id="([^"]+)"/.exec(page)?.[1] ?? 'AAAAAAAAAA';
        for (const body of [{ keyId }, { keyId, gift: 'B'.repeat(43) }, { keyId: 'x' }]) {
          const r = await t.app.request(`/api/unlock/${a.id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-klartext-csrf': '1' }, body: JSON.stringify(body) });
          const text = await r.text();
          assert.notEqual(r.status, 200, `a guest unlocked ${a.slug}`);
          check(`unlock ${a.slug} ${JSON.stringify(body)}`, text);
        }
      }
      ctx.diagnostic(`crawled ${seen.size} URLs and the unlock endpoint of every article; ${sentences.length} premium sentences looked for`);
      assert.ok(seen.size > 60, `crawled only ${seen.size} URLs`);
      assert.ok([...seen].some((p) => p.startsWith('/artikel/')) && [...seen].some((p) => p.startsWith('/autor/')));
      assert.deepEqual(failures, []);
    });
  });
}
