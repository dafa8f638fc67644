import { categoryLabel } from "./categories.js";
import { universeCategories } from "./universe.js";
import { comparisonWindows, type ComparisonWindow, type PartialPeriods } from "./comparison-windows.js";
import { coveredSpans } from "./coverage.js";
import { invalidOption } from "./errors.js";
import type { IncidentTable } from "./incident-table.js";
import { levels, type LevelDimension, type LevelsOptions } from "./levels.js";
import { parsePeriod, samePeriodLastYear, type Period } from "./periods.js";
import { poissonRateTest } from "./stats/poisson-rate-test.js";

/** Options for {@link comparePrevious}. */
export interface ComparePreviousOptions extends Pick<LevelsOptions, "groups" | "categories" | "values" | "fyStartMonth" | "coarse"> {
  /** How many earlier years to compare with. Default 3. */
  years?: number;
  /** Dimensions compared (not `period`). Default `["category"]`. */
  by?: readonly Exclude<LevelDimension, "period">[];
  /** Significance level. Default 0.05. */
  alpha?: number;
  /**
   * A year the data cover only in part: `"refuse"` (default) throws `partial-period`;
   * `"equal-windows"` counts only the months covered in every one of the years;
   * `"rate"` compares rates per day of each year's covered time.
   */
  partial?: PartialPeriods;
}

/** One cell compared with the same period in each of the previous `years` years. */
export interface ComparePreviousRow {
  [dimension: string]: string | number | boolean | null | number[];
  current: number;
  /** Counts of the same period in earlier years, oldest first. */
  previous: number[];
  /**
   * Mean of `previous`. With `partial: "rate"` and windows of different lengths: the count
   * expected in the current window at the earlier years' pooled rate per day.
   */
  average: number;
  /** (current − average) ÷ average; `null` when the average is 0. */
  percentFromAverage: number | null;
  /** Rate ratio current ÷ the earlier years' pooled rate (per day), with an exact CI. */
  rateRatio: number | null;
  lower: number | null;
  upper: number | null;
  /** Exact conditional test of the current rate against the pooled earlier rate (R `poisson.test(c(current, sum(previous)), c(t, sum(t_i)))`). */
  pValue: number | null;
  significant: boolean;
  /** 1 = the highest of the `years + 1` periods (ties share the best rank; rates per day with `partial: "rate"`). */
  rankHighest: number;
  /** Whether the current count is the highest (or lowest) of all `years + 1` periods, ties included. */
  highest: boolean;
  lowest: boolean;
  sentence: string;
}

/** Result of {@link comparePrevious}. */
export interface ComparePreviousResult {
  readonly current: Period;
  /** The earlier periods, oldest first. */
  readonly previous: Period[];
  /** What each period counts, oldest first and the current last (see `partial`). */
  readonly windows: ComparisonWindow[];
  /** How part-covered years were handled; `"whole"` when every year is fully covered. */
  readonly basis: "whole" | "equal-windows" | "rate";
  /** The windows in words ("" for whole periods). */
  readonly note: string;
  readonly rows: ComparePreviousRow[];
}

/**
 * Compares a period with the same period in each of the previous N years: "highest burglary
 * rate in three years", "fires above the two-year average". The test pools the earlier years:
 * the exact conditional Poisson test of the current rate against the earlier years' combined
 * rate, each year's length in days as exposure (R `poisson.test(c(x, sum(prev)), c(t, sum(t_prev)))`).
 *
 * @example
 * comparePrevious(table, "2021/22", { years: 2 }).rows[0].sentence
 * // => "Burglary in 2021/22 (713) was the lowest in 3 years, 22.8% below the average of the previous 2 years (923.5); this is statistically significant (p < 0.001)."
 * @throws InputError `invalid-option` for bad options; `partial-period` for a year the data do
 *   not wholly cover (see `partial`).
 */
export function comparePrevious(table: IncidentTable, current: Period | string, options: ComparePreviousOptions = {}): ComparePreviousResult {
  const fn = "comparePrevious";
  const popts = { zone: table.zone, fyStartMonth: options.fyStartMonth };
  const years = options.years ?? 3;
  if (!Number.isInteger(years) || years < 1 || years > 50) invalidOption(fn, "years", "an integer from 1 to 50", years);
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) invalidOption(fn, "alpha", "a number between 0 and 1", alpha);
  const by = options.by ?? ["category"];
  if (!Array.isArray(by) || by.length === 0 || (by as string[]).includes("period")) invalidOption(fn, "by", "a non-empty list of dimensions other than period", by);
  const p1 = typeof current === "string" ? parsePeriod(current, popts) : current;
  const earlier: Period[] = [];
  let p = p1;
  for (let k = 0; k < years; ++k) earlier.unshift((p = samePeriodLastYear(p, popts)));
  const all = [...earlier, p1];
  const partial = options.partial ?? "refuse";
  const spans = coveredSpans(table, { categories: universeCategories(options.categories, options.groups) });
  const windows = comparisonWindows(spans, all, partial, { zone: table.zone, fyStartMonth: options.fyStartMonth, fn });
  const basis = windows.every((w) => w.whole) ? "whole" : partial === "rate" ? "rate" : "equal-windows";
  const parts = windows.flatMap((w) => w.parts);
  const sideOf = new Map<string, number>();
  windows.forEach((w, k) => w.parts.forEach((q) => sideOf.set(q.key, k)));
  const { rows } = levels(table, { by: ["period", ...by], periods: parts, groups: options.groups, categories: options.categories, values: options.values, fyStartMonth: options.fyStartMonth, coarse: options.coarse });
  const days = windows.map((w) => w.days);
  const perDay = basis === "rate" && days.some((d) => d !== days[0]);
  const keyOf = (r: Record<string, unknown>) => by.map((d) => String(r[d])).join("\u0000");
  const counts = new Map<string, { dims: Record<string, unknown>; n: number[] }>();
  for (const r of rows) {
    const k = keyOf(r);
    let c = counts.get(k);
    if (!c) counts.set(k, (c = { dims: Object.fromEntries(by.map((d) => [d, r[d]])), n: new Array(all.length).fill(0) }));
    c.n[sideOf.get(String(r.period))!] += r.count;
  }
  const out: ComparePreviousRow[] = [];
  for (const { dims, n } of counts.values()) {
    const x = n[years];
    const prev = n.slice(0, years);
    const sumPrev = prev.reduce((a, b) => a + b, 0);
    const prevDays = days.slice(0, years).reduce((a, b) => a + b, 0);
    const average = perDay ? (sumPrev / prevDays) * days[years] : sumPrev / years;
    const test = poissonRateTest(x, sumPrev, { exposures: [days[years], prevDays] });
    // Rank by count, or by rate per day when the windows differ in length.
    const level = (k: number) => (perDay ? n[k] / days[k] : n[k]);
    const prevLevels = prev.map((_, k) => level(k));
    const xLevel = level(years);
    const rankHighest = 1 + prevLevels.filter((v) => v > xLevel).length;
    const row = { ...dims } as ComparePreviousRow;
    Object.assign(row, {
      current: x,
      previous: prev,
      average,
      percentFromAverage: average > 0 ? (x - average) / average : null,
      rateRatio: test.rateRatio,
      lower: test.lower,
      upper: test.upper,
      pValue: test.pValue,
      significant: test.pValue !== null && test.pValue < alpha,
      rankHighest,
      highest: prevLevels.every((v) => v <= xLevel),
      lowest: prevLevels.every((v) => v >= xLevel),
    });
    const name = dims.category !== undefined && dims.category !== null ? categoryLabel(String(dims.category)) : by.map((d) => String(dims[d])).join(", ");
    const extreme = row.highest && !row.lowest ? `was the highest in ${years + 1} years` : row.lowest && !row.highest ? `was the lowest in ${years + 1} years` : null;
    const avg = Number.isInteger(average) ? String(average) : average.toFixed(1);
    const yrs = `the previous ${years} year${years > 1 ? "s" : ""}`;
    const vsAvg =
      row.percentFromAverage === null
        ? `against ${perDay ? "a rate of 0" : "an average of 0"} in ${yrs}`
        : perDay
          ? `${Math.abs(100 * row.percentFromAverage).toFixed(1)}% ${x >= average ? "above" : "below"} the rate per day of ${yrs} (${avg} expected at that rate)`
          : `${Math.abs(100 * row.percentFromAverage).toFixed(1)}% ${x >= average ? "above" : "below"} the average of ${yrs} (${avg})`;
    const p = test.pValue;
    const verdict = p === null ? "there is too little data to test it" : `this is ${row.significant ? "" : "not "}statistically significant (${p < 0.001 ? "p < 0.001" : `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`})`;
    const when = windows[years].whole ? p1.key : `${p1.key} (${windows[years].label})`;
    row.sentence = `${name} in ${when} (${x}) ${extreme ? `${extreme}${perDay ? " by rate per day" : ""}, ` : "was "}${vsAvg}; ${verdict}.`;
    out.push(row);
  }
  const note =
    basis === "whole"
      ? ""
      : basis === "equal-windows"
        ? `Each year is counted over the months the data cover in all of them: ${windows.map((w) => `${w.period.key} ${w.label}`).join("; ")}.`
        : `Years are compared as rates per day of covered time: ${windows.map((w) => `${w.period.key} ${w.whole ? "(whole)" : w.label} (${Math.round(w.days)} days)`).join("; ")}.`;
  return { current: p1, previous: earlier, windows, basis, note, rows: out };
}
