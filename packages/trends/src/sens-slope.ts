import { InputError, invalidOption, normalQuantile } from "@community-safety/core";
import { presentValues, tieStatistics, valuesWithGaps } from "./mann-kendall.js";
import { checkSeasonOptions, hasPair, seasonGrid } from "./seasonal-mann-kendall.js";

/** Options for {@link sensSlope}. */
export interface SensSlopeOptions {
  /**
   * Time of each value (e.g. months since the first month), the same length as `values`, finite and
   * distinct; the slope is per unit of time. Default: the index 0, 1, 2, … (slope per step).
   */
  times?: ArrayLike<number>;
  /** Confidence level of the interval, in (0, 1). Default 0.95. */
  confLevel?: number;
}

/** Result of {@link sensSlope}. */
export interface SensSlopeResult {
  /** Sen's slope: the median of the pairwise slopes (x_j − x_i)/(t_j − t_i), per unit of time. */
  readonly slope: number;
  /** Conover's intercept median(x − slope·t): the fitted line is intercept + slope·t (t = 0 at time 0, the first value by default). */
  readonly intercept: number;
  /** Lower confidence limit (Gilbert 1987); `null` when its rank falls outside 1..nPairs (see `reason`). */
  readonly lower: number | null;
  /** Upper confidence limit (Gilbert 1987); `null` when its rank falls outside 1..nPairs. */
  readonly upper: number | null;
  readonly confLevel: number;
  /** 1-based ranks of the limits among the sorted slopes: [round((N − C)/2), round((N + C)/2 + 1)]. */
  readonly ranks: readonly [number, number];
  /** Values used (missing ones skipped). */
  readonly n: number;
  /** Missing values skipped. */
  readonly skipped: number;
  /** Number of pairwise slopes N = n(n − 1)/2. */
  readonly nPairs: number;
  /** Why `lower`/`upper` are `null`, else `null`. */
  readonly reason: string | null;
}

const FN = "sensSlope";

/**
 * Sen's slope (Theil–Sen estimator) of a series: the median rate of change over all pairs of
 * values, with Conover's intercept and a nonparametric confidence interval — a robust companion
 * to {@link mannKendall} ("burglary rose by about 0.6 a month").
 *
 * Method: Sen (1968), JASA 63, 1379–1389. Slopes d = (x_j − x_i)/(t_j − t_i) over all i < j;
 * slope = median(d) (mean of the middle two for even N); intercept = median(x − slope·t)
 * (Conover 1980). Interval as Gilbert (1987) §16.5 and R's `trend::sens.slope`:
 * C = z_{1−(1−conf)/2} · √Var(S) with the tie-corrected Mann–Kendall variance of the values,
 * lower = d_(round((N − C)/2)), upper = d_(round((N + C)/2 + 1)) among the sorted slopes, where
 * round is R's round half to even (see {@link roundHalfEven}). Note SciPy's `theilslopes` uses
 * other ranks and intercept. Missing values are skipped, keeping their times (the original index
 * by default), so gaps are honoured. O(n² log n).
 *
 * @param values The series (in time order unless `times` is given).
 * @throws InputError `empty-input` when fewer than 2 values are present; `invalid-input` for a
 *   value that is ±Infinity or not a number; `length-mismatch` for `times` of another length;
 *   `invalid-option` for `confLevel` outside (0, 1) or times that are not finite or not distinct.
 * @example
 * sensSlope([1, 2, 3, 4, 5])
 * // => { slope: 1, intercept: 1, lower: 1, upper: 1, nPairs: 10, … }
 */
export function sensSlope(values: ArrayLike<number>, options: SensSlopeOptions = {}): SensSlopeResult {
  if (options === null || typeof options !== "object") invalidOption(FN, "options", "an object", options);
  const confLevel = options.confLevel ?? 0.95;
  if (!(typeof confLevel === "number" && confLevel > 0 && confLevel < 1)) invalidOption(FN, "confLevel", "a number in (0, 1)", confLevel);
  const { x, t, skipped } = presentValues(FN, values, options.times);
  const n = x.length;
  if (n < 2) throw new InputError("empty-input", `${FN}: values must hold at least 2 non-missing values, got ${n}`);

  const N = (n * (n - 1)) / 2;
  const d = new Float64Array(N);
  for (let i = 0, k = 0; i < n - 1; i++) {
    for (let j = i + 1; j < n; j++) d[k++] = (x[j] - x[i]) / (t[j] - t[i]);
  }
  d.sort();
  const slope = sortedMedian(d);
  const resid = new Float64Array(n);
  for (let i = 0; i < n; i++) resid[i] = x[i] - slope * t[i];
  const intercept = sortedMedian(resid.sort());

  const varS = (n * (n - 1) * (2 * n + 5) - tieStatistics(x).varTerm) / 18;
  const C = normalQuantile(1 - (1 - confLevel) / 2) * Math.sqrt(varS);
  const lo = roundHalfEven((N - C) / 2);
  const up = roundHalfEven((N + C) / 2 + 1);
  const lower = lo >= 1 && lo <= N ? d[lo - 1] : null;
  const upper = up >= 1 && up <= N ? d[up - 1] : null;
  const reason = lower === null || upper === null ? `too few values for a ${confLevel} interval: ranks ${lo}, ${up} outside 1..${N}` : null;
  return { slope, intercept, lower, upper, confLevel, ranks: [lo, up], n, skipped, nPairs: N, reason };
}

/** Options for {@link seasonalSensSlope}. */
export interface SeasonalSensSlopeOptions {
  /** Values per cycle: an integer ≥ 2, e.g. 12 for monthly data. Required. */
  period: number;
  /** Cycle position (1-based) of the first value, e.g. 12 for monthly data starting in December. Default 1. */
  start?: number;
}

/** One season of {@link SeasonalSensSlopeResult}. */
export interface SeasonalSensSlopeSeason {
  /** Cycle position 1..period. */
  readonly season: number;
  readonly n: number;
  readonly nPairs: number;
  /** Median of this season's slopes, per cycle; `null` below 2 values. */
  readonly slope: number | null;
}

/** Result of {@link seasonalSensSlope}. */
export interface SeasonalSensSlopeResult {
  /** Median of all within-season slopes, per cycle (per year for monthly data). */
  readonly slope: number;
  /** `slope / period`: per step (per month for monthly data), comparable with {@link sensSlope}. */
  readonly slopePerStep: number;
  readonly period: number;
  readonly start: number;
  /** Values used (missing ones skipped). */
  readonly n: number;
  readonly skipped: number;
  /** Within-season pairs pooled for the median. */
  readonly nPairs: number;
  readonly seasons: SeasonalSensSlopeSeason[];
}

const SFN = "seasonalSensSlope";

/**
 * The seasonal Sen slope: the median, over all seasons, of the slopes between values of the same
 * season in different cycles, so the seasonal pattern does not bias the rate of change.
 *
 * Method: Hirsch, Slack & Smith (1982), as R's `trend::sea.sens.slope`: for each season g and years
 * i < j with both values present, d = (x_jg − x_ig)/(j − i); slope = median of all d pooled (not a
 * median of per-season medians), in units per cycle. Value i is season (i + start − 1) mod period
 * in year ⌊(i + start − 1)/period⌋; missing values are skipped, so partial years and gaps are fine
 * (R's function needs whole years). No confidence interval.
 *
 * @param values The series in time order, one value per step (gaps as `NaN`).
 * @throws InputError `invalid-option` for `period`/`start`; `invalid-input` for ±Infinity or
 *   non-numbers; `empty-input` when no season has 2 values.
 * @example
 * seasonalSensSlope([1, 5, 2, 6, 2, 6, 3, 7, 3, 7, 4, 8], { period: 4 })
 * // => { slope: 1, slopePerStep: 0.25, nPairs: 12, … }
 */
export function seasonalSensSlope(values: ArrayLike<number>, options: SeasonalSensSlopeOptions): SeasonalSensSlopeResult {
  const { period, start } = checkSeasonOptions(SFN, options);
  const { x, missing } = valuesWithGaps(SFN, values);
  const { years, cells, counts } = seasonGrid(x, period, start);
  if (!hasPair(counts)) {
    throw new InputError("empty-input", `${SFN}: values must hold at least 2 non-missing values in some season (period ${period}), got at most 1`);
  }
  let total = 0;
  for (let g = 0; g < period; g++) total += (counts[g] * (counts[g] - 1)) / 2;
  const all = new Float64Array(total);
  const seasons: SeasonalSensSlopeSeason[] = [];
  let k = 0;
  for (let g = 0; g < period; g++) {
    const from = k;
    for (let i = 0; i < years - 1; i++) {
      const xi = cells[i * period + g];
      if (Number.isNaN(xi)) continue;
      for (let j = i + 1; j < years; j++) {
        const xj = cells[j * period + g];
        if (!Number.isNaN(xj)) all[k++] = (xj - xi) / (j - i);
      }
    }
    const own = all.slice(from, k).sort();
    seasons.push({ season: g + 1, n: counts[g], nPairs: k - from, slope: own.length > 0 ? sortedMedian(own) : null });
  }
  const slope = sortedMedian(all.sort());
  return { slope, slopePerStep: slope / period, period, start, n: x.length - missing, skipped: missing, nPairs: total, seasons };
}

/**
 * R's `round(v)` for digits = 0: to the nearest integer, halves to even (IEC 60559), so
 * 0.5 → 0, 1.5 → 2, 2.5 → 2, −1.5 → −2. Used for the ranks of Sen's confidence limits.
 */
export function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** Median of a sorted, non-empty array (mean of the middle two for an even length, as R). */
function sortedMedian(a: Float64Array): number {
  const m = a.length >> 1;
  return a.length % 2 === 1 ? a[m] : (a[m - 1] + a[m]) / 2;
}
