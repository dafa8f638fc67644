import { InputError, invalidOption } from "@community-safety/core";
import {
  checkAlpha,
  checkContinuity,
  kendallScore,
  normalScore,
  tieStatistics,
  trendDirection,
  twoSidedP,
  valuesWithGaps,
  type TrendDirection,
} from "./mann-kendall.js";

/** Options for {@link seasonalMannKendall}. */
export interface SeasonalMannKendallOptions {
  /** Values per cycle: an integer ≥ 2, e.g. 12 for monthly data. Required. */
  period: number;
  /**
   * Cycle position (1-based, like the second element of R's `ts(start = c(year, position))`) of the
   * first value, e.g. 12 for a monthly series starting in December. Seasons in the result are
   * numbered by this position (calendar months for monthly data). Default 1.
   */
  start?: number;
  /** Significance level for `significant` and `trend`, in (0, 1). Default 0.05. */
  alpha?: number;
  /** Continuity correction z = (S − sign S)/√Var(S), overall and per season. Default `true`. */
  continuity?: boolean;
  /**
   * Add the Hirsch & Slack (1984) covariances between seasons to Var(S), for seasons that are
   * correlated across years (a bad year for every month). Default `false`: seasons are treated as
   * independent (Hirsch, Slack & Smith 1982).
   */
  covariance?: boolean;
}

/** One season of {@link SeasonalMannKendallResult}. */
export interface SeasonalMannKendallSeason {
  /** Cycle position, 1..period (calendar month when `start` is set for monthly data). */
  readonly season: number;
  /** Values present in this season. */
  readonly n: number;
  /** Mann–Kendall S of this season's values, in year order. */
  readonly s: number;
  /** Tie-corrected Var(S) of this season (0 below 2 values). */
  readonly varS: number;
  /** Tau-b of this season; `null` below 2 values or when all its values are equal. */
  readonly tau: number | null;
  /** Normal score of this season (continuity-corrected by default); `null` below 2 values. */
  readonly z: number | null;
  /** Two-sided p-value of this season; `null` below 2 values. */
  readonly pValue: number | null;
  /** Why `z`/`pValue`/`tau` are `null`, else `null`. */
  readonly reason: string | null;
}

/** Result of {@link seasonalMannKendall}. */
export interface SeasonalMannKendallResult {
  readonly period: number;
  readonly start: number;
  /** Values used (missing ones skipped). */
  readonly n: number;
  /** Missing values skipped. */
  readonly skipped: number;
  /** Number of (possibly partial) cycles the series spans. */
  readonly years: number;
  /** S = Σ over seasons of S_g. */
  readonly s: number;
  /** The variance used for z: `varSIndependent`, plus the between-season covariances when `covariance` is set. */
  readonly varS: number;
  /** Σ over seasons of each season's tie-corrected Var(S_g). */
  readonly varSIndependent: number;
  /** Overall normal score; `null` only if the covariance-corrected variance is not positive (see `reason`). */
  readonly z: number | null;
  /** Two-sided p-value 2(1 − Φ(|z|)); `null` with `z`. */
  readonly pValue: number | null;
  readonly trend: TrendDirection;
  /** `pValue < alpha`. */
  readonly significant: boolean;
  readonly alpha: number;
  readonly continuity: boolean;
  readonly covariance: boolean;
  /** Per-season results, season 1..period. */
  readonly seasons: SeasonalMannKendallSeason[];
  /** Why `z`/`pValue` are `null`, else `null`. */
  readonly reason: string | null;
}

const FN = "seasonalMannKendall";

/**
 * The seasonal Mann–Kendall test (Hirsch–Slack test) for a monotonic trend in a seasonal series:
 * each season (e.g. each calendar month) is compared only with itself in other years, so a
 * seasonal pattern does not masquerade as a trend.
 *
 * Method: Hirsch, Slack & Smith (1982), Water Resources Research 18, 107–121, as R's
 * `trend::smk.test`: S = Σ_g S_g, Var(S) = Σ_g Var(S_g) with each season's own tie-corrected
 * variance, **no covariance between seasons by default**; z = (S − sign S)/√Var(S) (0 when S = 0),
 * two-sided normal p. With `covariance: true`, Var(S) = Σ_g Σ_h σ_gh with the Hirsch & Slack (1984,
 * Water Resources Research 20, 727–732) rank covariances
 * σ_gh = [K_gh + 4 Σ_j R_jg R_jh − Y(n_g + 1)(n_h + 1)]/3, K_gh = Σ_{i<j} sign((x_jg − x_ig)(x_jh − x_ih)),
 * R_jg = (n_g + 1 + Σ_i sign(x_jg − x_ig))/2 (missing cells contribute sign 0 and R = (n_g + 1)/2;
 * Y = years). σ_gg equals the tie-corrected Var(S_g). For complete years this is R's
 * `trend::csmk.test`, except that csmk.test applies its continuity correction only for ≤ 10 years
 * while here `continuity` decides. Values are assigned to season (i + start − 1) mod period and
 * year ⌊(i + start − 1)/period⌋; missing values (`NaN`, `null`, `undefined`) are skipped, so
 * partial first and last years are fine.
 *
 * @param values The series in time order, one value per period step (gaps as `NaN`).
 * @throws InputError `invalid-option` for `period` not an integer ≥ 2, `start` not an integer in
 *   1..period, `alpha` outside (0, 1), non-boolean `continuity`/`covariance`; `invalid-input` for a
 *   value that is ±Infinity or not a number; `empty-input` when no season has 2 values (e.g. fewer
 *   than period + 1 values), so no within-season pair exists.
 * @example
 * // quarterly, 3 years, every quarter rising
 * const r = seasonalMannKendall([1, 5, 2, 6, 2, 6, 3, 7, 3, 7, 4, 8], { period: 4 });
 * r.s // => 12 (each quarter S = 3)
 * r.seasons[0] // => { season: 1, n: 3, s: 3, varS: 3.67, … }
 */
export function seasonalMannKendall(values: ArrayLike<number>, options: SeasonalMannKendallOptions): SeasonalMannKendallResult {
  const { period, start } = checkSeasonOptions(FN, options);
  const alpha = checkAlpha(FN, options.alpha);
  const continuity = checkContinuity(FN, options.continuity);
  const covariance = options.covariance ?? false;
  if (typeof covariance !== "boolean") invalidOption(FN, "covariance", "a boolean", covariance);
  const { x, missing } = valuesWithGaps(FN, values);
  const grid = seasonGrid(x, period, start);
  const { years, cells, counts } = grid;
  if (!hasPair(counts)) {
    throw new InputError("empty-input", `${FN}: values must hold at least 2 non-missing values in some season (period ${period}), got at most 1`);
  }

  const seasons: SeasonalMannKendallSeason[] = [];
  let s = 0;
  let varSIndependent = 0;
  const buf = new Float64Array(years);
  for (let g = 0; g < period; g++) {
    let m = 0;
    for (let y = 0; y < years; y++) {
      const v = cells[y * period + g];
      if (!Number.isNaN(v)) buf[m++] = v;
    }
    const season = g + 1;
    if (m < 2) {
      seasons.push({ season, n: m, s: 0, varS: 0, tau: null, z: null, pValue: null, reason: m === 0 ? "no values" : "fewer than 2 values" });
      continue;
    }
    const xs = buf.subarray(0, m);
    const sg = kendallScore(xs);
    const ties = tieStatistics(xs);
    const vg = (m * (m - 1) * (2 * m + 5) - ties.varTerm) / 18;
    const n0 = (m * (m - 1)) / 2;
    const tau = n0 > ties.tiedPairs ? sg / Math.sqrt(n0 * (n0 - ties.tiedPairs)) : null;
    const z = normalScore(sg, vg, continuity);
    seasons.push({ season, n: m, s: sg, varS: vg, tau, z, pValue: twoSidedP(z), reason: tau === null ? "all values equal (tau undefined)" : null });
    s += sg;
    varSIndependent += vg;
  }

  const varS = covariance ? hirschSlackVariance(grid, period) : varSIndependent;
  let z: number | null = null;
  let pValue: number | null = null;
  let reason: string | null = null;
  if (s === 0) {
    z = 0;
    pValue = 1;
  } else if (varS > 0) {
    z = normalScore(s, varS, continuity);
    pValue = twoSidedP(z);
  } else {
    reason = `the covariance-corrected Var(S) is not positive (${varS})`;
  }
  const significant = pValue !== null && pValue < alpha;
  return {
    period,
    start,
    n: x.length - missing,
    skipped: missing,
    years,
    s,
    varS,
    varSIndependent,
    z,
    pValue,
    trend: trendDirection(s, significant),
    significant,
    alpha,
    continuity,
    covariance,
    seasons,
    reason,
  };
}

/** Season layout of a series: `cells[year * period + season]` (NaN = missing) and values per season. */
export interface SeasonGrid {
  readonly years: number;
  readonly cells: Float64Array;
  readonly counts: Int32Array;
}

/** Validates `period` (integer ≥ 2) and `start` (integer 1..period, default 1). */
export function checkSeasonOptions(fn: string, options: { period: number; start?: number }): { period: number; start: number } {
  if (options === null || typeof options !== "object") invalidOption(fn, "options", "an object with period", options);
  const period = options.period;
  if (!(Number.isInteger(period) && period >= 2)) invalidOption(fn, "period", "an integer ≥ 2", period);
  const start = options.start ?? 1;
  if (!(Number.isInteger(start) && start >= 1 && start <= period)) invalidOption(fn, "start", `an integer from 1 to period (${period})`, start);
  return { period, start };
}

/** Lays out `x` (NaN = missing) by year and season: value i is season (i + start − 1) mod period. */
export function seasonGrid(x: Float64Array, period: number, start: number): SeasonGrid {
  const offset = start - 1;
  const years = x.length === 0 ? 0 : Math.floor((x.length - 1 + offset) / period) + 1;
  const cells = new Float64Array(years * period).fill(Number.NaN);
  const counts = new Int32Array(period);
  for (let i = 0; i < x.length; i++) {
    const c = i + offset;
    cells[c] = x[i];
    if (!Number.isNaN(x[i])) counts[c % period]++;
  }
  return { years, cells, counts };
}

/** Whether some season holds at least 2 values. */
export function hasPair(counts: Int32Array): boolean {
  for (let g = 0; g < counts.length; g++) if (counts[g] >= 2) return true;
  return false;
}

/** Σ_g Σ_h σ_gh of Hirsch & Slack (1984), missing cells allowed. */
function hirschSlackVariance(grid: SeasonGrid, period: number): number {
  const { years: Y, cells, counts } = grid;
  // R[y * period + g] = (n_g + 1 + Σ_i sign(x_yg − x_ig)) / 2, or (n_g + 1)/2 when x_yg is missing.
  const R = new Float64Array(Y * period);
  for (let g = 0; g < period; g++) {
    for (let j = 0; j < Y; j++) {
      const xj = cells[j * period + g];
      let s = 0;
      if (!Number.isNaN(xj)) {
        for (let i = 0; i < Y; i++) {
          const d = xj - cells[i * period + g]; // NaN when missing: neither branch
          if (d > 0) s++;
          else if (d < 0) s--;
        }
      }
      R[j * period + g] = (counts[g] + 1 + s) / 2;
    }
  }
  let total = 0;
  for (let g = 0; g < period; g++) {
    for (let h = g; h < period; h++) {
      let K = 0;
      for (let i = 0; i < Y - 1; i++) {
        const xig = cells[i * period + g];
        const xih = cells[i * period + h];
        for (let j = i + 1; j < Y; j++) {
          const p = (cells[j * period + g] - xig) * (cells[j * period + h] - xih); // NaN if any missing
          if (p > 0) K++;
          else if (p < 0) K--;
        }
      }
      let rr = 0;
      for (let j = 0; j < Y; j++) rr += R[j * period + g] * R[j * period + h];
      const sigma = (K + 4 * rr - Y * (counts[g] + 1) * (counts[h] + 1)) / 3;
      total += g === h ? sigma : 2 * sigma;
    }
  }
  return total;
}
