import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodePng, encodePng, isPng } from './png';

describe('PNG', () => {
  it('round-trips RGBA pixels', () => {
    const rgba = Uint8ClampedArray.from({ length: 3 * 2 * 4 }, (_, i) => (i * 23) % 256);
    const bytes = encodePng({ width: 3, height: 2, rgba });
    expect(isPng(bytes)).toBe(true);
    const back = decodePng(bytes);
    expect([back.width, back.height]).toEqual([3, 2]);
    expect(Array.from(back.rgba)).toEqual(Array.from(rgba));
  });

  it('decodes 8-bit grayscale and 16-bit colour PNGs to 8-bit RGBA', () => {
    const gray = new PNG({ width: 2, height: 1, colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false });
    gray.data = Buffer.from([10, 200]);
    const g = decodePng(
      new Uint8Array(PNG.sync.write(gray, { colorType: 0, inputColorType: 0, inputHasAlpha: false })),
    );
    expect(Array.from(g.rgba)).toEqual([10, 10, 10, 255, 200, 200, 200, 255]);
    const deep = new PNG({ width: 1, height: 1, bitDepth: 16, colorType: 6, inputColorType: 6 });
    deep.data = Buffer.from(new Uint16Array([65535, 0, 32896, 65535]).buffer);
    const d = decodePng(new Uint8Array(PNG.sync.write(deep, { bitDepth: 16, colorType: 6, inputColorType: 6 })));
    expect(Array.from(d.rgba)).toEqual([255, 0, 128, 255]);
  });

  it('says what is wrong with bad data and bad input', () => {
    expect(() => decodePng(new TextEncoder().encode('hello'))).toThrow(/not a PNG file/);
    const truncated = encodePng({ width: 4, height: 4, rgba: new Uint8Array(64).fill(9) }).subarray(0, 40);
    expect(() => decodePng(truncated)).toThrow(/damaged PNG/);
    expect(() => encodePng({ width: 2, height: 2, rgba: new Uint8Array(15) })).toThrow(/needs 16 bytes, got 15/);
    expect(() => encodePng({ width: 0, height: 2, rgba: new Uint8Array(0) })).toThrow(/Cannot encode a 0×2 PNG/);
  });
});
