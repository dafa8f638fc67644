import { failInput, invalidOption } from "@community-safety/core";
import { checkGrid, rowSpacing, type Grid, type GridPoints } from "./grid.js";

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
 * Method: exact, no binning or FFT. Each point scatters into the cells whose centres lie within
 * h — the grid is a regular lattice, so those cells are found by arithmetic (row range, then a
 * column range per row) with no spatial index, and the cost is the number of point–cell pairs
 * within h (≈ points × π h²/cell area), never points × cells.
 *
 * Points without a location are skipped (counted in `noLocation`). No located points give an
 * all-zero surface (a rule bandwidth then cannot be chosen: give a number).
 *
 * @param points An incident table, or `{ x, y }` arrays in the grid's metres.
 * @throws InputError `invalid-option` when `grid` is not a grid from {@link grid}; when
 *   `bandwidth` is not a positive number, `"nrd"` or `"nrd-x"`; when the rule cannot give a
 *   bandwidth (fewer than two located points, or no spread); when `bandwidthAdjust` is not a
 *   positive number, `kernel` is not `"quartic"`, or a weight is not finite.
 * @throws InputError `length-mismatch` when `x`, `y` (and `weights`) differ in length.
 * @throws InputError `invalid-input` when `points` has no `x` and `y`.
 * @example
 * const g = grid([0, 0, 100, 100], { cellSize: 100 }); // cell 0 centred on (50, 50)
 * const r = kernelDensity({ x: [50], y: [50] }, g, { bandwidth: 200 });
 * r.density[0]; // => 3 / (Math.PI * 200 ** 2) ≈ 2.387e-5 points per m²
 * r.unscaled[0]; // => 1
 */
export function kernelDensity(points: GridPoints, grid: Grid, options: KernelDensityOptions = {}): KernelDensityResult {
  const { bandwidth = "nrd", bandwidthAdjust = 1, kernel = "quartic", weights } = options ?? {};
  checkGrid(FN, grid);
  if (points === null || typeof points !== "object" || points.x === undefined || points.y === undefined) {
    failInput("invalid-input", FN, "points", "an incident table or { x, y } arrays", points);
  }
  const xs = points.x, ys = points.y;
  const n = xs.length;
  if (ys.length !== n) failInput("length-mismatch", FN, "x and y", "the same length", [n, ys.length]);
  if (kernel !== "quartic") invalidOption(FN, "kernel", '"quartic"', kernel);
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

  const unscaled = quarticKernelSum(grid, px, py, pw, h);
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
    points: m,
    total,
    noLocation: n - m,
    integral: sum * grid.area,
  };
}

/**
 * The kernel: `Σ w (1 − d²/h²)²` at each cell centre over points within h, by scattering each
 * point into the lattice cells it reaches. For each row within h of the point,
 * `a = 1 − dy²/h²`; the row's cells with `u = a − dx²/h² > 0` (d < h) form one run of columns
 * (u is unimodal along a row), found from an estimate one column too wide on each side and
 * trimmed with the same test, so the inner loop adds `w·u²` without a branch. Points are
 * visited tile by tile (tiles of h × h, counting sort) so that consecutive points write to
 * overlapping, cache-resident parts of the grid; the order changes only the summation order.
 * @internal
 */
export function quarticKernelSum(g: Grid, px: Float64Array, py: Float64Array, pw: Float64Array | null, h: number): Float64Array {
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
