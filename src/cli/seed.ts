// The demo newspaper: pictures rendered, dates moved so the newest article is an hour old, imported like any other file; then its two years of history.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Store } from '../db/index.ts';
import type { Config } from '../config.ts';
import { importDocument, parseInterchange } from '../content/index.ts';
import { demoDocumentPath, renderDemoPhotos } from '../content/demo/photos.ts';
import { createUser, STANDARD_HASHING, type PasswordHashing } from '../accounts/index.ts';
import { DEMO_OFFERS, ensureOffers } from '../billing/index.ts';
import { seedDemoHistory, type HistoryResult } from '../demo/index.ts';

/** Moves all dates by the same amount so that the newest is `newest`; keeps the spacing the editors chose. */
export function shiftDates(json: string, newest: Date): string {
  const doc = JSON.parse(json) as { articles: { publishedAt: string }[] };
  const latest = Math.max(...doc.articles.map((a) => Date.parse(a.publishedAt)));
  const delta = newest.getTime() - latest;
  for (const a of doc.articles) a.publishedAt = new Date(Date.parse(a.publishedAt) + delta).toISOString();
  return JSON.stringify(doc);
}

/** What the demo seed did: the paper's articles, and the history (added, or why not: it is there already, or the site has insights data of its own). */
export interface DemoSeed { articles: number; history: HistoryResult }

/**
 * The demo paper, its offers and its history (decision 033: two years of readers, contracts, orders and events, so
 * the publisher's dashboard has something to show on the first start). A second seed adds no second history.
 */
export async function seedDemo(store: Store, config: Pick<Config, 'dataDir'> & Partial<Pick<Config, 'billingGraceDays'>>, now = new Date()): Promise<DemoSeed> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-demo-'));
  try {
    await renderDemoPhotos(dir);
    const json = shiftDates(await fs.readFile(demoDocumentPath, 'utf8'), new Date(now.getTime() - 3600_000));
    // JPEG now (as fast as the old pipeline: the first start of a server waits for this); AVIF and WebP follow
    // from the JPEGs the first time a browser asks for them
    const result = await importDocument(store.db, parseInterchange(json), { baseDir: dir, dataDir: config.dataDir, imageFormats: ['jpg'] });
    await ensureOffers(store.db, DEMO_OFFERS, now);
    const history = await seedDemoHistory(store, { now, graceMs: (config.billingGraceDays ?? 3) * 86_400_000 });
    return { articles: result.created + result.updated, history };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** The demo offers (Plus Digital, Plus Digital Jahr, Geschenk-Abo) when a database has none yet: a new site can sell at once. */
export async function seedOffersIfNone(store: Store, now = new Date()): Promise<boolean> {
  const any = await store.db.selectFrom('offers').select('id').limit(1).executeTakeFirst();
  if (any) return false;
  await ensureOffers(store.db, DEMO_OFFERS, now);
  return true;
}

export async function seedDemoIfEmpty(store: Store, config: Pick<Config, 'dataDir'> & Partial<Pick<Config, 'billingGraceDays'>>): Promise<DemoSeed | null> {
  const any = await store.db.selectFrom('articles').select('id').limit(1).executeTakeFirst();
  return any ? null : seedDemo(store, config);
}

export const DEMO_ADMIN_EMAIL = 'admin@klartext.example';

/** On a database without any account, an admin with a generated password, so the newsroom and the outbox can be tried at once. */
export async function seedDemoAdminIfNoUsers(store: Store, hashing: PasswordHashing = STANDARD_HASHING): Promise<{ email: string; password: string } | null> {
  const any = await store.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (any) return null;
  const { user, generatedPassword } = await createUser(store.db, { email: DEMO_ADMIN_EMAIL, role: 'admin', displayName: 'Demo-Administration' }, { hashing });
  return { email: user.email, password: generatedPassword! };
}
