// For paywall browser tests, the screenshots and the visibility bench: a real server on the demo newspaper, accounts made through the CLI, login in a page.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/main.ts';
import { runCli, type CliIo } from '../../src/cli/main.ts';

export const READER_PASSWORD = 'Regenbogen-Fahrrad-7';
export const PLUS_SLUG = 'digitalbuero-im-rathaus';

export interface PaywallServer {
  origin: string;
  dataDir: string;
  /** `klartext user create … --password-stdin`, and `subscription grant` when asked */
  makeReader(email: string, o?: { subscriber?: boolean }): Promise<void>;
  cli(args: string[], stdin?: string): Promise<{ code: number; out: string; err: string }>;
  close(): Promise<void>;
}

export async function startPaywallServer(env: Record<string, string> = {}): Promise<PaywallServer> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-e2e-paywall-'));
  const cliEnv = { KLARTEXT_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env };
  const server = await startServer(loadConfig({ ...cliEnv, PORT: '0', HOST: '127.0.0.1' }));
  async function cli(args: string[], stdin = '') {
    const out: string[] = []; const err: string[] = [];
    const io: CliIo = { out: (s) => out.push(s), err: (s) => err.push(s), stdin: async () => stdin };
    const code = await runCli(args, io, cliEnv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }
  return {
    origin: `http://127.0.0.1:${server.port}`,
    dataDir,
    cli,
    async makeReader(email, o = {}) {
      const made = await cli(['user', 'create', '--email', email, '--role', 'reader', '--password-stdin'], `${READER_PASSWORD}\n`);
      if (made.code !== 0) throw new Error(`user create ${email}: ${made.err}`);
      if (o.subscriber) {
        const granted = await cli(['subscription', 'grant', '--email', email, '--days', '30']);
        if (granted.code !== 0) throw new Error(`subscription grant ${email}: ${granted.err}`);
      }
    },
    async close() {
      await server.close();
      // an image variant the browser stopped waiting for may still be written as the server closes: retry, as rm -rf would
      await fs.rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
}

/** Logs in through the login form and waits for the redirect to land. */
export async function logInPage(page: Page, origin: string, email: string): Promise<void> {
  await page.goto(`${origin}/anmelden`);
  await page.fill('#f-email', email);
  await page.fill('#f-password', READER_PASSWORD);
  await Promise.all([page.waitForURL((u) => u.pathname !== '/anmelden'), page.locator('form[action="/anmelden"] button[type="submit"]').first().click()]);
}
