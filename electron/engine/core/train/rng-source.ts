/** Seeded randomness the trainer draws noise and fake labels from (so runs are reproducible and resumable). */
export interface RandomSource {
  normal(n: number): Float32Array;
  /** n integers in [0, max). */
  ints(n: number, max: number): Int32Array;
  getState(): unknown;
  setState(state: unknown): void;
}

/** Batches of real images and labels, drawn in a seeded order whose state can be saved. */
export interface BatchSource {
  next(batchSize: number): { images: Float32Array; labels: Int32Array; shape: [number, number, number, number] };
  getState(): unknown;
  setState(state: unknown): void;
}
