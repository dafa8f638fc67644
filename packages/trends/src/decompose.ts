import { InputError, invalidOption } from "@community-safety/core";
import { refuseGaps } from "./series-runs.js";

/** Options for {@link decompose}. */
export interface DecomposeOptions {
  /** Number of observations per cycle (R's `frequency(x)`): an integer ≥ 2, e.g. 12 for months. Required. */
  period: number;
  /** `"additive"` (x = trend + seasonal + random) or `"multiplicative"` (x = trend × seasonal × random). Default `"additive"`, as in R. */
  type?: "additive" | "multiplicative";
  /**
   * Cycle position (1-based, like the second element of R's `ts(start = c(year, position))`) of
   * the first value, e.g. 12 for a monthly series starting in December. Only used to fill
   * `figureByCycle`. Default 1.
   */
  start?: number;
}

/** Result of {@link decompose}. Undefined values are `NaN` (R's `NA`). */
export interface DecomposeResult {
  readonly type: "additive" | "multiplicative";
  readonly period: number;
  /**
   * Centred moving average: weights `c(0.5, 1, …, 1, 0.5) / period` for an even period, `1 / period`
   * for an odd one. `NaN` for the first and last `floor(period / 2)` values (see `ends`) and
   * wherever the window holds a missing value.
   */
  readonly trend: Float64Array;
  /** The seasonal figure repeated along the series: `seasonal[i] = figure[i % period]`. */
  readonly seasonal: Float64Array;
  /** `x − seasonal − trend` (additive) or `x / seasonal / trend` (multiplicative); `NaN` where the trend is. */
  readonly random: Float64Array;
  /**
   * The seasonal figure by position within the cycle *counted from the first value* (R's `figure`):
   * `figure[0]` belongs to the first value's cycle position. Additive figures sum to 0,
   * multiplicative ones average 1.
   */
  readonly figure: Float64Array;
  /** The same figure by cycle position: `figureByCycle[p - 1]` is cycle position `p` (calendar month `p` for monthly data with `start` set). */
  readonly figureByCycle: Float64Array;
  /** Cycle position of the first value (the `start` option). */
  readonly start: number;
  /** Number of `NaN` trend values at each end: `floor(period / 2)`. */
  readonly ends: number;
}

const FN = "decompose";

/**
 * Classical decomposition of a series into trend, seasonal figure and irregular component by
 * moving averages, exactly as R's `stats::decompose` (R 4.2.2) with its default filter.
 *
 * Method: trend = centred moving average of length `period` (a 2×`period` average, weights
 * `c(0.5, 1, …, 1, 0.5) / period`, when `period` is even); detrended = `x − trend` (additive) or
 * `x / trend` (multiplicative); figure = mean of the detrended values at each position
 * `i % period` ignoring undefined ones, then centred by subtracting its mean (additive) or
 * dividing by its mean (multiplicative). See Kendall & Stuart (1983), The Advanced Theory of
 * Statistics vol. 3, and R's `?decompose`. Undefined values are `NaN` in the typed arrays (not
 * `null`, which a Float64Array cannot hold): the first and last `ends` values of `trend` and
 * `random` (R's `NA`). A multiplicative decomposition divides by the trend, so a zero trend gives
 * non-finite ratios; 0/0 ratios are skipped like R's `NaN` under `na.rm`. At least `2 * period`
 * values are needed (R's rule). Missing values are refused, as R refuses internal `NA`s
 * ("time series contains internal NAs"): fill or impute them first.
 *
 * @param values The series, in time order, without gaps; every value finite.
 * @throws InputError `invalid-option` when `period` is not an integer ≥ 2, there are fewer than
 *   `2 * period` values, a value is infinite, `type` is unknown, `start` is not an integer in
 *   1..period, or (multiplicative, zero trend) a cycle position has no defined ratio;
 *   `series-gap` for a missing value (`NaN`) — split the series with `seriesRuns`.
 * @example
 * // a line of slope 1 plus the cycle 2, 5, -1
 * const d = decompose([2, 6, 1, 5, 9, 4, 8, 12, 7], { period: 3 });
 * Array.from(d.figure) // => [0, 3, -3] (to rounding)
 * d.trend[1] // => 3 (NaN at both ends: d.ends = 1)
 */
export function decompose(values: ArrayLike<number>, options: DecomposeOptions): DecomposeResult {
  if (options === null || typeof options !== "object") invalidOption(FN, "options", "an object with period", options);
  const f = options.period;
  if (!(Number.isInteger(f) && f >= 2)) invalidOption(FN, "period", "an integer ≥ 2", f);
  const type = options.type ?? "additive";
  if (type !== "additive" && type !== "multiplicative") invalidOption(FN, "type", '"additive" or "multiplicative"', type);
  const start = options.start ?? 1;
  if (!(Number.isInteger(start) && start >= 1 && start <= f)) invalidOption(FN, "start", `an integer from 1 to period (${f})`, start);
  const n = values.length;
  const x = new Float64Array(n);
  if (n < 2 * f) {
    throw new InputError("invalid-option", `${FN}: values must have at least 2 * period = ${2 * f} values (two full periods), got ${n}`);
  }
  refuseGaps(FN, values, "classical decomposition");
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new InputError("invalid-option", `${FN}: values[${i}] must be a finite number, got ${String(v)}`);
    }
    x[i] = v;
  }

  // The filter as R builds it: c(0.5, rep_len(1, f - 1), 0.5) / f, or rep_len(1, f) / f.
  const even = f % 2 === 0;
  const nf = even ? f + 1 : f;
  const filter = new Float64Array(nf);
  for (let j = 0; j < nf; j++) filter[j] = (even && (j === 0 || j === nf - 1) ? 0.5 : 1) / f;
  // R's filter(x, filter, sides = 2): out[i] = sum_j filter[j] * x[i + shift - j], shift = nf %/% 2,
  // summed in order of j; NA when the window leaves the series.
  const shift = nf >> 1;
  const trend = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (i + shift - (nf - 1) < 0 || i + shift >= n) {
      trend[i] = Number.NaN;
      continue;
    }
    let z = 0;
    for (let j = 0; j < nf; j++) z += filter[j] * x[i + shift - j];
    trend[i] = z;
  }

  const additive = type === "additive";
  const figure = new Float64Array(f);
  for (let p = 0; p < f; p++) {
    // mean(season[index + p], na.rm = TRUE) (NA at the ends; NaN from 0/0), with R's second pass.
    let s = 0;
    let m = 0;
    for (let i = p; i < n; i += f) {
      const d = additive ? x[i] - trend[i] : x[i] / trend[i];
      if (!Number.isNaN(d)) {
        s += d;
        m++;
      }
    }
    if (m === 0) {
      throw new InputError("invalid-option", `${FN}: values must give a defined detrended value at every cycle position (a multiplicative fit needs a non-zero trend), got none at position ${p + 1} from the first value`);
    }
    s /= m;
    if (Number.isFinite(s)) {
      let t = 0;
      for (let i = p; i < n; i += f) {
        const d = additive ? x[i] - trend[i] : x[i] / trend[i];
        if (!Number.isNaN(d)) t += d - s;
      }
      s += t / m;
    }
    figure[p] = s;
  }
  const centre = meanOf(figure);
  for (let p = 0; p < f; p++) figure[p] = additive ? figure[p] - centre : figure[p] / centre;

  const seasonal = new Float64Array(n);
  const random = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = figure[i % f];
    seasonal[i] = s;
    random[i] = additive ? x[i] - s - trend[i] : x[i] / s / trend[i];
  }
  const figureByCycle = new Float64Array(f);
  for (let p = 0; p < f; p++) figureByCycle[(start - 1 + p) % f] = figure[p];

  return { type, period: f, trend, seasonal, random, figure, figureByCycle, start, ends: shift };
}

/** R's mean(): sum / m, then the mean deviation added back. */
function meanOf(a: Float64Array): number {
  const m = a.length;
  let s = 0;
  for (let i = 0; i < m; i++) s += a[i];
  s /= m;
  if (!Number.isFinite(s)) return s;
  let t = 0;
  for (let i = 0; i < m; i++) t += a[i] - s;
  return s + t / m;
}
