import type { Edge, Node } from '@xyflow/react';
import type { GraphDocument, GraphNode, Network, NetworkName, PortKind, Problem } from '../../graph-schemas';
import { documentBlock, formatShape, portKindColors } from '../../graph-schemas';
import { edgeIdOf } from '../store/doc-utils';
import type { ReportIndex } from '../validation/report-index';
import type { LabelWires } from './label-wires';
import { costShare } from './lod';
import type { BlockNodeData, NodeExtras } from './node-view';
import { buildNodeView } from './node-view';

export type BlockFlowNode = Node<BlockNodeData, 'block'>;
export type ShapeEdgeData = { label?: string; color: string; problem?: string; highlighted?: boolean };
export type ShapeFlowEdge = Edge<ShapeEdgeData, 'shape'>;

export type Size = { width: number; height: number };
export type XY = { x: number; y: number };

/** What the nodes of a pane are made from. */
export interface NodeInput {
  network: NetworkName;
  net: Network;
  /** For the attention cost at the training batch size. */
  batchSize: number;
  index: ReportIndex | undefined;
  selectedNodes: ReadonlySet<string>;
  measured: ReadonlyMap<string, Size>;
  /** Positions of nodes being dragged, before the move is committed to the document. */
  dragging: ReadonlyMap<string, XY>;
  /** The document's composite blocks, so their nodes show their ports. */
  blocks?: GraphDocument['blocks'];
  /** Class-label wires drawn as pins on the nodes they feed (undefined: drawn as wires). */
  labelPins?: LabelWires;
}

/** What the edges of a pane are made from. */
export interface EdgeInput {
  network: NetworkName;
  net: Network;
  index: ReportIndex | undefined;
  selectedEdges: ReadonlySet<string>;
  /** The connection a palette block would be inserted into if dropped now. */
  spliceTarget: string | undefined;
  blocks?: GraphDocument['blocks'];
  /** Class-label wires drawn as pins: these connections are left out. */
  labelPins?: LabelWires;
}

export type FlowInput = NodeInput & EdgeInput;

/**
 * Turns a network of the document into React Flow nodes and edges, reusing every object whose inputs did
 * not change, so a drag or an edit re-renders only what it touched (300-node documents stay smooth).
 */
export class FlowModel {
  private readonly views = new Map<string, { deps: unknown[]; key: string; data: BlockNodeData }>();
  private readonly nodeCache = new Map<string, { deps: unknown[]; node: BlockFlowNode }>();
  private readonly edgeCache = new Map<string, { deps: unknown[]; edge: ShapeFlowEdge }>();

  nodes(input: NodeInput): BlockFlowNode[] {
    const { network, net, index } = input;
    const seen = new Set<string>();
    const out: BlockFlowNode[] = [];
    const largest = Math.max(0, ...net.nodes.map((n) => index?.node(network, n.id)?.params ?? 0));
    net.nodes.forEach((node, i) => {
      if (seen.has(node.id)) return; // a duplicate id is reported by validation; React Flow cannot show two
      seen.add(node.id);
      const extras = nodeExtras(node.id, index?.node(network, node.id)?.params, largest, input.labelPins);
      const data = this.view(network, node, index, input.batchSize, input.blocks ?? noBlocks, extras);
      const position = input.dragging.get(node.id) ?? node.position ?? { x: 0, y: i * 120 };
      const selected = input.selectedNodes.has(node.id);
      const measured = input.measured.get(node.id);
      const deps = [data, position.x, position.y, selected, measured];
      const cached = this.nodeCache.get(node.id);
      if (cached && sameDeps(cached.deps, deps)) {
        out.push(cached.node);
        return;
      }
      const flowNode: BlockFlowNode = {
        id: node.id,
        type: 'block',
        position,
        data,
        selected,
        ...(measured ? { measured } : {}),
      };
      this.nodeCache.set(node.id, { deps, node: flowNode });
      out.push(flowNode);
    });
    for (const id of this.nodeCache.keys()) if (!seen.has(id)) this.nodeCache.delete(id);
    for (const id of this.views.keys()) if (!seen.has(id)) this.views.delete(id);
    return out;
  }

  edges(input: EdgeInput): ShapeFlowEdge[] {
    const { network, net, index } = input;
    const ids = new Set(net.nodes.map((n) => n.id));
    const types = new Map(net.nodes.map((n) => [n.id, n.type]));
    const seen = new Set<string>();
    const out: ShapeFlowEdge[] = [];
    // One "label" tag per class-label source: its wires run side by side, and a tag on each would pile up.
    const tagged = new Set<string>();
    for (const edge of net.edges) {
      const id = edgeIdOf(edge);
      if (seen.has(id) || !ids.has(edge.source) || !ids.has(edge.target)) continue;
      if (input.labelPins?.edges.has(id)) continue;
      seen.add(id);
      const value = index?.edge(network, id)?.value;
      const problem = index?.edgeProblems(network, id)[0]?.message;
      const kind: PortKind =
        value?.kind ??
        documentBlock({ blocks: input.blocks ?? noBlocks }, types.get(edge.source) ?? '')?.outputs.find(
          (p) => p.name === edge.sourcePort,
        )?.kind ??
        'feature';
      const repeated = value?.kind === 'label' && tagged.has(edge.source);
      if (value?.kind === 'label') tagged.add(edge.source);
      const label = value && !repeated ? (value.kind === 'label' ? 'label' : formatShape(value)) : undefined;
      const selected = input.selectedEdges.has(id);
      const highlighted = input.spliceTarget === id;
      const deps = [edge, label, kind, problem, selected, highlighted];
      const cached = this.edgeCache.get(id);
      if (cached && sameDeps(cached.deps, deps)) {
        out.push(cached.edge);
        continue;
      }
      const flowEdge: ShapeFlowEdge = {
        id,
        type: 'shape',
        source: edge.source,
        sourceHandle: edge.sourcePort,
        target: edge.target,
        targetHandle: edge.targetPort,
        selected,
        data: {
          color: portKindColors[kind],
          ...(label ? { label } : {}),
          ...(problem ? { problem } : {}),
          ...(highlighted ? { highlighted } : {}),
        },
      };
      this.edgeCache.set(id, { deps, edge: flowEdge });
      out.push(flowEdge);
    }
    for (const id of this.edgeCache.keys()) if (!seen.has(id)) this.edgeCache.delete(id);
    return out;
  }

  /** A node's card view; rebuilt only when its node, report or problems change, and kept identical when equal. */
  private view(
    network: NetworkName,
    node: GraphNode,
    index: ReportIndex | undefined,
    batchSize: number,
    blocks: GraphDocument['blocks'],
    extras: NodeExtras,
  ): BlockNodeData {
    const report = index?.node(network, node.id);
    const problems = index?.problemsOf(network, node.id) ?? noProblems;
    const deps = [node, report, problems, batchSize, blocks, JSON.stringify(extras)];
    const cached = this.views.get(node.id);
    if (cached && sameDeps(cached.deps, deps)) return cached.data;
    const data = buildNodeView(network, node, report, problems, batchSize, blocks, extras);
    const key = JSON.stringify(data);
    if (cached && cached.key === key) {
      cached.deps = deps;
      return cached.data;
    }
    this.views.set(node.id, { deps, key, data });
    return data;
  }
}

/** What a card shows about the rest of the network: its cost next to the largest block's, its label pins. */
function nodeExtras(id: string, params: number | undefined, largest: number, pins: LabelWires | undefined): NodeExtras {
  const share = costShare(params, largest);
  const labelPins = pins?.pins.get(id);
  const labelFeeds = pins?.feeds.get(id);
  return {
    ...(share > 0 ? { costShare: Math.round(share * 1000) / 1000 } : {}),
    ...(labelPins ? { labelPins: [...labelPins] } : {}),
    ...(labelFeeds ? { labelFeeds } : {}),
  };
}

const noProblems: readonly Problem[] = [];
const noBlocks: GraphDocument['blocks'] = [];

function sameDeps(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}
