// Full-text search over articles: free text for everyone, premium text only when the caller says the reader may see it.
import { SqliteAdapter, sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { DialectCapabilities } from '../db/dialect.ts';
import { blocksPlainText, freeBlocks, premiumBlocks, type Article } from './article.types.ts';

type Db = Kysely<Database>;

const isSqlite = (db: Db): boolean => db.getExecutor().adapter instanceof SqliteAdapter;

/**
 * On SQLite the document is found by its FTS5 rowid (search_rowids): FTS5 does not index article_id, and a delete by
 * it reads every document — an import of 2,000 articles into 20,000 took 16 times as long as into an empty database.
 */
async function dropDocument(db: Db, articleId: string): Promise<number | undefined> {
  if (!isSqlite(db)) {
    await db.deleteFrom('search_documents').where('article_id', '=', articleId).execute();
    return undefined;
  }
  const known = await db.selectFrom('search_rowids').select('doc_rowid').where('article_id', '=', articleId).executeTakeFirst();
  if (known) await sql`delete from search_documents where rowid = ${known.doc_rowid}`.execute(db);
  return known?.doc_rowid;
}

export async function indexArticle(db: Db, article: Article): Promise<void> {
  const freeText = [article.kicker, article.headline, article.teaser, blocksPlainText(freeBlocks(article))].join('\n');
  const premiumText = blocksPlainText(premiumBlocks(article));
  const rowid = await dropDocument(db, article.id);
  if (!isSqlite(db)) {
    await db.insertInto('search_documents').values({ article_id: article.id, free_text: freeText, premium_text: premiumText }).execute();
    return;
  }
  if (rowid !== undefined) {
    await sql`insert into search_documents (rowid, article_id, free_text, premium_text) values (${rowid}, ${article.id}, ${freeText}, ${premiumText})`.execute(db);
    return;
  }
  // RETURNING answers -1 for a virtual table's rowid; last_insert_rowid() is the row just made (one connection on SQLite)
  await sql`insert into search_documents (article_id, free_text, premium_text) values (${article.id}, ${freeText}, ${premiumText})`.execute(db);
  const made = await sql<{ rowid: number }>`select last_insert_rowid() as rowid`.execute(db);
  await db.insertInto('search_rowids').values({ article_id: article.id, doc_rowid: made.rows[0]!.rowid }).execute();
}

/** Takes an article out of the search (unpublished). */
export async function unindexArticle(db: Db, articleId: string): Promise<void> {
  await dropDocument(db, articleId);
  if (isSqlite(db)) await db.deleteFrom('search_rowids').where('article_id', '=', articleId).execute();
}

/** How many of the newest matches are ranked when a query matches many articles (see searchArticleIds). */
export const SEARCH_CANDIDATES = 200;
/** SQLite: up to this many matches, all are ranked (cheap); beyond, only the newest SEARCH_CANDIDATES. */
export const SEARCH_RANK_ALL = 2_000;

/** Words of the query, letters and digits only, so user input never reaches the engine's query syntax. */
export function searchTerms(query: string): string[] {
  return (query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 1).slice(0, 8);
}

export interface SearchOptions {
  includePremium: boolean; limit: number; now?: Date;
  /** Tests only: SEARCH_CANDIDATES and SEARCH_RANK_ALL, smaller. */
  candidates?: number; rankAllUpTo?: number;
}

/**
 * Ids of matching articles, best first. With `includePremium` false the premium text is not searched at all. Only live
 * articles match (a newsroom draft is never indexed, but an unpublished article must not match even if its document stayed),
 * and with `now` only those published by then: a scheduled article is indexed at import but takes no result's place.
 * PostgreSQL (German stemming: „Häuser“ finds „Haus“): the newest SEARCH_CANDIDATES matches are ranked by ts_rank with
 * length normalisation (1: divided by 1 + log of the length), the newer first among equals. Ranking every match cost
 * in proportion to the matches (a word in a quarter of 100,000 articles: a second, reading every tsvector); the
 * newest matches the planner finds either through the GIN index (rare words) or by walking the listing index newest first
 * and testing each document (common words, a few hundred rows) — decision 021.
 */
export async function searchArticleIds(db: Db, caps: DialectCapabilities, query: string, o: SearchOptions): Promise<string[]> {
  const terms = searchTerms(query);
  if (terms.length === 0) return [];
  const candidates = o.candidates ?? SEARCH_CANDIDATES;
  const published = o.now ? sql`and articles.published_at <= ${o.now.toISOString()}` : sql``;
  if (caps.fullText === 'fts5') {
    const column = o.includePremium ? '' : 'free_text : ';
    return fts5Search(db, `${column}(${terms.map((t) => `"${t}"*`).join(' AND ')})`, o, candidates);
  }
  const tsquery = terms.map((t) => `${t}:*`).join(' & ');
  const column = o.includePremium ? sql.ref('premium_tsv') : sql.ref('free_tsv');
  const rows = await sql<{ article_id: string }>`select c.article_id from (
      select search_documents.article_id, ${column} as tsv, articles.published_at, articles.id from articles
      inner join search_documents on search_documents.article_id = articles.id
      where ${column} @@ to_tsquery('german', ${tsquery}) and articles.live = 1 ${published}
      order by articles.published_at desc, articles.id desc limit ${candidates}
    ) c order by ts_rank(c.tsv, to_tsquery('german', ${tsquery}), 1) desc, c.published_at desc, c.id desc limit ${o.limit}`.execute(db);
  return rows.rows.map((r) => r.article_id);
}

/**
 * SQLite: FTS5 ordered by `rank` computes bm25 for every match and sorts them all (a word in a quarter of 100,000
 * articles: 25–120 ms here, ~0.9 s per request under load in bench:scale). So first count the matches up to
 * SEARCH_RANK_ALL (the FTS index alone): that few are all ranked as before. More: walk `articles_listing` newest first and
 * keep the live articles whose document matches (the matching rowids read once into a set, then one `search_rowids` lookup
 * per article: for a common word a few hundred), take the newest `candidates`, and rank only those — one more pass over
 * the matches, `+rowid` keeping the candidates from FTS5 (it would run the query once per rowid) and bm25 computed for
 * those alone. The newer first among equals, as on PostgreSQL. Decision 021.
 */
async function fts5Search(db: Db, match: string, o: SearchOptions, candidates: number): Promise<string[]> {
  const rankAllUpTo = o.rankAllUpTo ?? SEARCH_RANK_ALL;
  const published = o.now ? sql`and articles.published_at <= ${o.now.toISOString()}` : sql``;
  const probe = await sql<{ n: number }>`select count(*) as n from (select rowid from search_documents where search_documents match ${match} limit ${rankAllUpTo + 1})`.execute(db);
  if (Number(probe.rows[0]!.n) <= rankAllUpTo) {
    const rows = await sql<{ article_id: string }>`select search_documents.article_id from search_documents inner join articles on articles.id = search_documents.article_id where search_documents match ${match} and articles.live = 1 ${published} order by rank, articles.published_at desc, articles.id desc limit ${o.limit}`.execute(db);
    return rows.rows.map((r) => r.article_id);
  }
  const rows = await sql<{ article_id: string }>`with c as materialized (
      select search_rowids.doc_rowid, articles.published_at, articles.id from articles indexed by articles_listing
      inner join search_rowids on search_rowids.article_id = articles.id
      where articles.live = 1 ${published} and search_rowids.doc_rowid in (select rowid from search_documents where search_documents match ${match})
      order by articles.published_at desc, articles.id desc limit ${candidates}
    )
    select d.article_id from search_documents d inner join c on c.doc_rowid = +d.rowid
    where d.search_documents match ${match} and +d.rowid in (select doc_rowid from c)
    order by bm25(search_documents), c.published_at desc, c.id desc limit ${o.limit}`.execute(db);
  return rows.rows.map((r) => r.article_id);
}
