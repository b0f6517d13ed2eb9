import type { BlockEmitter } from '../emitter';

/** The ClassLabelInput node is an argument of forward(): `y`. */
export const ClassLabelInput: BlockEmitter<'ClassLabelInput'> = { role: 'input', argument: 'y' };
