import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

/**
 * The custom layers as one small ES module that registers them with the page's or process's own
 * @tensorflow/tfjs (kept external), so an exported model loads anywhere tfjs runs.
 */
export async function bundleLayersModule(): Promise<string> {
  const entry = fileURLToPath(new URL('../../core/layers/index.ts', import.meta.url));
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    external: ['@tensorflow/tfjs'],
    write: false,
    minify: false,
    legalComments: 'none',
    banner: {
      js: '// SAGAN Studio custom layers for TensorFlow.js 4.x. Importing this module registers them (tf.serialization.registerClass).',
    },
  });
  return result.outputFiles[0]!.text;
}
