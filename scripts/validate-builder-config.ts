// `npm run check:build-config`: validates build/electron-builder.json without downloading anything: against
// app-builder-lib's own JSON schema, and with checks that what the packaged app loads is packed (see
// builder-config-checks.ts). `--built` (npm run dist) also requires the build outputs in dist/ to exist.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuilderConfig, Problem } from './builder-config-checks';
import { checkIcons, isPacked, runtimeGraph } from './builder-config-checks';

const root = fileURLToPath(new URL('..', import.meta.url));
export const CONFIG_FILE = 'build/electron-builder.json';
/** Where the packaged app's code starts: the engine process, and the worker threads it starts. */
export const RUNTIME_ENTRIES = [
  'electron/main/engine-process-entry.mjs',
  'electron/engine/node/run/worker-entry.js',
  'electron/engine/core/layers/index.ts',
];

interface PackageJson {
  main?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** `config` replaces build/electron-builder.json (tests check what a broken one gets). */
export async function validateBuilderConfig(
  repoRoot: string,
  built: boolean,
  config?: BuilderConfig,
): Promise<{ problems: Problem[]; notes: string[] }> {
  const problems: Problem[] = [];
  const notes: string[] = [];
  const fail = (check: string, message: string) => problems.push({ check, message });
  config ??= JSON.parse(readFileSync(join(repoRoot, CONFIG_FILE), 'utf8')) as BuilderConfig;
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as PackageJson;

  // 1. The schema electron-builder itself checks with (app-builder-lib/scheme.json), via its own validator.
  const require = createRequire(join(repoRoot, 'package.json'));
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
    validateConfiguration(c: unknown, log: unknown): Promise<void>;
  };
  await validateConfiguration(config, { isEnabled: false, add: () => undefined }).catch((e: Error) =>
    fail('schema', e.message),
  );

  // 2. The entry points of the packaged app are packed (and, after a build, exist).
  const files = config.files ?? [];
  const builtOutputs = [
    pkg.main ?? '(package.json has no "main")',
    'dist/electron/preload.cjs',
    'dist/renderer/index.html',
  ];
  for (const output of builtOutputs) {
    if (!isPacked(output, files))
      fail('files', `${output} is loaded by the app but not matched by "files" in ${CONFIG_FILE}.`);
    if (built && !existsSync(join(repoRoot, output)))
      fail('build outputs', `${output} does not exist: run npm run build:renderer and npm run build:electron first.`);
  }
  if (pkg.main !== 'dist/electron/main.cjs')
    fail('files', `package.json "main" must be dist/electron/main.cjs (the bundled main process), not ${pkg.main}.`);
  if (!built) notes.push('dist/ outputs not required (run with --built to require them, as npm run dist does).');

  // 3. Everything the engine process and its worker threads import at runtime is packed; packages are production dependencies.
  const graph = runtimeGraph(repoRoot, RUNTIME_ENTRIES);
  for (const missing of graph.unresolved) fail('runtime files', `Import not found: ${missing}.`);
  for (const file of graph.files)
    if (!isPacked(file, files))
      fail('runtime files', `${file} runs in the packaged app but is not matched by "files".`);
  for (const name of [...graph.packages].sort()) {
    if (!pkg.dependencies?.[name])
      fail(
        'dependencies',
        `${name} is imported at runtime but is not in "dependencies" (electron-builder packs only those)${pkg.devDependencies?.[name] ? '; it is a devDependency' : ''}.`,
      );
  }
  notes.push(`${graph.files.length} runtime source files and ${graph.packages.size} packages checked.`);

  // 4. Files read by path or run as programs cannot live inside an asar archive.
  if (config.asar !== false) {
    const unpack = config.asarUnpack ?? [];
    const wasmDir = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
    const mustUnpack = [
      ...(existsSync(join(repoRoot, wasmDir))
        ? readdirSync(join(repoRoot, wasmDir))
            .filter((f) => f.endsWith('.wasm'))
            .map((f) => `${wasmDir}/${f}`)
        : []),
      'electron/engine/node/run/worker-entry.js',
      'electron/engine/core/layers/index.ts',
      'node_modules/@esbuild/linux-x64/bin/esbuild',
    ];
    for (const path of mustUnpack)
      if (!isPacked(path, unpack))
        fail(
          'asar',
          `With asar on, ${path} must be in asarUnpack (it is read by path, run in a worker thread, or executed).`,
        );
  } else
    notes.push(
      'asar is off: the engine runs its TypeScript through tsx and bundles the layers module with esbuild from real files.',
    );

  // 5. Icons are real images of the sizes each platform needs.
  problems.push(...checkIcons(repoRoot, config));

  // 6. The Electron the app is packaged with is the one it is developed and type-checked against.
  const installed = (
    JSON.parse(readFileSync(join(repoRoot, 'node_modules/electron/package.json'), 'utf8')) as { version: string }
  ).version;
  if (pkg.devDependencies?.electron !== installed)
    fail(
      'electron',
      `package.json wants electron ${pkg.devDependencies?.electron}, node_modules has ${installed}: run npm ci.`,
    );
  return { problems, notes };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { problems, notes } = await validateBuilderConfig(root, process.argv.includes('--built'));
  for (const note of notes) console.log(`  ${note}`);
  if (problems.length) {
    console.error(`${CONFIG_FILE}: ${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
    for (const p of problems) console.error(`  [${p.check}] ${p.message}`);
    process.exitCode = 1;
  } else console.log(`${CONFIG_FILE} is valid (electron-builder schema, packed files, dependencies, icons).`);
}
