import { categoryLabel } from "./categories.js";
import { comparisonWindows, type ComparisonWindow, type PartialPeriods } from "./comparison-windows.js";
import { coveredSpans } from "./coverage.js";
import { universeCategories } from "./universe.js";
import { invalidOption } from "./errors.js";
import type { IncidentTable } from "./incident-table.js";
import { levels, type LevelDimension, type LevelsOptions } from "./levels.js";
import { financialYearToDate, parsePeriod, rollingTwelveMonths, samePeriodLastYear, type Period } from "./periods.js";
import { poissonETest } from "./stats/poisson-e-test.js";
import { poissonRateTest } from "./stats/poisson-rate-test.js";
import { poissonZ } from "./stats/poisson-z.js";

/** Options for {@link change} and {@link yearOnYear}. */
export interface ChangeOptions extends Pick<LevelsOptions, "groups" | "categories" | "values" | "fyStartMonth" | "coarse"> {
  /** Dimensions compared (not `period`). Default `["category"]`. */
  by?: readonly Exclude<LevelDimension, "period">[];
  /** Significance level for `significant` and the sentence. Default 0.05. */
  alpha?: number;
  /** Confidence level of the rate-ratio interval. Default 0.95. */
  confLevel?: number;
  /** A change is flagged `smallNumbers` when either count is below this. Default 20. */
  smallNumbers?: number;
  /** Readable name of a row for the sentence and its `label` field. Default: the category label, then the other dimensions. */
  label?: (row: ChangeRow) => string;
  /**
   * A period the data cover only in part: `"refuse"` (default) throws `partial-period` naming
   * the covered span; `"equal-windows"` counts only the months covered in both periods;
   * `"rate"` counts each period's covered months and compares rates per day of covered time.
   */
  partial?: PartialPeriods;
}

/** One compared cell. Dimension values are keyed by dimension name. */
export interface ChangeRow {
  [dimension: string]: string | number | boolean | null;
  /**
   * The row's readable name, beside its keys: the category's label (`"Violence and sexual
   * offences"` beside `category: "violent-crime"`), then the other dimensions' values — the
   * name the sentence uses (the `label` option's result when one is given).
   */
  label: string;
  /** Incidents counted in the previous and current windows (the whole periods unless `partial` says otherwise). */
  previous: number;
  current: number;
  /** Days counted in each window: the exposures of the tests. */
  previousDays: number;
  currentDays: number;
  /** current − previous. */
  change: number;
  /**
   * (current − previous) ÷ previous; `null` from a zero base (see `percentReason`). With
   * `partial: "rate"` and windows of different lengths, the change in the rate per day.
   */
  percentChange: number | null;
  percentReason: string | null;
  /** current rate ÷ previous rate, rates per day of each period; `null` when previous is 0. */
  rateRatio: number | null;
  lower: number | null;
  upper: number | null;
  /** Two-sided exact conditional test of equal rates (R `poisson.test(c(current, previous), c(days, days))`). */
  pValue: number | null;
  /** Two-sided Poisson E-test (Krishnamoorthy & Thomson 2004) with the same exposures. */
  eTestPValue: number | null;
  /** Poisson Z = 2(√current − √previous) (meaningful for equal-length periods). */
  poissonZ: number;
  /** `pValue < alpha`. */
  significant: boolean;
  /** Either count is below `smallNumbers`: read percentages with care. */
  smallNumbers: boolean;
  /** e.g. "Bicycle theft rose by 220 (+87.3%) from 2020/21 to 2021/22; this is statistically significant (p < 0.001)." */
  sentence: string;
}

/** Result of {@link change}. */
export interface ChangeResult {
  readonly previous: Period;
  readonly current: Period;
  /** What each side counts: the whole period, or its covered part (see `partial`). */
  readonly windows: { readonly previous: ComparisonWindow; readonly current: ComparisonWindow };
  /** How part-covered periods were handled; `"whole"` when both periods are fully covered. */
  readonly basis: "whole" | "equal-windows" | "rate";
  /** The windows in words, for a report: "" for whole periods. */
  readonly note: string;
  readonly rows: ChangeRow[];
}

const fmtP = (p: number) => (p < 0.001 ? "p < 0.001" : `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`);
const fmtInt = (n: number) => Math.round(n).toLocaleString("en-GB");

/**
 * Compares counts between two periods for every category × area cell: the absolute and %
 * change, the exact conditional test of equal Poisson rates with the periods' lengths in days
 * as exposures (the same p-value and rate-ratio CI as R's `poisson.test(c(current, previous),
 * c(t1, t0))`), the E-test, the Poisson Z, a small-numbers flag and a plain-English sentence.
 * Counting follows {@link levels} (placed by window start, zero-filled).
 *
 * @example
 * change(table, "2020/21", "2021/22").rows[0].sentence
 * // => "Bicycle theft rose by 220 (+87.3%) from 2020/21 to 2021/22; this is statistically significant (p < 0.001)."
 * Only time the data cover is compared (see `coverage`): a period they cover in part is refused,
 * or compared on equal covered windows or as rates per day of covered time (`partial`).
 *
 * @throws InputError `invalid-option` for bad options or periods that overlap; `partial-period`
 *   for a part-covered period with `partial: "refuse"` (the default), or when no covered window
 *   is left to compare.
 */
export function change(table: IncidentTable, previous: Period | string, current: Period | string, options: ChangeOptions = {}): ChangeResult {
  const fn = "change";
  const popts = { zone: table.zone, fyStartMonth: options.fyStartMonth };
  const p0 = typeof previous === "string" ? parsePeriod(previous, popts) : previous;
  const p1 = typeof current === "string" ? parsePeriod(current, popts) : current;
  if (p0.start < p1.end && p1.start < p0.end) invalidOption(fn, "current", `a period that does not overlap ${p0.key}`, p1.key);
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) invalidOption(fn, "alpha", "a number between 0 and 1", alpha);
  const confLevel = options.confLevel ?? 0.95;
  const small = options.smallNumbers ?? 20;
  if (!(small >= 0)) invalidOption(fn, "smallNumbers", "a non-negative number", small);
  const by = options.by ?? ["category"];
  if (!Array.isArray(by) || by.length === 0 || (by as string[]).includes("period")) invalidOption(fn, "by", "a non-empty list of dimensions other than period", by);
  const partial = options.partial ?? "refuse";
  const spans = coveredSpans(table, { categories: universeCategories(options.categories, options.groups) });
  const [w0, w1] = comparisonWindows(spans, [p0, p1], partial, { zone: table.zone, fyStartMonth: options.fyStartMonth, fn });
  const basis = w0.whole && w1.whole ? "whole" : partial === "rate" ? "rate" : "equal-windows";
  const { rows } = levels(table, {
    by: ["period", ...by],
    periods: [...w0.parts, ...w1.parts],
    groups: options.groups,
    categories: options.categories,
    values: options.values,
    fyStartMonth: options.fyStartMonth,
    coarse: options.coarse,
    zeroFill: true,
  });
  const t0 = w0.days;
  const t1 = w1.days;
  const keyOf = (r: Record<string, unknown>) => by.map((d) => String(r[d])).join("\u0000");
  const side = new Map<string, 0 | 1>([...w0.parts.map((q) => [q.key, 0] as const), ...w1.parts.map((q) => [q.key, 1] as const)]);
  const sums = new Map<string, { dims: Record<string, unknown>; n: [number, number] }>();
  for (const r of rows) {
    const k = keyOf(r);
    let c = sums.get(k);
    if (!c) sums.set(k, (c = { dims: Object.fromEntries(by.map((d) => [d, r[d]])), n: [0, 0] }));
    c.n[side.get(String(r.period))!] += r.count;
  }
  const label = options.label ?? ((r: ChangeRow) => [r.category !== undefined && r.category !== null ? categoryLabel(String(r.category)) : null, ...by.filter((d) => d !== "category").map((d) => (r[d] === null ? "(none)" : String(r[d])))].filter((x) => x !== null).join(", "));
  // Month ranges read better by their labels: "in 2022/23 to date (Apr – Oct 2022) compared with …".
  const span =
    basis === "equal-windows"
      ? `in ${w1.label} compared with ${w0.label} (the months covered in both ${p0.key} and ${p1.key})`
      : p0.unit === "range" || p1.unit === "range"
          ? `in ${p1.label} compared with ${p0.label}`
          : `from ${p0.key} to ${p1.key}`;
  const perDay = basis === "rate" && t0 !== t1;
  const out: ChangeRow[] = [];
  for (const { dims, n } of sums.values()) {
    const [a, b] = n;
    const test = poissonRateTest(b, a, { exposures: [t1, t0], confLevel });
    const e = poissonETest(b, a, { exposures: [t1, t0] });
    const row = { ...dims, label: "" } as ChangeRow;
    Object.assign(row, {
      previous: a,
      current: b,
      previousDays: t0,
      currentDays: t1,
      change: b - a,
      percentChange: a > 0 ? (perDay ? (b / t1) / (a / t0) - 1 : (b - a) / a) : null,
      percentReason: a > 0 ? null : "no % change from a zero base",
      rateRatio: test.rateRatio,
      lower: test.lower,
      upper: test.upper,
      pValue: test.pValue,
      eTestPValue: e.pValue,
      poissonZ: poissonZ(b, a).statistic,
      significant: test.pValue !== null && test.pValue < alpha,
      smallNumbers: a < small || b < small,
      sentence: "",
    });
    const name = label(row);
    row.label = name;
    const verdict = test.pValue === null ? "there is too little data to test it" : `this is ${row.significant ? "" : "not "}statistically significant (${fmtP(test.pValue)})`;
    if (perDay) {
      const r1 = b / t1;
      const r0 = a / t0;
      const direction = r1 > r0 ? "rose" : r1 < r0 ? "fell" : "was unchanged";
      const pct = row.percentChange === null ? "" : `, ${r1 > r0 ? "+" : "−"}${Math.abs(100 * row.percentChange).toFixed(1)}% a day`;
      const part = (w: ComparisonWindow) => `${w.period.key}${w.whole ? "" : ` (${w.label} covered)`}`;
      row.sentence = `${name} ${direction} from ${fmtRate(r0)} a day in ${part(w0)} to ${fmtRate(r1)} a day in ${part(w1)}${pct}: ${fmtInt(a)} in ${fmtInt(t0)} days against ${fmtInt(b)} in ${fmtInt(t1)} days; ${verdict}${row.smallNumbers ? "; small numbers" : ""}.`;
    } else {
      const direction = b > a ? "rose" : b < a ? "fell" : "was unchanged";
      const amount = b === a ? "" : ` by ${fmtInt(Math.abs(b - a))}${row.percentChange !== null ? ` (${b > a ? "+" : "−"}${Math.abs(100 * row.percentChange).toFixed(1)}%)` : " (from none)"}`;
      row.sentence = `${name} ${direction}${amount} ${span}${b === a ? ` at ${fmtInt(b)}` : ""}; ${verdict}${row.smallNumbers ? "; small numbers" : ""}.`;
    }
    out.push(row);
  }
  const note =
    basis === "whole"
      ? ""
      : basis === "equal-windows"
        ? `${p0.key} and ${p1.key} are compared over the months the data cover in both: ${w0.label} and ${w1.label}.`
        : `${p0.key} and ${p1.key} are compared as rates per day of covered time: ${w0.whole ? `all of ${p0.key}` : w0.label} (${fmtInt(t0)} days) and ${w1.whole ? `all of ${p1.key}` : w1.label} (${fmtInt(t1)} days).`;
  return { previous: p0, current: p1, windows: { previous: w0, current: w1 }, basis, note, rows: out };
}

const fmtRate = (r: number) => (r === 0 ? "0" : r >= 10 ? r.toFixed(1) : r >= 1 ? r.toFixed(2) : r.toPrecision(2));



/**
 * {@link change} from the same period a year earlier to `current` (a financial year, year,
 * quarter, month, or a month range such as financial year to date).
 *
 * @example
 * yearOnYear(table, "2021/22").previous.key // => "2020/21"
 */
export function yearOnYear(table: IncidentTable, current: Period | string, options: ChangeOptions = {}): ChangeResult {
  const popts = { zone: table.zone, fyStartMonth: options.fyStartMonth };
  const p1 = typeof current === "string" ? parsePeriod(current, popts) : current;
  return change(table, samePeriodLastYear(p1, popts), p1, options);
}

/**
 * {@link change} from the same months of the previous financial year to the financial year
 * to date as at the end of month `asAt` ("2022-10": April–October 2022 against April–October
 * 2021).
 *
 * @example
 * financialYearToDateChange(table, "2022-10").current.key // => "2022-04..2022-10"
 */
export function financialYearToDateChange(table: IncidentTable, asAt: Period | string, options: ChangeOptions = {}): ChangeResult {
  const pair = financialYearToDate(asAt, { zone: table.zone, fyStartMonth: options.fyStartMonth });
  return change(table, pair.previous, pair.current, options);
}

/**
 * {@link change} from the 12 months before to the 12 months ending with month `asAt`
 * ("2022-10": November 2021 – October 2022 against November 2020 – October 2021).
 *
 * @example
 * rollingTwelveMonthsChange(table, "2022-10").previous.key // => "2020-11..2021-10"
 */
export function rollingTwelveMonthsChange(table: IncidentTable, asAt: Period | string, options: ChangeOptions = {}): ChangeResult {
  const pair = rollingTwelveMonths(asAt, { zone: table.zone, fyStartMonth: options.fyStartMonth });
  return change(table, pair.previous, pair.current, options);
}
