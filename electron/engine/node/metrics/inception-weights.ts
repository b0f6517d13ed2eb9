import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FidInception } from '../../core/metrics/inception';
import { FID_INCEPTION, fidInceptionFromTorch } from '../../core/metrics/inception';
import { readTorchStateDict } from './torch-checkpoint';

/** Where pytorch-fid publishes the weights (torch.hub downloads them from here into ~/.cache/torch/hub/checkpoints). */
export const FID_WEIGHTS_URL = `https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/${FID_INCEPTION.weightsFile}`;

/**
 * Places the weights are looked for, in order: $SAGAN_INCEPTION_WEIGHTS, our own cache, and torch.hub's cache
 * (where pytorch-fid has already put them for anyone who ran it).
 */
export function inceptionWeightCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = homedir();
  const xdg = env.XDG_CACHE_HOME || join(home, '.cache');
  return [
    ...(env.SAGAN_INCEPTION_WEIGHTS ? [env.SAGAN_INCEPTION_WEIGHTS] : []),
    join(xdg, 'sagan-studio', FID_INCEPTION.weightsFile),
    join(env.TORCH_HOME || join(xdg, 'torch'), 'hub', 'checkpoints', FID_INCEPTION.weightsFile),
  ];
}

const howToGet = `FID needs pytorch-fid's Inception weights, ${FID_INCEPTION.weightsFile} (about 92 MB, from ${FID_WEIGHTS_URL}): download it and pass --inception-weights FILE, set SAGAN_INCEPTION_WEIGHTS, or put it in ~/.cache/sagan-studio/.`;

export interface WeightsCheck {
  /** Expected start of the file's SHA-256 (torch.hub checks the same prefix, from the file name). */
  sha256Prefix?: string;
}

/** The SHA-256 of a file, hex. */
async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/** Reads and checks the weights at `path` (or the first candidate that exists); a clear message when absent or wrong. */
export async function loadFidInception(path?: string, check: WeightsCheck = {}): Promise<FidInception> {
  const file = path ?? (await firstExisting(inceptionWeightCandidates()));
  if (!file)
    throw new Error(`No Inception weights found (looked in ${inceptionWeightCandidates().join(', ')}). ${howToGet}`);
  const bytes = await readFile(file).catch((e: NodeJS.ErrnoException) => {
    throw new Error(
      e.code === 'ENOENT'
        ? `The Inception weights file ${file} does not exist. ${howToGet}`
        : `Cannot read ${file}: ${e.message}`,
    );
  });
  const prefix = check.sha256Prefix ?? FID_INCEPTION.sha256Prefix;
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (!digest.startsWith(prefix))
    throw new Error(
      `${file} has SHA-256 ${digest.slice(0, 16)}…, but ${FID_INCEPTION.weightsFile}'s starts with ${prefix}: it is another file or a damaged download. ${howToGet}`,
    );
  return fidInceptionFromTorch(readTorchStateDict(bytes, file));
}

async function firstExisting(paths: string[]): Promise<string | null> {
  for (const p of paths)
    if (
      await stat(p).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      return p;
  return null;
}

/**
 * Downloads the weights once to `dest` where the internet can be reached: to a temp file beside it, checked
 * against the expected SHA-256 prefix, then renamed, so `dest` is never a partial or wrong file.
 */
export async function downloadInceptionWeights(
  dest: string,
  o: { url?: string; sha256Prefix?: string; onProgress?: (bytes: number, total: number | null) => void } = {},
): Promise<string> {
  const url = o.url ?? FID_WEIGHTS_URL;
  const prefix = o.sha256Prefix ?? FID_INCEPTION.sha256Prefix;
  await mkdir(dirname(dest), { recursive: true });
  const tmp = `${dest}.${process.pid}.download`;
  try {
    await fetchTo(url, tmp, o.onProgress);
    const digest = await sha256(tmp);
    if (!digest.startsWith(prefix))
      throw new Error(
        `The file downloaded from ${url} has SHA-256 ${digest.slice(0, 16)}…, not ${prefix}…; it was not kept.`,
      );
    await rename(tmp, dest);
    return dest;
  } finally {
    await rm(tmp, { force: true });
  }
}

/** GET with redirects (GitHub release assets redirect), streamed to `file`. */
function fetchTo(url: string, file: string, onProgress?: (bytes: number, total: number | null) => void, hops = 5) {
  return new Promise<void>((resolve, reject) => {
    const get = url.startsWith('https:') ? httpsGet : httpGet;
    const request = get(url, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location && hops > 0) {
        res.resume();
        fetchTo(new URL(res.headers.location, url).toString(), file, onProgress, hops - 1).then(resolve, reject);
        return;
      }
      if (status !== 200) {
        res.resume();
        reject(new Error(`Downloading ${url} failed: HTTP ${status}.`));
        return;
      }
      const total = Number(res.headers['content-length']) || null;
      let bytes = 0;
      res.on('data', (chunk: Buffer) => onProgress?.((bytes += chunk.length), total));
      const out = createWriteStream(file);
      res.pipe(out);
      out.on('finish', () => resolve());
      out.on('error', reject);
      res.on('error', reject);
    });
    request.on('error', (e) => reject(new Error(`Downloading ${url} failed: ${e.message}. ${howToGet}`)));
  });
}
