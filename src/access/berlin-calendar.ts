// Calendar months as readers live them: the meter and the gift allowance reset at midnight in Europe/Berlin, not in UTC.

const MONTH_PARTS = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

function berlinParts(at: Date): { year: number; month: number; day: number; hour: number; minute: number } {
  const parts = Object.fromEntries(MONTH_PARTS.formatToParts(at).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute) };
}

/** The Berlin calendar month of an instant as `YYYY-MM`, the key meter unlocks are stored under. */
export function berlinMonth(at: Date): string {
  const { year, month } = berlinParts(at);
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** The instant the Berlin calendar month of `at` began (midnight of the 1st, CET or CEST). */
export function berlinMonthStart(at: Date): Date {
  const { year, month } = berlinParts(at);
  // Berlin is UTC+1 or UTC+2; of the two candidates, the one Berlin reads as 00:00 on the 1st is right.
  for (const offsetHours of [1, 2]) {
    const candidate = new Date(Date.UTC(year, month - 1, 1, -offsetHours));
    const p = berlinParts(candidate);
    if (p.day === 1 && p.hour === 0 && p.minute === 0 && p.month === month) return candidate;
  }
  throw new Error(`no Berlin midnight found for ${year}-${month}`);
}
