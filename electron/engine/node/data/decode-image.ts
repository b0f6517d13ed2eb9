import jpeg from 'jpeg-js';
import { decodePng, isPng } from '../png';
import type { RgbaPixels } from '../png';

/** File extensions read as images (the content decides PNG or JPEG). */
export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.jpe', '.jfif']);

/** Image formats a user may drop in that we cannot decode: skipped with a reason rather than silently ignored. */
export const UNSUPPORTED_IMAGE_EXTENSIONS = new Map([
  ['.gif', 'GIF'],
  ['.bmp', 'BMP'],
  ['.webp', 'WebP'],
  ['.tif', 'TIFF'],
  ['.tiff', 'TIFF'],
  ['.heic', 'HEIC'],
  ['.heif', 'HEIF'],
  ['.avif', 'AVIF'],
  ['.svg', 'SVG'],
]);

const isJpeg = (b: Uint8Array) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/** What the first bytes say, for a reason that helps the user ("is a GIF" rather than "corrupt"). */
function sniffOther(b: Uint8Array): string | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (ascii(0, 4) === 'GIF8') return 'GIF';
  if (ascii(0, 2) === 'BM') return 'BMP';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'WebP';
  if (ascii(4, 8) === 'ftyp') return 'HEIC/AVIF';
  return null;
}

/**
 * Decodes PNG or JPEG bytes, chosen by content (a misnamed file still loads), to 8-bit RGBA.
 * Throws an Error whose message is a short reason to show beside the file name.
 */
export function decodeImage(bytes: Uint8Array): RgbaPixels {
  if (bytes.length === 0) throw new Error('the file is empty');
  let image: RgbaPixels;
  if (isPng(bytes)) image = decodePng(bytes);
  else if (isJpeg(bytes)) {
    try {
      const j = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        maxResolutionInMP: 100,
        maxMemoryUsageInMB: 1024,
      });
      image = { width: j.width, height: j.height, rgba: j.data };
    } catch (e) {
      throw new Error(`damaged or unsupported JPEG: ${e instanceof Error ? e.message : String(e)}`);
    }
  } else {
    const other = sniffOther(bytes);
    throw new Error(
      other
        ? `it is a ${other} image; only PNG and JPEG are supported, so convert it`
        : 'not a PNG or JPEG image (unrecognised content)',
    );
  }
  if (image.width < 1 || image.height < 1) throw new Error(`the image is ${image.width}×${image.height} pixels`);
  return image;
}
