// For route tests: a tiny browser over app.request() that keeps cookies and fills in the CSRF token of the last page.
import type { Hono } from 'hono';

type Fetcher = Pick<Hono, 'request'>;

export interface PageResponse { status: number; headers: Headers; text: string; location: string | null }

export class TestBrowser {
  readonly cookies = new Map<string, string>();
  /** the `_csrf` value of the last HTML page seen */
  csrf = '';

  /** `env` is app.request()'s third argument, e.g. fromAddress(ip) (src/testing/remote-address.ts) for the socket peer */
  constructor(private readonly app: Fetcher, private readonly headers: Record<string, string> = {}, private readonly env?: object) {}

  private cookieHeader(): string { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /max-age=0\b/i.test(a.trim()) || /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') this.cookies.delete(name); else this.cookies.set(name, value);
    }
  }

  async request(path: string, init: RequestInit = {}): Promise<PageResponse> {
    const headers = new Headers({ ...this.headers, ...(init.headers as Record<string, string> | undefined) });
    if (this.cookies.size) headers.set('cookie', this.cookieHeader());
    const res = await this.app.request(path, { ...init, headers, redirect: 'manual' }, this.env);
    this.remember(res);
    const text = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(text);
    if (m) this.csrf = m[1]!;
    return { status: res.status, headers: res.headers, text, location: res.headers.get('location') };
  }

  get(path: string, headers: Record<string, string> = {}): Promise<PageResponse> {
    return this.request(path, { headers });
  }

  /** Posts a form; `_csrf` is the last page's token unless the fields give one. */
  post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<PageResponse> {
    const body = new URLSearchParams({ _csrf: this.csrf, ...fields });
    return this.request(path, { method: 'POST', body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  }
}

/** The first link in a mail body that starts with the given path. */
export function linkIn(text: string, pathPrefix: string): string {
  const m = new RegExp(`https?://[^\\s"<>]*${pathPrefix.replace(/[/?]/g, '\\$&')}[^\\s"<>]*`).exec(text);
  if (!m) throw new Error(`no link to ${pathPrefix} in mail:\n${text}`);
  const u = new URL(m[0]);
  return u.pathname + u.search;
}
