import { describe, expect, it } from 'vitest';
import { findPreset } from '../../graph-schemas';
import type { GraphDocument } from '../../graph-schemas';
import { placementChoices } from './sweep-choices';

const mnist = () => findPreset('sagan-mnist')!.build() as GraphDocument;

describe('placementChoices', () => {
  it("offers the network's feature maps smallest first, feat8/16/32 checked and the current one marked", () => {
    const choices = placementChoices(mnist(), 'generator', 'feat16', false);
    expect(choices.map((c) => c.placement)).toEqual(['feat4', 'feat8', 'feat16', 'feat32']);
    expect(choices.filter((c) => c.checked).map((c) => c.placement)).toEqual(['feat8', 'feat16', 'feat32']);
    expect(choices.filter((c) => c.current).map((c) => c.placement)).toEqual(['feat16']);
  });

  it('moving both networks needs attention in the other one', () => {
    const doc = mnist();
    expect(placementChoices(doc, 'discriminator', undefined, true).length).toBeGreaterThan(2);
    const noD = {
      ...doc,
      discriminator: { ...doc.discriminator, nodes: doc.discriminator.nodes.filter((n) => n.type !== 'SelfAttention') },
    };
    expect(placementChoices(noD, 'generator', undefined, true)).toEqual([]);
    expect(placementChoices(noD, 'generator', undefined, false).length).toBe(4);
  });
});
