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

const schema = z.object({
  PORT: intFrom(0, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  KLARTEXT_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().regex(/^(postgres|postgresql|sqlite):/, 'postgres://… or sqlite:FILE').optional(),
  KLARTEXT_PUBLIC_URL: z.url({ message: 'an absolute URL such as https://zeitung.example' }).optional(),
  KLARTEXT_MASTER_KEY: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, '32 bytes in base64 (44 characters, e.g. from `openssl rand -base64 32`)').optional(),
  KLARTEXT_METER_PER_MONTH: intFrom(0, 100).default(3),
  KLARTEXT_PAGE_CACHE_SECONDS: intFrom(0, 86400).default(60),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'smtp://user:pass@host:port or smtps://…').optional(),
  MAIL_FROM: z.string().min(3).default('Klartext <redaktion@localhost>'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KLARTEXT_TRUST_PROXY: z.string().default('0').transform((v, ctx): TrustProxy => {
    const trust = parseTrustProxy(v);
    if (typeof trust === 'string') ctx.addIssue({ code: 'custom', message: trust });
    return typeof trust === 'string' ? NO_PROXY : trust;
  }),
  NODE_ENV: z.string().default('development'),
});

/** Every environment variable Klartext reads; the README's configuration table lists exactly these (src/config.test.ts). */
export const CONFIG_VARIABLES: readonly string[] = Object.freeze(Object.keys(schema.shape));

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  publicUrl: string | undefined;
  masterKey: string | undefined;
  meterPerMonth: number;
  pageCacheSeconds: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: string;
  trustProxy: TrustProxy;
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
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.KLARTEXT_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    publicUrl: e.KLARTEXT_PUBLIC_URL?.replace(/\/$/, ''),
    masterKey: e.KLARTEXT_MASTER_KEY,
    meterPerMonth: e.KLARTEXT_METER_PER_MONTH,
    pageCacheSeconds: e.KLARTEXT_PAGE_CACHE_SECONDS,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.KLARTEXT_TRUST_PROXY,
    production: e.NODE_ENV === 'production',
  });
}
