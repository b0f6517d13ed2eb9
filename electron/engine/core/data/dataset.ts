/**
 * A labelled set of images the trainer draws batches from. Pixels are NHWC floats in [-1, 1] (the range a tanh
 * generator produces). `classes` is 0 for an unconditional dataset, whose labels are all 0.
 */
export interface ImageDataset {
  readonly name: string;
  /** Number of images. */
  readonly size: number;
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
  /** Number of classes; 0 = unconditional. */
  readonly classes: number;
  /** One name per class id (empty when unconditional). */
  readonly classNames: string[];
  /** One class id per image, in [0, classes), or 0 when unconditional. */
  readonly labels: Int32Array;
  /** Writes image `index` (height·width·channels values, HWC, in [-1, 1]) into `out` from `offset`. */
  copyImage(index: number, out: Float32Array, offset: number): void;
}

/** A batch of real images: NHWC pixels in [-1, 1] and one label per image. */
export interface Batch {
  images: Float32Array;
  labels: Int32Array;
  shape: [number, number, number, number];
}

/** Values per image (height·width·channels). */
export const imageLength = (ds: Pick<ImageDataset, 'height' | 'width' | 'channels'>): number =>
  ds.height * ds.width * ds.channels;

/** Copies the images and labels at `indices` into one batch, in that order. */
export function makeBatch(ds: ImageDataset, indices: ArrayLike<number>): Batch {
  const n = indices.length;
  const pixels = imageLength(ds);
  const images = new Float32Array(n * pixels);
  const labels = new Int32Array(n);
  for (let b = 0; b < n; b++) {
    const index = indices[b]!;
    ds.copyImage(index, images, b * pixels);
    labels[b] = ds.labels[index]!;
  }
  return { images, labels, shape: [n, ds.height, ds.width, ds.channels] };
}

/** What `byteImageDataset` needs: 8-bit pixels (0 → -1, 255 → +1), HWC per image, images back to back. */
export interface ByteImages {
  name: string;
  height: number;
  width: number;
  channels: 1 | 3;
  classes: number;
  classNames: string[];
  labels: Int32Array;
  pixels: Uint8Array;
}

// 8-bit value → [-1, 1]; a table keeps copyImage a plain indexed copy.
const BYTE_TO_UNIT = Float32Array.from({ length: 256 }, (_, v) => v / 127.5 - 1);

/**
 * An in-memory dataset of 8-bit images. Decoded images are kept as bytes (a quarter of the memory of floats,
 * and exactly what the PNG/JPEG sources hold) and converted to [-1, 1] as batches are copied out.
 */
export function byteImageDataset(spec: ByteImages): ImageDataset {
  const { name, height, width, channels, classes, classNames, labels, pixels } = spec;
  const length = height * width * channels;
  const size = labels.length;
  if (pixels.length !== size * length) {
    throw new RangeError(
      `Dataset ${name}: ${pixels.length} pixel values do not make ${size} images of ${height}×${width}×${channels}.`,
    );
  }
  if (classNames.length !== classes)
    throw new RangeError(`Dataset ${name}: ${classNames.length} class names for ${classes} classes.`);
  for (let i = 0; i < size; i++) {
    const label = labels[i]!;
    if (label < 0 || (classes > 0 ? label >= classes : label !== 0))
      throw new RangeError(`Dataset ${name}: image ${i} has label ${label}, outside its ${classes} classes.`);
  }
  return {
    name,
    size,
    height,
    width,
    channels,
    classes,
    classNames,
    labels,
    copyImage(index, out, offset) {
      if (!Number.isInteger(index) || index < 0 || index >= size)
        throw new RangeError(`Image ${index} is outside dataset ${name} (${size} images).`);
      if (!Number.isInteger(offset) || offset < 0 || offset + length > out.length)
        throw new RangeError(
          `No room for a ${height}×${width}×${channels} image at offset ${offset} of a ${out.length}-value buffer.`,
        );
      const src = index * length;
      for (let i = 0; i < length; i++) out[offset + i] = BYTE_TO_UNIT[pixels[src + i]!]!;
    },
  };
}
