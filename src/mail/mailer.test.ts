// The SMTP adapter against a real in-process SMTP server, and the outbox adapter on every engine.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { smtpMailer, outboxMailer, listOutbox, verifyEmailMail, resetPasswordMail, confirmNewEmailMail } from './index.ts';
import { startSmtpReceiver, textPart } from '../testing/smtp-receiver.ts';
import { openTestStore, testEngines } from '../db/test-stores.ts';

const ctx = { siteName: 'Brackenauer Kreisbote', baseUrl: 'https://zeitung.example' };

test('smtpMailer delivers a German text+HTML mail through a real SMTP server', async () => {
  const smtp = await startSmtpReceiver();
  after(() => smtp.close());
  const mailer = smtpMailer(smtp.url, 'Kreisbote <redaktion@zeitung.example>');
  await mailer.send(verifyEmailMail(ctx, 'leserin@example.de', 'TOKEN123'));
  const got = await smtp.waitFor((m) => m.to.includes('leserin@example.de'));
  assert.equal(got.from, 'redaktion@zeitung.example');
  assert.match(got.raw, /Content-Type: text\/plain/i);
  assert.match(got.raw, /Content-Type: text\/html/i);
  const text = textPart(got.raw);
  assert.match(text, /Bitte bestätigen Sie/);
  assert.match(text, /https:\/\/zeitung\.example\/registrieren\/bestaetigen\?token=TOKEN123/);
});

test('smtpMailer fails loudly when the server is not reachable', async () => {
  const smtp = await startSmtpReceiver();
  const url = smtp.url;
  await smtp.close();
  await assert.rejects(smtpMailer(url, 'x@zeitung.example').send(verifyEmailMail(ctx, 'a@example.de', 't')));
});

test('mail templates escape what they are given in HTML', () => {
  const m = verifyEmailMail({ siteName: '<b>Zeitung</b>', baseUrl: 'https://z.example' }, 'a@example.de', 't"x');
  assert.doesNotMatch(m.html, /<b>Zeitung<\/b>/);
  assert.match(m.html, /&lt;b&gt;Zeitung/);
  assert.match(m.html, /token=t%22x/);
});

for (const engine of testEngines()) {
  test(`[${engine}] the outbox stores every token mail without its token unless told to keep it (development)`, async () => {
    const store = await openTestStore(engine);
    try {
      const ctx = { siteName: 'Zeitung', baseUrl: 'https://z.example' };
      const token = 'Tok3n_abcdefghijklmnopqrstuvwxyz0123456789AB';
      await outboxMailer(store.db).send(verifyEmailMail(ctx, 'a@example.de', token));
      await outboxMailer(store.db).send(resetPasswordMail(ctx, 'a@example.de', token));
      await outboxMailer(store.db).send(confirmNewEmailMail(ctx, 'a@example.de', token));
      const rows = await store.db.selectFrom('mail_outbox').selectAll().execute();
      assert.equal(rows.length, 3);
      for (const r of rows) {
        assert.ok(!(r.text_body + r.html_body).includes(token), r.subject);
        assert.match(r.text_body, /token=ENTFERNT/);
      }
      await outboxMailer(store.db, { keepSecrets: true }).send(resetPasswordMail(ctx, 'b@example.de', token));
      const kept = await store.db.selectFrom('mail_outbox').select('text_body').where('recipient', '=', 'b@example.de').executeTakeFirstOrThrow();
      assert.ok(kept.text_body.includes(token));
    } finally {
      await store.close();
    }
  });

  test(`[${engine}] outboxMailer writes mails that listOutbox returns newest first`, async () => {
    const store = await openTestStore(engine);
    try {
      let clock = new Date('2026-03-02T10:00:00.000Z');
      const mailer = outboxMailer(store.db, { now: () => clock });
      assert.equal(mailer.kind, 'outbox');
      await mailer.send({ to: 'a@example.de', subject: 'Eins', text: 'erste', html: '<p>erste</p>' });
      clock = new Date('2026-03-02T10:05:00.000Z');
      await mailer.send({ to: 'b@example.de', subject: 'Zwei', text: 'zweite', html: '<p>zweite</p>' });
      // Written last but dated earliest: the order comes from created_at, not from the order of insertion.
      clock = new Date('2026-03-02T09:00:00.000Z');
      await mailer.send({ to: 'c@example.de', subject: 'Null', text: 'nullte', html: '<p>nullte</p>' });
      const mails = await listOutbox(store.db);
      assert.deepEqual(mails.map((m) => m.subject), ['Zwei', 'Eins', 'Null']);
      assert.equal(mails[1]!.to, 'a@example.de');
      assert.equal(mails[0]!.createdAt, '2026-03-02T10:05:00.000Z');
    } finally {
      await store.close();
    }
  });
}
