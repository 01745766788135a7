// The frame of every publisher page: kicker, title, the area's navigation and its notices.
import type { Child } from 'hono/jsx';
import { Notice } from '../ui/form.view.tsx';

const NAV = [
  { href: '/verlag/abos', label: 'Abos' },
  { href: '/verlag/kuendigungen', label: 'Kündigungen' },
  { href: '/verlag/angebote', label: 'Angebote' },
  { href: '/verlag/aufgaben', label: 'Aufgaben' },
  { href: '/verlag/experimente', label: 'Experimente' },
  { href: '/verlag/institutionen', label: 'Institutionen' },
] as const;

export function PublisherFrame({ title, active, meta, notice, children }: { title: string; active: string; meta?: Child; notice?: string | undefined; children: Child }) {
  return (
    <div class="account publisher">
      <header class="account__head">
        <p class="auth__kicker">Verlag · Abonnentenverwaltung</p>
        <h1 class="account__title">{title}</h1>
        {meta && <p class="account__meta">{meta}</p>}
        <nav class="publisher__nav" aria-label="Verlag">
          {NAV.map((n) => <a href={n.href} aria-current={active === n.href ? 'page' : undefined}>{n.label}</a>)}
        </nav>
      </header>
      {notice && <Notice>{notice}</Notice>}
      {children}
    </div>
  );
}
