import type { BlockEmitter } from '../emitter';

/** forward() returns what flows into the GeneratorOutput node. */
export const GeneratorOutput: BlockEmitter<'GeneratorOutput'> = { role: 'output' };
