import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { ThreadedGlue } from '../core/tfjs-internals';
import { assertTfjsVersion, extractThreadedGlue } from '../core/tfjs-internals';

const require = createRequire(import.meta.url);
let cached: (ThreadedGlue & { distDir: string }) | null = null;

/** The package's dist folder with its .wasm binaries, as setWasmPaths wants it (file path, trailing slash). */
export function wasmDistDir(): string {
  return `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`;
}

/**
 * The threaded-SIMD glue of the installed tfjs-backend-wasm (read from its Node bundle, never modified; the cutting
 * is tfjs-internals' wasm-glue seam), and the folder of its .wasm binaries.
 */
export function readThreadedGlue(): ThreadedGlue & { distDir: string } {
  if (cached) return cached;
  assertTfjsVersion({ '@tensorflow/tfjs-backend-wasm': wasm.version_wasm });
  const bundlePath = require.resolve('@tensorflow/tfjs-backend-wasm');
  cached = { ...extractThreadedGlue(readFileSync(bundlePath, 'utf8'), bundlePath), distDir: wasmDistDir() };
  return cached;
}
