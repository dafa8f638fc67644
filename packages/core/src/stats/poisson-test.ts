import { EXACT_TEST_REL_ERR } from "./binomial-test.js";
import { type Alternative, checkAlternative, checkCount } from "./check.js";
import { poissonDensityRaw, ppois } from "./distributions.js";
import { invalidOption } from "../errors.js";

/** Options for {@link poissonTest}. */
export interface PoissonTestOptions {
  /** `"two.sided"` (default), `"less"` (the true mean is below `expected`) or `"greater"`. */
  alternative?: Alternative;
}

/** Result of {@link poissonTest}. */
export interface PoissonTestResult {
  count: number;
  expected: number;
  /** count ÷ expected; `null` when `expected` is 0. */
  ratio: number | null;
  pValue: number;
  alternative: Alternative;
  method: "exact Poisson test (R poisson.test, one sample)";
}

/**
 * The exact test that a Poisson count has mean `expected` — R's
 * `poisson.test(count, T = 1, r = expected, alternative)`. One-sided p-values are Poisson
 * tails (P(X ≤ x) for `"less"`, P(X ≥ x) for `"greater"`); the two-sided p-value adds the
 * probabilities of every outcome no more likely than the one observed (within R's relative
 * tolerance 1 + 10⁻⁷), searching the far tail as R does.
 *
 * Used to ask "is the count to date significantly above the target trajectory?" where the
 * trajectory is a fixed expectation, not a second observed count.
 *
 * @throws InputError `invalid-option` when `count` is not a non-negative integer, `expected`
 *   is negative or not finite, or `alternative` is unknown.
 * @example
 * poissonTest(25, 16).pValue; // => 0.0359 (to 4 dp; R: poisson.test(25, r = 16)$p.value)
 */
export function poissonTest(count: number, expected: number, options: PoissonTestOptions = {}): PoissonTestResult {
  const fn = "poissonTest";
  checkCount(fn, "count", count);
  if (!(expected >= 0 && Number.isFinite(expected))) invalidOption(fn, "expected", "a non-negative finite number", expected);
  const alternative = checkAlternative(fn, options.alternative);
  const base = { count, expected, ratio: expected > 0 ? count / expected : null, alternative, method: "exact Poisson test (R poisson.test, one sample)" as const };
  return { ...base, pValue: poissonPValue(count, expected, alternative) };
}

/** The p-value of {@link poissonTest}, without argument checks (for the kernels). */
export function poissonPValue(x: number, m: number, alternative: Alternative): number {
  if (alternative === "less") return ppois(x, m, true);
  if (alternative === "greater") return ppois(x - 1, m, false);
  if (m === 0) return x === 0 ? 1 : 0;
  if (x === m) return 1;
  const d = poissonDensityRaw(x, m) * EXACT_TEST_REL_ERR;
  if (x < m) {
    // Count the outcomes at or above ⌈m⌉ that are no more likely than x.
    let n = Math.ceil(2 * m - x);
    while (poissonDensityRaw(n, m) > d) n *= 2;
    // The density falls above the mode, so those outcomes are the run from the first one found
    // by bisection to n (R counts them one by one; the count is the same).
    let lo = Math.ceil(m);
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (poissonDensityRaw(mid, m) <= d) hi = mid;
      else lo = mid + 1;
    }
    const y = poissonDensityRaw(lo, m) <= d ? n - lo + 1 : 0;
    return Math.min(1, ppois(x, m, true) + ppois(n - y, m, false));
  }
  // The density rises up to the mode: the outcomes no more likely than x are 0 … y − 1.
  let lo = 0;
  let hi = Math.floor(m) + 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (poissonDensityRaw(mid, m) <= d) lo = mid + 1;
    else hi = mid;
  }
  const y = lo;
  return Math.min(1, ppois(y - 1, m, true) + ppois(x - 1, m, false));
}
