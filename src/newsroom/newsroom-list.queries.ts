// The newsroom's lists: articles with filters (working-copy values, imported articles included), the start page's
// groups and the audit log. Working-copy fields are read from doc_json with `json(doc_json) ->> 'key'`, which both
// engines understand.
import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../db/index.ts';
import type { AccessLevel, AuthorRef, SectionRef } from '../content/index.ts';
import type { DraftDocument, EditorialState } from './draft-document.ts';
import type { Staff } from './newsroom.types.ts';

type Db = Kysely<Database>;

export interface NewsroomListItem {
  articleId: string;
  /** the article's address (a placeholder `entwurf-…` until the author sets one) */
  slug: string;
  kicker: string;
  headline: string;
  section: SectionRef;
  authors: AuthorRef[];
  access: AccessLevel;
  state: EditorialState;
  live: boolean;
  /** published, and the working copy has changes readers do not see yet */
  hasUnpublishedChanges: boolean;
  version: number;
  publishedVersion: number | null;
  scheduledAt: string | null;
  publishedAt: string | null;
  updatedAt: string;
  updatedByName: string;
  createdBy: string | null;
}

export interface NewsroomFilter {
  state?: EditorialState | undefined;
  /** section slug */
  section?: string | undefined;
  /** byline author slug */
  author?: string | undefined;
  access?: AccessLevel | undefined;
  /** last change at or after (ISO instant) */
  from?: string | undefined;
  /** last change before (ISO instant) */
  to?: string | undefined;
  /** words in headline, kicker or teaser */
  q?: string | undefined;
  createdBy?: string | undefined;
  live?: boolean | undefined;
  /** 'changed' (default, newest first, keyset by `after`), 'scheduled' (soonest first), 'published' (newest first) */
  order?: 'changed' | 'scheduled' | 'published';
  limit?: number;
  /** the `next` of the previous page */
  after?: string | undefined;
}

export interface NewsroomPage { items: NewsroomListItem[]; next: string | null }

const docText = (key: keyof DraftDocument): RawBuilder<string | null> => sql<string | null>`(json(d.doc_json) ->> ${sql.lit(key)})`;
const stateExpr = sql<EditorialState>`coalesce(d.state, case when articles.live = 1 then 'published' else 'unpublished' end)`;
const changedExpr = sql<string>`coalesce(d.updated_at, articles.updated_at)`;
const like = (s: string) => `%${s.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listNewsroomArticles(db: Db, f: NewsroomFilter = {}): Promise<NewsroomPage> {
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200);
  let q = db.selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .leftJoin('article_drafts as d', 'd.article_id', 'articles.id')
    .leftJoin('users as u', 'u.id', 'd.updated_by')
    .select(['articles.id', 'articles.slug', 'articles.kicker', 'articles.headline', 'articles.teaser', 'articles.access', 'articles.live',
      'articles.published_at', 'sections.slug as section_slug', 'd.doc_json', 'd.version', 'd.published_version', 'd.scheduled_at',
      'd.created_by', 'u.display_name', stateExpr.as('state'), changedExpr.as('changed_at')]);
  const where: Expression<SqlBool>[] = [];
  if (f.state) where.push(sql<SqlBool>`${stateExpr} = ${f.state}`);
  if (f.section) where.push(sql<SqlBool>`coalesce(${docText('section')}, sections.slug) = ${f.section}`);
  if (f.access) where.push(sql<SqlBool>`coalesce(${docText('access')}, articles.access) = ${f.access}`);
  if (f.author) {
    // Working copies name their bylines by slug in doc_json; imported articles have them in article_authors.
    where.push(sql<SqlBool>`((d.doc_json is not null and ${docText('authors')} like ${like(`"${f.author}"`)} escape '\\')
      or (d.doc_json is null and exists (select 1 from article_authors aa inner join authors au on au.id = aa.author_id where aa.article_id = articles.id and au.slug = ${f.author})))`);
  }
  if (f.from) where.push(sql<SqlBool>`${changedExpr} >= ${f.from}`);
  if (f.to) where.push(sql<SqlBool>`${changedExpr} < ${f.to}`);
  if (f.q?.trim()) {
    const text = sql`lower(coalesce(${docText('headline')}, articles.headline) || ' ' || coalesce(${docText('kicker')}, articles.kicker) || ' ' || coalesce(${docText('teaser')}, articles.teaser))`;
    for (const word of f.q.trim().split(/\s+/).slice(0, 8)) where.push(sql<SqlBool>`${text} like ${like(word)} escape '\\'`);
  }
  if (f.createdBy) where.push(sql<SqlBool>`d.created_by = ${f.createdBy}`);
  if (f.live !== undefined) where.push(sql<SqlBool>`articles.live = ${f.live ? 1 : 0}`);
  const order = f.order ?? 'changed';
  if (order === 'changed' && f.after) {
    const [at, id] = [f.after.slice(0, f.after.lastIndexOf('|')), f.after.slice(f.after.lastIndexOf('|') + 1)];
    where.push(sql<SqlBool>`(${changedExpr} < ${at} or (${changedExpr} = ${at} and articles.id < ${id}))`);
  }
  for (const w of where) q = q.where(w);
  if (order === 'scheduled') q = q.orderBy(sql`d.scheduled_at`).orderBy('articles.id');
  else if (order === 'published') q = q.orderBy('articles.published_at', 'desc').orderBy('articles.id', 'desc');
  else q = q.orderBy(changedExpr, 'desc').orderBy('articles.id', 'desc');
  const rows = await q.limit(limit + 1).execute();
  const page = rows.slice(0, limit);

  // Names of sections and authors, and the bylines of imported articles, in two small queries.
  const docs = new Map(page.map((r) => [r.id, r.doc_json ? JSON.parse(r.doc_json) as DraftDocument : null]));
  const imported = page.filter((r) => !r.doc_json).map((r) => r.id);
  const importedAuthors = imported.length === 0 ? [] : await db.selectFrom('article_authors').innerJoin('authors', 'authors.id', 'article_authors.author_id')
    .select(['article_authors.article_id', 'authors.slug', 'authors.name']).where('article_authors.article_id', 'in', imported).orderBy('article_authors.position').execute();
  const authorSlugs = [...new Set([...docs.values()].flatMap((d) => d?.authors ?? []))];
  const authorNames = new Map((authorSlugs.length === 0 ? [] : await db.selectFrom('authors').select(['slug', 'name']).where('slug', 'in', authorSlugs).execute()).map((a) => [a.slug, a.name]));
  const sectionNames = new Map((await db.selectFrom('sections').select(['slug', 'name']).execute()).map((s) => [s.slug, s.name]));

  const items = page.map((r): NewsroomListItem => {
    const doc = docs.get(r.id);
    const sectionSlug = doc?.section || r.section_slug;
    const version = r.version === null ? 0 : Number(r.version);
    const publishedVersion = r.doc_json ? (r.published_version === null ? null : Number(r.published_version)) : 0;
    const live = Number(r.live) === 1;
    return {
      articleId: r.id, slug: r.slug, kicker: doc?.kicker ?? r.kicker, headline: doc?.headline ?? r.headline,
      section: { slug: sectionSlug, name: sectionNames.get(sectionSlug) ?? sectionSlug },
      authors: doc ? doc.authors.map((s) => ({ slug: s, name: authorNames.get(s) ?? s })) : importedAuthors.filter((a) => a.article_id === r.id).map((a) => ({ slug: a.slug, name: a.name })),
      access: doc?.access ?? r.access, state: r.state, live,
      hasUnpublishedChanges: live && publishedVersion !== null && version > publishedVersion,
      version, publishedVersion, scheduledAt: r.scheduled_at, publishedAt: publishedVersion === null ? null : r.published_at,
      updatedAt: r.changed_at, updatedByName: r.display_name ?? '', createdBy: r.created_by,
    };
  });
  const last = page[page.length - 1];
  return { items, next: order === 'changed' && rows.length > limit && last ? `${last.changed_at}|${last.id}` : null };
}

export interface NewsroomOverview {
  myDrafts: NewsroomListItem[];
  inReview: NewsroomListItem[];
  scheduled: NewsroomListItem[];
  recentlyPublished: NewsroomListItem[];
}

/** The start page: my open drafts, what waits for review, what is scheduled, what went live lately. */
export async function newsroomOverview(db: Db, staff: Staff, o: { limit?: number } = {}): Promise<NewsroomOverview> {
  const limit = o.limit ?? 10;
  const [mine, inReview, scheduled, recentlyPublished] = await Promise.all([
    listNewsroomArticles(db, { createdBy: staff.id, state: 'draft', limit }),
    listNewsroomArticles(db, { state: 'review', limit }),
    listNewsroomArticles(db, { state: 'scheduled', order: 'scheduled', limit }),
    listNewsroomArticles(db, { live: true, order: 'published', limit }),
  ]);
  return { myDrafts: mine.items, inReview: inReview.items, scheduled: scheduled.items, recentlyPublished: recentlyPublished.items };
}

export interface AuditEntry {
  id: string;
  articleId: string;
  /** the working copy's headline (the live one for imported articles); '' when the article is gone */
  headline: string;
  action: string;
  actorId: string | null;
  actorName: string;
  detail: Record<string, unknown>;
  at: string;
}

export interface AuditFilter { articleId?: string | undefined; actorId?: string | undefined; action?: string | undefined; limit?: number; before?: string | undefined }

/** The editorial audit log, newest first (`before`: the `at` of the last entry of the previous page). */
export async function listAudit(db: Db, f: AuditFilter = {}): Promise<AuditEntry[]> {
  let q = db.selectFrom('editorial_audit as e')
    .leftJoin('articles', 'articles.id', 'e.article_id')
    .leftJoin('article_drafts as d', 'd.article_id', 'e.article_id')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .select(['e.id', 'e.article_id', 'e.action', 'e.actor_id', 'e.detail_json', 'e.at', 'u.display_name',
      sql<string | null>`coalesce(${docText('headline')}, articles.headline)`.as('headline')]);
  if (f.articleId) q = q.where('e.article_id', '=', f.articleId);
  if (f.actorId) q = q.where('e.actor_id', '=', f.actorId);
  if (f.action) q = q.where('e.action', '=', f.action);
  if (f.before) q = q.where('e.at', '<', f.before);
  const rows = await q.orderBy('e.at', 'desc').orderBy('e.id', 'desc').limit(Math.min(f.limit ?? 100, 500)).execute();
  return rows.map((r) => ({
    id: r.id, articleId: r.article_id, headline: r.headline ?? '', action: r.action, actorId: r.actor_id, actorName: r.display_name ?? '',
    detail: JSON.parse(r.detail_json) as Record<string, unknown>, at: r.at,
  }));
}
