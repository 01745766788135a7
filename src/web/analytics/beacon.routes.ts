// POST /api/beacon: the page script's view, paywall and offer-click events — checked, deduplicated, rate-limited, counted; always 204, nothing about the sender kept.
import { Hono } from 'hono';
import { BEACON_KINDS, type AnalyticsEvent, type BeaconKind, type EventFacts, type EventRecorder } from '../../analytics/index.ts';
import { countBeacon } from '../../metrics/index.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { clientIp, isOwnOrigin, type ProxyTrust } from '../platform/request-info.ts';
import { readSmallBody } from '../platform/small-body.ts';
import { BeaconRateLimit, ReplayMemory, type RateLimitOptions } from './beacon-guard.ts';

export const BEACON_PATH = '/api/beacon';
/** A beacon of ten events with long ids is under 1 KB; 4 KB leaves room and nothing for abuse. */
export const BEACON_MAX_BYTES = 4096;
export const BEACON_MAX_EVENTS = 10;
/** The meter state of a paywall impression (decision 028). */
export const PAYWALL_STATES = ['guest', 'meter-left', 'meter-used', 'no-meter', 'verify'] as const;

/** Why a beacon was dropped, or that it was stored: the label of klartext_beacons_total. */
export type BeaconOutcome = 'stored' | 'privacy' | 'cross-site' | 'rate-limit' | 'oversized' | 'junk' | 'unknown' | 'replay';

export interface BeaconOptions {
  rateLimit?: RateLimitOptions;
  /** how long a (page view, kind, article) counts as seen */
  replayWindowMs?: number;
  /** page-view events remembered per generation (two generations at most) */
  replayMaxEntries?: number;
}

export const DEFAULT_BEACON_OPTIONS = {
  rateLimit: { burst: 120, perSecond: 30 },
  replayWindowMs: 30 * 60_000,
  replayMaxEntries: 100_000,
} as const satisfies BeaconOptions;

export interface BeaconDeps extends ProxyTrust {
  recorder: EventRecorder;
  facts: EventFacts;
  now: () => Date;
  options?: BeaconOptions;
}

const PAGE_VIEW_ID = /^[A-Za-z0-9_-]{16,32}$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const SLUG = /^[a-z0-9][a-z0-9-]{0,79}$/;
const EVENT_KEYS = new Set(['k', 'a', 'o', 'v', 'd']);

interface BeaconEvent { k: BeaconKind; a: string; o?: string; v?: string; d?: string }

/** The body as our script sends it, or null: anything else (other keys, other types, too many events) is junk. */
export function parseBeacon(text: string): { pv: string; events: BeaconEvent[] } | null {
  let raw: unknown;
  try { raw = JSON.parse(text); } catch { return null; }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const { pv, events, ...rest } = raw as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || typeof pv !== 'string' || !PAGE_VIEW_ID.test(pv)) return null;
  if (!Array.isArray(events) || events.length === 0 || events.length > BEACON_MAX_EVENTS) return null;
  const out: BeaconEvent[] = [];
  for (const e of events as unknown[]) {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) return null;
    const r = e as Record<string, unknown>;
    if (Object.keys(r).some((key) => !EVENT_KEYS.has(key))) return null;
    if (typeof r.k !== 'string' || !(BEACON_KINDS as readonly string[]).includes(r.k)) return null;
    if (typeof r.a !== 'string' || !ID.test(r.a)) return null;
    if (r.o !== undefined && (typeof r.o !== 'string' || !SLUG.test(r.o))) return null;
    if (r.v !== undefined && r.v !== null && (typeof r.v !== 'string' || !ID.test(r.v))) return null;
    if (r.d !== undefined && (typeof r.d !== 'string' || r.d.length > 20)) return null;
    out.push({ k: r.k as BeaconKind, a: r.a, ...(typeof r.o === 'string' ? { o: r.o } : {}), ...(typeof r.v === 'string' ? { v: r.v } : {}), ...(typeof r.d === 'string' ? { d: r.d } : {}) });
  }
  return { pv, events: out };
}

/**
 * The event a beacon event becomes, with what the server knows instead of what the page says where it can (a view's
 * detail is the article's access level), or null when it names something that does not exist for readers: an
 * article that is not live, a paywall on a free article, a meter state we never send, an unknown offer or variant.
 */
async function eventOf(e: BeaconEvent, facts: EventFacts): Promise<AnalyticsEvent | null> {
  const access = await facts.articleAccess(e.a);
  if (access === null) return null;
  if (e.v !== undefined && !(await facts.variantExists(e.v))) return null;
  const variantId = e.v ?? null;
  if (e.k === 'view') return { kind: 'view', articleId: e.a, detail: access };
  // the offer box (and so a paywall impression or an offer click) exists on Plus articles only
  if (access !== 'plus') return null;
  if (e.k === 'paywall') {
    if (!(PAYWALL_STATES as readonly string[]).includes(e.d ?? '')) return null;
    return { kind: 'paywall', articleId: e.a, variantId, detail: e.d! };
  }
  const offerId = e.o === undefined ? null : await facts.offerIdOfSlug(e.o);
  if (offerId === null) return null;
  return { kind: 'offer_click', articleId: e.a, offerId, variantId };
}

/** What the intake needs of a request, whether it came through Hono or straight from Node's `http` (beacon-listener.ts). */
export interface BeaconRequest {
  header(name: string): string | undefined;
  /** the socket object (direct) or, behind trusted proxies, the client address: whose bucket the beacon takes from */
  connection: object | string;
  /** the body as text, rejecting past `maxBytes` */
  body(maxBytes: number): Promise<string>;
}

export interface BeaconIntake {
  /** Decides and records; returns what happened. Reads no cookie and no session, and keeps nothing of the request. */
  accept(req: BeaconRequest): Promise<BeaconOutcome>;
}

export function createBeaconIntake(deps: BeaconDeps): BeaconIntake {
  const o = { ...DEFAULT_BEACON_OPTIONS, ...deps.options };
  const limit = new BeaconRateLimit(o.rateLimit);
  const seen = new ReplayMemory({ windowMs: o.replayWindowMs, maxEntries: o.replayMaxEntries });
  // page-view ids are forgotten on time even when no beacon comes to rotate them out
  setInterval(() => seen.expire(deps.now().getTime()), Math.max(1000, o.replayWindowMs / 6)).unref();
  const own = { publicUrl: deps.publicUrl, acceptedHosts: deps.acceptedHosts };

  async function decide(req: BeaconRequest): Promise<BeaconOutcome> {
    if (req.header('sec-gpc') === '1' || req.header('dnt') === '1') return 'privacy';
    const site = req.header('sec-fetch-site');
    const origin = req.header('origin');
    if ((site !== undefined && site !== 'same-origin') || (origin !== undefined && !isOwnOrigin(origin, own))) return 'cross-site';
    const nowMs = deps.now().getTime();
    if (!limit.take(req.connection, nowMs)) return 'rate-limit';
    if (!/^(text\/plain|application\/json)\b/i.test(req.header('content-type') ?? '')) return 'junk';
    let text: string;
    try { text = await req.body(BEACON_MAX_BYTES); } catch { return 'oversized'; }
    const beacon = parseBeacon(text);
    if (!beacon) return 'junk';
    const events: AnalyticsEvent[] = [];
    for (const e of beacon.events) {
      const event = await eventOf(e, deps.facts);
      if (!event) return 'unknown';
      events.push(event);
    }
    // only now, with every event valid, are they remembered: junk cannot fill the replay memory
    const fresh = events.filter((e) => seen.firstTime(`${beacon.pv}\0${e.kind}\0${e.articleId}`, nowMs));
    if (fresh.length === 0) return 'replay';
    for (const e of fresh) deps.recorder.record(e);
    return 'stored';
  }

  return {
    async accept(req) {
      let outcome: BeaconOutcome;
      try {
        outcome = await decide(req);
      } catch {
        // a database hiccup while checking an id, a hang-up mid-body: the page never hears of it
        outcome = 'unknown';
      }
      countBeacon(outcome);
      return outcome;
    },
  };
}

/** The beacon on the private app (tests' app.request, and any request the Node-level listener leaves to the app): always 204. */
export function beaconRoutes(intake: BeaconIntake, deps: ProxyTrust): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post(BEACON_PATH, async (c) => {
    const socket = (c.env as { incoming?: { socket?: object } } | undefined)?.incoming?.socket;
    await intake.accept({
      header: (name) => c.req.header(name),
      connection: deps.trustProxy.kind !== 'none' ? clientIp(c, deps) : socket ?? 'no-socket',
      body: (max) => readSmallBody(c, max),
    });
    return c.body(null, 204);
  });
  return app;
}
