// Writes a generated big paper in one transaction: COPY on PostgreSQL (pg-copy-streams), big multi-row inserts on SQLite.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import type { Database, Store } from '../db/index.ts';
import { recordContentChange } from '../content/index.ts';
import { DEMO_OFFERS, ensureOffers, findOffer, type Offer } from '../billing/index.ts';
import {
  SECTION_NAMES, authorCount, generatedArticle, type GeneratedArticle, generatedSectionId, generatedAuthor, generatedContract, generatedReader, type OfferTerms, type PaperPlan,
} from './generate-paper.ts';

export interface GenerateOptions extends PaperPlan {
  /** the one argon2id hash every generated reader shares (of GENERATED_PASSWORD) */
  passwordHash: string;
  /** seals the generated SEPA mandates' holder and IBAN, like the checkout does (derived from the master key) */
  paymentKey: Buffer;
  /** the billing grace period (past-due contracts keep access this long) */
  graceMs: number;
  /** PostgreSQL: the connection string the store was opened with (COPY needs a client of its own) */
  databaseUrl?: string;
  /** a line per finished table, for the command's progress output */
  progress?: (line: string) => void;
}

export interface GenerateReport { sections: number; authors: number; articles: number; readers: number; subscriptions: number; mandates: number; seconds: number }

export type Value = string | number | null;
/** Where rows go: a table, its columns, and the rows in that column order, made on demand. */
export type PutRows = (table: string, columns: readonly string[], rows: () => Iterable<Value[]>) => Promise<number>;

export const ARTICLE_COLUMNS = ['id', 'slug', 'section_id', 'kicker', 'headline', 'teaser', 'access', 'paywall_after', 'blocks_json', 'image_id', 'image_caption',
  'image_credit', 'published_at', 'updated_at', 'created_at', 'live', 'seo_title', 'seo_description'] as const;
export const USER_COLUMNS = ['id', 'email', 'password_hash', 'role', 'display_name', 'email_verified_at', 'newsletter_opt_in', 'terms_accepted_at',
  'privacy_accepted_at', 'created_at', 'updated_at'] as const;
export const SUBSCRIPTION_COLUMNS = ['id', 'number', 'user_id', 'offer_id', 'kind', 'provider', 'state', 'starts_at', 'access_until', 'current_period_start',
  'current_period_end', 'min_term_end', 'periods_paid', 'offer_name', 'intro_price_cents', 'intro_months', 'price_cents', 'period', 'min_term_months',
  'notice_months', 'gift_months', 'cancel_requested_at', 'cancel_effective_at', 'past_due_since', 'dunning_attempts', 'next_dunning_at', 'reminder_sent_at',
  'ended_at', 'end_reason', 'holder_name', 'buyer_email', 'order_key', 'gift_code_hash', 'external_ref', 'external_customer', 'external_version',
  'created_at', 'updated_at'] as const;
const MANDATE_COLUMNS = ['id', 'subscription_id', 'reference', 'holder_sealed', 'iban_sealed', 'iban_masked', 'bic', 'signed_on', 'first_collected_at',
  'revoked_at', 'created_at'] as const;

export const pickColumns = <T extends object>(o: T, columns: readonly string[]): Value[] => columns.map((c) => (o as Record<string, Value>)[c] ?? null);

/**
 * Everything in one transaction: a failure (a slug or address already taken, a lost connection) leaves the database as
 * it was. Sections and bylines that exist by slug are used, not duplicated; the demo offers are created when missing.
 */
export async function generatePaper(store: Store, o: GenerateOptions): Promise<GenerateReport> {
  const t0 = performance.now();
  if (o.subscriptions > o.readers) throw new RangeError('subscriptions must not exceed readers (each contract belongs to one generated reader)');
  const run = (q: Kysely<Database> | Transaction<Database>, put: PutRows) => writePaper(q, put, o, store.caps.fullText === 'fts5');
  const counts = store.caps.name === 'postgres' ? await onPostgres(store, o, run) : await store.db.transaction().execute((trx) => run(trx, multiRowInserts(trx)));
  return { ...counts, seconds: (performance.now() - t0) / 1000 };
}

async function writePaper(q: Kysely<Database> | Transaction<Database>, put: PutRows, o: GenerateOptions, fts5: boolean): Promise<Omit<GenerateReport, 'seconds'>> {
  const say = o.progress ?? (() => {});
  let lap = performance.now();
  const done = (what: string) => { const now = performance.now(); say(`${what} (${((now - lap) / 1000).toFixed(1)} s)`); lap = now; };

  await ensureOffers(q, DEMO_OFFERS, o.now);
  const offers: OfferTerms = { monthly: await offer(q, 'plus-digital'), yearly: await offer(q, 'plus-digital-jahr'), gift: await offer(q, 'geschenk-abo') };

  const sectionIds = new Map((await q.selectFrom('sections').select(['id', 'slug']).execute()).map((s) => [s.slug, s.id]));
  const maxPos = await q.selectFrom('sections').select((eb) => eb.fn.max('position').as('p')).executeTakeFirst();
  let position = Number(maxPos?.p ?? 0);
  let sections = 0;
  for (const [slug, name] of Object.entries(SECTION_NAMES)) {
    if (sectionIds.has(slug) || o.articles === 0) continue; // readers alone (e.g. next to the demo newspaper) add no empty sections
    const id = generatedSectionId(o.seed, slug);
    await q.insertInto('sections').values({ id, slug, name, position: ++position, description: '' }).execute();
    sectionIds.set(slug, id);
    sections++;
  }
  const authorIds: string[] = [];
  const authorSlugs: string[] = [];
  const existingAuthors = new Map((await q.selectFrom('authors').select(['id', 'slug']).execute()).map((a) => [a.slug, a.id]));
  const newAuthors = [];
  for (let i = 0; o.articles > 0 && i < authorCount(o.articles); i++) {
    const a = generatedAuthor(o, i);
    const known = existingAuthors.get(a.slug);
    authorIds.push(known ?? a.id);
    authorSlugs.push(a.slug);
    if (!known) newAuthors.push({ ...a, user_id: null });
  }
  if (newAuthors.length) await q.insertInto('authors').values(newAuthors).execute();

  const created = o.now.toISOString();
  // one pass makes each article; its bylines and search document wait in memory for their own COPY (about 2.5 KB an article)
  const bylines: Value[][] = [];
  const documents: [string, string, string][] = [];
  const articles = await put('articles', ARTICLE_COLUMNS, function* () {
    for (let n = 0; n < o.articles; n++) {
      const a = generatedArticle(o, n);
      for (const [pos, i] of a.authorIndexes.entries()) bylines.push([a.id, authorIds[i]!, pos]);
      documents.push([a.id, a.freeText, a.premiumText]);
      yield articleRow(a, sectionIds.get(a.section)!, created);
    }
  });
  done(`${articles} Artikel`);
  await put('article_authors', ['article_id', 'author_id', 'position'], () => bylines);
  done('Autorenzeilen');
  await writeSearchDocuments(q, put, documents, fts5);
  documents.length = 0;
  done('Suchindex');
  const readers = await put('users', USER_COLUMNS, function* () {
    for (let n = 0; n < o.readers; n++) yield pickColumns(generatedReader(o, n, o.passwordHash), USER_COLUMNS);
  });
  done(`${readers} Leserkonten`);
  const mandateRows: Value[][] = [];
  const subscriptions = await put('subscriptions', SUBSCRIPTION_COLUMNS, function* () {
    for (let k = 0; k < o.subscriptions; k++) {
      const c = generatedContract(o, k, generatedReader(o, k, o.passwordHash), offers, o.graceMs, o.paymentKey);
      if (c.mandate) mandateRows.push(pickColumns(c.mandate, MANDATE_COLUMNS));
      yield pickColumns(c.subscription, SUBSCRIPTION_COLUMNS);
    }
  });
  const mandates = await put('sepa_mandates', MANDATE_COLUMNS, () => mandateRows);
  done(`${subscriptions} Abos, ${mandates} SEPA-Mandate`);
  // every process drops its cached pages (front, sections, feeds, sitemaps, navigation) once this commits
  if (o.articles > 0) await recordContentChange(q, ['front', 'nav', 'feeds', 'sitemaps', ...[...sectionIds.keys()].map((s) => `section:${s}`), ...authorSlugs.map((s) => `author:${s}`)], { now: o.now });
  return { sections, authors: newAuthors.length, articles, readers, subscriptions, mandates };
}

/** A generated article as a row of ARTICLE_COLUMNS: live, without a lead image, SEO fields empty. */
export function articleRow(a: GeneratedArticle, sectionId: string, createdAt: string): Value[] {
  return [a.id, a.slug, sectionId, a.kicker, a.headline, a.teaser, a.access, a.paywallAfter, JSON.stringify(a.blocks), null, '', '', a.publishedAt, a.updatedAt, createdAt, 1, '', ''];
}

async function offer(q: Kysely<Database> | Transaction<Database>, slug: string): Promise<Offer> {
  const found = await findOffer(q, slug);
  if (!found) throw new Error(`offer ${slug} missing after ensureOffers`);
  return found;
}

/** The search index as indexArticle writes it; on SQLite the FTS5 rows get their rowids in search_rowids. */
export async function writeSearchDocuments(q: Kysely<Database> | Transaction<Database>, put: PutRows, documents: [string, string, string][], fts5: boolean): Promise<void> {
  if (!fts5) {
    await put('search_documents', ['article_id', 'free_text', 'premium_text'], () => documents);
    return;
  }
  const max = await sql<{ m: number | null }>`select max(rowid) as m from search_documents`.execute(q);
  const first = Number(max.rows[0]?.m ?? 0) + 1;
  await put('search_documents', ['rowid', 'article_id', 'free_text', 'premium_text'], function* () {
    for (const [n, [id, free, premium]] of documents.entries()) yield [first + n, id, free, premium];
  });
  await put('search_rowids', ['article_id', 'doc_rowid'], function* () {
    for (const [n, [id]] of documents.entries()) yield [id, first + n];
  });
}

/**
 * Multi-row inserts of up to `maxRows` rows (and below SQLite's 32,766 parameters), inside the caller's transaction: the
 * big paper on SQLite, the demo history on both engines (PostgreSQL takes up to 65,535 parameters a statement).
 */
export function multiRowInserts(trx: Transaction<Database>, maxRows = 500): PutRows {
  return async (table, columns, rows) => {
    const per = Math.min(maxRows, Math.floor(30_000 / columns.length));
    const head = sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values `;
    let batch: Value[][] = [];
    let count = 0;
    const flush = async () => {
      if (!batch.length) return;
      await sql`${head}${sql.join(batch.map((r) => sql`(${sql.join(r)})`))}`.execute(trx);
      count += batch.length;
      batch = [];
    };
    for (const r of rows()) { batch.push(r); if (batch.length >= per) await flush(); }
    await flush();
    return count;
  };
}

/**
 * PostgreSQL inside the caller's transaction (no COPY client of its own): `insert … select * from unnest($1::text[], $2::int8[], …)`,
 * one array parameter per column and up to `maxRows` rows a statement. Many-row VALUES lists cost PostgreSQL (and Kysely's
 * compiler) a parse per parameter; the demo history's 170,000 rows took 9.6 s that way and about a second like this.
 * The arrays are typed by the table's own column types.
 */
export function pgArrayInserts(trx: Transaction<Database>, maxRows = 20_000): PutRows {
  const types = new Map<string, Map<string, string>>();
  return async (table, columns, rows) => {
    let typed = types.get(table);
    if (!typed) {
      // pg_catalog, not information_schema: the latter reads every schema's columns (slow beside many test schemas)
      const found = await sql<{ name: string; type: string }>`select a.attname as name, t.typname as type from pg_attribute a
        join pg_type t on t.oid = a.atttypid where a.attrelid = to_regclass(${table}) and a.attnum > 0 and not a.attisdropped`.execute(trx);
      typed = new Map(found.rows.map((c) => [c.name, c.type]));
      types.set(table, typed);
    }
    const arrays = columns.map((c) => {
      const t = typed.get(c);
      if (!t) throw new Error(`${table}.${c}: no such column`);
      return sql.raw(`${t}[]`);
    });
    let batch: Value[][] = columns.map(() => []);
    let pending = 0;
    let count = 0;
    const flush = async () => {
      if (!pending) return;
      await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
        select * from unnest(${sql.join(batch.map((values, i) => sql`cast(${values} as ${arrays[i]!})`))})`.execute(trx);
      count += pending;
      pending = 0;
      batch = columns.map(() => []);
    };
    for (const r of rows()) {
      for (let i = 0; i < columns.length; i++) batch[i]!.push(r[i] ?? null);
      if (++pending >= maxRows) await flush();
    }
    await flush();
    return count;
  };
}

/** COPY's text format: tab-separated, \N for null, backslash escapes for backslash, tab, newline and carriage return. */
export function copyLine(values: readonly Value[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i) line += '\t';
    if (v === null || v === undefined) line += '\\N';
    else if (typeof v === 'number') line += String(v);
    else line += /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : v;
  }
  return line + '\n';
}

/**
 * PostgreSQL: one client of our own (COPY streams need the raw connection), in the store's schema; BEGIN, the small writes
 * through a Kysely bound to that client, COPY for the big tables, COMMIT — or ROLLBACK on any error.
 */
async function onPostgres<T>(store: Store, o: GenerateOptions, run: (q: Kysely<Database>, put: PutRows) => Promise<T>): Promise<T> {
  if (!o.databaseUrl) throw new Error('generatePaper on PostgreSQL needs the databaseUrl the store was opened with');
  const client = new pg.Client({ connectionString: o.databaseUrl, ...(store.pgSchema ? { options: `-c search_path=${store.pgSchema}` } : {}) });
  await client.connect();
  // Kysely over this one client: its pool hands out the same connection and never ends it
  const single = { connect: async () => Object.assign(client, { release: () => {} }), end: async () => {} };
  const q = new Kysely<Database>({ dialect: new PostgresDialect({ pool: single as unknown as pg.Pool }) });
  const put: PutRows = async (table, columns, rows) => {
    let count = 0;
    const text = function* () {
      let chunk = '';
      for (const r of rows()) {
        chunk += copyLine(r);
        count++;
        if (chunk.length > 256 * 1024) { yield chunk; chunk = ''; }
      }
      if (chunk) yield chunk;
    };
    const rebuild = await dropIndexesIfEmpty(client, table);
    const target = client.query(copyFrom(`copy ${table} (${columns.map((c) => `"${c}"`).join(', ')}) from stdin`));
    await pipeline(Readable.from(text()), target);
    for (const def of rebuild) await client.query(def);
    return count;
  };
  try {
    await client.query('begin');
    // a bigger share of memory for this transaction's index builds and sorts
    await client.query(`set local maintenance_work_mem = '256MB'`);
    const result = await run(q, put);
    await client.query('commit');
    return result;
  } catch (e) {
    await client.query('rollback').catch(() => {});
    throw e;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * An empty table's secondary indexes (those no constraint owns: the GIN indexes of the search, the listing indexes) are
 * dropped before its COPY and built again after it, in the same transaction: one bulk build instead of a million
 * single inserts (the search index took 103 s of a 189 s generation before). Only for empty tables, because DROP INDEX
 * locks the table until the commit: a table that already serves a site keeps its indexes and stays readable.
 */
async function dropIndexesIfEmpty(client: pg.Client, table: string): Promise<string[]> {
  const empty = await client.query(`select not exists (select 1 from ${table}) as empty`);
  if (!(empty.rows[0] as { empty: boolean }).empty) return [];
  const found = await client.query(`select i.relname as name, pg_get_indexdef(x.indexrelid) as def
    from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
    where t.relname = $1 and t.relnamespace = current_schema()::regnamespace
      and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)`, [table]);
  const rows = found.rows as { name: string; def: string }[];
  for (const r of rows) await client.query(`drop index "${r.name.replace(/"/g, '""')}"`);
  return rows.map((r) => r.def);
}
