// One-time links on every engine: a link wins once, also when two clicks race; the loser is told the link was used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryId } from 'kysely';
import { openTestStore, testEngines } from '../db/test-stores.ts';
import { register, TEST_HASHING } from './index.ts';
import { consumeAccountToken, createAccountToken, type TokenKind } from './account-token.queries.ts';

const requester = { ip: '203.0.113.7', userAgent: 'test' };
const USED = /Dieser Link wurde schon benutzt/;

async function withUser(engine: string, fn: (db: Awaited<ReturnType<typeof openTestStore>>['db'], userId: string) => Promise<void>) {
  const s = await openTestStore(engine);
  try {
    await register(s.db, { email: 'ina@example.de', password: 'Regenbogen-Fahrrad-7', acceptTerms: true, acceptPrivacy: true, newsletter: false }, { hashing: TEST_HASHING, requester });
    const { id } = await s.db.selectFrom('users').select('id').executeTakeFirstOrThrow();
    await fn(s.db, id);
  } finally {
    await s.close();
  }
}

/**
 * Holds every SELECT's answer until `count` of them arrived, so both clicks have checked the link before either
 * uses it up: the race the update's `used_at IS NULL` must decide. For PostgreSQL, whose pool runs the clicks
 * side by side; SQLite's one connection already takes the queries in turn (check, check, use, use).
 */
function checksMeetFirst(count: number): KyselyPlugin {
  const selects = new WeakSet<QueryId>();
  let arrived = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  return {
    transformQuery(args: PluginTransformQueryArgs) {
      if (args.node.kind === 'SelectQueryNode') selects.add(args.queryId);
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs) {
      if (selects.has(args.queryId)) {
        if (++arrived === count) release();
        await gate;
      }
      return args.result;
    },
  };
}

for (const engine of testEngines()) {
  for (const kind of ['reset-password', 'verify-email'] as TokenKind[]) {
    test(`[${engine}] two clicks racing on one ${kind} link: exactly one wins, the other is told the link was used`, () => withUser(engine, async (db, userId) => {
      const token = await createAccountToken(db, userId, kind);
      const racing = engine === 'postgres' ? db.withPlugin(checksMeetFirst(2)) : db;
      const results = await Promise.allSettled([consumeAccountToken(racing, token, kind), consumeAccountToken(racing, token, kind)]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, 'exactly one click wins');
      const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.match(String(lost?.reason?.message), USED);
    }));

    test(`[${engine}] a ${kind} link used once is refused the second time, saying it was used`, () => withUser(engine, async (db, userId) => {
      const token = await createAccountToken(db, userId, kind);
      await consumeAccountToken(db, token, kind);
      await assert.rejects(consumeAccountToken(db, token, kind), USED);
    }));
  }
}
