// The institutions the unlock path asks about, kept in memory: networks and domains of every institution not revoked, reloaded after a change and every few seconds.
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { readInstitutions } from './institution.queries.ts';
import { NetworkTable, parseNetwork, isNetworkProblem, type Network } from './institution-network.ts';

/** What the paywall needs to know of an institution that may grant: the rest is read when a seat is claimed. */
export interface InstitutionEntry { id: string; name: string; seats: number | null; endsOn: string }

/** One loaded state: lookups by address and by domain, answered from memory. `today` is the Berlin day asked for. */
export interface InstitutionTable {
  /** the most specific network holding `ip` of an institution whose access runs on `today` */
  byAddress(ip: string, today: string): InstitutionEntry | null;
  /** the institution of this exact email domain, if its access runs on `today` */
  byDomain(domain: string, today: string): InstitutionEntry | null;
  readonly networks: number;
  readonly domains: number;
}

export interface InstitutionDirectory {
  /** the table as of at most `refreshMs` ago (loads it when older; concurrent callers share one load) */
  table(): Promise<InstitutionTable>;
  /** an institution changed in this process: the next lookup loads the table again (other processes within `refreshMs`) */
  changed(): void;
}

/** How long a process answers from the table it has: a change in another process (or the CLI) is seen within this time. */
export const INSTITUTION_REFRESH_MS = 5000;

export function buildInstitutionTable(rows: { entry: InstitutionEntry; networks: string[]; domains: string[] }[]): InstitutionTable {
  const ranges: { network: Network; owner: InstitutionEntry }[] = [];
  const domains = new Map<string, InstitutionEntry>();
  for (const { entry, networks, domains: ds } of rows) {
    for (const cidr of networks) {
      // stored normalised; a row that no longer parses (a rule tightened since) grants nothing rather than failing every unlock
      const network = parseNetwork(cidr);
      if (!isNetworkProblem(network)) ranges.push({ network, owner: entry });
    }
    for (const d of ds) domains.set(d, entry);
  }
  const table = new NetworkTable(ranges);
  const runs = (e: InstitutionEntry, today: string) => e.endsOn >= today;
  return {
    byAddress: (ip, today) => table.find(ip, (owner) => runs(owner, today)),
    byDomain(domain, today) {
      const e = domains.get(domain);
      return e && runs(e, today) ? e : null;
    },
    networks: table.size,
    domains: domains.size,
  };
}

async function loadTable(db: Kysely<Database>): Promise<InstitutionTable> {
  const institutions = await readInstitutions(db, { activeOnly: true });
  return buildInstitutionTable(institutions.map((i) => ({ entry: { id: i.id, name: i.name, seats: i.seats, endsOn: i.endsOn }, networks: i.networks, domains: i.domains })));
}

/**
 * `monotonicNow` (default performance.now) times the refresh; tests pass their own. A failed load is not kept: the
 * unlock that needed it fails like any database error, and the next one tries again.
 */
export function createInstitutionDirectory(db: Kysely<Database>, o: { refreshMs?: number; monotonicNow?: () => number } = {}): InstitutionDirectory {
  const refreshMs = o.refreshMs ?? INSTITUTION_REFRESH_MS;
  const clock = o.monotonicNow ?? (() => performance.now());
  let current: { table: Promise<InstitutionTable>; loadedAt: number } | null = null;
  return {
    table() {
      if (current && clock() - current.loadedAt < refreshMs) return current.table;
      const mine = { table: loadTable(db), loadedAt: clock() };
      current = mine;
      mine.table.catch(() => { if (current === mine) current = null; });
      return mine.table;
    },
    changed() { current = null; },
  };
}
