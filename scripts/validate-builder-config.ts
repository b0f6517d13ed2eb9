// `npm run check:build-config`: validates build/electron-builder.json without downloading anything: against
// app-builder-lib's own JSON schema, and with checks that what the packaged app loads is packed (see
// builder-config-checks.ts). It builds the Electron bundles (into a temporary folder; `--built`, as npm run dist
// passes, checks the ones in dist/ instead, which must exist), checks their layout, and starts the bundled engine
// in plain Node, which must answer and train one iteration: the packaged app runs no TypeScript.
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildElectron } from './build-electron';
import type { BuilderConfig, Problem } from './builder-config-checks';
import {
  checkDawnBuilds,
  checkIcons,
  dependencyClosure,
  filesEndingWith,
  isModulePacked,
  isPacked,
} from './builder-config-checks';
import { checkEngineLayout, readManifest } from './engine-bundle';
import { probeEngine } from './engine-probe';

const root = fileURLToPath(new URL('..', import.meta.url));
export const CONFIG_FILE = 'build/electron-builder.json';
/** The packaged app must not carry these: everything it runs is bundled JavaScript. */
export const BUILD_TOOLS = ['tsx', 'esbuild'];

interface PackageJson {
  main?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export interface ValidateOptions {
  /** Require the build outputs in dist/ (npm run dist). */
  built: boolean;
  /** A built dist/engine folder, whose bundles' packages are checked (check:build-config builds one). */
  engineDir?: string;
  /** Replaces build/electron-builder.json (tests check what a broken one gets). */
  config?: BuilderConfig;
}

export async function validateBuilderConfig(
  repoRoot: string,
  opts: ValidateOptions,
): Promise<{ problems: Problem[]; notes: string[] }> {
  const problems: Problem[] = [];
  const notes: string[] = [];
  const fail = (check: string, message: string) => problems.push({ check, message });
  const config = opts.config ?? (JSON.parse(readFileSync(join(repoRoot, CONFIG_FILE), 'utf8')) as BuilderConfig);
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as PackageJson;
  const files = config.files ?? [];

  // 1. The schema electron-builder itself checks with (app-builder-lib/scheme.json), via its own validator.
  const require = createRequire(join(repoRoot, 'package.json'));
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
    validateConfiguration(c: unknown, log: unknown): Promise<void>;
  };
  await validateConfiguration(config, { isEnabled: false, add: () => undefined }).catch((e: Error) =>
    fail('schema', e.message),
  );

  // 2. What the app loads from its folder is packed (and, after a build, exists).
  const engine = opts.engineDir && existsSync(opts.engineDir) ? readManifest(opts.engineDir) : null;
  const builtOutputs = [
    pkg.main ?? '(package.json has no "main")',
    'dist/electron/preload.cjs',
    'dist/renderer/index.html',
    'dist/engine/package.json',
    ...(engine?.bundles.map((b) => `dist/engine/${b.out}`) ?? ['dist/engine/engine-process.mjs']),
  ];
  for (const output of builtOutputs) {
    if (!isPacked(output, files))
      fail('files', `${output} is loaded by the app but not matched by "files" in ${CONFIG_FILE}.`);
    if (opts.built && !existsSync(join(repoRoot, output)))
      fail('build outputs', `${output} does not exist: run npm run build:renderer and npm run build:electron first.`);
  }
  if (pkg.main !== 'dist/electron/main.cjs')
    fail('files', `package.json "main" must be dist/electron/main.cjs (the bundled main process), not ${pkg.main}.`);

  // 3. The packages the engine loads at run time, and all they load, are production dependencies and packed; the
  //    build tools are not (the packaged app runs no TypeScript).
  const runtime = [...new Set(engine?.bundles.flatMap((b) => b.packages) ?? [])].sort();
  if (!engine) notes.push('No engine bundle given: its packages were not checked.');
  for (const name of runtime)
    if (!pkg.dependencies?.[name])
      fail(
        'dependencies',
        `${name} is loaded at run time but is not in "dependencies" (electron-builder packs only those)${pkg.devDependencies?.[name] ? '; it is a devDependency' : ''}.`,
      );
  const closure = dependencyClosure(repoRoot, runtime);
  for (const dir of closure)
    if (!isModulePacked(`${dir}/package.json`, files))
      fail('files', `${dir} is loaded at run time (by ${runtime.join(', ')}) but excluded by "files".`);
  for (const tool of BUILD_TOOLS)
    if (isModulePacked(`node_modules/${tool}/package.json`, files))
      fail(
        'files',
        `node_modules/${tool} would be packed: exclude it ("!**/node_modules/${tool}/**"); nothing runs it.`,
      );
  // Binaries read by path (tfjs's .wasm, a native .node addon such as webgpu's dawn.node) must be packed.
  const binaries = closure.flatMap((dir) => filesEndingWith(repoRoot, dir, ['.wasm', '.node']));
  for (const file of binaries)
    if (!isModulePacked(file, files)) fail('files', `${file} is loaded at run time but excluded by "files".`);
  notes.push(
    `${runtime.length} runtime packages (${closure.length} with what they load) and ${binaries.length} binaries.`,
  );
  if (runtime.includes('webgpu')) for (const message of checkDawnBuilds(repoRoot, config)) fail('files', message);

  // 4. Files read by path, run as programs or as worker threads cannot live inside an asar archive.
  if (config.asar !== false) {
    const mustUnpack = [...binaries, ...(engine?.bundles.map((b) => `dist/engine/${b.out}`) ?? [])];
    for (const path of mustUnpack)
      if (!isPacked(path, config.asarUnpack ?? []))
        fail('asar', `With asar on, ${path} must be in asarUnpack (it is read by path or runs in a worker thread).`);
  } else
    notes.push('asar is off: the engine reads the tfjs wasm binaries by path and starts worker threads from files.');

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

/** Builds the bundles into a temporary folder laid out like the app's (node_modules beside dist). */
async function buildInTemp(): Promise<{ engineDir: string; cleanUp(): void }> {
  const temp = mkdtempSync(join(tmpdir(), 'sagan-check-build-'));
  symlinkSync(join(root, 'node_modules'), join(temp, 'node_modules'));
  const { engineDir } = await buildElectron(temp);
  return { engineDir, cleanUp: () => rmSync(temp, { recursive: true, force: true }) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const built = process.argv.includes('--built');
  const build = built ? { engineDir: join(root, 'dist', 'engine'), cleanUp: () => undefined } : await buildInTemp();
  try {
    const { problems, notes } = await validateBuilderConfig(root, { built, engineDir: build.engineDir });
    problems.push(...checkEngineLayout(root, build.engineDir).map((message) => ({ check: 'engine bundle', message })));
    if (problems.length === 0) {
      const started = Date.now();
      const { estimate } = await probeEngine(join(build.engineDir, 'engine-process.mjs'), { estimate: true }).catch(
        (e: Error) => {
          problems.push({ check: 'engine bundle', message: `It does not run in plain Node: ${e.message}` });
          return { estimate: null };
        },
      );
      if (estimate)
        notes.push(
          `The bundled engine ran in plain Node: one sagan-mnist iteration on ${estimate.backend} (${Date.now() - started} ms with start-up).`,
        );
    }
    for (const note of notes) console.log(`  ${note}`);
    if (problems.length) {
      console.error(`${CONFIG_FILE}: ${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
      for (const p of problems) console.error(`  [${p.check}] ${p.message}`);
      process.exitCode = 1;
    } else
      console.log(
        `${CONFIG_FILE} is valid (electron-builder schema, packed files, dependencies, icons, engine bundle).`,
      );
  } finally {
    build.cleanUp();
  }
}
