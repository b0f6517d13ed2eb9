import type {
  GraphDocument,
  BlockCategory,
  AnyBlock,
  CatalogParamName,
  GraphNode,
  NetworkName,
  NodeReport,
  PortKind,
  Problem,
} from '../../graph-schemas';
import { documentBlock, formatShape, portKindColors, portKindNames } from '../../graph-schemas';
import { fieldsOf } from '../panels/schema-fields';

export type PortSide = 'top' | 'bottom' | 'left' | 'right';

export type PortView = {
  name: string;
  kind: PortKind;
  color: string;
  side: PortSide;
  /** Tooltip: what the port takes or gives. */
  title: string;
  required: boolean;
  problem?: string;
};

/** Everything a node card shows; equal views are the same object, so memoised cards skip re-rendering. */
export type BlockNodeData = {
  network: NetworkName;
  id: string;
  type: string;
  title: string;
  /** The name on the compact (zoomed-out) card. */
  shortTitle?: string;
  category: BlockCategory | 'Unknown';
  label?: string;
  resolution?: string;
  /** The compact card's size line: "32×32", "[2048]", "10 classes". */
  size?: string;
  shape?: string;
  params?: number;
  /** Memory of the attention matrices, short for the card; `costDetail` is the full sentence. */
  cost?: string;
  costDetail?: string;
  chips: string[];
  inputs: PortView[];
  outputs: PortView[];
  errors: string[];
  warnings: string[];
  /** False until the first report that includes this node. */
  known: boolean;
  /** The node learns an attention γ (the card shows it while training). */
  attention: boolean;
} & NodeExtras;

/** What a card shows that depends on the rest of the network, not only on its node. */
export type NodeExtras = {
  /** Parameters as a share of the network's largest block, 0–1 (the compact card's bar). */
  costShare?: number;
  /** Input ports fed by a class-label wire drawn as a pin (View → Class labels as pins). */
  labelPins?: string[];
  /** How many blocks this node's class label reaches through pins instead of wires. */
  labelFeeds?: number;
};

export function buildNodeView(
  network: NetworkName,
  node: GraphNode,
  report: NodeReport | undefined,
  problems: readonly Problem[],
  batchSize: number,
  blocks: GraphDocument['blocks'] = [],
  extras: NodeExtras = {},
): BlockNodeData {
  const block = documentBlock({ blocks }, node.type);
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.filter((p) => p.severity === 'warning');
  const portProblem = (port: string) => problems.find((p) => p.port === port)?.message;
  const main = report?.outputs.out;
  const params = report?.config ?? node.params;
  return {
    network,
    id: node.id,
    type: node.type,
    title: block?.title ?? node.type,
    shortTitle: block?.shortTitle ?? block?.title ?? node.type,
    category: block?.category ?? 'Unknown',
    ...(node.label ? { label: node.label } : {}),
    ...(report?.resolution ? { resolution: report.resolution } : {}),
    ...(report && compactSize(report) ? { size: compactSize(report) } : {}),
    ...(main ? { shape: formatShape(main) } : {}),
    ...(report && block && report.config ? { params: report.params } : {}),
    ...(report?.cost
      ? {
          cost: shortCost(report.cost.what, report.cost.bytesPerSample, batchSize),
          costDetail: costText(report.cost.what, report.cost.bytesPerSample, batchSize),
        }
      : {}),
    chips: block ? paramChips(block, params, report?.config !== undefined) : [],
    inputs: block ? inputPorts(block, params, portProblem) : [],
    outputs: block ? outputPorts(block, report, portProblem) : [],
    errors: errors.map((p) => stripNodePrefix(p.message, node.id)),
    warnings: warnings.map((p) => stripNodePrefix(p.message, node.id)),
    known: report !== undefined,
    attention: block?.attention === true,
    ...extras,
  };
}

/** "32×32" for a feature map or image, "[2048]" for a vector, "10 classes" for a label: what the node outputs (or, for a sink, takes). */
export function compactSize(report: Pick<NodeReport, 'inputs' | 'outputs'>): string | undefined {
  const value = report.outputs.out ?? Object.values(report.outputs)[0] ?? report.inputs.in;
  if (!value) return undefined;
  if (value.kind === 'feature' || value.kind === 'image') return `${value.shape[0]}×${value.shape[1]}`;
  if (value.kind === 'label') return value.classes > 0 ? `${value.classes} classes` : 'label';
  return formatShape(value);
}

function inputPorts(
  block: AnyBlock,
  params: Record<string, unknown>,
  problem: (port: string) => string | undefined,
): PortView[] {
  return block.inputs.map((p, i) => {
    const required = typeof p.required === 'function' ? safeRequired(p.required, params) : p.required;
    const msg = problem(p.name);
    const accepts = p.accepts.map((k) => portKindNames[k]).join(' or ');
    return {
      name: p.name,
      kind: p.accepts[0]!,
      color: portKindColors[p.accepts[0]!],
      side: i === 0 ? 'top' : 'left',
      title: `${p.name}: ${p.description} Takes ${accepts}.${required ? '' : ' Optional.'}`,
      required,
      ...(msg ? { problem: msg } : {}),
    };
  });
}

function outputPorts(
  block: AnyBlock,
  report: NodeReport | undefined,
  problem: (port: string) => string | undefined,
): PortView[] {
  const side: PortSide = block.category === 'Inputs' ? 'right' : 'bottom';
  return block.outputs.map((p) => {
    const value = report?.outputs[p.name];
    const kind = value?.kind ?? (p.sameKindAs ? (report?.inputs[p.sameKindAs]?.kind ?? p.kind) : p.kind);
    const msg = problem(p.name);
    return {
      name: p.name,
      kind,
      color: portKindColors[kind],
      side,
      title: `${p.name}: ${p.description}${value ? ` Now ${formatShape(value)}.` : ''}`,
      required: false,
      ...(msg ? { problem: msg } : {}),
    };
  });
}

function safeRequired(fn: (params: never) => boolean, params: Record<string, unknown>): boolean {
  try {
    return fn(params as never);
  } catch {
    return true;
  }
}

/**
 * Short tags for the params a person looks for first: "256 ch", "cbn", "SN". A block's own `chips` need its
 * parsed params (`parsed`); raw ones that failed validation get the generic tags.
 */
export function paramChips(block: AnyBlock, params: Record<string, unknown>, parsed: boolean): string[] {
  if (block.chips && parsed) return block.chips(params);
  const chips: string[] = [];
  for (const field of fieldsOf(block.params)) {
    const value = params[field.key];
    if (value === undefined) continue;
    if (field.kind === 'number') chips.push(numberChip(field.key, value));
    else if (field.kind === 'enum' && field.options.length > 1) chips.push(String(value));
    else if (field.kind === 'boolean' && value === true && field.key !== 'bias')
      chips.push(field.key === 'spectralNorm' ? 'SN' : field.key);
  }
  return chips.slice(0, 4);
}

const numberLabels: Partial<Record<CatalogParamName, (v: string) => string>> = {
  outChannels: (v) => `${v} ch`,
  filters: (v) => `${v} ch`,
  units: (v) => `${v} units`,
  dim: (v) => `dim ${v}`,
  kernelSize: (v) => `${v}×${v}`,
  factor: (v) => `×${v}`,
};

function numberChip(key: string, value: unknown): string {
  const text = String(value);
  return numberLabels[key as CatalogParamName]?.(text) ?? `${key} ${text}`;
}

export function costText(what: string, bytesPerSample: number, batchSize: number): string {
  return `${what} · ${formatBytes(bytesPerSample)}/sample · ${formatBytes(bytesPerSample * batchSize)} at batch ${batchSize}`;
}

/** "attn 1024×256 · 64 MiB at batch 64" */
export function shortCost(what: string, bytesPerSample: number, batchSize: number): string {
  return `${what.replace(/^attention matrix/, 'attn')} · ${formatBytes(bytesPerSample * batchSize)} at batch ${batchSize}`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(bytes >= 10 * 1024 ** 2 ? 0 : 1)} MiB`;
  return `${Math.ceil(bytes / 1024)} KiB`;
}

const thousands = new Intl.NumberFormat('en-US');

/** 4,386,756 */
export function formatCount(n: number): string {
  return thousands.format(n);
}

/** 1.18 M, 66.3 k, 512 */
export function formatCompact(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 1 : 2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(n >= 1e4 ? 0 : 1)} k`;
  return String(n);
}

/** Messages name their node ("Self-attention "g_attention": …"); on the node itself that is noise. */
function stripNodePrefix(message: string, id: string): string {
  const colon = message.indexOf(`"${id}": `);
  if (colon >= 0 && colon < 60) return message.slice(colon + id.length + 4);
  const inline = message.indexOf(`"${id}" `);
  return inline >= 0 && inline < 60 ? message.slice(0, inline) + message.slice(inline + id.length + 3) : message;
}
