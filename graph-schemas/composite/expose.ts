import type { z } from 'zod';
import type { CompositeDefinition, ExposedParam, GraphDocument, GraphNode, NetworkName } from '../document';
import { documentBlock, validateGraph } from '../validate';
import type { DefinitionEdit } from './edit';
import { definitionOf, refused, withDefinition, withoutUseParams } from './edit';

/*
 * Which inner params a composite block exposes (each use then sets its own value): the choice offered when grouping
 * a selection, and adding or removing an exposed param of an existing definition.
 */

/** Params that set a part's channel count (conv filters, a residual block's output channels, a linear's units). */
export const CHANNEL_PARAMS: readonly string[] = ['outChannels', 'filters', 'units'];

/** One param of a part that a block could expose, with its current value. */
export interface ParamChoice {
  node: string;
  param: string;
  /** The part's block title ("Residual block up ×2"). */
  block: string;
  value: number | string | boolean;
  /** A channel count: exposed unless the user says otherwise (as "Group into block" did before there was a choice). */
  channels: boolean;
}

type Value = ParamChoice['value'];
const isValue = (v: unknown): v is Value => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';

/** The params of the given nodes of a network a block of them could expose, node by node in document order. */
export function paramChoices(doc: GraphDocument, network: NetworkName, nodeIds: readonly string[]): ParamChoice[] {
  const ids = new Set(nodeIds);
  const report = validateGraph(doc);
  const out: ParamChoice[] = [];
  for (const n of doc[network].nodes) {
    if (!ids.has(n.id)) continue;
    const block = documentBlock(doc, n.type);
    if (!block) continue;
    const config = report.nodes.find((r) => r.network === network && r.id === n.id)?.config;
    for (const param of Object.keys(block.params.shape)) {
      const value = n.params[param] ?? config?.[param] ?? defaultOf(block.params.shape[param] as z.ZodType);
      if (!isValue(value)) continue;
      out.push({
        node: n.id,
        param,
        block: block.title,
        value,
        channels: CHANNEL_PARAMS.includes(param) && typeof value === 'number',
      });
    }
  }
  return out;
}

/** What a field gives for a missing value (its default), or undefined. */
function defaultOf(field: z.ZodType | undefined): unknown {
  const parsed = field?.safeParse(undefined);
  return parsed?.success ? parsed.data : undefined;
}

/**
 * Exposed params for the chosen (node, param, current value)s: named as the param where only one chosen part has
 * it ("outChannels"), else after the part ("g_up2_outChannels"), names kept unique against `taken`.
 */
export function exposedParams(
  chosen: readonly { node: string; param: string; value: Value }[],
  taken: Iterable<string> = [],
): ExposedParam[] {
  const names = new Set(taken);
  return chosen.map(({ node, param, value }) => {
    const alone = chosen.filter((f) => f.param === param).length === 1;
    const base = alone
      ? param
      : `${node.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=[0-9])/, '_')}_${param}`.slice(0, 40);
    let name = base;
    for (let k = 2; names.has(name); k++) name = `${base.slice(0, 38)}${k}`;
    names.add(name);
    const description = CHANNEL_PARAMS.includes(param)
      ? `Channels of "${node}" (its ${param}).`
      : `Sets ${param} of "${node}".`;
    return { name, description, default: value, targets: [{ node, param }] };
  });
}

/**
 * Checks a value for an inner node's param with that param's own schema: undefined when it fits, else a sentence
 * naming the node and param.
 */
export function checkInnerParam(
  doc: Pick<GraphDocument, 'blocks'>,
  node: Pick<GraphNode, 'id' | 'type'>,
  param: string,
  value: unknown,
): string | undefined {
  const block = documentBlock(doc, node.type);
  if (!block) return `"${node.id}" is an unknown block ("${node.type}").`;
  const field = block.params.shape[param] as z.ZodType | undefined;
  if (!field) return `${block.title} "${node.id}" has no parameter "${param}".`;
  const parsed = field.safeParse(value);
  if (parsed.success) return undefined;
  return `${block.title} "${node.id}": ${param} ${JSON.stringify(value)} is not allowed (${parsed.error.issues[0]?.message ?? 'invalid'}).`;
}

/**
 * Exposes an inner node's param on a definition: every use then sets it, starting from the node's current value
 * (the default), which leaves the inner node. Checked with the inner param's schema. Pure.
 */
export function exposeParam(doc: GraphDocument, type: string, node: string, param: string): DefinitionEdit {
  const def = definitionOf(doc, type);
  if (!def) return refused(`This document has no block "${type}".`);
  const inner = def.nodes.find((n) => n.id === node);
  if (!inner) return refused(`${def.title} has no part "${node}".`);
  const already = def.params.find((p) => p.targets.some((t) => t.node === node && t.param === param));
  if (already) return refused(`"${node}.${param}" is exposed already, as "${already.name}".`);
  const block = documentBlock(doc, inner.type);
  const value = inner.params[param] ?? defaultOf(block?.params.shape[param] as z.ZodType | undefined);
  const problem = checkInnerParam(doc, inner, param, value);
  if (problem) return refused(problem);
  if (!isValue(value)) return refused(`"${node}.${param}" has no value a use could set.`);
  const [exposed] = exposedParams(
    [{ node, param, value }],
    def.params.map((p) => p.name),
  );
  const next = withDefinition(doc, type, (d) => ({
    ...d,
    params: [...d.params, exposed!],
    nodes: d.nodes.map((n) => (n.id === node ? { ...n, params: without(n.params, param) } : n)),
  }));
  return {
    ok: true,
    doc: next,
    note: `Each use of ${def.title} now sets "${exposed!.name}" (${node}.${param}), starting at ${JSON.stringify(value)}.`,
  };
}

/**
 * Stops exposing a param of a definition: its default goes back into the inner nodes it set, and the uses' own
 * values of it go. Pure.
 */
export function unexposeParam(doc: GraphDocument, type: string, name: string): DefinitionEdit {
  const def = definitionOf(doc, type);
  if (!def) return refused(`This document has no block "${type}".`);
  const p = def.params.find((x) => x.name === name);
  if (!p) return refused(`${def.title} has no parameter "${name}".`);
  const bake = (n: GraphNode) =>
    p.targets.filter((t) => t.node === n.id).reduce((params, t) => ({ ...params, [t.param]: p.default }), n.params);
  const next = withDefinition(doc, type, (d: CompositeDefinition) => ({
    ...d,
    params: d.params.filter((x) => x !== p),
    nodes: d.nodes.map((n) => (p.targets.some((t) => t.node === n.id) ? { ...n, params: bake(n) } : n)),
  }));
  const differed = [...doc.generator.nodes, ...doc.discriminator.nodes].filter(
    (n) => n.type === type && n.params[name] !== undefined && n.params[name] !== p.default,
  );
  const lost = differed.length
    ? ` (${differed.map((n) => `"${n.id}" had ${JSON.stringify(n.params[name])}`).join(', ')}; undo to keep ${differed.length === 1 ? 'it' : 'them'})`
    : '';
  return {
    ok: true,
    doc: withoutUseParams(next, type, [name]),
    note: `${def.title} no longer has "${name}": ${p.targets.map((t) => `${t.node}.${t.param}`).join(', ')} ${p.targets.length === 1 ? 'is' : 'are'} ${JSON.stringify(p.default)} in every use${lost}.`,
  };
}

const without = (params: Record<string, unknown>, key: string) =>
  Object.fromEntries(Object.entries(params).filter(([k]) => k !== key));
