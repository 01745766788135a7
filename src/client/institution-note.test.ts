// The "Freigeschaltet über …" line the page script writes: text, not markup, before the article text, nothing for a missing name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHTML } from 'linkedom';
import { showInstitutionNote } from './institution-note.ts';

const page = () => parseHTML('<div id="premium"><div class="premium-text"><p>Text</p></div></div>').document;

test('the name goes in as text before the article text, in the markup the no-JS page uses', () => {
  const doc = page();
  const premium = doc.getElementById('premium') as unknown as HTMLElement;
  showInstitutionNote(premium, 'Stadtbibliothek <b>Brackenau</b>');
  assert.equal(premium.innerHTML,
    '<p class="premium-via"><span class="premium-via__label">Freigeschaltet über</span> <span class="premium-via__name">Stadtbibliothek &lt;b&gt;Brackenau&lt;/b&gt;</span></p><div class="premium-text"><p>Text</p></div>');
});

test('no name, an empty one or one that is not text: nothing is written', () => {
  for (const name of [undefined, '', '  ', 42, { name: 'x' }]) {
    const doc = page();
    const premium = doc.getElementById('premium') as unknown as HTMLElement;
    showInstitutionNote(premium, name);
    assert.equal(premium.querySelector('.premium-via'), null, String(name));
  }
});
