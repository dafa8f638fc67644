import { type Alternative, checkAlternative, checkCount, checkNonNegative } from "./check.js";
import { pnorm } from "./distributions.js";

/** Options for {@link poissonZ}. */
export interface PoissonZOptions {
  /** Alternative about the current mean versus the historical one. Default `"two.sided"`. */
  alternative?: Alternative;
}

/** Result of {@link poissonZ}. */
export interface PoissonZResult {
  current: number;
  historical: number;
  /** Z = 2(√current − √historical). */
  statistic: number;
  /** Normal p-value of Z (two-sided 2Φ(−|Z|) by default). */
  pValue: number;
  alternative: Alternative;
  method: "Poisson square-root Z, 2(sqrt(current) - sqrt(historical))";
}

/**
 * The square-root-transform ("Poisson Z") score for a current count against a historical
 * mean: Z = 2(√current − √historical), approximately standard normal when the current count
 * is Poisson with the historical mean (Var √X ≈ ¼, the variance-stabilising transform).
 * Variant and source: A. P. Wheeler, "Testing changes in short run crime patterns: the
 * Poisson e-test" (2018 blog post, recalling his earlier Poisson Z-score posts): 16 robberies a
 * month on average, 25 this month → Z = 2(5 − 4) = 2.0; he suggests |Z| ≥ 3 as a stricter
 * flag. The historical value is treated as a known mean (not itself a Poisson draw); to
 * compare two observed counts use {@link poissonETest} or {@link poissonRateTest}.
 *
 * @throws InputError `invalid-option` when `current` is not a non-negative integer,
 *   `historical` is negative or not finite, or `alternative` is unknown.
 * @example
 * poissonZ(25, 16).statistic; // => 2
 * poissonZ(25, 16).pValue; // => 0.0455 (to 4 dp; 2Φ(−2))
 */
export function poissonZ(current: number, historical: number, options: PoissonZOptions = {}): PoissonZResult {
  const fn = "poissonZ";
  const alternative = checkAlternative(fn, options.alternative);
  checkCount(fn, "current", current);
  checkNonNegative(fn, "historical", historical);
  const z = 2 * (Math.sqrt(current) - Math.sqrt(historical));
  const pValue = alternative === "two.sided" ? 2 * pnorm(-Math.abs(z), true) : alternative === "greater" ? pnorm(z, false) : pnorm(z, true);
  return { current, historical, statistic: z, pValue: Math.min(1, pValue), alternative, method: "Poisson square-root Z, 2(sqrt(current) - sqrt(historical))" };
}
