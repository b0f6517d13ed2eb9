import type { AnyBlock } from '../block';
import { getBlock } from '../blocks';
import type { CompositeDefinition, GraphDocument } from '../document';
import type { Problem } from '../validate';
import type { BlockResolver, InnerValidator } from './as-block';
import { compositeAsBlock } from './as-block';
import { SUBGRAPH_INPUT, SUBGRAPH_OUTPUT } from './subgraph';

/** The document's composite block types by type name (the first of each name; a second is reported). */
export function compositesOf(doc: Pick<GraphDocument, 'blocks'>): Map<string, CompositeDefinition> {
  const map = new Map<string, CompositeDefinition>();
  for (const def of doc.blocks ?? []) if (!map.has(def.type) && !getBlock(def.type)) map.set(def.type, def);
  return map;
}

/**
 * The blocks a document's nodes may use (the catalog's, then its composites') and what is wrong with its
 * composite definitions themselves, each problem naming the block type and, where one is to blame, the inner node.
 */
export function compositeResolver(
  doc: Pick<GraphDocument, 'blocks'>,
  validate: InnerValidator,
): { resolve: BlockResolver; problems: Problem[] } {
  const composites = compositesOf(doc);
  const cache = new Map<string, AnyBlock>();
  const resolve: BlockResolver = (type) => {
    const builtIn = getBlock(type);
    if (builtIn) return builtIn;
    const def = composites.get(type);
    if (!def) return undefined;
    let block = cache.get(type);
    if (!block) cache.set(type, (block = compositeAsBlock(def, composites, validate)));
    return block;
  };
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const def of doc.blocks ?? []) {
    const say = (message: string, nodeId?: string, severity: Problem['severity'] = 'error') =>
      problems.push({
        severity,
        block: def.type,
        ...(nodeId ? { nodeId } : {}),
        message: `Block "${def.type}": ${message}`,
      });
    if (getBlock(def.type)) {
      say(`a built-in block has this type name; rename the block (e.g. "My${def.type}").`);
      continue;
    }
    if (seen.has(def.type)) {
      say('two blocks of this document have this type name; rename one of them.');
      continue;
    }
    seen.add(def.type);
    checkDefinition(def, resolve, say);
  }
  for (const cycle of definitionCycles(composites)) {
    const [first, via] = cycle;
    problems.push({
      severity: 'error',
      block: first!.type,
      nodeId: via!,
      message: `Block "${first!.type}" contains itself: "${via}" is ${cycle
        .slice(2)
        .map((t) => `a "${t as string}"`)
        .join(', which holds ')}. A block cannot be used inside itself; remove that node.`,
    });
  }
  return { resolve, problems };
}

type Say = (message: string, nodeId?: string, severity?: Problem['severity']) => void;

function checkDefinition(def: CompositeDefinition, resolve: BlockResolver, say: Say) {
  const ids = new Set<string>();
  for (const n of def.nodes) {
    if (n.id === SUBGRAPH_INPUT || n.id === SUBGRAPH_OUTPUT || n.id.includes('/'))
      say(
        `an inner node may not be called "${n.id}" (no "/", and "$in"/"$out" name the block's ports); rename it.`,
        n.id,
      );
    else if (ids.has(n.id)) say(`two inner nodes share the id "${n.id}"; give each its own.`, n.id);
    ids.add(n.id);
  }
  const inputs = new Set(def.inputs.map((p) => p.name));
  const outputs = new Set(def.outputs.map((p) => p.name));
  const usedInputs = new Set<string>();
  const fed = new Map<string, number>();
  for (const e of def.edges) {
    if (e.target === SUBGRAPH_INPUT || e.source === SUBGRAPH_OUTPUT) {
      say(`a connection runs the wrong way through the block's ports (${e.source} → ${e.target}); remove it.`);
      continue;
    }
    if (e.source === SUBGRAPH_INPUT) {
      if (!inputs.has(e.sourcePort))
        say(
          `a connection starts at input "${e.sourcePort}", which the block does not have; add the input or remove the connection.`,
          e.target,
        );
      usedInputs.add(e.sourcePort);
    } else if (!ids.has(e.source))
      say(`a connection starts at "${e.source}", which is not inside the block; remove it.`);
    if (e.target === SUBGRAPH_OUTPUT) {
      if (!outputs.has(e.targetPort))
        say(
          `a connection ends at output "${e.targetPort}", which the block does not have; add the output or remove the connection.`,
          e.source,
        );
      fed.set(e.targetPort, (fed.get(e.targetPort) ?? 0) + 1);
    } else if (!ids.has(e.target)) say(`a connection ends at "${e.target}", which is not inside the block; remove it.`);
  }
  for (const p of def.outputs)
    if (!fed.get(p.name))
      say(`its output "${p.name}" is not connected inside: connect the inner node that gives it to the output.`);
  for (const p of def.inputs)
    if (!usedInputs.has(p.name))
      say(
        `its input "${p.name}" leads nowhere inside: connect it to an inner node, or remove the input.`,
        undefined,
        'warning',
      );
  const names = new Set<string>();
  for (const p of def.params) {
    if (names.has(p.name)) say(`two exposed params are called "${p.name}"; rename one.`);
    names.add(p.name);
    for (const t of p.targets) {
      const node = def.nodes.find((n) => n.id === t.node);
      const block = node && resolve(node.type);
      if (!node) say(`exposed param "${p.name}" sets "${t.node}.${t.param}", but there is no inner node "${t.node}".`);
      else if (block && !(t.param in block.params.shape))
        say(`exposed param "${p.name}" sets "${t.param}", which ${block.title} "${t.node}" does not have.`, t.node);
    }
  }
}

/** Cycles of composites using composites: each as [definition, its inner node that starts it, types along it…]. */
function definitionCycles(
  composites: ReadonlyMap<string, CompositeDefinition>,
): [CompositeDefinition, string, ...string[]][] {
  const cycles: [CompositeDefinition, string, ...string[]][] = [];
  for (const def of composites.values()) {
    // Depth-first from each inner node whose type is a composite, until the definition shows up again.
    for (const node of def.nodes) {
      if (!composites.has(node.type)) continue;
      const path = findPath(node.type, def.type, composites, new Set());
      if (path) {
        cycles.push([def, node.id, ...path]);
      }
    }
  }
  return cycles;
}

/** The types from `from` to `goal` through the composites' insides, or null. */
function findPath(
  from: string,
  goal: string,
  composites: ReadonlyMap<string, CompositeDefinition>,
  visited: Set<string>,
): string[] | null {
  if (from === goal) return [from];
  if (visited.has(from)) return null;
  visited.add(from);
  for (const node of composites.get(from)?.nodes ?? []) {
    if (!composites.has(node.type)) continue;
    const rest = findPath(node.type, goal, composites, visited);
    if (rest) return [from, ...rest];
  }
  return null;
}
