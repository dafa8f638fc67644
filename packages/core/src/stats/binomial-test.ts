import { type Alternative, checkAlternative, checkConfLevel, checkCount } from "./check.js";
import { dbinom, pbinom, qbeta } from "./distributions.js";
import { invalidOption } from "../errors.js";

/** Options for {@link binomialTest}. */
export interface BinomialTestOptions {
  /** Success probability under the null hypothesis, in [0, 1]. Default 0.5. */
  p?: number;
  /** Alternative hypothesis about the true probability versus `p`. Default `"two.sided"`. */
  alternative?: Alternative;
  /** Confidence level of the Clopper–Pearson interval, strictly between 0 and 1. Default 0.95. */
  confLevel?: number;
}

/** Result of {@link binomialTest}. */
export interface BinomialTestResult {
  successes: number;
  trials: number;
  /** The null probability tested against. */
  nullP: number;
  /** successes ÷ trials; `null` when there are no trials. */
  estimate: number | null;
  /** The exact p-value; `null` when there are no trials. */
  pValue: number | null;
  /** Clopper–Pearson lower limit (0 for `"less"`); `null` when there are no trials. */
  lower: number | null;
  /** Clopper–Pearson upper limit (1 for `"greater"`); `null` when there are no trials. */
  upper: number | null;
  confLevel: number;
  alternative: Alternative;
  method: "exact binomial test (R binom.test), Clopper-Pearson interval";
  /** Why fields are `null`, else `null`. */
  reason: string | null;
}

/** R's relative tolerance for "as or less likely than observed" in two-sided exact tests. */
export const EXACT_TEST_REL_ERR = 1 + 1e-7;

/**
 * The exact binomial test of `successes` out of `trials` against probability `p`, and the
 * Clopper–Pearson interval: R's `binom.test(x, n, p, alternative, conf.level)` exactly.
 *
 * Two-sided p-value (R's rule, "minimum likelihood"): the sum of the probabilities of all
 * outcomes no more likely than the observed one, P(X = i) ≤ P(X = x)·(1 + 10⁻⁷). One-sided:
 * P(X ≤ x) (`"less"`) or P(X ≥ x) (`"greater"`). Interval: Clopper & Pearson (1934), the
 * beta quantiles qbeta(α/2, x, n − x + 1) and qbeta(1 − α/2, x + 1, n − x) (0 and 1 at the
 * ends); one-sided intervals use α = 1 − confLevel on their one side.
 *
 * Zero trials: every statistic is `null` with a `reason` (R refuses n = 0).
 *
 * @throws InputError `invalid-option` when a count is not a non-negative integer,
 *   `successes` > `trials`, `p` ∉ [0, 1], `confLevel` ∉ (0, 1) or `alternative` is unknown.
 * @example
 * const r = binomialTest(7, 20, { p: 0.3 });
 * r.pValue; // => 0.6295 (to 4 dp; R: binom.test(7, 20, 0.3)$p.value)
 * [r.lower, r.upper]; // => [0.1539, 0.5922] (to 4 dp)
 */
export function binomialTest(successes: number, trials: number, options: BinomialTestOptions = {}): BinomialTestResult {
  const fn = "binomialTest";
  const p = options.p ?? 0.5;
  const alternative = checkAlternative(fn, options.alternative);
  const confLevel = checkConfLevel(fn, options.confLevel);
  checkCount(fn, "successes", successes);
  checkCount(fn, "trials", trials);
  if (successes > trials) invalidOption(fn, "successes", `at most trials (${trials})`, successes);
  if (!(typeof p === "number" && p >= 0 && p <= 1)) invalidOption(fn, "p", "a probability in [0, 1]", p);
  const base = { successes, trials, nullP: p, confLevel, alternative, method: "exact binomial test (R binom.test), Clopper-Pearson interval" as const };
  if (trials === 0) {
    return { ...base, estimate: null, pValue: null, lower: null, upper: null, reason: "no trials: the proportion is undefined" };
  }
  const pValue = binomialPValue(successes, trials, p, alternative);
  const [lower, upper] = clopperPearson(successes, trials, confLevel, alternative);
  return { ...base, estimate: successes / trials, pValue, lower, upper, reason: null };
}

/** The p-value of R's binom.test (x of n, null probability p). */
export function binomialPValue(x: number, n: number, p: number, alternative: Alternative): number {
  if (alternative === "less") return pbinom(x, n, p, true);
  if (alternative === "greater") return pbinom(x - 1, n, p, false);
  const m = n * p;
  if (x === m) return 1;
  const threshold = dbinom(x, n, p) * EXACT_TEST_REL_ERR;
  let pv: number;
  if (x < m) {
    // Outcomes i in [⌈m⌉, n], where the mass is non-increasing: y of them are at most as likely.
    let lo = Math.ceil(m);
    let hi = n + 1; // first index with mass ≤ threshold lies in [lo, hi]
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (dbinom(mid, n, p) <= threshold) hi = mid;
      else lo = mid + 1;
    }
    const y = n + 1 - lo;
    pv = pbinom(x, n, p, true) + pbinom(n - y, n, p, false);
  } else {
    // Outcomes i in [0, ⌊m⌋], where the mass is non-decreasing.
    let lo = -1; // last index with mass ≤ threshold lies in [lo, hi]
    let hi = Math.floor(m);
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (dbinom(mid, n, p) <= threshold) lo = mid;
      else hi = mid - 1;
    }
    const y = lo + 1;
    pv = pbinom(y - 1, n, p, true) + pbinom(x - 1, n, p, false);
  }
  return Math.min(1, pv);
}

/** Clopper–Pearson limits for x of n, as R's binom.test. */
export function clopperPearson(x: number, n: number, confLevel: number, alternative: Alternative): [number, number] {
  const lowerAt = (alpha: number): number => (x === 0 ? 0 : qbeta(alpha, x, n - x + 1, true));
  const upperAt = (alpha: number): number => (x === n ? 1 : qbeta(alpha, x + 1, n - x, false));
  if (alternative === "less") return [0, upperAt(1 - confLevel)];
  if (alternative === "greater") return [lowerAt(1 - confLevel), 1];
  const alpha = (1 - confLevel) / 2;
  return [lowerAt(alpha), upperAt(alpha)];
}
