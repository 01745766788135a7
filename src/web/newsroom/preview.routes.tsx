// Newsroom: preview (to be built).
import { Hono } from 'hono';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import type { NewsroomRouteDeps } from './newsroom-context.ts';

export function previewRoutes(_deps: NewsroomRouteDeps): Hono<AppEnv> {
  return new Hono<AppEnv>();
}
