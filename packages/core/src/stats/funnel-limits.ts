import { checkCount, checkNonNegative, checkPositive } from "./check.js";
import { poissonDensityRaw, ppois, qgamma, qpois } from "./distributions.js";
import { failInput, invalidOption } from "../errors.js";

/**
 * How funnel control limits are computed from the expected count E:
 * - `"spiegelhalter"` — Poisson prediction limits with Spiegelhalter's interpolation between
 *   integers (Spiegelhalter 2005, Statistics in Medicine 24:1185–1202, appendix A.1.1).
 * - `"chi-square"` — the exact (Garwood) Poisson confidence limits with E in place of the
 *   observed count: ½χ²(p; 2E) below and ½χ²(p; 2E + 2) above (as FunnelPlotR's Poisson
 *   limits and many public-health funnel-plot spreadsheets).
 */
export type FunnelMethod = "spiegelhalter" | "chi-square";

/** Where a count lies against a pair of control limits. */
export type FunnelPosition = "above" | "below" | "within";

/** Options for {@link funnelLimits}. */
export interface FunnelLimitsOptions {
  /**
   * The group (target) rate per `per` units of population. Default: the pooled rate,
   * Σ counts ÷ Σ populations × per.
   */
  groupRate?: number;
  /** Rates are per this many people. Default 1000. */
  per?: number;
  /** Two-sided control levels, each strictly between 0 and 1. Default [0.95, 0.998]. */
  levels?: readonly number[];
  /** Limit method. Default `"spiegelhalter"`. */
  method?: FunnelMethod;
}

/** One pair of control limits for an area, as rates per `per`. */
export interface FunnelLimit {
  level: number;
  /** Lower limit, as a rate per `per`. */
  lower: number;
  /** Upper limit, as a rate per `per`. */
  upper: number;
  /** `"above"` when the count exceeds the upper limit, `"below"` when under the lower one. */
  position: FunnelPosition;
}

/** One area of a funnel plot. */
export interface FunnelArea {
  /** Position of the area in the input arrays. */
  index: number;
  count: number;
  population: number;
  /** count ÷ population × per. */
  rate: number;
  /** Expected count: group rate × population ÷ per. */
  expected: number;
  /** One entry per level, in the order given. */
  limits: FunnelLimit[];
  /** Position against the widest (highest) level's limits. */
  position: FunnelPosition;
}

/** Result of {@link funnelLimits}. */
export interface FunnelLimitsResult {
  /** The group rate per `per` used; `null` for empty input without a given rate. */
  groupRate: number | null;
  per: number;
  levels: number[];
  method: FunnelMethod;
  areas: FunnelArea[];
  /** Indices of areas above the widest level's upper limit. */
  above: number[];
  /** Indices of areas below the widest level's lower limit. */
  below: number[];
}

/**
 * The count at lower-tail probability `p` of a Poisson distribution with mean `expected`,
 * as a funnel-plot control limit (never below 0).
 *
 * `"spiegelhalter"` (default): with r the p-quantile (smallest r with P(X ≤ r) ≥ p, R's
 * `qpois`), the limit is r − α, α = (P(X ≤ r) − p) ÷ P(X = r) — Spiegelhalter (2005),
 * appendix A.1.1, which makes the limits a smooth function of E. `"chi-square"`: qgamma(p, E)
 * for p < ½ and qgamma(p, E + 1) for p ≥ ½ (½χ² with 2E and 2E + 2 degrees of freedom).
 *
 * @throws InputError `invalid-option` when `expected` is negative or not finite, `p` is not
 *   strictly between 0 and 1, or `method` is unknown.
 * @example
 * poissonControlLimit(10, 0.975); // => 16.1600 (to 4 dp: r = 17, α = 0.8400)
 */
export function poissonControlLimit(expected: number, p: number, options: { method?: FunnelMethod } = {}): number {
  const fn = "poissonControlLimit";
  const method = options.method ?? "spiegelhalter";
  if (method !== "spiegelhalter" && method !== "chi-square") invalidOption(fn, "method", '"spiegelhalter" or "chi-square"', method);
  checkNonNegative(fn, "expected", expected);
  if (!(typeof p === "number" && p > 0 && p < 1)) invalidOption(fn, "p", "a probability strictly between 0 and 1", p);
  return controlLimit(expected, p, method);
}

function controlLimit(expected: number, p: number, method: FunnelMethod): number {
  if (method === "chi-square") return p < 0.5 ? qgamma(p, expected, true) : qgamma(p, expected + 1, true);
  const r = qpois(p, expected);
  const alpha = (ppois(r, expected, true) - p) / poissonDensityRaw(r, expected);
  return Math.max(0, r - alpha);
}

/**
 * Funnel-plot control limits for area rates per `per` (default 1,000) people against a group
 * rate, and which areas lie outside them.
 *
 * Each area's expected count is E = group rate × population ÷ per; its limits at level L are
 * the Poisson control limits at lower-tail probabilities (1 − L)/2 and (1 + L)/2 (see
 * {@link poissonControlLimit}; default Spiegelhalter's interpolated prediction limits, 95%
 * and 99.8% as in Spiegelhalter 2005), divided by the population × per. An area is
 * `"above"` when its count exceeds the upper limit count and `"below"` when it falls short of
 * the lower one. The group rate defaults to the pooled rate of the areas themselves.
 *
 * Empty input gives no areas (and a `null` group rate unless one is given).
 *
 * @throws InputError `length-mismatch` when the arrays differ in length; `invalid-option` when
 *   a count is not a non-negative integer, a population is not positive and finite,
 *   `groupRate` is negative, `per` is not positive, a level is not strictly between 0 and 1,
 *   or `method` is unknown.
 * @example
 * const f = funnelLimits([30, 5, 12], [2000, 2500, 1500]);
 * f.groupRate; // => 7.8333 (47 per 6,000 people, per 1,000; to 4 dp)
 * f.above; // => [0] (15 per 1,000 in area 0)
 */
export function funnelLimits(counts: ArrayLike<number>, populations: ArrayLike<number>, options: FunnelLimitsOptions = {}): FunnelLimitsResult {
  const fn = "funnelLimits";
  const per = options.per ?? 1000;
  checkPositive(fn, "per", per);
  const method = options.method ?? "spiegelhalter";
  if (method !== "spiegelhalter" && method !== "chi-square") invalidOption(fn, "method", '"spiegelhalter" or "chi-square"', method);
  const levels = options.levels === undefined ? [0.95, 0.998] : Array.from(options.levels);
  if (levels.length === 0) invalidOption(fn, "levels", "a non-empty array of levels", options.levels);
  for (const level of levels) {
    if (!(typeof level === "number" && level > 0 && level < 1)) invalidOption(fn, "levels", "numbers strictly between 0 and 1", options.levels);
  }
  if (options.groupRate !== undefined) checkNonNegative(fn, "groupRate", options.groupRate);
  if (counts === null || typeof counts !== "object" || typeof counts.length !== "number") invalidOption(fn, "counts", "an array of counts", counts);
  if (populations === null || typeof populations !== "object" || typeof populations.length !== "number") invalidOption(fn, "populations", "an array of populations", populations);
  if (counts.length !== populations.length) failInput("length-mismatch", fn, "populations", `the same length as counts (${counts.length})`, populations.length);
  let totalCount = 0;
  let totalPopulation = 0;
  for (let i = 0; i < counts.length; ++i) {
    checkCount(fn, `counts[${i}]`, counts[i]);
    checkPositive(fn, `populations[${i}]`, populations[i]);
    totalCount += counts[i];
    totalPopulation += populations[i];
  }
  const groupRate = options.groupRate ?? (counts.length === 0 ? null : (totalCount / totalPopulation) * per);
  let widest = 0;
  for (let j = 1; j < levels.length; ++j) if (levels[j] > levels[widest]) widest = j;
  const areas: FunnelArea[] = [];
  const above: number[] = [];
  const below: number[] = [];
  for (let i = 0; i < counts.length; ++i) {
    const count = counts[i];
    const population = populations[i];
    const expected = ((groupRate as number) * population) / per;
    const toRate = per / population;
    const limits: FunnelLimit[] = levels.map((level) => {
      const lo = controlLimit(expected, (1 - level) / 2, method);
      const hi = controlLimit(expected, (1 + level) / 2, method);
      const position: FunnelPosition = count > hi ? "above" : count < lo ? "below" : "within";
      return { level, lower: lo * toRate, upper: hi * toRate, position };
    });
    const position = limits[widest].position;
    if (position === "above") above.push(i);
    else if (position === "below") below.push(i);
    areas.push({ index: i, count, population, rate: count * toRate, expected, limits, position });
  }
  return { groupRate, per, levels, method, areas, above, below };
}
