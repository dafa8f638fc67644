import { InputError, describeValue, failInput, invalidOption, normalCdf } from "@community-safety/core";

/** Options for {@link mannKendall}. */
export interface MannKendallOptions {
  /**
   * Time of each value (any numeric unit, e.g. months since the first month), the same length as
   * `values`, finite and distinct. With times the values need not be in time order:
   * S = Σ sign(t_j − t_i)·sign(x_j − x_i). Default: the index (values in time order; gaps do not
   * change the test, only the order matters).
   */
  times?: ArrayLike<number>;
  /** Significance level for `significant` and `trend`, in (0, 1). Default 0.05. */
  alpha?: number;
  /** Continuity correction z = (S − sign S)/√Var(S). Default `true` (as R's `trend::mk.test` and `cor.test(continuity = TRUE)`). */
  continuity?: boolean;
}

/** Direction of a monotonic trend: the sign of S when the test is significant, else `"no trend"`. */
export type TrendDirection = "increasing" | "decreasing" | "no trend";

/** Result of {@link mannKendall}. */
export interface MannKendallResult {
  /** Number of values used (missing ones skipped). */
  readonly n: number;
  /** Number of missing values (`NaN`, `null`, `undefined`) skipped. */
  readonly skipped: number;
  /** Mann–Kendall score S = Σ_{i<j} sign(x_j − x_i) over pairs in time order. */
  readonly s: number;
  /** Var(S) with the tie correction: [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18, t = sizes of groups of equal values. */
  readonly varS: number;
  /** Var(S) without the tie correction: n(n−1)(2n+5)/18. */
  readonly varSNoTies: number;
  /** Normal score: (S − sign S)/√Var(S) with the continuity correction, S/√Var(S) without; 0 when S = 0. */
  readonly z: number;
  /** Two-sided p-value 2(1 − Φ(|z|)). */
  readonly pValue: number;
  /** Kendall's tau-b between time and value, S/√(n0(n0 − n1)), n0 = n(n−1)/2, n1 = Σ t(t−1)/2; `null` when every value is equal. */
  readonly tau: number | null;
  /** Kendall's tau-a, S/n0. */
  readonly tauA: number;
  /** `"increasing"`/`"decreasing"` when `significant` (by the sign of S), else `"no trend"`. */
  readonly trend: TrendDirection;
  /** `pValue < alpha`. */
  readonly significant: boolean;
  readonly alpha: number;
  readonly continuity: boolean;
}

const FN = "mannKendall";

/**
 * The Mann–Kendall test for a monotonic trend in a series (e.g. monthly counts): S, its
 * tie-corrected variance, the normal score with continuity correction, a two-sided p-value and
 * Kendall's tau.
 *
 * Method: Mann (1945), Kendall (1975), as in Gilbert (1987) §16.4 and R's `trend::mk.test`:
 * S = Σ_{i<j} sign(x_j − x_i); Var(S) = [n(n−1)(2n+5) − Σ_g t_g(t_g−1)(2t_g+5)]/18 over groups of
 * tied values; z = (S − sign S)/√Var(S) (0 when S = 0); p = 2(1 − Φ(|z|)). This equals
 * `cor.test(t, x, method = "kendall", exact = FALSE, continuity = TRUE)` (z, p, and its tau = tau-b).
 * No correction for serial correlation. Pairs are summed in a plain O(n²) double loop, which is
 * fine for monthly series of a few thousand points. Missing values (`NaN`, `null`, `undefined`)
 * are skipped and counted in `skipped`; with the default times the remaining values keep their
 * order.
 *
 * @param values The series in time order (or in any order with `times`).
 * @throws InputError `empty-input` when fewer than 3 values are present (the test is not defined
 *   below 3, as in `trend::mk.test`); `invalid-input` when a value is ±Infinity or not a number;
 *   `length-mismatch` when `times` differs in length from `values`; `invalid-option` for `alpha`
 *   outside (0, 1), a non-boolean `continuity`, or times that are not finite or not distinct.
 * @example
 * mannKendall([1, 2, 3, 4, 5])
 * // => { n: 5, s: 10, varS: 16.67, z: 2.205, pValue: 0.0275, tau: 1, trend: "increasing", … } (to rounding)
 */
export function mannKendall(values: ArrayLike<number>, options: MannKendallOptions = {}): MannKendallResult {
  if (options === null || typeof options !== "object") invalidOption(FN, "options", "an object", options);
  const alpha = checkAlpha(FN, options.alpha);
  const continuity = checkContinuity(FN, options.continuity);
  const { x, t, skipped } = presentValues(FN, values, options.times);
  const n = x.length;
  if (n < 3) throw new InputError("empty-input", `${FN}: values must hold at least 3 non-missing values, got ${n}`);
  const s = options.times === undefined ? kendallScore(x) : kendallScoreTimes(x, t);
  const ties = tieStatistics(x);
  const varSNoTies = (n * (n - 1) * (2 * n + 5)) / 18;
  const varS = (n * (n - 1) * (2 * n + 5) - ties.varTerm) / 18;
  const z = normalScore(s, varS, continuity);
  const pValue = twoSidedP(z);
  const n0 = (n * (n - 1)) / 2;
  const tau = n0 > ties.tiedPairs ? s / Math.sqrt(n0 * (n0 - ties.tiedPairs)) : null;
  const significant = pValue < alpha;
  return {
    n,
    skipped,
    s,
    varS,
    varSNoTies,
    z,
    pValue,
    tau,
    tauA: s / n0,
    trend: trendDirection(s, significant),
    significant,
    alpha,
    continuity,
  };
}

// ---- kernels and helpers shared with seasonal-mann-kendall.ts and sens-slope.ts ----------------

/** S = Σ_{i<j} sign(x_j − x_i) over a series in time order (no missing values). */
export function kendallScore(x: Float64Array): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n - 1; i++) {
    const xi = x[i];
    for (let j = i + 1; j < n; j++) {
      const d = x[j] - xi;
      if (d > 0) s++;
      else if (d < 0) s--;
    }
  }
  return s;
}

/** S = Σ_{i<j} sign(t_j − t_i)·sign(x_j − x_i) (times distinct, any order). */
export function kendallScoreTimes(x: Float64Array, t: Float64Array): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n - 1; i++) {
    const xi = x[i];
    const ti = t[i];
    for (let j = i + 1; j < n; j++) {
      const d = x[j] - xi;
      if (d === 0) continue;
      s += (d > 0) === (t[j] > ti) ? 1 : -1;
    }
  }
  return s;
}

/** Tie terms of a sample: `varTerm` = Σ t(t−1)(2t+5) and `tiedPairs` = Σ t(t−1)/2 over groups of equal values. */
export function tieStatistics(x: Float64Array): { varTerm: number; tiedPairs: number } {
  const sorted = Float64Array.from(x).sort();
  let varTerm = 0;
  let tiedPairs = 0;
  let i = 0;
  while (i < sorted.length) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    const g = j - i;
    if (g > 1) {
      varTerm += g * (g - 1) * (2 * g + 5);
      tiedPairs += (g * (g - 1)) / 2;
    }
    i = j;
  }
  return { varTerm, tiedPairs };
}

/** z = (S − sign S)/√var (continuity) or S/√var; 0 when S = 0. */
export function normalScore(s: number, varS: number, continuity: boolean): number {
  if (s === 0) return 0;
  return (continuity ? s - Math.sign(s) : s) / Math.sqrt(varS);
}

/** Two-sided normal p-value 2(1 − Φ(|z|)). */
export function twoSidedP(z: number): number {
  return 2 * normalCdf(-Math.abs(z));
}

/** The trend label for a score and a significance verdict. */
export function trendDirection(s: number, significant: boolean): TrendDirection {
  if (!significant || s === 0) return "no trend";
  return s > 0 ? "increasing" : "decreasing";
}

/** Validates `alpha` (default 0.05). */
export function checkAlpha(fn: string, alpha: number | undefined): number {
  const a = alpha ?? 0.05;
  if (!(typeof a === "number" && a > 0 && a < 1)) invalidOption(fn, "alpha", "a number in (0, 1)", a);
  return a;
}

/** Validates `continuity` (default true). */
export function checkContinuity(fn: string, continuity: boolean | undefined): boolean {
  const c = continuity ?? true;
  if (typeof c !== "boolean") invalidOption(fn, "continuity", "a boolean", c);
  return c;
}

/**
 * Copies `values` into a Float64Array with `NaN` for each missing value (`NaN`, `null`,
 * `undefined`) and counts them.
 *
 * @throws InputError `invalid-input` for a value that is ±Infinity or not a number, or when `values` is not array-like.
 */
export function valuesWithGaps(fn: string, values: ArrayLike<number>): { x: Float64Array; missing: number } {
  if (values === null || values === undefined || typeof (values as { length?: unknown }).length !== "number") {
    failInput("invalid-input", fn, "values", "an array of numbers", values);
  }
  const n = values.length;
  const x = new Float64Array(n);
  let missing = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] as unknown;
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) {
      x[i] = Number.NaN;
      missing++;
    } else if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new InputError("invalid-input", `${fn}: values[${i}] must be a finite number or NaN (missing), got ${showNumber(v)}`);
    } else x[i] = v;
  }
  return { x, missing };
}

/**
 * The present values and their times (given, or the original index), skipping missing values.
 *
 * @throws InputError as {@link valuesWithGaps}; `length-mismatch` for times of another length;
 *   `invalid-option` for times that are not finite or not distinct.
 */
export function presentValues(fn: string, values: ArrayLike<number>, times: ArrayLike<number> | undefined): { x: Float64Array; t: Float64Array; skipped: number } {
  const { x: all, missing } = valuesWithGaps(fn, values);
  const n = all.length;
  if (times !== undefined) {
    if (times === null || typeof (times as { length?: unknown }).length !== "number") invalidOption(fn, "times", "an array of numbers", times);
    if (times.length !== n) failInput("length-mismatch", fn, "times", `the same length as values (${n})`, times.length);
    for (let i = 0; i < n; i++) {
      const v = times[i];
      if (typeof v !== "number" || !Number.isFinite(v)) throw new InputError("invalid-option", `${fn}: times[${i}] must be a finite number, got ${showNumber(v)}`);
    }
  }
  const m = n - missing;
  const x = new Float64Array(m);
  const t = new Float64Array(m);
  for (let i = 0, k = 0; i < n; i++) {
    if (Number.isNaN(all[i])) continue;
    x[k] = all[i];
    t[k++] = times === undefined ? i : times[i];
  }
  if (times !== undefined) {
    const st = Float64Array.from(t).sort();
    for (let i = 1; i < st.length; i++) {
      if (st[i] === st[i - 1]) invalidOption(fn, "times", "distinct (one value per time)", `${st[i]} twice`);
    }
  }
  return { x, t, skipped: missing };
}

/** A value for an error message: numbers as JavaScript prints them (NaN, Infinity), others via describeValue. */
function showNumber(v: unknown): string {
  return typeof v === "number" ? String(v) : describeValue(v);
}
