import { Rng } from '../data/sampler';
import type { RandomSource } from './rng-source';

/**
 * Seeded noise and fake labels for training: the data layer's Rng (xoshiro128**, JSON state), so a resumed
 * run draws exactly what an uninterrupted one would.
 */
export function seededRandom(seed: number): RandomSource {
  return new Rng(seed);
}

export { shuffledBatches } from '../data/sampler';
