import { isRequired } from './block';
import type { GraphDocument, GraphNode, NetworkName } from './document';
import type { PortValue } from './ports';
import { describeAccepted, describeValue, kindSatisfies, portKindNames } from './ports';
import type { ValidationReport } from './validate';
import { documentBlock } from './validate';

export interface ConnectionRequest {
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
}

export type ConnectionVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Whether a new edge may be drawn, and if not, why (shown at the cursor, in the blocks' display names).
 * A plain function over the document and its last validation report, so the editor's isValidConnection
 * and tests share it.
 */
export function checkConnection(
  doc: GraphDocument,
  network: NetworkName,
  req: ConnectionRequest,
  report?: ValidationReport,
): ConnectionVerdict {
  const net = doc[network];
  const src = net.nodes.find((n) => n.id === req.source);
  const dst = net.nodes.find((n) => n.id === req.target);
  if (!src || !dst) return { ok: false, reason: 'Both ends must be in the same network (generator or discriminator).' };
  if (src.id === dst.id) return { ok: false, reason: 'A node cannot feed itself.' };
  const srcBlock = documentBlock(doc, src.type);
  const dstBlock = documentBlock(doc, dst.type);
  if (!srcBlock || !dstBlock) return { ok: false, reason: `Unknown block type "${!srcBlock ? src.type : dst.type}".` };
  const out = srcBlock.outputs.find((p) => p.name === req.sourcePort);
  const inp = dstBlock.inputs.find((p) => p.name === req.targetPort);
  if (!out) return { ok: false, reason: `${srcBlock.title} has no output "${req.sourcePort}".` };
  if (!inp) return { ok: false, reason: `${dstBlock.title} has no input "${req.targetPort}".` };
  const known: PortValue | undefined = report?.nodes.find((n) => n.id === src.id && n.network === network)?.outputs[
    req.sourcePort
  ];
  const pending = out.sameKindAs !== undefined && !known;
  if (!pending) {
    const kind = known?.kind ?? out.kind;
    if (!kindSatisfies(kind, inp.accepts)) {
      const given = known ? describeValue(known) : portKindNames[kind];
      const where = dstBlock.inputs.length > 1 ? ` on "${inp.name}"` : '';
      return {
        ok: false,
        reason: `${dstBlock.title} expects ${describeAccepted(inp.accepts)}${where}; ${srcBlock.title} gives ${given}.`,
      };
    }
  }
  // Checked after the kinds, so a wrong pair is reported as such even onto an occupied input.
  const occupied = net.edges.find((e) => e.target === req.target && e.targetPort === req.targetPort);
  if (occupied) {
    const fromNode = net.nodes.find((n) => n.id === occupied.source);
    const from = fromNode ? (documentBlock(doc, fromNode.type)?.title ?? fromNode.type) : occupied.source;
    return {
      ok: false,
      reason: `Input "${req.targetPort}" of ${dstBlock.title} is already connected (from ${from}); remove that connection first.`,
    };
  }
  if (reaches(net.edges, req.target, req.source))
    return { ok: false, reason: 'This connection would make a cycle; a GAN graph flows one way.' };
  return { ok: true };
}

/** Whether `to` can be reached from `from` along the edges (a new edge to → from would close a cycle). */
export function reaches(edges: readonly { source: string; target: string }[], from: string, to: string): boolean {
  const next = new Map<string, string[]>();
  for (const e of edges) (next.get(e.source) ?? next.set(e.source, []).get(e.source)!).push(e.target);
  const stack = [from];
  const seen = new Set<string>();
  while (stack.length) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return false;
}

/** Input ports of a node that still need a connection (for hints on the canvas). */
export function missingInputs(doc: GraphDocument, network: NetworkName, nodeId: string): string[] {
  const node = doc[network].nodes.find((n) => n.id === nodeId);
  const block = node && documentBlock(doc, node.type);
  if (!node || !block) return [];
  const parsed = block.params.safeParse(node.params);
  if (!parsed.success) return [];
  const connected = new Set(doc[network].edges.filter((e) => e.target === nodeId).map((e) => e.targetPort));
  return block.inputs.filter((p) => isRequired(p, parsed.data) && !connected.has(p.name)).map((p) => p.name);
}

/**
 * The class-label inputs a node must have connected (after its first, main input): what inserting a block wires to
 * the only class-label source around it, on the network's canvas and inside a block alike.
 */
export function requiredLabelInputs(doc: Pick<GraphDocument, 'blocks'>, node: GraphNode): string[] {
  const block = documentBlock(doc, node.type);
  const parsed = block?.params.safeParse(node.params);
  if (!block || !parsed?.success) return [];
  return block.inputs
    .slice(1)
    .filter((port) => port.accepts.includes('label') && isRequired(port, parsed.data))
    .map((port) => port.name);
}
