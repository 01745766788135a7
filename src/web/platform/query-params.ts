// Strict reading of query values: a malformed value is a 400 naming the parameter, never a silent default.
import { HttpError } from './app-error.ts';

export function pageNumber(raw: string | undefined, name = 'seite'): number {
  if (raw === undefined) return 1;
  if (!/^[1-9]\d{0,4}$/.test(raw)) throw new HttpError('bad-request', `Der Parameter „${name}“ muss eine ganze Zahl ab 1 sein.`, name);
  return Number(raw);
}
