import { InputError, chiSquareCdf, describeValue, failInput, invalidOption, logGamma, seededRandom, weightedSampler } from "@community-safety/core";
import type { TimeOfWeekResult } from "./time-of-week.js";

/** Options for {@link uniformityTest}. */
export interface UniformityTestOptions {
  /**
   * Expected proportions per bin, or any positive weights rescaled to sum to 1 (R's
   * `rescale.p = TRUE`), e.g. the minutes each cell covers (`weekHourMinutes`), which differ in
   * weeks with a clock change. Every entry must be positive. Default: equal.
   */
  expected?: ArrayLike<number>;
  /**
   * Also give a Monte Carlo p-value from this many multinomial samples under the null, seeded
   * for reproducibility (`seed` default 1), as R's `chisq.test(x, p, simulate.p.value = TRUE, B)`.
   * Costs O(n × replicates) draws.
   */
  simulate?: { replicates: number; seed?: number };
  /**
   * The exact multinomial p-value: `"auto"` (default) computes it when there are at most
   * `maxOutcomes` possible outcomes, `true` requires it (throws when there are more), `false`
   * skips it.
   */
  exact?: boolean | "auto";
  /** Most outcomes the exact test may enumerate. Default 1,000,000; at most 100,000,000. */
  maxOutcomes?: number;
  /**
   * With a `timeOfWeek` result: which counts to test — `"cell"` (default, 168 day × hour
   * cells), `"weekday"` (7 days) or `"hour"` (24 hours of the day).
   */
  by?: "cell" | "weekday" | "hour";
}

/** The Monte Carlo p-value of {@link uniformityTest}. */
export interface SimulatedPValue {
  /** (1 + #{simulated X² ≥ observed X²}) / (replicates + 1), as R. */
  readonly pValue: number;
  readonly replicates: number;
  readonly seed: number;
}

/** Result of {@link uniformityTest}. */
export interface UniformityTestResult {
  /** Pearson's X² = Σ (observed − expected)² / expected. */
  readonly statistic: number;
  /** Bins − 1. */
  readonly df: number;
  /** Upper χ² tail of `statistic` on `df` (R `chisq.test(x, p = …)$p.value`). */
  readonly pValue: number;
  /** Total count. */
  readonly n: number;
  /** The counts tested. */
  readonly observed: Float64Array;
  /** Expected counts n × p. */
  readonly expected: Float64Array;
  /** Pearson residuals (observed − expected) / √expected, as R's `$residuals`. */
  readonly residuals: Float64Array;
  /** True when an expected count is below 5: R warns "Chi-squared approximation may be incorrect". */
  readonly smallExpected: boolean;
  /** The Monte Carlo p-value, or `null` without `simulate`. */
  readonly simulated: SimulatedPValue | null;
  /** Exact multinomial p-value: the total probability of outcomes no more likely than the one observed; `null` when not computed. */
  readonly exactPValue: number | null;
  /** Why `exactPValue` is `null` (`null` when it was computed). */
  readonly exactReason: string | null;
  /** Outcomes the exact test enumerated (or would have to), C(n + k − 1, k − 1). */
  readonly outcomes: number;
  /** With a `timeOfWeek` result: which incidents were tested and why (whole windows in one bin only). */
  readonly note: string | null;
}

const FN = "uniformityTest";
const MAX_OUTCOMES = 1e8;
/** R's `almost.1` in `chisq.test`: 1 − 64 ε. */
const ALMOST_ONE = 1 - 64 * Number.EPSILON;
/** R's `binom.test` tolerance for "no more likely than observed". */
const REL_ERR = 1 + 1e-7;

/**
 * Pearson's chi-square goodness-of-fit test of counts against equal (or given) proportions — is
 * crime spread evenly over the days of the week or the hours of the day? — with, optionally, a
 * seeded Monte Carlo p-value and the exact multinomial p-value for small samples.
 *
 * **Method.** X² = Σ (x − E)² / E with E = n p, df = k − 1 and the asymptotic p-value from the χ²
 * upper tail, exactly R's `chisq.test(x, p = p, rescale.p = TRUE)`. With `simulate`, the Monte
 * Carlo p-value of `chisq.test(..., simulate.p.value = TRUE, B = replicates)`: B multinomial(n, p)
 * samples (drawn with core's seeded xoshiro128**, so the value is reproducible but not R's
 * stream), p = (1 + #{X²ᵢ ≥ (1 − 64ε) X²}) / (B + 1). The exact test sums the multinomial
 * probabilities of every outcome no more likely than the observed one (within a relative
 * 10⁻⁷, as R's `binom.test`, to which it reduces for two bins); it enumerates all
 * C(n + k − 1, k − 1) outcomes, so it is only feasible for small samples: with `maxOutcomes` =
 * 10⁶ that is n ≤ 26 for 7 weekdays, n ≤ 6 for 24 hours, n ≤ 3 for 168 cells.
 *
 * **Counts only.** The test needs whole incidents: aoristic weights are not counts (an incident
 * split over three hours is not three independent thirds), so fractional input is refused.
 * Given a `timeOfWeek` result, it tests only the incidents whose entire window lies in one bin
 * (`singleCell`, or `singleDay` for weekdays) and says so in `note`. Hours are then the column
 * sums of `singleCell`.
 *
 * @returns The test, or `null` when the counts sum to 0 (R's `chisq.test` stops).
 * @throws InputError `invalid-input` for counts that are not non-negative integers or fewer than
 *   two bins; `length-mismatch` when `expected` differs in length; `invalid-option` for bad
 *   options (and for `exact: true` beyond `maxOutcomes`).
 * @example
 * const t = uniformityTest([20, 15, 18, 22, 25, 40, 35]);
 * [t.statistic, t.df, t.pValue]; // => [20.32, 6, 0.0024285081471685814] (R: chisq.test(c(20, 15, 18, 22, 25, 40, 35)))
 */
export function uniformityTest(input: ArrayLike<number> | TimeOfWeekResult, options: UniformityTestOptions = {}): UniformityTestResult | null {
  let counts: ArrayLike<number>;
  let note: string | null = null;
  const isResult = input !== null && typeof input === "object" && "singleCell" in input && "matrix" in input;
  if (isResult) {
    const r = input as TimeOfWeekResult;
    const by = options.by ?? "cell";
    if (by === "cell") counts = r.singleCell;
    else if (by === "weekday") counts = r.singleDay;
    else if (by === "hour") {
      const h = new Float64Array(24);
      for (let k = 0; k < 168; ++k) h[k % 24] += r.singleCell[k];
      counts = h;
    } else invalidOption(FN, "by", '"cell", "weekday" or "hour"', by);
    let tested = 0;
    for (let k = 0; k < counts.length; ++k) tested += counts[k];
    const of = by === "weekday" ? r.used + r.usedWeekdayOnly : r.used;
    const bin = by === "weekday" ? "one day" : "one hour of one day";
    note = `Tests the ${tested} of ${of} incidents whose whole window lies in ${bin}; aoristic weights of longer windows are not counts and are left out.`;
  } else {
    if (options.by !== undefined) invalidOption(FN, "by", "given only with a timeOfWeek result", options.by);
    counts = input as ArrayLike<number>;
  }
  if (counts === null || typeof counts !== "object" || typeof counts.length !== "number") failInput("invalid-input", FN, "counts", "an array of counts", counts);
  const k = counts.length;
  if (k < 2) failInput("invalid-input", FN, "counts", "at least two bins", Array.from(counts));
  let n = 0;
  for (let i = 0; i < k; ++i) {
    const v = counts[i];
    if (!(Number.isInteger(v) && v >= 0)) {
      failInput("invalid-input", FN, `counts[${i}]`, "a non-negative integer (aoristic weights are not counts; test the incidents wholly in one bin)", v);
    }
    n += v;
  }
  // Options, all validated before any work.
  const p = new Float64Array(k);
  if (options.expected !== undefined) {
    const ex = options.expected;
    if (ex === null || typeof ex !== "object" || typeof ex.length !== "number") invalidOption(FN, "expected", "an array of positive numbers", ex);
    if (ex.length !== k) throw new InputError("length-mismatch", `${FN}: expected must have one entry per bin (${k}), got ${describeValue(ex.length)}`);
    let sum = 0;
    for (let i = 0; i < k; ++i) {
      const v = ex[i];
      if (!(typeof v === "number" && v > 0 && Number.isFinite(v))) invalidOption(FN, `expected[${i}]`, "a positive finite number", v);
      sum += v;
    }
    for (let i = 0; i < k; ++i) p[i] = ex[i] / sum;
  } else p.fill(1 / k);
  const sim = options.simulate;
  let replicates = 0;
  let seed = 1;
  if (sim !== undefined) {
    if (sim === null || typeof sim !== "object") invalidOption(FN, "simulate", "an object { replicates, seed }", sim);
    replicates = sim.replicates;
    if (!(Number.isInteger(replicates) && replicates >= 1 && replicates <= 1e7)) invalidOption(FN, "simulate.replicates", "an integer from 1 to 10,000,000", replicates);
    seed = sim.seed ?? 1;
    if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) invalidOption(FN, "simulate.seed", "an integer from 0 to 4294967295", seed);
  }
  const exact = options.exact ?? "auto";
  if (exact !== true && exact !== false && exact !== "auto") invalidOption(FN, "exact", 'true, false or "auto"', exact);
  const maxOutcomes = options.maxOutcomes ?? 1e6;
  if (!(typeof maxOutcomes === "number" && maxOutcomes >= 1 && maxOutcomes <= MAX_OUTCOMES)) invalidOption(FN, "maxOutcomes", "a number from 1 to 100,000,000", maxOutcomes);
  const outcomes = Math.round(Math.exp(logGamma(n + k) - logGamma(n + 1) - logGamma(k)));
  if (exact === true && outcomes > maxOutcomes) {
    invalidOption(FN, "exact", `false or "auto" when there are more than maxOutcomes (${maxOutcomes}) outcomes`, `true with ${outcomes} outcomes (n = ${n}, ${k} bins)`);
  }
  if (n === 0) return null;

  const observed = Float64Array.from(counts);
  const expected = new Float64Array(k);
  const residuals = new Float64Array(k);
  let statistic = 0;
  let smallExpected = false;
  for (let i = 0; i < k; ++i) {
    const e = n * p[i];
    expected[i] = e;
    residuals[i] = (observed[i] - e) / Math.sqrt(e);
    statistic += residuals[i] * residuals[i];
    if (e < 5) smallExpected = true;
  }
  const df = k - 1;
  const pValue = chiSquareCdf(statistic, df, { lowerTail: false });

  let simulated: SimulatedPValue | null = null;
  if (sim !== undefined) {
    const rng = seededRandom(seed);
    const draw = weightedSampler(p);
    const tally = new Float64Array(k);
    const threshold = ALMOST_ONE * statistic;
    let atLeast = 0;
    for (let b = 0; b < replicates; ++b) {
      tally.fill(0);
      for (let j = 0; j < n; ++j) tally[draw(rng)] += 1;
      let x2 = 0;
      for (let i = 0; i < k; ++i) {
        const d = tally[i] - expected[i];
        x2 += (d * d) / expected[i];
      }
      if (x2 >= threshold) atLeast += 1;
    }
    simulated = { pValue: (1 + atLeast) / (replicates + 1), replicates, seed };
  }

  let exactPValue: number | null = null;
  let exactReason: string | null = null;
  if (exact === false) exactReason = "not requested (exact: false)";
  else if (outcomes > maxOutcomes) exactReason = `${outcomes.toExponential(2)} outcomes (n = ${n}, ${k} bins) exceed maxOutcomes (${maxOutcomes})`;
  else exactPValue = exactMultinomial(observed, p, n);

  return { statistic, df, pValue, n, observed, expected, residuals, smallExpected, simulated, exactPValue, exactReason, outcomes, note };
}

/**
 * Σ P(y) over all outcomes y of multinomial(n, p) with P(y) ≤ P(observed) × (1 + 10⁻⁷),
 * enumerating compositions of n depth-first with log-probabilities built up bin by bin.
 */
function exactMultinomial(observed: Float64Array, p: Float64Array, n: number): number {
  const k = p.length;
  // term[i][y] = y ln p_i − ln y!
  const lnFact = new Float64Array(n + 1);
  for (let y = 2; y <= n; ++y) lnFact[y] = lnFact[y - 1] + Math.log(y);
  const term: Float64Array[] = [];
  for (let i = 0; i < k; ++i) {
    const t = new Float64Array(n + 1);
    const lp = Math.log(p[i]);
    for (let y = 0; y <= n; ++y) t[y] = y * lp - lnFact[y];
    term.push(t);
  }
  const base = lnFact[n];
  let lnObs = base;
  for (let i = 0; i < k; ++i) lnObs += term[i][observed[i]];
  const cutoff = lnObs + Math.log(REL_ERR);
  let sum = 0;
  const last = term[k - 1];
  const visit = (i: number, left: number, acc: number): void => {
    if (i === k - 1 || left === 0) {
      // The rest of the bins are empty (each contributes 0 ln p − ln 0! = 0) or only the last is left.
      const lnP = i === k - 1 ? acc + last[left] : acc;
      if (lnP <= cutoff) sum += Math.exp(lnP);
      return;
    }
    const t = term[i];
    for (let y = 0; y <= left; ++y) visit(i + 1, left - y, acc + t[y]);
  };
  visit(0, n, base);
  return Math.min(1, sum);
}
