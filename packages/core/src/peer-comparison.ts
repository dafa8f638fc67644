import { universeCategories } from "./universe.js";
import { comparisonWindows, type ComparisonWindow, type PartialPeriods } from "./comparison-windows.js";
import { coveredSpans } from "./coverage.js";
import { invalidOption } from "./errors.js";
import type { IncidentTable } from "./incident-table.js";
import { levels, type LevelDimension, type LevelsOptions } from "./levels.js";
import { parsePeriod, type Period } from "./periods.js";
import { funnelLimits, type FunnelLimit, type FunnelMethod, type FunnelOverdispersion, type FunnelPosition } from "./stats/funnel-limits.js";
import { poissonInterval } from "./stats/poisson-interval.js";

/** Options for {@link peerComparison}. */
export interface PeerComparisonOptions extends Pick<LevelsOptions, "groups" | "categories" | "fyStartMonth" | "coarse"> {
  /** The area dimension compared (e.g. `"district"`). Default `"district"`. */
  area?: Exclude<LevelDimension, "period" | "category" | "subcategory" | "source" | "outcome">;
  /** Residents per area: the peer group is every area listed here that has rows in the table (see `excluded`). Required. */
  population: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
  /** The period counted (a key or period). Required. */
  period: Period | string;
  /** Rates per this many residents. Default 1000. */
  per?: number;
  /** Confidence level of each area's exact Poisson interval. Default 0.95. */
  confLevel?: number;
  /** Funnel control levels. Default [0.95, 0.998]. */
  limits?: readonly number[];
  /** Poisson limit method (see `funnelLimits`). Default `"spiegelhalter"`. */
  method?: FunnelMethod;
  /**
   * Allow for the usual variation between areas: `"random-effects"` (default; Spiegelhalter
   * 2005 additive random effects, see `funnelLimits`) or `"none"` (plain Poisson limits, which
   * with large counts put most areas outside by construction).
   */
  overdispersion?: FunnelOverdispersion;
  /** Share of z-scores winsorised at each end when the between-area variance is estimated. Default 0.1. */
  winsorise?: number;
  /** Fewest areas the between-area variance is estimated from; with fewer the limits are plain Poisson (see `funnelLimits`). Default 5. */
  minAreas?: number;
  /**
   * A period the data cover only in part: `"refuse"` (default) throws `partial-period`;
   * `"equal-windows"` (or `"rate"`: the same here) counts every area over the covered part,
   * so rates are per resident over that time, not over the whole period.
   */
  partial?: PartialPeriods;
}

/** One area of a peer comparison. */
export interface PeerRow {
  area: string;
  count: number;
  population: number;
  /** count ÷ population × per. */
  rate: number;
  /** Exact Poisson (Garwood) interval of the rate. */
  lower: number;
  upper: number;
  /** Expected count at the group rate. */
  expected: number;
  /** Funnel limits at each control level (rates per `per`). */
  limits: FunnelLimit[];
  /** Against the widest control limits. */
  position: FunnelPosition;
  /** Against the widest plain Poisson limits (the same as `position` when those are the limits drawn). */
  poissonPosition: FunnelPosition;
  sentence: string;
}

/** How much the areas vary beyond chance, and how the funnel limits allow for it. */
export interface PeerOverdispersion {
  /** The limits drawn: random effects (default) or plain Poisson. */
  method: FunnelOverdispersion;
  /** Over-dispersion factor φ̂ from the winsorised z-scores (1 = as much variation as chance gives); `null` without a positive group rate. */
  phi: number | null;
  /** The test of no over-dispersion: I·φ̂ against I − 1, with P(χ²(I − 1) ≥ I·φ̂) for reference. */
  statistic: number | null;
  df: number;
  pValue: number | null;
  /** I·φ̂ > I − 1. */
  overdispersed: boolean;
  /** Whether the limits add τ̂²: random effects asked for, over-dispersed, and at least `minAreas` areas. */
  randomEffects: boolean;
  /** Fewest areas τ² is estimated from. */
  minAreas: number;
  /** Between-area variance τ̂² on the square-root scale of the rate ratio (0 when not over-dispersed); the limits use it only with `"random-effects"`. */
  tau2: number;
  /** √τ̂². */
  tau: number;
  /** Share winsorised at each end. */
  winsorise: number;
  /** Areas above / below the widest plain Poisson limits, for comparison. */
  poissonAbove: string[];
  poissonBelow: string[];
  /** What the variation means for the funnel, in words. */
  sentence: string;
}

/** Result of {@link peerComparison}. */
export interface PeerComparisonResult {
  /** The pooled group rate per `per`. */
  readonly groupRate: number | null;
  readonly per: number;
  readonly rows: PeerRow[];
  /** Areas above / below the widest control limits. */
  readonly above: string[];
  readonly below: string[];
  /** φ̂, the test, τ̂² and the limits' method, with a sentence. */
  readonly overdispersion: PeerOverdispersion;
  /** Incidents in areas absent from `population` (not compared). */
  readonly notCompared: number;
  /**
   * Areas with residents but not a single row in the table (any category, any time): the
   * extract does not hold them (the Leicestershire county files leave Leicester City out), so
   * they are left out of the group rate and the funnel rather than counted as zero.
   */
  readonly excluded: { area: string; population: number; reason: string }[];
  /** What was counted: the whole period, or its covered part. */
  readonly window: ComparisonWindow;
}

/**
 * Compares areas in a peer group (as Most Similar Groups / iQuanta families do): each area's
 * rate per 1,000 with its exact Poisson interval, the pooled group rate, funnel-plot control
 * limits (95% and 99.8% by default) and which areas lie outside them. Areas with residents but
 * no row in the table are not peers (`excluded`): a zero there would mean "not in the
 * extract", not "no crime". The period must be covered by the data (see `partial`).
 *
 * By default the limits allow for the usual variation between areas (Spiegelhalter 2005, Qual
 * Saf Health Care 14:347, additive random effects; see `funnelLimits`): districts with tens of
 * thousands of crimes differ by far more than Poisson chance, so plain Poisson limits would
 * flag most of them. `overdispersion` reports φ̂, the test, τ̂² and which areas the plain
 * Poisson limits would flag; `overdispersion: "none"` draws the Poisson limits instead.
 *
 * @example
 * peerComparison(table, { population, period: "2021/22", categories: ["violent-crime"] }).above // => ["Wreford"]
 * @throws InputError `invalid-option` for a missing population or period, or no area of the
 *   population in the table; `partial-period` for a part-covered period (see `partial`).
 */
export function peerComparison(table: IncidentTable, options: PeerComparisonOptions): PeerComparisonResult {
  const fn = "peerComparison";
  if (options === null || typeof options !== "object") invalidOption(fn, "options", "an object with population and period", options);
  const area = options.area ?? "district";
  const pop = options.population;
  if (pop === null || typeof pop !== "object") invalidOption(fn, "population", "a Map or object of area → residents", pop);
  if (options.period === undefined) invalidOption(fn, "period", "a period key or period", options.period);
  const per = options.per ?? 1000;
  const entries = [...(pop instanceof Map ? pop.entries() : Object.entries(pop))] as [string, number][];
  if (entries.length === 0) invalidOption(fn, "population", "at least one area", pop);
  for (const [k, v] of entries) if (!(typeof v === "number" && v > 0)) invalidOption(fn, `population["${k}"]`, "a positive number of residents", v);
  // Areas the table holds no row of are not in the extract: leave them out, and say so.
  const col = table[area];
  const seen = new Uint8Array(col.values.length);
  for (let i = 0; i < table.length; ++i) seen[col.codes[i]] = 1;
  const present = new Set(col.values.filter((v, c) => v !== null && seen[c] === 1));
  const excluded = entries.filter(([k]) => !present.has(k)).map(([k, v]) => ({ area: k, population: v, reason: `no row of the table has ${area} ${k}: the extract does not hold it` }));
  const compared = entries.filter(([k]) => present.has(k));
  if (compared.length === 0) invalidOption(fn, "population", `areas present in the table's ${area} column`, entries.map(([k]) => k));
  const names = compared.map(([k]) => k);
  const period = typeof options.period === "string" ? parsePeriod(options.period, { zone: table.zone, fyStartMonth: options.fyStartMonth }) : options.period;
  const partial = options.partial ?? "refuse";
  const spans = coveredSpans(table, { categories: universeCategories(options.categories, options.groups) });
  const [window] = comparisonWindows(spans, [period], partial === "refuse" ? "refuse" : "rate", { zone: table.zone, fyStartMonth: options.fyStartMonth, fn });
  const { rows } = levels(table, {
    by: [area],
    periods: window.parts,
    categories: options.categories,
    groups: options.groups,
    fyStartMonth: options.fyStartMonth,
    coarse: options.coarse,
    values: { [area]: names },
  });
  const counted = levels(table, { by: [area], periods: window.parts, categories: options.categories, groups: options.groups, fyStartMonth: options.fyStartMonth, coarse: options.coarse, zeroFill: false });
  const inGroup = new Set(names);
  const notCompared = counted.rows.filter((r) => r[area] === null || !inGroup.has(String(r[area]))).reduce((s, r) => s + r.count, 0);
  const countOf = new Map(rows.map((r) => [String(r[area]), r.count]));
  const counts = names.map((k) => countOf.get(k) ?? 0);
  const pops = compared.map(([, v]) => v);
  const method = options.overdispersion ?? "random-effects";
  const minAreas = options.minAreas ?? 5;
  const funnel = funnelLimits(counts, pops, { per, levels: options.limits, method: options.method, overdispersion: method, winsorise: options.winsorise, minAreas });
  // The other method's limits, for comparison in words.
  const other = funnelLimits(counts, pops, { per, levels: options.limits, method: options.method, overdispersion: method === "none" ? "random-effects" : "none", winsorise: options.winsorise, minAreas });
  const poisson = method === "none" ? funnel : other;
  const confLevel = options.confLevel ?? 0.95;
  const fmt = (v: number) => v.toFixed(1);
  const plural = AREA_PLURAL[area] ?? "areas";
  const d = funnel.dispersion;
  const n = names.length;
  const few = n < minAreas;
  const tau2 = d?.tau2 ?? 0;
  const tau = Math.sqrt(tau2);
  const widestLevel = `${(100 * Math.max(...funnel.levels)).toFixed(1)}%`;
  // What the limits allow for, appended to each area's sentence.
  const basis =
    method === "none"
      ? " (plain Poisson limits)"
      : funnel.tau2 > 0
        ? ` allowing for the usual variation between ${plural} (Spiegelhalter 2005 random effects, τ = ${tau.toFixed(3)})`
        : few
          ? ` (plain Poisson limits: too few ${plural} to measure the usual variation between them)`
          : ` (plain Poisson limits: the ${plural} vary no more than chance)`;
  const outside = (f: typeof funnel) => f.above.length + f.below.length;
  const phiWords = d?.phi === null || d === null ? "" : ` (φ = ${d.phi.toFixed(1)}: I·φ = ${(d.statistic as number).toFixed(1)} against ${d.df})`;
  // Underlying rates within about ±(2τ + τ²) of the group rate for a typical area (one SD on the square-root scale).
  const typical = `${Math.round(100 * (2 * tau + tau2))}%`;
  const sentence =
    d === null
      ? "The variation between areas could not be measured (no group rate)."
      : method === "random-effects" && few
        ? `With only ${n} ${n === 1 ? plural.replace(/s$/, "") : plural} (fewer than ${minAreas}), the usual variation between ${plural} cannot be told apart from a real difference, so the funnel limits are plain Poisson limits${d.phi === null || n < 2 ? "" : ` (φ = ${d.phi.toFixed(1)})`}.`
        : method === "random-effects" && d.overdispersed
          ? `The ${plural}' rates vary more than chance alone gives${phiWords}, so the funnel limits allow for the usual variation between ${plural}: Spiegelhalter (2005) additive random effects, τ = ${tau.toFixed(3)} on the square-root scale (underlying rates typically within about ±${typical} of the group rate). Against plain Poisson limits ${outside(poisson)} of ${n} ${plural} would be outside the ${widestLevel} limits; allowing for that variation, ${outside(funnel)} ${outside(funnel) === 1 ? "is" : "are"}.`
        : method === "random-effects"
          ? `The ${plural}' rates vary no more than chance alone gives${phiWords}, so no allowance is needed and the funnel limits are plain Poisson limits (τ = 0).`
          : d.overdispersed
            ? `Plain Poisson limits, with no allowance for variation between ${plural}. The ${plural}' rates vary more than chance alone gives${phiWords}, so with counts this large ${plural} fall outside these limits partly by construction: ${outside(funnel)} of ${n} are outside the ${widestLevel} limits${few ? "" : `, against ${outside(other)} allowing for the usual variation (Spiegelhalter 2005 random effects, τ = ${tau.toFixed(3)})`}.`
            : `Plain Poisson limits; the ${plural}' rates vary no more than chance alone gives${phiWords}.`;
  const out: PeerRow[] = funnel.areas.map((a, k) => {
    const ci = poissonInterval(a.count, { exposure: a.population, per, confLevel });
    const widest = a.limits[a.limits.length - 1];
    const where =
      (a.position === "above" ? `above the ${(100 * widest.level).toFixed(1)}% upper limit (${fmt(widest.upper)})` : a.position === "below" ? `below the ${(100 * widest.level).toFixed(1)}% lower limit (${fmt(widest.lower)})` : "within the control limits") + basis;
    return {
      area: names[k],
      count: a.count,
      population: a.population,
      rate: a.rate,
      lower: ci.lower,
      upper: ci.upper,
      expected: a.expected,
      limits: a.limits,
      position: a.position,
      poissonPosition: poisson.areas[k].position,
      sentence: `${names[k]}: ${fmt(a.rate)} per ${per.toLocaleString("en-GB")} residents${window.whole ? "" : ` over ${window.label}`} (95% CI ${fmt(ci.lower)}–${fmt(ci.upper)}) against a group rate of ${funnel.groupRate === null ? "–" : fmt(funnel.groupRate)}, ${where}.`,
    };
  });
  return {
    groupRate: funnel.groupRate,
    per,
    rows: out,
    above: funnel.above.map((k) => names[k]),
    below: funnel.below.map((k) => names[k]),
    overdispersion: {
      method,
      phi: d?.phi ?? null,
      statistic: d?.statistic ?? null,
      df: d?.df ?? Math.max(0, n - 1),
      pValue: d?.pValue ?? null,
      overdispersed: d?.overdispersed ?? false,
      randomEffects: funnel.tau2 > 0,
      minAreas,
      tau2,
      tau,
      winsorise: d?.winsorise ?? options.winsorise ?? 0.1,
      poissonAbove: poisson.above.map((k) => names[k]),
      poissonBelow: poisson.below.map((k) => names[k]),
      sentence,
    },
    notCompared,
    excluded,
    window,
  };
}

/** The area dimensions' plurals, for sentences. */
const AREA_PLURAL: Partial<Record<LevelDimension, string>> = { district: "districts", ward: "wards", beat: "beats", lsoa: "LSOAs", location: "locations", force: "forces" };
