import type {
  CompositeDefinition,
  GraphDocument,
  NetworkName,
  NodeReport,
  ValidationReport,
} from '../../../../graph-schemas';
import { compositesOf, expandComposites, validateGraph } from '../../../../graph-schemas';
import { emitNode } from './blocks';
import type { EmittedNode } from './emitter';

/** One node of a network as the exported module holds it. */
export interface PlannedNode {
  id: string;
  type: string;
  /** Python attribute and local variable name (the node id made a safe identifier). */
  attr: string;
  /** The node's report: shapes and parameter count. */
  node: NodeReport;
  emitted: EmittedNode;
  /** Connected input port → source node id. */
  sources: Record<string, string>;
  /** The innermost composite use this node sits inside, where the export writes one module (attr "use.inner"). */
  within?: CompositeUse;
}

/** A composite node written as one instance of its composite type's module (possibly inside another one). */
export interface CompositeUse {
  /** The composite node's id after expansion ("g_x", or "g_x/inner" for one used inside another composite). */
  id: string;
  /** Its Python path from the network module ("g_x", "g_x.inner"). */
  attr: string;
  definition: CompositeDefinition;
  /** The composite use this one sits inside, if any. */
  parent?: CompositeUse;
}

export interface NetworkPlan {
  network: NetworkName;
  /** Key prefix of this network in weight bundles: "G" or "D". */
  prefix: 'G' | 'D';
  /** The nodes the output depends on, inputs first, in dependency order. */
  nodes: PlannedNode[];
  /** The node whose value forward() returns (the one feeding the output block). */
  returns: string;
}

export interface ExportPlan {
  doc: GraphDocument;
  report: ValidationReport;
  generator: NetworkPlan;
  discriminator: NetworkPlan;
}

const PYTHON_KEYWORDS =
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case type'.split(
    ' ',
  );
/** Names the generated code uses itself, and nn.Module attributes a submodule must not shadow. */
const TAKEN = new Set([
  ...PYTHON_KEYWORDS,
  ...'self z y x torch nn F super print len range'.split(' '),
  ...'training forward parameters buffers children modules train eval apply cuda cpu to type float double half bfloat16 state_dict load_state_dict register_buffer register_parameter register_module add_module zero_grad named_parameters named_buffers named_children named_modules requires_grad_ share_memory extra_repr get_submodule get_parameter get_buffer dump_patches call_super_init'.split(
    ' ',
  ),
]);

/** Safe, unique Python identifiers for node ids, assigned in the given order. */
export function pythonNames(ids: readonly string[]): Map<string, string> {
  const used = new Set<string>();
  const out = new Map<string, string>();
  for (const id of ids) {
    let base = id.replace(/[^A-Za-z0-9_]/g, '_');
    if (base === '' || /^[0-9_]/.test(base)) base = `n${base}`;
    let name = base;
    for (let k = 2; TAKEN.has(name) || used.has(name); k++) name = `${base}_${k}`;
    used.add(name);
    out.set(id, name);
  }
  return out;
}

/**
 * The composite nodes of a network the export writes as one module each, by expanded id, nested ones included:
 * a composite type with one output whose inner composites are written so too. Others are written out node by node,
 * as the engine expands them.
 */
function compositeUses(original: GraphDocument, network: NetworkName): Map<string, CompositeUse> {
  const composites = compositesOf(original);
  const modular = new Map<string, boolean>();
  const isModular = (type: string): boolean => {
    const def = composites.get(type);
    if (!def) return false;
    let ok = modular.get(type);
    if (ok === undefined) {
      modular.set(type, false); // a block inside itself (refused by validation) is not followed round
      ok = def.outputs.length === 1 && def.nodes.every((inner) => !composites.has(inner.type) || isModular(inner.type));
      modular.set(type, ok);
    }
    return ok;
  };
  const uses = new Map<string, CompositeUse>();
  const add = (id: string, definition: CompositeDefinition, parent?: CompositeUse) => {
    const use: CompositeUse = { id, attr: '', definition, ...(parent ? { parent } : {}) };
    uses.set(id, use);
    for (const inner of definition.nodes)
      if (composites.has(inner.type)) add(`${id}/${inner.id}`, composites.get(inner.type)!, use);
  };
  for (const n of original[network].nodes) if (isModular(n.type)) add(n.id, composites.get(n.type)!);
  return uses;
}

/** The innermost composite use an expanded node id sits inside, if any. */
function innermostUse(uses: ReadonlyMap<string, CompositeUse>, id: string): CompositeUse | undefined {
  const parts = id.split('/');
  for (let k = parts.length - 1; k >= 1; k--) {
    const use = uses.get(parts.slice(0, k).join('/'));
    if (use) return use;
  }
  return undefined;
}

/** The direct child of `scope` (a use, or the network when undefined) that holds the expanded id `id`. */
export function childOf(scope: CompositeUse | undefined, id: string): string {
  const from = scope ? scope.id.length + 1 : 0;
  const slash = id.indexOf('/', from);
  return slash < 0 ? id : id.slice(0, slash);
}

function planNetwork(
  doc: GraphDocument,
  report: ValidationReport,
  network: NetworkName,
  original: GraphDocument = doc,
): NetworkPlan {
  const reports = new Map(report.nodes.filter((n) => n.network === network).map((n) => [n.id, n]));
  const edges = doc[network].edges;
  const emitted = new Map([...reports].map(([id, n]) => [id, emitNode(n, doc.dataset.classes)]));
  const output = [...reports.values()].find((n) => emitted.get(n.id)!.role === 'output');
  if (!output) throw new Error(`The ${network} has no output node; add one before exporting.`);
  // Only what the output depends on: the engine's model leaves dangling nodes out as well.
  const live = new Set<string>([output.id]);
  for (const id of [...report.order[network]].reverse()) {
    if (!live.has(id)) continue;
    for (const e of edges) if (e.target === id) live.add(e.source);
  }
  const order = report.order[network].filter((id) => live.has(id));
  const uses = compositeUses(original, network);
  const modules = order.filter((id) => emitted.get(id)!.role === 'module');
  // Python names per scope: the network's direct children, then each use's, in dependency order.
  const scopes = [undefined, ...uses.values()];
  const localNames = new Map<CompositeUse | undefined, Map<string, string>>();
  for (const scope of scopes) {
    const inside = modules.filter((id) => !scope || id.startsWith(`${scope.id}/`)).map((id) => childOf(scope, id));
    const children = [...new Set(inside)];
    const from = scope ? scope.id.length + 1 : 0;
    const names = pythonNames(children.map((c) => c.slice(from)));
    localNames.set(scope, new Map(children.map((c) => [c, names.get(c.slice(from))!])));
  }
  const attrOf = (scope: CompositeUse | undefined, child: string): string => {
    const local = localNames.get(scope)!.get(child) ?? '';
    return scope ? `${scope.attr}.${local}` : local;
  };
  // Parents come before their children in `uses`, so each parent's attr is known first.
  for (const use of uses.values()) use.attr = attrOf(use.parent, use.id);
  const nodes = order.map((id): PlannedNode => {
    const node = reports.get(id) as NodeReport;
    const sources: Record<string, string> = {};
    for (const e of edges) if (e.target === id) sources[e.targetPort] = e.source;
    const within = innermostUse(uses, id);
    return {
      id,
      type: node.type,
      attr: emitted.get(id)!.role === 'module' ? attrOf(within, id) : '',
      node,
      emitted: emitted.get(id)!,
      sources,
      ...(within ? { within } : {}),
    };
  });
  const returns = nodes.find((n) => n.id === output.id)!.sources.in;
  if (!returns) throw new Error(`The ${network}'s output node "${output.id}" has nothing connected to its input.`);
  return { network, prefix: network === 'generator' ? 'G' : 'D', nodes, returns };
}

/** Validates the document and plans both networks; throws with the first problem when it is not valid. */
export function planExport(doc: GraphDocument): ExportPlan {
  const report = validateGraph(doc);
  if (!report.valid) {
    const errors = report.problems.filter((p) => p.severity === 'error');
    const first = errors[0]!;
    throw new Error(
      `The graph has ${errors.length} problem${errors.length === 1 ? '' : 's'}; first${first.nodeId ? ` (node "${first.nodeId}")` : ''}: ${first.message}`,
    );
  }
  // Composite blocks are expanded: their inner nodes become modules named "node_inner", weights "node/inner/…".
  const flat = expandComposites(doc);
  const flatReport = flat === doc ? report : validateGraph(flat);
  return {
    doc,
    report: flatReport,
    generator: planNetwork(flat, flatReport, 'generator', doc),
    discriminator: planNetwork(flat, flatReport, 'discriminator', doc),
  };
}
