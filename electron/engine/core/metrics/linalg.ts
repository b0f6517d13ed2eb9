import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/**
 * Dense float64 helpers for the Fréchet distance. Matrices are row-major Float64Arrays. The eigen-decomposition
 * is ml-matrix's (Householder tridiagonalisation + QL, as in JAMA/EISPACK); the products are plain blocked loops,
 * several times quicker than ml-matrix's general mmul on 2048×2048.
 */

/** C = A·B for A [n×k], B [k×m]. */
export function matmul(a: Float64Array, b: Float64Array, n: number, k: number, m: number): Float64Array {
  const c = new Float64Array(n * m);
  const BLOCK = 64;
  for (let p0 = 0; p0 < k; p0 += BLOCK) {
    const p1 = Math.min(k, p0 + BLOCK);
    for (let i = 0; i < n; i++) {
      const row = i * m;
      for (let p = p0; p < p1; p++) {
        const aip = a[i * k + p]!;
        if (aip === 0) continue;
        const brow = p * m;
        for (let j = 0; j < m; j++) c[row + j]! += aip * b[brow + j]!;
      }
    }
  }
  return c;
}

/** Aᵀ for A [n×m]. */
export function transpose(a: Float64Array, n: number, m: number): Float64Array {
  const t = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) t[j * n + i] = a[i * m + j]!;
  return t;
}

/** Eigenvalues (ascending) and, when asked, eigenvectors (columns of a row-major [n×n]) of a symmetric matrix. */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const rows = Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, (i + 1) * n)));
  const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const vectors = new Float64Array(n * n);
  const v = evd.eigenvectorMatrix;
  for (let i = 0; i < n; i++) vectors.set(v.getRow(i), i * n);
  return { values: Float64Array.from(evd.realEigenvalues), vectors };
}

/**
 * The symmetric positive semi-definite square root V·diag(√max(λ,0))·Vᵀ. Covariances are PSD up to rounding,
 * so tiny negative eigenvalues are clamped to 0.
 */
export function symmetricSqrt(a: Float64Array, n: number): Float64Array {
  const { values, vectors } = symmetricEigen(a, n);
  const scaled = new Float64Array(n * n); // V·diag(√λ)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) scaled[i * n + j] = vectors[i * n + j]! * Math.sqrt(Math.max(0, values[j]!));
  return matmul(scaled, transpose(vectors, n, n), n, n, n);
}

/** Σ √max(λ,0) over the eigenvalues of a symmetric PSD matrix: the trace of its square root. */
export function traceSqrt(a: Float64Array, n: number): number {
  const { values } = symmetricEigen(a, n);
  let sum = 0;
  for (const v of values) sum += Math.sqrt(Math.max(0, v));
  return sum;
}
