import { type Alternative, checkAlternative, checkConfLevel, checkCount } from "./check.js";
import { incompleteGammaUpper, pnorm, qnorm } from "./distributions.js";
import { failInput, invalidOption } from "../errors.js";

/** Options for {@link proportionTest}. */
export interface ProportionTestOptions {
  /** Yates' continuity correction (applied only with two groups, as R). Default `true`, R's default. */
  correct?: boolean;
  /** Alternative about p1 − p2 (two groups only; more groups must be `"two.sided"`). Default `"two.sided"`. */
  alternative?: Alternative;
  /** Confidence level for the interval of p1 − p2 (two groups), strictly between 0 and 1. Default 0.95. */
  confLevel?: number;
}

/** Result of {@link proportionTest}. */
export interface ProportionTestResult {
  /** Pearson's X² (Yates-corrected when `correct`); `null` when every or no trial is a success. */
  statistic: number | null;
  /** Degrees of freedom: groups − 1. */
  df: number;
  /** Chi-square p-value (normal one-sided for `"less"`/`"greater"`); `null` with `statistic`. */
  pValue: number | null;
  /** Each group's proportion, successes ÷ trials. */
  estimates: number[];
  /** The pooled proportion Σ successes ÷ Σ trials. */
  pooled: number;
  /** p1 − p2 with two groups, else `null`. */
  difference: number | null;
  /** Lower limit for p1 − p2 (Wald, continuity-corrected when `correct`), two groups only, else `null`. */
  lower: number | null;
  /** Upper limit for p1 − p2, two groups only, else `null`. */
  upper: number | null;
  /** Whether Yates' correction was applied (only ever with two groups). */
  correct: boolean;
  confLevel: number;
  alternative: Alternative;
  method: "Pearson chi-square test of equal proportions (R prop.test)";
  /** Why fields are `null`, else `null`. */
  reason: string | null;
}

/**
 * Pearson's chi-square test that two or more groups share one proportion — R's
 * `prop.test(successes, trials, correct = correct)` with `p = NULL`.
 *
 * X² = Σ (|O − E| − c)²/E over the successes and failures of every group, with E from the
 * pooled proportion, df = groups − 1, p-value from χ²(df) (upper tail). Yates' term c is
 * ½ capped at |p1 − p2| / (1/n1 + 1/n2) with two groups and `correct`, else 0 (R applies no
 * correction for more than two groups). One-sided alternatives (two groups) use
 * Z = sign(p1 − p2)·√X² and the normal tail. The interval for p1 − p2 is R's Wald interval
 * p1 − p2 ± (z√Σ p̂(1 − p̂)/n + c·Σ 1/n), clipped to [−1, 1].
 *
 * If every trial or no trial is a success the expected counts include 0 and X² is undefined:
 * `statistic` and `pValue` are `null` with a `reason` (R returns NaN).
 *
 * @throws InputError `length-mismatch` when the arrays differ in length; `invalid-option`
 *   when there are fewer than two groups, a count is not a non-negative integer, a group has
 *   no trials or more successes than trials, `confLevel` ∉ (0, 1), `alternative` is unknown,
 *   or one-sided with more than two groups.
 * @example
 * const r = proportionTest([86, 60], [524, 500]);
 * r.statistic; // => 3.7215 (to 4 dp; R: prop.test(c(86, 60), c(524, 500))$statistic)
 * r.pValue; // => 0.0537 (to 4 dp)
 */
export function proportionTest(successes: readonly number[], trials: readonly number[], options: ProportionTestOptions = {}): ProportionTestResult {
  const fn = "proportionTest";
  const correctOpt = options.correct ?? true;
  if (typeof correctOpt !== "boolean") invalidOption(fn, "correct", "a boolean", correctOpt);
  const alternative = checkAlternative(fn, options.alternative);
  const confLevel = checkConfLevel(fn, options.confLevel);
  if (!Array.isArray(successes) || successes.length < 2) invalidOption(fn, "successes", "an array of at least two counts", successes);
  if (!Array.isArray(trials)) invalidOption(fn, "trials", "an array of counts", trials);
  if (trials.length !== successes.length) failInput("length-mismatch", fn, "trials", `the same length as successes (${successes.length})`, trials.length);
  const k = successes.length;
  if (k > 2 && alternative !== "two.sided") invalidOption(fn, "alternative", '"two.sided" for more than two groups', alternative);
  let sx = 0;
  let sn = 0;
  for (let i = 0; i < k; ++i) {
    checkCount(fn, `successes[${i}]`, successes[i]);
    checkCount(fn, `trials[${i}]`, trials[i]);
    if (trials[i] === 0) invalidOption(fn, `trials[${i}]`, "positive", trials[i]);
    if (successes[i] > trials[i]) invalidOption(fn, `successes[${i}]`, `at most trials[${i}] (${trials[i]})`, successes[i]);
    sx += successes[i];
    sn += trials[i];
  }
  const estimates = successes.map((x, i) => x / trials[i]);
  const pooled = sx / sn;
  const correct = correctOpt && k === 2;
  let yates = correct ? 0.5 : 0;
  let difference: number | null = null;
  let lower: number | null = null;
  let upper: number | null = null;
  if (k === 2) {
    difference = estimates[0] - estimates[1];
    const invSum = 1 / trials[0] + 1 / trials[1];
    yates = Math.min(yates, Math.abs(difference) / invSum);
    const z = qnorm(alternative === "two.sided" ? (1 + confLevel) / 2 : confLevel, true);
    const width = z * Math.sqrt((estimates[0] * (1 - estimates[0])) / trials[0] + (estimates[1] * (1 - estimates[1])) / trials[1]) + yates * invSum;
    lower = alternative === "less" ? -1 : Math.max(difference - width, -1);
    upper = alternative === "greater" ? 1 : Math.min(difference + width, 1);
  }
  const base = { df: k - 1, estimates, pooled, difference, lower, upper, correct, confLevel, alternative, method: "Pearson chi-square test of equal proportions (R prop.test)" as const };
  if (pooled === 0 || pooled === 1) {
    return { ...base, statistic: null, pValue: null, reason: pooled === 0 ? "no successes in any group: the test is undefined" : "every trial is a success: the test is undefined" };
  }
  let statistic = 0;
  for (let i = 0; i < k; ++i) {
    const e1 = trials[i] * pooled;
    const e0 = trials[i] * (1 - pooled);
    const d1 = Math.abs(successes[i] - e1) - yates;
    const d0 = Math.abs(trials[i] - successes[i] - e0) - yates;
    statistic += (d1 * d1) / e1 + (d0 * d0) / e0;
  }
  let pValue: number;
  if (alternative === "two.sided") pValue = incompleteGammaUpper((k - 1) / 2, statistic / 2);
  else {
    const z = Math.sign(difference as number) * Math.sqrt(statistic);
    pValue = pnorm(z, alternative === "less");
  }
  return { ...base, statistic, pValue, reason: null };
}
