// What an article needs before it may be submitted or published: the interchange rules (non-empty texts, at least one
// block, blocks after the paywall) plus the newsroom's (a section, caption and credit for every image, known
// bylines and images). Each problem names its field in German.
import type { FieldError } from '../content/index.ts';
import { DomainError } from '../domain-error.ts';
import type { DraftDocument } from './draft-document.ts';
import type { ResolvedDraft } from './draft-article.ts';

export function completenessProblems(doc: DraftDocument, resolved?: Pick<ResolvedDraft, 'sectionId' | 'unknownAuthors' | 'missingImages'>): FieldError[] {
  const p: FieldError[] = [];
  const empty = (s: string | undefined) => !s || s.trim() === '';
  if (empty(doc.headline)) p.push({ path: 'headline', message: 'Die Überschrift fehlt.' });
  if (empty(doc.section)) p.push({ path: 'section', message: 'Bitte ein Ressort wählen.' });
  else if (resolved && !resolved.sectionId) p.push({ path: 'section', message: `Das Ressort „${doc.section}“ gibt es nicht.` });
  for (const i of resolved?.unknownAuthors ?? []) p.push({ path: `authors[${i}]`, message: `Die Autorin oder den Autor „${doc.authors[i]}“ gibt es nicht.` });
  if (doc.image) {
    if (empty(doc.image.caption)) p.push({ path: 'image.caption', message: 'Das Aufmacherbild braucht eine Bildunterschrift.' });
    if (empty(doc.image.credit)) p.push({ path: 'image.credit', message: 'Das Aufmacherbild braucht einen Bildnachweis.' });
    if (resolved?.missingImages.includes(doc.image.imageId)) p.push({ path: 'image.imageId', message: 'Das Aufmacherbild gibt es nicht mehr.' });
  }
  if (doc.blocks.length === 0) p.push({ path: 'blocks', message: 'Der Artikel braucht mindestens einen Absatz.' });
  doc.blocks.forEach((b, i) => {
    const at = `blocks[${i}]`;
    if (b.type === 'image') {
      if (empty(b.caption)) p.push({ path: `${at}.caption`, message: `Bild ${i + 1}: die Bildunterschrift fehlt.` });
      if (empty(b.credit)) p.push({ path: `${at}.credit`, message: `Bild ${i + 1}: der Bildnachweis fehlt.` });
      if (resolved?.missingImages.includes(b.imageId)) p.push({ path: `${at}.imageId`, message: `Bild ${i + 1} gibt es nicht mehr.` });
      return;
    }
    if (empty(b.text)) p.push({ path: `${at}.text`, message: `Block ${i + 1} ist leer.` });
    if (b.type === 'answer' && empty(b.speaker)) p.push({ path: `${at}.speaker`, message: `Antwort in Block ${i + 1}: wer spricht?` });
  });
  if (doc.access !== 'free' && doc.blocks.length > 0 && doc.paywallAfter >= doc.blocks.length) {
    p.push({ path: 'paywallAfter', message: 'Nach der Paywall-Markierung muss mindestens ein Block stehen.' });
  }
  return p;
}

/** 400 naming the first missing field (all of them in `fields`). */
export function assertComplete(doc: DraftDocument, resolved: Pick<ResolvedDraft, 'sectionId' | 'unknownAuthors' | 'missingImages'>, what: string): void {
  const problems = completenessProblems(doc, resolved);
  if (problems.length === 0) return;
  throw new DomainError('invalid-input', `${what} geht noch nicht: ${problems.slice(0, 5).map((x) => x.message).join(' ')}`, problems[0]!.path, problems);
}
