import type { BlockEmitter } from '../emitter';

/** The NoiseInput node is an argument of forward(): `z`. */
export const NoiseInput: BlockEmitter<'NoiseInput'> = { role: 'input', argument: 'z' };
