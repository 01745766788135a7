// The ordered list of migrations; one set for both engines, differences asked of the capability flags.
import type { Kysely, Migration } from 'kysely';
import type { DialectCapabilities } from '../dialect.ts';
import * as m001 from './001-content.ts';
import * as m002 from './002-accounts.ts';
import * as m003 from './003-access.ts';
import * as m004 from './004-meter-addresses.ts';
import * as m005 from './005-billing.ts';
import * as m006 from './006-jobs.ts';
import * as m007 from './007-newsroom.ts';
import * as m008 from './008-media.ts';
import * as m009 from './009-content-changes.ts';
import * as m010 from './010-newsroom-admin.ts';
import * as m011 from './011-search-rowids.ts';
import * as m012 from './012-listing-indexes.ts';
import * as m013 from './013-insights.ts';
import * as m014 from './014-experiments.ts';
import * as m015 from './015-insight-summaries.ts';

type Step = (db: Kysely<unknown>, caps: DialectCapabilities) => Promise<void>;
const steps: Record<string, Step> = {
  '001-content': m001.up,
  '002-accounts': m002.up,
  '003-access': m003.up,
  '004-meter-addresses': m004.up,
  '005-billing': m005.up,
  '006-jobs': m006.up,
  '007-newsroom': m007.up,
  '008-media': m008.up,
  '009-content-changes': m009.up,
  '010-newsroom-admin': m010.up,
  '011-search-rowids': m011.up,
  '012-listing-indexes': m012.up,
  '013-insights': m013.up,
  '014-experiments': m014.up,
  '015-insight-summaries': m015.up,
};

export function migrationsFor(caps: DialectCapabilities): Record<string, Migration> {
  return Object.fromEntries(Object.entries(steps).map(([name, up]) => [name, { up: (db: Kysely<unknown>) => up(db, caps) }]));
}
