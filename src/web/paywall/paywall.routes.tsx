// The paywall on the web: the premium slot of the cached page, the unlock endpoint, the no-JS reading page, verified crawlers, /abo.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { Child } from 'hono/jsx';
import { z } from 'zod';
import {
  claimInstitutionSeat, noteSeatUse, recordMeterUnlock, resolveEntitlement, unlockArticle,
  GIFT_TOKEN_PATTERN,
} from '../../access/index.ts';
import { premiumBlocks, type Article } from '../../content/index.ts';
import { HttpError } from '../platform/app-error.ts';
import { readSmallBody } from '../platform/small-body.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { blocksHtml } from '../ui/article-page.view.tsx';
import { verifyCsrf, csrfToken, sameOrigin } from '../platform/csrf.ts';
import { giftRoutes } from './gift.routes.tsx';
import { createSealedPremium } from './sealed-premium.tsx';
import { createPreviewSlot, type PreviewAudience } from './paywall-preview.tsx';
import { isVerifiedCrawler, makePaywall, type PaywallDeps } from './paywall-context.ts';
import { markPrivate, readerUser } from '../platform/session.middleware.ts';
import { boxOfferOf, offerJson, type BoxExperiment, type BoxOffer } from './paywall-offer.ts';
import { MeterConfirm, PaywallBox, PlainPremium, RESEND_VERIFICATION_PATH, denialMessage, loginHref, registerHref } from './paywall.view.tsx';
import { renderPage } from '../platform/render.tsx';
import { clientIp, isOwnOrigin, safeNextPath } from '../platform/request-info.ts';
import { variesBy } from '../platform/public-cache.middleware.ts';
import { surrogateKeys } from '../platform/surrogate-keys.ts';
import { findOffer, listOffers, type Offer } from '../../billing/index.ts';
import type { Experiment } from '../../analytics/index.ts';
import { OffersPage } from './offers.view.tsx';
import type { ServingConfig } from '../../config.ts';
import { articleOr404, renderArticlePage, type PremiumSlot } from '../ui/article-page.view.tsx';

export type { PaywallDeps } from './paywall-context.ts';

/** `{ keyId, gift }` is under 100 bytes; anything much larger is not from our script. */
const UNLOCK_BODY_BYTES = 2048;

const unlockBody = z.strictObject({
  keyId: z.string().regex(/^[A-Za-z0-9_-]{10}$/, 'keyId must be the 10-character key id of the page'),
  gift: z.string().regex(GIFT_TOKEN_PATTERN, 'gift must be the token of a gift link').optional(),
});

async function readUnlockBody(c: Context): Promise<z.infer<typeof unlockBody>> {
  if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
    throw new HttpError('bad-request', 'Die Anfrage muss JSON sein (Content-Type: application/json).', 'content-type');
  }
  const text = await readSmallBody(c, UNLOCK_BODY_BYTES);
  let raw: unknown;
  try { raw = JSON.parse(text); } catch { throw new HttpError('bad-request', 'Der Inhalt der Anfrage ist kein gültiges JSON.', 'body'); }
  const parsed = unlockBody.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.code === 'unrecognized_keys' ? issue.keys[0]! : String(issue.path[0] ?? 'body');
  const message = field === 'keyId' ? 'Die Schlüssel-ID fehlt oder ist ungültig. Bitte laden Sie die Seite neu.'
    : field === 'gift' ? 'Der Geschenk-Link ist unvollständig. Bitte prüfen Sie die Adresse.'
      : `Unbekanntes oder fehlerhaftes Feld „${field}“.`;
  throw new HttpError('bad-request', message, field);
}

/**
 * The cached page cannot carry a per-reader CSRF token, so the unlock endpoint asks for what a cross-site
 * attacker cannot produce: the custom header (a form cannot set it; a cross-site fetch with it needs a CORS
 * preflight we never answer) and, when the browser says where the request comes from, this origin.
 */
function assertSameOriginScript(c: Context, own: Pick<ServingConfig, 'publicUrl' | 'acceptedHosts'>): void {
  const refuse = (why: string): never => { throw new HttpError('forbidden', `Die Anfrage wurde abgelehnt: ${why}`, 'x-klartext-csrf'); };
  if (!c.req.header('x-klartext-csrf')) refuse('Der Kopf x-klartext-csrf fehlt.');
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') refuse('Sie stammt nicht von dieser Seite.');
  if (!sameOrigin(c, own)) refuse('Sie stammt nicht von dieser Seite.');
}

/**
 * A gift token for the no-JS page: from `?geschenk=`, or from the Referer when the reader followed the
 * page's <noscript> link from a gift URL of the same article — the cached page cannot carry the token itself.
 */
function giftTokenOf(c: Context, article: Pick<Article, 'slug'>, own: Pick<ServingConfig, 'publicUrl' | 'acceptedHosts'>): string | undefined {
  const direct = c.req.query('geschenk');
  if (direct) return direct;
  const referer = c.req.header('referer');
  if (!referer) return undefined;
  try {
    const from = new URL(referer);
    if (!isOwnOrigin(referer, own) || from.pathname !== `/artikel/${article.slug}`) return undefined;
    return from.searchParams.get('geschenk') ?? undefined;
  } catch {
    return undefined;
  }
}

/** What the paywall gives the two apps: the premium slot and crawler gate of the public article page, /abo, and its private routes. */
export interface PaywallArea {
  premiumSlot: PremiumSlot;
  /** public app, before the page cache on /artikel/:slug: a verified crawler gets the text on a private answer */
  crawlerGate: MiddlewareHandler<AppEnv>;
  publicRoutes: Hono<AppEnv>;
  privateRoutes: Hono<AppEnv>;
  /** private app, before the session middleware on /api/unlock/*: sessions from memory for a few seconds */
  unlockSession: MiddlewareHandler<AppEnv>;
  /** whether a user agent claims to be a search crawler (such requests skip the cache-hit fast path) */
  claimsCrawler: (userAgent: string) => boolean;
  /** the newsroom's preview: the premium slot as a guest, a registered reader or a subscriber would get it; never cached (paywall-preview.tsx) */
  previewSlot: (article: Article, audience: PreviewAudience) => Promise<Child>;
}

export function createPaywall(deps: PaywallDeps): PaywallArea {
  const p = makePaywall(deps);
  const db = deps.site.db;
  const app = new Hono<AppEnv>();
  const publicRoutes = new Hono<AppEnv>();

  const sealedPremium = createSealedPremium(p.keys);
  // the box's price texts per offer object: the featured offer is remembered until the offers change
  const boxOffers = new WeakMap<object, BoxOffer>();
  const boxOfferFor = (o: Offer) => {
    let box = boxOffers.get(o);
    if (!box) boxOffers.set(o, (box = boxOfferOf(o)));
    return box;
  };
  const boxOffer = async () => {
    const o = await deps.featuredOffer();
    return o ? boxOfferFor(o) : o;
  };
  // The running experiment as the box shows it, per remembered experiment object (a new one after every change of the
  // offers). A variant's own offer replaces the featured one while it is on sale; taken off sale, the featured one stands in.
  const boxExperiments = new WeakMap<Experiment, Promise<BoxExperiment>>();
  const boxExperiment = async (): Promise<BoxExperiment | null> => {
    const e = await deps.runningExperiment?.();
    if (!e) return null;
    let box = boxExperiments.get(e);
    if (!box) {
      box = (async () => {
        const featured = await boxOffer();
        const variants = await Promise.all(e.variants.map(async (v) => {
          const own = v.offerId ? await findOffer(db, v.offerId) : null;
          const offer = own?.active && own.kind === 'recurring' ? boxOfferFor(own) : featured;
          return { id: v.id, key: v.key, headline: v.headline, body: v.body, share: v.share, offer };
        }));
        return { id: e.id, variants };
      })();
      boxExperiments.set(e, box);
      box.catch(() => boxExperiments.delete(e));
    }
    return box;
  };
  const premiumSlot: PremiumSlot = async (article, c) => {
    // a Plus article's box sells the featured offer (or the running experiment's): a new price or experiment must reach the page
    if (c && article.access === 'plus') surrogateKeys(c, 'offers');
    return sealedPremium(db, article, await boxOffer(), article.access === 'plus' ? await boxExperiment() : null);
  };

  // Runs before the page cache: a request claiming to be a search crawler is checked by its address. Verified,
  // it gets the text in plain HTML on a private answer; otherwise it falls through to the guest page everyone gets.
  const crawlerGate: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    if (!(await isVerifiedCrawler(c, p))) return next();
    const article = await articleOr404(deps.site, c.req.param('slug') ?? '');
    if (article.access === 'free') return next();
    markPrivate(c);
    c.header('vary', 'User-Agent');
    return renderArticlePage(c, deps.site, article, <PlainPremium article={article} html={blocksHtml(premiumBlocks(article))} />);
  };

  app.post('/api/unlock/:articleId', async (c) => {
    c.header('cache-control', 'no-store');
    assertSameOriginScript(c, deps.config);
    const articleId = c.req.param('articleId');
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(articleId)) throw new HttpError('not-found', 'Diesen Artikel gibt es nicht (mehr).', 'articleId');
    const body = await readUnlockBody(c);
    const result = await unlockArticle(db, { keys: p.keys, articleFacts: p.articleFacts, meter: p.meter, isSubscriber: p.isSubscriber, institutions: deps.institutions }, {
      articleId, keyId: body.keyId, giftToken: body.gift, user: readerUser(c), verifiedCrawler: await isVerifiedCrawler(c, p), now: deps.now(),
      clientIp: clientIp(c, deps.config),
    });
    if (result.granted) {
      // insights: an opened gift link, a free meter article used up now (not the re-reads of one unlocked before), an institution's reader
      if (result.reason === 'gift') deps.analytics.record({ kind: 'gift_open', articleId });
      else if (result.reason === 'meter' && result.counted) deps.analytics.record({ kind: 'meter_unlock', articleId });
      if (result.institution) deps.analytics.record({ kind: 'institution_unlock', articleId, institutionId: result.institution.id, detail: result.institution.via });
      return c.json({
        granted: true, key: result.key.toString('base64url'), keyId: result.keyId, reason: result.reason, ...(result.meter ? { meter: result.meter } : {}),
        // the script writes "Freigeschaltet über <name>" above the text; the id stays on the server
        ...(result.institution ? { institution: { name: result.institution.name } } : {}),
      });
    }
    const next = `/artikel/${result.articleSlug}`;
    return c.json({
      granted: false, need: result.need, signedIn: result.signedIn, message: denialMessage(result),
      ...(result.meter ? { meter: result.meter } : {}), ...(result.gift ? { gift: result.gift } : {}),
      // The script offers a form posting here (with the session's CSRF token) to send the confirmation mail again.
      ...(result.need === 'verification' ? { resend: RESEND_VERIFICATION_PATH } : {}),
      offer: offerJson(await boxOffer(), result.articleSlug), login: loginHref(next), register: registerHref(next),
    }, 403);
  });

  // Readers without JavaScript: the same article with the text in plain HTML, for entitled readers only, never cached.
  // Not entitled: 403 with the free lead and the offer box, so the answer says what it is and nothing is indexed.
  app.get('/artikel/:slug/klartext', async (c) => {
    markPrivate(c, { noindex: true });
    const article = await articleOr404(deps.site, c.req.param('slug'));
    if (article.access === 'free') return c.redirect(`/artikel/${article.slug}`, 303);
    const user = readerUser(c);
    const now = deps.now();
    const entitlement = await resolveEntitlement(db, {
      article, user, giftToken: giftTokenOf(c, article, deps.config), verifiedCrawler: await isVerifiedCrawler(c, p), meter: p.meter, now,
      clientIp: clientIp(c, deps.config), institutions: deps.institutions,
    });
    const { gift } = entitlement;
    let { decision } = entitlement;
    // Reading is the first use that takes a seat, here as at the unlock endpoint (the reader is signed in: no prefetch gets here).
    if (decision.granted && decision.reason === 'institution' && decision.claimSeat && user) {
      const claim = await claimInstitutionSeat(db, { institutionId: decision.institution.id, user, now });
      if (claim !== 'member') decision = { granted: false, need: 'subscription', signedIn: true, ...(claim === 'full' ? { institutionFull: decision.institution } : {}) };
    } else if (decision.granted && decision.reason === 'institution' && entitlement.institution?.staleUse && user) {
      await noteSeatUse(db, decision.institution.id, user.id, now);
    }
    const here = `/artikel/${article.slug}/klartext`;
    if (!decision.granted) {
      const resendCsrf = decision.need === 'verification' ? csrfToken(c) : undefined;
      // without script there is no variant to choose: the running experiment's control, as on the cached page
      const control = article.access === 'plus' ? (await boxExperiment())?.variants[0] : undefined;
      const box = <div class="premium"><PaywallBox article={article} offer={await boxOffer()} next={here} message={denialMessage({ ...decision, gift })} signedIn={decision.signedIn} resendCsrf={resendCsrf} copy={control} /></div>;
      return renderArticlePage(c, deps.site, article, box, { noindex: true, status: 403 });
    }
    if (decision.reason === 'meter' && decision.recordUnlock) {
      const confirm = <MeterConfirm article={article} remaining={decision.meter.remaining + 1} limit={decision.meter.limit} csrf={csrfToken(c)} />;
      return renderArticlePage(c, deps.site, article, confirm, { noindex: true });
    }
    if (decision.reason === 'gift') deps.analytics.record({ kind: 'gift_open', articleId: article.id });
    const note = decision.reason === 'meter' ? meterNote(decision.meter.remaining) : decision.reason === 'gift' ? 'Ein Geschenk: Dieser Artikel wurde Ihnen freigeschaltet.' : undefined;
    const giftable = decision.reason === 'subscriber' || decision.reason === 'staff';
    const institution = decision.reason === 'institution' ? decision.institution : undefined;
    if (institution) deps.analytics.record({ kind: 'institution_unlock', articleId: article.id, institutionId: institution.id, detail: entitlement.institution?.via === 'network' ? 'network' : 'domain' });
    return renderArticlePage(c, deps.site, article,
      <PlainPremium article={article} html={blocksHtml(premiumBlocks(article))} note={note} giftable={giftable} institution={institution?.name} />, { noindex: true });
  });

  app.post('/artikel/:slug/klartext', async (c) => {
    markPrivate(c, { noindex: true });
    await verifyCsrf(c);
    const article = await articleOr404(deps.site, c.req.param('slug'));
    const user = readerUser(c);
    if (!user) return c.redirect(loginHref(`/artikel/${article.slug}/klartext`), 303);
    if (article.access === 'plus') {
      const recorded = await recordMeterUnlock(db, { user, article, meter: p.meter, now: deps.now() });
      if (recorded.granted && recorded.reason === 'meter' && recorded.recordUnlock) deps.analytics.record({ kind: 'meter_unlock', articleId: article.id });
    }
    // Whatever the outcome, the reading page says it: the text when counted, the offer when the meter ran out meanwhile,
    // the request to confirm the address when it is not confirmed (recordMeterUnlock decides that again, under the lock).
    return c.redirect(`/artikel/${article.slug}/klartext`, 303);
  });

  // Public and cached: `next` (the article the reader came from) is read, so a request carrying it is not stored here.
  publicRoutes.get('/abo', async (c) => {
    variesBy(c, 'next');
    surrogateKeys(c, 'offers');
    const raw = c.req.query('next');
    const next = raw && /^\/artikel\/[a-z0-9][a-z0-9-]*$/.test(safeNextPath(raw)) ? safeNextPath(raw) : '';
    const offers = await listOffers(db, { activeOnly: true });
    return renderPage(c, deps.site, { title: 'Plus-Abo: alle Artikel im Klartext', description: 'Das Digital-Abo der Zeitung: alle Plus-Artikel im Klartext lesen.', canonical: `${deps.site.publicUrl}/abo` },
      <OffersPage offers={offers} next={next} meterPerMonth={deps.config.meterPerMonth} />);
  });

  app.route('/', giftRoutes(p));
  return { premiumSlot, crawlerGate, publicRoutes, privateRoutes: app, unlockSession: p.unlockSession, claimsCrawler: (ua) => p.verifier.claimedCrawler(ua) !== null, previewSlot: createPreviewSlot(p, boxOffer) };
}

export const meterNote = (remaining: number): string =>
  remaining > 0 ? `Noch ${remaining} Plus-Artikel frei in diesem Monat` : 'Das war Ihr letzter freier Plus-Artikel in diesem Monat';
