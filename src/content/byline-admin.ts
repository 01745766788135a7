// Bylines (authors) as admins manage them in the newsroom: create, rename, bio, link to a staff account, delete while unused.
import type { Kysely, Transaction } from 'kysely';
import { FieldProblems, findUserById, isStaffRole } from '../accounts/index.ts';
import { newId, type Database } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import { slugify, type Author } from './article.types.ts';
import { recordContentChange } from './content-changes.ts';
import { deleteUnlessUsed, readName, readText } from './section-admin.ts';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

export const BYLINE_NAME_MAX = 80;
export const BYLINE_BIO_MAX = 1000;

export interface Byline extends Author {
  /** the staff account behind the byline, if any */
  user: { id: string; email: string; displayName: string } | null;
  /** articles carrying it (published or not) and working copies that chose it: a byline in use cannot be deleted */
  articleCount: number;
}

export interface BylineInput { name: string; bio: string; /** '' or absent: no account */ userId?: string }

/** Working copies that list this byline (the article row's bylines change only when it is published). */
async function draftsListing(db: Db | Trx, slug: string, authorId: string): Promise<number> {
  const rows = await db.selectFrom('article_drafts').select(['article_id', 'doc_json'])
    .where('doc_json', 'like', `%"${slug}"%`)
    .where('article_id', 'not in', db.selectFrom('article_authors').select('article_id').where('author_id', '=', authorId)).execute();
  return rows.filter((r) => {
    const authors = (JSON.parse(r.doc_json) as { authors?: unknown }).authors;
    return Array.isArray(authors) && authors.includes(slug);
  }).length;
}

export async function listBylines(db: Db): Promise<Byline[]> {
  const rows = await db.selectFrom('authors').leftJoin('users', 'users.id', 'authors.user_id')
    .select(['authors.id', 'authors.slug', 'authors.name', 'authors.bio', 'authors.user_id', 'users.email', 'users.display_name',
      (eb) => eb.selectFrom('article_authors').select((e2) => e2.fn.countAll<string | number>().as('n')).whereRef('article_authors.author_id', '=', 'authors.id').as('n')])
    .orderBy('authors.name').orderBy('authors.slug').execute();
  return Promise.all(rows.map(async (r) => ({
    id: r.id, slug: r.slug, name: r.name, bio: r.bio,
    user: r.user_id && r.email ? { id: r.user_id, email: r.email, displayName: r.display_name || r.email.split('@')[0]! } : null,
    articleCount: Number(r.n ?? 0) + (await draftsListing(db, r.slug, r.id)),
  })));
}

/** The account to link: none, or an existing staff account not yet linked to another byline. */
async function readUserLink(db: Db | Trx, problems: FieldProblems, raw: string | undefined, exceptAuthorId: string | null): Promise<string | null> {
  const userId = (raw ?? '').trim();
  if (!userId) return null;
  const user = await findUserById(db, userId);
  if (!user) { problems.add('userId', 'Dieses Konto gibt es nicht (mehr).'); return null; }
  if (!isStaffRole(user.role)) { problems.add('userId', `${user.email} gehört nicht zur Redaktion; verknüpfen lassen sich nur Konten von Autorinnen, Redakteuren und Administratoren.`); return null; }
  let other = db.selectFrom('authors').select('name').where('user_id', '=', userId);
  if (exceptAuthorId) other = other.where('id', '!=', exceptAuthorId);
  const taken = await other.executeTakeFirst();
  if (taken) problems.add('userId', `${user.email} ist schon mit der Autorenzeile „${taken.name}“ verknüpft.`);
  return userId;
}

async function bylineOr404(db: Db | Trx, slug: string): Promise<Author & { userId: string | null }> {
  const a = await db.selectFrom('authors').select(['id', 'slug', 'name', 'bio', 'user_id']).where('slug', '=', slug).executeTakeFirst();
  if (!a) throw new DomainError('not-found', 'Diese Autorenzeile gibt es nicht (mehr).', 'slug');
  return { id: a.id, slug: a.slug, name: a.name, bio: a.bio, userId: a.user_id };
}

/** A new byline; its slug (the author page /autor/<slug>) comes from the name, with -2, -3 … when taken, and stays. */
export async function createByline(db: Db, input: BylineInput): Promise<Author> {
  const problems = new FieldProblems();
  const name = readName(problems, 'name', input.name, BYLINE_NAME_MAX, 'einen Namen');
  const bio = readText(problems, 'bio', input.bio, BYLINE_BIO_MAX);
  problems.throwIfAny();
  return db.transaction().execute(async (trx) => {
    const userId = await readUserLink(trx, problems, input.userId, null);
    problems.throwIfAny();
    const base = slugify(name);
    const taken = new Set((await trx.selectFrom('authors').select('slug').where('slug', 'like', `${base}%`).execute()).map((r) => r.slug));
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
    const author: Author = { id: newId(), slug, name, bio };
    await trx.insertInto('authors').values({ ...author, user_id: userId }).execute();
    await recordContentChange(trx, [`author:${slug}`, 'sitemaps']);
    return author;
  });
}

/**
 * Name, bio and account link; the slug stays. A new name changes the author page and every article page that
 * carries the byline, so their keys are recorded; a new bio only the author page.
 */
export async function updateByline(db: Db, slug: string, input: BylineInput): Promise<Author> {
  const problems = new FieldProblems();
  const name = readName(problems, 'name', input.name, BYLINE_NAME_MAX, 'einen Namen');
  const bio = readText(problems, 'bio', input.bio, BYLINE_BIO_MAX);
  problems.throwIfAny();
  return db.transaction().execute(async (trx) => {
    const before = await bylineOr404(trx, slug);
    const userId = await readUserLink(trx, problems, input.userId, before.id);
    problems.throwIfAny();
    await trx.updateTable('authors').set({ name, bio, user_id: userId }).where('id', '=', before.id).execute();
    const keys: string[] = [];
    if (before.name !== name) {
      const articles = await trx.selectFrom('article_authors').select('article_id').where('author_id', '=', before.id).execute();
      keys.push(`author:${slug}`, ...articles.map((a) => `article:${a.article_id}`));
    } else if (before.bio !== bio) {
      keys.push(`author:${slug}`);
    }
    if (keys.length) await recordContentChange(trx, keys);
    return { id: before.id, slug, name, bio };
  });
}

/** Only a byline no article and no working copy carries; otherwise a conflict that says how many do. */
export async function deleteByline(db: Db, slug: string): Promise<void> {
  const inUse = (n: number) => new DomainError('conflict',
    `Die Autorenzeile steht noch über ${n === 1 ? 'einem Artikel' : `${n} Artikeln`} und kann deshalb nicht gelöscht werden.`, 'slug');
  await deleteUnlessUsed(db, inUse, async (trx) => {
    const a = await bylineOr404(trx, slug);
    const used = await trx.selectFrom('article_authors').select((eb) => eb.fn.countAll<string | number>().as('n')).where('author_id', '=', a.id).executeTakeFirstOrThrow();
    const n = Number(used.n) + (await draftsListing(trx, slug, a.id));
    if (n > 0) throw inUse(n);
    await trx.deleteFrom('authors').where('id', '=', a.id).execute();
    await recordContentChange(trx, [`author:${slug}`, 'sitemaps']);
  });
}
