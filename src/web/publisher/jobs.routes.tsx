// /verlag/aufgaben: the job table for admins (failed, waiting, running) and "Erneut versuchen" for a failed job (POST, CSRF, logged).
import { Hono } from 'hono';
import { jobQueueDepth, listJobs, requeueFailedJob } from '../../jobs/index.ts';
import { countJobRequeuedByAdmin } from '../../metrics/index.ts';
import { HttpError } from '../platform/app-error.ts';
import { csrfToken } from '../platform/csrf.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { adminOf, renderPublisherPage, type PublisherContext, type PublisherRouteDeps } from './publisher-context.ts';
import { JobsPage } from './jobs.view.tsx';

/** Rows per list: the page is a look at the queue, not an archive. */
const LIST_LIMIT = 50;
const JOB_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function jobRoutes(deps: PublisherRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const db = deps.site.db;

  async function page(c: PublisherContext, o: { notice?: string | undefined; problem?: string; status?: number } = {}) {
    const [counts, failed, queued, running] = await Promise.all([
      jobQueueDepth(db), listJobs(db, 'failed', LIST_LIMIT), listJobs(db, 'queued', LIST_LIMIT), listJobs(db, 'running', LIST_LIMIT),
    ]);
    return renderPublisherPage(c, deps, 'Aufgaben', (
      <JobsPage counts={counts} failed={failed} queued={queued} running={running} csrf={csrfToken(c)} notice={o.notice} {...(o.problem ? { problem: o.problem } : {})} />
    ), o.status);
  }

  app.get('/verlag/aufgaben', (c) => page(c, { notice: c.req.query('ok') === 'wiederholt' ? 'Die Aufgabe ist wieder eingereiht und läuft beim nächsten Durchgang (in wenigen Sekunden).' : undefined }));

  app.post('/verlag/aufgaben/:id/wiederholen', async (c) => {
    const id = c.req.param('id');
    if (!JOB_ID.test(id)) throw new HttpError('not-found', 'Diese Aufgabe gibt es nicht.', 'id');
    const admin = adminOf(c);
    const job = await requeueFailedJob(db, id, deps.site.now());
    if (!job) {
      // already queued again (a second click, another admin) or never failed: say so, change nothing
      return page(c, { problem: 'Diese Aufgabe ist nicht (mehr) fehlgeschlagen; sie wurde nicht erneut eingereiht.', status: 409 });
    }
    countJobRequeuedByAdmin();
    deps.logger.info({ jobId: job.id, kind: job.kind, attempts: job.attempts, lastError: job.lastError, adminId: admin.id, reqId: c.get('requestId') }, 'failed job queued again by an admin');
    return c.redirect('/verlag/aufgaben?ok=wiederholt', 303);
  });
  return app;
}
