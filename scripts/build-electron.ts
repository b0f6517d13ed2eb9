// Bundles the Electron main process and the preload into dist/electron (CommonJS; `electron` stays external).
// The preload must be one file: a sandboxed preload can require nothing but 'electron'. The engine process is not
// bundled: it runs the TypeScript host and engine through tsx, like the CLI (see electron/main/engine-process-entry.mjs).
import type { BuildOptions } from 'esbuild';
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const electronOutDir = `${repoRoot}dist/electron`;

const common: BuildOptions = {
  bundle: true,
  format: 'cjs',
  sourcemap: 'linked',
  external: ['electron'],
  logLevel: 'warning',
  absWorkingDir: repoRoot,
  outExtension: { '.js': '.cjs' },
};

export async function buildElectron(outdir = electronOutDir): Promise<string> {
  rmSync(outdir, { recursive: true, force: true });
  await Promise.all([
    build({ ...common, platform: 'node', target: 'node22', entryPoints: { main: 'electron/main/main.ts' }, outdir }),
    // A sandboxed preload runs in the renderer with a limited require: no Node built-ins, only 'electron'.
    build({
      ...common,
      platform: 'browser',
      target: 'chrome140',
      entryPoints: { preload: 'electron/preload/preload.ts' },
      outdir,
    }),
  ]);
  return outdir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  await buildElectron();
  console.log(`Built the Electron main process and preload into ${electronOutDir} (${Date.now() - started} ms).`);
}
