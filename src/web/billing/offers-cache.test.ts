// The offers page is publicly cached; a price changed by an admin reaches it (and only the pages showing offers) once the change is read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../db/test-stores.ts';
import { createBillingTestApp } from '../../testing/billing-app.ts';
import { updateOffer } from '../../billing/index.ts';

for (const engine of testEngines()) {
  test(`[${engine}] a new price reaches the cached /abo page once the change is read, and pages without offers stay cached`, async () => {
    const t = await createBillingTestApp(engine);
    try {
      const get = async (p: string) => { const r = await t.app.request(p); return { cache: r.headers.get('x-cache'), keys: r.headers.get('surrogate-key'), text: await r.text() }; };
      assert.match((await get('/abo')).text, /danach 9,99\s€ monatlich/);
      await get('/impressum');
      const cached = await get('/abo');
      assert.equal(cached.cache, 'hit');
      assert.equal(cached.keys, 'offers nav');
      await updateOffer(t.store.db, 'plus-digital', { priceCents: 1099 }, t.clock.now);
      await t.klartext.contentChanges.poll(); // what the feed does by itself within a second (at once on PostgreSQL)
      const after = await get('/abo');
      assert.equal(after.cache, 'miss');
      assert.match(after.text, /danach 10,99\s€ monatlich/);
      assert.doesNotMatch(after.text, /danach 9,99\s€ monatlich/);
      assert.equal((await get('/impressum')).cache, 'hit', 'a page without offers is not touched');
    } finally { await t.close(); }
  });
}
