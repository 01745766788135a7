// Master key rotation without downtime: while `keys rotate` re-wraps, every process keeps unlocking; afterwards the old key can go; a wrong key is a clear error, never garbage.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { loadConfig, servingConfig } from '../src/config.ts';
import { testEngines } from '../src/db/test-stores.ts';
import { newId } from '../src/db/index.ts';
import { createApp, type KlartextApp } from '../src/web/app.tsx';
import { TEST_HASHING } from '../src/accounts/index.ts';
import { AccessError, singleKeyRing, unwrapContentKey, type MasterKeyRing } from '../src/access/index.ts';
import { openPaymentData, paymentDataKey, PaymentDataError, sealPaymentData } from '../src/billing/index.ts';
import { newSubscriptionRow } from '../src/billing/subscription.store.ts';
import { assertMasterKeysOpen, countNotUnderCurrentKey, rotateMasterKey } from '../src/ops/index.ts';
import { createPaywallTestApp, EXTRA_PLUS_SLUGS, PLUS_SLUG, type PaywallTestApp } from '../src/testing/paywall-fixtures.ts';
import { TestBrowser } from '../src/testing/test-browser.ts';

const OLD = randomBytes(32);
const NEW = randomBytes(32);
const WRONG = randomBytes(32);
const b64 = (k: Buffer) => k.toString('base64');
const IBAN = 'DE89370400440532013000';

for (const engine of testEngines()) {
  describe(`master key rotation (${engine})`, () => {
    let t: PaywallTestApp;
    let subscriber: TestBrowser;
    const articles: { id: string; keyId: string; key: string }[] = [];
    const apps: KlartextApp[] = [];

    /** Another server process on the same database, holding `keys` (KLARTEXT_MASTER_KEY, KLARTEXT_MASTER_KEY_PREVIOUS). */
    async function process(current: Buffer, previous: Buffer[] = []): Promise<KlartextApp> {
      const config = servingConfig(loadConfig({
        KLARTEXT_DATA_DIR: t.config.dataDir, KLARTEXT_MASTER_KEY: b64(current), LOG_LEVEL: 'silent',
        ...(previous.length ? { KLARTEXT_MASTER_KEY_PREVIOUS: previous.map(b64).join(',') } : {}),
      }));
      const k = createApp({ config, store: t.store, logger: pino({ level: 'silent' }), clientJs: '', passwordHashing: TEST_HASHING, now: () => t.clock.now });
      await k.ready;
      apps.push(k);
      return k;
    }

    /** The key each article's unlock hands the subscriber through `k` (a process that never unwrapped them before). */
    async function unlockAll(k: KlartextApp): Promise<string[]> {
      const browser = new TestBrowser(k.app);
      for (const [name, value] of subscriber.cookies) browser.cookies.set(name, value);
      const keys: string[] = [];
      for (const a of articles) {
        const res = await browser.request(`/api/unlock/${a.id}`, {
          method: 'POST', body: JSON.stringify({ keyId: a.keyId }),
          headers: { 'content-type': 'application/json', 'x-klartext-csrf': '1', origin: 'http://localhost', 'sec-fetch-site': 'same-origin' },
        });
        assert.equal(res.status, 200, `unlock of ${a.id}: ${res.text}`);
        keys.push((JSON.parse(res.text) as { key: string }).key);
      }
      return keys;
    }

    const wrapped = async () => (await t.store.db.selectFrom('content_keys').select(['id', 'wrapped_key']).orderBy('id').execute());
    const mandate = async () => t.store.db.selectFrom('sepa_mandates').select(['holder_sealed', 'iban_sealed']).executeTakeFirstOrThrow();

    before(async () => {
      t = await createPaywallTestApp(engine, { env: { KLARTEXT_MASTER_KEY: b64(OLD) } });
      subscriber = (await t.reader('subscriber')).browser;
      for (const slug of [PLUS_SLUG, ...EXTRA_PLUS_SLUGS]) {
        const page = await t.page(slug);
        articles.push({ id: page.articleId, keyId: page.keyId, key: '' });
      }
      const keys = await unlockAll(t.klartext);
      keys.forEach((key, i) => { articles[i]!.key = key; });
      const id = newId();
      const at = t.clock.now.toISOString();
      await t.store.db.insertInto('subscriptions').values(newSubscriptionRow({
        id, number: 'KT-ROT-1', user_id: null, kind: 'paid', provider: 'sepa', state: 'active', starts_at: at, offer_name: 'Plus Digital',
        price_cents: 999, period: 'month', periods_paid: 1, current_period_start: at, current_period_end: at, access_until: at,
        holder_name: 'Erika Mustermann', buyer_email: 'erika@example.de', created_at: at, updated_at: at,
      })).execute();
      const kek = paymentDataKey(OLD);
      await t.store.db.insertInto('sepa_mandates').values({
        id: newId(), subscription_id: id, reference: 'KT-ROT-1-M1', holder_sealed: sealPaymentData('Erika Mustermann', kek, 'holder'),
        iban_sealed: sealPaymentData(IBAN, kek, 'iban'), iban_masked: 'DE89 **** 3000', bic: null, signed_on: '2026-09-01', first_collected_at: null, revoked_at: null, created_at: at,
      }).execute();
    });
    after(async () => {
      for (const k of apps) await k.close();
      await t.close();
    });

    test('a wrong master key is refused with a clear error naming the variable, and changes nothing', async () => {
      const rows = await wrapped();
      assert.equal(rows.length, 4);
      const wrong = singleKeyRing(WRONG);
      await assert.rejects(assertMasterKeysOpen(t.store.db, wrong), /Kein gehaltener Master-Schlüssel \([0-9a-f]{16}\) öffnet die Inhaltsschlüssel dieser Datenbank: KLARTEXT_MASTER_KEY ist falsch/);
      await assert.rejects(rotateMasterKey(t.store.db, wrong), /KLARTEXT_MASTER_KEY ist falsch/);
      assert.deepEqual(await wrapped(), rows, 'nothing re-wrapped');
      assert.throws(() => unwrapContentKey(rows[0]!.wrapped_key, WRONG), (e: unknown) => e instanceof AccessError && /wrong master key or damaged data/.test(e.message));
      const sealed = await mandate();
      assert.throws(() => openPaymentData(sealed.iban_sealed, paymentDataKey(WRONG), 'iban'), /payment data \(iban\) could not be opened with any master key held: wrong KLARTEXT_MASTER_KEY/);
    });

    test('during the rotation every process unlocks every article with the same key; afterwards the new key alone opens everything', async () => {
      const ring: MasterKeyRing = { current: NEW, previous: [OLD] };
      const midway: string[][] = [];
      let batches = 0;
      const report = await rotateMasterKey(t.store.db, ring, {
        batchSize: 2,
        onBatch: async (table) => {
          batches++;
          if (table === 'content_keys' && batches === 1) {
            // half the keys wrapped under the new key, half under the old: a process holding both serves them all
            const rows = await wrapped();
            const underNew = rows.filter((r) => { try { unwrapContentKey(r.wrapped_key, NEW); return true; } catch { return false; } }).length;
            assert.equal(underNew, 2, 'midway: two of four re-wrapped');
            midway.push(await unlockAll(await process(NEW, [OLD])));
            midway.push(await unlockAll(await process(OLD, [NEW])));
          }
        },
      });
      assert.deepEqual(report, { contentKeys: { rewrapped: 4, current: 0 }, paymentData: { rewrapped: 1, current: 0 } });
      const before = articles.map((a) => a.key);
      assert.deepEqual(midway, [before, before], 'the same content keys, through both kinds of process, mid-rotation');
      assert.equal(await countNotUnderCurrentKey(t.store.db, singleKeyRing(NEW)), 0);
      // the old key can go: a process with the new key alone serves every article with the keys readers already have
      assert.deepEqual(await unlockAll(await process(NEW)), before);
      const sealed = await mandate();
      assert.equal(openPaymentData(sealed.iban_sealed, paymentDataKey(NEW), 'iban'), IBAN);
      assert.equal(openPaymentData(sealed.holder_sealed, paymentDataKey(NEW), 'holder'), 'Erika Mustermann');
      // and it really is gone from the data: the old key alone opens nothing
      for (const r of await wrapped()) assert.throws(() => unwrapContentKey(r.wrapped_key, OLD), AccessError);
      assert.throws(() => openPaymentData(sealed.iban_sealed, paymentDataKey(OLD), 'iban'), PaymentDataError);
      await assert.rejects(assertMasterKeysOpen(t.store.db, singleKeyRing(OLD)), /KLARTEXT_MASTER_KEY ist falsch, oder der alte Schlüssel fehlt in KLARTEXT_MASTER_KEY_PREVIOUS/);
      // a second run has nothing to do
      assert.deepEqual(await rotateMasterKey(t.store.db, ring), { contentKeys: { rewrapped: 0, current: 4 }, paymentData: { rewrapped: 0, current: 1 } });
    });
  });
}
