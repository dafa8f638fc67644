import { monthAligned, spanLabel } from "./coverage.js";
import { InputError, invalidOption } from "./errors.js";
import { clockFor, periodOf, periodsBetween, type Period, type PeriodOptions } from "./periods.js";
import { coveredMinutes, intersectSpans, mergeSpans, spansContain, type Span } from "./span-set.js";

/**
 * How a comparison treats a period the data cover only in part:
 * - `"refuse"` (default): throw `partial-period`, naming the covered span;
 * - `"equal-windows"`: count only the months (days, for periods that are not whole months)
 *   covered in every compared period — the same months of each year, as financial year to date;
 * - `"rate"`: count each period's covered time and compare rates per day of covered time
 *   (R `poisson.test(c(x1, x0), c(t1, t0))` with `t` the covered days).
 */
export type PartialPeriods = "refuse" | "equal-windows" | "rate";

export const PARTIAL_PERIODS: readonly PartialPeriods[] = ["refuse", "equal-windows", "rate"];

/** The part of a period a comparison counts. */
export interface ComparisonWindow {
  /** The period compared. */
  readonly period: Period;
  /** What is counted: the whole period, or its covered months (days) — distinct keys. */
  readonly parts: Period[];
  /** Days counted (the exposure of rate tests; elapsed days, so a clock change is an hour off). */
  readonly days: number;
  /** Share of the period's time counted (1 = the whole period). */
  readonly fraction: number;
  /** Whether the whole period is counted. */
  readonly whole: boolean;
  /** What is counted, e.g. "2021/22" (whole) or "Apr 2019 – Dec 2019". */
  readonly label: string;
}

/** Options for {@link comparisonWindows}. */
export interface ComparisonWindowsOptions extends PeriodOptions {
  /** Function name for error messages. Default `"comparisonWindows"`. */
  fn?: string;
  /** What a refusal advises. Default: the `partial` modes. */
  advice?: string;
}

/**
 * The windows over which periods are compared, given the time the data cover (`spans`, from
 * `coveredSpans`): each whole period when every one is fully covered; otherwise, by `mode`,
 * an error naming the covered part (`"refuse"`), the months covered in all of them
 * (`"equal-windows"`; periods must have the same number of months, or of days when they are
 * not whole months), or each period's own covered months (`"rate"`).
 *
 * @example
 * // Data for January–December 2019, financial years 2018/19 and 2019/20:
 * comparisonWindows(spans, [fy1819, fy1920], "rate").map((w) => w.label) // => ["Jan 2019 – Mar 2019", "Apr 2019 – Dec 2019"]
 * @throws InputError `partial-period` when a period is part-covered and `mode` is `"refuse"`,
 *   or when no part of a period can be counted; `invalid-option` for a bad mode, or periods
 *   of different lengths with `"equal-windows"`.
 */
export function comparisonWindows(spans: readonly Span[], periods: readonly Period[], mode: PartialPeriods = "refuse", options: ComparisonWindowsOptions = {}): ComparisonWindow[] {
  const fn = options.fn ?? "comparisonWindows";
  const zone = options.zone ?? "Europe/London";
  if (!PARTIAL_PERIODS.includes(mode)) invalidOption(fn, "partial", '"refuse", "equal-windows" or "rate"', mode);
  const cover = mergeSpans(spans);
  const whole = (p: Period): ComparisonWindow => ({ period: p, parts: [p], days: (p.end - p.start) / 1440, fraction: 1, whole: true, label: p.key });
  const full = periods.map((p) => coveredMinutes(cover, p.start, p.end) === p.end - p.start);
  if (full.every(Boolean)) return periods.map(whole);
  if (mode === "refuse") {
    const k = full.indexOf(false);
    const advice = options.advice ?? 'Compare the months covered in every period with partial: "equal-windows", or rates per day of covered time with partial: "rate"';
    throw new InputError("partial-period", `${fn}: ${describeCoverage(periods[k], cover, zone)}. ${advice}`);
  }
  // Whole months when every period is whole months and the covered time starts and ends on
  // month boundaries inside them (police.uk files), else whole days (records, declared windows).
  const clock = clockFor(zone);
  const monthStart = (t: number) => {
    const q = clock.parts(t);
    return q.day === 1 && q.hour === 0 && q.minute === 0;
  };
  const byMonth =
    periods.every((p) => monthAligned(p, zone) !== null) &&
    cover.every((s) => periods.every((p) => (s.start <= p.start || s.start >= p.end || monthStart(s.start)) && (s.end <= p.start || s.end >= p.end || monthStart(s.end))));
  const popts: PeriodOptions = { zone, fyStartMonth: options.fyStartMonth };
  const unit = byMonth ? "month" : "day";
  const subs = periods.map((p) => periodsBetween(periodOf(p.start, unit, popts), periodOf(p.end - 1, unit, popts), unit, popts));
  const inside = subs.map((list) => list.map((s) => spansContain(cover, s.start, s.end)));
  let keep: boolean[][];
  if (mode === "equal-windows") {
    // Sub-periods are matched by their place in the period (the k-th month, or day, of each);
    // days of months of different lengths (28–31) match as far as the shortest goes.
    const lengths = subs.map((l) => l.length);
    const n = Math.min(...lengths);
    if (byMonth ? lengths.some((l) => l !== n) : Math.max(...lengths) * 28 > 31 * n) invalidOption(fn, "partial", `"refuse" or "rate" for periods of different lengths (${periods.map((p) => p.key).join(", ")})`, mode);
    const common = Array.from({ length: n }, (_, k) => inside.every((l) => l[k]));
    if (!common.some(Boolean)) {
      throw new InputError("partial-period", `${fn}: no ${unit} is covered in every one of ${periods.map((p) => p.key).join(", ")} (${periods.map((p) => describeCoverage(p, cover, zone)).join("; ")}); there are no equal windows to compare`);
    }
    keep = subs.map((l) => l.map((_, k) => k < n && common[k]));
  } else keep = inside;
  return periods.map((p, j) => {
    if (full[j] && keep[j].every(Boolean)) return whole(p);
    const parts = subs[j].filter((_, k) => keep[j][k]);
    if (parts.length === 0) throw new InputError("partial-period", `${fn}: ${describeCoverage(p, cover, zone)}; it has no whole ${unit} to count`);
    const runs = mergeSpans(parts);
    const days = parts.reduce((s, q) => s + (q.end - q.start) / 1440, 0);
    return { period: p, parts, days, fraction: (days * 1440) / (p.end - p.start), whole: false, label: runs.map((r) => spanLabel(r, zone)).join(", ") };
  });
}

/** "2019/20 (Apr 2019 – Mar 2020) is only partly covered by the data: Apr 2019 – Dec 2019 (275 of 366 days)". */
export function describeCoverage(p: Period, cover: readonly Span[], zone: string): string {
  const parts = intersectSpans(cover, [p]);
  const total = Math.round((p.end - p.start) / 1440);
  const name = p.label === p.key ? p.key : `${p.key} (${p.label})`;
  if (parts.length === 0) return `${name} is not covered by the data at all`;
  const days = Math.round(parts.reduce((s, q) => s + (q.end - q.start), 0) / 1440);
  return `${name} is only partly covered by the data: ${parts.map((q) => spanLabel(q, zone)).join(", ")} (${days} of ${total} days)`;
}
