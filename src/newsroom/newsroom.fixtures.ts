// For tests: a store with the content fixture imported (sections, authors, images) and staff of every role.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { newId, nowIso, type Database } from '../db/index.ts';
import { importDocument, parseInterchange } from '../content/index.ts';
import { fixtureDir } from '../content/content.fixtures.ts';
import type { Role } from '../accounts/index.ts';
import type { DraftDocument } from './draft-document.ts';
import type { Staff } from './newsroom.types.ts';

/** A staff member written straight into users (no password: these tests never log in). */
export async function makeStaff(db: Kysely<Database>, role: Role, displayName = `${role[0]!.toUpperCase()}${role.slice(1)} Test`): Promise<Staff> {
  const id = newId();
  const now = nowIso();
  await db.insertInto('users').values({
    id, email: `${role}-${id}@example.de`, password_hash: 'x', role, display_name: displayName, email_verified_at: now,
    newsletter_opt_in: 0, terms_accepted_at: now, privacy_accepted_at: now, created_at: now, updated_at: now,
  }).execute();
  return { id, role, displayName };
}

/** Imports the content fixture (sections stadt/kultur/sport, authors ina-beispiel/ole-muster, two images); returns the image ids. */
export async function importFixture(db: Kysely<Database>, now = new Date()): Promise<{ imageIds: string[]; dataDir: string }> {
  const fixture = await fixtureDir();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-newsroom-'));
  await importDocument(db, parseInterchange(await fs.readFile(fixture.file, 'utf8')), { baseDir: fixture.dir, dataDir, now: () => now });
  const imageIds = (await db.selectFrom('images').select('id').orderBy('id').execute()).map((r) => r.id);
  return { imageIds, dataDir };
}

/** A complete Plus interview as the editor would send it. */
export function completeDoc(imageId: string, over: Partial<DraftDocument> = {}): DraftDocument {
  return {
    slug: 'interview-mit-der-kaemmerin', kicker: 'Interview', headline: 'Wir müssen jetzt sparen', teaser: 'Die Kämmerin über das Loch in der Kasse.',
    section: 'stadt', authors: ['ina-beispiel'], access: 'plus', paywallAfter: 1, seoTitle: 'Kämmerin: Wir müssen sparen', seoDescription: 'Ein Gespräch über den Haushalt.',
    image: { imageId, caption: 'Die Kämmerin im Rathaus', credit: 'Foto: Test' }, speakers: ['Klartext', 'Kämmerin'],
    blocks: [
      { type: 'paragraph', text: 'Die Kämmerin empfängt uns im **Rathaus**.' },
      { type: 'question', text: 'Wie groß ist das Loch?' },
      { type: 'answer', speaker: 'Kämmerin', text: 'Größer als gedacht: Zwergflusspferd-Etat um dreizehn Prozent gekürzt.' },
      { type: 'image', imageId, caption: 'Das Rathaus', credit: 'Foto: Test' },
    ],
    ...over,
  };
}
