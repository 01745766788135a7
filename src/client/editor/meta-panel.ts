// The fields around the body: kicker, headline, teaser, section, authors, access, lead image, interview partners,
// slug and SEO (length counters and a search-result preview). They edit the draft's meta data in place.
import type { DraftDocument } from '../../newsroom/draft-document.ts';
import type { AccessLevel } from '../../content/article.types.ts';
import type { EditorBootData, MediaItem } from '../../web/newsroom/editor-contract.ts';
import { proposeSlug } from './doc-convert.ts';

export interface MetaDeps {
  boot: EditorBootData;
  doc: DraftDocument;
  changed(): void;
  /** a field was left: worth saving now */
  commit(): void;
  accessChanged(access: AccessLevel): void;
  speakersChanged(): void;
  announce(message: string): void;
  imageSrc(imageId: string): Promise<string>;
  upload(file: File): Promise<MediaItem | null>;
  library(): Promise<MediaItem | null>;
}

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
type TextField = 'kicker' | 'headline' | 'teaser' | 'section' | 'slug' | 'seoTitle' | 'seoDescription';

/** Counter state: quiet below 90 % of the limit, amber near it, red beyond (search engines cut the rest). */
export function lengthLevel(length: number, limit: number): 'ok' | 'near' | 'over' {
  return length > limit ? 'over' : length > limit * 0.9 ? 'near' : 'ok';
}

/** Cut at a word boundary with an ellipsis, as search results do. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const part = text.slice(0, max - 1);
  const space = part.lastIndexOf(' ');
  return `${(space > max * 0.6 ? part.slice(0, space) : part).trimEnd()} …`;
}

export function bindMeta(d: MetaDeps) {
  const { doc, boot } = d;
  const slugFixed = boot.state === 'published' || boot.state === 'unpublished';
  // the slug follows the headline until someone types one (or the article was published)
  let autoSlug = !slugFixed && (!doc.slug || doc.slug.startsWith('entwurf-') || doc.slug === proposeSlug(doc.headline));
  const textFields = Array.from(document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>('.nr-ed [data-field]'))
    .filter((el) => !el.dataset.field!.startsWith('image.'));

  for (const el of textFields) {
    const field = el.dataset.field as TextField;
    el.addEventListener('input', () => {
      clearProblem(el);
      if (field === 'slug') {
        autoSlug = false;
        doc.slug = el.value.trim();
        el.classList.toggle('nr-ed-warn', !!doc.slug && !SLUG.test(doc.slug));
      } else doc[field] = el.value;
      if (field === 'headline' && autoSlug) {
        const proposal = proposeSlug(doc.headline);
        if (proposal) { doc.slug = proposal; $<HTMLInputElement>('nr-ed-slug').value = proposal; }
      }
      if (el instanceof HTMLTextAreaElement) grow(el);
      seo();
      d.changed();
    });
    el.addEventListener('change', () => {
      if (field === 'slug' && doc.slug && !SLUG.test(doc.slug)) {
        doc.slug = proposeSlug(doc.slug);
        el.value = doc.slug;
        el.classList.remove('nr-ed-warn');
        seo();
        d.changed();
      }
      d.commit();
    });
  }
  // headline and teaser grow with their text instead of scrolling inside a small box
  const grow = (el: HTMLTextAreaElement) => { el.style.height = 'auto'; el.style.height = `${el.scrollHeight + 2}px`; };

  // --- authors: chips in byline order, a select to add
  const authorNames = new Map(boot.authors.map((a) => [a.slug, a.name]));
  const chips = $('nr-ed-authors');
  const addAuthor = $<HTMLSelectElement>('nr-ed-author-add');
  function authors(): void {
    chips.replaceChildren(...doc.authors.map((slug) => {
      const li = document.createElement('li');
      li.className = 'nr-ed-chip-item';
      const name = authorNames.get(slug) ?? slug;
      li.append(name);
      const x = document.createElement('button');
      x.type = 'button';
      x.className = 'nr-ed-chip-item__x';
      x.textContent = '×';
      x.setAttribute('aria-label', `${name} entfernen`);
      x.addEventListener('click', () => {
        doc.authors = doc.authors.filter((s) => s !== slug);
        authors();
        d.changed();
        d.announce(`${name} entfernt`);
        addAuthor.focus();
      });
      li.append(x);
      return li;
    }));
    for (const o of Array.from(addAuthor.options)) o.hidden = !!o.value && doc.authors.includes(o.value);
    if (!doc.authors.length) {
      const li = document.createElement('li');
      li.className = 'nr-ed-chips__empty';
      li.textContent = 'noch niemand';
      chips.append(li);
    }
  }
  addAuthor.addEventListener('change', () => {
    const slug = addAuthor.value;
    addAuthor.value = '';
    if (!slug || doc.authors.includes(slug)) return;
    doc.authors = [...doc.authors, slug];
    clearProblem(addAuthor);
    authors();
    d.changed();
    d.announce(`${authorNames.get(slug) ?? slug} hinzugefügt`);
  });

  // --- access
  const radios = Array.from(document.querySelectorAll<HTMLInputElement>('input[name="nr-ed-access"]'));
  for (const r of radios) r.addEventListener('change', () => {
    if (!r.checked) return;
    doc.access = r.value as AccessLevel;
    $('kt-editor').dataset.access = doc.access;
    d.accessChanged(doc.access);
    d.changed();
    d.commit();
  });

  // --- lead image
  const leadImg = $('nr-ed-lead-img');
  const caption = $<HTMLInputElement>('nr-ed-lead-caption');
  const credit = $<HTMLInputElement>('nr-ed-lead-credit');
  const removeLead = $<HTMLButtonElement>('nr-ed-lead-remove');
  function lead(): void {
    const img = doc.image;
    $('nr-ed-lead').classList.toggle('nr-ed-lead--empty', !img);
    if (img && leadImg.dataset.imageId !== img.imageId) {
      const id = img.imageId;
      leadImg.dataset.imageId = id;
      void d.imageSrc(id).then((src) => {
        if (leadImg.dataset.imageId !== id) return;
        const el = document.createElement('img');
        if (src) el.src = src;
        el.alt = 'Aufmacherbild';
        leadImg.replaceChildren(el);
      });
    } else if (!img) { leadImg.replaceChildren(); delete leadImg.dataset.imageId; }
    caption.disabled = credit.disabled = removeLead.disabled = !img;
    if (img && document.activeElement !== caption) caption.value = img.caption;
    if (img && document.activeElement !== credit) credit.value = img.credit;
    if (!img) caption.value = credit.value = '';
    caption.classList.toggle('nr-ed-missing', !!img && !img.caption.trim());
    credit.classList.toggle('nr-ed-missing', !!img && !img.credit.trim());
  }
  const setLead = (item: MediaItem | null) => {
    if (!item) return;
    doc.image = { imageId: item.id, caption: doc.image?.caption || item.caption, credit: doc.image?.credit || item.credit };
    lead();
    d.changed();
    d.commit();
    d.announce('Aufmacherbild gesetzt');
    caption.focus();
  };
  for (const [input, key] of [[caption, 'caption'], [credit, 'credit']] as const) {
    input.addEventListener('input', () => {
      if (!doc.image) return;
      doc.image = { ...doc.image, [key]: input.value };
      clearProblem(input);
      input.classList.toggle('nr-ed-missing', !input.value.trim());
      d.changed();
    });
    input.addEventListener('change', () => d.commit());
  }
  removeLead.addEventListener('click', () => { doc.image = null; lead(); d.changed(); d.commit(); d.announce('Aufmacherbild entfernt'); });
  $('nr-ed-lead-library').addEventListener('click', async () => setLead(await d.library()));
  $('nr-ed-lead-upload').addEventListener('click', () => {
    const file = $<HTMLInputElement>('nr-ed-file');
    file.dataset.target = 'lead';
    file.click();
  });
  const drop = $('nr-ed-lead-drop');
  drop.addEventListener('dragover', (e) => { if (e.dataTransfer?.types.includes('Files')) { e.preventDefault(); drop.classList.add('nr-ed-drop--over'); } });
  drop.addEventListener('dragleave', () => drop.classList.remove('nr-ed-drop--over'));
  drop.addEventListener('drop', async (e) => {
    drop.classList.remove('nr-ed-drop--over');
    const file = e.dataTransfer?.files[0];
    if (!file) return;
    e.preventDefault();
    setLead(await d.upload(file));
  });

  // --- interview partners
  const list = $('nr-ed-speakers');
  const newName = $<HTMLInputElement>('nr-ed-speaker-new');
  function speakers(): void {
    list.replaceChildren(...doc.speakers.map((name, i) => {
      const li = document.createElement('li');
      const key = document.createElement('kbd');
      key.textContent = i < 9 ? `Alt+${i + 1}` : '–';
      const label = document.createElement('span');
      label.textContent = name;
      const x = document.createElement('button');
      x.type = 'button';
      x.className = 'nr-ed-iconbtn';
      x.textContent = '×';
      x.setAttribute('aria-label', `${name} aus der Liste nehmen`);
      x.addEventListener('click', () => {
        doc.speakers = doc.speakers.filter((s) => s !== name);
        speakers();
        d.speakersChanged();
        d.changed();
        newName.focus();
      });
      li.append(key, label, x);
      return li;
    }));
  }
  const addSpeaker = (name: string): boolean => {
    const n = name.trim().slice(0, 100);
    if (!n || doc.speakers.includes(n)) return false;
    doc.speakers = [...doc.speakers, n];
    speakers();
    d.speakersChanged();
    d.changed();
    return true;
  };
  const addFromField = () => {
    if (addSpeaker(newName.value)) d.announce(`${newName.value.trim()} ist jetzt Person ${doc.speakers.length}${doc.speakers.length <= 9 ? ` (Alt+${doc.speakers.length})` : ''}`);
    newName.value = '';
  };
  $('nr-ed-speaker-add').addEventListener('click', addFromField);
  newName.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); addFromField(); } });

  // --- SEO: counters and the search-result preview
  const titleCount = $('nr-ed-seo-title-count');
  const descCount = $('nr-ed-seo-desc-count');
  function counter(el: HTMLElement, own: string, fallback: string, fallbackName: string): void {
    const limit = Number(el.dataset.limit);
    const text = own.trim() || fallback.trim();
    const level = lengthLevel(text.length, limit);
    el.dataset.level = level;
    el.textContent = `${own.trim() ? '' : `aus ${fallbackName}: `}${text.length} / ${limit}`;
    el.title = level === 'over' ? 'Zu lang: Suchmaschinen kürzen den Rest ab.' : level === 'near' ? 'Fast am Limit.' : '';
  }
  function seo(): void {
    counter(titleCount, doc.seoTitle, doc.headline, 'Überschrift');
    counter(descCount, doc.seoDescription, doc.teaser, 'Vorspann');
    $('nr-ed-serp-url').textContent = `${location.host} › artikel › ${doc.slug || '…'}`;
    $('nr-ed-serp-title').textContent = cut(doc.seoTitle.trim() || doc.headline.trim() || 'Überschrift fehlt', 60);
    $('nr-ed-serp-desc').textContent = cut(doc.seoDescription.trim() || doc.teaser.trim() || 'Beschreibung fehlt – Suchmaschinen nehmen dann irgendeinen Satz aus dem Text.', 160);
  }

  // --- problems the server named (400): marked at the field, listed in the alert
  function clearProblem(el: HTMLElement): void {
    if (el.getAttribute('aria-invalid') !== 'true') return;
    el.removeAttribute('aria-invalid');
    document.getElementById(`${el.id}-problem`)?.remove();
  }
  function fieldFor(path: string): HTMLElement | null {
    const head = path.replace(/\[\d+\].*$/, '').split('.')[0]!;
    if (path.startsWith('image')) return path.includes('credit') ? credit : caption;
    if (head === 'authors') return addAuthor;
    if (head === 'access') return radios.find((r) => r.checked) ?? radios[0]!;
    if (head === 'speakers') return newName;
    return document.querySelector<HTMLElement>(`.nr-ed [data-field="${head}"]`);
  }
  function markProblem(path: string, message: string): HTMLElement | null {
    const el = fieldFor(path);
    if (!el) return null;
    el.setAttribute('aria-invalid', 'true');
    const id = `${el.id}-problem`;
    let p = document.getElementById(id);
    if (!p) {
      p = document.createElement('p');
      p.className = 'nr-ed-error';
      p.id = id;
      (el.closest('.nr-ed-field') ?? el.parentElement)!.append(p);
      el.setAttribute('aria-describedby', [el.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
    }
    p.textContent = message;
    return el;
  }
  function clearProblems(): void {
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('.nr-ed [aria-invalid="true"]'))) clearProblem(el);
  }

  function fill(): void {
    for (const el of textFields) {
      const value = doc[el.dataset.field as TextField] ?? '';
      if (el.value !== value) el.value = value;
      if (el instanceof HTMLTextAreaElement) grow(el);
    }
    for (const r of radios) r.checked = r.value === doc.access;
    $('kt-editor').dataset.access = doc.access;
    authors();
    lead();
    speakers();
    seo();
  }
  fill();

  return {
    fill,
    setLead,
    addSpeaker,
    markProblem,
    clearProblems,
    focusNewSpeaker: () => newName.focus(),
    paywallInfo(text: string): void { $('nr-ed-paywall-info').textContent = text; },
  };
}
