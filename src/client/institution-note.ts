// "Freigeschaltet über <Institution>": the line above an article an institution's access opened, written by the page script (the cached page is the same for everyone).

/**
 * The same markup the no-JS reading page renders (InstitutionNote in web/paywall/paywall.view.tsx); the name goes in as
 * text, never as HTML. Put before the text region, so it is read before the article and not announced by itself.
 */
export function showInstitutionNote(premium: HTMLElement, name: unknown): void {
  if (typeof name !== 'string' || name.trim() === '') return;
  const doc = premium.ownerDocument;
  const note = doc.createElement('p');
  note.className = 'premium-via';
  const label = doc.createElement('span');
  label.className = 'premium-via__label';
  label.textContent = 'Freigeschaltet über';
  const who = doc.createElement('span');
  who.className = 'premium-via__name';
  who.textContent = name.slice(0, 120);
  note.append(label, ' ', who);
  premium.querySelector('.premium-text')?.before(note);
}
