// Checkout to billing run to returned debit to the end, on every engine: one subscription per order, every charge once, invoices without gaps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { openTestStore, testEngines } from '../db/test-stores.ts';
import { hasActiveSubscription } from '../access/index.ts';
import { DomainError } from '../domain-error.ts';
import { testBilling, testReader } from '../testing/billing-fixtures.ts';
import { validateAgainstXsd } from './sepa/xsd.testing.ts';
import { applyReturnsFile, findOffer, placeOrder, quoteOffer, runBilling, updateOffer, type OrderInput } from './index.ts';

const IBAN = 'DE89370400440532013000';
const key = () => randomBytes(12).toString('base64url');

async function order(t: Awaited<ReturnType<typeof testBilling>>, reader: { id: string; email: string }, extra: Partial<OrderInput> = {}) {
  const offer = await findOffer(t.ctx.db, extra.offer ?? 'plus-digital');
  const priceKey = offer ? quoteOffer(offer, { now: t.clock.now, giftMonths: extra.giftMonths ?? null }).priceKey : 'unbekannt';
  return placeOrder(t.ctx, {
    userId: reader.id, userEmail: reader.email, offer: extra.offer ?? 'plus-digital', method: 'sepa', priceKey, orderKey: key(),
    consentImmediateStart: true, holderName: 'Erika Müller', iban: IBAN, mandateAccepted: true, ...extra,
  });
}

for (const engine of testEngines()) {
  test(`[${engine}] a SEPA order entitles at once, stores the IBAN only sealed, and mails contract, withdrawal and pre-notification`, async () => {
    const store = await openTestStore(engine);
    try {
      const t = await testBilling(store);
      const reader = await testReader(store);
      assert.equal(await hasActiveSubscription(store.db, reader.id, t.clock.now), false);
      const r = await order(t, reader);
      assert.equal(r.created, true);
      assert.equal(r.subscription.state, 'intro');
      assert.equal(await hasActiveSubscription(store.db, reader.id, t.clock.now), true);
      const mandate = await store.db.selectFrom('sepa_mandates').selectAll().executeTakeFirstOrThrow();
      assert.equal(mandate.iban_masked, 'DE89 •••• •••• •••• 3000');
      assert.ok(!JSON.stringify(mandate).includes('0532013000'), 'the IBAN is never stored in plain text');
      assert.ok(!JSON.stringify(mandate).includes('Müller'), 'nor the account holder');
      const charge = await store.db.selectFrom('charges').selectAll().executeTakeFirstOrThrow();
      assert.equal(charge.amount_cents, 100);
      assert.equal(t.mails.length, 1);
      assert.match(t.mails[0]!.text, /Widerruf/);
      assert.match(t.mails[0]!.text, /Vorabankündigung/);
      assert.match(t.mails[0]!.text, /1,00\s€ im ersten Monat, danach 9,99\s€ monatlich/);
      assert.ok(!t.mails[0]!.text.includes('0532013000'), 'the mail shows the IBAN masked');
    } finally { await store.close(); }
  });

  test(`[${engine}] the same order sent twice at once makes one subscription and one mail`, async () => {
    const store = await openTestStore(engine);
    try {
      const t = await testBilling(store);
      const reader = await testReader(store);
      const offer = (await findOffer(store.db, 'plus-digital'))!;
      const input: OrderInput = {
        userId: reader.id, userEmail: reader.email, offer: 'plus-digital', method: 'sepa', priceKey: quoteOffer(offer, { now: t.clock.now }).priceKey,
        orderKey: key(), consentImmediateStart: true, holderName: 'Erika Müller', iban: IBAN, mandateAccepted: true,
      };
      const [a, b] = await Promise.all([placeOrder(t.ctx, input), placeOrder(t.ctx, input)]);
      assert.equal(a.subscription.id, b.subscription.id);
      assert.equal((await store.db.selectFrom('subscriptions').select('id').execute()).length, 1);
      assert.equal((await store.db.selectFrom('charges').select('id').execute()).length, 1);
      assert.equal(t.mails.length, 1);
    } finally { await store.close(); }
  });

  test(`[${engine}] bad input is refused with the field named and nothing is created`, async () => {
    const store = await openTestStore(engine);
    try {
      const t = await testBilling(store);
      const reader = await testReader(store);
      const refused = async (extra: Partial<OrderInput>, field: string) => {
        await assert.rejects(order(t, reader, extra), (e: unknown) => e instanceof DomainError && e.field === field);
      };
      await refused({ iban: 'DE89370400440532013001' }, 'iban');
      await refused({ iban: 'XX89370400440532013000' }, 'iban');
      await refused({ consentImmediateStart: false }, 'consent');
      await refused({ mandateAccepted: false }, 'mandate');
      await refused({ holderName: '' }, 'holderName');
      await refused({ offer: 'gibt-es-nicht' }, 'offer');
      await refused({ priceKey: 'veraltet' }, 'priceKey');
      await updateOffer(store.db, 'plus-digital-jahr', { active: false }, t.clock.now);
      await refused({ offer: 'plus-digital-jahr' }, 'offer');
      await refused({ method: 'stripe' }, 'method');
      assert.equal((await store.db.selectFrom('subscriptions').select('id').execute()).length, 0);
      assert.equal((await store.db.selectFrom('sepa_mandates').select('id').execute()).length, 0);
      assert.equal(t.mails.length, 0);
    } finally { await store.close(); }
  });

  test(`[${engine}] a price change between page and order is refused`, async () => {
    const store = await openTestStore(engine);
    try {
      const t = await testBilling(store);
      const reader = await testReader(store);
      const shown = quoteOffer((await findOffer(store.db, 'plus-digital'))!, { now: t.clock.now });
      await updateOffer(store.db, 'plus-digital', { priceCents: 1299 }, t.clock.now);
      await assert.rejects(order(t, reader, { priceKey: shown.priceKey }), (e: unknown) => e instanceof DomainError && e.field === 'priceKey');
      assert.equal((await store.db.selectFrom('subscriptions').select('id').execute()).length, 0);
    } finally { await store.close(); }
  });

  test(`[${engine}] billing runs: a schema-valid pain.008, renewal with RCUR, two runs in parallel collect every charge once, invoices without gaps`, async () => {
    const store = await openTestStore(engine);
    try {
      const t = await testBilling(store);
      for (let i = 0; i < 5; i++) await order(t, await testReader(store));
      const first = await runBilling(t.ctx);
      assert.ok(first.batch);
      assert.equal(first.batch.count, 5);
      assert.equal(first.batch.controlSumCents, 500);
      const xml = fs.readFileSync(first.batch.file, 'utf8');
      validateAgainstXsd(xml, 'pain.008.001.08');
      assert.equal((xml.match(/<SeqTp>FRST<\/SeqTp>/g) ?? []).length, 1, 'one payment information block for the first debits');
      assert.equal((xml.match(/<DrctDbtTxInf>/g) ?? []).length, 5);
      assert.equal((await runBilling(t.ctx)).batch, null, 'a second run finds nothing left to collect');

      // a month later every contract renews at the regular price, collected as RCUR — by two runs at once
      t.clock.set('2027-02-28T06:00:00.000Z');
      const [a, b] = await Promise.all([runBilling(t.ctx), runBilling(t.ctx)]);
      const batches = [a.batch, b.batch].filter((x) => x !== null);
      assert.equal(batches.reduce((n, x) => n + x.count, 0), 5, 'every renewal charge is in exactly one file');
      const charges = await store.db.selectFrom('charges').selectAll().execute();
      assert.equal(charges.length, 10);
      assert.ok(charges.every((c) => c.state === 'submitted'));
      assert.deepEqual(charges.filter((c) => c.kind === 'regular').map((c) => c.amount_cents), [999, 999, 999, 999, 999]);
      assert.ok(charges.filter((c) => c.kind === 'regular').every((c) => c.sequence_type === 'RCUR'));
      const invoices = await store.db.selectFrom('invoices').select(['seq', 'number', 'gross_cents', 'net_cents', 'vat_cents']).orderBy('seq').execute();
      assert.deepEqual(invoices.map((i) => i.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'invoice numbers have no gaps and no duplicates');
      const regular = invoices.find((i) => i.gross_cents === 999)!;
      assert.equal(regular.net_cents + regular.vat_cents, 999);
      assert.equal(regular.vat_cents, 65);
      const subs = await store.db.selectFrom('subscriptions').select(['state', 'periods_paid']).execute();
      assert.ok(subs.every((s) => s.state === 'active' && s.periods_paid === 2));
    } finally { await store.close(); }
  });

  test(`[${engine}] a billing run that breaks off halfway leaves nothing half-written, and the next run collects every debit once`, async () => {
    const store = await openTestStore(engine);
    try {
      const t = await testBilling(store);
      for (let i = 0; i < 3; i++) await order(t, await testReader(store));
      // the mandates cannot be opened with another key: the run breaks off while building the file
      await assert.rejects(runBilling({ ...t.ctx, paymentKey: randomBytes(32) }));
      assert.equal((await store.db.selectFrom('sepa_batches').select('id').execute()).length, 0);
      assert.equal((await store.db.selectFrom('invoices').select('id').execute()).length, 0);
      assert.ok((await store.db.selectFrom('charges').select('state').execute()).every((c) => c.state === 'pending'));
      assert.deepEqual(fs.readdirSync(t.ctx.sepaDir), []);
      const again = await runBilling(t.ctx);
      assert.equal(again.batch?.count, 3);
      assert.deepEqual((await store.db.selectFrom('invoices').select('seq').orderBy('seq').execute()).map((r) => r.seq), [1, 2, 3]);
      assert.equal((await runBilling(t.ctx)).batch, null);
    } finally { await store.close(); }
  });

  test(`[${engine}] a returned debit puts the contract into dunning; after three attempts over 14 days it ends and the paywall closes`, async () => {
    const store = await openTestStore(engine);
    try {
      const t = await testBilling(store);
      const reader = await testReader(store);
      const { subscription } = await order(t, reader);
      const run = await runBilling(t.ctx);
      assert.ok(run.batch);
      const bankReturns = (endToEndId: string) => fs.readFileSync(new URL('./sepa/fixtures/camt.054.001.02-returns.xml', import.meta.url), 'utf8')
        .replace('<EndToEndId>KT-2025-06-1</EndToEndId>', `<EndToEndId>${endToEndId}</EndToEndId>`);
      const charge = await store.db.selectFrom('charges').selectAll().executeTakeFirstOrThrow();
      const report = await applyReturnsFile(t.ctx, bankReturns(charge.end_to_end_id));
      assert.equal(report.applied.length, 1);
      assert.equal((await applyReturnsFile(t.ctx, bankReturns(charge.end_to_end_id))).alreadyKnown, 1, 'the same file twice books the return once');
      const state = async () => store.db.selectFrom('subscriptions').selectAll().where('id', '=', subscription.id).executeTakeFirstOrThrow();
      assert.equal((await state()).state, 'past_due');
      assert.equal(await hasActiveSubscription(store.db, reader.id, t.clock.now), true, 'grace: still reading for a few days');
      await assert.rejects(applyReturnsFile(t.ctx, '<kein xml'), (e: unknown) => e instanceof DomainError && e.code === 'invalid-input');
      // the bank returns every re-presented debit: three attempts over 14 days, then the contract ends
      for (let day = 0; day <= 16 && (await state()).state !== 'ended'; day++) {
        await runBilling(t.ctx);
        const again = await store.db.selectFrom('charges').selectAll().where('subscription_id', '=', subscription.id).where('state', '=', 'submitted').execute();
        for (const c of again) await applyReturnsFile(t.ctx, bankReturns(c.end_to_end_id));
        t.clock.advanceDays(1);
      }
      const ended = await state();
      assert.equal(ended.state, 'ended');
      assert.equal(ended.end_reason, 'unpaid');
      assert.equal(await hasActiveSubscription(store.db, reader.id, t.clock.now), false);
      const history = await store.db.selectFrom('subscription_events').select(['event', 'to_state', 'actor']).where('subscription_id', '=', subscription.id).orderBy('seq').execute();
      assert.equal(history.filter((h) => h.event === 'dunning-step').length, 3);
      assert.ok(t.mails.filter((m) => /Zahlungserinnerung/.test(m.subject)).length >= 3);
      assert.ok(t.mails.some((m) => /ist beendet/.test(m.subject)));
    } finally { await store.close(); }
  });
}
