import { InputError, invalidOption, type Period } from "@community-safety/core";
import { refuseGaps } from "./series-runs.js";

/**
 * Options for {@link stl}. Names follow R's `stats::stl` arguments (`s.window` → `seasonalWindow`,
 * …); every default is R's.
 */
export interface StlOptions {
  /** Number of observations per cycle (R's `frequency(x)`): an integer ≥ 2, e.g. 12 for months. Required. */
  period: number;
  /**
   * Span in lags of the loess window for the seasonal (cycle-subseries) smoothing: an odd integer
   * ≥ 7 (Cleveland et al.'s rule; R does not enforce it), or `"periodic"`, which — as in R — sets
   * the span to `10 * n + 1`, the degree to 0, and afterwards replaces the seasonal component by
   * its mean at each cycle position. Required (R's `s.window` has no default).
   */
  seasonalWindow: number | "periodic";
  /** Degree of the seasonal loess, 0 or 1. Default 0 (forced to 0 when `seasonalWindow` is `"periodic"`). */
  seasonalDegree?: 0 | 1;
  /**
   * Span of the trend loess, an odd integer ≥ 3. Default R's
   * `nextodd(ceiling(1.5 * period / (1 - 1.5 / seasonalWindow)))` (with the periodic span `10n + 1`).
   */
  trendWindow?: number;
  /** Degree of the trend loess, 0 or 1. Default 1. */
  trendDegree?: 0 | 1;
  /** Span of the low-pass loess, an odd integer ≥ 3. Default `nextodd(period)`. */
  lowpassWindow?: number;
  /** Degree of the low-pass loess, 0 or 1. Default `trendDegree`. */
  lowpassDegree?: 0 | 1;
  /** Seasonal smoother evaluated every `seasonalJump` points, linear interpolation between. Default `ceil(seasonalWindow / 10)`. */
  seasonalJump?: number;
  /** Trend smoother evaluated every `trendJump` points. Default `ceil(trendWindow / 10)`. */
  trendJump?: number;
  /** Low-pass smoother evaluated every `lowpassJump` points. Default `ceil(lowpassWindow / 10)`. */
  lowpassJump?: number;
  /** Use robustness weights (bisquare of the remainder over 6 × median |remainder|). Default `false`. */
  robust?: boolean;
  /** Inner (backfitting) iterations, an integer ≥ 1. Default `robust ? 1 : 2`. */
  inner?: number;
  /** Outer (robustness) iterations, an integer ≥ 0. Default `robust ? 15 : 0`. */
  outer?: number;
  /**
   * The series' calendar: one period per value, in order — `countSeries(…).periods`, or labels
   * such as `"2021-07"`. The result then carries their keys in `periods` and one row per step in
   * `rows`, so a month's components are a look-up: `fit.rows.find((r) => r.period === "2021-07")`.
   * Default: none (`periods` and `rows` are `null`).
   */
  periods?: readonly (Period | string)[];
}

/** One step of {@link StlResult.rows}: the period's key, the value and its components. */
export interface StlRow {
  /** The period's key (`"2021-07"`) or the label given. */
  readonly period: string;
  readonly value: number;
  readonly seasonal: number;
  readonly trend: number;
  readonly remainder: number;
  /** Final robustness weight (1 when `outer` is 0). */
  readonly weight: number;
}

/** Result of {@link stl}: the three components (`seasonal + trend + remainder = values`) and the parameters used. */
export interface StlResult {
  readonly seasonal: Float64Array;
  readonly trend: Float64Array;
  /** `values[i] - seasonal[i] - trend[i]`, computed in that order as R does. */
  readonly remainder: Float64Array;
  /** Final robustness weights (those used in the last pass); all 1 when `outer` is 0. */
  readonly weights: Float64Array;
  /** Loess spans used; `seasonal` is `10n + 1` for a periodic fit (R's `win`). */
  readonly windows: { readonly seasonal: number; readonly trend: number; readonly lowpass: number };
  /** Loess degrees used (R's `deg`). */
  readonly degrees: { readonly seasonal: 0 | 1; readonly trend: 0 | 1; readonly lowpass: 0 | 1 };
  /** Jumps used (R's `jump`). */
  readonly jumps: { readonly seasonal: number; readonly trend: number; readonly lowpass: number };
  readonly inner: number;
  readonly outer: number;
  /** Whether `seasonalWindow` was `"periodic"` (the seasonal then repeats exactly every `period`). */
  readonly periodic: boolean;
  /** The keys of the `periods` option, one per value; `null` without it. */
  readonly periods: readonly string[] | null;
  /** With the `periods` option, one row per step in time order (a calendar look-up); `null` without it. */
  readonly rows: readonly StlRow[] | null;
}

const FN = "stl";

/**
 * Seasonal-trend decomposition by loess (STL) of a regularly spaced series: returns the seasonal,
 * trend and remainder components and the robustness weights.
 *
 * Method: Cleveland, Cleveland, McRae & Terpenning (1990), "STL: A Seasonal-Trend Decomposition
 * Procedure Based on Loess", Journal of Official Statistics 6(1), 3–73. A line-by-line port of the
 * netlib Fortran as used by R's `stats::stl` (routines stl, stlstp, stlss, stless, stlest, stlfts,
 * stlma, stlrwt), including R's wrapper: its defaults, its `"periodic"` handling (span `10n + 1`,
 * degree 0, then the seasonal replaced by its mean per cycle position) and
 * `remainder = x − seasonal − trend`. On the 14 test cases (real monthly and daily counts, periodic,
 * fixed windows, degree 1, robust, every option set) the output is bit-identical to R 4.2.2's `stl()`
 * on x86-64; that includes R's robustness median, which comes from Fortran's partial sort and for
 * an even n is not always the exact median (see `stlrwt` below). Unlike R, the seasonal window
 * must be odd and ≥ 7 and the other windows odd and ≥ 3 (R silently rounds even spans up).
 * Work arrays are allocated once per call; time is O(n × window) per pass (about 13 ms for
 * 3,650 daily values, robust, on the 2-core dev machine).
 *
 * With `periods` (the series' calendar, e.g. `countSeries(…).periods`) the result also has one
 * row per step keyed by its period, so the trend of July 2021 is
 * `fit.rows.find((r) => r.period === "2021-07").trend`.
 *
 * @param values The series, in time order, without gaps; every value finite.
 * @throws InputError `invalid-option` when `period` is not an integer ≥ 2, the series has
 *   `n ≤ 2 * period` values (R: "series is not periodic or has less than two periods"), a value
 *   is infinite, a window, degree, jump or iteration count is out of range; `series-gap` for a
 *   missing value (`NaN`: a step the data do not cover) — split the series with `seriesRuns`;
 *   `length-mismatch` when `periods` does not hold one period per value; `invalid-option` for a
 *   `periods` entry that is not a period or a key, or a key listed twice.
 * @example
 * const x = Array.from({ length: 36 }, (_, i) => 100 + i + 10 * Math.sin((2 * Math.PI * i) / 12));
 * const fit = stl(x, { period: 12, seasonalWindow: "periodic" });
 * fit.windows // => { seasonal: 361, trend: 19, lowpass: 13 }
 * fit.seasonal[3] // => 9.19537… (R 4.2.2: stl(ts(x, frequency = 12), "periodic") gives 9.195377)
 */
export function stl(values: ArrayLike<number>, options: StlOptions): StlResult {
  if (options === null || typeof options !== "object") invalidOption(FN, "options", "an object with period and seasonalWindow", options);
  const n = values.length;
  const period = options.period;
  if (!(Number.isInteger(period) && period >= 2)) invalidOption(FN, "period", "an integer ≥ 2", period);
  if (!(n > 2 * period)) {
    throw new InputError("invalid-option", `${FN}: values must have more than 2 * period = ${2 * period} values (at least two full periods), got ${n}`);
  }
  const keys = options.periods === undefined ? null : periodKeys(options.periods, n);
  refuseGaps(FN, values, "STL");
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new InputError("invalid-option", `${FN}: values[${i}] must be a finite number, got ${String(v)}`);
    }
    y[i] = v;
  }

  const sw = options.seasonalWindow;
  const periodic = sw === "periodic";
  let sWindow: number;
  if (periodic) sWindow = 10 * n + 1;
  else {
    if (!(typeof sw === "number" && Number.isInteger(sw) && sw >= 7 && sw % 2 === 1)) invalidOption(FN, "seasonalWindow", 'an odd integer ≥ 7 or "periodic"', sw);
    sWindow = sw;
  }
  const sDegree = periodic ? 0 : degree(options.seasonalDegree ?? 0, "seasonalDegree");
  const tDegree = degree(options.trendDegree ?? 1, "trendDegree");
  const lDegree = degree(options.lowpassDegree ?? tDegree, "lowpassDegree");
  const tWindow = window(options.trendWindow ?? nextOdd(Math.ceil((1.5 * period) / (1 - 1.5 / sWindow))), "trendWindow");
  const lWindow = window(options.lowpassWindow ?? nextOdd(period), "lowpassWindow");
  const sJump = jump(options.seasonalJump ?? Math.ceil(sWindow / 10), "seasonalJump");
  const tJump = jump(options.trendJump ?? Math.ceil(tWindow / 10), "trendJump");
  const lJump = jump(options.lowpassJump ?? Math.ceil(lWindow / 10), "lowpassJump");
  const robust = options.robust ?? false;
  if (typeof robust !== "boolean") invalidOption(FN, "robust", "a boolean", robust);
  const inner = options.inner ?? (robust ? 1 : 2);
  if (!(Number.isInteger(inner) && inner >= 1)) invalidOption(FN, "inner", "an integer ≥ 1", inner);
  const outer = options.outer ?? (robust ? 15 : 0);
  if (!(Number.isInteger(outer) && outer >= 0)) invalidOption(FN, "outer", "an integer ≥ 0", outer);

  const seasonal = new Float64Array(n);
  const trend = new Float64Array(n);
  const weights = new Float64Array(n);
  stlKernel(y, period, sWindow, tWindow, lWindow, sDegree, tDegree, lDegree, sJump, tJump, lJump, inner, outer, weights, seasonal, trend);

  if (periodic) {
    // R: z$seasonal <- tapply(z$seasonal, cycle(x), mean)[cycle(x)]; mean() as R computes it
    // (sum / m, then the mean of the deviations added back).
    for (let p = 0; p < period; p++) {
      let s = 0;
      let m = 0;
      for (let i = p; i < n; i += period) {
        s += seasonal[i];
        m++;
      }
      s /= m;
      let t = 0;
      for (let i = p; i < n; i += period) t += seasonal[i] - s;
      s += t / m;
      for (let i = p; i < n; i += period) seasonal[i] = s;
    }
  }
  const remainder = new Float64Array(n);
  for (let i = 0; i < n; i++) remainder[i] = y[i] - seasonal[i] - trend[i];
  const rows = keys === null ? null : keys.map((period, i): StlRow => ({ period, value: y[i], seasonal: seasonal[i], trend: trend[i], remainder: remainder[i], weight: weights[i] }));

  return {
    seasonal,
    trend,
    remainder,
    weights,
    windows: { seasonal: sWindow, trend: tWindow, lowpass: lWindow },
    degrees: { seasonal: sDegree, trend: tDegree, lowpass: lDegree },
    jumps: { seasonal: sJump, trend: tJump, lowpass: lJump },
    inner,
    outer,
    periodic,
    periods: keys,
    rows,
  };
}

/** The keys of the `periods` option: one distinct non-empty key per value. */
function periodKeys(periods: readonly (Period | string)[], n: number): string[] {
  if (!Array.isArray(periods)) invalidOption(FN, "periods", "a list of periods or period keys, one per value", periods);
  if (periods.length !== n) throw new InputError("length-mismatch", `${FN}: periods must have one period per value (${n}), got ${periods.length}`);
  const keys = periods.map((p) => (typeof p === "string" ? p : p !== null && typeof p === "object" ? p.key : undefined));
  const seen = new Set<string>();
  keys.forEach((k, i) => {
    if (typeof k !== "string" || k === "") invalidOption(FN, `periods[${i}]`, 'a period or a non-empty key such as "2021-07"', periods[i]);
    if (seen.has(k)) invalidOption(FN, "periods", "distinct periods (a key listed once)", k);
    seen.add(k);
  });
  return keys as string[];
}

/** R's `nextodd`: round, then add 1 when even. */
function nextOdd(x: number): number {
  let r = Math.round(x);
  if (r % 2 === 0) r += 1;
  return r;
}

function degree(d: unknown, name: string): 0 | 1 {
  if (d !== 0 && d !== 1) invalidOption(FN, name, "0 or 1", d);
  return d;
}

function window(w: unknown, name: string): number {
  if (!(typeof w === "number" && Number.isInteger(w) && w >= 3 && w % 2 === 1)) invalidOption(FN, name, "an odd integer ≥ 3", w);
  return w;
}

function jump(j: unknown, name: string): number {
  if (!(typeof j === "number" && Number.isInteger(j) && j >= 1)) invalidOption(FN, name, "an integer ≥ 1", j);
  return j;
}

// ---------------------------------------------------------------------------------------------
// The kernel: the Fortran routines, with 1-based positions kept in the loess arithmetic
// (positions enter the weights as doubles) and arrays addressed through explicit offsets.
// ---------------------------------------------------------------------------------------------

/** Work storage shared by the routines of one call. */
interface Work {
  /** The five columns of Fortran's `work(n + 2*np, 5)`. */
  readonly w1: Float64Array;
  readonly w2: Float64Array;
  readonly w3: Float64Array;
  readonly w4: Float64Array;
  readonly w5: Float64Array;
  /** Cycle-subseries scratch for stlss (values, smoothed with both end points, weights, loess weights). */
  readonly sub: Float64Array;
  readonly subFit: Float64Array;
  readonly subRw: Float64Array;
  readonly subW: Float64Array;
  /** Scratch for the absolute residuals that stlrwt partially sorts. */
  readonly sorted: Float64Array;
  /** psort's wanted positions (1-based, `ind[1..2]`) and its four segment stacks (Fortran size 16, 1-based). */
  readonly ind: Int32Array;
  readonly il: Int32Array;
  readonly iu: Int32Array;
  readonly indl: Int32Array;
  readonly indu: Int32Array;
}

/** Fortran `stl`: fills `rw`, `season`, `trend` (length n) for `y`. */
function stlKernel(
  y: Float64Array,
  np: number,
  ns: number,
  nt: number,
  nl: number,
  isdeg: number,
  itdeg: number,
  ildeg: number,
  nsjump: number,
  ntjump: number,
  nljump: number,
  ni: number,
  no: number,
  rw: Float64Array,
  season: Float64Array,
  trend: Float64Array,
): void {
  const n = y.length;
  const m = n + 2 * np;
  const subLen = Math.floor((n - 1) / np) + 3;
  const work: Work = {
    w1: new Float64Array(m),
    w2: new Float64Array(m),
    w3: new Float64Array(m),
    w4: new Float64Array(m),
    w5: new Float64Array(m),
    sub: new Float64Array(subLen),
    subFit: new Float64Array(subLen),
    subRw: new Float64Array(subLen),
    subW: new Float64Array(subLen),
    sorted: new Float64Array(n),
    ind: new Int32Array(3),
    il: new Int32Array(17),
    iu: new Int32Array(17),
    indl: new Int32Array(17),
    indu: new Int32Array(17),
  };
  trend.fill(0);
  // The spans at least three and odd, the period at least 2 (already guaranteed by validation).
  const newns = Math.max(3, ns) % 2 === 0 ? Math.max(3, ns) + 1 : Math.max(3, ns);
  const newnt = Math.max(3, nt) % 2 === 0 ? Math.max(3, nt) + 1 : Math.max(3, nt);
  const newnl = Math.max(3, nl) % 2 === 0 ? Math.max(3, nl) + 1 : Math.max(3, nl);
  const newnp = Math.max(2, np);
  let userw = false;
  for (let k = 0; ; ) {
    stlstp(y, n, newnp, newns, newnt, newnl, isdeg, itdeg, ildeg, nsjump, ntjump, nljump, ni, userw, rw, season, trend, work);
    k++;
    if (k > no) break;
    const fit = work.w1;
    for (let i = 0; i < n; i++) fit[i] = trend[i] + season[i];
    stlrwt(y, n, fit, rw, work);
    userw = true;
  }
  if (no <= 0) rw.fill(1);
}

/** Fortran `stlstp`: `ni` inner iterations of the seasonal, low-pass and trend smoothing. */
function stlstp(
  y: Float64Array,
  n: number,
  np: number,
  ns: number,
  nt: number,
  nl: number,
  isdeg: number,
  itdeg: number,
  ildeg: number,
  nsjump: number,
  ntjump: number,
  nljump: number,
  ni: number,
  userw: boolean,
  rw: Float64Array,
  season: Float64Array,
  trend: Float64Array,
  work: Work,
): void {
  const { w1, w2, w3, w4, w5 } = work;
  for (let j = 0; j < ni; j++) {
    for (let i = 0; i < n; i++) w1[i] = y[i] - trend[i];
    // Cycle-subseries smoothing into w2 (length n + 2np: one extra cycle at each end).
    stlss(w1, n, np, ns, isdeg, nsjump, userw, rw, w2, work);
    // Low-pass filter of the cycle-subseries: moving averages into w3, then loess into w1.
    stlfts(w2, n + 2 * np, np, w3, w1);
    stless(w3, 0, n, nl, ildeg, nljump, false, w4, 0, w1, 0, w5);
    for (let i = 0; i < n; i++) season[i] = w2[np + i] - w1[i];
    for (let i = 0; i < n; i++) w1[i] = y[i] - season[i];
    stless(w1, 0, n, nt, itdeg, ntjump, userw, rw, 0, trend, 0, w3);
  }
}

/** Fortran `stlss`: loess of each cycle-subseries, extended by one point at each end, into `season` (length n + 2np). */
function stlss(
  y: Float64Array,
  n: number,
  np: number,
  ns: number,
  isdeg: number,
  nsjump: number,
  userw: boolean,
  rw: Float64Array,
  season: Float64Array,
  work: Work,
): void {
  const { sub, subFit, subRw, subW } = work;
  for (let j = 1; j <= np; j++) {
    const k = Math.floor((n - j) / np) + 1;
    for (let i = 0; i < k; i++) sub[i] = y[i * np + j - 1];
    if (userw) for (let i = 0; i < k; i++) subRw[i] = rw[i * np + j - 1];
    // Smoothed values at positions 1..k go to subFit[1..k].
    stless(sub, 0, k, ns, isdeg, nsjump, userw, subRw, 0, subFit, 1, subW);
    const nright = Math.min(ns, k);
    let v = stlest(sub, 0, k, ns, isdeg, 0, 1, nright, subW, userw, subRw, 0);
    subFit[0] = Number.isNaN(v) ? subFit[1] : v;
    const nleft = Math.max(1, k - ns + 1);
    v = stlest(sub, 0, k, ns, isdeg, k + 1, nleft, k, subW, userw, subRw, 0);
    subFit[k + 1] = Number.isNaN(v) ? subFit[k] : v;
    for (let m = 0; m < k + 2; m++) season[m * np + j - 1] = subFit[m];
  }
}

/**
 * Fortran `stless`: loess smoothing of `y[yOff .. yOff+n)` into `ys[ysOff .. ysOff+n)`, evaluated
 * every `njump` points with linear interpolation between. `res` is scratch for the loess weights.
 */
function stless(
  y: Float64Array,
  yOff: number,
  n: number,
  len: number,
  ideg: number,
  njump: number,
  userw: boolean,
  rw: Float64Array,
  rwOff: number,
  ys: Float64Array,
  ysOff: number,
  res: Float64Array,
): void {
  if (n < 2) {
    ys[ysOff] = y[yOff];
    return;
  }
  const newnj = Math.min(njump, n - 1);
  let nleft = 0;
  let nright = 0;
  let v: number;
  if (len >= n) {
    nleft = 1;
    nright = n;
    for (let i = 1; i <= n; i += newnj) {
      v = stlest(y, yOff, n, len, ideg, i, nleft, nright, res, userw, rw, rwOff);
      ys[ysOff + i - 1] = Number.isNaN(v) ? y[yOff + i - 1] : v;
    }
  } else if (newnj === 1) {
    const nsh = (len + 1) >> 1;
    nleft = 1;
    nright = len;
    for (let i = 1; i <= n; i++) {
      if (i > nsh && nright !== n) {
        nleft++;
        nright++;
      }
      v = stlest(y, yOff, n, len, ideg, i, nleft, nright, res, userw, rw, rwOff);
      ys[ysOff + i - 1] = Number.isNaN(v) ? y[yOff + i - 1] : v;
    }
  } else {
    const nsh = (len + 1) >> 1;
    for (let i = 1; i <= n; i += newnj) {
      if (i < nsh) {
        nleft = 1;
        nright = len;
      } else if (i >= n - nsh + 1) {
        nleft = n - len + 1;
        nright = n;
      } else {
        nleft = i - nsh + 1;
        nright = len + i - nsh;
      }
      v = stlest(y, yOff, n, len, ideg, i, nleft, nright, res, userw, rw, rwOff);
      ys[ysOff + i - 1] = Number.isNaN(v) ? y[yOff + i - 1] : v;
    }
  }
  if (newnj !== 1) {
    for (let i = 1; i <= n - newnj; i += newnj) {
      const base = ys[ysOff + i - 1];
      const delta = (ys[ysOff + i + newnj - 1] - base) / newnj;
      for (let j = i + 1; j <= i + newnj - 1; j++) ys[ysOff + j - 1] = base + delta * (j - i);
    }
    const k = Math.floor((n - 1) / newnj) * newnj + 1;
    if (k !== n) {
      v = stlest(y, yOff, n, len, ideg, n, nleft, nright, res, userw, rw, rwOff);
      ys[ysOff + n - 1] = Number.isNaN(v) ? y[yOff + n - 1] : v;
      if (k !== n - 1) {
        const base = ys[ysOff + k - 1];
        const delta = (ys[ysOff + n - 1] - base) / (n - k);
        for (let j = k + 1; j <= n - 1; j++) ys[ysOff + j - 1] = base + delta * (j - k);
      }
    }
  }
}

/**
 * Fortran `stlest`: the local (degree 0 or 1) tricube-weighted fit at position `xs` (1-based)
 * from the points `nleft..nright`; returns NaN where Fortran sets `ok = .false.` (all weights 0).
 * `w` (indexed by position − 1) receives the weights.
 */
function stlest(
  y: Float64Array,
  yOff: number,
  n: number,
  len: number,
  ideg: number,
  xs: number,
  nleft: number,
  nright: number,
  w: Float64Array,
  userw: boolean,
  rw: Float64Array,
  rwOff: number,
): number {
  const range = n - 1;
  let h = Math.max(xs - nleft, nright - xs);
  if (len > n) h += Math.floor((len - n) / 2);
  const h9 = 0.999 * h;
  const h1 = 0.001 * h;
  let a = 0;
  for (let j = nleft; j <= nright; j++) {
    const r = Math.abs(j - xs);
    if (r <= h9) {
      let wj: number;
      if (r <= h1) wj = 1;
      else {
        const q = r / h;
        const u = 1 - q * q * q;
        wj = u * u * u;
      }
      if (userw) wj = rw[rwOff + j - 1] * wj;
      w[j - 1] = wj;
      a = a + wj;
    } else {
      w[j - 1] = 0;
    }
  }
  if (a <= 0) return Number.NaN;
  for (let j = nleft; j <= nright; j++) w[j - 1] = w[j - 1] / a;
  if (h > 0 && ideg > 0) {
    a = 0;
    for (let j = nleft; j <= nright; j++) a = a + w[j - 1] * j;
    let b = xs - a;
    let c = 0;
    for (let j = nleft; j <= nright; j++) {
      const d = j - a;
      c = c + w[j - 1] * (d * d);
    }
    if (Math.sqrt(c) > 0.001 * range) {
      b = b / c;
      for (let j = nleft; j <= nright; j++) w[j - 1] = w[j - 1] * (b * (j - a) + 1);
    }
  }
  let ys = 0;
  for (let j = nleft; j <= nright; j++) ys = ys + w[j - 1] * y[yOff + j - 1];
  return ys;
}

/** Fortran `stlfts`: moving averages of lengths np, np and 3 (the low-pass filter); `x` has length n. */
function stlfts(x: Float64Array, n: number, np: number, trend: Float64Array, work: Float64Array): void {
  stlma(x, n, np, trend);
  stlma(trend, n - np + 1, np, work);
  stlma(work, n - 2 * np + 2, 3, trend);
}

/** Fortran `stlma`: running mean of length `len` of `x[0..n)` into `ave[0 .. n-len+1)`. */
function stlma(x: Float64Array, n: number, len: number, ave: Float64Array): void {
  const newn = n - len + 1;
  const flen = len;
  let v = 0;
  for (let i = 0; i < len; i++) v = v + x[i];
  ave[0] = v / flen;
  if (newn > 1) {
    let k = len;
    let m = 0;
    for (let j = 1; j < newn; j++) {
      v = v - x[m] + x[k];
      k++;
      m++;
      ave[j] = v / flen;
    }
  }
}

/**
 * Fortran `stlrwt`: robustness weights B(|y − fit| / (6 · m)) with Tukey's bisquare
 * B(u) = (1 − u²)², cut at 0.999 and floored to 1 below 0.001 as in the Fortran, where m is
 * the mean of the values that Fortran's partial sort `psort` leaves at positions n/2+1 and
 * n−(n/2+1)+1. For an even n that is *not* always the median: psort is asked for the two
 * positions in decreasing order, and then one of them can hold a value other than its order
 * statistic (seen on the Chicago monthly series: an exact median changed R's weights from the
 * tenth robustness iteration on). R's results depend on this, so psort is ported as it is
 * rather than replaced by an exact selection.
 */
function stlrwt(y: Float64Array, n: number, fit: Float64Array, rw: Float64Array, work: Work): void {
  const a = work.sorted;
  for (let i = 0; i < n; i++) a[i] = Math.abs(y[i] - fit[i]);
  const mid1 = Math.floor(n / 2) + 1;
  const mid2 = n - mid1 + 1;
  work.ind[1] = mid1;
  work.ind[2] = mid2;
  psort(a, n, work.ind, 2, work);
  const cmad = 3 * (a[mid1 - 1] + a[mid2 - 1]);
  const c9 = 0.999 * cmad;
  const c1 = 0.001 * cmad;
  for (let i = 0; i < n; i++) {
    const r = Math.abs(y[i] - fit[i]);
    if (r <= c1) rw[i] = 1;
    else if (r <= c9) {
      const q = r / cmad;
      const u = 1 - q * q;
      rw[i] = u * u;
    } else rw[i] = 0;
  }
}

/**
 * Fortran `psort` (Singleton's quickersort variant from netlib stl): partially sorts `arr[0..n)`
 * so that the positions `ind[1..ni]` (1-based, as in Fortran) hold their order statistics —
 * when `ind` is increasing. The goto structure is kept as a small state machine; `A(i)` is
 * `arr[i - 1]`.
 */
function psort(arr: Float64Array, n: number, ind: Int32Array, ni: number, work: Work): void {
  if (n < 2 || ni <= 0) return;
  const { il, iu, indl, indu } = work;
  let jl = 1;
  let ju = ni;
  indl[1] = 1;
  indu[1] = ni;
  let i = 1;
  let j = n;
  let m = 1;
  let k = 0;
  let l = 0;
  let p = 0;
  let ij = 0;
  let t = 0;
  let tt = 0;
  let state = 161;
  for (;;) {
    switch (state) {
      case 161: // outer loop
        state = i < j ? 10 : 166;
        break;
      case 166: // pop a segment
        m--;
        if (m === 0) return;
        i = il[m];
        j = iu[m];
        jl = indl[m];
        ju = indu[m];
        state = jl <= ju ? 173 : 166;
        break;
      case 173: // while (j - i > 10)
        state = j - i > 10 ? 10 : 174;
        break;
      case 10: {
        // median of three as the pivot
        k = i;
        ij = (i + j) >> 1;
        t = arr[ij - 1];
        if (arr[i - 1] > t) {
          arr[ij - 1] = arr[i - 1];
          arr[i - 1] = t;
          t = arr[ij - 1];
        }
        l = j;
        if (arr[j - 1] < t) {
          arr[ij - 1] = arr[j - 1];
          arr[j - 1] = t;
          t = arr[ij - 1];
          if (arr[i - 1] > t) {
            arr[ij - 1] = arr[i - 1];
            arr[i - 1] = t;
            t = arr[ij - 1];
          }
        }
        // 181: partition
        for (;;) {
          l--;
          if (arr[l - 1] <= t) {
            tt = arr[l - 1];
            do k++;
            while (!(arr[k - 1] >= t));
            if (k > l) break;
            arr[l - 1] = arr[k - 1];
            arr[k - 1] = tt;
          }
        }
        // 183: push the larger segment, keep the smaller one, narrow the wanted positions
        indl[m] = jl;
        indu[m] = ju;
        p = m;
        m++;
        let pop = false;
        if (l - i <= j - k) {
          il[p] = k;
          iu[p] = j;
          j = l;
          for (;;) {
            if (jl > ju) {
              pop = true;
              break;
            }
            if (ind[ju] > j) ju--;
            else break;
          }
          if (!pop) indl[p] = ju + 1;
        } else {
          il[p] = i;
          iu[p] = l;
          i = k;
          for (;;) {
            if (jl > ju) {
              pop = true;
              break;
            }
            if (ind[jl] < i) jl++;
            else break;
          }
          if (!pop) indu[p] = jl - 1;
        }
        state = pop ? 166 : 173;
        break;
      }
      case 174: // short segment: straight insertion, unless it starts at 1 (no sentinel)
        if (i !== 1) {
          i--;
          for (;;) {
            i++;
            if (i === j) break;
            t = arr[i];
            if (arr[i - 1] > t) {
              k = i;
              do {
                arr[k] = arr[k - 1];
                k--;
              } while (!(t >= arr[k - 1]));
              arr[k] = t;
            }
          }
          state = 166;
        } else state = 161;
        break;
      default:
        return;
    }
  }
}
