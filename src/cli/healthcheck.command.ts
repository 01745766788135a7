// `klartext healthcheck`: exit 0 when the local server is ready (or live, or the database answers), 1 otherwise — for Docker's HEALTHCHECK and the entrypoint.
import { connect } from '../db/index.ts';
import { sql } from 'kysely';
import { parseOptions } from './cli-options.ts';
import type { CommandContext } from './main.ts';

export const HEALTHCHECK_USAGE = `  healthcheck [--live] [--url URL]
                                 0, wenn der Server bereit ist (/readyz; --live: /livez), sonst 1; URL vorgegeben
                                 http://127.0.0.1:PORT
  healthcheck --database         0, wenn die Datenbank antwortet (für das Warten vor der Migration), sonst 1`;

const TIMEOUT_MS = 3000;

export async function runHealthcheckCommand(ctx: CommandContext): Promise<number> {
  const parsed = parseOptions(ctx.args, { live: { type: 'boolean' }, url: { type: 'string' }, database: { type: 'boolean' } });
  if (!parsed.ok) { ctx.io.err(`klartext healthcheck: ${parsed.problem}`); return 2; }
  const { live, url, database } = parsed.values as { live?: boolean; url?: string; database?: boolean };
  if (database && (live || url !== undefined)) { ctx.io.err('klartext healthcheck: --database nicht zusammen mit --live oder --url'); return 2; }
  if (database) {
    const store = connect({ databaseUrl: ctx.config.databaseUrl, dataDir: ctx.config.dataDir, poolSize: 1 });
    try {
      await sql`select 1`.execute(store.db);
      ctx.io.out(`Datenbank antwortet (${store.caps.name}).`);
      return 0;
    } catch (error) {
      ctx.io.err(`klartext healthcheck: Datenbank antwortet nicht: ${(error as Error).message}`);
      return 1;
    } finally {
      await store.close().catch(() => {});
    }
  }
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
