// <picture> for a stored image: AVIF and WebP sources, a JPEG <img> with srcset as the fallback, the focal point as
// classes (the CSP allows no inline style) that the site's CSS turns into object-position where a crop happens.
import { IMAGE_CONTENT_TYPES, imageWidths, variantFileName, widthAtMost, type ImageFormat, type StoredImage } from '../../content/index.ts';

/** The URL of one variant under /bilder/. */
export const variantUrl = (imageId: string, width: number, format: ImageFormat): string => `/bilder/${variantFileName(imageId, width, format)}`;

/** A JPEG of the image at most `target` px wide (og:image, JSON-LD, feeds): JPEG because every consumer reads it. */
export const jpegUrl = (image: Pick<StoredImage, 'imageId' | 'width'>, target = 1200): string =>
  variantUrl(image.imageId, widthAtMost(image.width, target), 'jpg');

const srcset = (image: Pick<StoredImage, 'imageId' | 'width'>, format: ImageFormat): string =>
  imageWidths(image.width).map((w) => `${variantUrl(image.imageId, w, format)} ${w}w`).join(', ');

/** Focal point in steps of 5 %, as `focal-x-NN focal-y-NN` (site.css has a rule per step). */
export function focalClasses(focal: { x: number; y: number } | undefined): string | undefined {
  if (!focal) return undefined;
  const step = (v: number) => Math.round(Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0.5)) * 20) * 5;
  const x = step(focal.x);
  const y = step(focal.y);
  return x === 50 && y === 50 ? undefined : `focal-x-${x} focal-y-${y}`;
}

export function Picture({ image, sizes, eager, alt }: { image: StoredImage; sizes: string; eager?: boolean; alt?: string }) {
  return (
    <picture>
      <source type={IMAGE_CONTENT_TYPES.avif} srcset={srcset(image, 'avif')} sizes={sizes} />
      <source type={IMAGE_CONTENT_TYPES.webp} srcset={srcset(image, 'webp')} sizes={sizes} />
      <img
        src={jpegUrl(image, 800)}
        srcset={srcset(image, 'jpg')}
        sizes={sizes}
        width={image.width}
        height={image.height}
        alt={alt ?? image.caption}
        class={focalClasses(image.focal)}
        loading={eager ? 'eager' : 'lazy'}
        decoding="async"
      />
    </picture>
  );
}
