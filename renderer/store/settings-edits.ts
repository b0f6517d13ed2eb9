import type { GraphDocument } from '../../graph-schemas';
import type { Command } from './command';

/** A path into the document's settings, e.g. ['training', 'generatorOptimizer', 'lr'] or ['dataset', 'source']. */
export type SettingPath = readonly ['training' | 'dataset' | 'name' | 'description', ...string[]];

export function getSetting(doc: GraphDocument, path: SettingPath): unknown {
  let value: unknown = doc;
  for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
  return value;
}

function setIn(target: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [key, ...rest] = path as [string, ...string[]];
  const obj = (typeof target === 'object' && target !== null ? target : {}) as Record<string, unknown>;
  return { ...obj, [key]: setIn(obj[key], rest, value) };
}

/** Sets one training, dataset or document setting; the value must already pass its schema (the panel checks). */
export function setSetting(path: SettingPath, value: unknown, label = `Set ${path[path.length - 1]}`): Command {
  return {
    label,
    mergeKey: `setting:${path.join('.')}`,
    run: (doc) => {
      if (JSON.stringify(getSetting(doc, path)) === JSON.stringify(value)) return { doc };
      return { doc: setIn(doc, path, value) as GraphDocument };
    },
  };
}
