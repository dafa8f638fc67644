import { failInput, invalidOption } from "@community-safety/core";
import { checkGrid, rowSpacing, type Grid, type GridPoints } from "./grid.js";
import { fftQuarticSum } from "./kernel-density-fft.js";

/**
 * How {@link kernelDensity} sums the kernel: `"exact"` (every point–centre pair within h, to
 * round-off) or `"fft"` (linear binning to the cell centres and an FFT convolution: approximate).
 */
export type KernelDensityMethod = "exact" | "fft";

/** How {@link kernelDensity} chooses its bandwidth. */
export type BandwidthRule = "nrd" | "nrd-x";

/** Options for {@link kernelDensity}. */
export interface KernelDensityOptions {
  /**
   * Kernel radius h in metres (the kernel is zero at distance ≥ h), or a rule. Default `"nrd"`:
   * the mean over both axes of the normal-reference rule of MASS `bandwidth.nrd`,
   * `nrd(v) = 4 · 1.06 · min(sd(v), IQR(v)/1.34) · n^(−1/5)` (sd with divisor n − 1; IQR from
   * quantile type 7), i.e. `h = (nrd(x) + nrd(y)) / 2` over the located points. This is what
   * sfhotspot's documentation describes ("bandwidth.nrd called on the co-ordinates").
   * `"nrd-x"` is what sfhotspot 1.0.0 actually computes: its `mean(nrd(x), nrd(y))` passes
   * `nrd(y)` as `mean()`'s `trim` argument, so only the x co-ordinates count. Where an axis has
   * IQR 0 its sd is used instead (as R's `bw.nrd0` does; MASS would give 0). The rule is a
   * global normal-reference choice: over a whole district it gives kilometres (2.3 km for the
   * synthetic borough's violent crime), so hotspot maps usually fix h (e.g. 250–500 m).
   */
  bandwidth?: number | BandwidthRule;
  /** Multiplies the bandwidth, fixed or from the rule (sfhotspot's `bandwidth_adjust`). Default 1. */
  bandwidthAdjust?: number;
  /** The kernel; only `"quartic"` (biweight). Default `"quartic"`. */
  kernel?: "quartic";
  /** A weight per point (e.g. harm scores); default 1 each. Must be finite. */
  weights?: ArrayLike<number>;
  /**
   * `"exact"` (default): the sum over every point within h of each centre, to round-off
   * (≤ 1e-13 relative in practice). `"fft"`: each point's weight is shared between the four
   * surrounding cell centres (linear binning) and convolved with the kernel by FFT — faster on
   * very large inputs and an approximation, worst near the kernel's edge and for cells large
   * against h (bench/KDE_RESULTS.md gives its error); square grids only.
   */
  method?: KernelDensityMethod;
}

/** What {@link kernelDensity} returns. */
export interface KernelDensityResult {
  /** Density at each cell centre in **points per m²** (the surface integrates to `total`). */
  readonly density: Float64Array;
  /** The same in **points per km²** (`density × 10⁶`). */
  readonly densityPerKm2: Float64Array;
  /**
   * `Σ wᵢ (1 − dᵢ²/h²)²` over points with `dᵢ < h`, without the normalising constant: the value
   * QGIS Heatmap, `SpatialKDE::kde(scaled = FALSE)` and sfhotspot's `kde` column report.
   */
  readonly unscaled: Float64Array;
  /** The bandwidth used (metres), after `bandwidthAdjust`. */
  readonly bandwidth: number;
  /** `"fixed"` when a number was given, otherwise the rule. */
  readonly bandwidthRule: "fixed" | BandwidthRule;
  readonly kernel: "quartic";
  /** The method used (`"exact"` unless `method: "fft"` was given). */
  readonly method: KernelDensityMethod;
  /** Located points used. */
  readonly points: number;
  /** The located points' total weight (`points` when unweighted). */
  readonly total: number;
  /** Points without a location (`x` or `y` not finite), left out. */
  readonly noLocation: number;
  /**
   * Cell-area integration check: `Σ density × grid.area`. Close to `total` when every kernel
   * lies inside the grid (a `margin` of at least h) and cells are small against h; less
   * otherwise (mass beyond the grid's edge).
   */
  readonly integral: number;
}

const FN = "kernelDensity";

/**
 * Returns the quartic (biweight) kernel density of points at the centre of every cell of a
 * {@link Grid}, with a fixed bandwidth h:
 *
 * `density(c) = Σᵢ wᵢ · 3/(π h²) · (1 − dᵢ²/h²)²` over points with `dᵢ < h`,
 *
 * dᵢ the Euclidean distance from the cell centre to point i. The kernel
 * `K(d) = 3/(π h²)(1 − d²/h²)²` integrates to 1 over the plane, so the surface integrates to
 * the number of points (points per m²; `densityPerKm2` per km²). No edge correction; points
 * outside the grid still contribute to cells within h. Silverman (1986), *Density Estimation*,
 * eq. 4.5; the same as ArcGIS Kernel Density (planar), `spatstat.explore::density.ppp(kernel =
 * "quartic", sigma = h/(2√2), edge = FALSE)` and `kde_density` of shared/oracles/kde.R
 * (exact; checked to 1e-9 relative). sfhotspot's `kde` is the `unscaled` sum.
 *
 * Method (`method: "exact"`, the default): the exact sum, no approximation. On square grids
 * (h between 2.5 and 60 cells) the points are binned per cell and points with identical (x, y)
 * merged; well inside the kernel each bin adds a polynomial in the cell offset built from ten
 * moments of its points (the quartic kernel is a polynomial in dx, dy), and near the kernel's edge
 * (u = 1 − d²/h² < 0.1 for some position in the bin) points are summed one by one. The result
 * equals the pairwise sum to ~1e-14 relative (tested to 1e-12 against kde.R and a double loop),
 * and cells no point reaches are exactly 0. Otherwise (hexagons, other lattices) each point
 * scatters into the cells within h, found by arithmetic with no spatial index. Either way the cost
 * is far below points × cells. `method: "fft"` instead shares each point between the four
 * surrounding cell centres (linear binning) and convolves with the kernel by FFT: an
 * approximation, with errors of order (cellSize/h)² (0.03% mean, 0.8% at worst on cells above 1%
 * of the peak for 32 m cells and h = 500 m; bench/KDE_RESULTS.md).
 *
 * Points without a location are skipped (counted in `noLocation`). No located points give an
 * all-zero surface (a rule bandwidth then cannot be chosen: give a number).
 *
 * @param points An incident table, or `{ x, y }` arrays in the grid's metres.
 * @throws InputError `invalid-option` when `grid` is not a grid from {@link grid}; when
 *   `bandwidth` is not a positive number, `"nrd"` or `"nrd-x"`; when the rule cannot give a
 *   bandwidth (fewer than two located points, or no spread); when `bandwidthAdjust` is not a
 *   positive number, `kernel` is not `"quartic"`, `method` is not `"exact"` or `"fft"` (or is
 *   `"fft"` on a hexagon grid), or a weight is not finite.
 * @throws InputError `length-mismatch` when `x`, `y` (and `weights`) differ in length.
 * @throws InputError `invalid-input` when `points` has no `x` and `y`.
 * @example
 * const g = grid([0, 0, 100, 100], { cellSize: 100 }); // cell 0 centred on (50, 50)
 * const r = kernelDensity({ x: [50], y: [50] }, g, { bandwidth: 200 });
 * r.density[0]; // => 3 / (Math.PI * 200 ** 2) ≈ 2.387e-5 points per m²
 * r.unscaled[0]; // => 1
 */
export function kernelDensity(points: GridPoints, grid: Grid, options: KernelDensityOptions = {}): KernelDensityResult {
  const { bandwidth = "nrd", bandwidthAdjust = 1, kernel = "quartic", weights, method = "exact" } = options ?? {};
  checkGrid(FN, grid);
  if (points === null || typeof points !== "object" || points.x === undefined || points.y === undefined) {
    failInput("invalid-input", FN, "points", "an incident table or { x, y } arrays", points);
  }
  const xs = points.x, ys = points.y;
  const n = xs.length;
  if (ys.length !== n) failInput("length-mismatch", FN, "x and y", "the same length", [n, ys.length]);
  if (kernel !== "quartic") invalidOption(FN, "kernel", '"quartic"', kernel);
  if (method !== "exact" && method !== "fft") invalidOption(FN, "method", '"exact" or "fft"', method);
  if (method === "fft" && grid.shape !== "square") invalidOption(FN, "method", '"exact" on a hexagon grid ("fft" needs square cells)', method);
  if (typeof bandwidth === "number") {
    if (!(bandwidth > 0 && Number.isFinite(bandwidth))) invalidOption(FN, "bandwidth", 'a positive number of metres, "nrd" or "nrd-x"', bandwidth);
  } else if (bandwidth !== "nrd" && bandwidth !== "nrd-x") invalidOption(FN, "bandwidth", 'a positive number of metres, "nrd" or "nrd-x"', bandwidth);
  if (!(typeof bandwidthAdjust === "number" && bandwidthAdjust > 0 && Number.isFinite(bandwidthAdjust))) {
    invalidOption(FN, "bandwidthAdjust", "a positive number", bandwidthAdjust);
  }
  if (weights !== undefined) {
    if (weights === null || typeof weights !== "object" || typeof weights.length !== "number") invalidOption(FN, "weights", "an array of numbers, one per point", weights);
    if (weights.length !== n) failInput("length-mismatch", FN, "weights", `one per point (${n})`, weights.length);
    for (let i = 0; i < n; ++i) if (!Number.isFinite(weights[i])) invalidOption(FN, `weights[${i}]`, "a finite number", weights[i]);
  }

  // Located points, copied once into typed arrays.
  let m = 0;
  for (let i = 0; i < n; ++i) if (Number.isFinite(xs[i]) && Number.isFinite(ys[i])) ++m;
  const px = new Float64Array(m), py = new Float64Array(m);
  const pw = weights === undefined ? null : new Float64Array(m);
  let total = 0;
  for (let i = 0, j = 0; i < n; ++i) {
    const x = xs[i], y = ys[i];
    if (!(Number.isFinite(x) && Number.isFinite(y))) continue;
    px[j] = x;
    py[j] = y;
    if (pw !== null) {
      pw[j] = weights![i];
      total += pw[j];
    }
    ++j;
  }
  if (pw === null) total = m;

  let h: number;
  if (typeof bandwidth === "number") h = bandwidth;
  else {
    if (m < 2) invalidOption(FN, "bandwidth", "a number of metres when fewer than 2 points have a location (the rule needs a spread)", bandwidth);
    const bx = nrd(px), by = nrd(py);
    h = bandwidth === "nrd" ? (bx + by) / 2 : bx;
    if (!(h > 0)) invalidOption(FN, "bandwidth", "a number of metres when the points have no spread", bandwidth);
  }
  h *= bandwidthAdjust;

  const unscaled = method === "fft" ? fftQuarticSum(grid, px, py, pw, h) : quarticKernelSum(grid, px, py, pw, h);
  const c = 3 / (Math.PI * h * h);
  const density = new Float64Array(grid.length);
  const densityPerKm2 = new Float64Array(grid.length);
  let sum = 0;
  for (let i = 0; i < density.length; ++i) {
    const d = unscaled[i] * c;
    density[i] = d;
    densityPerKm2[i] = d * 1e6;
    sum += d;
  }
  return {
    density,
    densityPerKm2,
    unscaled,
    bandwidth: h,
    bandwidthRule: typeof bandwidth === "number" ? "fixed" : bandwidth,
    kernel: "quartic",
    method,
    points: m,
    total,
    noLocation: n - m,
    integral: sum * grid.area,
  };
}

/**
 * The kernel: `Σ w (1 − d²/h²)²` at each cell centre over points within h. Square grids whose
 * centres form an exact lattice (see {@link binnedQuarticSum}) use the binned-moment method;
 * hexagon grids and the rest scatter each point ({@link scatterQuarticSum}). @internal
 */
export function quarticKernelSum(g: Grid, px: Float64Array, py: Float64Array, pw: Float64Array | null, h: number): Float64Array {
  return binnedQuarticSum(g, px, py, pw, h) ?? scatterQuarticSum(g, px, py, pw, h);
}

/**
 * Smallest `1 − d²/h²` for which a bin's points are summed through their moments: every point
 * of the bin must have u ≥ TAU at the cell, which bounds the cancellation in the polynomial.
 * @internal
 */
export const BINNED_TAU = 0.1;
/** A bin goes through its moments when it holds at least this many distinct points. @internal */
export const BINNED_MIN_POINTS = 3;

/**
 * The exact sum on a square lattice, by points binned per cell (Σ over bins of a polynomial in
 * the cell offset, plus a direct sum near the kernel's edge). Returns `null` when the grid is not
 * suited (hexagons; centres that are not an exact lattice in floating point; h under 2.5 cells or
 * over 60 cells), and the caller scatters instead.
 *
 * Each point goes to the bin of its nearest cell centre b (so `e = p − b` lies in the cell's
 * square). Points with identical (x, y) in a bin are merged (weights added: exact up to one
 * rounding per point). For a cell c at lattice offset Δ = c − b, with g = Δ/h, q = e/h,
 * `A = 1 − |g|²`, the quartic term is
 *
 * `u² = (A + 2g·q − |q|²)² = A² + 4A g·q − 2A|q|² + 4(g·q)² − 4(g·q)|q|² + |q|⁴`,
 *
 * so over the bin's points `Σ w u²` needs only ten moments (Σw, Σw qₓ, Σw q_y, Σw|q|², Σw qₓ²,
 * Σw qₓq_y, Σw q_y², Σw qₓ|q|², Σw q_y|q|², Σw|q|⁴) and the offset. That is valid (every point
 * within h) and exact up to rounding for the offsets where **every** position in the bin's
 * square has u ≥ τ = {@link BINNED_TAU} (the "interior" stencil). With |q| ≤ s/(√2·h) the
 * absolute terms of the expansion then add up to at most ((τ + 4|q| + 2|q|²)/τ)² times the
 * result (≈ 8 at h = 15 cells, ≈ 50 at h = 5, ≈ 190 at h = 2.5), so the relative rounding
 * error stays near 1e-14. The other offsets within reach (the "annulus": from
 * √(1 − τ)·h minus half the cell's diagonal to h plus it, ≈ 20–40% of the disc) are summed point
 * by point with the scatter's arithmetic, `a = 1 − dy²/h²`, `u = a − dx²/h²`, added where u > 0.
 * Bins with fewer than {@link BINNED_MIN_POINTS} distinct points are scattered point by point (the
 * moments would cost more). Cost: bins × interior offsets × ~8 flops + points × annulus offsets,
 * against points × disc offsets for the scatter. Cells no point reaches stay exactly 0 (a bin adds
 * its polynomial only to cells all its points reach).
 * @internal
 */
export function binnedQuarticSum(g: Grid, px: Float64Array, py: Float64Array, pw: Float64Array | null, h: number): Float64Array | null {
  if (g.shape !== "square") return null;
  const { columns: C, rows: R, cellSize: s } = g;
  const ratio = h / s;
  if (!(ratio >= 2.5 && ratio <= 60)) return null;
  // Bins reach offsets |i| < h/s + 1/2; K leaves one more.
  const K = Math.ceil(ratio + 0.5) + 1;
  const PC = C + 4 * K, PR = R + 4 * K;
  // Centre co-ordinates over the padded lattice; the method needs exact differences i·s.
  const X0 = g.x[0], Y0 = g.y[0];
  const colX = new Float64Array(PC), rowY = new Float64Array(PR);
  for (let c = -2 * K; c < C + 2 * K; ++c) {
    const v = X0 + c * s;
    if (v - X0 !== c * s || (c >= 0 && c < C && v !== g.x[c])) return null;
    colX[c + 2 * K] = v;
  }
  for (let r = -2 * K; r < R + 2 * K; ++r) {
    const v = Y0 + r * s;
    if (v - Y0 !== r * s || (r >= 0 && r < R && v !== g.y[r * C])) return null;
    rowY[r + 2 * K] = v;
  }
  const invH2 = 1 / (h * h), invS = 1 / s, invH = 1 / h;

  // Stencils per row offset j ∈ [−K, K]: outer[j] = largest |i| that any point of the bin can
  // reach (−1: none), inner[j] = largest |i| whose whole square has u ≥ τ (−1: none).
  const slack = 1 + 1e-9;
  const half = (s / 2) * slack;
  const outer = new Int32Array(2 * K + 1), inner = new Int32Array(2 * K + 1);
  for (let j = -K; j <= K; ++j) {
    const dyMin = Math.max(0, Math.abs(j) * s - half), dyMax = Math.abs(j) * s + half;
    let o = -1, n = -1;
    for (let i = 0; i <= K; ++i) {
      const dxMin = Math.max(0, i * s - half), dxMax = i * s + half;
      if ((dxMin * dxMin + dyMin * dyMin) * invH2 < slack) o = i;
      if (1 - (dxMax * dxMax + dyMax * dyMax) * invH2 * slack >= BINNED_TAU) n = i;
    }
    if (o >= K) return null; // cannot happen with K above; guards the padding
    outer[j + K] = o;
    inner[j + K] = n;
  }
  // Interior stencil values: gx per column offset, A = 1 − |g|² per (j, i).
  const W = 2 * K + 1;
  const gxs = new Float64Array(W), stA = new Float64Array(W * W);
  for (let i = -K; i <= K; ++i) gxs[i + K] = (i * s) * invH;
  for (let j = -K; j <= K; ++j) {
    const gy = (j * s) * invH;
    for (let i = -K; i <= K; ++i) {
      const gx = gxs[i + K];
      stA[(j + K) * W + i + K] = 1 - (gx * gx + gy * gy);
    }
  }

  // Bin the points by nearest centre; drop those that reach no cell.
  const n = px.length;
  const BC = C + 2 * K, BR = R + 2 * K, nb = BC * BR;
  const binOf = new Int32Array(n);
  const start = new Int32Array(nb + 1);
  for (let p = 0; p < n; ++p) {
    const c = Math.round((px[p] - X0) * invS), r = Math.round((py[p] - Y0) * invS);
    if (c < -K || c >= C + K || r < -K || r >= R + K) {
      binOf[p] = -1;
      continue;
    }
    const b = (r + K) * BC + (c + K);
    binOf[p] = b;
    ++start[b + 1];
  }
  for (let b = 0; b < nb; ++b) start[b + 1] += start[b];
  const m = start[nb];
  const ox = new Float64Array(m), oy = new Float64Array(m), ow = new Float64Array(m);
  {
    const fill = start.slice(0, nb);
    for (let p = 0; p < n; ++p) {
      const b = binOf[p];
      if (b < 0) continue;
      const k = fill[b]++;
      ox[k] = px[p];
      oy[k] = py[p];
      ow[k] = pw === null ? 1 : pw[p];
    }
  }
  let maxBin = 0;
  for (let b = 0; b < nb; ++b) if (start[b + 1] - start[b] > maxBin) maxBin = start[b + 1] - start[b];
  // Open-addressing table for merging identical co-ordinates within a bin (stamped per bin).
  let tableBits = 1;
  while (1 << tableBits < 2 * maxBin) ++tableBits;
  const tableSize = 1 << tableBits, tableMask = tableSize - 1;
  const slot = new Int32Array(tableSize), stamp = new Int32Array(tableSize).fill(-1);
  const f64 = new Float64Array(1), u32 = new Uint32Array(f64.buffer);

  const acc = new Float64Array(PC * PR);
  
  const bx = new Float64Array(maxBin), by = new Float64Array(maxBin), dw = new Float64Array(maxBin);
  for (let b = 0; b < nb; ++b) {
    const b0 = start[b], b1 = start[b + 1];
    if (b1 === b0) continue;
    const bc = (b % BC) - K, br = ((b / BC) | 0) - K; // bin's cell column and row (grid units)
    // Merge identical co-ordinates.
    let d = 0;
    if (b1 - b0 === 1) {
      bx[0] = ox[b0];
      by[0] = oy[b0];
      dw[0] = ow[b0];
      d = 1;
    } else {
      for (let k = b0; k < b1; ++k) {
        const x = ox[k], y = oy[k];
        f64[0] = x;
        let hsh = Math.imul(u32[0] ^ Math.imul(u32[1], 0x27d4eb2d), 0x9e3779b1);
        f64[0] = y;
        hsh = Math.imul(hsh ^ u32[0] ^ Math.imul(u32[1], 0x165667b1), 0x85ebca77);
        let t = (hsh >>> (32 - tableBits)) & tableMask;
        for (;;) {
          if (stamp[t] !== b) {
            stamp[t] = b;
            slot[t] = d;
            bx[d] = x;
            by[d] = y;
            dw[d] = ow[k];
            ++d;
            break;
          }
          const e = slot[t];
          if (bx[e] === x && by[e] === y) {
            dw[e] += ow[k];
            break;
          }
          t = (t + 1) & tableMask;
        }
      }
    }
    // Distinct points of the bin: (bx, by, dw) — x, y, weight.
    const base = (br + 2 * K) * PC + (bc + 2 * K);
    const cxB = colX[bc + 2 * K], cyB = rowY[br + 2 * K];
    if (d >= BINNED_MIN_POINTS) {
      let S0 = 0, Sx = 0, Sy = 0, S2 = 0, Sxx = 0, Sxy = 0, Syy = 0, Sx2 = 0, Sy2 = 0, S4 = 0;
      for (let k = 0; k < d; ++k) {
        const w = dw[k];
        const a = (bx[k] - cxB) * invH, c = (by[k] - cyB) * invH;
        const q2 = a * a + c * c;
        S0 += w;
        Sx += w * a;
        Sy += w * c;
        S2 += w * q2;
        Sxx += w * a * a;
        Sxy += w * a * c;
        Syy += w * c * c;
        Sx2 += w * a * q2;
        Sy2 += w * c * q2;
        S4 += w * q2 * q2;
      }
      const Sx4 = 4 * Sx, Sxx4 = 4 * Sxx;
      for (let j = -K; j <= K; ++j) {
        const L = inner[j + K];
        if (L < 0) continue;
        const gy = (j * s) * invH;
        const R1 = 4 * gy * Sy - 2 * S2;
        const R2 = 8 * gy * Sxy - 4 * Sx2;
        const R0 = 4 * gy * gy * Syy - 4 * gy * Sy2 + S4;
        const row = base + j * PC;
        const st = (j + K) * W + K;
        for (let i = -L; i <= L; ++i) {
          const A = stA[st + i], gx = gxs[K + i];
          acc[row + i] += A * (A * S0 + gx * Sx4 + R1) + gx * (gx * Sxx4 + R2) + R0;
        }
      }
      // The annulus, point by point.
      for (let k = 0; k < d; ++k) {
        const x = bx[k], y = by[k], w = dw[k];
        for (let j = -K; j <= K; ++j) {
          const O = outer[j + K];
          if (O < 0) continue;
          const ddy = rowY[br + 2 * K + j] - y;
          const a = 1 - ddy * ddy * invH2;
          if (!(a > 0)) continue;
          const L = inner[j + K];
          const row = base + j * PC;
          const cb = bc + 2 * K;
          // Left part [−O, −L−1], right part [L+1, O]; the whole row [−O, O] when L < 0.
          const leftEnd = L < 0 ? O + 1 : -L;
          for (let i = -O; i < leftEnd; ++i) {
            const ddx = colX[cb + i] - x;
            const u = a - ddx * ddx * invH2;
            if (u > 0) acc[row + i] += w * u * u;
          }
          for (let i = L < 0 ? O + 1 : L + 1; i <= O; ++i) {
            const ddx = colX[cb + i] - x;
            const u = a - ddx * ddx * invH2;
            if (u > 0) acc[row + i] += w * u * u;
          }
        }
      }
    } else {
      // Few points: scatter each, one run of columns per row (as scatterQuarticSum).
      for (let k = 0; k < d; ++k) {
        const x = bx[k], y = by[k], w = dw[k];
        for (let j = -K; j <= K; ++j) {
          if (outer[j + K] < 0) continue;
          const r = br + 2 * K + j;
          const ddy = rowY[r] - y;
          const a = 1 - ddy * ddy * invH2;
          if (!(a > 0)) continue;
          const hw = h * Math.sqrt(a);
          // Columns in padded units; the padding holds every cell any bin reaches.
          let lo = Math.ceil((x - hw - colX[0]) * invS) - 1;
          let hi = Math.floor((x + hw - colX[0]) * invS) + 1;
          if (lo < 0) lo = 0;
          if (hi > PC - 1) hi = PC - 1;
          const rowBase = r * PC;
          for (; lo <= hi; ++lo) {
            const ddx = colX[lo] - x;
            if (a - ddx * ddx * invH2 > 0) break;
          }
          for (; hi >= lo; --hi) {
            const ddx = colX[hi] - x;
            if (a - ddx * ddx * invH2 > 0) break;
          }
          for (let c = lo; c <= hi; ++c) {
            const ddx = colX[c] - x;
            const u = a - ddx * ddx * invH2;
            acc[rowBase + c] += w * u * u;
          }
        }
      }
    }
  }
  const out = new Float64Array(C * R);
  for (let r = 0; r < R; ++r) {
    const from = (r + 2 * K) * PC + 2 * K;
    out.set(acc.subarray(from, from + C), r * C);
  }
  return out;
}

/**
 * The scatter kernel: `Σ w (1 − d²/h²)²` at each cell centre over points within h, by scattering each
 * point into the lattice cells it reaches. For each row within h of the point,
 * `a = 1 − dy²/h²`; the row's cells with `u = a − dx²/h² > 0` (d < h) form one run of columns
 * (u is unimodal along a row), found from an estimate one column too wide on each side and
 * trimmed with the same test, so the inner loop adds `w·u²` without a branch. Points are
 * visited tile by tile (tiles of h × h, counting sort) so that consecutive points write to
 * overlapping, cache-resident parts of the grid; the order changes only the summation order.
 * @internal
 */
export function scatterQuarticSum(g: Grid, px: Float64Array, py: Float64Array, pw: Float64Array | null, h: number): Float64Array {
  const { columns, rows, cellSize: sx, x: cx, y: cy } = g;
  const sy = rowSpacing(g);
  const acc = new Float64Array(g.length);
  const invH2 = 1 / (h * h);
  const invSx = 1 / sx;
  const invSy = 1 / sy;
  const y0 = cy[0];
  // x of column 0's centre in even and odd rows (equal for squares).
  const xEven = cx[0];
  const xOdd = rows > 1 ? cx[columns] : cx[0];
  const lastCol = columns - 1, lastRow = rows - 1;
  // Visit the points tile by tile, from copies gathered in that order (sequential reads).
  const order = tileOrder(px, py, h);
  const n = order.length;
  const ox = new Float64Array(n), oy = new Float64Array(n);
  const ow = pw === null ? null : new Float64Array(n);
  for (let o = 0; o < n; ++o) {
    const i = order[o];
    ox[o] = px[i];
    oy[o] = py[i];
    if (ow !== null) ow[o] = pw![i];
  }
  for (let o = 0; o < n; ++o) {
    const x = ox[o], y = oy[o];
    const w = ow === null ? 1 : ow[o];
    let rLo = Math.ceil((y - h - y0) * invSy) - 1;
    let rHi = Math.floor((y + h - y0) * invSy) + 1;
    if (rLo < 0) rLo = 0;
    if (rHi > lastRow) rHi = lastRow;
    for (let r = rLo; r <= rHi; ++r) {
      const base = r * columns;
      const dy = cy[base] - y;
      const a = 1 - dy * dy * invH2;
      if (!(a > 0)) continue;
      const half = h * Math.sqrt(a);
      const rowX = (r & 1) === 0 ? xEven : xOdd;
      let lo = Math.ceil((x - half - rowX) * invSx) - 1;
      let hi = Math.floor((x + half - rowX) * invSx) + 1;
      if (lo < 0) lo = 0;
      if (hi > lastCol) hi = lastCol;
      lo += base;
      hi += base;
      for (; lo <= hi; ++lo) {
        const dx = cx[lo] - x;
        if (a - dx * dx * invH2 > 0) break;
      }
      for (; hi >= lo; --hi) {
        const dx = cx[hi] - x;
        if (a - dx * dx * invH2 > 0) break;
      }
      if (w === 1) {
        for (let k = lo; k <= hi; ++k) {
          const dx = cx[k] - x;
          const u = a - dx * dx * invH2;
          acc[k] += u * u;
        }
      } else {
        for (let k = lo; k <= hi; ++k) {
          const dx = cx[k] - x;
          const u = a - dx * dx * invH2;
          acc[k] += w * u * u;
        }
      }
    }
  }
  return acc;
}

/** Point indices ordered by square tiles of side `tile` (row-major), by counting sort. */
function tileOrder(px: Float64Array, py: Float64Array, tile: number): Uint32Array {
  const n = px.length;
  const order = new Uint32Array(n);
  if (n === 0) return order;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < n; ++i) {
    if (px[i] < minX) minX = px[i];
    if (px[i] > maxX) maxX = px[i];
    if (py[i] < minY) minY = py[i];
    if (py[i] > maxY) maxY = py[i];
  }
  // At most ~2^20 tiles: widen the tiles when the points spread over a much larger area.
  const spanTiles = ((maxX - minX) / tile + 1) * ((maxY - minY) / tile + 1);
  if (spanTiles > 1 << 20) tile *= Math.sqrt(spanTiles / (1 << 20));
  const tx = Math.floor((maxX - minX) / tile) + 1;
  const ty = Math.floor((maxY - minY) / tile) + 1;
  const key = new Uint32Array(n);
  const start = new Uint32Array(tx * ty + 1);
  for (let i = 0; i < n; ++i) {
    const kx = Math.min(tx - 1, Math.floor((px[i] - minX) / tile));
    const ky = Math.min(ty - 1, Math.floor((py[i] - minY) / tile));
    const k = ky * tx + kx;
    key[i] = k;
    ++start[k + 1];
  }
  for (let k = 0; k < tx * ty; ++k) start[k + 1] += start[k];
  for (let i = 0; i < n; ++i) order[start[key[i]]++] = i;
  return order;
}

/**
 * MASS `bandwidth.nrd` of one co-ordinate: `4 · 1.06 · min(sd, IQR/1.34) · n^(−1/5)` (sd with
 * divisor n − 1, IQR by R's quantile type 7), the sd alone when the IQR is 0. @internal
 */
export function nrd(v: Float64Array): number {
  const n = v.length;
  const sorted = Float64Array.from(v).sort();
  const q = (p: number) => {
    const index = (n - 1) * p;
    const lo = Math.floor(index);
    const hi = Math.ceil(index);
    const f = index - lo;
    return f > 0 && sorted[hi] !== sorted[lo] ? (1 - f) * sorted[lo] + f * sorted[hi] : sorted[lo];
  };
  const iqr = (q(0.75) - q(0.25)) / 1.34;
  let mean = 0;
  for (let i = 0; i < n; ++i) mean += v[i];
  mean /= n;
  let ss = 0, corr = 0;
  for (let i = 0; i < n; ++i) {
    const d = v[i] - mean;
    ss += d * d;
    corr += d;
  }
  const sd = Math.sqrt((ss - (corr * corr) / n) / (n - 1));
  const spread = iqr > 0 ? Math.min(sd, iqr) : sd;
  return 4 * 1.06 * spread * n ** -0.2;
}
