// Gift links on the web: make one from an article page (subscribers and staff), list and revoke them under /konto/geschenke.
import { Hono, type Context } from 'hono';
import { createGiftLink, giftLinksThisMonth, listGiftLinks, readsAllPlus, revokeGiftLink, GIFT_LINKS_PER_MONTH, type AccessUser } from '../../access/index.ts';
import type { Article } from '../../content/index.ts';
import { HttpError } from '../platform/app-error.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { csrfToken, verifyCsrf } from '../platform/csrf.ts';
import { GiftCreatePage, GiftListPage } from './gift.view.tsx';
import type { Paywall } from './paywall-context.ts';
import { markPrivate, readerUser } from '../platform/session.middleware.ts';
import { loginHref } from './paywall.view.tsx';
import { renderPage } from '../platform/render.tsx';
import { articleOr404 } from '../ui/article-page.view.tsx';

export function giftRoutes(p: Paywall): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const db = p.site.db;

  /** The giver and the article, or the reason there is nothing to give. */
  async function giftable(c: Context<AppEnv>): Promise<{ user: AccessUser; article: Article } | Response> {
    markPrivate(c, { noindex: true });
    const slug = c.req.param('slug') ?? '';
    const user = readerUser(c);
    if (!user) return c.redirect(loginHref(`/artikel/${slug}/verschenken`), 303);
    const article = await articleOr404(p.site, slug);
    if (article.access === 'free') throw new HttpError('bad-request', 'Diesen Artikel kann ohnehin jede und jeder lesen – dafür braucht es keinen Geschenk-Link.');
    if (!user.emailVerified) {
      throw new HttpError('forbidden', 'Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse (den Link dazu finden Sie in unserer Mail oder unter „Mein Konto“). Dann können Sie Artikel verschenken.');
    }
    if (!(await readsAllPlus(db, user, p.now()))) {
      throw new HttpError('forbidden', 'Artikel verschenken können Abonnentinnen und Abonnenten. Mit dem Plus-Abo lesen und verschenken Sie alle Artikel.');
    }
    return { user, article };
  }

  app.get('/artikel/:slug/verschenken', async (c) => {
    const g = await giftable(c);
    if (g instanceof Response) return g;
    const left = Math.max(0, GIFT_LINKS_PER_MONTH - (await giftLinksThisMonth(db, g.user.id, p.now())));
    return renderPage(c, p.site, { title: 'Artikel verschenken', noindex: true }, <GiftCreatePage article={g.article} left={left} csrf={csrfToken(c)} />);
  });

  app.post('/artikel/:slug/verschenken', async (c) => {
    await verifyCsrf(c);
    const g = await giftable(c);
    if (g instanceof Response) return g;
    const link = await createGiftLink(db, { userId: g.user.id, articleId: g.article.id, now: p.now() });
    return c.redirect(`/konto/geschenke?neu=${link.id}`, 303);
  });

  app.get('/konto/geschenke', async (c) => {
    markPrivate(c, { noindex: true });
    const user = readerUser(c);
    if (!user) return c.redirect(loginHref('/konto/geschenke'), 303);
    const links = await listGiftLinks(db, user.id, p.now());
    return renderPage(c, p.site, { title: 'Meine Geschenk-Links', noindex: true },
      <GiftListPage links={links} base={p.site.publicUrl} csrf={csrfToken(c)} created={c.req.query('neu')} revoked={c.req.query('widerrufen') === '1'} />);
  });

  app.post('/konto/geschenke/:id/widerrufen', async (c) => {
    markPrivate(c, { noindex: true });
    await verifyCsrf(c);
    const user = readerUser(c);
    if (!user) return c.redirect(loginHref('/konto/geschenke'), 303);
    await revokeGiftLink(db, { userId: user.id, giftId: c.req.param('id'), now: p.now() });
    return c.redirect('/konto/geschenke?widerrufen=1', 303);
  });

  return app;
}
