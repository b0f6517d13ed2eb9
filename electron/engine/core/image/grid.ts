/** Lays out a batch of NHWC images in [-1, 1] as one RGBA picture (grayscale repeated to RGB), row by row. */
export function composeGrid(
  images: Float32Array,
  shape: readonly [number, number, number, number],
  { cols, padding = 2, background = 0 }: { cols: number; padding?: number; background?: number },
): { width: number; height: number; rgba: Uint8ClampedArray } {
  const [n, h, w, c] = shape;
  const rows = Math.ceil(n / cols);
  const width = cols * w + (cols + 1) * padding;
  const height = rows * h + (rows + 1) * padding;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < rgba.length; i += 4) {
    rgba[i] = rgba[i + 1] = rgba[i + 2] = background;
    rgba[i + 3] = 255;
  }
  const toByte = (v: number) => Math.round(((Math.max(-1, Math.min(1, v)) + 1) / 2) * 255);
  for (let k = 0; k < n; k++) {
    const ox = padding + (k % cols) * (w + padding);
    const oy = padding + Math.floor(k / cols) * (h + padding);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const src = ((k * h + y) * w + x) * c;
        const dst = ((oy + y) * width + ox + x) * 4;
        rgba[dst] = toByte(images[src]!);
        rgba[dst + 1] = toByte(images[src + (c === 3 ? 1 : 0)]!);
        rgba[dst + 2] = toByte(images[src + (c === 3 ? 2 : 0)]!);
      }
    }
  }
  return { width, height, rgba };
}
