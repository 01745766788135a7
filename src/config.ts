// The only reader of process.env: one schema, parsed once at start, frozen.
import { z } from 'zod';
import path from 'node:path';

const intFrom = (min: number, max: number) =>
  z.string().regex(/^\d+$/, `a whole number from ${min} to ${max}`).transform(Number)
    .refine((n) => n >= min && n <= max, `a whole number from ${min} to ${max}`);

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
  KLARTEXT_HASH_CONCURRENCY: intFrom(1, 64).default(2),
  KLARTEXT_HASH_QUEUE: intFrom(0, 10000).default(16),
  KLARTEXT_HASH_PER_SECOND: intFrom(1, 10000).default(4),
  KLARTEXT_TRUST_PROXY: z.enum(['0', '1']).default('0').transform((v) => v === '1'),
  NODE_ENV: z.string().default('development'),
});

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
  trustProxy: boolean;
  /** argon2 at once, callers that may wait, hashes per second: see HashGate */
  hashGate: { concurrency: number; queue: number; perSecond: number };
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
    hashGate: Object.freeze({ concurrency: e.KLARTEXT_HASH_CONCURRENCY, queue: e.KLARTEXT_HASH_QUEUE, perSecond: e.KLARTEXT_HASH_PER_SECOND }),
    production: e.NODE_ENV === 'production',
  });
}
