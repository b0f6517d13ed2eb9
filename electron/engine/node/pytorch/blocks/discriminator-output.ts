import type { BlockEmitter } from '../emitter';

/** forward() returns what flows into the DiscriminatorOutput node. */
export const DiscriminatorOutput: BlockEmitter<'DiscriminatorOutput'> = { role: 'output' };
