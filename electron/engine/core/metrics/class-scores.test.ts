import { describe, expect, it } from 'vitest';
import { classAccuracy, classifierScore } from './class-scores';

describe('class scores', () => {
  const oneHot = (classes: number[], k: number) =>
    Float32Array.from({ length: classes.length * k }, (_, i) => (classes[Math.floor(i / k)] === i % k ? 1 : 0));

  it('counts the images recognised as the class they were generated for', () => {
    const probs = Float32Array.from([0.7, 0.2, 0.1, 0.1, 0.1, 0.8, 0.3, 0.4, 0.3]);
    expect(classAccuracy(probs, Int32Array.from([0, 2, 0]), 3)).toBeCloseTo(2 / 3, 12);
  });

  it('scores 1 when every image looks alike and K when K classes are each used confidently and evenly', () => {
    expect(classifierScore(oneHot([1, 1, 1, 1], 4), 4)).toBeCloseTo(1, 9);
    expect(
      classifierScore(
        Float32Array.from({ length: 40 }, () => 0.1),
        10,
      ),
    ).toBeCloseTo(1, 9);
    expect(classifierScore(oneHot([0, 1, 2, 3, 0, 1, 2, 3], 4), 4)).toBeCloseTo(4, 9);
    expect(classifierScore(oneHot([0, 1, 2, 3, 0, 1, 2, 3], 4), 4, 2)).toBeCloseTo(4, 9);
  });
});
