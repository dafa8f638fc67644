import { fft2dInverseTransposed, fft2dTransposed, fftPlan } from "./fft.js";
import type { Grid } from "./grid.js";

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p <<= 1;
  return p;
}

/**
 * The approximate quartic sum `Σ w (1 − d²/h²)²` at each centre of a square grid by **linear
 * binning** and FFT convolution (`kernelDensity(…, { method: "fft" })`).
 *
 * 1. Each point's weight is shared between the four lattice centres around it with bilinear
 *    weights (linear binning, Wand & Jones 1995 §D.2; spatstat's `pixellate` uses simple binning
 *    instead, all the weight to the pixel containing the point). The lattice extends K = ⌈h/s⌉
 *    cells beyond the grid on every side, so points outside the grid still count.
 * 2. The binned weights are convolved with the quartic kernel sampled at lattice offsets,
 *    `k(i, j) = (1 − (i² + j²)s²/h²)²` where positive, by a radix-2 FFT of size ≥ C + 2K by
 *    R + 2K (a size at which the circular convolution does not wrap into the grid). The kernel and
 *    the binned weights share one complex transform (weights real, kernel imaginary).
 * 3. Cells with no binned weight within K cells (in a square) are exactly 0; elsewhere, with
 *    non-negative weights, round-off below 0 is set to 0.
 *
 * Accuracy: exact when every point lies on a cell centre (up to FFT round-off, ~1e-15 of the
 * largest value); otherwise linear binning moves weight by under a cell, an error of order
 * (s/h)² in smooth regions and larger near the kernel's edge (bench/KDE_RESULTS.md measures it).
 * @internal
 */
export function fftQuarticSum(g: Grid, px: Float64Array, py: Float64Array, pw: Float64Array | null, h: number): Float64Array {
  const { columns: C, rows: R, cellSize: s } = g;
  const K = Math.ceil(h / s);
  const EX = C + 2 * K, EY = R + 2 * K;
  const nx = nextPow2(EX), ny = nextPow2(EY);
  const re = new Float64Array(nx * ny), im = new Float64Array(nx * ny);
  // 1. Linear binning onto the extended lattice: node (e, f) is the centre of column e − K, row f − K.
  const X0 = g.x[0], Y0 = g.y[0];
  const invS = 1 / s;
  let nonNegative = true;
  for (let p = 0; p < px.length; ++p) {
    const w = pw === null ? 1 : pw[p];
    if (w < 0) nonNegative = false;
    const fx = (px[p] - X0) * invS + K, fy = (py[p] - Y0) * invS + K;
    const i0 = Math.floor(fx), j0 = Math.floor(fy);
    if (i0 < -1 || i0 >= EX || j0 < -1 || j0 >= EY) continue;
    const tx = fx - i0, ty = fy - j0;
    const inX0 = i0 >= 0, inX1 = i0 + 1 < EX, inY0 = j0 >= 0, inY1 = j0 + 1 < EY;
    if (inY0) {
      const r = j0 * nx;
      if (inX0) re[r + i0] += w * (1 - tx) * (1 - ty);
      if (inX1) re[r + i0 + 1] += w * tx * (1 - ty);
    }
    if (inY1) {
      const r = (j0 + 1) * nx;
      if (inX0) re[r + i0] += w * (1 - tx) * ty;
      if (inX1) re[r + i0 + 1] += w * tx * ty;
    }
  }
  // Support: a 2-D prefix sum of "node has weight", to keep cells out of reach exactly 0.
  const has = new Int32Array((EX + 1) * (EY + 1));
  for (let f = 0; f < EY; ++f) {
    let run = 0;
    for (let e = 0; e < EX; ++e) {
      if (re[f * nx + e] !== 0) ++run;
      has[(f + 1) * (EX + 1) + e + 1] = has[f * (EX + 1) + e + 1] + run;
    }
  }
  // 2. The kernel, wrapped around (offset −i at nx − i), in the imaginary part.
  const invH2 = 1 / (h * h);
  for (let j = -K; j <= K; ++j) {
    const dy = j * s;
    const a = 1 - dy * dy * invH2;
    if (!(a > 0)) continue;
    const r = ((j + ny) % ny) * nx;
    for (let i = -K; i <= K; ++i) {
      const dx = i * s;
      const u = a - dx * dx * invH2;
      if (u > 0) im[r + ((i + nx) % nx)] = u * u;
    }
  }
  const planX = fftPlan(nx), planY = planX.n === ny ? planX : fftPlan(ny);
  const tre = new Float64Array(nx * ny), tim = new Float64Array(nx * ny);
  fft2dTransposed(re, im, ny, nx, planX, planY, tre, tim);
  // Z = M̂ + i K̂ with M and K real: M̂[k] = (Z[k] + conj Z[−k]) / 2, K̂[k] = (Z[k] − conj Z[−k]) / 2i.
  // Transposed layout: frequency (u, v) at u·ny + v. Each pair (k, −k) is done once.
  for (let u = 0; u < nx; ++u) {
    const u2 = (nx - u) % nx;
    for (let v = 0; v < ny; ++v) {
      const k = u * ny + v, k2 = u2 * ny + ((ny - v) % ny);
      if (k2 < k) continue;
      const a = tre[k], b = tim[k], c = tre[k2], d = tim[k2];
      // M̂[k] = ((a + c) + i(b − d))/2, K̂[k] = ((b + d) − i(a − c))/2; at −k the conjugates.
      const mr = (a + c) / 2, mi = (b - d) / 2;
      const kr = (b + d) / 2, ki = -(a - c) / 2;
      const pr = mr * kr - mi * ki, pi = mr * ki + mi * kr;
      tre[k] = pr;
      tim[k] = pi;
      if (k2 !== k) {
        tre[k2] = pr;
        tim[k2] = -pi;
      }
    }
  }
  fft2dInverseTransposed(tre, tim, ny, nx, planX, planY, re, im);
  // 3. Grid cells: node (c + K, r + K).
  const out = new Float64Array(C * R);
  const W = EX + 1;
  for (let r = 0; r < R; ++r) {
    // Nodes within K of (c + K, r + K): e ∈ [c, c + 2K], f ∈ [r, r + 2K].
    const f0 = r, f1 = r + 2 * K + 1;
    for (let c = 0; c < C; ++c) {
      const e0 = c, e1 = c + 2 * K + 1;
      const any = has[f1 * W + e1] - has[f0 * W + e1] - has[f1 * W + e0] + has[f0 * W + e0];
      if (any === 0) continue;
      const v = re[(r + K) * nx + c + K];
      out[r * C + c] = nonNegative && v < 0 ? 0 : v;
    }
  }
  return out;
}
