import { checkConfLevel, checkCount } from "./check.js";
import { qnorm } from "./distributions.js";
import { invalidOption } from "../errors.js";

/** Options for {@link wilsonInterval}. */
export interface WilsonIntervalOptions {
  /** Confidence level, strictly between 0 and 1. Default 0.95. */
  confLevel?: number;
  /**
   * Apply R's continuity correction (`prop.test`'s default `correct = TRUE`). Default
   * `false`: the plain Wilson score interval.
   */
  correct?: boolean;
}

/** Result of {@link wilsonInterval}. */
export interface WilsonIntervalResult {
  successes: number;
  trials: number;
  /** successes ÷ trials; `null` when there are no trials. */
  estimate: number | null;
  /** Lower limit; `null` when there are no trials. */
  lower: number | null;
  /** Upper limit; `null` when there are no trials. */
  upper: number | null;
  confLevel: number;
  correct: boolean;
  method: "Wilson score interval" | "Wilson score interval with continuity correction (R prop.test)";
  /** Why fields are `null`, else `null`. */
  reason: string | null;
}

/**
 * The Wilson (1927) score interval for a proportion — R's
 * `prop.test(successes, trials, correct = FALSE)$conf.int` — or, with `correct: true`, R's
 * continuity-corrected version (`prop.test`'s default).
 *
 * Plain: (p̂ + z²/2n ± z√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n), z = Φ⁻¹((1 + confLevel)/2).
 * Corrected, exactly as R: p̂ is moved by c/n towards each limit before the same formula
 * (p̂ + c/n for the upper, p̂ − c/n for the lower; a limit whose moved p̂ passes 1 or 0 is 1
 * or 0), where c = min(½, |x − n/2|) — R's Yates term measured against its default null
 * p = ½ — so at x = n/2 the corrected and plain intervals coincide. Limits are clipped to
 * [0, 1]. This is R's formula, close to but not the same as Newcombe's (1998) method 4.
 *
 * Zero trials: the estimate and limits are `null` with a `reason`.
 *
 * @throws InputError `invalid-option` when a count is not a non-negative integer,
 *   `successes` > `trials`, or `confLevel` ∉ (0, 1).
 * @example
 * const r = wilsonInterval(86, 524);
 * r.estimate; // => 0.1641 (16.4%, to 4 dp)
 * [r.lower, r.upper]; // => [0.1349, 0.1983] (to 4 dp; R: prop.test(86, 524, correct = FALSE)$conf.int)
 */
export function wilsonInterval(successes: number, trials: number, options: WilsonIntervalOptions = {}): WilsonIntervalResult {
  const fn = "wilsonInterval";
  const confLevel = checkConfLevel(fn, options.confLevel);
  const correct = options.correct ?? false;
  if (typeof correct !== "boolean") invalidOption(fn, "correct", "a boolean", correct);
  checkCount(fn, "successes", successes);
  checkCount(fn, "trials", trials);
  if (successes > trials) invalidOption(fn, "successes", `at most trials (${trials})`, successes);
  const method = correct ? ("Wilson score interval with continuity correction (R prop.test)" as const) : ("Wilson score interval" as const);
  const base = { successes, trials, confLevel, correct, method };
  if (trials === 0) return { ...base, estimate: null, lower: null, upper: null, reason: "no trials: the proportion is undefined" };
  const [lower, upper] = wilsonLimits(successes, trials, qnorm((1 + confLevel) / 2, true), correct ? Math.min(0.5, Math.abs(successes - trials / 2)) : 0);
  return { ...base, estimate: successes / trials, lower, upper, reason: null };
}

/** R prop.test's one-sample limits for x of n with normal quantile z and Yates term c. */
export function wilsonLimits(x: number, n: number, z: number, c: number): [number, number] {
  const est = x / n;
  const z22n = (z * z) / (2 * n);
  let pc = est + c / n;
  const upper = pc >= 1 ? 1 : (pc + z22n + z * Math.sqrt((pc * (1 - pc)) / n + z22n / (2 * n))) / (1 + 2 * z22n);
  pc = est - c / n;
  const lower = pc <= 0 ? 0 : (pc + z22n - z * Math.sqrt((pc * (1 - pc)) / n + z22n / (2 * n))) / (1 + 2 * z22n);
  return [Math.max(lower, 0), Math.min(upper, 1)];
}
