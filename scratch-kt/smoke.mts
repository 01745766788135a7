import { createTestApp } from '/work/main/src/testing/test-app.ts';
import { seedDemo } from '/work/main/src/cli/seed.ts';
const t = await createTestApp('sqlite');
await seedDemo(t.store, t.config);
const r = await t.app.request('/artikel/digitalbuero-im-rathaus');
const html = await r.text();
console.log(r.status, r.headers.get('cache-control'));
const i = html.indexOf('id="premium"');
console.log(html.slice(i - 20, i + 2500));
const id = /data-article-id="([^"]+)"/.exec(html)![1]; const kid = /data-key-id="([^"]+)"/.exec(html)![1];
const u = await t.app.request(`/api/unlock/${id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-klartext-csrf': '1' }, body: JSON.stringify({ keyId: kid }) });
console.log(u.status, u.headers.get('cache-control'), await u.text());
for (const p of ['/abo', '/suche?q=rathaus', '/artikel/digitalbuero-im-rathaus/klartext']) { const x = await t.app.request(p); console.log(p, x.status, x.headers.get('cache-control'), x.headers.get('x-robots-tag'), (await x.text()).length); }
await t.close();
