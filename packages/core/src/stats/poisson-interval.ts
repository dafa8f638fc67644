import { type Alternative, checkAlternative, checkConfLevel, checkCount, checkPositive } from "./check.js";
import { qgamma } from "./distributions.js";

/** Options for {@link poissonInterval}. */
export interface PoissonIntervalOptions {
  /** Exposure the count was observed over (time, population × time), positive. Default 1. */
  exposure?: number;
  /** Confidence level, strictly between 0 and 1. Default 0.95. */
  confLevel?: number;
  /** `"two.sided"` (default), or a one-sided bound: `"less"` gives [0, upper], `"greater"` [lower, ∞). */
  alternative?: Alternative;
  /** Multiplier for the rate and limits, e.g. 1000 for "per 1,000" when exposure is a population. Default 1. */
  per?: number;
}

/** Result of {@link poissonInterval}. */
export interface PoissonIntervalResult {
  count: number;
  exposure: number;
  /** count ÷ exposure × per. */
  estimate: number;
  /** Lower limit (0 when count is 0 or for `"less"`). */
  lower: number;
  /** Upper limit (`Infinity` for `"greater"`). */
  upper: number;
  confLevel: number;
  alternative: Alternative;
  per: number;
  method: "exact Poisson interval (Garwood 1936; R poisson.test)";
}

/**
 * The exact (Garwood 1936) confidence interval for a Poisson count or rate — R's
 * `poisson.test(count, exposure, conf.level = confLevel)$conf.int` (times `per`).
 *
 * Limits: lower = qgamma(α/2, count) and upper = qgamma(1 − α/2, count + 1), divided by the
 * exposure — equivalently ½χ²(α/2; 2x) and ½χ²(1 − α/2; 2x + 2); the lower limit is 0 for a
 * zero count. A one-sided bound uses α = 1 − confLevel on its side. The interval is
 * conservative (coverage ≥ confLevel). A zero count is not missing data: it gives
 * [0, −ln(α/2)/exposure].
 *
 * @throws InputError `invalid-option` when `count` is not a non-negative integer, `exposure`
 *   or `per` is not positive and finite, `confLevel` ∉ (0, 1) or `alternative` is unknown.
 * @example
 * const r = poissonInterval(10);
 * [r.lower, r.upper]; // => [4.7954, 18.3904] (to 4 dp)
 * poissonInterval(0).upper; // => 3.6889 (−ln 0.025, to 4 dp)
 */
export function poissonInterval(count: number, options: PoissonIntervalOptions = {}): PoissonIntervalResult {
  const fn = "poissonInterval";
  const exposure = options.exposure ?? 1;
  const per = options.per ?? 1;
  checkPositive(fn, "exposure", exposure);
  checkPositive(fn, "per", per);
  const confLevel = checkConfLevel(fn, options.confLevel);
  const alternative = checkAlternative(fn, options.alternative);
  checkCount(fn, "count", count);
  const lowerAt = (alpha: number): number => (count === 0 ? 0 : qgamma(alpha, count, true));
  const upperAt = (alpha: number): number => qgamma(alpha, count + 1, false);
  let lower: number;
  let upper: number;
  if (alternative === "less") {
    lower = 0;
    upper = upperAt(1 - confLevel);
  } else if (alternative === "greater") {
    lower = lowerAt(1 - confLevel);
    upper = Infinity;
  } else {
    const alpha = (1 - confLevel) / 2;
    lower = lowerAt(alpha);
    upper = upperAt(alpha);
  }
  const scale = per / exposure;
  return {
    count,
    exposure,
    estimate: count * scale,
    lower: lower * scale,
    upper: upper * scale,
    confLevel,
    alternative,
    per,
    method: "exact Poisson interval (Garwood 1936; R poisson.test)",
  };
}
