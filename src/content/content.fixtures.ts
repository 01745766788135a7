// Small interchange documents and images for tests, made by the same import path the demo uses.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { InterchangeDocument } from './interchange.schema.ts';

export const PREMIUM_SENTENCES = [
  'Die Kämmerin rechnet mit einem Fehlbetrag von genau 417.000 Euro im zweiten Quartal.',
  'Nach Angaben des Bauamts soll die Brücke über den Mühlgraben erst im Frühjahr 2028 wieder befahrbar sein.',
  'Zwei Fraktionen wollen den Antrag zur Parkraumbewirtschaftung in der Dezembersitzung erneut einbringen.',
];

export async function writeFixtureImages(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  for (const [name, color] of [['lead.jpg', '#3a6ea5'], ['inline.jpg', '#c0504d']] as const) {
    await sharp({ create: { width: 1600, height: 900, channels: 3, background: color } }).jpeg().toFile(path.join(dir, name));
  }
}

/** A camera JPEG for tests: EXIF with a copyright and a GPS position, turned 90° by its orientation tag. */
export async function jpegWithGps(width = 600, height = 400, color = '#3a6ea5'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } })
    .withExif({ IFD0: { Copyright: 'Geheime Quelle' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '52/1 31/1 12/1', GPSLongitudeRef: 'E', GPSLongitude: '13/1 24/1 0/1' } })
    .withMetadata({ orientation: 6 })
    .jpeg().toBuffer();
}

export function fixtureDocument(now = new Date()): InterchangeDocument {
  const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * 3600_000).toISOString();
  return {
    articles: [
      {
        slug: 'haushalt-in-not', section: 'stadt', kicker: 'Finanzen', headline: 'Der Haushalt gerät ins Wanken',
        teaser: 'Die Stadt muss sparen, doch wo genau, ist umstritten.', access: 'plus', paywallAfter: 1, publishedAt: at(2),
        authors: ['Ina Beispiel'], image: { src: 'lead.jpg', caption: 'Das Rathaus am Markt', credit: 'Foto: Test' },
        blocks: [
          { type: 'paragraph', text: 'Im Rathaus wird seit Wochen über den Haushalt gestritten, *heftig* und öffentlich.' },
          { type: 'paragraph', text: PREMIUM_SENTENCES[0]! },
          { type: 'subheading', text: 'Ein Loch in der Kasse' },
          { type: 'quote', text: PREMIUM_SENTENCES[1]!, by: 'Bauamtsleiterin' },
          { type: 'image', src: 'inline.jpg', caption: 'Die gesperrte Brücke', credit: 'Foto: Test' },
          { type: 'answer', speaker: 'Meier', text: PREMIUM_SENTENCES[2]! },
        ],
      },
      {
        slug: 'stadtfest-am-wochenende', section: 'kultur', kicker: '', headline: 'Stadtfest am Wochenende',
        teaser: 'Drei Bühnen, viele Stände.', access: 'free', publishedAt: at(30), authors: ['Ina Beispiel', 'Ole Muster'],
        blocks: [{ type: 'paragraph', text: 'Das Stadtfest beginnt am Freitag um 18 Uhr mit einem [Umzug](https://example.org/umzug).' }],
      },
      {
        slug: 'vereinsheim-eroeffnet', section: 'sport', kicker: 'Verein', headline: 'Neues Vereinsheim eröffnet',
        teaser: 'Nach zwei Jahren Bauzeit ist es fertig.', access: 'registered', paywallAfter: 1, publishedAt: at(80), authors: [],
        blocks: [
          { type: 'paragraph', text: 'Der Vorstand schnitt das Band am Samstagmittag durch.' },
          { type: 'paragraph', text: 'Für die Mitglieder gibt es ab sofort einen eigenen Kraftraum mit zwölf Geräten im Keller.' },
        ],
      },
    ],
  };
}

/** A temp folder with the fixture document as JSON and its images beside it. */
export async function fixtureDir(doc: unknown = fixtureDocument()): Promise<{ dir: string; file: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-fixture-'));
  await writeFixtureImages(dir);
  const file = path.join(dir, 'articles.json');
  await fs.writeFile(file, JSON.stringify(doc));
  return { dir, file };
}
