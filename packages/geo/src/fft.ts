/**
 * A small in-place radix-2 complex FFT (iterative Cooley–Tukey, decimation in time) on split
 * real / imaginary arrays, and the 2-D transforms built from it. No dependencies, no Node APIs.
 * @internal
 */

/** Bit-reversal permutation and twiddles for length n (a power of two). @internal */
export interface FftPlan {
  readonly n: number;
  readonly rev: Uint32Array;
  /** cos(2πk/n), sin(2πk/n) for k < n/2 (computed directly, not by recurrence). */
  readonly cos: Float64Array;
  readonly sin: Float64Array;
}

/** A plan for length n; n must be a power of two ≥ 1. @internal */
export function fftPlan(n: number): FftPlan {
  if (!(n >= 1 && (n & (n - 1)) === 0)) throw new RangeError(`fftPlan: n must be a power of two, got ${n}`);
  let bits = 0;
  while (1 << bits < n) ++bits;
  const rev = new Uint32Array(n);
  for (let i = 0; i < n; ++i) {
    let r = 0;
    for (let b = 0; b < bits; ++b) r |= ((i >> b) & 1) << (bits - 1 - b);
    rev[i] = r;
  }
  const half = n >> 1;
  const cos = new Float64Array(half), sin = new Float64Array(half);
  for (let k = 0; k < half; ++k) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = Math.sin((2 * Math.PI * k) / n);
  }
  return { n, rev, cos, sin };
}

/**
 * In-place FFT of `n` complex values at `re[off..off+n)`, `im[off..off+n)`:
 * `X[k] = Σ x[j] e^{∓2πi jk/n}` (− for forward, + for inverse; the inverse is not divided by n).
 * @internal
 */
export function fft(plan: FftPlan, re: Float64Array, im: Float64Array, off: number, inverse: boolean): void {
  const { n, rev, cos, sin } = plan;
  for (let i = 0; i < n; ++i) {
    const j = rev[i];
    if (j > i) {
      const a = off + i, b = off + j;
      let t = re[a];
      re[a] = re[b];
      re[b] = t;
      t = im[a];
      im[a] = im[b];
      im[b] = t;
    }
  }
  const sign = inverse ? 1 : -1;
  for (let size = 2; size <= n; size <<= 1) {
    const halfSize = size >> 1, step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < halfSize; ++k) {
        const wr = cos[k * step], wi = sign * sin[k * step];
        const a = off + start + k, b = a + halfSize;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
}

/** Transposes a `rows × cols` row-major array into `out` (`cols × rows`). @internal */
export function transpose(src: Float64Array, rows: number, cols: number, out: Float64Array): void {
  const B = 32;
  for (let r0 = 0; r0 < rows; r0 += B) {
    const r1 = Math.min(rows, r0 + B);
    for (let c0 = 0; c0 < cols; c0 += B) {
      const c1 = Math.min(cols, c0 + B);
      for (let r = r0; r < r1; ++r) for (let c = c0; c < c1; ++c) out[c * rows + r] = src[r * cols + c];
    }
  }
}

/**
 * 2-D FFT of a `ny × nx` row-major complex array (both powers of two). The result is left
 * **transposed** (`nx × ny`): multiply two spectra made the same way element by element, then
 * {@link fft2dInverseTransposed} brings the product back in the original layout.
 * @internal
 */
export function fft2dTransposed(re: Float64Array, im: Float64Array, ny: number, nx: number, px: FftPlan, py: FftPlan, tre: Float64Array, tim: Float64Array): void {
  for (let r = 0; r < ny; ++r) fft(px, re, im, r * nx, false);
  transpose(re, ny, nx, tre);
  transpose(im, ny, nx, tim);
  for (let c = 0; c < nx; ++c) fft(py, tre, tim, c * ny, false);
}

/** Inverse of {@link fft2dTransposed}, scaled by 1/(nx·ny); writes the `ny × nx` result to re, im. @internal */
export function fft2dInverseTransposed(tre: Float64Array, tim: Float64Array, ny: number, nx: number, px: FftPlan, py: FftPlan, re: Float64Array, im: Float64Array): void {
  for (let c = 0; c < nx; ++c) fft(py, tre, tim, c * ny, true);
  transpose(tre, nx, ny, re);
  transpose(tim, nx, ny, im);
  const scale = 1 / (nx * ny);
  for (let r = 0; r < ny; ++r) fft(px, re, im, r * nx, true);
  for (let i = 0; i < re.length; ++i) {
    re[i] *= scale;
    im[i] *= scale;
  }
}
