import type { GraphEdge, GraphNode } from '../document';
import type { PortValue } from '../ports';
import type { Subgraph } from '../composite/subgraph';
import { SUBGRAPH_INPUT, SUBGRAPH_OUTPUT } from '../composite/subgraph';
import type { NormKind } from './norm';

/*
 * The residual blocks drawn from catalog parts, exactly as the engine builds them (electron/engine/core/layers/
 * blocks.ts): each inner node's id is the engine's sub-layer name, so a block opened, copied or expanded keeps
 * its weights' names ("g_up2/conv1/kernel"). A test compiles these insides and the built-ins with the same weights
 * and compares them, forward and backward.
 */

type Source = string | readonly [string, string];
const fromInput = (port: string): Source => [SUBGRAPH_INPUT, port];

function drawing() {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const rows = new Map<number, number>();
  const add = (
    id: string,
    type: string,
    params: Record<string, unknown>,
    inputs: Record<string, Source>,
    column = 0,
  ) => {
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    nodes.push({ id, type, version: 1, params, position: { x: column * 260, y: row * 100 } });
    for (const [targetPort, src] of Object.entries(inputs)) {
      const [source, sourcePort] = typeof src === 'string' ? [src, 'out'] : src;
      edges.push({ id: `${source}.${sourcePort}->${id}.${targetPort}`, source, sourcePort, target: id, targetPort });
    }
    return id;
  };
  const output = (from: string): Subgraph => {
    edges.push({
      id: `${from}.out->${SUBGRAPH_OUTPUT}.out`,
      source: from,
      sourcePort: 'out',
      target: SUBGRAPH_OUTPUT,
      targetPort: 'out',
    });
    return { nodes, edges };
  };
  return { add, output };
}

interface ConvChoice {
  spectralNorm: boolean;
  bias: boolean;
}
const convParams = (filters: number, kernelSize: number, c: ConvChoice) => ({
  filters,
  kernelSize,
  spectralNorm: c.spectralNorm,
  bias: c.bias,
});

/** The engine's `<bn|cbn>k` sub-layer, or nothing for norm "none": returns the node the next part reads. */
function addNorm(d: ReturnType<typeof drawing>, norm: NormKind, k: number, from: Source): Source {
  if (norm === 'none') return from;
  if (norm === 'bn') return d.add(`bn${k}`, 'BatchNorm', {}, { in: from });
  return d.add(`cbn${k}`, 'ConditionalBatchNorm', {}, { in: from, label: fromInput('label') });
}

export function resBlockUpInside(p: ConvChoice & { outChannels: number; norm: 'cbn' | 'bn' }): Subgraph {
  const d = drawing();
  const n1 = addNorm(d, p.norm, 1, fromInput('in'));
  d.add('relu1', 'ReLU', {}, { in: n1 });
  d.add('up', 'Upsample', { factor: 2 }, { in: 'relu1' });
  d.add('conv1', 'Conv2D', convParams(p.outChannels, 3, p), { in: 'up' });
  const n2 = addNorm(d, p.norm, 2, 'conv1');
  d.add('relu2', 'ReLU', {}, { in: n2 });
  d.add('conv2', 'Conv2D', convParams(p.outChannels, 3, p), { in: 'relu2' });
  d.add('shortcut_up', 'Upsample', { factor: 2 }, { in: fromInput('in') }, 1);
  d.add('shortcut', 'Conv2D', convParams(p.outChannels, 1, p), { in: 'shortcut_up' }, 1);
  return d.output(d.add('add', 'Add', {}, { a: 'conv2', b: 'shortcut' }));
}

export function resBlockDownInside(p: ConvChoice & { outChannels: number; optimized: boolean }): Subgraph {
  const d = drawing();
  if (p.optimized) {
    d.add('conv1', 'Conv2D', convParams(p.outChannels, 3, p), { in: fromInput('in') });
    d.add('relu1', 'ReLU', {}, { in: 'conv1' });
    d.add('conv2', 'Conv2D', convParams(p.outChannels, 3, p), { in: 'relu1' });
    d.add('pool', 'AvgPool', {}, { in: 'conv2' });
    d.add('shortcut_pool', 'AvgPool', {}, { in: fromInput('in') }, 1);
    d.add('shortcut', 'Conv2D', convParams(p.outChannels, 1, p), { in: 'shortcut_pool' }, 1);
    return d.output(d.add('add', 'Add', {}, { a: 'pool', b: 'shortcut' }));
  }
  d.add('relu1', 'ReLU', {}, { in: fromInput('in') });
  d.add('conv1', 'Conv2D', convParams(p.outChannels, 3, p), { in: 'relu1' });
  d.add('relu2', 'ReLU', {}, { in: 'conv1' });
  d.add('conv2', 'Conv2D', convParams(p.outChannels, 3, p), { in: 'relu2' });
  d.add('pool', 'AvgPool', {}, { in: 'conv2' });
  d.add('shortcut', 'Conv2D', convParams(p.outChannels, 1, p), { in: fromInput('in') }, 1);
  d.add('shortcut_pool', 'AvgPool', {}, { in: 'shortcut' }, 1);
  return d.output(d.add('add', 'Add', {}, { a: 'pool', b: 'shortcut_pool' }));
}

export function resBlockInside(
  p: ConvChoice & { outChannels: number; norm: NormKind },
  inputs: Partial<Record<string, PortValue>>,
): Subgraph {
  const d = drawing();
  const x = inputs.in;
  const cIn = x && (x.kind === 'feature' || x.kind === 'image') ? x.shape[2] : undefined;
  d.add('relu1', 'ReLU', {}, { in: addNorm(d, p.norm, 1, fromInput('in')) });
  d.add('conv1', 'Conv2D', convParams(p.outChannels, 3, p), { in: 'relu1' });
  d.add('relu2', 'ReLU', {}, { in: addNorm(d, p.norm, 2, 'conv1') });
  d.add('conv2', 'Conv2D', convParams(p.outChannels, 3, p), { in: 'relu2' });
  // The identity when the channels stay, as the engine does; a 1×1 conv when they change (or are not known yet).
  const shortcut =
    cIn === p.outChannels
      ? fromInput('in')
      : d.add('shortcut', 'Conv2D', convParams(p.outChannels, 1, p), { in: fromInput('in') }, 1);
  return d.output(d.add('add', 'Add', {}, { a: 'conv2', b: shortcut }));
}
