import { z } from 'zod';
import type { AnyBlock, DocumentContext, InferOutput } from '../block';
import { getBlock } from '../blocks';
import type { CompositeDefinition, GraphEdge, GraphNode } from '../document';
import type { PortValue } from '../ports';
import type { NodeReport, Problem } from '../validate';
import { SUBGRAPH_INPUT, SUBGRAPH_OUTPUT } from './subgraph';

/** How deep composites may nest (a block inside a block inside …). */
export const MAX_COMPOSITE_DEPTH = 16;

/** The network validator, handed in (validate.ts uses this module, so it cannot be imported from here). */
export type InnerValidator = (
  nodes: GraphNode[],
  edges: GraphEdge[],
  ctx: DocumentContext,
  problems: Problem[],
  resolve: BlockResolver,
  inside: boolean,
) => { nodes: NodeReport[] };

export type BlockResolver = (type: string) => AnyBlock | undefined;

/** What a composite's use reports of its inside: every inner node's report and problem, ids relative to the use. */
export interface InsideReport {
  nodes: NodeReport[];
  problems: Problem[];
}

/** The inner nodes of a definition with the exposed params of one use written into them. */
export function innerNodes(def: CompositeDefinition, params: Record<string, unknown>): GraphNode[] {
  const set = new Map<string, Record<string, unknown>>();
  for (const p of def.params) {
    const value = params[p.name] ?? p.default;
    for (const t of p.targets) set.set(t.node, { ...set.get(t.node), [t.param]: value });
  }
  return def.nodes.map((n) => (set.has(n.id) ? { ...n, params: { ...n.params, ...set.get(n.id) } } : n));
}

/** The zod field of an exposed param: the first target's own field (range, help), with the composite's default. */
function exposedField(def: CompositeDefinition, p: CompositeDefinition['params'][number], resolve: BlockResolver) {
  const target = p.targets[0]!;
  const inner = def.nodes.find((n) => n.id === target.node);
  const field = inner && resolve(inner.type)?.params.shape[target.param];
  const base = field ? (field as z.ZodType) : z.union([z.number(), z.string(), z.boolean()]);
  return base
    .default(p.default as never)
    .describe(p.description || field?.description || `Sets ${target.node}.${target.param}.`);
}

/**
 * The block a composite definition acts as: its ports and exposed params, and shape inference that validates its
 * inside with the values at its inputs. `stack` holds the composites being inferred around it, so a composite that
 * (directly or through others) holds itself is refused on the inner node that does it, not expanded for ever.
 */
export function compositeAsBlock(
  def: CompositeDefinition,
  composites: ReadonlyMap<string, CompositeDefinition>,
  validate: InnerValidator,
  stack: readonly string[] = [],
): AnyBlock {
  const within = [...stack, def.type];
  const resolveInside: BlockResolver = (type) => {
    const inner = composites.get(type);
    if (!inner) return getBlock(type);
    if (within.includes(type) || within.length >= MAX_COMPOSITE_DEPTH) return refusedBlock(inner, within, composites);
    return compositeAsBlock(inner, composites, validate, within);
  };
  const params = z.object(Object.fromEntries(def.params.map((p) => [p.name, exposedField(def, p, resolveInside)])));
  return {
    type: def.type,
    version: 1,
    title: def.title,
    category: 'Composite',
    description: def.description || `A block of this document made of ${def.nodes.length} parts.`,
    networks: def.networks,
    params,
    inputs: def.inputs.map((p) => ({ ...p, description: p.description || `Input "${p.name}".` })),
    outputs: def.outputs.map((p) => ({ ...p, description: p.description || `Output "${p.name}".` })),
    migrations: [],
    idStem: def.type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase(),
    composite: true,
    infer: ({ params: values, inputs, doc }): InferOutput => {
      const captured: Partial<Record<string, PortValue>> = {};
      const boundary: BlockResolver = (type) =>
        type === SUBGRAPH_INPUT
          ? boundaryIn(def, inputs)
          : type === SUBGRAPH_OUTPUT
            ? boundaryOut(def, captured)
            : resolveInside(type);
      const nodes: GraphNode[] = [
        { id: SUBGRAPH_INPUT, type: SUBGRAPH_INPUT, version: 1, params: {} },
        ...innerNodes(def, values),
        { id: SUBGRAPH_OUTPUT, type: SUBGRAPH_OUTPUT, version: 1, params: {} },
      ];
      const problems: Problem[] = [];
      const result = validate(nodes, def.edges, doc, problems, boundary, true);
      const inner = result.nodes.filter((n) => n.id !== SUBGRAPH_INPUT && n.id !== SUBGRAPH_OUTPUT);
      return {
        outputs: captured,
        params: inner.filter((n) => n.insideOf === undefined).reduce((sum, n) => sum + n.params, 0),
        problems: [],
        inside: { nodes: inner, problems: problems.filter((p) => p.nodeId !== SUBGRAPH_OUTPUT) },
      };
    },
  };
}

/** The pseudo node whose outputs are the values arriving at the composite's inputs. */
function boundaryIn(def: CompositeDefinition, given: Partial<Record<string, PortValue>>): AnyBlock {
  return {
    ...pseudo(SUBGRAPH_INPUT, 'Block inputs'),
    outputs: def.inputs.map((p) => ({ name: p.name, kind: p.accepts[0]!, description: p.description })),
    infer: () => ({ outputs: given, params: 0, problems: [] }),
  };
}

/** The pseudo node that takes what the inside gives at the composite's outputs. */
function boundaryOut(def: CompositeDefinition, captured: Partial<Record<string, PortValue>>): AnyBlock {
  return {
    ...pseudo(SUBGRAPH_OUTPUT, 'Block outputs'),
    inputs: def.outputs.map((p) => ({ name: p.name, accepts: [p.kind], required: false, description: p.description })),
    infer: ({ inputs }) => {
      Object.assign(captured, inputs);
      return { outputs: {}, params: 0, problems: [] };
    },
  };
}

function pseudo(type: string, title: string): AnyBlock {
  return {
    type,
    version: 1,
    title,
    category: 'Composite',
    description: title,
    networks: ['generator', 'discriminator'],
    params: z.object({}),
    inputs: [],
    outputs: [],
    migrations: [],
    idStem: 'boundary',
    infer: () => ({ outputs: {}, params: 0, problems: [] }),
  };
}

/** A composite used inside itself (or nested too deep): its ports, so connections check, and one clear error. */
function refusedBlock(
  def: CompositeDefinition,
  within: readonly string[],
  composites: ReadonlyMap<string, CompositeDefinition>,
): AnyBlock {
  const named = (types: readonly string[]) => types.map((t) => composites.get(t)?.title ?? t).join(' → ');
  const why = within.includes(def.type)
    ? `"${def.title}" contains itself (${named([...within.slice(within.indexOf(def.type)), def.type])}); a block cannot be used inside itself. Remove this node or use another block here.`
    : `blocks are nested more than ${MAX_COMPOSITE_DEPTH} deep here (${named([...within, def.type])}); flatten some of them.`;
  return {
    ...pseudo(def.type, def.title),
    params: z.object({}).passthrough(),
    inputs: def.inputs.map((p) => ({ ...p, required: false })),
    outputs: def.outputs,
    infer: () => ({ outputs: {}, params: 0, problems: [{ severity: 'error', message: why }] }),
  };
}
