// For the ops tests: a Klartext app on an existing site (data dir + database), and the guest pages that must survive a backup byte for byte.
import pino from 'pino';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { loadConfig, servingConfig } from '../config.ts';
import { connect } from '../db/index.ts';
import { TEST_HASHING } from '../accounts/index.ts';
import { createApp } from '../web/app.tsx';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../cli/main.ts';
import { captureIo } from './cli-io.ts';

export interface Site { env: Record<string, string>; dataDir: string; drop: () => Promise<void> }

/** An empty site: a data dir, and on PostgreSQL a database of its own; KLARTEXT_MASTER_KEY set to `masterKey`. */
export async function newSite(engine: string, label: string, masterKey: string): Promise<Site> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), `klartext-${label}-`));
  const env: Record<string, string> = { KLARTEXT_DATA_DIR: dataDir, KLARTEXT_MASTER_KEY: masterKey, LOG_LEVEL: 'silent' };
  let dropDb = async () => {};
  if (engine === 'postgres') {
    const db = await scratchDatabase(label);
    env.DATABASE_URL = db.url;
    dropDb = db.drop;
  }
  return { env, dataDir, drop: async () => { await dropDb(); await fs.rm(dataDir, { recursive: true, force: true }); } };
}

/** The klartext command in-process, as an operator runs it. */
export async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string[] }> {
  const io = captureIo();
  const code = await runCli(args, io, env);
  return { code, out: io.stdout.join('\n'), err: io.stderr };
}

export interface SitePage { path: string; status: number; type: string; body: Buffer }

/** Front, a section, a free and a Plus article, and the first image the Plus article shows, as a guest. */
export async function guestPages(env: Record<string, string>): Promise<SitePage[]> {
  const config = servingConfig(loadConfig({ LOG_LEVEL: 'silent', ...env }));
  const store = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  const k = createApp({ config, store, logger: pino({ level: 'silent' }), clientJs: '', passwordHashing: TEST_HASHING });
  try {
    await k.ready;
    const section = await store.db.selectFrom('sections').select('slug').orderBy('position').executeTakeFirstOrThrow();
    const free = await store.db.selectFrom('articles').select('slug').where('access', '=', 'free').orderBy('slug').executeTakeFirstOrThrow();
    const plus = await store.db.selectFrom('articles').select('slug').where('access', '=', 'plus').where('image_id', 'is not', null).orderBy('slug').executeTakeFirstOrThrow();
    const paths = ['/', `/${section.slug}`, `/artikel/${free.slug}`, `/artikel/${plus.slug}`];
    const pages: SitePage[] = [];
    for (const p of paths) {
      const res = await k.app.request(p);
      pages.push({ path: p, status: res.status, type: res.headers.get('content-type') ?? '', body: Buffer.from(await res.arrayBuffer()) });
    }
    const image = /\/bilder\/[^"' ,]+\.jpg/.exec(pages[3]!.body.toString('utf8'))?.[0];
    if (image) {
      const res = await k.app.request(image);
      pages.push({ path: image, status: res.status, type: res.headers.get('content-type') ?? '', body: Buffer.from(await res.arrayBuffer()) });
    }
    return pages;
  } finally {
    await k.close();
    await store.close();
  }
}

/** A PostgreSQL database of its own (the site's public schema, as in production), dropped by the returned function. */
export async function scratchDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(process.env.DATABASE_URL_TEST!);
  const name = `klartext_deploy_${label}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base.toString() });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
