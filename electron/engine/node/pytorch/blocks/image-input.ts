import type { BlockEmitter } from '../emitter';

/** The ImageInput node is an argument of forward(): `x`. */
export const ImageInput: BlockEmitter = { role: 'input', argument: 'x' };
