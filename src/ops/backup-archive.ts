// The backup file: a plain POSIX tar (ustar) of regular files, written and read here so restore checks every name and size itself.
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Readable, Writable } from 'node:stream';

const BLOCK = 512;
const ZERO = Buffer.alloc(BLOCK);

/** Names inside a backup: relative, `/`-separated, plain characters, no `.`/`..` parts; anything else is refused on read. */
export const SAFE_ENTRY_NAME = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, size: number, mtime: Date): Buffer {
  if (!SAFE_ENTRY_NAME.test(name) || Buffer.byteLength(name) > 255) throw new Error(`cannot store ${name} in a backup`);
  const h = Buffer.alloc(BLOCK);
  let prefix = '';
  let base = name;
  if (name.length > 100) {
    const cut = name.lastIndexOf('/', 155);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
    if (cut <= 0 || Buffer.byteLength(base) > 100 || Buffer.byteLength(prefix) > 155) throw new Error(`the name ${name} is too long for a backup entry`);
  }
  h.write(base, 0, 100, 'utf8');
  h.write(octal(0o600, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(octal(sum, 7) + ' ', 148, 'ascii');
  return h;
}

/** Appends entries to a file opened by the caller (mode 0600). */
export class ArchiveWriter {
  private position = 0;
  constructor(private readonly file: fs.FileHandle) {}

  private async write(buffer: Buffer): Promise<void> {
    await this.file.write(buffer, 0, buffer.length, this.position);
    this.position += buffer.length;
  }

  async addBuffer(name: string, data: Buffer): Promise<void> {
    await this.write(header(name, data.length, new Date()));
    await this.write(data);
    await this.pad(data.length);
  }

  /** Streams a file in; its size is taken before and checked after, so a file that changes while copied is an error, not a torn entry. */
  async addFile(name: string, source: string): Promise<void> {
    const stat = await fs.stat(source);
    await this.write(header(name, stat.size, stat.mtime));
    if (stat.size === 0) return;
    let copied = 0;
    await pipeline(createReadStream(source, { start: 0, end: stat.size - 1 }), new Writable({
      write: (chunk: Buffer, _enc, done) => {
        copied += chunk.length;
        this.write(chunk).then(() => done(), done);
      },
    }));
    if (copied !== stat.size) throw new Error(`${source} changed while it was copied into the backup`);
    await this.pad(stat.size);
  }

  private async pad(size: number): Promise<void> {
    const rest = size % BLOCK;
    if (rest) await this.write(ZERO.subarray(0, BLOCK - rest));
  }

  async finish(): Promise<void> {
    await this.write(Buffer.concat([ZERO, ZERO]));
  }
}

export interface ArchiveEntry { name: string; offset: number; size: number }

export class BadArchiveError extends Error {}

/** Lists a backup's entries (name, where the data starts, size) without reading the data; refuses anything but safe regular files. */
export async function listArchive(file: string): Promise<ArchiveEntry[]> {
  const handle = await fs.open(file, 'r');
  try {
    const { size: total } = await handle.stat();
    const entries: ArchiveEntry[] = [];
    const h = Buffer.alloc(BLOCK);
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(h, 0, BLOCK, position);
      if (bytesRead < BLOCK) throw new BadArchiveError('ends in the middle (cut off?)');
      if (h.equals(ZERO)) return entries;
      const field = (start: number, length: number) => h.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
      const stored = parseInt(field(148, 8).trim(), 8);
      let sum = 0;
      for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
      if (field(257, 5) !== 'ustar' || stored !== sum) throw new BadArchiveError(entries.length ? `entry ${entries.length + 1} is damaged` : 'is not a Klartext backup (no tar archive)');
      const prefix = field(345, 155);
      const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
      const type = field(156, 1);
      const size = parseInt(field(124, 12).trim(), 8);
      if ((type !== '0' && type !== '') || !SAFE_ENTRY_NAME.test(name) || !Number.isSafeInteger(size) || size < 0) {
        throw new BadArchiveError(`holds an entry Klartext does not write (${JSON.stringify(name)})`);
      }
      const offset = position + BLOCK;
      if (offset + size > total) throw new BadArchiveError('ends in the middle (cut off?)');
      entries.push({ name, offset, size });
      position = offset + Math.ceil(size / BLOCK) * BLOCK;
    }
  } finally {
    await handle.close();
  }
}

/** The bytes of one entry as a stream. */
export function entryStream(file: string, entry: ArchiveEntry): NodeJS.ReadableStream {
  if (entry.size === 0) return Readable.from([]);
  return createReadStream(file, { start: entry.offset, end: entry.offset + entry.size - 1 });
}

export async function readEntry(file: string, entry: ArchiveEntry): Promise<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const data = Buffer.alloc(entry.size);
    await handle.read(data, 0, entry.size, entry.offset);
    return data;
  } finally {
    await handle.close();
  }
}
