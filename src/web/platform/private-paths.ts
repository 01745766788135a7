// Which URLs are private (per person: session, CSRF, never cached) — the one list that decides which of the two apps answers a request.

/** Path prefixes of the private app; `/x` covers `/x` and `/x/…`. */
export const PRIVATE_PREFIXES = ['/konto', '/anmelden', '/registrieren', '/passwort-vergessen', '/abmelden', '/api', '/suche'] as const;

/** Per-article private pages: the no-JS reading page and the gift form (`/artikel/:slug/klartext`, `/artikel/:slug/verschenken`). */
const PRIVATE_ARTICLE_PAGE = /^\/artikel\/[^/]+\/(klartext|verschenken)\/?$/;

export function isPrivatePath(path: string): boolean {
  for (const p of PRIVATE_PREFIXES) {
    if (path.startsWith(p) && (path.length === p.length || path.charCodeAt(p.length) === 47 /* / */)) return true;
  }
  return PRIVATE_ARTICLE_PAGE.test(path);
}
