// Calendar months as readers live them: the meter and the gift allowance reset at midnight in Europe/Berlin, not in UTC.
import { berlinDate, berlinMidnight } from '../berlin-time.ts';

/** The Berlin calendar month of an instant as `YYYY-MM`, the key meter unlocks are stored under. */
export function berlinMonth(at: Date): string {
  return berlinDate(at).slice(0, 7);
}

/** The instant the Berlin calendar month of `at` began (midnight of the 1st, CET or CEST). */
export function berlinMonthStart(at: Date): Date {
  return berlinMidnight(`${berlinMonth(at)}-01`);
}
