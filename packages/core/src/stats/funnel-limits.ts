import { checkCount, checkNonNegative, checkPositive } from "./check.js";
import { poissonDensityRaw, ppois, qgamma, qnorm, qpois } from "./distributions.js";
import { funnelOverdispersion, type FunnelOverdispersionResult } from "./funnel-overdispersion.js";
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

/**
 * Whether funnel limits allow for variation between areas beyond chance (over-dispersion):
 * - `"random-effects"` — Spiegelhalter's (2005, Qual Saf Health Care 14:347) additive random
 *   effects: the between-area variance τ² is estimated from the areas themselves (see
 *   {@link funnelOverdispersion}) and added to each area's sampling variance.
 * - `"none"` — the plain Poisson limits: every area's true rate is assumed to be the group rate.
 */
export type FunnelOverdispersion = "random-effects" | "none";

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
  /** Poisson limit method (the limits when τ² = 0). Default `"spiegelhalter"`. */
  method?: FunnelMethod;
  /**
   * Allow for over-dispersion: `"random-effects"` (default) or `"none"` (plain Poisson limits;
   * see {@link FunnelOverdispersion}).
   */
  overdispersion?: FunnelOverdispersion;
  /** Share of z-scores winsorised at each end when τ² is estimated (see {@link funnelOverdispersion}). Default 0.1. */
  winsorise?: number;
  /**
   * Fewest areas τ² is estimated from (an integer, at least 2). With fewer, a real difference
   * between a handful of areas cannot be told from "the usual variation", so the limits stay
   * plain Poisson (`dispersion` is still reported). Default 5.
   */
  minAreas?: number;
  /**
   * A given between-area variance τ² on the square-root scale (from another call's `tau2`)
   * instead of one estimated from these areas: to draw a funnel band on a grid of populations.
   * Only with `"random-effects"`. Default: estimated.
   */
  tau2?: number;
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
  overdispersion: FunnelOverdispersion;
  /**
   * The τ² the limits use: 0 for `"none"`, when the areas vary no more than chance, or when
   * there are fewer than `minAreas` of them (plain Poisson limits).
   */
  tau2: number;
  /**
   * The over-dispersion estimate from these areas (φ̂, the test, τ̂²), also with `"none"` as a
   * diagnostic; `null` when `tau2` was given or an expected count is 0 (no areas, a zero rate).
   */
  dispersion: FunnelOverdispersionResult | null;
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
 * Each area's expected count is E = group rate × population ÷ per. The group rate defaults to
 * the pooled rate of the areas themselves.
 *
 * **Allowing for over-dispersion** (`overdispersion: "random-effects"`, the default). Areas
 * differ in ways no count explains (housing, night-time economy, recording practice), so with
 * large counts most of them fall outside Poisson limits "by construction". Following
 * Spiegelhalter (2005, Qual Saf Health Care 14:347–351), the between-area variance τ² is
 * estimated from the areas' winsorised z-scores on the square-root scale of O/E
 * ({@link funnelOverdispersion}) and, when positive, the limits at level L are
 * E·(1 ± z √(1/(4E) + τ²))² counts, z = Φ⁻¹((1 + L)/2) (the lower limit 0 when
 * 1 − z √(…) < 0). When the areas vary no more than chance allows (I·φ̂ ≤ I − 1, so τ² = 0)
 * there is nothing to add and the limits are the plain Poisson ones below. With fewer than
 * `minAreas` (default 5) areas τ² is not estimated (our choice: two or three areas cannot
 * separate a real difference from the usual variation — it would be absorbed into τ²) and the
 * limits are plain Poisson too.
 *
 * **Plain Poisson limits** (`overdispersion: "none"`, or τ² = 0): the Poisson control limits
 * at lower-tail probabilities (1 − L)/2 and (1 + L)/2 (see {@link poissonControlLimit};
 * default Spiegelhalter's interpolated prediction limits, 95% and 99.8% as in Spiegelhalter
 * 2005, Stat Med 24:1185).
 *
 * Limits are reported as rates (count limit ÷ population × per). An area is `"above"` when its
 * count exceeds the upper limit count and `"below"` when it falls short of the lower one.
 *
 * Empty input gives no areas (and a `null` group rate unless one is given).
 *
 * @throws InputError `length-mismatch` when the arrays differ in length; `invalid-option` when
 *   a count is not a non-negative integer, a population is not positive and finite,
 *   `groupRate` is negative, `per` is not positive, a level is not strictly between 0 and 1,
 *   `method` or `overdispersion` is unknown, `winsorise` is not in [0, ½), `minAreas` is not an
 *   integer ≥ 2, or `tau2` is negative or given with `"none"`.
 * @example
 * const f = funnelLimits([30, 5, 12], [2000, 2500, 1500], { overdispersion: "none" });
 * f.groupRate; // => 7.8333 (47 per 6,000 people, per 1,000; to 4 dp)
 * f.above; // => [0] (15 per 1,000 in area 0)
 * funnelLimits([30, 5, 12, 0, 41, 7, 95, 18], [2000, 2500, 1500, 800, 3100, 640, 5200, 2300]).tau2; // => 0.1158 (to 4 dp)
 */
export function funnelLimits(counts: ArrayLike<number>, populations: ArrayLike<number>, options: FunnelLimitsOptions = {}): FunnelLimitsResult {
  const fn = "funnelLimits";
  const per = options.per ?? 1000;
  checkPositive(fn, "per", per);
  const method = options.method ?? "spiegelhalter";
  if (method !== "spiegelhalter" && method !== "chi-square") invalidOption(fn, "method", '"spiegelhalter" or "chi-square"', method);
  const overdispersion = options.overdispersion ?? "random-effects";
  if (overdispersion !== "random-effects" && overdispersion !== "none") invalidOption(fn, "overdispersion", '"random-effects" or "none"', overdispersion);
  const winsorise = options.winsorise ?? 0.1;
  if (!(typeof winsorise === "number" && winsorise >= 0 && winsorise < 0.5)) invalidOption(fn, "winsorise", "a share at least 0 and below 0.5", winsorise);
  const minAreas = options.minAreas ?? 5;
  if (!(Number.isInteger(minAreas) && minAreas >= 2)) invalidOption(fn, "minAreas", "an integer at least 2", minAreas);
  if (options.tau2 !== undefined) {
    if (overdispersion === "none") invalidOption(fn, "tau2", 'unset with overdispersion "none"', options.tau2);
    checkNonNegative(fn, "tau2", options.tau2);
  }
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
  const expectedOf = (i: number) => ((groupRate as number) * populations[i]) / per;
  // Over-dispersion from the areas themselves (a diagnostic with "none"), unless τ² is given.
  let dispersion: FunnelOverdispersionResult | null = null;
  if (options.tau2 === undefined && counts.length > 0 && (groupRate as number) > 0) {
    dispersion = funnelOverdispersion(counts, Array.from({ length: counts.length }, (_, i) => expectedOf(i)), { winsorise });
  }
  const tau2 = overdispersion === "none" ? 0 : (options.tau2 ?? (dispersion !== null && dispersion.n >= minAreas ? dispersion.tau2 : 0));
  const zOf = levels.map((level) => qnorm((1 + level) / 2, true));
  let widest = 0;
  for (let j = 1; j < levels.length; ++j) if (levels[j] > levels[widest]) widest = j;
  const areas: FunnelArea[] = [];
  const above: number[] = [];
  const below: number[] = [];
  for (let i = 0; i < counts.length; ++i) {
    const count = counts[i];
    const population = populations[i];
    const expected = expectedOf(i);
    const toRate = per / population;
    const limits: FunnelLimit[] = levels.map((level, j) => {
      let lo: number;
      let hi: number;
      if (tau2 > 0 && expected > 0) {
        // 1 ± z √(s² + τ²) on the square-root scale of O/E, s² = 1/(4E), squared back to counts.
        const half = zOf[j] * Math.sqrt(1 / (4 * expected) + tau2);
        lo = expected * Math.max(0, 1 - half) ** 2;
        hi = expected * (1 + half) ** 2;
      } else {
        lo = controlLimit(expected, (1 - level) / 2, method);
        hi = controlLimit(expected, (1 + level) / 2, method);
      }
      const position: FunnelPosition = count > hi ? "above" : count < lo ? "below" : "within";
      return { level, lower: lo * toRate, upper: hi * toRate, position };
    });
    const position = limits[widest].position;
    if (position === "above") above.push(i);
    else if (position === "below") below.push(i);
    areas.push({ index: i, count, population, rate: count * toRate, expected, limits, position });
  }
  return { groupRate, per, levels, method, overdispersion, tau2, dispersion, areas, above, below };
}
