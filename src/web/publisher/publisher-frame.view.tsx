// The frame of every publisher page: kicker, title, the area's navigation and its notices.
import type { Child } from 'hono/jsx';
import { Notice } from '../ui/form.view.tsx';

/** The insights (the `publisher` role sees only these), then the administration (admins only). */
const INSIGHTS_NAV = [
  { href: '/verlag', label: 'Übersicht' },
  { href: '/verlag/artikel', label: 'Artikel' },
  { href: '/verlag/umsatz', label: 'Umsatz' },
  { href: '/verlag/experimente', label: 'Experimente' },
  { href: '/verlag/institutionen', label: 'Institutionen' },
] as const;
const ADMIN_NAV = [
  { href: '/verlag/abos', label: 'Abos' },
  { href: '/verlag/kuendigungen', label: 'Kündigungen' },
  { href: '/verlag/angebote', label: 'Angebote' },
  { href: '/verlag/aufgaben', label: 'Aufgaben' },
] as const;

/**
 * `insightsOnly`: the viewer has the `publisher` role (see `viewerOf`), so the administration's links, which would answer
 * 403, are left out. Insights pages pass it; admin-only pages need not.
 */
export function PublisherFrame({ title, active, meta, notice, insightsOnly, children }: { title: string; active: string; meta?: Child; notice?: string | undefined; insightsOnly?: boolean; children: Child }) {
  const link = (n: { href: string; label: string }) => <a href={n.href} aria-current={active === n.href ? 'page' : undefined}>{n.label}</a>;
  return (
    <div class="account publisher">
      <header class="account__head">
        <p class="auth__kicker">{insightsOnly ? 'Verlag · Auswertungen' : 'Verlag · Auswertungen und Abonnentenverwaltung'}</p>
        <h1 class="account__title">{title}</h1>
        {meta && <p class="account__meta">{meta}</p>}
        <nav class="publisher__nav" aria-label="Verlag">
          {INSIGHTS_NAV.map(link)}
          {!insightsOnly && <span class="publisher__nav-rule" aria-hidden="true"></span>}
          {!insightsOnly && ADMIN_NAV.map(link)}
        </nav>
      </header>
      {notice && <Notice>{notice}</Notice>}
      {children}
    </div>
  );
}
