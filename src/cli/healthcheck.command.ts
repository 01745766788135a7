// `klartext healthcheck`: exit 0 when the local server is ready (or live, or the database answers), 1 otherwise — for Docker's HEALTHCHECK and the entrypoint.
import { connect } from '../db/index.ts';
import { sql } from 'kysely';
import { parseOptions } from './cli-options.ts';
import type { CommandContext } from './main.ts';

export const HEALTHCHECK_USAGE = `  healthcheck [--live] [--url URL]
                                 0, wenn der Server bereit ist (/readyz; --live: /livez), sonst 1; URL vorgegeben
                                 http://127.0.0.1:PORT
  healthcheck --database [--wait]
                                 0, wenn die Datenbank antwortet, sonst 1; --wait: bis zu KLARTEXT_DB_WAIT_SECONDS
                                 darauf warten (der Start im Container)`;

const TIMEOUT_MS = 3000;
const RETRY_MS = 500;

/** `select 1`, tried again every half second until it answers or `waitMs` have passed; one line either way. */
async function databaseAnswers(ctx: CommandContext, waitMs: number): Promise<number> {
  const deadline = Date.now() + waitMs;
  let problem: string;
  for (let attempt = 1; ; attempt++) {
    const store = connect({ databaseUrl: ctx.config.databaseUrl, dataDir: ctx.config.dataDir, poolSize: 1 });
    try {
      await sql`select 1`.execute(store.db);
      ctx.io.out(`Datenbank antwortet (${store.caps.name}${attempt > 1 ? `, nach ${attempt} Versuchen` : ''}).`);
      return 0;
    } catch (error) {
      problem = (error as Error).message || (error as Error).name;
    } finally {
      await store.close().catch(() => {});
    }
    if (Date.now() + RETRY_MS > deadline) break;
    await new Promise((r) => setTimeout(r, RETRY_MS));
  }
  ctx.io.err(`klartext healthcheck: Datenbank antwortet nicht${waitMs ? ` (${waitMs / 1000} s gewartet, KLARTEXT_DB_WAIT_SECONDS)` : ''}: ${problem}`);
  return 1;
}

export async function runHealthcheckCommand(ctx: CommandContext): Promise<number> {
  const parsed = parseOptions(ctx.args, { live: { type: 'boolean' }, url: { type: 'string' }, database: { type: 'boolean' }, wait: { type: 'boolean' } });
  if (!parsed.ok) { ctx.io.err(`klartext healthcheck: ${parsed.problem}`); return 2; }
  const { live, url, database, wait } = parsed.values as { live?: boolean; url?: string; database?: boolean; wait?: boolean };
  if (database && (live || url !== undefined)) { ctx.io.err('klartext healthcheck: --database nicht zusammen mit --live oder --url'); return 2; }
  if (wait && !database) { ctx.io.err('klartext healthcheck: --wait nur mit --database'); return 2; }
  if (database) return databaseAnswers(ctx, wait ? ctx.config.dbWaitSeconds * 1000 : 0);
  let base: URL;
  try {
    base = new URL(url ?? `http://127.0.0.1:${ctx.config.port}`);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error('scheme');
  } catch {
    ctx.io.err(`klartext healthcheck: --url muss eine http(s)-Adresse sein, nicht „${url}“`);
    return 2;
  }
  const target = new URL(live ? '/livez' : '/readyz', base);
  try {
    const res = await fetch(target, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'manual' });
    const body = (await res.text()).trim().slice(0, 200);
    if (res.status === 200) { ctx.io.out(`${target.pathname}: ${res.status} ${body}`); return 0; }
    ctx.io.err(`klartext healthcheck: ${target.href} antwortet ${res.status} ${body}`);
    return 1;
  } catch (error) {
    ctx.io.err(`klartext healthcheck: ${target.href} nicht erreichbar (${(error as Error).name === 'TimeoutError' ? `keine Antwort in ${TIMEOUT_MS / 1000} s` : ((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message)})`);
    return 1;
  }
}
