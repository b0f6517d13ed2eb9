import { getBlock } from '../blocks';
import type { CompositeDefinition, GraphDocument } from '../document';

/**
 * Blocks of a document carried to another one (copy and paste of nodes between documents): the definitions copied
 * nodes use, and how they join the target document's own.
 */

/**
 * The document's block definitions that nodes of the given types need: those types' and, transitively, the ones
 * used inside them, inner ones first (so a definition comes after every definition it uses).
 */
export function definitionsUsed(doc: Pick<GraphDocument, 'blocks'>, types: Iterable<string>): CompositeDefinition[] {
  const byType = new Map<string, CompositeDefinition>();
  for (const def of doc.blocks ?? []) if (!byType.has(def.type)) byType.set(def.type, def);
  const out: CompositeDefinition[] = [];
  const seen = new Set<string>();
  const visit = (type: string) => {
    const def = byType.get(type);
    if (!def || seen.has(type)) return;
    seen.add(type);
    for (const n of def.nodes) visit(n.type);
    out.push(def);
  };
  for (const type of types) visit(type);
  return out;
}

export interface MergeOutcome {
  /** The target's definitions followed by the incoming ones it did not have. */
  blocks: CompositeDefinition[];
  /** Incoming type → the type it has in the target (itself where added or reused as is). */
  types: Map<string, string>;
  /** Incoming types added under another name, as [incoming, new]: the target has a different block so called. */
  renamed: [string, string][];
  /** Incoming types the target had already, identical, so its definition is used. */
  reused: string[];
}

/**
 * Joins incoming definitions (as `definitionsUsed` gives them: inner ones first) to a document's. One the target
 * has already, identical, is reused; one whose type the target (or the catalog) uses for a different block is
 * added under a free name ("MyBlock2", titled "MyBlock 2"), or reuses an identical block of that name (a second
 * paste); the incoming definitions' inner nodes follow the renames. Pure.
 */
export function mergeDefinitions(
  target: readonly CompositeDefinition[],
  incoming: readonly CompositeDefinition[],
): MergeOutcome {
  const blocks = [...target];
  const types = new Map<string, string>();
  const renamed: [string, string][] = [];
  const reused: string[] = [];
  const find = (type: string) => blocks.find((b) => b.type === type);
  for (const original of incoming) {
    if (types.has(original.type)) continue;
    const def = retyped(original, types);
    const same = find(def.type);
    if (same && sameDefinition(same, def)) {
      types.set(original.type, def.type);
      reused.push(def.type);
      continue;
    }
    if (!same && !getBlock(def.type)) {
      blocks.push(def);
      types.set(original.type, def.type);
      continue;
    }
    for (let k = 2; ; k++) {
      const type = `${def.type.slice(0, 60 - String(k).length)}${k}`;
      const there = find(type);
      if (there && !sameDefinition(there, def)) continue;
      if (getBlock(type)) continue;
      if (!there) blocks.push({ ...def, type, title: `${def.title} ${k}`.slice(0, 200) });
      types.set(original.type, type);
      renamed.push([original.type, type]);
      break;
    }
  }
  return { blocks, types, renamed, reused };
}

/** A definition whose inner nodes use the types they were given under the renames so far. */
function retyped(def: CompositeDefinition, types: ReadonlyMap<string, string>): CompositeDefinition {
  if (!def.nodes.some((n) => types.has(n.type) && types.get(n.type) !== n.type)) return def;
  return { ...def, nodes: def.nodes.map((n) => (types.has(n.type) ? { ...n, type: types.get(n.type)! } : n)) };
}

/** Whether two definitions are the same block apart from their names (type, title, description). */
export function sameDefinition(a: CompositeDefinition, b: CompositeDefinition): boolean {
  const body = ({ type: _t, title: _ti, description: _d, ...rest }: CompositeDefinition) => canonical(rest);
  return body(a) === body(b);
}

/** JSON with object keys sorted, so key order does not matter. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}
