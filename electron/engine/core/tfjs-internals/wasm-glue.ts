/**
 * The pieces of tfjs-backend-wasm's Node bundle (tf-backend-wasm.node.js) that its threaded-SIMD build needs, cut out
 * of the bundle's text (never modified on disk). The package ships the Emscripten glue of that build inside its
 * CommonJS bundle but never uses it in Node: it turns threads off there, and its browser path hands the pthread
 * workers `blob:` URLs that Node's worker_threads cannot load. node/wasm-threads.ts re-evaluates the same glue with
 * its own module options instead. Pure string work: reading the file is the caller's.
 */
export interface ThreadedGlue {
  /** The package's version, from the bundle. */
  version: string;
  /** Script source that defines `WasmBackendModuleThreadedSimd` (the Emscripten module factory) given the free names in `requireAliases`. */
  factorySource: string;
  /** Free names the factory source expects: the bundle's `require$$N` module aliases, and the module each stands for. */
  requireAliases: Record<string, string>;
  /** The pthread worker script the package embeds (its Node branch sets up worker_threads itself). */
  workerSource: string;
}

const FACTORY_START = 'var WasmBackendModuleThreadedSimd = (function () {';
const FACTORY_END = 'module.exports = WasmBackendModuleThreadedSimd;';
const POOL_SIZE = /var pthreadPoolSize = \d+;/;

/** Cuts the threaded glue out of the bundle's text; throws with what is missing when it is not the layout of 4.22. */
export function extractThreadedGlue(text: string, bundlePath: string): ThreadedGlue {
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
  if (!POOL_SIZE.test(factoryExpr)) throw fail("the factory's pthreadPoolSize was not found");
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
  return { version, factorySource, requireAliases, workerSource };
}

/** The factory source with Emscripten's pthread pool (started up front, a Node isolate each) sized to `size`. */
export function withPthreadPoolSize(factorySource: string, size: number): string {
  return factorySource.replace(POOL_SIZE, `var pthreadPoolSize = ${size};`);
}

type CWrap = (name: string, returnType: string | null, argTypes: string[]) => (...args: number[]) => number;

/** The C functions BackendWasm expects on `module.tfjs`, bound as the package's own loader binds them. */
export function bindBackendFunctions(module: { cwrap: CWrap }): Record<string, unknown> {
  return {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
}
