import { binomialPValue, clopperPearson } from "./binomial-test.js";
import { type Alternative, checkAlternative, checkConfLevel, checkCount, checkExposures, checkPositive } from "./check.js";

/** Options for {@link poissonRateTest}. */
export interface PoissonRateTestOptions {
  /**
   * Exposures [t1, t2] behind the two counts (months, years, population × time), each
   * positive. Default [1, 1] (equal exposures).
   */
  exposures?: readonly [number, number];
  /** Rate ratio (rate1 ÷ rate2) under the null hypothesis, positive. Default 1. */
  ratio?: number;
  /** Alternative about the true rate ratio versus `ratio`. Default `"two.sided"`. */
  alternative?: Alternative;
  /** Confidence level of the rate-ratio interval, strictly between 0 and 1. Default 0.95. */
  confLevel?: number;
}

/** Result of {@link poissonRateTest}. */
export interface PoissonRateTestResult {
  count1: number;
  count2: number;
  exposure1: number;
  exposure2: number;
  /** count1 ÷ exposure1. */
  rate1: number;
  /** count2 ÷ exposure2. */
  rate2: number;
  /** rate1 ÷ rate2; `null` when count2 is 0 (the ratio is infinite or undefined). */
  rateRatio: number | null;
  /** Expected count1 under the null given the total (R's `parameter`); `null` when both counts are 0. */
  expectedCount1: number | null;
  /** Exact conditional p-value; `null` when both counts are 0. */
  pValue: number | null;
  /** Lower limit of the exact rate-ratio interval (0 for `"less"`); `null` when both counts are 0. */
  lower: number | null;
  /** Upper limit (`Infinity` when count2 is 0 or for `"greater"`); `null` when both counts are 0. */
  upper: number | null;
  ratio: number;
  confLevel: number;
  alternative: Alternative;
  method: "exact conditional test of Poisson rates (R poisson.test, two samples)";
  /** Why a field is `null`, else `null`. */
  reason: string | null;
}

/**
 * The exact conditional test comparing two Poisson rates with exposures — the same p-value,
 * rate-ratio estimate and interval as R's `poisson.test(c(count1, count2), c(t1, t2), r)`.
 *
 * Method (Przyborowski & Wilenski 1940; R's implementation): given the total n = count1 +
 * count2, count1 is binomial(n, π) with π = r·t1 ÷ (r·t1 + t2) under H0: rate1/rate2 = r, so
 * the p-value is R's `binom.test(count1, n, π)` (two-sided: the sum of the probabilities of
 * outcomes no more likely than the observed, with R's 1 + 10⁻⁷ tolerance). The rate-ratio
 * interval is the Clopper–Pearson interval (pL, pU) for π mapped by π/(1 − π) × t2/t1. The
 * test is conservative: at 5% it rejects a true null at most 5% of the time.
 *
 * Both counts 0: the p-value and interval are `null` with a `reason` (R stops with an error).
 * count2 = 0 < count1: `rateRatio` is `null` (infinite) and `upper` is `Infinity`.
 *
 * @throws InputError `invalid-option` when a count is not a non-negative integer, an
 *   exposure or `ratio` is not positive and finite, `confLevel` ∉ (0, 1) or `alternative`
 *   is unknown.
 * @example
 * const r = poissonRateTest(25, 16);
 * r.rateRatio; // => 1.5625
 * r.pValue; // => 0.2110 (to 4 dp; R: poisson.test(c(25, 16))$p.value)
 * poissonRateTest(30, 10, { exposures: [12, 6] }).rateRatio; // => 1.5
 */
export function poissonRateTest(count1: number, count2: number, options: PoissonRateTestOptions = {}): PoissonRateTestResult {
  const fn = "poissonRateTest";
  const [t1, t2] = checkExposures(fn, options.exposures);
  const ratio = options.ratio ?? 1;
  checkPositive(fn, "ratio", ratio);
  const alternative = checkAlternative(fn, options.alternative);
  const confLevel = checkConfLevel(fn, options.confLevel);
  checkCount(fn, "count1", count1);
  checkCount(fn, "count2", count2);
  const base = {
    count1,
    count2,
    exposure1: t1,
    exposure2: t2,
    rate1: count1 / t1,
    rate2: count2 / t2,
    ratio,
    confLevel,
    alternative,
    method: "exact conditional test of Poisson rates (R poisson.test, two samples)" as const,
  };
  const n = count1 + count2;
  if (n === 0) {
    return { ...base, rateRatio: null, expectedCount1: null, pValue: null, lower: null, upper: null, reason: "both counts are zero: the rates cannot be compared" };
  }
  const pi = (ratio * t1) / (ratio * t1 + t2);
  const pValue = binomialPValue(count1, n, pi, alternative);
  const [pl, pu] = clopperPearson(count1, n, confLevel, alternative);
  const toRatio = (q: number): number => (q / (1 - q)) * (t2 / t1);
  return {
    ...base,
    rateRatio: count2 === 0 ? null : count1 / t1 / (count2 / t2),
    expectedCount1: n * pi,
    pValue,
    lower: toRatio(pl),
    upper: pu === 1 ? Infinity : toRatio(pu),
    reason: count2 === 0 ? "the second count is zero: the rate ratio is infinite" : null,
  };
}
