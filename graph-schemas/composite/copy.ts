import type { AnyBlock } from '../block';
import { getBlock } from '../blocks';
import type { CompositeDefinition, GraphDocument, NetworkName } from '../document';
import type { PortValue } from '../ports';
import { validateGraph } from '../validate';

/**
 * "Make editable copy": a composite definition holding a built-in block's inside (its parts, with the node's
 * params), the built-in's ports, and as exposed params the ones every inner conv shares (channels, spectral norm,
 * bias), defaulting to the node's values. Inner ids stay the engine's sub-layer names, so a copy has the same
 * weight names as the built-in it replaces.
 */
export function editableCopy(
  block: AnyBlock,
  params: Record<string, unknown>,
  inputs: Partial<Record<string, PortValue>>,
  type: string,
): CompositeDefinition | undefined {
  if (!block.inside) return undefined;
  const inside = block.inside(params, inputs);
  const convs = inside.nodes.filter((n) => n.type === 'Conv2D').map((n) => n.id);
  const exposed: CompositeDefinition['params'] = [];
  const share = (name: string, innerParam: string, description: string) => {
    if (params[name] === undefined || convs.length === 0) return;
    exposed.push({
      name,
      description,
      default: params[name] as number | string | boolean,
      targets: convs.map((node) => ({ node, param: innerParam })),
    });
  };
  share('outChannels', 'filters', 'Channels of the output feature map (every conv inside).');
  share('spectralNorm', 'spectralNorm', 'Spectral normalisation of every conv inside.');
  share('bias', 'bias', 'A learned bias in every conv inside.');
  const targeted = new Set(exposed.flatMap((p) => p.targets.map((t) => t.node)));
  return {
    type,
    title: `${block.title} (copy)`,
    description: `An editable copy of ${block.title}: ${block.description}`,
    networks: [...block.networks],
    basedOn: block.type,
    inputs: block.inputs
      .filter((p) => inside.edges.some((e) => e.source === '$in' && e.sourcePort === p.name))
      .map((p) => ({ name: p.name, accepts: [...p.accepts], required: true, description: p.description })),
    outputs: block.outputs.map((p) => ({ name: p.name, kind: p.kind, description: p.description })),
    params: exposed,
    // Params a use sets are left out of the inner nodes, so the definition shows them once, on the block.
    nodes: inside.nodes.map((n) =>
      targeted.has(n.id)
        ? {
            ...n,
            params: Object.fromEntries(Object.entries(n.params).filter(([k]) => !exposedKeys(exposed, n.id).has(k))),
          }
        : n,
    ),
    edges: inside.edges,
  };
}

function exposedKeys(exposed: CompositeDefinition['params'], node: string): Set<string> {
  return new Set(exposed.flatMap((p) => p.targets.filter((t) => t.node === node).map((t) => t.param)));
}

/** A type name for a copy of `base` not yet used in the document ("ResBlockUpCopy", "ResBlockUpCopy2", …). */
export function freeTypeName(doc: Pick<GraphDocument, 'blocks'>, base: string): string {
  const taken = new Set((doc.blocks ?? []).map((b) => b.type));
  let name = `${base}Copy`;
  for (let k = 2; taken.has(name) || getBlock(name); k++) name = `${base}Copy${k}`;
  return name;
}

/**
 * "Make editable copy" on a node: adds the copy of its built-in to the document's blocks and makes the node a
 * use of it (same id, the exposed params set to the node's values, connections kept). Null when the node's block
 * has no inside or its params do not validate. Pure: returns a new document.
 */
export function makeEditableCopy(
  doc: GraphDocument,
  network: NetworkName,
  nodeId: string,
  type: string = freeTypeName(doc, doc[network].nodes.find((n) => n.id === nodeId)?.type ?? 'Block'),
): { doc: GraphDocument; type: string } | null {
  const report = validateGraph(doc).nodes.find((n) => n.network === network && n.id === nodeId);
  const block = report && getBlock(report.type);
  if (!report?.config || !block) return null;
  const def = editableCopy(block, report.config, report.inputs, type);
  if (!def) return null;
  const params = Object.fromEntries(def.params.map((p) => [p.name, p.default]));
  return {
    type,
    doc: {
      ...doc,
      blocks: [...doc.blocks, def],
      [network]: {
        ...doc[network],
        nodes: doc[network].nodes.map((n) => (n.id === nodeId ? { ...n, type, version: 1, params } : n)),
      },
    },
  };
}
