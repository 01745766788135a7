// The sort of an insights table from the query: `?sortierung=<key>&richtung=auf|ab`, anything unknown a 400 naming the parameter.
import { HttpError } from '../platform/app-error.ts';

export type Direction = 'auf' | 'ab';
export interface TableSort<K extends string> { key: K; direction: Direction }

export function parseSort<K extends string>(query: { sortierung?: string | undefined; richtung?: string | undefined }, keys: readonly K[], fallback: TableSort<K>): TableSort<K> {
  const key = query.sortierung ?? fallback.key;
  if (!(keys as readonly string[]).includes(key)) {
    throw new HttpError('bad-request', `Unbekannte „sortierung“: erlaubt sind ${keys.join(', ')}.`, 'sortierung');
  }
  const direction = query.richtung ?? (query.sortierung === undefined ? fallback.direction : key === 'titel' ? 'auf' : 'ab');
  if (direction !== 'auf' && direction !== 'ab') throw new HttpError('bad-request', '„richtung“ muss „auf“ oder „ab“ sein.', 'richtung');
  return { key: key as K, direction };
}
