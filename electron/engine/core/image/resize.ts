/**
 * Resampling of decoded pixels, pure (no Node, no DOM). Images here are interleaved HWC float arrays of 8-bit
 * scale values (0..255), in the file's own sRGB encoding (no linearisation, as torchvision/PIL pipelines do).
 */

/** Where an image's transparent parts end up: composited over black (default) or white. */
export type AlphaBackground = 'black' | 'white';

/**
 * RGBA bytes → `channels` values per pixel (0..255). Alpha is composited over `background` first, so
 * transparent pixels do not bleed their hidden colour into neighbours when resizing. RGB → gray uses the
 * Rec. 601 luma 0.299 R + 0.587 G + 0.114 B; a gray image decodes to R = G = B, so it replicates to RGB as is.
 */
export function rgbaToChannels(
  rgba: ArrayLike<number>,
  width: number,
  height: number,
  channels: 1 | 3,
  background: AlphaBackground = 'black',
): Float32Array {
  const n = width * height;
  if (rgba.length !== n * 4)
    throw new RangeError(`An RGBA image of ${width}×${height} needs ${n * 4} bytes, got ${rgba.length}.`);
  const bg = background === 'white' ? 255 : 0;
  const out = new Float32Array(n * channels);
  for (let i = 0; i < n; i++) {
    const a = rgba[i * 4 + 3]! / 255;
    const r = rgba[i * 4]! * a + bg * (1 - a);
    const g = rgba[i * 4 + 1]! * a + bg * (1 - a);
    const b = rgba[i * 4 + 2]! * a + bg * (1 - a);
    if (channels === 1) out[i] = 0.299 * r + 0.587 * g + 0.114 * b;
    else {
      out[i * 3] = r;
      out[i * 3 + 1] = g;
      out[i * 3 + 2] = b;
    }
  }
  return out;
}

/** For output sample o along one axis: source indices index[from[o]..from[o+1]) with weights summing to 1. */
interface AxisTaps {
  from: Int32Array;
  index: Int32Array;
  weight: Float64Array;
}

/**
 * Taps for scaling an axis of `srcLen` samples to `scaledLen`, keeping outputs [offset, offset + count).
 * Shrinking averages the exact area each output covers (box filter with fractional edges); enlarging
 * interpolates linearly between the two nearest source centres (edges clamped).
 */
function axisTaps(srcLen: number, scaledLen: number, offset: number, count: number): AxisTaps {
  const scale = scaledLen / srcLen;
  const from = new Int32Array(count + 1);
  const index: number[] = [];
  const weight: number[] = [];
  for (let o = offset; o < offset + count; o++) {
    if (scale < 1) {
      const lo = o / scale;
      const hi = Math.min(srcLen, (o + 1) / scale);
      for (let s = Math.floor(lo); s < hi; s++) {
        const cover = Math.min(hi, s + 1) - Math.max(lo, s);
        if (cover > 1e-9) {
          index.push(s);
          weight.push(cover / (hi - lo));
        }
      }
    } else {
      const centre = Math.min(srcLen - 1, Math.max(0, (o + 0.5) / scale - 0.5));
      const s = Math.floor(centre);
      const t = centre - s;
      index.push(s);
      weight.push(1 - t);
      if (t > 0) {
        index.push(s + 1);
        weight.push(t);
      }
    }
    from[o - offset + 1] = index.length;
  }
  return { from, index: Int32Array.from(index), weight: Float64Array.from(weight) };
}

/** A window of a scaled image: outputs x..x+width, y..y+height of the scaledWidth×scaledHeight image. */
export interface CropWindow {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Prepares scaling of width×height×channels images (HWC floats) to scaledWidth×scaledHeight with the filters
 * of `axisTaps`, computing only the `crop` window. The returned function can be reused for every image of
 * that size. Separable: rows first (only those the columns read), then columns.
 */
export function makeResampler(
  width: number,
  height: number,
  channels: number,
  scaledWidth: number,
  scaledHeight: number,
  crop: CropWindow = { x: 0, y: 0, width: scaledWidth, height: scaledHeight },
): (src: Float32Array) => Float32Array {
  if (
    crop.x < 0 ||
    crop.y < 0 ||
    crop.width < 1 ||
    crop.height < 1 ||
    crop.x + crop.width > scaledWidth ||
    crop.y + crop.height > scaledHeight
  ) {
    throw new RangeError(
      `The crop window ${crop.width}×${crop.height} at (${crop.x}, ${crop.y}) lies outside the ${scaledWidth}×${scaledHeight} scaled image.`,
    );
  }
  const xs = axisTaps(width, scaledWidth, crop.x, crop.width);
  const ys = axisTaps(height, scaledHeight, crop.y, crop.height);
  const rowsNeeded = new Uint8Array(height);
  for (const r of ys.index) rowsNeeded[r] = 1;
  const ow = crop.width;
  const rowLength = ow * channels;
  const { from: xFrom, index: xIndex, weight: xWeight } = xs;
  const { from: yFrom, index: yIndex, weight: yWeight } = ys;
  return (src) => {
    if (src.length !== width * height * channels)
      throw new RangeError(
        `A ${width}×${height}×${channels} image needs ${width * height * channels} values, got ${src.length}.`,
      );
    const horizontal = new Float32Array(height * rowLength);
    for (let y = 0; y < height; y++) {
      if (!rowsNeeded[y]) continue;
      const srcRow = y * width * channels;
      const dstRow = y * rowLength;
      for (let x = 0; x < ow; x++) {
        const k0 = xFrom[x]!;
        const k1 = xFrom[x + 1]!;
        for (let c = 0; c < channels; c++) {
          let sum = 0;
          for (let k = k0; k < k1; k++) sum += xWeight[k]! * src[srcRow + xIndex[k]! * channels + c]!;
          horizontal[dstRow + x * channels + c] = sum;
        }
      }
    }
    const out = new Float32Array(crop.height * rowLength);
    for (let y = 0; y < crop.height; y++) {
      const dstRow = y * rowLength;
      for (let k = yFrom[y]!; k < yFrom[y + 1]!; k++) {
        const w = yWeight[k]!;
        const srcRow = yIndex[k]! * rowLength;
        for (let i = 0; i < rowLength; i++) out[dstRow + i] += w * horizontal[srcRow + i]!;
      }
    }
    return out;
  };
}

/** One-off `makeResampler` call. */
export function resample(
  src: Float32Array,
  width: number,
  height: number,
  channels: number,
  scaledWidth: number,
  scaledHeight: number,
  crop?: CropWindow,
): Float32Array {
  return makeResampler(width, height, channels, scaledWidth, scaledHeight, crop)(src);
}

/**
 * Scales the image so its shorter side is `size` (area averaging when shrinking, bilinear when enlarging) and
 * keeps the centred size×size square (odd leftovers favour the top/left by half a pixel).
 */
export function resizeCenterCrop(
  src: Float32Array,
  width: number,
  height: number,
  channels: number,
  size: number,
): Float32Array {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`Images can only be resized to a whole number of pixels, got ${size}.`);
  const scale = size / Math.min(width, height);
  const scaledWidth = width <= height ? size : Math.max(size, Math.round(width * scale));
  const scaledHeight = height <= width ? size : Math.max(size, Math.round(height * scale));
  const x = Math.floor((scaledWidth - size) / 2);
  const y = Math.floor((scaledHeight - size) / 2);
  return resample(src, width, height, channels, scaledWidth, scaledHeight, { x, y, width: size, height: size });
}

/** Rounds 0..255 floats to bytes, clamped (ties to even, NaN → 0: the typed-array conversion does it natively). */
export function toBytes(values: Float32Array): Uint8Array {
  return new Uint8Array(new Uint8ClampedArray(values).buffer);
}

/** A decoded RGBA picture → size×size×channels bytes ready for a dataset (see the steps above). */
export function prepareImage(
  rgba: ArrayLike<number>,
  width: number,
  height: number,
  opts: { size: number; channels: 1 | 3; background?: AlphaBackground },
): Uint8Array {
  const values = rgbaToChannels(rgba, width, height, opts.channels, opts.background);
  return toBytes(resizeCenterCrop(values, width, height, opts.channels, opts.size));
}
