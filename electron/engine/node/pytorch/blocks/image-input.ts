import type { BlockEmitter } from '../emitter';

/** The ImageInput node is an argument of forward(): `x`. */
export const ImageInput: BlockEmitter<'ImageInput'> = { role: 'input', argument: 'x' };
