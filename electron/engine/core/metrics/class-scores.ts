/**
 * Scores from a classifier's softmax over generated images: how often an image generated for class c is
 * recognised as c, and an Inception-Score-style confidence-and-diversity score exp(E_x KL(p(y|x) ‖ p(y))).
 * Both in float64 from row-major [n×classes] probabilities.
 */

/** Fraction of images whose most probable class is the class they were generated for. */
export function classAccuracy(probs: Float32Array, labels: Int32Array, classes: number): number {
  const n = labels.length;
  if (probs.length !== n * classes)
    throw new RangeError(`${probs.length} probabilities are not ${n} rows of ${classes}.`);
  let correct = 0;
  for (let r = 0; r < n; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[r * classes + c]! > probs[r * classes + best]!) best = c;
    if (best === labels[r]) correct++;
  }
  return correct / n;
}

/**
 * exp of the mean KL divergence between each image's class distribution and their average, over `splits` equal
 * parts (the mean over parts; Salimans et al. use 10 parts of 5,000). 1 when every image looks alike, up to the
 * number of classes when each is confidently one class and the classes are used evenly.
 */
export function classifierScore(probs: Float32Array, classes: number, splits = 1): number {
  const n = probs.length / classes;
  if (!Number.isInteger(n) || n < splits)
    throw new RangeError(`${probs.length} probabilities do not make ${splits} parts of ${classes}-class rows.`);
  let total = 0;
  for (let s = 0; s < splits; s++) {
    const from = Math.floor((s * n) / splits);
    const to = Math.floor(((s + 1) * n) / splits);
    const marginal = new Float64Array(classes);
    for (let r = from; r < to; r++) for (let c = 0; c < classes; c++) marginal[c]! += probs[r * classes + c]!;
    for (let c = 0; c < classes; c++) marginal[c]! /= to - from;
    let kl = 0;
    for (let r = from; r < to; r++)
      for (let c = 0; c < classes; c++) {
        const p = probs[r * classes + c]!;
        if (p > 0) kl += p * (Math.log(p) - Math.log(marginal[c]!));
      }
    total += Math.exp(kl / (to - from));
  }
  return total / splits;
}
