import type { GraphDocument } from '../../graph-schemas';
import { findPreset } from '../../graph-schemas';

/** A preset document, deep-frozen so a test fails if any edit mutates a document instead of replacing it. */
export function frozenPreset(name = 'sagan-32'): GraphDocument {
  return deepFreeze(findPreset(name)!.build());
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
