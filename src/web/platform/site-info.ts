// The newspaper's identity as the reader site shows it; the demo paper's until a publisher sets their own.
import { LruMap } from '../../lru-map.ts';

export interface SiteInfo { name: string; claim: string; locale: string; publisher: string }
export const DEFAULT_SITE: SiteInfo = { name: 'Brackenauer Kreisbote', claim: 'Nachrichten aus Brackenau und dem Sülmetal', locale: 'de_DE', publisher: 'Brackenauer Verlagshaus' };

const dateFmt = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', day: 'numeric', month: 'long', year: 'numeric' });
const timeFmt = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' });
const shortFmt = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', day: '2-digit', month: '2-digit', year: 'numeric' });

// Intl formatting costs microseconds per call and a front page formats dozens of dates per render, always the same
// few (publication times of the listed articles): the text is remembered per timestamp, bounded.
const dateTimes = new LruMap<string, string>(4000);
const dates = new LruMap<string, string>(4000);

/** "20. November 2026, 09:00 Uhr" in Europe/Berlin */
export function berlinDateTime(iso: string): string {
  let s = dateTimes.get(iso);
  if (s === undefined) {
    const d = new Date(iso);
    dateTimes.set(iso, (s = `${dateFmt.format(d)}, ${timeFmt.format(d)} Uhr`));
  }
  return s;
}
export function berlinDate(iso: string): string {
  let s = dates.get(iso);
  if (s === undefined) dates.set(iso, (s = shortFmt.format(new Date(iso))));
  return s;
}
