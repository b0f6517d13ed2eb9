import * as tf from '@tensorflow/tfjs';
import type { AttentionChunk } from '../../../../graph-schemas';
// The chunking is graph-schemas' model of attention memory, so the editor's figures describe what runs here.
import { ATTENTION_CHUNK_ELEMENTS, attentionChunks } from '../../../../graph-schemas';

export { ATTENTION_CHUNK_ELEMENTS, attentionChunks };

/** The budget attend() uses when none is given; benchmarks change it to compare with keeping the whole matrix. */
export const attentionDefaults = { chunkElements: ATTENTION_CHUNK_ELEMENTS };

const piece = (t: tf.Tensor3D, c: AttentionChunk, rows: boolean) =>
  rows ? t.slice([c.b0, c.r0, 0], [c.bc, c.rc, t.shape[2]]) : t.slice([c.b0, 0, 0], [c.bc, t.shape[1], t.shape[2]]);

/** softmax(q·kᵀ) of one chunk (no 1/√d scaling, as in SAGAN). */
const weights = (q: tf.Tensor3D, k: tf.Tensor3D) => tf.softmax(tf.matMul(q, k, false, true)) as tf.Tensor3D;

/**
 * o = softmax(q·kᵀ)·v for q [B, N, d], k [B, N', d], v [B, N', dv], holding at most `budget` elements of the N×N'
 * attention at a time. When the whole attention fits in one chunk it is kept for the backward pass, as tfjs' own
 * gradients would; otherwise each chunk's attention is recomputed there (one extra q·kᵀ and softmax) instead of
 * keeping B·N·N' floats alive from the forward pass to the end of the backward one. The gradient uses the same ops
 * as tfjs' gradients of matMul and softmax, so a single chunk gives bit-identical results.
 */
export function attend(
  q: tf.Tensor3D,
  k: tf.Tensor3D,
  v: tf.Tensor3D,
  budget = attentionDefaults.chunkElements,
): tf.Tensor3D {
  const [b, n] = q.shape;
  const keys = k.shape[1];
  const chunks = attentionChunks(b, n, keys, budget);
  const rows = chunks.some((c) => c.rc < n);
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [qi, ki, vi] = args as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
    const save = args[3] as tf.GradSaveFunc;
    // The forward runs inside tfjs' tidy: the chunks' intermediates are freed when it returns.
    const single = chunks.length === 1;
    const parts = chunks.map((c) => {
      const [out, a] = tf.tidy(() => {
        const w = weights(piece(qi, c, rows), piece(ki, c, false));
        return [tf.matMul(w, piece(vi, c, false)), w];
      });
      if (!single) a!.dispose();
      return { out: out!, a: single ? a! : null };
    });
    const outs = parts.map((p) => p.out);
    const value = rows
      ? tf.concat(
          Array.from({ length: b }, (_, s) =>
            tf.concat(
              outs.filter((_, i) => chunks[i]!.b0 === s),
              1,
            ),
          ),
          0,
        ) // each sample's rows, then the samples
      : single
        ? outs[0]!
        : tf.concat(outs, 0);
    const kept = parts[0]!.a;
    save(kept ? [qi, ki, vi, kept] : [qi, ki, vi]);
    return {
      value: value as tf.Tensor3D,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) =>
        backward(dy as tf.Tensor3D, saved.slice(0, 3) as tf.Tensor3D[], (saved[3] as tf.Tensor3D | undefined) ?? null),
    };
  });

  function backward(dy: tf.Tensor3D, [qs, ks, vs]: tf.Tensor3D[], keptWeights: tf.Tensor3D | null): tf.Tensor[] {
    const dq: tf.Tensor[] = [];
    const dk: tf.Tensor[] = [];
    const dv: tf.Tensor[] = [];
    for (const c of chunks) {
      const [dqc, dkc, dvc] = tf.tidy(() => {
        const qc = piece(qs!, c, rows);
        const kc = piece(ks!, c, false);
        const vc = piece(vs!, c, false);
        const dyc = piece(dy, c, rows);
        const a = keptWeights ?? weights(qc, kc);
        // tfjs' gradients of matMul(a, v), then of softmax, then of matMul(q, k, false, true).
        const da = tf.matMul(dyc, vc, false, true);
        const dvChunk = tf.matMul(a, dyc, true, false);
        const dyTimesY = tf.mul(da, a);
        const dLogits = tf.sub(dyTimesY, tf.mul(tf.sum(dyTimesY, -1, true), a));
        return [tf.matMul(dLogits, kc), tf.matMul(dLogits, qc, true, false), dvChunk];
      });
      dq.push(dqc!);
      // Row chunks of one sample add up into that sample's key and value gradients.
      const last = dk.length - 1;
      if (rows && c.r0 > 0) {
        const [k0, v0] = [dk[last]!, dv[last]!];
        dk[last] = tf.add(k0, dkc!);
        dv[last] = tf.add(v0, dvc!);
        tf.dispose([k0, v0, dkc!, dvc!]);
      } else {
        dk.push(dkc!);
        dv.push(dvc!);
      }
    }
    const join = (ts: tf.Tensor[], axis: number) => {
      if (ts.length === 1) return ts[0]!;
      const out = tf.concat(ts, axis);
      tf.dispose(ts);
      return out;
    };
    const dqAll = rows
      ? join(
          Array.from({ length: b }, (_, s) =>
            join(
              dq.filter((_, i) => chunks[i]!.b0 === s),
              1,
            ),
          ),
          0,
        )
      : join(dq, 0);
    return [dqAll, join(dk, 0), join(dv, 0)];
  }

  return op(q, k, v) as tf.Tensor3D;
}
