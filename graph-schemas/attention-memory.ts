/**
 * How the engine computes self-attention, softmax(q·kᵀ)·v, and what memory that takes: the one model the editor's
 * figures and the engine's attention share (electron/engine/core/layers/attend.ts splits its work with
 * `attentionChunks`; its attention-memory test measures the peak against `attentionMemory`).
 */

/**
 * Elements of attention matrix (B·N·N' summed over the chunk) one step holds at a time: 4 Mi floats, 16 MiB. SAGAN-32's
 * attention (16×16 maps, N = 256) fits in one chunk up to batch 64; a 64×64 map (N = 4096, 64 MiB per sample) goes a
 * quarter of a sample's query rows at a time.
 */
export const ATTENTION_CHUNK_ELEMENTS = 4 * 2 ** 20;

/**
 * Buffers of one chunk's size alive at once at the peak of its forward and backward pass (logits, the softmax's
 * temporaries and output; then the kept or recomputed weights, their gradient and the softmax gradient's terms).
 * Measured on the wasm backend.
 */
export const ATTENTION_WORKING_BUFFERS = 7;

export interface AttentionChunk {
  /** Samples [b0, b0 + bc) and query rows [r0, r0 + rc). */
  b0: number;
  bc: number;
  r0: number;
  rc: number;
}

/** Splits B samples × N query rows into pieces whose attention block (bc·rc·N' elements) stays within `budget`. */
export function attentionChunks(
  b: number,
  n: number,
  keys: number,
  budget = ATTENTION_CHUNK_ELEMENTS,
): AttentionChunk[] {
  const perSample = n * keys;
  const chunks: AttentionChunk[] = [];
  if (perSample <= budget) {
    const bc = Math.max(1, Math.floor(budget / perSample));
    for (let b0 = 0; b0 < b; b0 += bc) chunks.push({ b0, bc: Math.min(bc, b - b0), r0: 0, rc: n });
    return chunks;
  }
  const rc = Math.max(1, Math.floor(budget / keys));
  for (let b0 = 0; b0 < b; b0++)
    for (let r0 = 0; r0 < n; r0 += rc) chunks.push({ b0, bc: 1, r0, rc: Math.min(rc, n - r0) });
  return chunks;
}

export interface AttentionMemory {
  /** Elements of the largest chunk: the part of the B×N×N' attention that exists at one time. */
  chunkElements: number;
  /** Query rows per chunk when one sample's N×N' matrix is split (N when it is not). */
  rowsPerChunk: number;
  /** Whether the whole batch is one chunk (its attention is then kept from the forward to the backward pass). */
  single: boolean;
  /** Bytes (float32) of attention buffers alive at once at the peak. */
  peakBytes: number;
}

/** The memory `attentionChunks` leads to at batch `b`, computed without listing the chunks (there can be millions). */
export function attentionMemory(
  b: number,
  n: number,
  keys: number,
  budget = ATTENTION_CHUNK_ELEMENTS,
): AttentionMemory {
  const perSample = n * keys;
  let chunkElements: number;
  let rowsPerChunk = n;
  let single: boolean;
  if (perSample <= budget) {
    const bc = Math.min(b, Math.max(1, Math.floor(budget / perSample)));
    chunkElements = bc * perSample;
    single = bc >= b;
  } else {
    rowsPerChunk = Math.max(1, Math.floor(budget / keys));
    chunkElements = rowsPerChunk * keys;
    single = false;
  }
  return { chunkElements, rowsPerChunk, single, peakBytes: ATTENTION_WORKING_BUFFERS * chunkElements * 4 };
}
