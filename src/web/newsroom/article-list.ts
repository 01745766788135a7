// The article list's filter read strictly from the URL (a bad value is a 400 naming the parameter), and the domain's
// lists mapped to the rows the start page and the list show.
import type { AuthorRef, Section } from '../../content/index.ts';
import type { NewsroomFilter } from '../../newsroom/index.ts';
import { berlinMidnight } from '../../berlin-time.ts';
import { HttpError } from '../platform/app-error.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { ACCESS_PARAMS, STATUS_PARAMS, type ListQuery } from './articles.view.tsx';

export const PAGE_SIZE = 50;
const MAX_Q = 200;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const bad = (name: string, message: string): never => { throw new HttpError('bad-request', message, name); };

function oneOf(c: NewsroomContext, name: string, allowed: readonly string[], what: string): string {
  const v = (c.req.query(name) ?? '').trim();
  if (v && !allowed.includes(v)) bad(name, `Unbekannter Wert „${v.slice(0, 80)}“ für ${what} (Parameter „${name}“). Erlaubt: ${allowed.join(', ')}.`);
  return v;
}

function dateParam(c: NewsroomContext, name: string, what: string): string {
  const v = (c.req.query(name) ?? '').trim();
  if (!v) return '';
  const m = DATE.exec(v);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !d || d.getUTCDate() !== Number(m[3]) || d.getUTCMonth() !== Number(m[2]) - 1 || Number(m[1]) < 1970 || Number(m[1]) > 2999) {
    bad(name, `„${v.slice(0, 40)}“ ist kein gültiges Datum für ${what} (Parameter „${name}“, Form JJJJ-MM-TT).`);
  }
  return v;
}

/** The list filter of this request; unknown sections or authors are named, not silently ignored. */
export function listQueryOf(c: NewsroomContext, sections: Pick<Section, 'slug'>[], authors: Pick<AuthorRef, 'slug'>[]): ListQuery {
  const q = (c.req.query('q') ?? '').trim();
  if (q.length > MAX_Q) bad('q', `Der Suchbegriff (Parameter „q“) ist zu lang: höchstens ${MAX_Q} Zeichen.`);
  const ressort = (c.req.query('ressort') ?? '').trim();
  if (ressort && !sections.some((s) => s.slug === ressort)) bad('ressort', `Das Ressort „${ressort.slice(0, 80)}“ gibt es nicht (Parameter „ressort“).`);
  const autor = (c.req.query('autor') ?? '').trim();
  if (autor && !authors.some((a) => a.slug === autor)) bad('autor', `Die Autorin oder den Autor „${autor.slice(0, 80)}“ gibt es nicht (Parameter „autor“).`);
  const von = dateParam(c, 'von', 'den Beginn des Zeitraums');
  const bis = dateParam(c, 'bis', 'das Ende des Zeitraums');
  if (von && bis && von > bis) bad('bis', `Das Ende des Zeitraums (Parameter „bis“: ${bis}) liegt vor seinem Beginn (${von}).`);
  return {
    q, ressort, autor, von, bis,
    status: oneOf(c, 'status', Object.keys(STATUS_PARAMS), 'den Status'),
    zugang: oneOf(c, 'zugang', Object.keys(ACCESS_PARAMS), 'den Zugang'),
    nach: cursorOf(c),
  };
}

/** The keyset cursor of the previous page: `<ISO time>|<article id>` as the list handed it out. */
function cursorOf(c: NewsroomContext): string {
  const v = c.req.query('nach') ?? '';
  if (v && !CURSOR.test(v)) bad('nach', 'Der Parameter „nach“ (Position in der Liste) ist ungültig. Bitte beginnen Sie die Liste neu.');
  return v;
}
const CURSOR = /^[0-9T:.+Z -]{10,40}\|[A-Za-z0-9_-]{1,64}$/;

const nextDay = (date: string): string => new Date(Date.parse(`${date}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The domain's filter for a list query: dates are Berlin calendar days, `bis` inclusive. */
export function filterOf(query: ListQuery): NewsroomFilter {
  return {
    q: query.q || undefined,
    state: query.status ? STATUS_PARAMS[query.status] : undefined,
    section: query.ressort || undefined,
    author: query.autor || undefined,
    access: query.zugang ? ACCESS_PARAMS[query.zugang] : undefined,
    from: query.von ? berlinMidnight(query.von).toISOString() : undefined,
    to: query.bis ? berlinMidnight(nextDay(query.bis)).toISOString() : undefined,
    after: query.nach || undefined,
    limit: PAGE_SIZE,
  };
}
