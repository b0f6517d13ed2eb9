import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ImageDataset } from '../../core/data/dataset';
import { imageLength } from '../../core/data/dataset';
import { Xoshiro128 } from '../../core/data/prng';
import type { FeatureNetwork } from '../../core/metrics/feature-network';
import { symmetricSqrt } from '../../core/metrics/linalg';
import { permutation } from '../../core/metrics/permutation';
import type { ImageBatch, ReferenceStats } from '../../core/metrics/quality';
import { embedBatches } from '../../core/metrics/quality';
import { writeFileAtomic } from '../fs-atomic';
import { encodeHeaded, readHeadedFile } from '../headed-file';

/**
 * A dataset's reference statistics for a feature network, computed once and cached as
 * `<cacheDir>/refstats-<network>-<key>.sagan-refstats`, keyed by the images themselves (pixels, labels, size), so
 * a changed dataset never reads stale statistics. A headed file (headed-file.ts) aligned to 8 bytes, then float64 mean [d], cov [d×d], optional √cov [d×d], float32 KID rows [k×d].
 */
const MAGIC = 'SAGANRS1';
/** Bump when the statistics change meaning (features, preprocessing, subset rules). */
const FORMAT = 1;
/** At most this many dataset images go into the statistics (a seeded subset beyond it; FID tools use 50k). */
export const MAX_REFERENCE_IMAGES = 50_000;
/** Reference rows kept for KID (a seeded subset). */
export const KID_REFERENCE_ROWS = 5_000;

interface Header {
  format: number;
  network: string;
  dataKey: string;
  dim: number;
  count: number;
  kidCount: number;
  hasSqrt: boolean;
}

/** Fingerprint of a dataset's images as the network sees them: size, channels, labels and every pixel. */
export function datasetKey(ds: ImageDataset): string {
  const hash = createHash('sha256').update(JSON.stringify([FORMAT, ds.height, ds.width, ds.channels, ds.size]));
  hash.update(new Uint8Array(ds.labels.buffer, ds.labels.byteOffset, ds.labels.byteLength));
  const one = new Float32Array(imageLength(ds));
  for (let i = 0; i < ds.size; i++) {
    ds.copyImage(i, one, 0);
    hash.update(new Uint8Array(one.buffer));
  }
  return hash.digest('hex');
}

export const referenceStatsFile = (cacheDir: string, network: string, dataKey: string) =>
  join(cacheDir, `refstats-${network}-${dataKey.slice(0, 32)}.sagan-refstats`);

export interface ReferenceOptions {
  cacheDir?: string;
  /** Called as batches are embedded on a cache miss (images done, images in all). */
  onProgress?: (done: number, total: number) => void;
  batchSize?: number;
  /** Precompute √Σ (one eigen-decomposition; worth it for small features or when it will be needed). */
  withSqrt?: boolean;
}

/** The cached statistics when present and whole, else computes them (and caches them when there is a cacheDir). */
export async function referenceStats(
  ds: ImageDataset,
  network: FeatureNetwork,
  o: ReferenceOptions = {},
): Promise<ReferenceStats & { cached: boolean }> {
  const dataKey = datasetKey(ds);
  const file = o.cacheDir ? referenceStatsFile(o.cacheDir, network.id, dataKey) : null;
  const withSqrt = o.withSqrt ?? network.dim <= 256;
  if (file) {
    const hit = await readReferenceStats(file, network.id, dataKey);
    if (hit && (hit.sqrtCov || !withSqrt)) return { ...hit, cached: true };
  }
  const rng = new Xoshiro128(20_150_512);
  const order = permutation(ds.size, rng).subarray(0, Math.min(ds.size, MAX_REFERENCE_IMAGES));
  const total = order.length;
  const batchSize = o.batchSize ?? 100;
  const length = imageLength(ds);
  function* batches(): Generator<ImageBatch> {
    for (let start = 0; start < total; start += batchSize) {
      const part = order.subarray(start, start + batchSize);
      const pixels = new Float32Array(part.length * length);
      part.forEach((index, b) => ds.copyImage(index, pixels, b * length));
      o.onProgress?.(start, total);
      yield {
        images: tf.tensor4d(pixels, [part.length, ds.height, ds.width, ds.channels]),
        labels: Int32Array.from(part, (i) => ds.labels[i]!),
      };
    }
  }
  const embedded = await embedBatches(network, batches(), total);
  o.onProgress?.(total, total);
  const kidCount = Math.min(KID_REFERENCE_ROWS, embedded.count);
  const kidRows = permutation(embedded.count, rng).subarray(0, kidCount);
  const kidFeatures = new Float32Array(kidCount * network.dim);
  kidRows.forEach((r, k) =>
    kidFeatures.set(embedded.features.subarray(r * network.dim, (r + 1) * network.dim), k * network.dim),
  );
  const stats = embedded.stats;
  const reference: ReferenceStats = {
    network: network.id,
    dataKey,
    stats,
    sqrtCov: withSqrt ? symmetricSqrt(stats.cov, stats.dim) : null,
    kidFeatures,
    kidCount,
  };
  if (file) await writeReferenceStats(file, reference);
  return { ...reference, cached: false };
}

/** Adds √Σ to cached statistics that lack it (one eigen-decomposition) and rewrites the cache. */
export async function withReferenceSqrt(r: ReferenceStats, cacheDir?: string): Promise<ReferenceStats> {
  if (r.sqrtCov) return r;
  const done = { ...r, sqrtCov: symmetricSqrt(r.stats.cov, r.stats.dim) };
  if (cacheDir) await writeReferenceStats(referenceStatsFile(cacheDir, r.network, r.dataKey), done);
  return done;
}

export async function writeReferenceStats(file: string, r: ReferenceStats): Promise<void> {
  const d = r.stats.dim;
  const header: Header = {
    format: FORMAT,
    network: r.network,
    dataKey: r.dataKey,
    dim: d,
    count: r.stats.count,
    kidCount: r.kidCount,
    hasSqrt: r.sqrtCov !== null,
  };
  const parts: Uint8Array[] = [encodeHeaded(MAGIC, header, 8), bytesOf(r.stats.mean), bytesOf(r.stats.cov)];
  if (r.sqrtCov) parts.push(bytesOf(r.sqrtCov));
  parts.push(bytesOf(r.kidFeatures.subarray(0, r.kidCount * d)));
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, parts);
}

/** The statistics in `file`, or null on any mismatch (other network or data, damaged or truncated file). */
export async function readReferenceStats(
  file: string,
  network: string,
  dataKey: string,
): Promise<ReferenceStats | null> {
  const read = await readHeadedFile(file, MAGIC, 8);
  if (!read) return null;
  const bytes = read.body;
  try {
    const h = read.header as Header;
    if (h.format !== FORMAT || h.network !== network || h.dataKey !== dataKey) return null;
    const d = h.dim;
    let at = 0;
    const size = 8 * (d + d * d * (h.hasSqrt ? 2 : 1)) + 4 * h.kidCount * d;
    if (bytes.length !== size) return null;
    const f64 = (n: number) => {
      const out = new Float64Array(n);
      new Uint8Array(out.buffer).set(bytes.subarray(at, at + 8 * n));
      at += 8 * n;
      return out;
    };
    const mean = f64(d);
    const cov = f64(d * d);
    const sqrtCov = h.hasSqrt ? f64(d * d) : null;
    const kidFeatures = new Float32Array(h.kidCount * d);
    new Uint8Array(kidFeatures.buffer).set(bytes.subarray(at, at + 4 * h.kidCount * d));
    return {
      network,
      dataKey,
      stats: { dim: d, count: h.count, mean, cov },
      sqrtCov,
      kidFeatures,
      kidCount: h.kidCount,
    };
  } catch {
    return null;
  }
}

const bytesOf = (a: Float64Array | Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
