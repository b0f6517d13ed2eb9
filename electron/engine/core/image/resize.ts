/**
 * Resizes decoded RGBA pixels so the shorter side is `size` (box-filter area averaging when shrinking,
 * bilinear when enlarging), centre-crops to size×size, and converts to `channels` values in [-1, 1].
 * Alpha is composited over black. Grayscale uses the Rec. 601 luma weights 0.299, 0.587, 0.114.
 */
export function resizeCropToSquare(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, size: number, channels: 1 | 3, out: Float32Array, offset: number): void {
  const scale = size / Math.min(width, height);
  const scaledW = Math.max(size, Math.round(width * scale));
  const scaledH = Math.max(size, Math.round(height * scale));
  const x0 = Math.floor((scaledW - size) / 2);
  const y0 = Math.floor((scaledH - size) / 2);
  const sample = (sx: number, sy: number, c: number) => {
    const a = rgba[(sy * width + sx) * 4 + 3]! / 255;
    return (rgba[(sy * width + sx) * 4 + c]! / 255) * a;
  };
  const pixel = new Float32Array(3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Source rectangle of this output pixel.
      const fx0 = ((x + x0) * width) / scaledW;
      const fx1 = ((x + x0 + 1) * width) / scaledW;
      const fy0 = ((y + y0) * height) / scaledH;
      const fy1 = ((y + y0 + 1) * height) / scaledH;
      if (fx1 - fx0 >= 1 || fy1 - fy0 >= 1) {
        pixel.fill(0);
        let n = 0;
        for (let sy = Math.floor(fy0); sy < Math.max(Math.floor(fy0) + 1, Math.ceil(fy1)) && sy < height; sy++) {
          for (let sx = Math.floor(fx0); sx < Math.max(Math.floor(fx0) + 1, Math.ceil(fx1)) && sx < width; sx++) {
            for (let c = 0; c < 3; c++) pixel[c]! += sample(sx, sy, c);
            n++;
          }
        }
        for (let c = 0; c < 3; c++) pixel[c]! /= n;
      } else {
        const cx = Math.min(width - 1, Math.max(0, (fx0 + fx1) / 2 - 0.5));
        const cy = Math.min(height - 1, Math.max(0, (fy0 + fy1) / 2 - 0.5));
        const ix = Math.floor(cx);
        const iy = Math.floor(cy);
        const ax = cx - ix;
        const ay = cy - iy;
        const jx = Math.min(width - 1, ix + 1);
        const jy = Math.min(height - 1, iy + 1);
        for (let c = 0; c < 3; c++) {
          pixel[c] = (1 - ay) * ((1 - ax) * sample(ix, iy, c) + ax * sample(jx, iy, c)) + ay * ((1 - ax) * sample(ix, jy, c) + ax * sample(jx, jy, c));
        }
      }
      const o = offset + (y * size + x) * channels;
      if (channels === 1) out[o] = (0.299 * pixel[0]! + 0.587 * pixel[1]! + 0.114 * pixel[2]!) * 2 - 1;
      else for (let c = 0; c < 3; c++) out[o + c] = pixel[c]! * 2 - 1;
    }
  }
}
