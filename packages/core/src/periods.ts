import { InputError, invalidOption, describeValue } from "./errors.js";
import { LocalClock, daysFromCivil, civilFromDays, checkZone } from "./local-time.js";

/** Calendar units a period can have. `range` is an arbitrary half-open span of whole months. */
export type PeriodUnit = "day" | "isoWeek" | "month" | "quarter" | "year" | "financialYear" | "range";

/**
 * A half-open time span `[start, end)` in epoch minutes, with a readable key:
 * `"2021-07-14"` (day), `"2021-W05"` (ISO week), `"2021-07"` (month), `"2021-Q3"` (calendar
 * quarter), `"2021"` (year), `"2021/22"` (financial year), `"2021-04..2021-10"` (range of months).
 */
export interface Period {
  readonly key: string;
  readonly unit: PeriodUnit;
  readonly start: number;
  readonly end: number;
  /** A human label, e.g. "Apr 2021 – Mar 2022" or "April 2022". */
  readonly label: string;
}

/** Options shared by period functions. */
export interface PeriodOptions {
  /** IANA zone in which periods are reckoned. Default `"Europe/London"`. */
  zone?: string;
  /** First month (1–12) of the financial year. Default 4 (April, the UK performance year). */
  fyStartMonth?: number;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const FULL_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
/** English month abbreviations, January first (for labels). */
export const MONTH_ABBREVIATIONS: readonly string[] = MONTHS;
/** English month names, January first (for labels). */
export const MONTH_NAMES: readonly string[] = FULL_MONTHS;
const pad2 = (n: number) => (n < 10 ? "0" : "") + n;
const monthKey = (ordinal: number) => `${Math.floor(ordinal / 12)}-${pad2((ordinal % 12) + 1)}`;
const clocks = new Map<string, LocalClock>();

/** A shared {@link LocalClock} per zone. */
export function clockFor(zone: string): LocalClock {
  let c = clocks.get(zone);
  if (!c) clocks.set(zone, (c = new LocalClock(zone)));
  return c;
}

function settings(fn: string, options: PeriodOptions): { zone: string; fy: number; clock: LocalClock } {
  const zone = checkZone(fn, options.zone ?? "Europe/London");
  const fy = options.fyStartMonth ?? 4;
  if (!Number.isInteger(fy) || fy < 1 || fy > 12) invalidOption(fn, "fyStartMonth", "an integer from 1 to 12", fy);
  return { zone, fy, clock: clockFor(zone) };
}

/** Financial-year label: `2021/22` for the year starting in 2021. */
export function financialYearKey(startYear: number): string {
  return `${startYear}/${pad2((startYear + 1) % 100)}`;
}

function fmtMonth(ordinal: number): string {
  return `${MONTHS[ordinal % 12]} ${Math.floor(ordinal / 12)}`;
}

/** The period of months `[first, last]` (month ordinals = year × 12 + month − 1). */
function monthSpan(clock: LocalClock, first: number, last: number, key: string, unit: PeriodUnit, label?: string): Period {
  const start = clock.fromLocal(Math.floor(first / 12), (first % 12) + 1, 1);
  const after = last + 1;
  const end = clock.fromLocal(Math.floor(after / 12), (after % 12) + 1, 1);
  const lbl = label ?? (first === last ? `${FULL_MONTHS[first % 12]} ${Math.floor(first / 12)}` : `${fmtMonth(first)} – ${fmtMonth(last)}`);
  return { key, unit, start, end, label: lbl };
}

/** ISO week-year and week of a local day number. */
function isoWeekOf(days: number): { year: number; week: number } {
  const weekday = ((((days + 3) % 7) + 7) % 7) + 1;
  const thursday = days + (4 - weekday);
  const d = { year: 0, month: 0, day: 0 };
  civilFromDays(thursday, d);
  const jan1 = daysFromCivil(d.year, 1, 1);
  return { year: d.year, week: Math.floor((thursday - jan1) / 7) + 1 };
}

function dayPeriod(clock: LocalClock, days: number): Period {
  const d = { year: 0, month: 0, day: 0 };
  civilFromDays(days, d);
  const next = { year: 0, month: 0, day: 0 };
  civilFromDays(days + 1, next);
  return {
    key: `${d.year}-${pad2(d.month)}-${pad2(d.day)}`,
    unit: "day",
    start: clock.fromLocal(d.year, d.month, d.day),
    end: clock.fromLocal(next.year, next.month, next.day),
    label: `${d.day} ${MONTHS[d.month - 1]} ${d.year}`,
  };
}

function weekPeriod(clock: LocalClock, year: number, week: number): Period {
  const jan4 = daysFromCivil(year, 1, 4);
  const wd = ((((jan4 + 3) % 7) + 7) % 7) + 1;
  const monday = jan4 - (wd - 1) + (week - 1) * 7;
  const a = { year: 0, month: 0, day: 0 };
  const b = { year: 0, month: 0, day: 0 };
  civilFromDays(monday, a);
  civilFromDays(monday + 7, b);
  return {
    key: `${year}-W${pad2(week)}`,
    unit: "isoWeek",
    start: clock.fromLocal(a.year, a.month, a.day),
    end: clock.fromLocal(b.year, b.month, b.day),
    label: `week ${week} ${year} (from ${a.day} ${MONTHS[a.month - 1]})`,
  };
}

/** Ordinal of a period in its unit (used to step through periods). */
function periodOrdinal(unit: PeriodUnit, year: number, month: number, days: number, fy: number): number {
  switch (unit) {
    case "day":
      return days;
    case "isoWeek": {
      const w = isoWeekOf(days);
      return weekPeriodOrdinal(w.year, w.week);
    }
    case "month":
      return year * 12 + month - 1;
    case "quarter":
      return year * 4 + Math.floor((month - 1) / 3);
    case "year":
      return year;
    case "financialYear":
      return month >= fy ? year : year - 1;
    default:
      throw new InputError("invalid-option", `periodOf: unit must be one of day, isoWeek, month, quarter, year, financialYear, got ${describeValue(unit)}`);
  }
}

/** Monday of ISO week 1 as a day number, divided into weeks: a running week ordinal. */
function weekPeriodOrdinal(year: number, week: number): number {
  const jan4 = daysFromCivil(year, 1, 4);
  const wd = ((((jan4 + 3) % 7) + 7) % 7) + 1;
  const monday = jan4 - (wd - 1) + (week - 1) * 7;
  return Math.floor((monday + 3) / 7); // 1970-01-05 (Monday) is ordinal 1
}

/** The period with the given ordinal. */
function periodFromOrdinal(unit: PeriodUnit, ordinal: number, clock: LocalClock, fy: number): Period {
  switch (unit) {
    case "day":
      return dayPeriod(clock, ordinal);
    case "isoWeek": {
      const monday = ordinal * 7 - 3;
      const w = isoWeekOf(monday);
      return weekPeriod(clock, w.year, w.week);
    }
    case "month":
      return monthSpan(clock, ordinal, ordinal, monthKey(ordinal), "month");
    case "quarter": {
      const y = Math.floor(ordinal / 4);
      const q = ordinal - y * 4;
      return monthSpan(clock, y * 12 + q * 3, y * 12 + q * 3 + 2, `${y}-Q${q + 1}`, "quarter");
    }
    case "year":
      return monthSpan(clock, ordinal * 12, ordinal * 12 + 11, String(ordinal), "year", String(ordinal));
    case "financialYear": {
      const first = ordinal * 12 + fy - 1;
      return monthSpan(clock, first, first + 11, fy === 1 ? String(ordinal) : financialYearKey(ordinal), "financialYear");
    }
    default:
      throw new InputError("invalid-option", `periodOf: unit must be a calendar unit, got ${describeValue(unit)}`);
  }
}

/**
 * Returns the period of the given unit that contains the instant `epochMinute`
 * (local time in `options.zone`).
 *
 * @example
 * periodOf(Date.UTC(2022, 2, 31, 23, 30) / 60000, "financialYear").key // => "2022/23" (00:30 BST on 1 April)
 */
export function periodOf(epochMinute: number, unit: PeriodUnit, options: PeriodOptions = {}): Period {
  const { clock, fy } = settings("periodOf", options);
  if (!Number.isFinite(epochMinute)) invalidOption("periodOf", "epochMinute", "a finite number", epochMinute);
  const p = clock.parts(epochMinute);
  const days = clock.localDay(epochMinute);
  return periodFromOrdinal(unit, periodOrdinal(unit, p.year, p.month, days, fy), clock, fy);
}

const KEY_PATTERNS: [RegExp, PeriodUnit][] = [
  [/^(\d{4})-(\d{2})-(\d{2})$/, "day"],
  [/^(\d{4})-W(\d{2})$/, "isoWeek"],
  [/^(\d{4})-(\d{2})$/, "month"],
  [/^(\d{4})-Q([1-4])$/, "quarter"],
  [/^(\d{4})\/(\d{2})$/, "financialYear"],
  [/^(\d{4})$/, "year"],
];

/**
 * Parses a period key (`"2021/22"`, `"2021-Q3"`, `"2021-07"`, `"2021-W05"`, `"2021"`,
 * `"2021-07-14"`, or a month range `"2021-04..2021-10"`).
 *
 * @throws InputError `invalid-date` when the key has none of those forms or names an impossible date.
 */
export function parsePeriod(key: string, options: PeriodOptions = {}): Period {
  const { clock, fy } = settings("parsePeriod", options);
  if (typeof key !== "string") throw new InputError("invalid-date", `parsePeriod: key must be a period key such as "2021/22" or "2021-07", got ${describeValue(key)}`);
  const range = /^(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})$/.exec(key);
  if (range) {
    const a = +range[1] * 12 + +range[2] - 1;
    const b = +range[3] * 12 + +range[4] - 1;
    if (+range[2] < 1 || +range[2] > 12 || +range[4] < 1 || +range[4] > 12 || b < a) {
      throw new InputError("invalid-date", `parsePeriod: key must be a range of months first..last, got ${describeValue(key)}`);
    }
    return monthSpan(clock, a, b, key, "range");
  }
  for (const [re, unit] of KEY_PATTERNS) {
    const m = re.exec(key);
    if (!m) continue;
    const y = +m[1];
    const bad = () => {
      throw new InputError("invalid-date", `parsePeriod: key ${describeValue(key)} is not a valid ${unit}`);
    };
    switch (unit) {
      case "day": {
        const mo = +m[2];
        const d = +m[3];
        const days = daysFromCivil(y, mo, d);
        const c = { year: 0, month: 0, day: 0 };
        civilFromDays(days, c);
        if (mo < 1 || mo > 12 || c.month !== mo || c.day !== d) bad();
        return dayPeriod(clock, days);
      }
      case "isoWeek": {
        const w = +m[2];
        const last = isoWeekOf(daysFromCivil(y, 12, 28)).week;
        if (w < 1 || w > last) bad();
        return weekPeriod(clock, y, w);
      }
      case "month": {
        const mo = +m[2];
        if (mo < 1 || mo > 12) bad();
        return periodFromOrdinal("month", y * 12 + mo - 1, clock, fy);
      }
      case "quarter":
        return periodFromOrdinal("quarter", y * 4 + +m[2] - 1, clock, fy);
      case "financialYear":
        if (+m[2] !== (y + 1) % 100) bad();
        return periodFromOrdinal("financialYear", y, clock, fy);
      case "year":
        return periodFromOrdinal("year", y, clock, fy);
    }
  }
  throw new InputError("invalid-date", `parsePeriod: key must be a period key such as "2021/22", "2021-Q3", "2021-07", "2021-W05", "2021" or "2021-07-14", got ${describeValue(key)}`);
}

/** Returns the period `n` units after `period` (before when negative). */
export function shiftPeriod(period: Period, n: number, options: PeriodOptions = {}): Period {
  const { clock, fy } = settings("shiftPeriod", options);
  if (!Number.isInteger(n)) invalidOption("shiftPeriod", "n", "an integer", n);
  if (period.unit === "range") {
    const [a, b] = rangeMonths(period, clock);
    const len = b - a + 1;
    return monthSpan(clock, a + n * len, b + n * len, `${monthKey(a + n * len)}..${monthKey(b + n * len)}`, "range");
  }
  const p = clock.parts(period.start);
  const ord = periodOrdinal(period.unit, p.year, p.month, clock.localDay(period.start), fy);
  return periodFromOrdinal(period.unit, ord + n, clock, fy);
}

function rangeMonths(period: Period, clock: LocalClock): [number, number] {
  const a = clock.parts(period.start);
  const b = clock.parts(period.end - 1);
  return [a.year * 12 + a.month - 1, b.year * 12 + b.month - 1];
}

/** Every period of `unit` from the one containing `first`'s start to the one containing `last`'s start, in order. */
export function periodsBetween(first: Period | string, last: Period | string, unit?: PeriodUnit, options: PeriodOptions = {}): Period[] {
  const { clock, fy } = settings("periodsBetween", options);
  const a = typeof first === "string" ? parsePeriod(first, options) : first;
  const b = typeof last === "string" ? parsePeriod(last, options) : last;
  const u = unit ?? a.unit;
  if (u === "range") invalidOption("periodsBetween", "unit", "a calendar unit", u);
  const pa = clock.parts(a.start);
  const pb = clock.parts(b.start);
  const oa = periodOrdinal(u, pa.year, pa.month, clock.localDay(a.start), fy);
  const ob = periodOrdinal(u, pb.year, pb.month, clock.localDay(b.start), fy);
  const out: Period[] = [];
  for (let o = oa; o <= ob; ++o) out.push(periodFromOrdinal(u, o, clock, fy));
  return out;
}

/** The same span one year earlier (a month range, month, quarter, year or financial year). */
export function samePeriodLastYear(period: Period, options: PeriodOptions = {}): Period {
  const { clock } = settings("samePeriodLastYear", options);
  switch (period.unit) {
    case "month":
      return shiftPeriod(period, -12, options);
    case "quarter":
      return shiftPeriod(period, -4, options);
    case "year":
    case "financialYear":
      return shiftPeriod(period, -1, options);
    case "range": {
      const [a, b] = rangeMonths(period, clock);
      return monthSpan(clock, a - 12, b - 12, `${monthKey(a - 12)}..${monthKey(b - 12)}`, "range");
    }
    case "isoWeek": {
      const p = /^(\d{4})-W(\d{2})$/.exec(period.key)!;
      const y = +p[1] - 1;
      const last = isoWeekOf(daysFromCivil(y, 12, 28)).week;
      return weekPeriod(clock, y, Math.min(+p[2], last));
    }
    case "day": {
      const c = { year: 0, month: 0, day: 0 };
      civilFromDays(clock.localDay(period.start), c);
      const day = c.month === 2 && c.day === 29 ? 28 : c.day;
      return dayPeriod(clock, daysFromCivil(c.year - 1, c.month, day));
    }
  }
}

function asAtMonth(fn: string, asAt: string | Period, options: PeriodOptions): number {
  const p = typeof asAt === "string" ? parsePeriod(asAt, options) : asAt;
  if (p.unit !== "month") invalidOption(fn, "asAt", "a month key such as \"2022-10\" (progress as at the end of that month)", typeof asAt === "string" ? asAt : p.key);
  const { clock } = settings(fn, options);
  const parts = clock.parts(p.start);
  return parts.year * 12 + parts.month - 1;
}

/** A current span and the span it is compared with. */
export interface PeriodPair {
  readonly current: Period;
  readonly previous: Period;
}

/**
 * Financial year to date as at the end of month `asAt`, and the same months a year before.
 *
 * @example
 * financialYearToDate("2022-10").current.key // => "2022-04..2022-10"
 */
export function financialYearToDate(asAt: string | Period, options: PeriodOptions = {}): PeriodPair {
  const { clock, fy } = settings("financialYearToDate", options);
  const m = asAtMonth("financialYearToDate", asAt, options);
  const first = m - ((((m % 12) - (fy - 1)) % 12) + 12) % 12;
  const fyYear = Math.floor(first / 12);
  const label = (a: number, b: number) => `${fy === 1 ? fyYear : financialYearKey(Math.floor(a / 12))} to date (${fmtMonth(a)} – ${fmtMonth(b)})`;
  return {
    current: monthSpan(clock, first, m, `${monthKey(first)}..${monthKey(m)}`, "range", label(first, m)),
    previous: monthSpan(clock, first - 12, m - 12, `${monthKey(first - 12)}..${monthKey(m - 12)}`, "range", label(first - 12, m - 12)),
  };
}

/** The 12 months ending with month `asAt`, and the 12 months before them. */
export function rollingTwelveMonths(asAt: string | Period, options: PeriodOptions = {}): PeriodPair {
  const { clock } = settings("rollingTwelveMonths", options);
  const m = asAtMonth("rollingTwelveMonths", asAt, options);
  return {
    current: monthSpan(clock, m - 11, m, `${monthKey(m - 11)}..${monthKey(m)}`, "range"),
    previous: monthSpan(clock, m - 23, m - 12, `${monthKey(m - 23)}..${monthKey(m - 12)}`, "range"),
  };
}

/** Whether a unit needs records known to the day (day, ISO week) or only to the month. */
export function unitPrecision(unit: PeriodUnit): number {
  return unit === "day" || unit === "isoWeek" ? 2 : unit === "year" ? 4 : 3;
}

/** Options for {@link periodIndex}. */
export interface PeriodIndexOptions extends PeriodOptions {
  /**
   * What to do with records whose time is coarser than the unit needs (a month-precision
   * record asked for its day or week): `"error"` (default) throws `precision-too-coarse`;
   * `"exclude"` leaves them out and counts them in `excluded`.
   */
  coarse?: "error" | "exclude";
}

/** Result of {@link periodIndex}. */
export interface PeriodIndexResult {
  /** Period ordinal per row; -1 where the row was excluded as too coarse. */
  readonly ordinal: Int32Array;
  /** The periods by ordinal, from the smallest to the largest ordinal seen. */
  readonly periods: Period[];
  /** `ordinal - offset` indexes `periods`. */
  readonly offset: number;
  /** Rows left out because their precision is coarser than the unit. */
  readonly excluded: number;
}

/**
 * Places each incident in a period of `unit` by the local time of the start of its
 * occurrence window (for a from/to window, the earliest possible time). A record whose
 * precision is coarser than the unit is never placed on a day or week it may not belong to.
 *
 * @throws InputError `precision-too-coarse` when such records exist and `coarse` is `"error"`.
 */
export function periodIndex(
  data: { readonly length: number; readonly start: Int32Array; readonly precision: Uint8Array },
  unit: Exclude<PeriodUnit, "range">,
  options: PeriodIndexOptions = {},
): PeriodIndexResult {
  const { clock, fy } = settings("periodIndex", options);
  const coarse = options.coarse ?? "error";
  if (coarse !== "error" && coarse !== "exclude") invalidOption("periodIndex", "coarse", '"error" or "exclude"', coarse);
  const need = unitPrecision(unit);
  const n = data.length;
  const ordinal = new Int32Array(n);
  let excluded = 0;
  let lo = Infinity;
  let hi = -Infinity;
  const parts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, weekday: 0 };
  // The last start's ordinal is remembered: rows come in runs of one start (a police.uk month,
  // an extract sorted by time), so most rows cost a comparison rather than a calendar reckoning.
  let lastT = NaN;
  let lastO = 0;
  for (let i = 0; i < n; ++i) {
    if (data.precision[i] > need) {
      if (coarse === "error") {
        throw new InputError(
          "precision-too-coarse",
          `periodIndex: records must be known to the ${need === 2 ? "day" : "month"} for ${unit} periods, got a ${["minute", "hour", "day", "month", "year"][data.precision[i]]}-precision record at row ${i}; use coarse: "exclude" or a coarser unit`,
        );
      }
      ordinal[i] = -1;
      excluded += 1;
      continue;
    }
    const t = data.start[i];
    let o = lastO;
    if (t !== lastT) {
      clock.parts(t, parts);
      o = lastO = periodOrdinal(unit, parts.year, parts.month, unit === "day" || unit === "isoWeek" ? clock.localDay(t) : 0, fy);
      lastT = t;
    }
    ordinal[i] = o;
    if (o < lo) lo = o;
    if (o > hi) hi = o;
  }
  const periods: Period[] = [];
  if (lo <= hi) for (let o = lo; o <= hi; ++o) periods.push(periodFromOrdinal(unit, o, clock, fy));
  return { ordinal, periods, offset: lo <= hi ? lo : 0, excluded };
}

/** The ordinal of a (non-range) period in its unit, for matching against {@link periodIndex}. */
export function periodOrdinalOf(period: Period, options: PeriodOptions = {}): number {
  const { clock, fy } = settings("periodOrdinalOf", options);
  if (period.unit === "range") invalidOption("periodOrdinalOf", "period", "a calendar period, not a range", period.key);
  const p = clock.parts(period.start);
  return periodOrdinal(period.unit, p.year, p.month, clock.localDay(period.start), fy);
}
