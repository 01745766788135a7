// The editor's conversion between the block model and ProseMirror JSON: round trips, marks, links, the paywall, foreign input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DraftBlock } from '../../newsroom/draft-document.ts';
import { renderInline } from '../../content/inline-markup.ts';
import { docToPm, parseInline, pmToDoc, proposeSlug, serializeInline, type PmNode } from './doc-convert.ts';

const interview: DraftBlock[] = [
  { type: 'paragraph', text: 'Der **Stadtrat** hat *gestern* beschlossen, siehe [Protokoll](https://example.org/p?a=1).' },
  { type: 'subheading', text: 'Was jetzt kommt' },
  { type: 'question', text: 'Frau Berger, was *ändert* sich?' },
  { type: 'answer', speaker: 'Anna Berger', text: 'Vieles. Lesen Sie [hier](/artikel/haushalt).' },
  { type: 'answer', speaker: 'Jonas Kreft', text: 'Ich ergänze: **alles**.' },
  { type: 'quote', text: 'Wir bauen.', by: 'Bürgermeisterin' },
  { type: 'quote', text: 'Ohne Urheber.' },
  { type: 'image', imageId: 'img_1', caption: 'Das Rathaus', credit: 'Foto: M. Muster' },
  { type: 'paragraph', text: '' },
  { type: 'paragraph', text: 'Schreiben Sie an [uns](mailto:redaktion@example.org).' },
];

const base = { access: 'plus' as const, paywallAfter: 3 };

test('blocks survive the round trip through the editor document unchanged', () => {
  const pm = docToPm({ ...base, blocks: interview });
  assert.deepEqual(pmToDoc(pm, { paywallAfter: 0 }), { blocks: interview, paywallAfter: 3 });
});

test('the paywall marker sits after paywallAfter blocks, once, and only for registered and Plus articles', () => {
  const plus = docToPm({ ...base, blocks: interview });
  assert.deepEqual(plus.content.map((n) => n.type).slice(0, 5), ['paragraph', 'subheading', 'question', 'paywall', 'answer']);
  assert.equal(plus.content.filter((n) => n.type === 'paywall').length, 1);
  const free = docToPm({ access: 'free', paywallAfter: 3, blocks: interview });
  assert.equal(free.content.some((n) => n.type === 'paywall'), false);
  // a free article keeps the position it had, for when it becomes Plus again
  assert.equal(pmToDoc(free, { paywallAfter: 3 }).paywallAfter, 3);
  // out of range is clamped into the document
  const far = docToPm({ access: 'registered', paywallAfter: 99, blocks: interview.slice(0, 2) });
  assert.deepEqual(far.content.map((n) => n.type), ['paragraph', 'subheading', 'paywall']);
  assert.equal(pmToDoc({ content: [{ type: 'paywall' }, { type: 'paragraph' }, { type: 'paywall' }] }, { paywallAfter: 5 }).paywallAfter, 0);
});

test('moving the marker in the editor document moves paywallAfter', () => {
  const pm = docToPm({ ...base, blocks: interview });
  const without = pm.content.filter((n) => n.type !== 'paywall');
  without.splice(6, 0, { type: 'paywall' });
  assert.equal(pmToDoc({ content: without }, { paywallAfter: 3 }).paywallAfter, 6);
});

test('marks come out as the inline subset the site renders', () => {
  const nodes: PmNode[] = [
    { type: 'text', text: 'Ein ' },
    { type: 'text', text: 'fetter', marks: [{ type: 'bold' }] },
    { type: 'text', text: ' und ein ' },
    { type: 'text', text: 'schräger', marks: [{ type: 'italic' }] },
    { type: 'text', text: ' Satz mit ' },
    { type: 'text', text: 'Link', marks: [{ type: 'link', attrs: { href: 'https://example.org/a b)' } }] },
  ];
  const text = serializeInline(nodes);
  assert.equal(text, 'Ein **fetter** und ein *schräger* Satz mit [Link](https://example.org/a%20b%29)');
  assert.equal(renderInline(text), 'Ein <strong>fetter</strong> und ein <em>schräger</em> Satz mit <a href="https://example.org/a%20b%29" rel="noopener nofollow">Link</a>');
});

test('javascript:, data: and protocol-relative links are dropped on the way to the server, the text stays', () => {
  for (const href of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,<b>x</b>', '//evil.example/x', 'vbscript:x']) {
    const text = serializeInline([{ type: 'text', text: 'Klick', marks: [{ type: 'link', attrs: { href } }] }]);
    assert.equal(text, 'Klick', href);
  }
  // and a stored one never becomes a link in the editor either
  assert.deepEqual(parseInline('[Klick](javascript:alert(1))'), [{ type: 'text', text: 'Klick)' }]);
  assert.deepEqual(parseInline('[Klick](javascript:void)'), [{ type: 'text', text: 'Klick' }]);
});

test('literal asterisks that would turn into emphasis are kept as they read (gender star), lone ones unchanged', () => {
  const star = serializeInline([{ type: 'text', text: 'Lehrer*innen und Schüler*innen' }]);
  assert.equal(star, 'Lehrer\u2217innen und Schüler\u2217innen');
  assert.doesNotMatch(renderInline(star), /<em>/);
  assert.equal(serializeInline([{ type: 'text', text: 'Alle Lehrer*innen' }]), 'Alle Lehrer*innen');
  const mixed = serializeInline([{ type: 'text', text: 'a*b ' }, { type: 'text', text: 'fett', marks: [{ type: 'bold' }] }, { type: 'text', text: ' c*d' }]);
  assert.equal(renderInline(mixed), 'a\u2217b <strong>fett</strong> c\u2217d');
});

test('nested marks are not in the subset: one mark per piece of text, link first', () => {
  const text = serializeInline([{ type: 'text', text: 'beides', marks: [{ type: 'bold' }, { type: 'italic' }] }, { type: 'text', text: ' ' }, { type: 'text', text: 'L', marks: [{ type: 'bold' }, { type: 'link', attrs: { href: '/x' } }] }]);
  assert.equal(text, '**beides** [L](/x)');
});

test('link text with "]" and line breaks cannot break the markup', () => {
  const text = serializeInline([{ type: 'text', text: 'a]b\nc', marks: [{ type: 'link', attrs: { href: '/x' } }] }]);
  assert.equal(text, '[a)b c](/x)');
  assert.equal(renderInline(text), '<a href="/x">a)b c</a>');
});

test('a document from outside the schema (pasted, stale) becomes only block-model blocks', () => {
  const foreign = {
    content: [
      { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Titel' }] },
      { type: 'table', content: [{ type: 'tableRow', content: [{ type: 'tableCell', content: [{ type: 'text', text: 'Zelle' }] }] }] },
      { type: 'horizontalRule' },
      { type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'strike' }, { type: 'code' }] }, { type: 'hardBreak' }, { type: 'text', text: '<script>alert(1)</script>' }] },
      { type: 'subheading', content: [{ type: 'text', text: 'Zwischen', marks: [{ type: 'bold' }] }, { type: 'text', text: 'titel' }] },
      { type: 'image', attrs: { imageId: '', caption: 'lädt noch' } },
      { type: 'answer', attrs: { speaker: 42 }, content: [{ type: 'text', text: 'Antwort' }] },
    ],
  };
  const { blocks } = pmToDoc(foreign as { content: PmNode[] }, { paywallAfter: 0 });
  assert.deepEqual(blocks, [
    { type: 'paragraph', text: 'Titel' },
    { type: 'paragraph', text: 'Zelle' },
    { type: 'paragraph', text: 'x<script>alert(1)</script>' },
    { type: 'subheading', text: 'Zwischentitel' },
    { type: 'answer', speaker: '', text: 'Antwort' },
  ]);
  const allowed = new Set(['paragraph', 'subheading', 'question', 'answer', 'quote', 'image']);
  assert.ok(blocks.every((b) => allowed.has(b.type)));
  // the text is text: the site escapes it
  assert.equal(renderInline((blocks[2] as { text: string }).text), 'x&lt;script&gt;alert(1)&lt;/script&gt;');
});

test('an empty document still has a paragraph to type into', () => {
  assert.deepEqual(docToPm({ access: 'free', paywallAfter: 0, blocks: [] }), { type: 'doc', content: [{ type: 'paragraph' }] });
  assert.deepEqual(pmToDoc({ content: [{ type: 'paragraph' }] }, { paywallAfter: 0 }), { blocks: [{ type: 'paragraph', text: '' }], paywallAfter: 0 });
});

test('every inline text the site renders reads the same after a trip through the editor', () => {
  const samples = ['*a* **b** [c](/d)', 'x * y', '**', '*kursiv*und**fett**', '[a](https://x.example/(y))', 'Preis: 3 * 4 = 12', '[x](mailto:a@b.c) und [y](ftp://nope)'];
  for (const s of samples) {
    assert.equal(renderInline(serializeInline(parseInline(s))), renderInline(s), s);
  }
});

test('slugs proposed from the headline follow the slug rules', () => {
  assert.equal(proposeSlug('Größere Straßen für Köln – jetzt!'), 'groessere-strassen-fuer-koeln-jetzt');
  assert.equal(proposeSlug('  '), '');
  assert.ok(proposeSlug('a'.repeat(200)).length <= 120);
});
