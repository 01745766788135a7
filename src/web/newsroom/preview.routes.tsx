// /redaktion/artikel/:id/vorschau: the working copy through the site's own article page, as a guest, a registered reader or a subscriber would see it.
import { Hono } from 'hono';
import { draftToArticle } from '../../newsroom/index.ts';
import { HttpError } from '../platform/app-error.ts';
import { markPreviewFrame, type AppEnv } from '../platform/request-context.middleware.ts';
import { markPrivate } from '../platform/session.middleware.ts';
import { renderArticlePage } from '../ui/article-page.view.tsx';
import { workingCopyOr404, type NewsroomContext, type NewsroomRouteDeps } from './newsroom-context.ts';
import { renderInFrame } from './newsroom-frame.view.tsx';
import { AUDIENCES, DevicesPage, PreviewBanner, type PreviewInfo } from './preview.view.tsx';

/** `als` names the audience; without it the guest, whom the paywall is for. Anything else is a 400 naming the parameter. */
function audienceOf(c: NewsroomContext) {
  const param = c.req.query('als') ?? 'gast';
  const a = AUDIENCES.find((x) => x.param === param);
  if (!a) throw new HttpError('bad-request', `Unbekannte Ansicht „${param}“ im Parameter „als“: erlaubt sind ${AUDIENCES.map((x) => x.param).join(', ')}.`, 'als');
  return a;
}

export function previewRoutes(deps: NewsroomRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  // Staff only (the area's staffOnly ran); the answer is private and no-store like every /redaktion answer, and
  // carries noindex too: an unpublished text must not reach a cache or a search engine by any path.
  app.get('/redaktion/artikel/:id/vorschau', async (c) => {
    markPrivate(c, { noindex: true });
    const audience = audienceOf(c);
    const wc = await workingCopyOr404(deps, c.req.param('id'));
    const article = await draftToArticle(deps.site.db, wc.articleId, wc.doc, { now: deps.site.now() });
    const info: PreviewInfo = { articleId: wc.articleId, param: audience.param, version: wc.version, state: wc.state };
    const premium = article.access === 'free' ? null : await deps.previewSlot(article, audience.audience);
    // The device page shows this answer in its frames (nothing else may frame it); the site's script does not run in it:
    // the slot above already is what the script would make of the page for this audience, and the header must not
    // greet the staff member as a reader.
    markPreviewFrame(c);
    return renderArticlePage(c, deps.site, article, <>{premium}<PreviewBanner info={info} /></>, { noindex: true });
  });

  app.get('/redaktion/artikel/:id/vorschau/geraete', async (c) => {
    markPrivate(c, { noindex: true });
    const audience = audienceOf(c);
    const wc = await workingCopyOr404(deps, c.req.param('id'));
    const info: PreviewInfo = { articleId: wc.articleId, param: audience.param, version: wc.version, state: wc.state };
    const headline = wc.doc.headline || 'Ohne Überschrift';
    return renderInFrame(c, deps, { active: 'artikel', kicker: 'Vorschau', title: headline }, <DevicesPage info={info} headline={headline} />);
  });

  return app;
}
