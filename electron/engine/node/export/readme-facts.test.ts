import { describe, expect, it } from 'vitest';
import { findPreset, placeAttention, validateGraph } from '../../../../graph-schemas';
import { attentionSites, attentionTable, trainingSettingsTable } from './readme-facts';

describe("an export README's facts", () => {
  it('states the training settings, with the steps trained', () => {
    const doc = findPreset('sagan-128')!.build();
    doc.training = {
      ...doc.training,
      batchSize: 48,
      seed: 7,
      ema: { enabled: true, decay: 0.999, startStep: 2000 },
    };
    const table = trainingSettingsTable(doc, 12_500);
    expect(table).toContain('| steps trained | 12,500 of 1,000,000 |');
    expect(table).toContain('| batch | 48 |');
    expect(table).toContain('| loss | hinge, 1 D step per G step |');
    expect(table).toContain('| generator optimizer | Adam, lr 0.0001, β1 0, β2 0.9 |');
    expect(table).toContain('| discriminator optimizer | Adam, lr 0.0004, β1 0, β2 0.9 |');
    expect(table).toContain('| EMA of G | decay 0.999 from step 2,000 |');
    expect(table).toContain('| seed | 7 |');
    expect(trainingSettingsTable(doc, null)).toContain(
      '| steps trained | none yet (the document asks for 1,000,000) |',
    );
  });

  it('says where attention sits: node, network and feature-map size, following a move', () => {
    const doc = findPreset('sagan-128')!.build();
    expect(attentionSites(validateGraph(doc))).toEqual([
      { network: 'generator', nodeId: 'g_attention', shape: [32, 32, 256] },
      { network: 'discriminator', nodeId: 'd_attention', shape: [32, 32, 128] },
    ]);
    const moved = placeAttention(doc, 'generator', 64);
    if (!moved.ok) throw new Error(moved.error);
    const table = attentionTable(validateGraph(moved.value));
    expect(table).toMatch(/\| generator \| `g_attention` \| \[64, 64, \d+\] \| 64×64 = 4,096 positions \(feat64\) \|/);
    expect(table).toContain('| discriminator | `d_attention` | [32, 32, 128] | 32×32 = 1,024 positions (feat32) |');
  });

  it('says so when there is no attention', () => {
    const doc = findPreset('sagan-32')!.build();
    for (const net of [doc.generator, doc.discriminator]) {
      const att = net.nodes.filter((n) => n.type === 'SelfAttention').map((n) => n.id);
      net.nodes = net.nodes.filter((n) => !att.includes(n.id));
      net.edges = net.edges.filter((e) => !att.includes(e.source) && !att.includes(e.target));
    }
    expect(attentionTable(validateGraph(doc))).toBe('This graph has no self-attention block.');
  });
});
