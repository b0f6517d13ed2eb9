import type { GraphDocument } from './document';
import { findPreset } from './presets';

/**
 * A valid document of about `nodes` nodes: sagan-32 with its generator's middle lengthened by
 * resolution-preserving ResBlocks and attention, for editor and validation benchmarks.
 */
export function largeDocument(nodes: number): GraphDocument {
  const doc = findPreset('sagan-32')!.build();
  const g = doc.generator;
  const extra = Math.max(0, nodes - g.nodes.length - doc.discriminator.nodes.length);
  const into = g.edges.find((e) => e.target === 'g_up3' && e.targetPort === 'in')!;
  let prev = into.source;
  for (let i = 0; i < extra; i++) {
    const id = `g_extra${i}`;
    const type = i % 3 === 2 ? 'SelfAttention' : 'ResBlock';
    const params =
      type === 'ResBlock' ? { outChannels: 256, norm: 'cbn' } : { variant: 'official', keys: 'full', bias: true };
    g.nodes.push({ id, type, version: 1, params, position: { x: 300 + (i % 10) * 220, y: Math.floor(i / 10) * 140 } });
    g.edges.push({ id: `${prev}->${id}`, source: prev, sourcePort: 'out', target: id, targetPort: 'in' });
    if (type === 'ResBlock')
      g.edges.push({ id: `g_label->${id}`, source: 'g_label', sourcePort: 'out', target: id, targetPort: 'label' });
    prev = id;
  }
  into.source = prev;
  into.id = `${prev}->g_up3`;
  return doc;
}

/** sagan-mnist with a loop of `length` ReLU nodes added to its generator (a damaged or hostile file). */
export function cyclicDocument(length: number): GraphDocument {
  const doc = findPreset('sagan-mnist')!.build();
  const loop = Array.from({ length }, (_, i) => `loop${i}`);
  doc.generator.nodes.push(...loop.map((id) => ({ id, type: 'ReLU', version: 1, params: {} })));
  doc.generator.edges.push(
    ...loop.map((id, i) => ({ source: id, sourcePort: 'out', target: loop[(i + 1) % length]!, targetPort: 'in' })),
  );
  return doc;
}
