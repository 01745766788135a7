// The only reader of process.env: one schema, parsed once at start, frozen.
import { z } from 'zod';
import path from 'node:path';
import { BlockList, isIP } from 'node:net';

const intFrom = (min: number, max: number) =>
  z.string().regex(/^\d+$/, `a whole number from ${min} to ${max}`).transform(Number)
    .refine((n) => n >= min && n <= max, `a whole number from ${min} to ${max}`);

/**
 * Who may tell us the client's address (X-Forwarded-For) and scheme (X-Forwarded-Proto): nobody; the nearest
 * `hops` reverse proxies, each appending the address it saw; or the proxies whose socket address is in `proxies`.
 */
export type TrustProxy =
  | { readonly kind: 'none' }
  | { readonly kind: 'hops'; readonly hops: number }
  | { readonly kind: 'list'; readonly proxies: BlockList };

export const NO_PROXY: TrustProxy = Object.freeze({ kind: 'none' });
const MAX_HOPS = 10;
const TRUST_PROXY_FORMS = `0, a number of proxies from 1 to ${MAX_HOPS}, or a comma-separated list of proxy addresses and CIDR ranges such as 127.0.0.1/32,10.0.0.0/8,::1`;

/** KLARTEXT_TRUST_PROXY in one of its three forms; a string says what is wrong. The ranges are parsed here, once. */
export function parseTrustProxy(raw: string): TrustProxy | string {
  const value = raw.trim();
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops === 0) return NO_PROXY;
    return hops <= MAX_HOPS ? Object.freeze({ kind: 'hops', hops }) : TRUST_PROXY_FORMS;
  }
  const proxies = new BlockList();
  for (const entry of value.split(',').map((e) => e.trim())) {
    const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(entry);
    const family = m ? isIP(m[1]!) : 0;
    const prefix = m?.[2] === undefined ? undefined : Number(m[2]);
    if (!m || !family || m[1]!.includes('%') || (prefix !== undefined && prefix > (family === 4 ? 32 : 128))) {
      return entry === value ? TRUST_PROXY_FORMS : `${TRUST_PROXY_FORMS} (${JSON.stringify(entry)} is none of these)`;
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) proxies.addAddress(m[1]!, type); else proxies.addSubnet(m[1]!, prefix, type);
  }
  return Object.freeze({ kind: 'list', proxies });
}
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const HOSTNAME = `(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9a-f:.]+\\])`;
const HOST_LIST = new RegExp(`^\\s*${HOSTNAME}(?:\\s*,\\s*${HOSTNAME})*\\s*$`, 'i');

/** An origin only: links are `${publicUrl}/path`, and the Host check compares hostnames, so a path or query has no place here. */
const origin = z.string().refine((v) => {
  try {
    const u = new URL(v);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.pathname === '/' && !u.search && !u.hash && !u.username && !u.password;
  } catch { return false; }
}, 'an origin such as https://zeitung.example (http or https, no path)');

const schema = z.object({
  PORT: intFrom(0, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  KLARTEXT_WORKERS: intFrom(1, 64).default(1),
  KLARTEXT_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().regex(/^(postgres|postgresql|sqlite):/, 'postgres://… or sqlite:FILE').optional(),
  KLARTEXT_PUBLIC_URL: origin.optional(),
  KLARTEXT_ALLOWED_HOSTS: z.string().regex(HOST_LIST, 'comma-separated hostnames without scheme or port, e.g. www.zeitung.example').optional(),
  KLARTEXT_MASTER_KEY: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, '32 bytes in base64 (44 characters, e.g. from `openssl rand -base64 32`)').optional(),
  KLARTEXT_MASTER_KEY_PREVIOUS: z.string().regex(/^\s*[A-Za-z0-9+/]{43}=(\s*,\s*[A-Za-z0-9+/]{43}=)*\s*$/, 'comma-separated master keys, each 32 bytes in base64 (44 characters)').optional(),
  KLARTEXT_DB_WAIT_SECONDS: intFrom(0, 3600).default(60),
  KLARTEXT_METER_PER_MONTH: intFrom(0, 100).default(3),
  KLARTEXT_PAGE_CACHE_SECONDS: intFrom(0, 86400).default(60),
  KLARTEXT_PURGE_URL: z.string().refine((v) => {
    try { return ['http:', 'https:'].includes(new URL(v).protocol); } catch { return false; }
  }, 'an http(s) URL a PURGE request goes to, e.g. http://127.0.0.1:6081/').optional(),
  KLARTEXT_METRICS_TOKEN: z.string().regex(/^[\x21-\x7e]{24,200}$/, 'at least 24 printable characters without spaces, e.g. from `openssl rand -hex 24`').optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'smtp://user:pass@host:port or smtps://…').optional(),
  MAIL_FROM: z.string().min(3).default('Klartext <redaktion@localhost>'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KLARTEXT_HASH_CONCURRENCY: intFrom(1, 64).default(2),
  KLARTEXT_HASH_QUEUE: intFrom(0, 10000).default(16),
  KLARTEXT_HASH_PER_SECOND: intFrom(1, 10000).default(4),
  KLARTEXT_TRUST_PROXY: z.string().default('0').transform((v, ctx): TrustProxy => {
    const trust = parseTrustProxy(v);
    if (typeof trust === 'string') ctx.addIssue({ code: 'custom', message: trust });
    return typeof trust === 'string' ? NO_PROXY : trust;
  }),
  KLARTEXT_SELLER_NAME: z.string().min(2).default('Brackenauer Verlagshaus GmbH'),
  KLARTEXT_SELLER_ADDRESS: z.string().min(5).default('Marktplatz 1\\n12345 Brackenau'),
  KLARTEXT_SELLER_EMAIL: z.string().email('an email address such as abo@zeitung.example').default('abo@localhost.invalid'),
  KLARTEXT_SELLER_VAT_ID: z.string().regex(/^[A-Z]{2}[A-Z0-9]{2,13}$/, 'a VAT id such as DE123456789').default('DE999999999'),
  KLARTEXT_SEPA_CREDITOR_ID: z.string().regex(/^[A-Z]{2}\d{2}[A-Z0-9]{3}[A-Z0-9]{1,28}$/, 'a SEPA creditor identifier such as DE98ZZZ09999999999').default('DE98ZZZ09999999999'),
  KLARTEXT_SEPA_IBAN: z.string().regex(/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/, "the publisher's IBAN without spaces").default('DE02120300000000202051'),
  KLARTEXT_SEPA_BIC: z.string().regex(/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/, 'a BIC such as BYLADEM1001').optional(),
  KLARTEXT_BILLING_GRACE_DAYS: intFrom(0, 30).default(3),
  KLARTEXT_ANALYTICS_RETENTION_DAYS: intFrom(1, 3650).default(90),
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/, 'a Stripe secret key (sk_live_… or sk_test_…)').optional(),
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_[A-Za-z0-9+/=]+$/, 'a Stripe webhook signing secret (whsec_…)').optional(),
  NODE_ENV: z.string().default('development'),
});

/** Every environment variable Klartext reads; the README's configuration table lists exactly these (src/config.test.ts). */
export const CONFIG_VARIABLES: readonly string[] = Object.freeze(Object.keys(schema.shape));

export interface Config {
  port: number;
  host: string;
  /** KLARTEXT_WORKERS: server processes `klartext serve` starts (1: this process serves, no cluster); `--workers` overrides it */
  workers: number;
  dataDir: string;
  databaseUrl: string | undefined;
  /** KLARTEXT_PUBLIC_URL as an origin; required in production. Servers use ServingConfig, where it is always set. */
  publicUrl: string | undefined;
  /** KLARTEXT_ALLOWED_HOSTS: further hostnames requests may name (aliases such as www.) */
  allowedHosts: readonly string[];
  masterKey: string | undefined;
  /** KLARTEXT_MASTER_KEY_PREVIOUS: older master keys, accepted for unwrapping during a rotation (decision 025) */
  masterKeyPrevious: readonly string[];
  /** KLARTEXT_DB_WAIT_SECONDS: how long `klartext healthcheck --database --wait` (the container entrypoint) waits for the database */
  dbWaitSeconds: number;
  meterPerMonth: number;
  pageCacheSeconds: number;
  /** KLARTEXT_PURGE_URL: a CDN or Varnish told the surrogate keys of each content change (docs/decisions/018) */
  purgeUrl: string | undefined;
  /** KLARTEXT_METRICS_TOKEN: the bearer token /metrics asks for; without it /metrics is off (404) */
  metricsToken: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: string;
  trustProxy: TrustProxy;
  /** argon2 at once, callers that may wait, hashes per second: see HashGate */
  hashGate: { concurrency: number; queue: number; perSecond: number };
  /** the publisher as seller on invoices and as SEPA creditor */
  seller: { name: string; address: string; email: string; vatId: string };
  creditor: { creditorId: string; iban: string; bic: string | null };
  billingGraceDays: number;
  /** KLARTEXT_ANALYTICS_RETENTION_DAYS: raw insight events are kept this many days (once their day is rolled up); rollups forever */
  analyticsRetentionDays: number;
  /** both keys, or null: Stripe is offered only when configured */
  stripe: { secretKey: string; webhookSecret: string } | null;
  production: boolean;
}

export class ConfigError extends Error {}

/** Parses an environment; throws ConfigError with one line naming the variable and what is allowed. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(present);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const allowed = issue.message.startsWith('Invalid option') ? issue.message.replace(/^Invalid option: expected one of /, 'one of ') : issue.message;
    throw new ConfigError(`Invalid ${name}=${JSON.stringify(env[name] ?? '')}: expected ${allowed}`);
  }
  const e = result.data;
  const production = e.NODE_ENV === 'production';
  // Without it, mail links would have to come from somewhere else, and the only other source is the request (issue 7).
  if (Boolean(e.STRIPE_SECRET_KEY) !== Boolean(e.STRIPE_WEBHOOK_SECRET)) throw new ConfigError('Stripe needs both STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET (or neither, then only SEPA direct debit is offered)');
  if (production && !e.KLARTEXT_PUBLIC_URL) throw new ConfigError('Missing KLARTEXT_PUBLIC_URL: required when NODE_ENV=production, the origin readers use, e.g. https://zeitung.example');
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    workers: e.KLARTEXT_WORKERS,
    dataDir: path.resolve(e.KLARTEXT_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    publicUrl: e.KLARTEXT_PUBLIC_URL === undefined ? undefined : new URL(e.KLARTEXT_PUBLIC_URL).origin,
    allowedHosts: Object.freeze((e.KLARTEXT_ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean)),
    masterKey: e.KLARTEXT_MASTER_KEY,
    masterKeyPrevious: Object.freeze((e.KLARTEXT_MASTER_KEY_PREVIOUS ?? '').split(',').map((k) => k.trim()).filter(Boolean)),
    dbWaitSeconds: e.KLARTEXT_DB_WAIT_SECONDS,
    meterPerMonth: e.KLARTEXT_METER_PER_MONTH,
    pageCacheSeconds: e.KLARTEXT_PAGE_CACHE_SECONDS,
    purgeUrl: e.KLARTEXT_PURGE_URL,
    metricsToken: e.KLARTEXT_METRICS_TOKEN,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.KLARTEXT_TRUST_PROXY,
    hashGate: Object.freeze({ concurrency: e.KLARTEXT_HASH_CONCURRENCY, queue: e.KLARTEXT_HASH_QUEUE, perSecond: e.KLARTEXT_HASH_PER_SECOND }),
    seller: Object.freeze({ name: e.KLARTEXT_SELLER_NAME, address: e.KLARTEXT_SELLER_ADDRESS.replace(/\\n/g, '\n'), email: e.KLARTEXT_SELLER_EMAIL, vatId: e.KLARTEXT_SELLER_VAT_ID }),
    creditor: Object.freeze({ creditorId: e.KLARTEXT_SEPA_CREDITOR_ID, iban: e.KLARTEXT_SEPA_IBAN, bic: e.KLARTEXT_SEPA_BIC ?? null }),
    billingGraceDays: e.KLARTEXT_BILLING_GRACE_DAYS,
    analyticsRetentionDays: e.KLARTEXT_ANALYTICS_RETENTION_DAYS,
    stripe: e.STRIPE_SECRET_KEY && e.STRIPE_WEBHOOK_SECRET ? Object.freeze({ secretKey: e.STRIPE_SECRET_KEY, webhookSecret: e.STRIPE_WEBHOOK_SECRET }) : null,
    production,
  });
}

/** The configuration of a running site: its public origin is definite, whether configured or pinned at start. */
export interface ServingConfig extends Omit<Config, 'publicUrl'> {
  /** the origin of every absolute URL the site emits (mails, canonical, feeds); never taken from a request */
  publicUrl: string;
  /** hostnames a request may name in Host or Origin: the public one, KLARTEXT_ALLOWED_HOSTS, and loopback names when pinned */
  acceptedHosts: readonly string[];
}

/** Loopback names a local browser may use while the origin is pinned to localhost. */
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Settles the public origin once the port is known: KLARTEXT_PUBLIC_URL when set, otherwise (never in production,
 * loadConfig refuses that) `http://localhost:<port>` — the port actually listened on, or none for in-process tests.
 */
export function servingConfig(config: Readonly<Config>, port?: number): Readonly<ServingConfig> {
  const pinned = config.publicUrl === undefined;
  const publicUrl = config.publicUrl ?? `http://localhost${port === undefined || port === 80 ? '' : `:${port}`}`;
  const own = new URL(publicUrl).hostname;
  const acceptedHosts = [...new Set([own, ...(pinned ? LOOPBACK_HOSTS : []), ...config.allowedHosts])];
  return Object.freeze({ ...config, publicUrl, acceptedHosts: Object.freeze(acceptedHosts) });
}
