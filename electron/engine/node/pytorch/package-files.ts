import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blockModuleSource, configSource, modelSource, usedBlockModules } from './model-source';
import type { ExportPlan } from './plan';
import type { ReadmeOptions } from './readme';
import { packageReadme } from './readme';

const HERE = dirname(fileURLToPath(import.meta.url));
/** Python files shipped as they are: the layers the blocks share, data loading, training, sampling, checkpoints. */
export const PYTHON_DIR = join(HERE, 'python');
export const STATIC_PYTHON_FILES = ['layers.py', 'data.py', 'weights.py', 'train.py', 'sample.py'] as const;
/** The engine's own bundle reader/writer (parity tests use it too), copied unchanged so the two never drift. */
export const TENSOR_BUNDLE_SOURCE = join(HERE, '..', '..', 'parity', 'tensor_bundle.py');

function readShipped(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(
      `Cannot read ${path}, which the PyTorch export ships (${(e as NodeJS.ErrnoException).code ?? String(e)}); is the SAGAN Studio installation complete?`,
    );
  }
}

/**
 * Every file of the exported package (relative path → text), deterministic for a given document: model.py,
 * config.py and blocks/*.py generated from the graph and the block emitters, the static Python beside them,
 * the document itself and the README.
 */
export function packageFiles(plan: ExportPlan, readme: ReadmeOptions): Map<string, string> {
  const files = new Map<string, string>();
  files.set('README.md', packageReadme(plan, readme));
  files.set('graph.sagan.json', `${JSON.stringify(plan.doc, null, 2)}\n`);
  files.set('config.py', configSource(plan));
  files.set('model.py', modelSource(plan));
  files.set('blocks/__init__.py', '"""One module per block type of SAGAN Studio\'s catalog that this graph uses."""\n');
  for (const [file, { type, module }] of usedBlockModules(plan))
    files.set(`blocks/${file}.py`, blockModuleSource(type, module));
  for (const name of STATIC_PYTHON_FILES) files.set(name, readShipped(join(PYTHON_DIR, name)));
  files.set('tensor_bundle.py', readShipped(TENSOR_BUNDLE_SOURCE));
  return files;
}
