// Turns any thrown error into a page or JSON with a request id; users never see a stack trace.
import { DomainError } from '../../domain-error.ts';
import { HttpError, STATUS_OF_CODE } from './app-error.ts';

export interface ErrorView { status: number; title: string; message: string; field?: string; code: string; retryAfterSeconds?: number }

const TITLES: Record<number, string> = {
  400: 'Das hat nicht geklappt', 401: 'Bitte melden Sie sich an', 403: 'Kein Zugriff', 404: 'Seite nicht gefunden', 409: 'Konflikt',
  413: 'Die Anfrage ist zu groß', 415: 'Dateityp nicht unterstützt', 429: 'Zu viele Versuche', 500: 'Ein Fehler ist aufgetreten', 503: 'Gerade nicht erreichbar',
};

/** Errors of the database driver that mean "the database is away", as opposed to a bug. */
export function isDatabaseUnavailable(e: unknown): boolean {
  const err = e as { code?: string; message?: string } | null;
  if (!err) return false;
  if (err.code && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08006', '08001', '08003', 'SQLITE_BUSY', 'SQLITE_CANTOPEN'].includes(err.code)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|connection error|terminating connection/i.test(err.message ?? '');
}

const view = (status: number, message: string, code: string, field?: string): ErrorView => ({ status, title: TITLES[status] ?? 'Fehler', message, code, ...(field ? { field } : {}) });

export function errorView(e: unknown): ErrorView {
  if (e instanceof HttpError) return view(e.status, e.message, e.kind, e.field);
  if (e instanceof DomainError) {
    // refusals that pass (throttles, a full hashing queue) say when to come back
    const retry = (e as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    return { ...view(STATUS_OF_CODE[e.code], e.message, e.code, e.field), ...(typeof retry === 'number' ? { retryAfterSeconds: retry } : {}) };
  }
  if (isDatabaseUnavailable(e)) return view(503, 'Die Zeitung ist gerade nicht erreichbar. Bitte versuchen Sie es in einer Minute noch einmal.', 'unavailable');
  return view(500, 'Das lag an uns, nicht an Ihnen. Bitte versuchen Sie es gleich noch einmal.', 'internal');
}
