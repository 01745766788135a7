// Which files an image has: the responsive widths and formats, derived from its width alone so pages can name them
// without asking the database (decision 019).

/** Widths made for every image, never larger than the source; the image's own width (at most the last) is added. */
export const RESPONSIVE_WIDTHS = [480, 800, 1200, 1600] as const;
export const MAX_IMAGE_WIDTH: number = RESPONSIVE_WIDTHS[RESPONSIVE_WIDTHS.length - 1]!;

/** File extensions of the variants, best compression first: what <picture> offers in this order. */
export const IMAGE_FORMATS = ['avif', 'webp', 'jpg'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

export const IMAGE_CONTENT_TYPES: Readonly<Record<ImageFormat, string>> = { avif: 'image/avif', webp: 'image/webp', jpg: 'image/jpeg' };

/** Images from before the media library: JPEG 640 and 1200 only (the 1200 file is at most that wide). */
export const LEGACY_WIDTHS = [640, 1200] as const;

/**
 * The widths an image of this (stored) width has in every format, ascending. The stored width is the largest
 * variant: a 1000 px photo has 480, 800 and 1000; a 4000 px one 480, 800, 1200 and 1600.
 */
export function imageWidths(width: number): number[] {
  const top = Math.max(1, Math.min(Math.round(width), MAX_IMAGE_WIDTH));
  return [...RESPONSIVE_WIDTHS.filter((w) => w < top), top];
}

/** The largest of the image's widths not above `target` (the smallest if all are). */
export function widthAtMost(width: number, target: number): number {
  const widths = imageWidths(width);
  return widths.filter((w) => w <= target).pop() ?? widths[0]!;
}

/** The file name of one variant: `<id>-<width>.<ext>` (also the name under /bilder/). */
export const variantFileName = (imageId: string, width: number, format: ImageFormat): string => `${imageId}-${width}.${format}`;

/** What /bilder/ accepts: an id of the characters newId() uses, a width, a known extension. Nothing else reaches the disk. */
export const VARIANT_FILE_NAME = /^([A-Za-z0-9_-]{8,32})-(\d{2,4})\.(avif|webp|jpg)$/;

export function parseVariantFileName(name: string): { imageId: string; width: number; format: ImageFormat } | undefined {
  const m = VARIANT_FILE_NAME.exec(name);
  return m ? { imageId: m[1]!, width: Number(m[2]), format: m[3] as ImageFormat } : undefined;
}

/** The variants column: extension → widths on disk. */
export type VariantSet = Partial<Record<ImageFormat, number[]>>;

export function parseVariantSet(json: string): VariantSet {
  try {
    const v = JSON.parse(json) as unknown;
    if (typeof v !== 'object' || v === null) return {};
    const out: VariantSet = {};
    for (const f of IMAGE_FORMATS) {
      const list = (v as Record<string, unknown>)[f];
      if (Array.isArray(list)) out[f] = list.filter((w): w is number => Number.isInteger(w));
    }
    return out;
  } catch {
    return {};
  }
}

/** Whether every file pages name for an image of this width is recorded. */
export function isComplete(set: VariantSet, width: number): boolean {
  const widths = imageWidths(width);
  return IMAGE_FORMATS.every((f) => widths.every((w) => set[f]?.includes(w)));
}
