import * as tf from '@tensorflow/tfjs';

/**
 * The tfjs release every seam in this folder was written and tested against; package.json pins each tfjs package
 * to exactly this version. Upgrading tfjs means porting and re-testing each seam (tfjs-internals.test.ts names them).
 */
export const TFJS_VERSION = '4.22.0';

let coreChecked = false;

/**
 * The one version check: throws, naming every package at another version, before any seam touches tfjs' insides.
 * tfjs-core and tfjs-layers are always checked; a backend package (wasm, webgpu) is checked by the code that loads
 * it, passing its version here.
 */
export function assertTfjsVersion(backends: Record<string, string> = {}): void {
  if (coreChecked && Object.keys(backends).length === 0) return;
  const found: Record<string, string> = {
    '@tensorflow/tfjs-core': tf.version_core,
    '@tensorflow/tfjs-layers': tf.version['tfjs-layers'] ?? 'unknown',
    ...backends,
  };
  const wrong = Object.entries(found).filter(([, v]) => v !== TFJS_VERSION);
  if (wrong.length > 0)
    throw new Error(
      `SAGAN Studio relies on internals of tfjs ${TFJS_VERSION} (electron/engine/core/tfjs-internals), but this install has ${wrong.map(([p, v]) => `${p} ${v}`).join(', ')}. Run \`npm ci\` to restore the pinned versions; to upgrade tfjs, port each seam there and run its tests.`,
    );
  coreChecked = true;
}
