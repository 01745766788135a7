// What load balancers, orchestrators and Prometheus ask a process: /livez (alive), /readyz (may take traffic), /metrics (behind a token).
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { pendingMigrations, type Store } from '../../db/index.ts';
import { METRICS_CONTENT_TYPE, metricsText } from '../../metrics/index.ts';
import type { AppEnv } from './request-context.middleware.ts';

/** Paths that answer on any Host (the host guard lets them through): probes and scrapers address a process by its IP. */
export const OPERATIONS_PATHS = ['/healthz', '/livez', '/readyz', '/metrics'] as const;

const NO_STORE = { 'cache-control': 'no-store' };

export interface OperationsOptions {
  store: Store;
  /** KLARTEXT_METRICS_TOKEN; without it /metrics is off (404) */
  metricsToken: string | undefined;
  log: { warn(obj: object, msg: string): void };
}

export interface Operations {
  routes: Hono<AppEnv>;
  /** From now on /readyz answers 503 "draining": the load balancer stops sending new requests while open ones finish. */
  startDraining(): void;
  readonly draining: boolean;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The bearer token of the request equals the configured one; compared in constant time (over digests, so lengths do not leak either). */
function bearerMatches(c: Context, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
  return m !== null && timingSafeEqual(digest(m[1]!), digest(token));
}

export function operationsRoutes(o: OperationsOptions): Operations {
  let draining = false;
  const app = new Hono<AppEnv>();

  // Liveness: the event loop answers. No database call: a database outage must not make an orchestrator restart every process.
  app.get('/livez', (c) => c.text('ok', 200, NO_STORE));

  // Readiness: this process can serve pages right now.
  app.get('/readyz', async (c) => {
    const database = o.store.caps.name;
    const unavailable = (reason: string, message: string, extra: object = {}) =>
      c.json({ status: 'unavailable', reason, database, message, ...extra }, 503, NO_STORE);
    if (draining) return unavailable('draining', 'Der Prozess wird beendet und nimmt keine neuen Anfragen mehr an.');
    let pending: string[];
    try {
      pending = await pendingMigrations(o.store);
    } catch {
      return unavailable('database', 'Die Datenbank ist nicht erreichbar.');
    }
    if (pending.length) return unavailable('migrations', 'Die Datenbank ist nicht auf dem Stand dieses Programms: Migrationen fehlen.', { pending });
    return c.json({ status: 'ready', database }, 200, NO_STORE);
  });

  app.get('/metrics', async (c) => {
    if (o.metricsToken === undefined) return c.json({ error: { code: 'not-found', message: 'Metriken sind nicht eingeschaltet (KLARTEXT_METRICS_TOKEN ist nicht gesetzt).' } }, 404, NO_STORE);
    if (!bearerMatches(c, o.metricsToken)) {
      return c.json({ error: { code: 'unauthenticated', message: 'Für /metrics ist der Kopf „Authorization: Bearer <KLARTEXT_METRICS_TOKEN>“ nötig.', field: 'authorization' } },
        401, { ...NO_STORE, 'www-authenticate': 'Bearer realm="metrics"' });
    }
    try {
      return c.body(await metricsText(), 200, { ...NO_STORE, 'content-type': METRICS_CONTENT_TYPE });
    } catch (e) {
      o.log.warn({ err: e }, 'metrics could not be gathered');
      return c.json({ error: { code: 'unavailable', message: 'Die Metriken konnten gerade nicht gesammelt werden.' } }, 503, NO_STORE);
    }
  });

  return { routes: app, startDraining() { draining = true; }, get draining() { return draining; } };
}
