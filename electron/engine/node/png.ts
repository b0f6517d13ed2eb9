import { PNG } from 'pngjs';

/** 8-bit RGBA pixels, row-major, 4 bytes per pixel. */
export interface RgbaPixels {
  width: number;
  height: number;
  rgba: Uint8Array | Uint8ClampedArray;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Whether the bytes start with the PNG signature. */
export const isPng = (bytes: Uint8Array): boolean => PNG_SIGNATURE.every((b, i) => bytes[i] === b);

/** Encodes RGBA pixels as an 8-bit RGBA PNG (pngjs, synchronous). */
export function encodePng(image: RgbaPixels): Uint8Array {
  const { width, height, rgba } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new RangeError(`Cannot encode a ${width}×${height} PNG.`);
  if (rgba.length !== width * height * 4)
    throw new RangeError(`A ${width}×${height} RGBA image needs ${width * height * 4} bytes, got ${rgba.length}.`);
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  return new Uint8Array(PNG.sync.write(png));
}

/**
 * Decodes a PNG of any colour type and bit depth to 8-bit RGBA (gray is replicated, palettes expanded,
 * 16-bit scaled down). Throws an Error saying what is wrong with the data.
 */
export function decodePng(bytes: Uint8Array): RgbaPixels & { rgba: Uint8ClampedArray } {
  if (!isPng(bytes)) throw new Error('not a PNG file (its first bytes are not the PNG signature)');
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new Error(`damaged PNG: ${e instanceof Error ? e.message : String(e)}`);
  }
  return {
    width: png.width,
    height: png.height,
    rgba: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength),
  };
}
