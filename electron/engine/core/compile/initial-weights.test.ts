import { describe, expect, it } from 'vitest';
import { findPreset, presets } from '../../../../graph-schemas';
import { compileGraph } from './compile';

/**
 * Every initialiser draws from its own seed, hashed from the document seed, the network, the node id and the
 * weight's place in the node. Were two layers seeded alike, their tensors would start equal (same shape) or share
 * their leading draws (another shape, since the generator runs in flat order): the sign pattern of the first
 * values catches both. Tensors that start constant (BN γ = 1, β = 0, attention γ = 0) or hold one number are
 * not drawn at random and are left out.
 */
function drawnTensors(gan: ReturnType<typeof compileGraph>) {
  const drawn: { name: string; values: Float32Array; signs: string }[] = [];
  for (const model of [gan.generator, gan.discriminator]) {
    for (const w of model.weights) {
      const values = w.read().dataSync() as Float32Array;
      if (values.length < 2 || values.every((v) => v === values[0])) continue;
      const head = values.subarray(0, 48);
      drawn.push({
        name: `${model.name}:${w.name}`,
        values: head,
        signs: Array.from(head, (v) => (v > 0 ? '+' : '-')).join(''),
      });
    }
  }
  return drawn;
}

describe('initial weights', () => {
  it.each(presets.map((p) => [p.name, p] as const))(
    'no two drawn tensors of %s start alike, G and D together',
    (_name, preset) => {
      const doc = preset.build();
      const gan = compileGraph(doc);
      try {
        const drawn = drawnTensors(gan);
        expect(drawn.length).toBeGreaterThan(10);
        const clashes: string[] = [];
        for (let i = 0; i < drawn.length; i++) {
          for (let j = i + 1; j < drawn.length; j++) {
            const a = drawn[i]!;
            const b = drawn[j]!;
            const sameHead = a.values.length === b.values.length && a.values.every((v, k) => v === b.values[k]);
            if (sameHead || (a.signs.length >= 16 && a.signs === b.signs)) clashes.push(`${a.name} ~ ${b.name}`);
          }
        }
        expect(clashes).toEqual([]);
      } finally {
        gan.dispose();
      }
    },
  );

  it('come back the same for the same document seed, and otherwise for another', () => {
    const doc = findPreset('sagan-mnist')!.build();
    const heads = (seed: number) => {
      const gan = compileGraph({ ...doc, training: { ...doc.training, seed } });
      try {
        return drawnTensors(gan).map((t) => Array.from(t.values));
      } finally {
        gan.dispose();
      }
    };
    const first = heads(5);
    expect(heads(5)).toEqual(first);
    const other = heads(6);
    expect(other.length).toBe(first.length);
    expect(other.filter((v, i) => v.every((x, k) => x === first[i]![k]))).toEqual([]);
  });
});
