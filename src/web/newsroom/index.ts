// The newsroom area (/redaktion, staff only): start page, article list, editor, workflow, revisions, media, preview, admin.
import { Hono } from 'hono';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { staffOnly, type NewsroomRouteDeps } from './newsroom-context.ts';
import { workflowRoutes } from './workflow.routes.tsx';
import { mediaRoutes } from './media.routes.tsx';
import { adminRoutes } from './admin.routes.tsx';
import { previewRoutes } from './preview.routes.tsx';

export type { NewsroomRouteDeps, PreviewAudience } from './newsroom-context.ts';
export { MEDIA_UPLOAD_PATHS } from './media.routes.tsx';

export function newsroomRoutes(deps: NewsroomRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // The staff check comes first: a guest is sent to the login, a reader gets 403, before any body is read.
  app.use('/redaktion', staffOnly);
  app.use('/redaktion/*', staffOnly);
  app.route('/', workflowRoutes(deps));
  app.route('/', mediaRoutes(deps));
  app.route('/', adminRoutes(deps));
  app.route('/', previewRoutes(deps));
  return app;
}
