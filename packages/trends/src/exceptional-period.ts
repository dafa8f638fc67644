import { IANAZone } from "luxon";
import {
  InputError,
  PRECISION,
  PRECISIONS,
  civilFromDays,
  coveredSpans,
  spansContain,
  clockFor,
  daysFromCivil,
  daysInMonth,
  failInput,
  invalidOption,
  poissonRateTest,
  type Alternative,
  type IncidentTable,
  type PoissonRateTestResult,
} from "@community-safety/core";

/** Daily counts keyed by local date: `dates[i]` (`"YYYY-MM-DD"`, distinct) has `counts[i]` incidents. */
export interface DailyCounts {
  readonly dates: readonly string[];
  readonly counts: ArrayLike<number>;
}

/** A calendar day of the year as `[month, day]`, e.g. `[10, 31]` for 31 October. */
export type MonthDay = readonly [number, number];

/** Options for {@link exceptionalPeriod}. */
export interface ExceptionalPeriodOptions {
  /**
   * The days compared, as `[month, day]` in calendar order, e.g. Halloween `[[10, 30], [10, 31]]`
   * or Bonfire night `[[11, 5]]`. A day earlier in the calendar than the one before it falls in
   * the next year, so `[[12, 31], [1, 1]]` is New Year's Eve and New Year's Day. 29 February is
   * refused (it is missing three years in four). Required.
   */
  monthDays: readonly MonthDay[];
  /** Year of the (first) day examined. Default: the latest year whose days the data cover. */
  year?: number;
  /** How many earlier years the count is compared with, a positive integer. Default 3. */
  years?: number;
  /** Table form: IANA zone whose local dates are counted. Default the table's `zone`. */
  zone?: string;
  /**
   * Table form: records coarser than a day (police.uk months) whose window overlaps a compared
   * day cannot be placed on it: `"error"` (default) throws `precision-too-coarse`; `"exclude"`
   * leaves them out and counts them in `excluded` — as core's `periodIndex` and `levels`.
   */
  coarse?: "error" | "exclude";
  /** Alternative of the Poisson test. Default `"two.sided"`. */
  alternative?: Alternative;
  /** Confidence level of the rate-ratio interval, and 1 − the level at which the sentence calls a difference significant. Default 0.95. */
  confLevel?: number;
  /** Name used in the sentence, e.g. `"Halloween"`. Default: the dates. */
  label?: string;
}

/** The count over the compared days in one year. */
export interface ExceptionalPeriodYear {
  /** Year of the first compared day. */
  year: number;
  /** The local dates counted, `"YYYY-MM-DD"`. */
  dates: string[];
  count: number;
}

/** Result of {@link exceptionalPeriod}. */
export interface ExceptionalPeriodResult extends ExceptionalPeriodYear {
  /** The same days in each earlier year, oldest first. */
  readonly previous: ExceptionalPeriodYear[];
  /** Sum of the earlier years' counts. */
  readonly previousTotal: number;
  /** Mean of the earlier years' counts. */
  readonly previousMean: number;
  /** count ÷ previousMean (the rate ratio); `null` when the earlier years have no incident (see `reason`). */
  readonly ratio: number | null;
  /** p-value of the exact Poisson test; `null` when every year is 0. */
  readonly pValue: number | null;
  /** The full test: `poissonRateTest(count, previousTotal, { exposures: [1, years] })`. */
  readonly test: PoissonRateTestResult;
  /** Table form with `coarse: "exclude"`: records left out because they are coarser than a day and overlap a compared day. */
  readonly excluded: number;
  /** Why `ratio` or `pValue` is `null`, else `null`. */
  readonly reason: string | null;
  readonly sentence: string;
  readonly method: string;
}

const FN = "exceptionalPeriod";
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const ALTERNATIVES: readonly string[] = ["two.sided", "less", "greater"];
const METHOD = "exact conditional Poisson test of this year's count against the pooled count of the earlier years (R poisson.test(c(x, sum(previous)), c(1, years)))";
const pad2 = (n: number) => (n < 10 ? "0" : "") + n;

function isTable(x: unknown): x is IncidentTable {
  return x !== null && typeof x === "object" && "start" in x && "precision" in x && "zone" in x;
}

/** Validates `monthDays` and returns, per day, the offset in years from the first day's year (0 or 1). */
function checkMonthDays(list: unknown): number[] {
  const rule = "a non-empty list of [month, day] pairs in calendar order (29 February excluded), wrapping past New Year at most once";
  if (!Array.isArray(list) || list.length === 0) invalidOption(FN, "monthDays", rule, list);
  const shift: number[] = [];
  let wrapped = 0;
  let prev = -1;
  let first = -1;
  for (const md of list as unknown[]) {
    if (!Array.isArray(md) || md.length !== 2) invalidOption(FN, "monthDays", rule, list);
    const [m, d] = md as number[];
    if (!Number.isInteger(m) || m < 1 || m > 12 || !Number.isInteger(d) || d < 1 || d > daysInMonth(2021, m)) invalidOption(FN, "monthDays", rule, list);
    const key = m * 100 + d;
    if (first < 0) first = key;
    if (key <= prev) {
      if (wrapped) invalidOption(FN, "monthDays", rule, list);
      wrapped = 1;
    }
    if (wrapped && key >= first) invalidOption(FN, "monthDays", rule, list);
    shift.push(wrapped);
    prev = key;
  }
  return shift;
}

function dateKey(day: number): string {
  const c = { year: 0, month: 0, day: 0 };
  civilFromDays(day, c);
  return `${c.year}-${pad2(c.month)}-${pad2(c.day)}`;
}

function describeDays(days: number[]): string {
  const parts = days.map((d) => {
    const c = { year: 0, month: 0, day: 0 };
    civilFromDays(d, c);
    return c;
  });
  const a = parts[0];
  const b = parts[parts.length - 1];
  const contiguous = days.every((d, k) => k === 0 || d === days[k - 1] + 1);
  const dm = (c: { month: number; day: number }) => `${c.day} ${MONTHS[c.month - 1]}`;
  if (days.length === 1) return `${dm(a)} ${a.year}`;
  if (contiguous) return a.year === b.year ? `${dm(a)} – ${dm(b)} ${b.year}` : `${dm(a)} ${a.year} – ${dm(b)} ${b.year}`;
  return a.year === b.year ? `${parts.map(dm).join(", ")} ${a.year}` : parts.map((c) => `${dm(c)} ${c.year}`).join(", ");
}

const fmt = (x: number, dp: number) => x.toFixed(dp);

function formatP(p: number): string {
  return p < 0.001 ? "< 0.001" : `= ${p.toFixed(3)}`;
}

/**
 * Is this year's count on a set of days (Halloween, Bonfire night, a festival weekend)
 * exceptional compared with the same days in earlier years? Returns the count this year,
 * the counts in each of the previous `years` years, their mean, the ratio, and an exact
 * Poisson test of this year's count against the earlier years' pooled rate — the same as R's
 * `poisson.test(c(x, sum(previous)), c(1, years))` (core's {@link poissonRateTest}): under
 * the null each year's count on those days is Poisson with one common rate.
 *
 * Input is either daily counts by local date, or an incident table, in which an incident
 * counts on the local date (in `zone`, default the table's) on which its occurrence window
 * starts. Records known only to the month or year cannot be placed on a day: if any overlaps
 * a compared day the call throws `precision-too-coarse`, or with `coarse: "exclude"` leaves
 * them out and reports them in `excluded`. The same calendar dates are compared each year
 * (not the same weekdays). An incident table covers the days of its coverage (`coverage(table)`:
 * gaps between downloads are not covered); daily counts cover the dates listed. A year is used
 * only if every compared day is covered, so a missing day is never read as zero.
 *
 * Both counts 0 leaves `pValue` `null` (R's `poisson.test` stops); earlier years all 0
 * leaves `ratio` `null`. Both with a `reason`.
 *
 * @throws InputError `invalid-option` for bad `monthDays`, `years`, `year`, `zone`,
 *   `coarse`, `alternative`, `confLevel`, or when the data do not cover the compared days in
 *   `year` and the `years` before it; `precision-too-coarse` (see `coarse`); `invalid-date`
 *   for a daily date that is not `YYYY-MM-DD`; `invalid-input` for a count that is not a
 *   non-negative integer or a repeated date; `length-mismatch` when dates and counts differ.
 * @example
 * // Chicago aggravated assaults on 30–31 October 2019 versus 2016–2018
 * const r = exceptionalPeriod(chicago, { monthDays: [[10, 30], [10, 31]], year: 2019, years: 3, label: "Halloween" });
 * [r.count, r.previous.map((y) => y.count), r.previousMean]; // => [78, [138, 85, 98], 107]
 * r.pValue; // => 0.0109 (to 4 dp; R: poisson.test(c(78, 321), c(1, 3))$p.value)
 */
export function exceptionalPeriod(data: IncidentTable | DailyCounts, options: ExceptionalPeriodOptions): ExceptionalPeriodResult {
  if (options === null || typeof options !== "object") invalidOption(FN, "options", "an object with monthDays", options);
  const shifts = checkMonthDays(options.monthDays);
  const monthDays = options.monthDays;
  const years = options.years ?? 3;
  if (!Number.isInteger(years) || years < 1) invalidOption(FN, "years", "a positive integer", years);
  if (options.year !== undefined && !(Number.isInteger(options.year) && options.year >= 1000 && options.year <= 9999)) invalidOption(FN, "year", "a four-digit year", options.year);
  const alternative = options.alternative ?? "two.sided";
  if (!ALTERNATIVES.includes(alternative)) invalidOption(FN, "alternative", 'one of "two.sided", "less", "greater"', alternative);
  const confLevel = options.confLevel ?? 0.95;
  if (!(typeof confLevel === "number" && confLevel > 0 && confLevel < 1)) invalidOption(FN, "confLevel", "a number strictly between 0 and 1", confLevel);
  const coarse = options.coarse ?? "error";
  if (coarse !== "error" && coarse !== "exclude") invalidOption(FN, "coarse", '"error" or "exclude"', coarse);
  if (options.label !== undefined && typeof options.label !== "string") invalidOption(FN, "label", "a string", options.label);
  const table = isTable(data) ? data : null;
  let zone = "";
  if (table) {
    zone = options.zone ?? table.zone;
    if (typeof zone !== "string" || !IANAZone.isValidZone(zone)) invalidOption(FN, "zone", "a valid IANA time zone name", zone);
  } else {
    if (options.zone !== undefined) invalidOption(FN, "zone", "given only with an incident table (daily counts are already local dates)", options.zone);
    if (options.coarse !== undefined) invalidOption(FN, "coarse", "given only with an incident table", options.coarse);
  }
  const daysOf = (y: number): number[] => monthDays.map(([m, d], k) => daysFromCivil(y + shifts[k], m, d));

  // Coverage and counting source.
  let covered: (day: number) => boolean;
  let latestDay: number;
  let earliestDay: number;
  let daily: Map<number, number> | null = null;
  if (table) {
    if (table.length === 0) throw new InputError("empty-input", `${FN}: the table must hold at least one incident, got none`);
    // The table's coverage (the time its sources cover, gaps between downloads excluded).
    const clock = clockFor(zone);
    const spans = coveredSpans(table);
    if (spans.length === 0) throw new InputError("empty-input", `${FN}: the table covers no time`);
    const c = { year: 0, month: 0, day: 0 };
    const dayStart = (d: number) => {
      civilFromDays(d, c);
      return clock.fromLocal(c.year, c.month, c.day);
    };
    covered = (d) => spansContain(spans, dayStart(d), dayStart(d + 1));
    latestDay = clock.localDay(spans[spans.length - 1].end - 1);
    earliestDay = clock.localDay(spans[0].start);
  } else {
    if (data === null || typeof data !== "object" || !Array.isArray((data as DailyCounts).dates) || (data as DailyCounts).counts === null || typeof (data as DailyCounts).counts?.length !== "number") {
      failInput("invalid-input", FN, "data", "an incident table or { dates, counts }", data);
    }
    const { dates, counts } = data as DailyCounts;
    if (dates.length !== counts.length) throw new InputError("length-mismatch", `${FN}: counts must have one entry per date (${dates.length}), got ${counts.length}`);
    if (dates.length === 0) throw new InputError("empty-input", `${FN}: dates must hold at least one day, got none`);
    daily = new Map();
    latestDay = -Infinity;
    earliestDay = Infinity;
    for (let i = 0; i < dates.length; ++i) {
      const s = dates[i];
      const m = typeof s === "string" ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) : null;
      const mo = m ? +m[2] : 0;
      if (!m || mo < 1 || mo > 12 || +m[3] < 1 || +m[3] > daysInMonth(+m[1], mo)) failInput("invalid-date", FN, `dates[${i}]`, "a date YYYY-MM-DD", s);
      const c = counts[i];
      if (!(Number.isInteger(c) && c >= 0)) failInput("invalid-input", FN, `counts[${i}]`, "a non-negative integer", c);
      const day = daysFromCivil(+m![1], mo, +m![3]);
      if (daily.has(day)) failInput("invalid-input", FN, `dates[${i}]`, "distinct dates", s);
      daily.set(day, c);
      if (day > latestDay) latestDay = day;
      if (day < earliestDay) earliestDay = day;
    }
    const map = daily;
    covered = (d) => map.has(d);
  }
  const yearCovered = (y: number) => daysOf(y).every(covered);

  // The year examined and the years before it.
  let year: number;
  if (options.year !== undefined) {
    year = options.year;
    if (!yearCovered(year)) invalidOption(FN, "year", `a year whose days the data cover (${describeDays(daysOf(year))} is not covered)`, year);
  } else {
    const c = { year: 0, month: 0, day: 0 };
    civilFromDays(earliestDay, c);
    const firstYear = c.year - 1;
    civilFromDays(latestDay, c);
    let y = c.year;
    while (y >= firstYear && !yearCovered(y)) y -= 1;
    if (y < firstYear) invalidOption(FN, "monthDays", "days the data cover in at least one year", monthDays);
    year = y;
  }
  let available = 0;
  while (available < years && yearCovered(year - available - 1)) available += 1;
  if (available < years) {
    invalidOption(FN, "years", `at most ${available} (the data cover the same days only back to ${year - available})`, years);
  }

  // Counting.
  const allYears = Array.from({ length: years + 1 }, (_, k) => year - years + k);
  const counts = new Array<number>(allYears.length).fill(0);
  const slotOf = new Map<number, number>();
  allYears.forEach((y, k) => daysOf(y).forEach((d) => slotOf.set(d, k)));
  let excluded = 0;
  if (table) {
    const clock = clockFor(zone);
    // Compared days as instants [start, end), sorted, for the precision check.
    const dayList = [...slotOf.keys()].sort((a, b) => a - b);
    const winStart = new Float64Array(dayList.length);
    const winEnd = new Float64Array(dayList.length);
    const civil = { year: 0, month: 0, day: 0 };
    dayList.forEach((d, k) => {
      civilFromDays(d, civil);
      winStart[k] = clock.fromLocal(civil.year, civil.month, civil.day);
      civilFromDays(d + 1, civil);
      winEnd[k] = clock.fromLocal(civil.year, civil.month, civil.day);
    });
    const overlaps = (s: number, e: number): number => {
      let lo = 0;
      let hi = dayList.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (winEnd[mid] <= s) lo = mid + 1;
        else hi = mid;
      }
      return lo < dayList.length && winStart[lo] < Math.max(e, s + 1) ? lo : -1;
    };
    for (let i = 0; i < table.length; ++i) {
      if (table.precision[i] > PRECISION.day) {
        const w = overlaps(table.start[i], table.end[i]);
        if (w < 0) continue;
        if (coarse === "error") {
          throw new InputError(
            "precision-too-coarse",
            `${FN}: records must be known to the day to be counted on ${dateKey(dayList[w])}, got a ${PRECISIONS[table.precision[i]]}-precision record at row ${i}; use coarse: "exclude"`,
          );
        }
        excluded += 1;
        continue;
      }
      const k = slotOf.get(clock.localDay(table.start[i]));
      if (k !== undefined) counts[k] += 1;
    }
  } else {
    for (const [d, k] of slotOf) counts[k] += daily!.get(d)!;
  }

  const rows: ExceptionalPeriodYear[] = allYears.map((y, k) => ({ year: y, dates: daysOf(y).map(dateKey), count: counts[k] }));
  const current = rows[years];
  const previous = rows.slice(0, years);
  const previousTotal = previous.reduce((s, r) => s + r.count, 0);
  const previousMean = previousTotal / years;
  const test = poissonRateTest(current.count, previousTotal, { exposures: [1, years], alternative, confLevel });
  const ratio = previousTotal === 0 ? null : current.count / previousMean;
  const reason = test.pValue === null ? "no incidents on these days in any year: nothing to compare" : ratio === null ? "no incidents on these days in the earlier years: the ratio is infinite" : null;

  const when = options.label !== undefined ? `${options.label} ${shifts[shifts.length - 1] ? `${year}/${pad2((year + 1) % 100)}` : year}` : describeDays(daysOf(year));
  const span = years === 1 ? `in ${year - 1}` : `in ${year - years}–${year - 1}`;
  let verdict: string;
  if (test.pValue === null) verdict = "no incidents in any year";
  else if (test.pValue < 1 - confLevel) verdict = current.count > previousMean ? "exceptionally high" : "exceptionally low";
  else verdict = "within the usual range";
  const ratioText = ratio === null ? "" : `, ${fmt(ratio, 2)} times`;
  const pText = test.pValue === null ? "" : `; exact Poisson test p ${formatP(test.pValue)}`;
  const sentence = `${when}: ${current.count} incident${current.count === 1 ? "" : "s"} against an average of ${fmt(previousMean, 1)} ${span}${ratioText} (${verdict}${pText}).`;

  return {
    year,
    dates: current.dates,
    count: current.count,
    previous,
    previousTotal,
    previousMean,
    ratio,
    pValue: test.pValue,
    test,
    excluded,
    reason,
    sentence,
    method: METHOD,
  };
}
