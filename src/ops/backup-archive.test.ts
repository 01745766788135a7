// A backup file is input like any other: an entry that would land outside the restore directory is refused on read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BadArchiveError, listArchive } from './backup-archive.ts';

/** One ustar entry written by hand (what a hostile or foreign tool could put in a file), then the end blocks. */
function tarWith(name: string, data: string, type = '0'): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000600\0', 100, 'ascii');
  h.write('0000000\0', 108, 'ascii');
  h.write('0000000\0', 116, 'ascii');
  h.write(Buffer.byteLength(data).toString(8).padStart(11, '0') + '\0', 124, 'ascii');
  h.write('00000000000\0', 136, 'ascii');
  h.write(type, 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.fill(' ', 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  const body = Buffer.alloc(Math.ceil(Buffer.byteLength(data) / 512) * 512);
  body.write(data, 'utf8');
  return Buffer.concat([h, body, Buffer.alloc(1024)]);
}

test('entries named outside the backup (.., absolute, links) are refused; a plain entry is listed', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-archive-'));
  try {
    const file = path.join(dir, 'b.tar');
    await fs.writeFile(file, tarWith('images/a.jpg', 'x'));
    assert.deepEqual((await listArchive(file)).map((e) => e.name), ['images/a.jpg']);
    for (const [name, type] of [['../evil.sh', '0'], ['images/../../evil', '0'], ['/etc/passwd', '0'], ['./x', '0'], ['images/link', '2']] as const) {
      await fs.writeFile(file, tarWith(name, 'payload', type));
      await assert.rejects(listArchive(file), BadArchiveError, name);
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
