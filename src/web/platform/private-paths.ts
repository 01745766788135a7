// Which URLs are private (per person: session, CSRF, never cached) — the one list that decides which of the two apps answers a request.

/** Path prefixes of the private app; `/x` covers `/x` and `/x/…`. */
export const PRIVATE_PREFIXES = ['/konto', '/anmelden', '/registrieren', '/passwort-vergessen', '/abmelden', '/api', '/suche', '/abo/bestellen', '/abo/danke', '/abo/einloesen', '/kuendigen', '/verlag', '/redaktion'] as const;

/** Per-article private pages: the no-JS reading page and the gift form (`/artikel/:slug/klartext`, `/artikel/:slug/verschenken`). */
export const PRIVATE_ARTICLE_PAGES = ['klartext', 'verschenken'] as const;
const PRIVATE_ARTICLE_PAGE = new RegExp(`^/artikel/[^/]+/(${PRIVATE_ARTICLE_PAGES.join('|')})/?$`);

/**
 * The private paths as robots.txt `Disallow` rules: crawlers have no business on per-person pages. A rule is a prefix
 * (so `/suche` also covers `/suche?q=…`), and `*` is the wildcard Google and Bing understand.
 */
export const ROBOTS_DISALLOW: readonly string[] = [...PRIVATE_PREFIXES, ...PRIVATE_ARTICLE_PAGES.map((page) => `/artikel/*/${page}`)];

export function isPrivatePath(path: string): boolean {
  for (const p of PRIVATE_PREFIXES) {
    if (path.startsWith(p) && (path.length === p.length || path.charCodeAt(p.length) === 47 /* / */)) return true;
  }
  return PRIVATE_ARTICLE_PAGE.test(path);
}
