import * as tf from '@tensorflow/tfjs';
import type { TapeNode } from '../tfjs-internals';
import { gradientTape } from '../tfjs-internals';

/*
 * tf.variableGrads with a backward pass that frees memory as it goes. tfjs-core 4.22 keeps, until the whole backward
 * pass ends, both every tensor any gradient saved in the forward pass and the gradient of every intermediate tensor;
 * on wasm (a 4 GiB heap) that alone stopped SAGAN-32 at batch 64. Here, once a tape node's gradient has been
 * propagated to its inputs, its saved tensors and the gradients of its outputs are released: no later node can
 * need them (a tensor has one producer, and the tape is walked from the loss backwards). The arithmetic is tfjs' own
 * (the same gradient functions in the same order), so the results are identical to tf.variableGrads.
 *
 * It drives the engine's tape through members that are public in JavaScript but not in tfjs' typings (the tape
 * seam of tfjs-internals), so a tfjs upgrade that changes them fails loudly instead of silently.
 */

/** The nodes on a path from one of `xs` to `y`, each with its inputs pruned to those that depend on `xs` (tfjs' own rule). */
export function nodesFromXsToY(tape: TapeNode[], xs: tf.Tensor[], y: tf.Tensor): TapeNode[] {
  const fromX = new Set(xs.map((x) => x.id));
  const nodeFromX = new Set<number>();
  for (const node of tape) {
    if (Object.values(node.inputs).some((t) => fromX.has(t.id))) {
      nodeFromX.add(node.id);
      for (const o of node.outputs) fromX.add(o.id);
    }
  }
  const leadsToY = new Set([y.id]);
  const nodeToY = new Set<number>();
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i]!;
    if (node.outputs.some((o) => leadsToY.has(o.id))) {
      nodeToY.add(node.id);
      for (const t of Object.values(node.inputs)) leadsToY.add(t.id);
    }
  }
  return tape
    .filter((n) => nodeFromX.has(n.id) && nodeToY.has(n.id))
    .map((n) => ({ ...n, inputs: Object.fromEntries(Object.entries(n.inputs).filter(([, t]) => fromX.has(t.id))) }));
}

/**
 * Gradients of the scalar `f()` with respect to the trainable variables in `varList`, as tf.variableGrads returns
 * them ({ value, grads: name → gradient }), computed with a backward pass that frees what it no longer needs.
 * Not for nested (higher-order) gradients: called inside another gradient computation it throws.
 */
export function frugalVariableGrads(
  f: () => tf.Scalar,
  varList: tf.Variable[],
): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  const engine = gradientTape();
  if (engine.state.gradientDepth !== 0)
    throw new Error('frugalVariableGrads cannot run inside another gradient computation.');
  const vars = varList.filter((v) => v.trainable);
  if (vars.length === 0) throw new Error('frugalVariableGrads: none of the variables is trainable.');
  const y = engine.scopedRun(
    () => engine.startTape(),
    () => engine.endTape(),
    () => engine.tidy('forward', f),
  );
  const tape = engine.state.activeTape ?? [];
  try {
    if (!(y instanceof tf.Tensor) || y.rank !== 0)
      throw new Error(
        `frugalVariableGrads: f must return a scalar, got ${y instanceof tf.Tensor ? `a rank-${y.rank} tensor` : String(y)}.`,
      );
    const nodes = nodesFromXsToY(tape, vars, y);
    const grads = engine.tidy('backward', () => backpropagate(nodes, vars, y, () => engine.nextTensorId()));
    const named: tf.NamedTensorMap = {};
    vars.forEach((v, i) => {
      if (grads[i]) named[v.name] = grads[i]!;
    });
    if (Object.keys(named).length === 0)
      throw new Error(
        'frugalVariableGrads: none of the variables affects the loss; are the layers that use them called inside f?',
      );
    return { value: y, grads: named };
  } finally {
    for (const node of tape) for (const t of node.saved ?? []) t.dispose();
    engine.state.activeTape = null;
  }
}

function backpropagate(
  nodes: TapeNode[],
  xs: tf.Tensor[],
  y: tf.Tensor,
  nextTensorId: () => number,
): (tf.Tensor | undefined)[] {
  const isX = new Set(xs.map((x) => x.id));
  const grad = new Map<number, tf.Tensor>([[y.id, tf.onesLike(y)]]);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    if (!node.gradient) throw new Error(`Cannot compute the gradient: tfjs has no gradient for ${node.kernelName}.`);
    // Tensors made from here on are this node's gradients (customGrad makes them eagerly, in gradient(); kernels
    // lazily, in each input's function) and ours to free. A gradient function may also hand back one it did not make
    // (dy itself, a saved tensor) or the same tensor for two inputs: those get a handle of their own (a clone, which
    // shares the buffer), since we free every handle on our own schedule.
    const mark = nextTensorId();
    const perInput = node.gradient(node.outputs.map((o) => grad.get(o.id) ?? null));
    const adopted = new Set<tf.Tensor>();
    for (const [name, x] of Object.entries(node.inputs)) {
      const gradOf = perInput[name];
      if (!gradOf) throw new Error(`Cannot backprop through input ${name} of ${node.kernelName}.`);
      const computed = tf.tidy(gradOf);
      const dx = computed.id < mark || adopted.has(computed) ? computed.clone() : computed;
      adopted.add(dx);
      const previous = grad.get(x.id);
      grad.set(x.id, previous ? tf.add(previous, dx) : dx);
      if (previous) {
        previous.dispose();
        dx.dispose();
      }
    }
    // Nothing upstream needs this node's output gradients or its saved activations any more.
    for (const o of node.outputs) {
      if (isX.has(o.id)) continue;
      grad.get(o.id)?.dispose();
      grad.delete(o.id);
    }
    for (const t of node.saved ?? []) t.dispose();
  }
  const out = xs.map((x) => grad.get(x.id));
  for (const [id, t] of grad) if (!isX.has(id)) t.dispose();
  return out;
}
