import type { Sharp, SharpOptions } from 'sharp';
import { HubError } from '../errors.js';

/** The longest side a kept photo is given (a phone's 48-megapixel photo is more than a case needs). */
export const MAX_SIDE = 4096;
/** The longest side of the thumbnail on the console's case page. */
export const THUMBNAIL_SIDE = 320;
/** Larger images are refused before they are decoded (a small file can claim a huge canvas: a decompression bomb). */
const MAX_INPUT_PIXELS = 50_000_000;

let loading: Promise<(input: Buffer, options: SharpOptions) => Sharp> | undefined;

/**
 * sharp and libvips, loaded with the first photo (tens of milliseconds, once) rather than at start:
 * about 10 MB a hub that is sent no photos need not hold.
 */
function sharpModule(): Promise<(input: Buffer, options: SharpOptions) => Sharp> {
  return (loading ??= import('sharp').then(({ default: sharp }) => {
    // libvips keeps recent operations and their pixels in a cache; these pixels are petitioners' photos,
    // which should not outlive their request in the process's memory. The hub uses sharp only here.
    sharp.cache(false);
    return sharp;
  }));
}

/** What each allowed image is written back as, and the name libvips gives its format. */
const FORMATS: Record<string, { format: 'jpeg' | 'png' | 'webp' | 'gif'; animated: boolean }> = {
  'image/jpeg': { format: 'jpeg', animated: false },
  'image/png': { format: 'png', animated: false },
  'image/webp': { format: 'webp', animated: true },
  'image/gif': { format: 'gif', animated: true },
};

export interface ReencodedImage {
  bytes: Buffer;
  contentType: string;
  thumbnail: Buffer;
  thumbnailType: string;
}

/**
 * A photo written anew from its pixels: turned upright by its EXIF orientation, at most MAX_SIDE on
 * its longest side, and with no metadata at all (sharp writes none unless asked: no EXIF, so no GPS
 * position, camera or time; no XMP, no ICC profile, no comments), in the format it came in. Anything
 * hidden after or inside the image data goes with it. Plus a WebP thumbnail (the first frame).
 * An image libvips cannot decode, or that is not what the content check found, is refused.
 */
export async function reencodeImage(bytes: Buffer, contentType: string): Promise<ReencodedImage> {
  const target = FORMATS[contentType];
  if (!target) throw new Error(`reencodeImage: ${contentType} is not an image the hub re-encodes`);
  const sharp = await sharpModule();
  const open = (pages?: number) => sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', animated: pages === undefined && target.animated, ...(pages ? { pages } : {}) });
  try {
    // libvips picks its decoder by the content too; the content check and libvips must agree, so a
    // file can never reach a decoder (SVG, PDF) the check did not choose.
    const meta = await open().metadata();
    if (meta.format !== target.format) throw new HubError('attachment_refused', 'the image could not be read');
    const fit = { width: MAX_SIDE, height: MAX_SIDE, fit: 'inside' as const, withoutEnlargement: true };
    const image = open().autoOrient().resize(fit);
    const out =
      target.format === 'jpeg' ? image.jpeg({ quality: 85, mozjpeg: true })
      : target.format === 'png' ? image.png({ compressionLevel: 6 })
      : target.format === 'webp' ? image.webp({ quality: 85 })
      : image.gif();
    const thumbnail = await open(1).autoOrient().resize({ width: THUMBNAIL_SIDE, height: THUMBNAIL_SIDE, fit: 'inside', withoutEnlargement: true }).webp({ quality: 75 }).toBuffer();
    return { bytes: await out.toBuffer(), contentType, thumbnail, thumbnailType: 'image/webp' };
  } catch (err) {
    if (err instanceof HubError) throw err;
    // libvips's reasons ("VipsJpeg: Premature end of JPEG file", "Input image exceeds pixel limit") are for the log, not the sender.
    const refusal = new HubError('attachment_refused', 'the image could not be read (damaged, or larger than 50 megapixels)');
    refusal.cause = err;
    throw refusal;
  }
}
