// The frame of every newsroom page: the compact "Redaktion" top bar, the page head, a notice, and the status chips.
import type { Child } from 'hono/jsx';
import type { Role } from '../../accounts/index.ts';
import type { EditorialState } from '../../newsroom/index.ts';
import { Notice } from '../ui/form.view.tsx';
import { renderNewsroomPage, staffOf, type NewsroomContext, type NewsroomRouteDeps } from './newsroom-context.ts';

/** Which top-bar link is the current one. */
export type NewsroomArea = 'uebersicht' | 'artikel' | 'medien' | 'protokoll' | 'verwaltung';

const NAV: { area: NewsroomArea; href: string; label: string; adminOnly?: boolean }[] = [
  { area: 'uebersicht', href: '/redaktion', label: 'Übersicht' },
  { area: 'artikel', href: '/redaktion/artikel', label: 'Artikel' },
  { area: 'medien', href: '/redaktion/medien', label: 'Medien' },
  { area: 'protokoll', href: '/redaktion/protokoll', label: 'Protokoll' },
  { area: 'verwaltung', href: '/redaktion/verwaltung/ressorts', label: 'Verwaltung', adminOnly: true },
];

export const ROLE_LABELS: Record<Role, string> = { reader: 'Leser/in', author: 'Autor/in', editor: 'Redakteur/in', admin: 'Administrator/in', publisher: 'Verlag' };

export const STATE_LABELS: Record<EditorialState, string> = {
  draft: 'Entwurf', review: 'In Prüfung', scheduled: 'Geplant', published: 'Veröffentlicht', unpublished: 'Zurückgezogen',
};

/** The state of an article as a coloured chip; `changes` marks a published article with unpublished edits. */
export function StatusChip({ state, changes }: { state: EditorialState; changes?: boolean }) {
  return (
    <span class="nr-chips">
      <span class={`nr-chip nr-chip--${state}`}>{STATE_LABELS[state]}</span>
      {changes && <span class="nr-chip nr-chip--changes" title="Die Arbeitsfassung ist neuer als die veröffentlichte Fassung.">Unveröffentlichte Änderungen</span>}
    </span>
  );
}

export interface FrameStaff { displayName: string; role: Role }

export interface FrameProps {
  staff: FrameStaff;
  active?: NewsroomArea | undefined;
  title: string;
  /** the browser tab's title when it should say more than the heading (the editor: the article's headline) */
  documentTitle?: string;
  /** a small line above the title (e.g. the article's state) */
  kicker?: Child;
  /** buttons or links at the right of the page head */
  actions?: Child;
  notice?: string | undefined;
  noticeKind?: 'success' | 'info' | 'warning';
  children: Child;
}

export function NewsroomFrame({ staff, active, title, kicker, actions, notice, noticeKind, children }: FrameProps) {
  return (
    <div class="nr-app">
      <header class="nr-bar">
        <a class="nr-bar__brand" href="/redaktion">Redaktion</a>
        <nav class="nr-bar__nav" aria-label="Redaktion">
          {NAV.filter((n) => !n.adminOnly || staff.role === 'admin').map((n) => (
            <a href={n.href} aria-current={active === n.area ? 'page' : undefined}>{n.label}</a>
          ))}
        </nav>
        <p class="nr-bar__who">
          <span class="nr-bar__name">{staff.displayName}</span>
          <span class="nr-bar__role">{ROLE_LABELS[staff.role]}</span>
          <a class="nr-bar__site" href="/">Zur Website</a>
        </p>
      </header>
      <div class="nr-page">
        <header class="nr-page__head">
          <div class="nr-page__titles">
            {kicker && <p class="nr-page__kicker">{kicker}</p>}
            <h1 class="nr-page__title">{title}</h1>
          </div>
          {actions && <div class="nr-page__actions">{actions}</div>}
        </header>
        {notice && <Notice kind={noticeKind ?? 'success'}>{notice}</Notice>}
        {children}
      </div>
    </div>
  );
}

export type FrameOptions = Omit<FrameProps, 'staff' | 'children'>;

/** A newsroom page for the staff member of this request, in the frame: what every newsroom route renders. */
export function renderInFrame(c: NewsroomContext, deps: NewsroomRouteDeps, frame: FrameOptions, body: Child, status = 200) {
  const staff = staffOf(c);
  // accounts made by the CLI may have no display name yet: the address says who it is
  const who = { displayName: staff.displayName || staff.email, role: staff.role };
  return renderNewsroomPage(c, deps, frame.documentTitle ?? frame.title, <NewsroomFrame staff={who} {...frame}>{body}</NewsroomFrame>, status);
}
