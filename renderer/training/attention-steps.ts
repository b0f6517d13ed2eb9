/**
 * Which weights the attention maps are from, said next to the sample they are drawn on: a sample grid scrubbed
 * back to an earlier step gets maps from that step's checkpoint, or from the nearest one kept.
 */

export interface MapsStepFacts {
  /** The step of the weights the maps were computed with. */
  mapsStep: number;
  /** The live model's, or a checkpoint's (absent from hosts before it was said). */
  from?: 'live' | 'checkpoint';
  /** The step of the sample grid shown under the maps. */
  sampleStep: number;
  /** The grid step the maps were asked for (null: the newest grid). */
  askedFor: number | null;
  /** The user's query points (true) or the engine's fixed probe streamed with each grid (false). */
  fromUser: boolean;
  /** A request for the shown step is in flight. */
  pending: boolean;
}

/** "maps at step 40 (checkpoint)": the header's short form. */
export function mapsSource(mapsStep: number, from: MapsStepFacts['from']): string {
  const what = from === 'checkpoint' ? ' (checkpoint)' : from === 'live' ? ' (live model)' : '';
  return `maps at step ${mapsStep}${what}`;
}

/** What to say when the maps' weights are not the sample's step (null when they are). */
export function mapsStepNote(f: MapsStepFacts): string | null {
  if (f.mapsStep === f.sampleStep) return null;
  const weights = f.from === 'live' ? `the live model at step ${f.mapsStep}` : `the weights at step ${f.mapsStep}`;
  if (!f.fromUser)
    return `The engine's probe maps are from ${weights}, the sample from step ${f.sampleStep}. Click a pixel of the sample to compute maps from its own step's checkpoint.`;
  if (f.pending) return `The maps are from ${weights}; asking for the weights of step ${f.sampleStep}…`;
  if (f.askedFor === f.sampleStep && f.from !== 'live')
    return f.mapsStep < f.sampleStep
      ? `No checkpoint was kept at step ${f.sampleStep}: the maps are from the nearest one before it, at step ${f.mapsStep}, drawn on the sample of step ${f.sampleStep}.`
      : `No checkpoint at or before step ${f.sampleStep} is kept any more (a run keeps its newest ones): the maps are from the oldest kept, at step ${f.mapsStep}, drawn on the sample of step ${f.sampleStep}.`;
  if (f.askedFor === f.sampleStep)
    return `This run has no checkpoint yet: the maps are from ${weights}, drawn on the sample of step ${f.sampleStep}.`;
  return `The maps are from ${weights}, the sample under them from step ${f.sampleStep}.`;
}
