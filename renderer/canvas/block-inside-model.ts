import type {
  AnyBlock,
  GraphDocument,
  GraphEdge,
  GraphNode,
  KnownOutputs,
  NetworkName,
  NodeReport,
  PortKind,
  PortValue,
  Problem,
  ValidationReport,
} from '../../graph-schemas';
import {
  compositesOf,
  documentBlock,
  formatShape,
  inline,
  portKindColors,
  SUBGRAPH_INPUT,
  SUBGRAPH_OUTPUT,
  validateGraph,
} from '../../graph-schemas';
import type { BlockFlowNode, ShapeFlowEdge } from './flow-model';
import type { BlockNodeData, PortView } from './node-view';
import { buildNodeView } from './node-view';

/** What the read-only view of a block's inside shows. */
export interface InsideGraph {
  block: AnyBlock;
  /** "Generator › g_up2 (Residual block up ×2)". */
  path: string[];
  nodes: BlockFlowNode[];
  edges: ShapeFlowEdge[];
}

/**
 * The inside of a residual or composite node as React Flow nodes (its parts, with the shapes and parameter counts
 * of this use, and its ports as two boundary nodes) and connections labelled with their shapes. Null for a block
 * that has no inside.
 */
export function insideGraph(
  doc: GraphDocument,
  report: ValidationReport,
  network: NetworkName,
  nodeId: string,
  batchSize: number,
  /** A composite's parts can be moved, connected and selected (to delete); a built-in's inside is only shown. */
  editable = false,
): InsideGraph | null {
  const node = doc[network].nodes.find((n) => n.id === nodeId);
  const block = node && documentBlock(doc, node.type);
  const own = report.nodes.find((n) => n.network === network && n.id === nodeId);
  if (!node || !block || !own?.config) return null;
  const def = compositesOf(doc).get(node.type);
  const prefix = `${nodeId}/`;
  let parts: { nodes: GraphNode[]; edges: GraphEdge[] };
  let inner: NodeReport[];
  let problems: Problem[];
  if (def) {
    parts = { nodes: def.nodes, edges: def.edges };
    inner = report.nodes.filter((n) => n.network === network && n.insideOf === nodeId);
    // What is wrong inside for this use, and what is wrong with the definition itself (its ports, ids, params).
    problems = [
      ...report.problems.filter((p) => p.network === network && p.insideOf === nodeId),
      ...report.problems
        .filter((p) => p.block === def.type && p.nodeId && !p.insideOf)
        .map((p) => ({ ...p, nodeId: prefix + p.nodeId })),
    ];
  } else if (block.inside) {
    parts = block.inside(own.config, own.inputs);
    const drawn = validateGraph({ ...doc, [network]: inline(doc[network], nodeId, parts) });
    inner = drawn.nodes.filter((n) => n.network === network && n.id.startsWith(`${nodeId}/`));
    problems = drawn.problems.filter((p) => p.network === network && p.nodeId?.startsWith(`${nodeId}/`));
  } else return null;
  editable &&= def !== undefined;
  const reportOf = (id: string) => inner.find((r) => r.id === prefix + id);
  const ys = parts.nodes.map((n) => n.position?.y ?? 0);
  const xs = parts.nodes.map((n) => n.position?.x ?? 0);
  const [top, bottom, left] = [Math.min(0, ...ys), Math.max(0, ...ys), Math.min(0, ...xs)];

  const nodes: BlockFlowNode[] = [
    boundary(
      network,
      SUBGRAPH_INPUT,
      'Block inputs',
      block.inputs.map((p) => port(p.name, p.accepts[0]!, 'bottom', own.inputs[p.name])),
      'outputs',
      { x: left, y: top - 140 },
      editable,
    ),
    ...parts.nodes.map((n, i): BlockFlowNode => {
      const r = reportOf(n.id);
      const data = buildNodeView(
        network,
        n,
        r && { ...r, id: n.id },
        problems.filter((p) => p.nodeId === prefix + n.id),
        batchSize,
        doc.blocks,
      );
      return {
        id: n.id,
        type: 'block',
        position: n.position ?? { x: 0, y: i * 120 },
        data,
        draggable: editable,
        connectable: editable,
        selectable: editable,
        deletable: editable,
      };
    }),
    boundary(
      network,
      SUBGRAPH_OUTPUT,
      'Block outputs',
      block.outputs.map((p) => port(p.name, p.kind, 'top', own.outputs[p.name])),
      'inputs',
      { x: left, y: bottom + 160 },
      editable,
    ),
  ];
  const edges = parts.edges.map((e): ShapeFlowEdge => {
    const value = e.source === SUBGRAPH_INPUT ? own.inputs[e.sourcePort] : reportOf(e.source)?.outputs[e.sourcePort];
    const label = value ? (value.kind === 'label' ? 'label' : formatShape(value)) : undefined;
    return {
      id: `${e.source}.${e.sourcePort}->${e.target}.${e.targetPort}`,
      type: 'shape',
      source: e.source,
      sourceHandle: e.sourcePort,
      target: e.target,
      targetHandle: e.targetPort,
      selectable: editable,
      deletable: editable,
      data: { color: portKindColors[value?.kind ?? 'feature'], ...(label ? { label } : {}) },
    };
  });
  const where = network === 'generator' ? 'Generator' : 'Discriminator';
  return { block, path: [where, `${node.label ?? nodeId} (${block.title})`], nodes, edges };
}

function port(name: string, kind: PortKind, side: PortView['side'], value: PortValue | undefined): PortView {
  const k = value?.kind ?? kind;
  return {
    name,
    kind: k,
    color: portKindColors[k],
    side,
    title: `${name}${value ? `: ${formatShape(value)}` : ''}`,
    required: false,
  };
}

function boundary(
  network: NetworkName,
  id: string,
  title: string,
  ports: PortView[],
  as: 'inputs' | 'outputs',
  position: { x: number; y: number },
  connectable: boolean,
): BlockFlowNode {
  const data: BlockNodeData = {
    network,
    id,
    type: id,
    title,
    category: as === 'outputs' ? 'Inputs' : 'Outputs',
    chips: ports.map((p) => p.name),
    inputs: as === 'inputs' ? ports : [],
    outputs: as === 'outputs' ? ports : [],
    errors: [],
    warnings: [],
    known: true,
    attention: false,
  };
  return { id, type: 'block', position, data, draggable: false, connectable, selectable: false, deletable: false };
}

/** What one use of a composite carries out of each part ("$in": what arrives at the use), to check connections with. */
export function knownOutputs(report: ValidationReport, network: NetworkName, useId: string): KnownOutputs {
  const byId = new Map(
    report.nodes.filter((n) => n.network === network && (n.id === useId || n.insideOf === useId)).map((n) => [n.id, n]),
  );
  return (node, port) =>
    node === SUBGRAPH_INPUT ? byId.get(useId)?.inputs[port] : byId.get(`${useId}/${node}`)?.outputs[port];
}
