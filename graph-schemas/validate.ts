import type { AnyBlock, BlockCost, DocumentContext } from './block';
import { isRequired } from './block';
import { blockCatalog, getBlock } from './blocks';
import type { BlockResolver } from './composite/as-block';
import { compositeResolver } from './composite/resolve';
import type { GraphDocument, GraphEdge, GraphNode, NetworkName } from './document';
import { edgeKey, networkNames } from './document';
import type { PortValue } from './ports';
import { describeAccepted, describeValue, kindSatisfies, resolutionLabel } from './ports';

export interface Problem {
  severity: 'error' | 'warning';
  message: string;
  network?: NetworkName;
  nodeId?: string;
  port?: string;
  param?: string;
  edgeId?: string;
  /** The composite node (on the canvas) whose inside holds `nodeId` ("g_block/conv1"). */
  insideOf?: string;
  /** The composite block type whose definition has this problem (`nodeId` is then a node inside it). */
  block?: string;
}

export interface NodeReport {
  id: string;
  network: NetworkName;
  type: string;
  /** Params after defaults and range checks; undefined when they are invalid or the block is unknown. */
  config?: Record<string, unknown>;
  inputs: Record<string, PortValue>;
  outputs: Record<string, PortValue>;
  /** Shape at the main output port, or null for sinks and unknown shapes. */
  outputShape: number[] | null;
  /** "feat32" for square feature maps. */
  resolution?: string;
  params: number;
  cost?: BlockCost;
  /** Set on the nodes inside a composite node (ids "node/inner"): that outermost node's id. */
  insideOf?: string;
}

export interface EdgeReport {
  id: string;
  network: NetworkName;
  value?: PortValue;
}

export interface ValidationReport {
  valid: boolean;
  problems: Problem[];
  nodes: NodeReport[];
  edges: EdgeReport[];
  totals: { generatorParams: number; discriminatorParams: number };
  /** Node ids of each network in an order where every node comes after its inputs (cycles excluded). */
  order: Record<NetworkName, string[]>;
}

const resolvers = new WeakMap<object, BlockResolver>();
const noBlocks: GraphDocument['blocks'] = [];

/**
 * The block of a type name as the document knows it: the catalog's, or one of the document's composite blocks
 * (its ports, params and shape inference). Cached per `blocks` array, so a renderer may call it for every card.
 */
export function documentBlock(doc: Pick<GraphDocument, 'blocks'>, type: string): AnyBlock | undefined {
  const builtIn = getBlock(type);
  if (builtIn) return builtIn;
  const blocks = doc.blocks ?? noBlocks;
  let resolve = resolvers.get(blocks);
  if (!resolve) resolvers.set(blocks, (resolve = compositeResolver({ blocks }, validateNetwork).resolve));
  return resolve(type);
}

/** Validates a loaded document and infers every node's shapes and parameter counts. Pure and fast (300 nodes in well under 5 ms). */
export function validateGraph(doc: GraphDocument): ValidationReport {
  const problems: Problem[] = [];
  const nodes: NodeReport[] = [];
  const edges: EdgeReport[] = [];
  const order: Record<NetworkName, string[]> = { generator: [], discriminator: [] };
  const totals = { generatorParams: 0, discriminatorParams: 0 };
  const composites = compositeResolver(doc, validateNetwork);
  problems.push(...composites.problems);

  const seen = new Map<string, NetworkName>();
  for (const network of networkNames) {
    for (const node of doc[network].nodes) {
      const first = seen.get(node.id);
      if (first) {
        problems.push({
          severity: 'error',
          network,
          nodeId: node.id,
          message: `Two nodes share the id "${node.id}" (${first === network ? `both in the ${network}` : `one in the ${first}, one in the ${network}`}). Give each node its own id.`,
        });
      } else seen.set(node.id, network);
    }
  }

  for (const network of networkNames) {
    const ctx: DocumentContext = {
      imageSize: doc.dataset.imageSize,
      channels: doc.dataset.channels,
      classes: doc.dataset.classes,
      batchSize: doc.training.batchSize,
      network,
    };
    const result = validateNetwork(doc[network].nodes, doc[network].edges, ctx, problems, composites.resolve);
    nodes.push(...result.nodes);
    edges.push(...result.edges);
    order[network] = result.order;
    const total = result.nodes.reduce((sum, n) => sum + (n.insideOf === undefined ? n.params : 0), 0);
    if (network === 'generator') totals.generatorParams = total;
    else totals.discriminatorParams = total;
  }
  return { valid: !problems.some((p) => p.severity === 'error'), problems, nodes, edges, totals, order };
}

interface NetworkResult {
  nodes: NodeReport[];
  edges: EdgeReport[];
  order: string[];
}

function validateNetwork(
  graphNodes: GraphNode[],
  graphEdges: GraphEdge[],
  ctx: DocumentContext,
  problems: Problem[],
  resolve: BlockResolver = getBlock,
  inside = false,
): NetworkResult {
  const network = ctx.network;
  const where = network === 'generator' ? 'the generator' : 'the discriminator';
  const byId = new Map<string, { node: GraphNode; block?: AnyBlock; config?: Record<string, unknown> }>();
  for (const node of graphNodes) {
    if (byId.has(node.id)) continue;
    const block = resolve(node.type);
    if (!block) {
      problems.push({
        severity: 'error',
        network,
        nodeId: node.id,
        message: `Node "${node.id}" has an unknown block type "${node.type}". The file may come from a newer SAGAN Studio; remove the node or update the app.`,
      });
      byId.set(node.id, { node });
      continue;
    }
    if (!block.networks.includes(network)) {
      problems.push({
        severity: 'error',
        network,
        nodeId: node.id,
        message: `${block.title} ("${node.id}") belongs in the ${block.networks.join(' or ')}, not in ${where}.`,
      });
    }
    const parsed = block.params.safeParse(node.params);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const param = issue.path.map(String).join('.') || undefined;
        problems.push({
          severity: 'error',
          network,
          nodeId: node.id,
          ...(param ? { param } : {}),
          message:
            `${block.title} "${node.id}": ${param ? `parameter "${param}" ` : ''}${issue.message.replace(/^Invalid input: /, '')}.`.replace(
              /\.\.$/,
              '.',
            ),
        });
      }
    }
    byId.set(node.id, { node, block, ...(parsed.success ? { config: parsed.data as Record<string, unknown> } : {}) });
  }

  // Edges: endpoints must exist here, ports must exist, and an input takes at most one edge.
  const incoming = new Map<string, GraphEdge[]>();
  const outgoing = new Map<string, GraphEdge[]>();
  const edgeReports: EdgeReport[] = [];
  const takenInputs = new Set<string>();
  for (const edge of graphEdges) {
    const id = edge.id ?? edgeKey(edge);
    const src = byId.get(edge.source);
    const dst = byId.get(edge.target);
    const report = (message: string, nodeId?: string, port?: string) =>
      problems.push({
        severity: 'error',
        network,
        edgeId: id,
        ...(nodeId ? { nodeId } : {}),
        ...(port ? { port } : {}),
        message,
      });
    if (!src || !dst) {
      const missing = !src ? edge.source : edge.target;
      report(
        `A connection in ${where} refers to node "${missing}", which is not in ${where}. Remove the connection.`,
        src ? edge.source : dst ? edge.target : undefined,
      );
      continue;
    }
    if (src.block && !src.block.outputs.some((p) => p.name === edge.sourcePort)) {
      report(`${src.block.title} "${edge.source}" has no output port "${edge.sourcePort}".`, edge.source);
      continue;
    }
    if (dst.block && !dst.block.inputs.some((p) => p.name === edge.targetPort)) {
      report(`${dst.block.title} "${edge.target}" has no input port "${edge.targetPort}".`, edge.target);
      continue;
    }
    const inputKey = `${edge.target}\u0000${edge.targetPort}`;
    if (takenInputs.has(inputKey)) {
      report(
        `Input "${edge.targetPort}" of "${edge.target}" has more than one connection; an input takes exactly one.`,
        edge.target,
        edge.targetPort,
      );
      continue;
    }
    takenInputs.add(inputKey);
    (incoming.get(edge.target) ?? incoming.set(edge.target, []).get(edge.target)!).push(edge);
    (outgoing.get(edge.source) ?? outgoing.set(edge.source, []).get(edge.source)!).push(edge);
    edgeReports.push({ id, network });
  }
  const edgeReportById = new Map(edgeReports.map((e) => [e.id, e]));

  const order = topologicalOrder([...byId.keys()], incoming, outgoing);
  const ordered = new Set(order);
  const leftover = [...byId.keys()].filter((id) => !ordered.has(id));
  // Kahn's algorithm also leaves out nodes merely downstream of a cycle; only those on one are to blame. Each cycle
  // is reported once, on its first node, so a 4,000-node loop gives one short message, not 4,000 long ones.
  for (const members of cyclesAmong(leftover, outgoing)) {
    const shown = members.slice(0, CYCLE_NODES_SHOWN).map((id) => `"${id}"`);
    const path =
      members.length > CYCLE_NODES_SHOWN
        ? `${shown.join(' → ')} → … (${members.length.toLocaleString('en-US')} nodes)`
        : `${shown.join(' → ')} → "${members[0]}"`;
    problems.push({
      severity: 'error',
      network,
      nodeId: members[0]!,
      message: `"${members[0]}" is part of a cycle (${path}). A GAN graph flows one way; remove one of these connections.`,
    });
  }

  const values = new Map<string, Record<string, PortValue>>();
  const reports: NodeReport[] = [];
  for (const nodeId of [...order, ...leftover]) {
    const { node, block, config } = byId.get(nodeId)!;
    const inputs: Record<string, PortValue> = {};
    for (const edge of incoming.get(nodeId) ?? []) {
      const value = values.get(edge.source)?.[edge.sourcePort];
      if (!value || !block) continue;
      const port = block.inputs.find((p) => p.name === edge.targetPort)!;
      if (!kindSatisfies(value.kind, port.accepts)) {
        const src = byId.get(edge.source);
        const srcName = src?.block?.title ?? src?.node.type ?? edge.source;
        problems.push({
          severity: 'error',
          network,
          nodeId,
          port: port.name,
          edgeId: edge.id ?? edgeKey(edge),
          message: `${block.title} "${nodeId}" expects ${describeAccepted(port.accepts)} on "${port.name}"; ${srcName} "${edge.source}" gives ${describeValue(value)}.`,
        });
        continue;
      }
      inputs[port.name] = value;
      const er = edgeReportById.get(edge.id ?? edgeKey(edge));
      if (er) er.value = value;
    }
    const report: NodeReport = {
      id: nodeId,
      network,
      type: node.type,
      inputs,
      outputs: {},
      outputShape: null,
      params: 0,
      ...(config ? { config } : {}),
    };
    reports.push(report);
    if (!block || !config) continue;
    const connected = new Set((incoming.get(nodeId) ?? []).map((e) => e.targetPort));
    for (const port of block.inputs) {
      if (!connected.has(port.name) && isRequired(port, config)) {
        problems.push({
          severity: 'error',
          network,
          nodeId,
          port: port.name,
          message: `${block.title} "${nodeId}" needs ${describeAccepted(port.accepts)} on its "${port.name}" input (${port.description.replace(/\.$/, '')}); connect one.`,
        });
      }
    }
    const inferred = block.infer({ params: config, inputs, doc: ctx });
    for (const p of inferred.problems) {
      problems.push({
        severity: p.severity,
        network,
        nodeId,
        ...(p.port ? { port: p.port } : {}),
        message: `${block.title} "${nodeId}": ${p.message}`,
      });
    }
    values.set(nodeId, inferred.outputs as Record<string, PortValue>);
    report.outputs = inferred.outputs as Record<string, PortValue>;
    report.params = inferred.params;
    const main = inferred.outputs.out;
    report.outputShape = main ? (main.kind === 'label' ? [] : [...main.shape]) : null;
    const res = resolutionLabel(main) ?? resolutionLabel(inputs.in);
    if (res) report.resolution = res;
    if (inferred.cost) report.cost = inferred.cost;
    if (inferred.inside) {
      const prefix = `Inside ${block.title} "${nodeId}": `;
      for (const p of inferred.inside.problems)
        problems.push({
          ...p,
          network,
          nodeId: p.nodeId ? `${nodeId}/${p.nodeId}` : nodeId,
          insideOf: nodeId,
          message: `${prefix}${p.message}`,
        });
      for (const r of inferred.inside.nodes) reports.push({ ...r, id: `${nodeId}/${r.id}`, network, insideOf: nodeId });
    }
  }

  checkEnds(byId, outgoing, network, where, problems, inside);
  return { nodes: reports, edges: edgeReports, order };
}

function checkEnds(
  byId: Map<string, { node: GraphNode; block?: AnyBlock }>,
  outgoing: Map<string, GraphEdge[]>,
  network: NetworkName,
  where: string,
  problems: Problem[],
  inside: boolean,
) {
  const Where = `${where[0]!.toUpperCase()}${where.slice(1)}`;
  // Inside a composite, the network's start and end are its ports; what must start and end a network is checked there.
  const mustHold = inside ? [] : blockCatalog.filter((b) => b.requiredInNetwork && b.networks.includes(network));
  for (const required of mustHold) {
    const n = [...byId.values()].filter((e) => e.node.type === required.type).length;
    if (n === 0)
      problems.push({
        severity: 'error',
        network,
        message: `${Where} has no ${required.title} node; add one from the palette.`,
      });
    else if (required.requiredInNetwork === 'exactly-one' && n > 1)
      problems.push({
        severity: 'error',
        network,
        message: `${Where} has ${n} ${required.title} nodes; keep exactly one.`,
      });
  }
  for (const { node, block } of byId.values()) {
    if (!block || block.outputs.length === 0 || node.id.startsWith('$')) continue;
    if (!outgoing.get(node.id)?.length) {
      problems.push({
        severity: 'warning',
        network,
        nodeId: node.id,
        message: `${block.title} "${node.id}" leads nowhere: its output is not connected, so it does not affect the ${network === 'generator' ? 'generated image' : 'score'}.`,
      });
    }
  }
}

/** How many of a cycle's nodes its message names. */
const CYCLE_NODES_SHOWN = 8;

/**
 * The cycles among `ids` (Tarjan's strongly connected components, without recursion, so linear in nodes and edges),
 * each as its nodes in the order the connections run from the first, which is the earliest in `ids`.
 */
function cyclesAmong(ids: string[], outgoing: Map<string, GraphEdge[]>): string[][] {
  const inside = new Set(ids);
  const rank = new Map(ids.map((id, i) => [id, i]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  const next = (id: string) => (outgoing.get(id) ?? []).map((e) => e.target).filter((t) => inside.has(t));
  for (const root of ids) {
    if (index.has(root)) continue;
    const work: { id: string; targets: string[]; at: number }[] = [];
    const visit = (id: string) => {
      index.set(id, index.size);
      low.set(id, index.get(id)!);
      stack.push(id);
      onStack.add(id);
      work.push({ id, targets: next(id), at: 0 });
    };
    visit(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      if (frame.at < frame.targets.length) {
        const target = frame.targets[frame.at++]!;
        if (!index.has(target)) visit(target);
        else if (onStack.has(target)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(target)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) !== index.get(frame.id)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.id);
      const selfLoop = component.length === 1 && next(member).includes(member);
      if (component.length > 1 || selfLoop) components.push(component);
    }
  }
  return components.map((component) => alongConnections(component, rank, next));
}

/** A cycle's nodes from its earliest one, each followed by one it feeds within the cycle (then any left over). */
function alongConnections(component: string[], rank: Map<string, number>, next: (id: string) => string[]): string[] {
  const members = new Set(component);
  let id = component.reduce((a, b) => (rank.get(a)! <= rank.get(b)! ? a : b));
  const path: string[] = [];
  const seen = new Set<string>();
  while (!seen.has(id)) {
    seen.add(id);
    path.push(id);
    const onward = next(id).find((t) => members.has(t) && !seen.has(t));
    if (onward === undefined) break;
    id = onward;
  }
  return [...path, ...component.filter((m) => !seen.has(m)).sort((a, b) => rank.get(a)! - rank.get(b)!)];
}

/** Kahn's algorithm; nodes on or after cycles are left out. */
function topologicalOrder(
  ids: string[],
  incoming: Map<string, GraphEdge[]>,
  outgoing: Map<string, GraphEdge[]>,
): string[] {
  const indegree = new Map(ids.map((id) => [id, incoming.get(id)?.length ?? 0]));
  const queue = ids.filter((id) => indegree.get(id) === 0);
  const out: string[] = [];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    out.push(id);
    for (const e of outgoing.get(id) ?? []) {
      const d = indegree.get(e.target)! - 1;
      indegree.set(e.target, d);
      if (d === 0) queue.push(e.target);
    }
  }
  return out;
}
