// For tests: a Klartext app on a fresh test store (SQLite, or PostgreSQL when DATABASE_URL_TEST is set), silent and quick to hash.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import type { Hono } from 'hono';
import { createApp, type AppDeps, type KlartextApp } from '../web/app.tsx';
import { loadConfig, servingConfig, type ServingConfig } from '../config.ts';
import { openTestStore, type TestStore } from '../db/test-stores.ts';
import { TEST_HASHING } from '../accounts/index.ts';
import type { AppEnv } from '../web/platform/request-context.middleware.ts';

export interface TestAppOverrides extends Partial<Omit<AppDeps, 'config' | 'store'>> {
  /** extra environment for loadConfig, e.g. { KLARTEXT_TRUST_PROXY: '1' } */
  env?: Record<string, string>;
  /** where the app logs; default: silent (KLARTEXT_TEST_LOG=info shows it) */
  logger?: Logger;
}

export interface TestApp {
  app: Hono<AppEnv>;
  store: TestStore;
  config: Readonly<ServingConfig>;
  klartext: KlartextApp;
  close(): Promise<void>;
}

export async function createTestApp(engine: string, overrides: TestAppOverrides = {}): Promise<TestApp> {
  const { env, ...deps } = overrides;
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-test-'));
  const store = await openTestStore(engine);
  // no port: the public origin is http://localhost, the origin app.request() uses, unless env sets KLARTEXT_PUBLIC_URL
  const config = servingConfig(loadConfig({ KLARTEXT_DATA_DIR: dataDir, ...env }));
  const klartext = createApp({ config, store, logger: overrides.logger ?? pino({ level: process.env.KLARTEXT_TEST_LOG ?? 'silent' }), clientJs: '', passwordHashing: TEST_HASHING, ...deps });
  // the content-change feed has read where the changes stand (it empties the cache once when it has), and listens
  await klartext.ready;
  return {
    app: klartext.app, store, config, klartext,
    close: async () => {
      await klartext.close();
      await store.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
