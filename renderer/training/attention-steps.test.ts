import { describe, expect, it } from 'vitest';
import { mapsSource, mapsStepNote } from './attention-steps';

const facts = { fromUser: true, pending: false } as const;

describe('which step the attention maps are from', () => {
  it('says nothing more when the maps are the sample’s own step', () => {
    expect(mapsStepNote({ ...facts, mapsStep: 40, sampleStep: 40, askedFor: 40, from: 'checkpoint' })).toBeNull();
    expect(mapsSource(40, 'checkpoint')).toBe('maps at step 40 (checkpoint)');
    expect(mapsSource(41, 'live')).toBe('maps at step 41 (live model)');
    expect(mapsSource(41, undefined)).toBe('maps at step 41');
  });

  it('names the checkpoint used when the scrubbed-back step has none of its own', () => {
    expect(mapsStepNote({ ...facts, mapsStep: 32, sampleStep: 36, askedFor: 36, from: 'checkpoint' })).toBe(
      'No checkpoint was kept at step 36: the maps are from the nearest one before it, at step 32, drawn on the sample of step 36.',
    );
    expect(mapsStepNote({ ...facts, mapsStep: 24, sampleStep: 4, askedFor: 4, from: 'checkpoint' })).toMatch(
      /^No checkpoint at or before step 4 is kept any more .*: the maps are from the oldest kept, at step 24, drawn on the sample of step 4\.$/,
    );
    expect(mapsStepNote({ ...facts, mapsStep: 13, sampleStep: 4, askedFor: 4, from: 'live' })).toBe(
      'This run has no checkpoint yet: the maps are from the live model at step 13, drawn on the sample of step 4.',
    );
  });

  it('says when the answer is for another step: asking, the newest grid behind the live model, the engine’s probe', () => {
    const moved = { mapsStep: 40, sampleStep: 8, askedFor: null, from: 'checkpoint' } as const;
    expect(mapsStepNote({ ...facts, ...moved, pending: true })).toBe(
      'The maps are from the weights at step 40; asking for the weights of step 8…',
    );
    expect(mapsStepNote({ ...facts, mapsStep: 42, sampleStep: 40, askedFor: null, from: 'live' })).toBe(
      'The maps are from the live model at step 42, the sample under them from step 40.',
    );
    expect(mapsStepNote({ ...moved, fromUser: false, pending: false })).toMatch(
      /^The engine's probe maps are from the weights at step 40, the sample from step 8\. Click a pixel/,
    );
  });
});
