// The offers page is publicly cached; a price changed by an admin still reaches it once the content stamp is checked again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../db/test-stores.ts';
import { createBillingTestApp } from '../../testing/billing-app.ts';
import { updateOffer } from '../../billing/index.ts';

for (const engine of testEngines()) {
  test(`[${engine}] a new price reaches the cached /abo page at the next stamp check, without emptying the cache by hand`, async () => {
    const t = await createBillingTestApp(engine);
    try {
      const get = async () => { const r = await t.app.request('/abo'); return { cache: r.headers.get('x-cache'), text: await r.text() }; };
      assert.match((await get()).text, /danach 9,99\s€ monatlich/);
      assert.equal((await get()).cache, 'hit');
      t.clock.now = new Date(t.clock.now.getTime() + 3000); // past the two seconds after which the stamp is asked again
      await updateOffer(t.store.db, 'plus-digital', { priceCents: 1099 }, t.clock.now);
      await get(); // starts the check
      const after = await get();
      assert.match(after.text, /danach 10,99\s€ monatlich/);
      assert.doesNotMatch(after.text, /danach 9,99\s€ monatlich/);
    } finally { await t.close(); }
  });
}
