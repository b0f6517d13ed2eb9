import { describe, expect, it } from 'vitest';
import { getBlock } from '../blocks';
import { presets } from '../presets';
import { validateGraph } from '../validate';
import { drawnFromParts } from './parts';
import { innerId } from './subgraph';

describe('the residual blocks drawn from parts', () => {
  it.each(presets.map((p) => [p.name, p] as const))(
    '%s: every inside validates, with the block’s output shape and parameter count',
    (_name, preset) => {
      const doc = preset.build();
      const before = validateGraph(doc);
      const parts = drawnFromParts(doc);
      const after = validateGraph(parts);
      expect(after.problems).toEqual(before.problems);
      expect(after.totals).toEqual(before.totals);
      const residual = before.nodes.filter((n) => getBlock(n.type)?.inside);
      expect(residual.length).toBeGreaterThan(2);
      for (const block of residual) {
        const inner = after.nodes.filter((n) => n.id.startsWith(`${block.id}/`));
        expect(
          inner.reduce((sum, n) => sum + n.params, 0),
          block.id,
        ).toBe(block.params);
        expect(after.nodes.find((n) => n.id === innerId(block.id, 'add'))?.outputShape, block.id).toEqual(
          block.outputShape,
        );
      }
    },
  );

  it('a ResBlock keeps the identity shortcut when the channels stay, and a 1×1 conv when they change', () => {
    const block = getBlock('ResBlock')!;
    const params = block.params.parse({ outChannels: 64, norm: 'none' });
    const same = block.inside!(params, { in: { kind: 'feature', shape: [8, 8, 64] } });
    expect(same.nodes.map((n) => n.id)).toEqual(['relu1', 'conv1', 'relu2', 'conv2', 'add']);
    expect(same.edges.find((e) => e.target === 'add' && e.targetPort === 'b')).toMatchObject({
      source: '$in',
      sourcePort: 'in',
    });
    const wider = block.inside!(params, { in: { kind: 'feature', shape: [8, 8, 32] } });
    expect(wider.nodes.map((n) => n.id)).toContain('shortcut');
  });
});
