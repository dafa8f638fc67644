import {
  MONTH_NAMES,
  coveredMinutes,
  coveredSpans,
  excludeCoverage,
  intersectSpans,
  knownBreaks,
  levels,
  parsePeriod,
  periodOf,
  periodsBetween,
  shiftPeriod,
  spanLabel,
  spansContain,
  type IncidentTable,
  type KnownBreakHit,
  type Period,
  type Span,
} from "@community-safety/core";

/** A reporting year and how much of it the data cover. */
export interface YearCoverage {
  readonly period: Period;
  /** Share of the year covered (0–1). */
  readonly coverage: number;
  /** The covered part in words ("Apr 2019 – Dec 2019"), or "" when whole. */
  readonly covered: string;
}

/**
 * The report's time frame: its reporting year, what the data cover, which years are whole,
 * the runs of covered months, and the period the headline counts describe. Every section
 * takes its periods from here, so no section counts a year the data cover only in part as if
 * it were whole.
 */
export interface ReportCalendar {
  readonly zone: string;
  readonly fyStartMonth: number;
  /** "financial year" (April–March), "year" (January–December) or "reporting year". */
  readonly yearWord: string;
  /** "April–March", "January–December". */
  readonly yearMonths: string;
  /** The time the data cover (every source). */
  readonly spans: Span[];
  /** Reporting years with any coverage, oldest first. */
  readonly years: YearCoverage[];
  /** Wholly covered reporting years, oldest first. */
  readonly complete: Period[];
  /** Runs of wholly covered months, as month ranges, oldest first. */
  readonly runs: Period[];
  /** The period the headline counts describe (see `headlineKind`), or `null` with no covered month. */
  readonly headline: Period | null;
  /** `year`: the latest whole reporting year; `twelve-months`: the latest 12 covered months; `part`: the latest run of covered months (under 12). */
  readonly headlineKind: "year" | "twelve-months" | "part";
  /** Whether the data are from England (known breaks apply). */
  readonly england: boolean;
  /**
   * Covered months with implausibly few records: under a tenth of a busy month (the median of
   * the busiest quarter of covered months, when that is 20 or more, so Poisson chance alone
   * almost never gives it). The extract is probably incomplete there: the report leaves them out
   * of its coverage (see {@link reportTable}).
   */
  readonly thin: Period[];
}

/** Default first month of the reporting year: April (the UK performance year) for UK data, else January. */
export function defaultFyStart(table: IncidentTable): number {
  return table.zone === "Europe/London" ? 4 : 1;
}

/** The report's time frame for a table (see {@link ReportCalendar}). */
export function reportCalendar(table: IncidentTable, fyStartMonth: number): ReportCalendar {
  const zone = table.zone;
  const popts = { zone, fyStartMonth };
  const spans = coveredSpans(table);
  const yearWord = fyStartMonth === 1 ? "year" : fyStartMonth === 4 ? "financial year" : "reporting year";
  const yearMonths = `${MONTH_NAMES[fyStartMonth - 1]}–${MONTH_NAMES[(fyStartMonth + 10) % 12]}`;
  const england = zone === "Europe/London";
  const empty: ReportCalendar = { zone, fyStartMonth, yearWord, yearMonths, spans, years: [], complete: [], runs: [], headline: null, headlineKind: "part", england, thin: [] };
  if (spans.length === 0) return empty;
  const first = spans[0].start;
  const last = spans[spans.length - 1].end - 1;
  const years = periodsBetween(periodOf(first, "financialYear", popts), periodOf(last, "financialYear", popts), "financialYear", popts)
    .map((period) => {
      const c = coveredMinutes(spans, period.start, period.end) / (period.end - period.start);
      return { period, coverage: c, covered: c >= 1 ? "" : partLabel(spans, period, zone) };
    })
    .filter((y) => y.coverage > 0);
  const complete = years.filter((y) => y.coverage >= 1).map((y) => y.period);
  // Runs of wholly covered months.
  const months = periodsBetween(periodOf(first, "month", popts), periodOf(last, "month", popts), "month", popts);
  const runs: Period[] = [];
  for (let k = 0; k < months.length; ) {
    while (k < months.length && !spansContain(spans, months[k].start, months[k].end)) ++k;
    if (k >= months.length) break;
    const a = k;
    while (k < months.length && spansContain(spans, months[k].start, months[k].end)) ++k;
    runs.push(parsePeriod(`${months[a].key}..${months[k - 1].key}`, popts));
  }
  if (runs.length === 0) return { ...empty, years, complete };
  // Thin months: one count per (partly) covered month, scaled to the whole month.
  const monthly = levels(table, { by: ["period"], periods: "month", coarse: "exclude", fyStartMonth });
  const covered = monthly.rows.filter((r) => r.coverage !== null && r.coverage > 0).map((r) => [parsePeriod(String(r.period), popts), r.count / r.coverage!] as const);
  const busiest = covered.map(([, c]) => c).sort((a, b) => b - a).slice(0, Math.max(1, Math.ceil(covered.length / 4)));
  const busy = busiest.length ? busiest[Math.floor(busiest.length / 2)] : 0;
  const thin = busy >= 20 ? covered.filter(([, c]) => c < busy / 10).map(([p]) => p) : [];
  const lastRun = runs[runs.length - 1];
  let headline: Period;
  let headlineKind: ReportCalendar["headlineKind"];
  const lastMonth = periodOf(lastRun.end - 1, "month", popts);
  const twelveBack = shiftPeriod(lastMonth, -11, popts);
  if (complete.length) {
    headline = complete[complete.length - 1];
    headlineKind = "year";
  } else if (twelveBack.start >= lastRun.start) {
    headline = parsePeriod(`${twelveBack.key}..${lastMonth.key}`, popts);
    headlineKind = "twelve-months";
  } else {
    headline = lastRun;
    headlineKind = "part";
  }
  return { zone, fyStartMonth, yearWord, yearMonths, spans, years, complete, runs, headline, headlineKind, england, thin };
}


/** The covered part of a period in words. */
function partLabel(spans: readonly Span[], p: Period, zone: string): string {
  return intersectSpans(spans, [p]).map((q) => spanLabel(q, zone)).join(", ");
}

/** "2021/22 (Apr 2021 – Mar 2022)", "the 12 months Jan 2019 – Dec 2019" or "Jul 2019 – Dec 2019 (the 6 whole months the data cover)", or with earlier runs "… (the latest 6 months the data cover without a gap)". */
export function headlineWords(cal: ReportCalendar): string {
  const h = cal.headline;
  if (!h) return "no covered month";
  if (cal.headlineKind === "year") return `${h.key} (${h.label})`;
  if (cal.headlineKind === "twelve-months") return `the 12 months ${h.label}`;
  const n = Math.round((h.end - h.start) / (1440 * 30.44));
  // Whole months only (a part month at either end is left out); with earlier runs, the latest one.
  if (cal.runs.length > 1) return `${h.label} (${n === 1 ? "the latest month the data cover" : `the latest ${n} months the data cover without a gap`})`;
  return `${h.label} (the ${n === 1 ? "whole month" : `${n} whole months`} the data cover)`;
}

/** Known breaks touching `[from, to)` for England data (none elsewhere: their breaks are not listed). */
export function breaksTouching(cal: ReportCalendar, from: number, to: number, categories?: readonly string[]): KnownBreakHit[] {
  return cal.england ? knownBreaks(from, to, { zone: cal.zone, categories }) : [];
}

/**
 * The table and calendar the report works on: when some covered months are thin (implausibly
 * few records), they are left out of the coverage (`excludeCoverage`), so no comparison, series
 * or trend rests on them; `thin` lists them for the data quality section.
 */
export function reportTable(table: IncidentTable, fyStartMonth: number): { table: IncidentTable; calendar: ReportCalendar; thin: Period[] } {
  const first = reportCalendar(table, fyStartMonth);
  if (!first.thin.length) return { table, calendar: first, thin: [] };
  const words = monthRuns(first.thin);
  const t = excludeCoverage(table, first.thin, `${words} (under a tenth of the records of a busy month: probably incomplete)`);
  return { table: t, calendar: { ...reportCalendar(t, fyStartMonth), thin: [] }, thin: first.thin };
}

/** Months as runs in words: "Aug 2018 – Nov 2018, May 2015". */
export function monthRuns(months: readonly Period[]): string {
  const runs: Period[][] = [];
  for (const p of months) {
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1].end === p.start) last.push(p);
    else runs.push([p]);
  }
  return runs.map((r) => (r.length === 1 ? r[0].label : `${r[0].label} – ${r[r.length - 1].label}`)).join(", ");
}

