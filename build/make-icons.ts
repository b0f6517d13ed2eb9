// Writes the app icon from icon-design.ts: build/icons/icon.svg (the source), build/icons/NxN.png (Linux),
// build/icon.png (1024), build/icon.ico (Windows, PNG entries) and build/icon.icns (macOS, PNG entries).
// Run: npx tsx build/make-icons.ts (the files are committed; rerun after changing the design).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { iconShapes, iconSvg, rasterize } from './icon-design';

export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** ICNS entry types that hold PNG data, by pixel size. */
const ICNS_TYPES: [string, number][] = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
];

export function pngOf(size: number, shapes = iconShapes()): Buffer {
  const png = new PNG({ width: size, height: size });
  png.data = Buffer.from(rasterize(size, shapes));
  return PNG.sync.write(png, { colorType: 6 });
}

/** ICO with PNG-compressed images (Windows Vista and later read these). */
export function icoOf(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const at = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, at); // 0 means 256
    header.writeUInt8(size >= 256 ? 0 : size, at + 1);
    header.writeUInt16LE(1, at + 4); // colour planes
    header.writeUInt16LE(32, at + 6); // bits per pixel
    header.writeUInt32LE(png.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.png)]);
}

/** ICNS: "icns", total length, then (type, entry length, PNG) per size. */
export function icnsOf(entries: { type: string; png: Buffer }[]): Buffer {
  const chunks = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + chunks.reduce((n, c) => n + c.length, 0), 4);
  return Buffer.concat([head, ...chunks]);
}

export function writeIcons(buildDir: string): string[] {
  const shapes = iconShapes();
  const pngs = new Map<number, Buffer>();
  const png = (size: number) => pngs.get(size) ?? pngs.set(size, pngOf(size, shapes)).get(size)!;
  const written: string[] = [];
  const write = (relative: string, data: string | Buffer) => {
    writeFileSync(`${buildDir}/${relative}`, data);
    written.push(relative);
  };
  mkdirSync(`${buildDir}/icons`, { recursive: true });
  write('icons/icon.svg', iconSvg(shapes));
  for (const size of LINUX_SIZES) write(`icons/${size}x${size}.png`, png(size));
  write('icon.png', png(1024));
  write('icon.ico', icoOf(ICO_SIZES.map((size) => ({ size, png: png(size) }))));
  write('icon.icns', icnsOf(ICNS_TYPES.map(([type, size]) => ({ type, png: png(size) }))));
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = fileURLToPath(new URL('.', import.meta.url)).replace(/\/$/, '');
  const started = Date.now();
  const written = writeIcons(dir);
  console.log(`Wrote ${written.length} icon files into ${dir} (${Date.now() - started} ms): ${written.join(', ')}`);
}
