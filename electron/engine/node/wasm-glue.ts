import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/**
 * The pieces of tfjs-backend-wasm's Node bundle that its threaded-SIMD build needs, read (never modified) from
 * node_modules. The package ships the Emscripten glue of that build inside its CommonJS bundle but never uses it
 * in Node: it turns threads off there, and its browser path hands the pthread workers `blob:` URLs that Node's
 * worker_threads cannot load. We re-evaluate the same glue with our own module options instead (wasm-threads.ts).
 */
export interface ThreadedGlue {
  /** Folder with the .wasm binaries (trailing slash). */
  distDir: string;
  /** The package's version, from the bundle we read. */
  version: string;
  /** Script source that defines `WasmBackendModuleThreadedSimd` (the Emscripten module factory) given the free names in `freeNames`. */
  factorySource: string;
  /** Free names the factory source expects: the bundle's `require$$N` module aliases and tslib helpers it uses. */
  requireAliases: Record<string, string>;
  /** The pthread worker script the package embeds (its Node branch sets up worker_threads itself). */
  workerSource: string;
}

const require = createRequire(import.meta.url);
const FACTORY_START = 'var WasmBackendModuleThreadedSimd = (function () {';
const FACTORY_END = 'module.exports = WasmBackendModuleThreadedSimd;';

let cached: ThreadedGlue | null = null;

/** The package's dist folder with its .wasm binaries, as setWasmPaths wants it (file path, trailing slash). */
export function wasmDistDir(): string {
  return `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`;
}

/** Reads the threaded glue out of the installed package; throws with what is wrong when the bundle is not the layout we know (4.22). */
export function readThreadedGlue(): ThreadedGlue {
  if (cached) return cached;
  const bundlePath = require.resolve('@tensorflow/tfjs-backend-wasm');
  const text = readFileSync(bundlePath, 'utf8');
  const fail = (what: string) =>
    new Error(
      `Cannot enable wasm threads: ${what} in ${bundlePath} (written for @tensorflow/tfjs-backend-wasm 4.22.0).`,
    );
  const start = text.indexOf(FACTORY_START);
  const end = start < 0 ? -1 : text.indexOf(FACTORY_END, start);
  if (start < 0 || end < 0) throw fail('the threaded-SIMD module factory was not found');
  const factoryExpr = text
    .slice(start + 'var WasmBackendModuleThreadedSimd = '.length, end)
    .trim()
    .replace(/;$/, '');
  // Top-level helpers of the bundle (tslib's __values, __read, ...) that the factory calls.
  const helpers = [...new Set(factoryExpr.match(/\b__[a-zA-Z]+\b(?=\()/g) ?? [])].map((name) => {
    const at = text.indexOf(`\nfunction ${name}(`);
    return at < 0 ? '' : text.slice(at + 1, text.indexOf('\n}\n', at) + 2);
  });
  const requireAliases: Record<string, string> = {};
  for (const alias of new Set(factoryExpr.match(/\brequire\$\$\d+\b/g) ?? [])) {
    const decl = new RegExp(`\\nvar ${alias.replace(/\$/g, '\\$')} = require\\('([^']+)'\\);`).exec(text);
    if (!decl) throw fail(`the module behind ${alias} was not found`);
    requireAliases[alias] = decl[1]!;
  }
  const worker = /\nvar wasmWorkerContents = (".*");\n/.exec(text);
  if (!worker) throw fail('the pthread worker script was not found');
  // The bundle stores the worker with its "\n" escapes unescaped; the package re-escapes them the same way before use.
  const workerSource = (JSON.parse(worker[1]!) as string).replace(/\n/g, '\\n');
  const version = /\nvar version = '([^']+)';/.exec(text)?.[1] ?? 'unknown';
  const factorySource = `${helpers.join('\n')}\nvar WasmBackendModuleThreadedSimd = ${factoryExpr};\n`;
  cached = { distDir: wasmDistDir(), version, factorySource, requireAliases, workerSource };
  return cached;
}
