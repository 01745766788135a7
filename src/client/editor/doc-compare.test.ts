// The conflict view's comparison: differing meta fields only, blocks aligned with changes, insertions and removals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EMPTY_DRAFT, type DraftBlock } from '../../newsroom/draft-document.ts';
import { alignBlocks, blockText, metaRows } from './doc-compare.ts';

const p = (text: string): DraftBlock => ({ type: 'paragraph', text });

test('blocks line up: equal ones paired, an edit is one changed row, additions and removals stand alone', () => {
  const theirs = [p('A'), p('B'), p('C'), p('D')];
  const mine = [p('A'), p('B2'), p('C'), p('E'), p('D'), p('F')];
  const rows = alignBlocks(theirs, mine).map((r) => [r.kind, 'theirs' in r ? blockText(r.theirs) : '', 'mine' in r ? blockText(r.mine) : '']);
  assert.deepEqual(rows, [
    ['same', 'A', 'A'], ['changed', 'B', 'B2'], ['same', 'C', 'C'], ['mine-only', '', 'E'], ['same', 'D', 'D'], ['mine-only', '', 'F'],
  ]);
  assert.deepEqual(alignBlocks([p('X'), p('Y')], [p('Y')]).map((r) => r.kind), ['theirs-only', 'same']);
});

test('only the meta fields that differ are listed, with section and author names', () => {
  const names = { sections: new Map([['stadt', 'Stadt'], ['sport', 'Sport']]), authors: new Map([['jh', 'Jana Hollmann']]) };
  const rows = metaRows({ ...EMPTY_DRAFT, headline: 'Alt', section: 'stadt' }, { ...EMPTY_DRAFT, headline: 'Neu', section: 'sport', authors: ['jh'] }, names);
  assert.deepEqual(rows, [
    { field: 'headline', label: 'Überschrift', theirs: 'Alt', mine: 'Neu' },
    { field: 'section', label: 'Ressort', theirs: 'Stadt', mine: 'Sport' },
    { field: 'authors', label: 'Autorinnen/Autoren', theirs: '', mine: 'Jana Hollmann' },
  ]);
});

test('block text reads without markup and names the speaker', () => {
  assert.equal(blockText({ type: 'answer', speaker: 'Anna', text: 'Ein **klares** [Ja](/x).' }), 'Anna: Ein klares Ja.');
  assert.equal(blockText({ type: 'quote', text: 'Wir bauen.', by: 'OB' }), '„Wir bauen.“ — OB');
});
