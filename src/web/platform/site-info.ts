// The newspaper's identity as the reader site shows it; the demo paper's until a publisher sets their own.
export interface SiteInfo { name: string; claim: string; locale: string; publisher: string }
export const DEFAULT_SITE: SiteInfo = { name: 'Brackenauer Kreisbote', claim: 'Nachrichten aus Brackenau und dem Sülmetal', locale: 'de_DE', publisher: 'Brackenauer Verlagshaus' };

const dateFmt = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', day: 'numeric', month: 'long', year: 'numeric' });
const timeFmt = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' });
const shortFmt = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', day: '2-digit', month: '2-digit', year: 'numeric' });

/** "20. November 2026, 09:00 Uhr" in Europe/Berlin */
export function berlinDateTime(iso: string): string {
  const d = new Date(iso);
  return `${dateFmt.format(d)}, ${timeFmt.format(d)} Uhr`;
}
export const berlinDate = (iso: string): string => shortFmt.format(new Date(iso));
