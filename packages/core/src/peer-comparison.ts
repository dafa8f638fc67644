import { universeCategories } from "./universe.js";
import { comparisonWindows, type ComparisonWindow, type PartialPeriods } from "./comparison-windows.js";
import { coveredSpans } from "./coverage.js";
import { invalidOption } from "./errors.js";
import type { IncidentTable } from "./incident-table.js";
import { levels, type LevelDimension, type LevelsOptions } from "./levels.js";
import { parsePeriod, type Period } from "./periods.js";
import { funnelLimits, type FunnelLimit, type FunnelMethod, type FunnelPosition } from "./stats/funnel-limits.js";
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
  /** Funnel limit method (see `funnelLimits`). Default `"spiegelhalter"`. */
  method?: FunnelMethod;
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
 * limits (95% and 99.8% by default; Spiegelhalter 2005, see `funnelLimits`) and which areas lie
 * outside them. Areas with residents but no row in the table are not peers (`excluded`): a
 * zero there would mean "not in the extract", not "no crime". The period must be covered by
 * the data (see `partial`).
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
  const funnel = funnelLimits(counts, pops, { per, levels: options.limits, method: options.method });
  const confLevel = options.confLevel ?? 0.95;
  const fmt = (v: number) => v.toFixed(1);
  const out: PeerRow[] = funnel.areas.map((a, k) => {
    const ci = poissonInterval(a.count, { exposure: a.population, per, confLevel });
    const widest = a.limits[a.limits.length - 1];
    const where =
      a.position === "above" ? `above the ${(100 * widest.level).toFixed(1)}% upper limit (${fmt(widest.upper)})` : a.position === "below" ? `below the ${(100 * widest.level).toFixed(1)}% lower limit (${fmt(widest.lower)})` : "within the control limits";
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
      sentence: `${names[k]}: ${fmt(a.rate)} per ${per.toLocaleString("en-GB")} residents${window.whole ? "" : ` over ${window.label}`} (95% CI ${fmt(ci.lower)}–${fmt(ci.upper)}) against a group rate of ${funnel.groupRate === null ? "–" : fmt(funnel.groupRate)}, ${where}.`,
    };
  });
  return {
    groupRate: funnel.groupRate,
    per,
    rows: out,
    above: funnel.above.map((k) => names[k]),
    below: funnel.below.map((k) => names[k]),
    notCompared,
    excluded,
    window,
  };
}
