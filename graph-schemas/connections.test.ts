import { describe, expect, it } from 'vitest';
import { checkConnection, missingInputs } from './connections';
import { presetDoc } from './test-helpers';
import { validateGraph } from './validate';

describe('checkConnection', () => {
  const doc = presetDoc();
  doc.generator.nodes.push(
    { id: 'att2', type: 'SelfAttention', version: 1, params: {} },
    { id: 'relu2', type: 'ReLU', version: 1, params: {} },
  );
  const report = validateGraph(doc);

  it('accepts a feature map into attention', () => {
    expect(
      checkConnection(
        doc,
        'generator',
        { source: 'g_up1', sourcePort: 'out', target: 'att2', targetPort: 'in' },
        report,
      ),
    ).toEqual({ ok: true });
  });

  it('refuses a vector into attention with the reason shown at the cursor', () => {
    expect(
      checkConnection(
        doc,
        'generator',
        { source: 'g_linear', sourcePort: 'out', target: 'att2', targetPort: 'in' },
        report,
      ),
    ).toEqual({
      ok: false,
      reason: 'Self-attention expects a feature map; Linear gives a vector [4096].',
    });
  });

  it('refuses a label where a feature map goes, even before shapes are known', () => {
    expect(
      checkConnection(doc, 'generator', { source: 'g_label', sourcePort: 'out', target: 'att2', targetPort: 'in' }),
    ).toMatchObject({ ok: false, reason: 'Self-attention expects a feature map; Class label gives a class label.' });
  });

  it('refuses cycles, occupied inputs, self-loops and cross-network links', () => {
    expect(
      checkConnection(
        doc,
        'generator',
        { source: 'g_up3', sourcePort: 'out', target: 'g_up1', targetPort: 'in' },
        report,
      ).ok,
    ).toBe(false);
    expect(
      checkConnection(
        doc,
        'generator',
        { source: 'g_up3', sourcePort: 'out', target: 'g_bn', targetPort: 'in' },
        report,
      ),
    ).toMatchObject({
      reason:
        'Input "in" of Batch norm is already connected (from Residual block up ×2); remove that connection first.',
    });
    expect(
      checkConnection(
        doc,
        'generator',
        { source: 'att2', sourcePort: 'out', target: 'att2', targetPort: 'in' },
        report,
      ),
    ).toMatchObject({ reason: 'A node cannot feed itself.' });
    expect(
      checkConnection(
        doc,
        'generator',
        { source: 'g_up1', sourcePort: 'out', target: 'd_block2', targetPort: 'in' },
        report,
      ).ok,
    ).toBe(false);
    const cyc = presetDoc();
    cyc.generator.edges = cyc.generator.edges.filter((e) => e.target !== 'g_bn');
    expect(
      checkConnection(cyc, 'generator', { source: 'g_tanh', sourcePort: 'out', target: 'g_bn', targetPort: 'in' }),
    ).toMatchObject({ reason: expect.stringMatching(/cycle/) });
  });

  it('reports the real mismatch before "already connected" when the input is taken', () => {
    expect(
      checkConnection(
        doc,
        'generator',
        { source: 'g_linear', sourcePort: 'out', target: 'g_bn', targetPort: 'in' },
        report,
      ),
    ).toEqual({ ok: false, reason: 'Batch norm expects a feature map; Linear gives a vector [4096].' });
    expect(
      checkConnection(doc, 'generator', { source: 'z', sourcePort: 'out', target: 'g_up1', targetPort: 'in' }, report),
    ).toEqual({
      ok: false,
      reason: 'Residual block up ×2 expects a feature map on "in"; Noise z gives a noise vector [128].',
    });
  });

  it('names the port on blocks with several inputs, in display names', () => {
    expect(
      checkConnection(
        doc,
        'generator',
        { source: 'g_up3', sourcePort: 'out', target: 'g_up1', targetPort: 'label' },
        report,
      ),
    ).toMatchObject({
      reason: expect.stringMatching(
        /^Residual block up ×2 expects a class label on "label"; Residual block up ×2 gives a feature map/,
      ),
    });
  });

  it('lets an unconnected activation pass anything until its kind is known', () => {
    expect(
      checkConnection(
        doc,
        'generator',
        { source: 'relu2', sourcePort: 'out', target: 'att2', targetPort: 'in' },
        report,
      ),
    ).toEqual({ ok: true });
  });

  it('lists required inputs still missing', () => {
    expect(missingInputs(doc, 'generator', 'att2')).toEqual(['in']);
    expect(missingInputs(doc, 'generator', 'g_up1')).toEqual([]);
  });
});
