// Bundles everything the desktop app runs, so the packaged app needs no TypeScript compiler (tsx) and no esbuild:
// - dist/electron: the main process and the preload (CommonJS; `electron` stays external). The preload must be one
//   file: a sandboxed preload can require nothing but 'electron'.
// - dist/engine: the engine process (the shared host, run as a utilityProcess) and the training worker it starts,
//   as ES modules (see engine-bundle.ts for how files found by URL are laid out there).
import type { BuildOptions } from 'esbuild';
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEngine } from './engine-bundle';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
/** Where `npm run build:electron` writes: dist/electron and dist/engine. */
export const distDir = join(repoRoot, 'dist');

const common: BuildOptions = {
  bundle: true,
  format: 'cjs',
  sourcemap: 'linked',
  external: ['electron'],
  logLevel: 'warning',
  absWorkingDir: repoRoot,
  outExtension: { '.js': '.cjs' },
};

/** Builds dist/electron and dist/engine under `outRoot`; returns the engine bundle's layout. */
export async function buildElectron(outRoot = distDir): Promise<{ electronDir: string; engineDir: string }> {
  const electronDir = join(outRoot, 'electron');
  rmSync(electronDir, { recursive: true, force: true });
  const [, , engineDir] = await Promise.all([
    build({
      ...common,
      platform: 'node',
      target: 'node22',
      entryPoints: { main: 'electron/main/main.ts' },
      outdir: electronDir,
    }),
    // A sandboxed preload runs in the renderer with a limited require: no Node built-ins, only 'electron'.
    build({
      ...common,
      platform: 'browser',
      target: 'chrome140',
      entryPoints: { preload: 'electron/preload/preload.ts' },
      outdir: electronDir,
    }),
    buildEngine(repoRoot, join(outRoot, 'engine')),
  ]);
  return { electronDir, engineDir };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  await buildElectron();
  console.log(`Built the Electron main process, preload and engine into ${distDir} (${Date.now() - started} ms).`);
}
