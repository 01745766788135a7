// bench:institutions — what institutional access adds to an unlock: the in-memory lookup of a client address (inside and outside every range) and of an email domain, at 10, 100 and 1,000 institutions; single core, in-process.
import { buildInstitutionTable, type InstitutionEntry } from '../src/access/institution-directory.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 200_000);
const TODAY = '2026-11-28';

/** `n` institutions with two IPv4 ranges, one IPv6 range and one domain each (public-looking, distinct ranges). */
function table(n: number) {
  return buildInstitutionTable(Array.from({ length: n }, (_, i) => ({
    entry: { id: `i${i}`, name: `Institution ${i}`, seats: 50, endsOn: '2099-12-31' } satisfies InstitutionEntry,
    networks: [`${20 + (i >> 8)}.${i & 255}.0.0/20`, `${20 + (i >> 8)}.${i & 255}.128.0/25`, `2a00:${(i + 1).toString(16)}::/48`],
    domains: [`schule-${i}.example`],
  })));
}

function perLookupNs(fn: (i: number) => unknown): number {
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < LOOKUPS; i++) fn(i);
    times.push(Number(process.hrtime.bigint() - t0) / LOOKUPS);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const us = (ns: number) => `${(ns / 1000).toFixed(2)} µs`;
console.log(`bench:institutions — median of ${ROUNDS} rounds × ${LOOKUPS.toLocaleString('de-DE')} lookups`);
console.log('institutions | ranges | guest outside (IPv4) | guest inside (IPv4) | IPv6 outside | domain (hit or miss)');
for (const n of [10, 100, 1000]) {
  const t = table(n);
  const outside = perLookupNs((i) => t.byAddress(`9.${i & 255}.${(i >> 8) & 255}.1`, TODAY));
  const inside = perLookupNs((i) => t.byAddress(`20.${i % n}.1.${i & 255}`, TODAY));
  const v6 = perLookupNs((i) => t.byAddress(`2001:db8:${(i & 0xffff).toString(16)}::1`, TODAY));
  const domain = perLookupNs((i) => t.byDomain(i & 1 ? `schule-${i % n}.example` : 'woanders.example', TODAY));
  console.log(`${n} | ${t.networks} | ${us(outside)} | ${us(inside)} | ${us(v6)} | ${us(domain)}`);
}
