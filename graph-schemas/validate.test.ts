import { describe, expect, it } from 'vitest';
import { presets } from './presets';
import { presetDoc, spliceOut } from './test-helpers';
import { cyclicDocument } from './bench-fixtures';
import { getBlock } from './blocks';
import { validateGraph } from './validate';

const errorsOf = (doc = presetDoc()) => validateGraph(doc).problems.filter((p) => p.severity === 'error');

describe('presets', () => {
  it.each(presets.map((p) => p.name))('%s is valid', (name) => {
    const report = validateGraph(presetDoc(name));
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(report.valid).toBe(true);
  });

  it('sagan-32 has exactly the parameter counts PyTorch reports for the reference peer', () => {
    expect(validateGraph(presetDoc('sagan-32')).totals).toEqual({
      generatorParams: 4_386_756,
      discriminatorParams: 1_075_810,
    });
  });

  it('sngan-projection-32 is sagan-32 minus its two attention blocks', () => {
    const withAttention = validateGraph(presetDoc('sagan-32'));
    const without = validateGraph(presetDoc('sngan-projection-32'));
    const attention = withAttention.nodes.filter((n) => n.type === 'SelfAttention');
    expect(attention.map((n) => n.resolution)).toEqual(['feat16', 'feat16']);
    expect(without.nodes.some((n) => n.type === 'SelfAttention')).toBe(false);
    const attentionParams = (net: 'generator' | 'discriminator') => attention.find((n) => n.network === net)!.params;
    expect(without.totals.generatorParams).toBe(withAttention.totals.generatorParams - attentionParams('generator'));
    expect(without.totals.discriminatorParams).toBe(
      withAttention.totals.discriminatorParams - attentionParams('discriminator'),
    );
  });

  it('the ablation variants put attention at the named feature map in G and D', () => {
    for (const at of [8, 16, 32, 64]) {
      const report = validateGraph(presetDoc(`sagan-128-feat${at}`));
      expect(report.nodes.filter((n) => n.type === 'SelfAttention').map((n) => n.resolution)).toEqual([
        `feat${at}`,
        `feat${at}`,
      ]);
    }
  });

  it('every preset says which reference it follows', () => {
    for (const p of presets) expect(p.build().provenance?.notes.length).toBeGreaterThan(0);
  });
});

describe('shape inference', () => {
  it('gives every node of sagan-32 its output shape and resolution', () => {
    const report = validateGraph(presetDoc());
    const node = (id: string) => report.nodes.find((n) => n.id === id)!;
    expect(node('g_linear').outputShape).toEqual([4096]);
    expect(node('g_reshape').outputShape).toEqual([4, 4, 256]);
    expect(node('g_up2').outputShape).toEqual([16, 16, 256]);
    expect(node('g_attention')).toMatchObject({ outputShape: [16, 16, 256], resolution: 'feat16', params: 82_369 });
    expect(node('g_conv_out').outputShape).toEqual([32, 32, 3]);
    expect(node('d_block1').outputShape).toEqual([16, 16, 128]);
    expect(node('d_sum').outputShape).toEqual([128]);
    expect(node('d_projection')).toMatchObject({ outputShape: [1], params: 129 + 1280 });
  });

  it("reports attention memory as the engine holds it: in chunks, not the whole B×N×N' matrix", () => {
    const doc = presetDoc('sagan-128-feat64');
    const report = validateGraph(doc);
    const g = report.nodes.find((n) => n.id === 'g_attention')!;
    // 4096×1024 per sample is one 16 MiB chunk; seven such buffers at the peak, whatever the batch (256 here).
    expect(g.cost).toEqual({ bytesPerSample: (7 * 16 * 2 ** 20) / 256, what: 'attention matrix 4096×1024' });
    expect(report.problems.filter((p) => p.nodeId === 'g_attention')).toEqual([]);
    expect(report.valid).toBe(true);
  });

  it('at a 256×256 feature map (4 GiB of attention per sample) it reports the 112 MiB the engine uses', () => {
    const block = getBlock('SelfAttention')!;
    const params = block.params.parse({});
    const inferred = block.infer({
      params,
      inputs: { in: { kind: 'feature', shape: [256, 256, 64] } },
      doc: { imageSize: 256, channels: 3, classes: 0, batchSize: 2, network: 'generator' },
    });
    expect(inferred.problems).toEqual([]);
    expect(inferred.cost).toEqual({
      bytesPerSample: (7 * 256 * 16384 * 4) / 2,
      what: 'attention matrix 65536×16384, 256 query rows at a time',
    });
  });
});

describe('validation messages name the node and port', () => {
  it('finds cycles', () => {
    const doc = presetDoc();
    doc.generator.edges.push({
      id: 'loop',
      source: 'g_up3',
      sourcePort: 'out',
      target: 'g_attention',
      targetPort: 'in',
    });
    doc.generator.edges = doc.generator.edges.filter((e) => !(e.target === 'g_attention' && e.source === 'g_up2'));
    const cyc = errorsOf(doc).filter((p) => /part of a cycle/.test(p.message));
    expect(cyc).toEqual([
      expect.objectContaining({
        nodeId: 'g_attention',
        message: expect.stringContaining('("g_attention" → "g_up3" → "g_attention")'),
      }),
    ]);
  });

  it('reports each cycle once, its members truncated, however long it is (a 4,000-node loop)', () => {
    const doc = cyclicDocument(4000);
    doc.generator.nodes.push({ id: 'selfish', type: 'ReLU', version: 1, params: {} }); // and a self-loop
    doc.generator.edges.push({ source: 'selfish', sourcePort: 'out', target: 'selfish', targetPort: 'in' });
    const report = validateGraph(doc);
    const cycles = report.problems.filter((p) => /part of a cycle/.test(p.message));
    expect(cycles.map((p) => p.nodeId).sort()).toEqual(['loop0', 'selfish']);
    expect(cycles.find((p) => p.nodeId === 'loop0')!.message).toBe(
      `"loop0" is part of a cycle ("loop0" → "loop1" → "loop2" → "loop3" → "loop4" → "loop5" → "loop6" → "loop7" → … (4,000 nodes)). A GAN graph flows one way; remove one of these connections.`,
    );
    expect(report.problems.reduce((n, p) => n + p.message.length, 0)).toBeLessThan(20_000);
  });

  it('finds unconnected required ports', () => {
    const doc = presetDoc();
    doc.generator.edges = doc.generator.edges.filter((e) => e.target !== 'g_bn');
    expect(errorsOf(doc)).toContainEqual(
      expect.objectContaining({
        nodeId: 'g_bn',
        port: 'in',
        message: expect.stringMatching(/Batch norm "g_bn" needs a feature map on its "in" input/),
      }),
    );
  });

  it('refuses a vector where a feature map is expected, naming both ends', () => {
    const doc = presetDoc();
    doc.generator.edges = doc.generator.edges.filter((e) => e.target !== 'g_attention');
    doc.generator.edges.push({
      id: 'bad',
      source: 'g_linear',
      sourcePort: 'out',
      target: 'g_attention',
      targetPort: 'in',
    });
    expect(errorsOf(doc)).toContainEqual(
      expect.objectContaining({
        nodeId: 'g_attention',
        port: 'in',
        message: 'Self-attention "g_attention" expects a feature map on "in"; Linear "g_linear" gives a vector [4096].',
      }),
    );
  });

  it("finds a G output whose size differs from D's image input", () => {
    const doc = presetDoc();
    spliceOut(doc, 'generator', 'g_up3');
    doc.generator.edges.push({ id: 'l', source: 'g_label', sourcePort: 'out', target: 'g_bn', targetPort: 'unused' });
    doc.generator.edges.pop();
    const problem = errorsOf(doc).find((p) => p.nodeId === 'g_out');
    expect(problem?.message).toMatch(
      /makes 16×16×3 images but the discriminator's image input \(the dataset\) is 32×32×3/,
    );
  });

  it('finds a G output whose channels differ', () => {
    const doc = presetDoc();
    doc.generator.nodes.find((n) => n.id === 'g_conv_out')!.params.filters = 1;
    expect(errorsOf(doc).find((p) => p.nodeId === 'g_out')?.message).toMatch(/Make the last conv have 3 filters/);
  });

  it('finds CBN without a label', () => {
    const doc = presetDoc();
    doc.generator.edges = doc.generator.edges.filter((e) => !(e.target === 'g_up1' && e.targetPort === 'label'));
    expect(errorsOf(doc)).toContainEqual(
      expect.objectContaining({
        nodeId: 'g_up1',
        port: 'label',
        message: expect.stringMatching(/needs a class label on its "label" input/),
      }),
    );
  });

  it('finds class-conditional blocks in an unconditional document', () => {
    const doc = presetDoc();
    doc.dataset.classes = 0;
    const errors = errorsOf(doc);
    expect(errors.find((p) => p.nodeId === 'g_label')?.message).toMatch(/dataset has no classes/);
    expect(errors.find((p) => p.nodeId === 'd_projection')?.message).toMatch(/Use a Linear with 1 unit instead/);
    expect(errors.find((p) => p.nodeId === 'g_up1')?.message).toMatch(/Use norm "bn"/);
  });

  it('finds odd sizes where the official attention pools keys', () => {
    const doc = presetDoc();
    doc.dataset.imageSize = 30; // block 1 halves it to 15×15
    doc.discriminator.nodes.find((n) => n.id === 'd_attention')!.params.keys = 'pooled';
    expect(errorsOf(doc).find((p) => p.nodeId === 'd_attention')?.message).toMatch(
      /height and width must be even; they are 15×15/,
    );
  });

  it('finds parameters out of range, naming the parameter', () => {
    const doc = presetDoc();
    doc.generator.nodes.find((n) => n.id === 'g_conv_out')!.params.kernelSize = 4;
    doc.discriminator.nodes.find((n) => n.id === 'd_attention')!.params.variant = 'fancy';
    const errors = errorsOf(doc);
    expect(errors.find((p) => p.param === 'kernelSize')?.message).toMatch(
      /Conv 2D "g_conv_out": parameter "kernelSize" The kernel size must be odd/,
    );
    expect(errors.find((p) => p.param === 'variant')?.message).toMatch(/"official"|official/);
  });

  it('finds unknown block types and duplicate ids', () => {
    const doc = presetDoc();
    doc.generator.nodes.push({ id: 'x', type: 'Mystery', version: 1, params: {} });
    doc.discriminator.nodes.push({ id: 'g_bn', type: 'ReLU', version: 1, params: {} });
    const errors = errorsOf(doc);
    expect(errors.find((p) => p.nodeId === 'x')?.message).toMatch(/unknown block type "Mystery"/);
    expect(errors.find((p) => /share the id "g_bn"/.test(p.message))?.message).toMatch(
      /one in the generator, one in the discriminator/,
    );
  });

  it('finds blocks placed in the wrong network and missing outputs', () => {
    const doc = presetDoc();
    doc.discriminator.nodes.push({ id: 'z2', type: 'NoiseInput', version: 1, params: {} });
    doc.generator.nodes = doc.generator.nodes.filter((n) => n.id !== 'g_out');
    doc.generator.edges = doc.generator.edges.filter((e) => e.target !== 'g_out');
    const messages = errorsOf(doc).map((p) => p.message);
    expect(messages).toContain('Noise z ("z2") belongs in the generator, not in the discriminator.');
    expect(messages).toContain('The generator has no Generated image node; add one from the palette.');
  });

  it('finds two edges into one input and edges to missing nodes', () => {
    const doc = presetDoc();
    doc.generator.edges.push({ id: 'dup', source: 'g_up1', sourcePort: 'out', target: 'g_up3', targetPort: 'in' });
    doc.generator.edges.push({ id: 'ghost', source: 'nowhere', sourcePort: 'out', target: 'g_bn', targetPort: 'in' });
    const errors = errorsOf(doc);
    expect(errors.find((p) => p.edgeId === 'dup')?.message).toMatch(
      /Input "in" of "g_up3" has more than one connection/,
    );
    expect(errors.find((p) => p.edgeId === 'ghost')?.message).toMatch(/refers to node "nowhere"/);
  });

  it('checks Reshape sizes', () => {
    const doc = presetDoc();
    doc.generator.nodes.find((n) => n.id === 'g_linear')!.params.units = 1000;
    expect(errorsOf(doc).find((p) => p.nodeId === 'g_reshape')?.message).toMatch(
      /needs 4096 values \(4×4×256\) but gets 1000/,
    );
  });
});
