// Sections as admins manage them in the newsroom: create, rename, describe, reorder, delete while unused.
import type { Kysely, Transaction } from 'kysely';
import { FieldProblems } from '../accounts/index.ts';
import { newId, type Database } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import { slugify, type Section } from './article.types.ts';
import { recordContentChange } from './content-changes.ts';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

export const SECTION_NAME_MAX = 60;
export const SECTION_DESCRIPTION_MAX = 500;
export const SLUG_MAX = 60;
const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * A section page lives at `/<slug>`, beside the site's own top-level pages: a section must not take one of their
 * names. (web/newsroom's tests check that every top-level route of both apps is in this list.)
 */
export const RESERVED_SECTION_SLUGS: readonly string[] = [
  'artikel', 'autor', 'impressum', 'datenschutz', 'agb', 'abo', 'suche', 'konto', 'anmelden', 'registrieren', 'passwort-vergessen',
  'abmelden', 'api', 'kuendigen', 'verlag', 'redaktion', 'assets', 'bilder', 'healthz', 'livez', 'readyz', 'metrics', 'feed', 'sitemap', 'robots', 'favicon',
];

export interface SectionWithUsage extends Section {
  /** articles (published or not) in this section, and working copies that chose it: a section in use cannot be deleted */
  articleCount: number;
}

const CONTROL = /[\u0000-\u001f\u007f]/;

/** A one-line name: trimmed, inner whitespace collapsed, 1..max characters, no control characters. */
export function readName(problems: FieldProblems, field: string, raw: string, max: number, what: string): string {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (!name) problems.add(field, `Bitte geben Sie ${what} an.`);
  else if (CONTROL.test(name)) problems.add(field, 'Bitte ohne Steuerzeichen.');
  else if ([...name].length > max) problems.add(field, `Höchstens ${max} Zeichen (jetzt ${[...name].length}).`);
  return name;
}

/** Free text: trimmed, line breaks kept, at most max characters, no other control characters. */
export function readText(problems: FieldProblems, field: string, raw: string, max: number): string {
  const text = raw.replace(/\r\n?/g, '\n').trim();
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(text)) problems.add(field, 'Bitte ohne Steuerzeichen.');
  else if ([...text].length > max) problems.add(field, `Höchstens ${max} Zeichen (jetzt ${[...text].length}).`);
  return text;
}

export function readSlug(problems: FieldProblems, field: string, raw: string, fallbackFrom: string): string {
  const slug = raw.trim() || slugify(fallbackFrom);
  if (!SLUG_PATTERN.test(slug)) problems.add(field, 'Nur Kleinbuchstaben, Ziffern und einzelne Bindestriche, z. B. „stadt-land“.');
  else if (slug.length > SLUG_MAX) problems.add(field, `Höchstens ${SLUG_MAX} Zeichen.`);
  return slug;
}

/** Working copies whose section is this slug (the article row may still name another one until it is published). */
async function draftsChoosing(db: Db | Trx, slug: string, articleSectionId: string): Promise<number> {
  const rows = await db.selectFrom('article_drafts').innerJoin('articles', 'articles.id', 'article_drafts.article_id')
    .select(['article_drafts.doc_json']).where('articles.section_id', '!=', articleSectionId)
    .where('article_drafts.doc_json', 'like', `%"section":"${slug}"%`).execute();
  return rows.filter((r) => (JSON.parse(r.doc_json) as { section?: unknown }).section === slug).length;
}

export async function listSectionsWithUsage(db: Db): Promise<SectionWithUsage[]> {
  const rows = await db.selectFrom('sections').leftJoin('articles', 'articles.section_id', 'sections.id')
    .select(['sections.id', 'sections.slug', 'sections.name', 'sections.description', 'sections.position', (eb) => eb.fn.count<string | number>('articles.id').as('n')])
    .groupBy(['sections.id', 'sections.slug', 'sections.name', 'sections.description', 'sections.position'])
    .orderBy('sections.position').orderBy('sections.name').execute();
  return Promise.all(rows.map(async ({ n, ...s }) => ({ ...s, articleCount: Number(n) + (await draftsChoosing(db, s.slug, s.id)) })));
}

async function sectionOr404(db: Db | Trx, slug: string): Promise<Section> {
  const s = await db.selectFrom('sections').select(['id', 'slug', 'name', 'description', 'position']).where('slug', '=', slug).executeTakeFirst();
  if (!s) throw new DomainError('not-found', 'Dieses Ressort gibt es nicht (mehr).', 'slug');
  return s;
}

/** A new section at the end of the navigation. The slug (its URL) is fixed from now on (decision 020). */
export async function createSection(db: Db, input: { name: string; slug?: string; description?: string }): Promise<Section> {
  const problems = new FieldProblems();
  const name = readName(problems, 'name', input.name, SECTION_NAME_MAX, 'einen Namen');
  const slug = readSlug(problems, 'slug', input.slug ?? '', name);
  const description = readText(problems, 'description', input.description ?? '', SECTION_DESCRIPTION_MAX);
  if (RESERVED_SECTION_SLUGS.includes(slug)) problems.add('slug', `„${slug}“ ist eine Adresse der Website selbst; bitte wählen Sie eine andere Kurzbezeichnung.`);
  problems.throwIfAny();
  const taken = () => new DomainError('conflict', `Es gibt schon ein Ressort mit der Kurzbezeichnung „${slug}“.`, 'slug');
  try {
    return await db.transaction().execute(async (trx) => {
      if (await trx.selectFrom('sections').select('id').where('slug', '=', slug).executeTakeFirst()) throw taken();
      const max = await trx.selectFrom('sections').select((eb) => eb.fn.max('position').as('p')).executeTakeFirst();
      const section: Section = { id: newId(), slug, name, description, position: Number(max?.p ?? 0) + 1 };
      await trx.insertInto('sections').values(section).execute();
      await recordContentChange(trx, ['nav', `section:${slug}`, 'sitemaps']);
      return section;
    });
  } catch (e) {
    // two admins creating the same slug at once: the unique index decides, the loser hears it like the check above
    if (!(e instanceof DomainError) && (await db.selectFrom('sections').select('id').where('slug', '=', slug).executeTakeFirst())) throw taken();
    throw e;
  }
}

/** Name and description; the slug stays. A new name reaches every page with the navigation and the section's feed. */
export async function updateSection(db: Db, slug: string, input: { name: string; description: string }): Promise<Section> {
  const problems = new FieldProblems();
  const name = readName(problems, 'name', input.name, SECTION_NAME_MAX, 'einen Namen');
  const description = readText(problems, 'description', input.description, SECTION_DESCRIPTION_MAX);
  problems.throwIfAny();
  return db.transaction().execute(async (trx) => {
    const before = await sectionOr404(trx, slug);
    if (before.name === name && before.description === description) return before;
    await trx.updateTable('sections').set({ name, description }).where('id', '=', before.id).execute();
    await recordContentChange(trx, before.name === name ? [`section:${slug}`] : ['nav', `section:${slug}`, 'feeds']);
    return { ...before, name, description };
  });
}

/** One place up or down in the navigation; positions are renumbered 1..n on the way, so ties from imports go away. */
export async function moveSection(db: Db, slug: string, direction: 'up' | 'down'): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const all = await trx.selectFrom('sections').select(['id', 'slug', 'position']).orderBy('position').orderBy('name').execute();
    const i = all.findIndex((s) => s.slug === slug);
    if (i === -1) throw new DomainError('not-found', 'Dieses Ressort gibt es nicht (mehr).', 'slug');
    const j = direction === 'up' ? i - 1 : i + 1;
    if (j < 0 || j >= all.length) return; // already first or last: nothing changes
    [all[i], all[j]] = [all[j]!, all[i]!];
    for (const [k, s] of all.entries()) {
      if (s.position !== k + 1) await trx.updateTable('sections').set({ position: k + 1 }).where('id', '=', s.id).execute();
    }
    await recordContentChange(trx, ['nav']);
  });
}

/** Only a section no article and no working copy uses; otherwise a conflict that says how many use it. */
export async function deleteSection(db: Db, slug: string): Promise<void> {
  const inUse = (n: number) => new DomainError('conflict',
    `Das Ressort wird noch von ${n === 1 ? 'einem Artikel' : `${n} Artikeln`} verwendet. Ordnen Sie ${n === 1 ? 'ihn' : 'sie'} zuerst einem anderen Ressort zu.`, 'slug');
  await deleteUnlessUsed(db, inUse, async (trx) => {
    const s = await sectionOr404(trx, slug);
    const articles = await trx.selectFrom('articles').select((eb) => eb.fn.countAll<string | number>().as('n')).where('section_id', '=', s.id).executeTakeFirstOrThrow();
    const n = Number(articles.n) + (await draftsChoosing(trx, slug, s.id));
    if (n > 0) throw inUse(n);
    await trx.deleteFrom('sections').where('id', '=', s.id).execute();
    await recordContentChange(trx, ['nav', `section:${slug}`, 'feeds', 'sitemaps']);
  });
}

/**
 * `remove` in one transaction: it counts the uses (throwing `inUse(n)`) and deletes. An article taking the row into use
 * between the count and the delete makes the foreign key refuse, and that is answered like the count.
 */
export async function deleteUnlessUsed(db: Db, inUse: (n: number) => DomainError, remove: (trx: Trx) => Promise<void>): Promise<void> {
  try {
    await db.transaction().execute(remove);
  } catch (e) {
    if (!(e instanceof DomainError) && /foreign key/i.test(String((e as Error).message))) throw inUse(1);
    throw e;
  }
}
