/** An 8-bit RGBA picture, row-major. */
export interface RgbaImage {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

export interface GridOptions {
  /** Images per row (a sample grid uses one row per class). */
  cols: number;
  /** Pixels between images and around the edge (default 2). */
  padding?: number;
  /** Colour of the padding: a gray byte or [r, g, b] bytes (default 0, black). */
  background?: number | readonly [number, number, number];
}

/** [-1, 1] → 0..255, rounded; NaN shows as 0 so a diverged sample is visible rather than an error. */
export const unitToByte = (v: number): number =>
  Number.isNaN(v) ? 0 : Math.round(((Math.max(-1, Math.min(1, v)) + 1) / 2) * 255);

/**
 * Lays out a batch of NHWC images in [-1, 1] row by row as one opaque RGBA picture (1-channel images are
 * repeated to gray RGB). The last row may be partly empty.
 */
export function composeGrid(
  images: Float32Array,
  shape: readonly [number, number, number, number],
  options: GridOptions,
): RgbaImage {
  const [n, h, w, c] = shape;
  const { cols, padding = 2, background = 0 } = options;
  if (c !== 1 && c !== 3) throw new RangeError(`A sample grid needs 1- or 3-channel images, got ${c} channels.`);
  if (images.length !== n * h * w * c)
    throw new RangeError(`${images.length} values do not make ${n} images of ${h}×${w}×${c}.`);
  if (!Number.isInteger(cols) || cols < 1) throw new RangeError(`A grid needs at least one column, got ${cols}.`);
  if (!Number.isInteger(padding) || padding < 0)
    throw new RangeError(`Grid padding must be a whole number of pixels, got ${padding}.`);
  const [br, bg, bb] = typeof background === 'number' ? [background, background, background] : background;
  const rows = Math.max(1, Math.ceil(n / cols));
  const width = cols * w + (cols + 1) * padding;
  const height = rows * h + (rows + 1) * padding;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < rgba.length; i += 4) {
    rgba[i] = br;
    rgba[i + 1] = bg;
    rgba[i + 2] = bb;
    rgba[i + 3] = 255;
  }
  const g = c === 3 ? 1 : 0;
  const b = c === 3 ? 2 : 0;
  for (let k = 0; k < n; k++) {
    const ox = padding + (k % cols) * (w + padding);
    const oy = padding + Math.floor(k / cols) * (h + padding);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const src = ((k * h + y) * w + x) * c;
        const dst = ((oy + y) * width + ox + x) * 4;
        rgba[dst] = unitToByte(images[src]!);
        rgba[dst + 1] = unitToByte(images[src + g]!);
        rgba[dst + 2] = unitToByte(images[src + b]!);
      }
    }
  }
  return { width, height, rgba };
}
