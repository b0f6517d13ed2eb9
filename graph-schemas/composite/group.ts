import { getBlock } from '../blocks';
import type { CompositeDefinition, GraphDocument, GraphEdge, NetworkName } from '../document';
import { edgeKey } from '../document';
import type { PortKind } from '../ports';
import { documentBlock, validateGraph } from '../validate';
import type { ParamChoice } from './expose';
import { checkInnerParam, exposedParams, paramChoices } from './expose';
import { SUBGRAPH_INPUT, SUBGRAPH_OUTPUT } from './subgraph';

export type GroupOutcome =
  { ok: true; doc: GraphDocument; type: string; nodeId: string } | { ok: false; reason: string };

/** The kind a composite's port declares for a value of `kind` (an image is a feature map, noise a vector). */
const general = (kind: PortKind): PortKind => (kind === 'image' ? 'feature' : kind === 'noise' ? 'vector' : kind);

/**
 * "Group into block": the selected nodes of a network become a composite block type of the document (their
 * connections inside kept, one input port per outside value they read, one output port per value read outside)
 * and are replaced by one node of that type, wired as they were. Refuses a selection a block cannot stand for:
 * nothing selected, a network's start or end, or nodes that leave and re-enter the selection through others.
 */
export function groupIntoBlock(
  doc: GraphDocument,
  network: NetworkName,
  nodeIds: readonly string[],
  type: string,
  title = type,
  /** The inner params each use sets (the user's choice); by default the parts' channel counts. */
  expose?: readonly { node: string; param: string }[],
): GroupOutcome {
  const net = doc[network];
  const inside = new Set(nodeIds.filter((id) => net.nodes.some((n) => n.id === id)));
  if (inside.size === 0) return { ok: false, reason: 'Select the nodes to group first.' };
  for (const n of net.nodes) {
    if (!inside.has(n.id)) continue;
    const block = documentBlock(doc, n.type);
    if (block?.requiredInNetwork)
      return {
        ok: false,
        reason: `${block.title} "${n.id}" starts or ends the ${network}; leave it out of the block.`,
      };
  }
  if (getBlock(type) || doc.blocks.some((b) => b.type === type))
    return { ok: false, reason: `A block called "${type}" exists already; choose another name.` };
  if (leavesAndReenters(net.edges, inside))
    return {
      ok: false,
      reason: 'Part of the selection feeds another part through nodes outside it; add those nodes to the selection.',
    };
  const report = validateGraph(doc);
  const valueOf = (e: GraphEdge) =>
    report.edges.find((r) => r.network === network && r.id === (e.id ?? edgeKey(e)))?.value;
  const kindOf = (e: GraphEdge): PortKind => {
    const value = valueOf(e);
    if (value) return general(value.kind);
    const src = net.nodes.find((n) => n.id === e.source);
    return general(
      documentBlock(doc, src?.type ?? '')?.outputs.find((p) => p.name === e.sourcePort)?.kind ?? 'feature',
    );
  };
  const portName = (kind: PortKind, taken: Set<string>, base: string) => {
    let name = kind === 'label' ? 'label' : base;
    for (let k = 2; taken.has(name); k++) name = `${kind === 'label' ? 'label' : base}${k}`;
    taken.add(name);
    return name;
  };

  const inputs: CompositeDefinition['inputs'] = [];
  const inputOf = new Map<string, string>();
  const takenIn = new Set<string>();
  const outputs: CompositeDefinition['outputs'] = [];
  const outputOf = new Map<string, string>();
  const takenOut = new Set<string>();
  const defEdges: GraphEdge[] = [];
  const outerEdges: GraphEdge[] = [];
  const useId = freeNodeId(doc, network, type);
  for (const e of net.edges) {
    const from = inside.has(e.source);
    const to = inside.has(e.target);
    if (from && to) defEdges.push(e);
    else if (to) {
      const key = `${e.source}\u0000${e.sourcePort}`;
      let port = inputOf.get(key);
      if (!port) {
        const kind = kindOf(e);
        inputOf.set(key, (port = portName(kind, takenIn, 'in')));
        inputs.push({ name: port, accepts: [kind], required: true, description: `From "${e.source}".` });
        outerEdges.push(edge(e.source, e.sourcePort, useId, port));
      }
      defEdges.push(edge(SUBGRAPH_INPUT, port, e.target, e.targetPort));
    } else if (from) {
      const key = `${e.source}\u0000${e.sourcePort}`;
      let port = outputOf.get(key);
      if (!port) {
        const kind = kindOf(e);
        outputOf.set(key, (port = portName(kind, takenOut, 'out')));
        outputs.push({ name: port, kind, description: `What "${e.source}" gave.` });
        defEdges.push(edge(e.source, e.sourcePort, SUBGRAPH_OUTPUT, port));
      }
      outerEdges.push(edge(useId, port, e.target, e.targetPort));
    } else outerEdges.push(e);
  }
  if (outputs.length === 0)
    return {
      ok: false,
      reason: 'Nothing outside reads from the selection, so a block of it would give nothing; connect it first.',
    };
  const chosen = net.nodes.filter((n) => inside.has(n.id));
  const xs = chosen.map((n) => n.position?.x ?? 0);
  const ys = chosen.map((n) => n.position?.y ?? 0);
  const [minX, minY] = [Math.min(...xs), Math.min(...ys)];
  const choices = paramChoices(doc, network, [...inside]);
  const picked: ParamChoice[] = [];
  for (const want of expose ?? choices.filter((c) => c.channels)) {
    const choice = choices.find((c) => c.node === want.node && c.param === want.param);
    if (!choice)
      return {
        ok: false,
        reason: inside.has(want.node)
          ? `"${want.node}" has no parameter "${want.param}" to expose.`
          : `"${want.node}" is not in the selection, so the block cannot expose its ${want.param}.`,
      };
    const node = chosen.find((n) => n.id === want.node)!;
    const problem = checkInnerParam(doc, node, want.param, choice.value);
    if (problem) return { ok: false, reason: problem };
    if (!picked.includes(choice)) picked.push(choice);
  }
  const params = exposedParams(picked);
  const def: CompositeDefinition = {
    type,
    title,
    description: `Grouped from ${chosen.length} node${chosen.length === 1 ? '' : 's'} of the ${network}.`,
    networks: [network],
    inputs,
    outputs,
    params,
    // Params a use sets are left out of the inner nodes, so the definition shows them once, on the block.
    nodes: chosen.map((n) => ({
      ...n,
      params: Object.fromEntries(
        Object.entries(n.params).filter(
          ([k]) => !params.some((p) => p.targets[0]!.node === n.id && p.targets[0]!.param === k),
        ),
      ),
      position: { x: (n.position?.x ?? 0) - minX, y: (n.position?.y ?? 0) - minY },
    })),
    edges: defEdges,
  };
  const useParams = Object.fromEntries(params.map((p) => [p.name, p.default]));
  const use = { id: useId, type, version: 1, params: useParams, position: { x: minX, y: minY } };
  return {
    ok: true,
    type,
    nodeId: useId,
    doc: {
      ...doc,
      blocks: [...doc.blocks, def],
      [network]: { nodes: [...net.nodes.filter((n) => !inside.has(n.id)), use], edges: outerEdges },
    },
  };
}

function edge(source: string, sourcePort: string, target: string, targetPort: string): GraphEdge {
  return { id: edgeKey({ source, sourcePort, target, targetPort }), source, sourcePort, target, targetPort };
}

/** A node id for the block's use, unique in both networks ("g_attention_res", "g_attention_res2"). */
function freeNodeId(doc: GraphDocument, network: NetworkName, type: string): string {
  const taken = new Set([...doc.generator.nodes, ...doc.discriminator.nodes].map((n) => n.id));
  const stem = `${network === 'generator' ? 'g' : 'd'}_${type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()}`;
  if (!taken.has(stem)) return stem;
  for (let k = 2; ; k++) if (!taken.has(`${stem}${k}`)) return `${stem}${k}`;
}

/** Whether a path leaves the selection and comes back into it (the block would then feed itself). */
function leavesAndReenters(edges: readonly GraphEdge[], inside: ReadonlySet<string>): boolean {
  const next = new Map<string, string[]>();
  for (const e of edges) (next.get(e.source) ?? next.set(e.source, []).get(e.source)!).push(e.target);
  const stack = edges.filter((e) => inside.has(e.source) && !inside.has(e.target)).map((e) => e.target);
  const seen = new Set<string>();
  while (stack.length) {
    const id = stack.pop()!;
    if (inside.has(id)) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return false;
}
