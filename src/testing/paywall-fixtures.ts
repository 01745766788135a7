// For paywall tests: an app on the fixture articles with a movable clock and fake DNS, readers of every kind, and unlock requests as the page's script makes them.
import type { Logger } from 'pino';
import type { BeaconOptions } from '../web/analytics/index.ts';
import { type HostResolver } from '../access/index.ts';
import { DEMO_OFFERS, ensureOffers, grantSubscription } from '../billing/index.ts';
import { getArticleBySlug, importDocument } from '../content/index.ts';
import { fixtureDocument, writeFixtureImages } from '../content/content.fixtures.ts';
import { createTestApp, type TestApp } from './test-app.ts';
import { register, verifyEmail, TEST_HASHING } from '../accounts/index.ts';
import { loggedInAs, logInAs, TEST_PASSWORD } from './test-accounts.ts';
import { TestBrowser, type PageResponse } from './test-browser.ts';
import { fromAddress } from './remote-address.ts';

export const GOOGLEBOT_UA = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
/** An address the fake DNS resolves as crawl-66-249-66-1.googlebot.com and back. */
export const GOOGLEBOT_IP = '66.249.66.1';
export const SPOOFER_IP = '203.0.113.9';
export const PLUS_SLUG = 'haushalt-in-not';
export const REGISTERED_SLUG = 'vereinsheim-eroeffnet';
export const FREE_SLUG = 'stadtfest-am-wochenende';

/** More Plus articles, so a test can use up the meter; their premium sentences are distinct. */
export const EXTRA_PLUS_SLUGS = ['plus-zwei', 'plus-drei', 'plus-vier'];
const extraPlusDocument = (now: Date) => ({
  articles: EXTRA_PLUS_SLUGS.map((slug, i) => ({
    slug, section: 'stadt', kicker: 'Plus', headline: `Plus-Artikel Nummer ${i + 2}`, teaser: `Der Vorspann von Nummer ${i + 2}.`,
    access: 'plus' as const, paywallAfter: 1, publishedAt: new Date(now.getTime() - (i + 3) * 3600_000).toISOString(), authors: [],
    blocks: [
      { type: 'paragraph' as const, text: `Frei lesbarer Anfang von Nummer ${i + 2}.` },
      { type: 'paragraph' as const, text: `Geheimer Absatz ${i + 2}: Die Ortsumgehung kostet ${i + 2},4 Millionen Euro mehr als geplant.` },
    ],
  })),
});

export const fakeDns: HostResolver = {
  async reverse(ip) {
    if (ip === GOOGLEBOT_IP) return ['crawl-66-249-66-1.googlebot.com'];
    if (ip === SPOOFER_IP) return ['crawl-66-249-66-1.googlebot.com.evil.example'];
    throw Object.assign(new Error('no PTR'), { code: 'ENOTFOUND' });
  },
  async lookup(host) {
    return host === 'crawl-66-249-66-1.googlebot.com' ? [GOOGLEBOT_IP] : [];
  },
};

export interface PaywallTestApp extends TestApp {
  clock: { now: Date };
  /** id and key id of an article as its cached page shows them */
  page(slug: string): Promise<{ articleId: string; keyId: string; html: string }>;
  /** POST /api/unlock as the page script does; `as` null is a guest without cookies, coming from socket address `from` if given */
  unlock(as: TestBrowser | null, articleId: string, body: unknown, headers?: Record<string, string>, from?: string): Promise<PageResponse & { json: Record<string, unknown> }>;
  reader(kind: 'reader' | 'subscriber' | 'editor', email?: string): Promise<{ browser: TestBrowser; userId: string }>;
  /**
   * A reader who registered (as the form does) but has not opened the confirmation link yet, logged in.
   * `confirm()` opens the link and logs in again: the unlock path remembers a session for a few seconds.
   */
  unconfirmed(email?: string): Promise<{ browser: TestBrowser; userId: string; email: string; confirm(): Promise<TestBrowser> }>;
}

/** `env` adds to the environment, e.g. { KLARTEXT_TRUST_PROXY: '1' }; by default there is no proxy in front. */
export async function createPaywallTestApp(engine: string, o: { meterPerMonth?: number; env?: Record<string, string>; logger?: Logger; beacon?: BeaconOptions } = {}): Promise<PaywallTestApp> {
  const clock = { now: new Date() };
  const t = await createTestApp(engine, {
    now: () => clock.now, crawlerResolver: fakeDns,
    env: { KLARTEXT_METER_PER_MONTH: String(o.meterPerMonth ?? 3), ...o.env },
    ...(o.logger ? { logger: o.logger } : {}),
    ...(o.beacon ? { beacon: o.beacon } : {}),
  });
  await writeFixtureImages(t.config.dataDir);
  await importDocument(t.store.db, fixtureDocument(), { baseDir: t.config.dataDir, dataDir: t.config.dataDir });
  await ensureOffers(t.store.db, DEMO_OFFERS, clock.now);
  await importDocument(t.store.db, extraPlusDocument(new Date()), { baseDir: t.config.dataDir, dataDir: t.config.dataDir });
  // the feed has read these changes: none of them drops a page a test caches from here on
  await t.klartext.contentChanges.poll();
  return {
    ...t,
    clock,
    async page(slug) {
      t.klartext.pageCache.clear();
      const res = await t.app.request(`/artikel/${slug}`);
      const html = await res.text();
      const article = await getArticleBySlug(t.store.db, slug, { now: clock.now });
      const keyId = /data-key-id="([^"]+)"/.exec(html)?.[1] ?? '';
      return { articleId: article!.id, keyId, html };
    },
    async unlock(as, articleId, body, headers = {}, from) {
      const init = {
        method: 'POST',
        body: typeof body === 'string' ? body : JSON.stringify(body),
        headers: { 'content-type': 'application/json', 'x-klartext-csrf': '1', origin: 'http://localhost', 'sec-fetch-site': 'same-origin', ...headers },
      };
      const res = as ? await as.request(`/api/unlock/${articleId}`, init) : await new TestBrowser(t.app, {}, from === undefined ? undefined : fromAddress(from)).request(`/api/unlock/${articleId}`, init);
      let json: Record<string, unknown> = {};
      try { json = JSON.parse(res.text) as Record<string, unknown>; } catch { /* not JSON: the test will say so */ }
      return { ...res, json };
    },
    async reader(kind, email) {
      const made = await loggedInAs(t, kind === 'editor' ? 'editor' : 'reader', email ?? `${kind}-${Math.random().toString(36).slice(2, 8)}@example.de`);
      if (kind === 'subscriber') await grantSubscription(t.store.db, { userId: made.userId, days: 30, now: clock.now });
      return made;
    },
    async unconfirmed(email = `neu-${Math.random().toString(36).slice(2, 8)}@example.de`) {
      // Through the service rather than the form, so a test may register more often than one address may per hour.
      const requester = { ip: `198.51.100.${Math.floor(Math.random() * 250) + 1}`, userAgent: 'test' };
      const { notice } = await register(t.store.db, { email, password: TEST_PASSWORD, acceptTerms: true, acceptPrivacy: true, newsletter: false }, { hashing: TEST_HASHING, requester });
      if (notice.kind !== 'verify-email') throw new Error(`${email} was not registered: ${notice.kind}`);
      const user = await t.store.db.selectFrom('users').select('id').where('email', '=', notice.to).executeTakeFirstOrThrow();
      return {
        browser: await logInAs(t, email, TEST_PASSWORD), userId: user.id, email: notice.to,
        async confirm() {
          await verifyEmail(t.store.db, notice.token);
          return logInAs(t, email, TEST_PASSWORD);
        },
      };
    },
  };
}
