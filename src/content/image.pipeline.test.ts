// The image pipeline: type by content, every width in every format, never enlarged, oriented, no EXIF/GPS left; the gate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { DomainError } from '../domain-error.ts';
import { checkSource, encodeVariants, ImageWorkGate, MAX_SOURCE_BYTES, sniffImageType } from './image.pipeline.ts';
import { imageWidths } from './image-variants.ts';
import { jpegWithGps } from './content.fixtures.ts';

const photo = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#3a6ea5' } });

const rejectsWith = async (p: Promise<unknown>, code: string) =>
  assert.rejects(p, (e: unknown) => e instanceof DomainError && e.code === code && e.field === 'file' && /[äöüß]|Bild|Datei/.test(e.message));

test('the type is read from the content, not from a name', async () => {
  assert.equal(sniffImageType(await photo(10, 10).jpeg().toBuffer()), 'image/jpeg');
  assert.equal(sniffImageType(await photo(10, 10).png().toBuffer()), 'image/png');
  assert.equal(sniffImageType(await photo(10, 10).webp().toBuffer()), 'image/webp');
  assert.equal(sniffImageType(await photo(10, 10).gif().toBuffer()), undefined);
  assert.equal(sniffImageType(Buffer.from('%PDF-1.7\n1 0 obj')), undefined);
  assert.equal(sniffImageType(Buffer.from('Hallo, ich bin ein Text.')), undefined);
});

test('text, GIF, PDF, an empty and a broken file are refused as unsupported (415)', async () => {
  await rejectsWith(checkSource(Buffer.from('Hallo, ich bin ein Text und heiße bild.png')), 'unsupported-type');
  await rejectsWith(checkSource(await photo(20, 20).gif().toBuffer()), 'unsupported-type');
  await rejectsWith(checkSource(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj << /Type /Catalog >> endobj\n')), 'unsupported-type');
  await rejectsWith(checkSource(Buffer.alloc(0)), 'unsupported-type');
  const jpeg = await photo(200, 200).jpeg().toBuffer();
  await rejectsWith(checkSource(jpeg.subarray(0, 40)), 'unsupported-type');
});

test('a file over 20 MB is refused as too large (413) before it is decoded', async () => {
  const big = Buffer.alloc(MAX_SOURCE_BYTES + 1);
  big.set([0xff, 0xd8, 0xff], 0);
  await rejectsWith(checkSource(big), 'too-large');
});

test('a JPEG becomes every width in AVIF, WebP and JPEG, each really in its format', async () => {
  const out = await encodeVariants(await photo(2000, 1500).jpeg().toBuffer());
  assert.deepEqual([out.width, out.height], [1600, 1200]);
  assert.deepEqual(imageWidths(out.width), [480, 800, 1200, 1600]);
  assert.equal(out.variants.length, 12);
  for (const v of out.variants) {
    const m = await sharp(v.data).metadata();
    assert.equal(m.format, { avif: 'heif', webp: 'webp', jpg: 'jpeg' }[v.format], `${v.format} ${v.width}`);
    assert.equal(m.width, v.width);
    assert.equal(m.height, Math.round((v.width * 1500) / 2000));
    if (v.format === 'avif') assert.equal(m.compression, 'av1');
  }
});

test('a small picture is never enlarged: its own width is the largest variant', async () => {
  const out = await encodeVariants(await photo(1000, 500).png().toBuffer());
  assert.deepEqual([...new Set(out.variants.map((v) => v.width))].sort((a, b) => a - b), [480, 800, 1000]);
  const tiny = await encodeVariants(await photo(300, 200).webp().toBuffer());
  assert.deepEqual(tiny.variants.map((v) => v.width), [300, 300, 300]);
  for (const v of tiny.variants) assert.equal((await sharp(v.data).metadata()).width, 300);
});

test('EXIF and GPS are gone from every variant, and the orientation is applied', async () => {
  const src = await jpegWithGps(600, 400);
  const meta = await sharp(src).metadata();
  assert.ok(meta.exif && meta.exif.includes(Buffer.from('Geheime Quelle')), 'the source has EXIF');
  assert.ok(meta.exif.includes(Buffer.from([0x88, 0x25])) || meta.exif.includes(Buffer.from([0x25, 0x88])), 'the source has a GPS block');
  assert.equal(meta.orientation, 6);
  const out = await encodeVariants(src);
  assert.deepEqual([out.width, out.height], [400, 600], 'turned upright');
  for (const v of out.variants) {
    const m = await sharp(v.data).metadata();
    assert.equal(m.exif, undefined, `${v.format} ${v.width} has no EXIF`);
    assert.equal(m.xmp, undefined);
    assert.ok(!v.data.includes(Buffer.from('Geheime Quelle')));
    assert.ok(m.orientation === undefined || m.orientation === 1);
    assert.deepEqual([m.width, m.height], [400, 600]);
  }
});

test('transparent parts become white in the JPEG, stay transparent in WebP', async () => {
  const png = await sharp({ create: { width: 100, height: 100, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
  const out = await encodeVariants(png);
  const jpg = out.variants.find((v) => v.format === 'jpg')!;
  const { data } = await sharp(jpg.data).raw().toBuffer({ resolveWithObject: true });
  assert.ok(data[0]! > 240 && data[1]! > 240 && data[2]! > 240, 'white, not black');
  assert.equal((await sharp(out.variants.find((v) => v.format === 'webp')!.data).metadata()).hasAlpha, true);
});

test('the gate runs one image at a time, in order, and refuses a full queue', async () => {
  const gate = new ImageWorkGate(1, 2);
  const order: string[] = [];
  const release: Record<string, () => void> = {};
  const job = (name: string) => gate.run(() => new Promise<void>((resolve) => { order.push(`start ${name}`); release[name] = () => { order.push(`end ${name}`); resolve(); }; }));
  const a = job('a');
  const b = job('b');
  const c = job('c');
  await assert.rejects(job('d'), (e: unknown) => e instanceof DomainError && e.code === 'busy');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, ['start a']);
  assert.equal(gate.queued, 2);
  release.a!(); await a;
  await new Promise((r) => setImmediate(r));
  release.b!(); await b;
  await new Promise((r) => setImmediate(r));
  release.c!(); await c;
  assert.deepEqual(order, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  assert.equal(gate.running, 0);
});
