// `klartext billing run|returns`: a run for a given day writes the pain.008 file; a returns file books returns once, a broken one nothing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './main.ts';
import { endOfBerlinDay } from './billing.command.ts';
import { captureIo as io } from '../testing/cli-io.ts';
import { loadConfig } from '../config.ts';
import { connect, migrate, newId } from '../db/index.ts';
import { outboxMailer } from '../mail/index.ts';
import { berlinMidnight, createBillingContext, sealPaymentData } from '../billing/index.ts';
import { newSubscriptionRow } from '../billing/subscription.store.ts';

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-cli-billing-'));
after(() => fs.rm(dir, { recursive: true, force: true }));
const env = { KLARTEXT_DATA_DIR: dir };

/** One monthly SEPA contract whose period ends at midnight starting 1 December 2026, with a used mandate. */
async function seedDueContract(): Promise<void> {
  const store = connect({ dataDir: dir });
  try {
    await migrate(store);
    const ctx = createBillingContext({ config: loadConfig(env), store, mailer: outboxMailer(store.db), clock: () => new Date(), siteName: 'Klartext', baseUrl: 'http://localhost:3000' });
    const id = newId();
    const created = berlinMidnight('2026-09-01').toISOString();
    await store.db.insertInto('subscriptions').values(newSubscriptionRow({
      id, number: 'KT-TEST-CLI1', user_id: null, kind: 'paid', provider: 'sepa', state: 'active', starts_at: created, offer_name: 'Plus Digital',
      price_cents: 999, period: 'month', periods_paid: 3, current_period_start: berlinMidnight('2026-11-01').toISOString(),
      current_period_end: berlinMidnight('2026-12-01').toISOString(), access_until: berlinMidnight('2026-12-01').toISOString(),
      holder_name: 'Erika Mustermann', buyer_email: 'erika@example.de', created_at: created, updated_at: created,
    })).execute();
    await store.db.insertInto('sepa_mandates').values({
      id: newId(), subscription_id: id, reference: 'KT-TEST-CLI1-M1', holder_sealed: sealPaymentData('Erika Mustermann', ctx.paymentKey, 'holder'),
      iban_sealed: sealPaymentData('DE89370400440532013000', ctx.paymentKey, 'iban'), iban_masked: 'DE89 **** 3000', bic: null, signed_on: '2026-09-01',
      first_collected_at: created, revoked_at: null, created_at: created,
    }).execute();
  } finally {
    await store.close();
  }
}

async function chargeState(): Promise<{ state: string; end_to_end_id: string; sub_state: string }> {
  const store = connect({ dataDir: dir });
  try {
    return await store.db.selectFrom('charges').innerJoin('subscriptions', 'subscriptions.id', 'charges.subscription_id')
      .select(['charges.state', 'charges.end_to_end_id', 'subscriptions.state as sub_state']).executeTakeFirstOrThrow();
  } finally {
    await store.close();
  }
}

const rejects = (endToEndId: string) => `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
<GrpHdr><MsgId>BANK-1</MsgId><CreDtTm>2026-12-03T08:00:00</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>KT1</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.08</OrgnlMsgNmId></OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>KT1-RCUR</OrgnlPmtInfId><TxInfAndSts><OrgnlEndToEndId>${endToEndId}</OrgnlEndToEndId><TxSts>RJCT</TxSts>
<StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf></TxInfAndSts></OrgnlPmtInfAndSts>
</CstmrPmtStsRpt></Document>`;

test('the end of a Berlin day is one millisecond before the next midnight there', () => {
  assert.equal(endOfBerlinDay('2026-12-01').toISOString(), '2026-12-01T22:59:59.999Z');
  assert.equal(endOfBerlinDay('2026-07-01').toISOString(), '2026-07-01T21:59:59.999Z');
});

test('billing run --date renews the due contract and writes the pain.008 file; returns books a rejection once; a broken file changes nothing', async () => {
  await seedDueContract();
  const early = io();
  assert.equal(await runCli(['billing', 'run', '--date', '2026-11-29'], early, env), 0, early.stderr.join('\n'));
  assert.match(early.stdout.join('\n'), /verlängert: 0/);
  assert.match(early.stdout.join('\n'), /Keine Lastschriften fällig/);

  const run = io();
  assert.equal(await runCli(['billing', 'run', '--date', '2026-12-01'], run, env), 0, run.stderr.join('\n'));
  const out = run.stdout.join('\n');
  assert.match(out, /Abrechnungslauf zum 01\.12\.2026, 23:59:59 Uhr$/m);
  assert.match(out, /verlängert: 1/);
  assert.match(out, /Lastschriften: 1 über 9,99\s€, Rechnungen: 1/);
  const file = /pain\.008-Datei: (.+)$/m.exec(out)?.[1];
  assert.ok(file && existsSync(file), out);
  const charge = await chargeState();
  assert.equal(charge.state, 'submitted');
  assert.ok((await fs.readFile(file, 'utf8')).includes(`<EndToEndId>${charge.end_to_end_id}</EndToEndId>`));

  const broken = path.join(dir, 'kaputt.xml');
  await fs.writeFile(broken, '<Document><nicht-zu');
  const b = io();
  assert.equal(await runCli(['billing', 'returns', broken], b, env), 1);
  assert.match(b.stderr.join('\n'), /kein gültiges XML/);
  assert.equal((await chargeState()).state, 'submitted');

  const good = path.join(dir, 'pain002.xml');
  await fs.writeFile(good, rejects(charge.end_to_end_id));
  const r = io();
  assert.equal(await runCli(['billing', 'returns', good], r, env), 0, r.stderr.join('\n'));
  assert.match(r.stdout.join('\n'), /Rücklastschriften gebucht: 1, bereits bekannt: 0, nicht zugeordnet: 0/);
  assert.match(r.stdout.join('\n'), /KT-TEST-CLI1 .*AC04/);
  const after1 = await chargeState();
  assert.equal(after1.state, 'returned');
  assert.equal(after1.sub_state, 'past_due');
  const again = io();
  assert.equal(await runCli(['billing', 'returns', good], again, env), 0);
  assert.match(again.stdout.join('\n'), /gebucht: 0, bereits bekannt: 1/);
});

test('bad dates, missing files and unknown subcommands are usage errors', async () => {
  const cases: [string[], RegExp][] = [
    [['billing', 'run', '--date', '2026-02-30'], /--date muss ein Datum JJJJ-MM-TT sein, nicht „2026-02-30“/],
    [['billing', 'run', '--datum', '2026-02-01'], /unbekannte Option --datum/],
    [['billing', 'returns'], /Datei fehlt/],
    [['billing', 'returns', path.join(dir, 'fehlt.xml')], /Datei nicht gefunden/],
    [['billing', 'abrechnen'], /unbekannter Unterbefehl „abrechnen“/],
  ];
  for (const [argv, message] of cases) {
    const t = io();
    assert.equal(await runCli(argv, t, env), 2, argv.join(' '));
    assert.match(t.stderr.join('\n'), message, argv.join(' '));
  }
});
