import { InputError, invalidOption } from "./errors.js";
import type { DictColumn } from "./dictionary.js";
import type { DictColumnName, IncidentTable } from "./incident-table.js";
import { civilFromDays } from "./local-time.js";
import { MONTH_ABBREVIATIONS, MONTH_NAMES, clockFor, parsePeriod, type PeriodOptions } from "./periods.js";
import { intersectSpans, mergeSpans, subtractSpans, type Span } from "./span-set.js";

/** How a source's coverage was found. */
export type CoverageBasis = "files" | "records" | "declared";

/**
 * The time one source covers — in one area where the source says so (police.uk: a force's
 * monthly file covers that force) — as disjoint, sorted spans `[start, end)` in epoch minutes.
 * Time outside the spans is *not covered*: a count there is unknown, not zero.
 */
export interface SourceCoverage {
  /** Source key (`police-recorded-crime`, `asb-incident`, …); `null` = every source in the table. */
  readonly source: string | null;
  /** The column the entry is limited to (police.uk: `force`), or `null` for the whole source. */
  readonly areaColumn: DictColumnName | null;
  /** The value of `areaColumn` the entry covers, or `null`. */
  readonly area: string | null;
  /** Covered time: disjoint spans in time order. */
  readonly spans: readonly Span[];
  /**
   * `files`: the periods of the files read (police.uk: the months present); `records`: from the
   * first record to the last, less whole months with no record; `declared`: an extract window
   * the caller declared.
   */
  readonly basis: CoverageBasis;
  /** How the coverage was found, in words (for reports). */
  readonly note: string;
}

interface CoverageColumns {
  readonly length: number;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly precision: Uint8Array;
  readonly source: { readonly codes: ArrayLike<number>; readonly values: readonly (string | null)[] };
}

const DAY = 2; // PRECISION.day
const YEAR = 4; // PRECISION.year

/**
 * Coverage found from the records themselves, per source (for sources that `declared` does not
 * already cover): from the local day of the first record (or the start of its window for
 * month- and year-precision records) to the end of the last record's day (window), less every
 * whole month inside that stretch with no record at all — a month without a single record of
 * a source is taken as a month the extract does not cover. Sources with year-precision records
 * have no month gaps found (a year record says nothing about its months). `rows` restricts the
 * pass to those row indices (a builder's kept rows).
 */
export function recordsCoverage(data: CoverageColumns, zone: string, declared: readonly SourceCoverage[] = [], rows?: ArrayLike<number>): SourceCoverage[] {
  if (declared.some((e) => e.source === null)) return [];
  const values = data.source.values;
  const have = new Set(declared.map((e) => e.source));
  const nSources = values.length;
  const minFine = new Float64Array(nSources).fill(Infinity);
  const maxFine = new Float64Array(nSources).fill(-Infinity);
  const minCoarse = new Float64Array(nSources).fill(Infinity);
  const maxCoarse = new Float64Array(nSources).fill(-Infinity);
  const hasYear = new Uint8Array(nSources);
  const seen = new Uint8Array(nSources);
  const months: Set<number>[] = Array.from({ length: nSources }, () => new Set<number>());
  const clock = clockFor(zone);
  const parts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, weekday: 0 };
  // Month of the last row looked up, as [monthStart, monthEnd) → ordinal: rows often come in time order.
  let mStart = Infinity;
  let mEnd = -Infinity;
  let mOrdinal = 0;
  const need = Uint8Array.from(values, (v) => (have.has(v) ? 0 : 1));
  const n = rows ? rows.length : data.length;
  for (let k = 0; k < n; ++k) {
    const i = rows ? rows[k] : k;
    const c = data.source.codes[i];
    if (!need[c]) continue; // declared (police.uk: the files read)
    seen[c] = 1;
    const p = data.precision[i];
    const t = data.start[i];
    if (p <= DAY) {
      if (t < minFine[c]) minFine[c] = t;
      if (t > maxFine[c]) maxFine[c] = t;
    } else {
      if (t < minCoarse[c]) minCoarse[c] = t;
      if (data.end[i] > maxCoarse[c]) maxCoarse[c] = data.end[i];
    }
    if (p === YEAR) {
      hasYear[c] = 1;
      continue;
    }
    if (!(t >= mStart && t < mEnd)) {
      clock.parts(t, parts);
      mOrdinal = parts.year * 12 + parts.month - 1;
      mStart = clock.fromLocal(parts.year, parts.month, 1);
      mEnd = clock.fromLocal(parts.month === 12 ? parts.year + 1 : parts.year, parts.month === 12 ? 1 : parts.month + 1, 1);
    }
    months[c].add(mOrdinal);
  }
  const civil = { year: 0, month: 0, day: 0 };
  const dayStart = (d: number) => {
    civilFromDays(d, civil);
    return clock.fromLocal(civil.year, civil.month, civil.day);
  };
  const monthStart = (o: number) => clock.fromLocal(Math.floor(o / 12), (o % 12) + 1, 1);
  const out: SourceCoverage[] = [];
  for (let c = 0; c < nSources; ++c) {
    if (!seen[c] || have.has(values[c])) continue;
    const first = Math.min(Number.isFinite(minFine[c]) ? dayStart(clock.localDay(minFine[c])) : Infinity, minCoarse[c]);
    const last = Math.max(Number.isFinite(maxFine[c]) ? dayStart(clock.localDay(maxFine[c]) + 1) : -Infinity, maxCoarse[c]);
    const gaps: Span[] = [];
    if (!hasYear[c]) {
      clock.parts(first, parts);
      for (let o = parts.year * 12 + parts.month - 1; ; ++o) {
        const s = monthStart(o);
        if (s >= last) break;
        const e = monthStart(o + 1);
        if (s >= first && e <= last && !months[c].has(o)) gaps.push({ start: s, end: e });
      }
    }
    const spans = subtractSpans({ start: first, end: last }, mergeSpans(gaps));
    const whole: Span = { start: first, end: last };
    const gapNote = gaps.length ? `, less ${gaps.length} whole month${gaps.length === 1 ? "" : "s"} with no record` : "";
    out.push({
      source: values[c],
      areaColumn: null,
      area: null,
      spans,
      basis: "records",
      note: `from the first record to the last (${spanLabel(whole, zone)})${gapNote}${hasYear[c] ? "; some records are known only to the year, so months without records are not treated as gaps" : ""}`,
    });
  }
  return out;
}

/** An extract window: one period key (`"2019"`, `"2019/20"`), or the first and last periods, inclusive (`["2019-01-15", "2019-12-31"]`). */
export type ExtractWindow = string | readonly [string, string];

/** Options for {@link declaredCoverage}. */
export interface DeclaredCoverageOptions extends PeriodOptions {
  /** The source it covers; `null` (default) = every source of the table. */
  source?: string | null;
  /** Function name for error messages. */
  fn?: string;
}

/**
 * A declared coverage entry for an extract window ("this file holds every incident from 1 January
 * to 31 December 2019"): use it for `IncidentTableBuilder.coverage`, or pass the window as
 * `extractWindow` to the generic readers.
 *
 * @example
 * declaredCoverage(["2019-01", "2019-12"]).spans // => [{ start: <1 Jan 2019 00:00>, end: <1 Jan 2020 00:00> }]
 * @throws InputError `invalid-option` for a window that is not one or two period keys in order.
 */
export function declaredCoverage(window: ExtractWindow, options: DeclaredCoverageOptions = {}): SourceCoverage {
  const span = windowSpan(window, options);
  const zone = options.zone ?? "Europe/London";
  return { source: options.source ?? null, areaColumn: null, area: null, spans: [span], basis: "declared", note: `the declared extract window, ${spanLabel(span, zone)}` };
}

/** The span `[first.start, last.end)` of an extract window. */
export function windowSpan(window: ExtractWindow, options: DeclaredCoverageOptions = {}): Span {
  const fn = options.fn ?? "declaredCoverage";
  const keys = typeof window === "string" ? [window, window] : window;
  if (!Array.isArray(keys) || keys.length !== 2 || keys.some((k) => typeof k !== "string")) {
    invalidOption(fn, "extractWindow", 'a period key or [first, last] period keys such as ["2019-01", "2019-12"]', window);
  }
  let first, last;
  try {
    first = parsePeriod(keys[0], options);
    last = parsePeriod(keys[1], options);
  } catch (e) {
    if (e instanceof InputError) invalidOption(fn, "extractWindow", 'a period key or [first, last] period keys such as ["2019-01", "2019-12"]', window);
    throw e;
  }
  if (last.end <= first.start) invalidOption(fn, "extractWindow", "first and last periods in time order", window);
  return { start: first.start, end: last.end };
}

/**
 * A copy of the table (columns shared) whose coverage leaves out `spans`: time the analyst knows
 * to be incomplete (a recording-system outage, months an extract holds only a trickle of). Every
 * analysis then treats that time as not covered — unknown, never zero. The rows are unchanged.
 *
 * @example
 * const t = excludeCoverage(table, [parsePeriod("2021-03")], "March 2021: records system outage");
 * coverage(t).gaps[0].label // => "March 2021"
 */
export function excludeCoverage(table: IncidentTable, spans: readonly Span[], reason: string): IncidentTable {
  const cut = mergeSpans(spans);
  if (cut.length === 0) return table;
  return {
    ...table,
    coverage: (table.coverage ?? []).map((e) => ({ ...e, spans: mergeSpans(e.spans).flatMap((s) => subtractSpans(s, cut)), note: `${e.note}; less ${reason}` })),
  };
}

/** Options for {@link coveredSpans}. */
export interface CoveredSpansOptions {
  /** Sources whose coverage counts. Default: the sources of the rows in `categories` (every row when omitted). */
  sources?: readonly (string | null)[];
  /** Category keys whose sources count (when `sources` is omitted). */
  categories?: readonly string[];
}

/**
 * The time the table covers for the sources in question: the intersection, over those sources
 * and the areas present in the table (for per-area entries), of their coverage; several entries
 * for the same source and area add up.
 * A period is comparable only where it lies inside these spans.
 *
 * @example
 * coveredSpans(charnwood2014and2019to22).length // => 2 (Jan–Nov 2014 and Dec 2019 – Oct 2022)
 */
export function coveredSpans(table: IncidentTable, options: CoveredSpansOptions = {}): Span[] {
  const entries = table.coverage ?? [];
  let sources = options.sources ?? sourcesOf(table, options.categories);
  if (sources.length === 0) sources = [...new Set(entries.map((e) => e.source))]; // no rows: what the entries say
  const used = new Map<DictColumnName, Set<string | null>>();
  const has = (column: DictColumnName, value: string) => {
    let set = used.get(column);
    if (!set) used.set(column, (set = valuesUsed(table[column])));
    return set.has(value);
  };
  let result: Span[] | null = null;
  for (const s of sources) {
    const mine = entries.filter((e) => (e.source === s || e.source === null) && (e.areaColumn === null || e.area === null || has(e.areaColumn, e.area)));
    const list = mine.length ? mine : recordsCoverage(table, table.zone, [], rowsOfSource(table, s));
    // Entries for the same area add up (several declared windows); different areas must all be covered.
    const byArea = new Map<string, Span[]>();
    for (const e of list) {
      const k = `${e.areaColumn}\u0000${e.area}`;
      byArea.set(k, [...(byArea.get(k) ?? []), ...e.spans]);
    }
    for (const spans of byArea.values()) result = result === null ? mergeSpans(spans) : intersectSpans(result, mergeSpans(spans));
  }
  return result ?? [];
}

/** The source values of the rows (in `categories`, when given), in dictionary order. */
export function sourcesOf(table: IncidentTable, categories?: readonly string[]): (string | null)[] {
  const used = new Uint8Array(table.source.values.length);
  let catOk: Uint8Array | null = null;
  if (categories !== undefined) {
    if (!Array.isArray(categories)) invalidOption("coveredSpans", "categories", "an array of category keys", categories);
    const set = new Set(categories);
    catOk = Uint8Array.from(table.category.values, (v) => (v !== null && set.has(v) ? 1 : 0));
  }
  const sc = table.source.codes;
  const cc = table.category.codes;
  for (let i = 0; i < table.length; ++i) if (catOk === null || catOk[cc[i]]) used[sc[i]] = 1;
  const out = table.source.values.filter((_, c) => used[c] === 1);
  if (out.length === 0 && categories !== undefined) return sourcesOf(table); // no rows of these categories: every source
  return out;
}

/** The values of a dictionary column that some row has. */
function valuesUsed(col: DictColumn): Set<string | null> {
  const seen = new Uint8Array(col.values.length);
  for (let i = 0; i < col.codes.length; ++i) seen[col.codes[i]] = 1;
  return new Set(col.values.filter((_, c) => seen[c] === 1));
}

function rowsOfSource(table: IncidentTable, source: string | null): Uint32Array {
  const code = table.source.values.indexOf(source);
  const out: number[] = [];
  for (let i = 0; i < table.length; ++i) if (table.source.codes[i] === code) out.push(i);
  return Uint32Array.from(out);
}

/** A span with a readable label and its length. */
export interface LabelledSpan extends Span {
  /** "Dec 2019 – Oct 2022", "March 2020" or "3 Jan 2016 – 31 Dec 2018". */
  readonly label: string;
  /** Length in days (elapsed; a span over a clock change is an hour off a whole number). */
  readonly days: number;
  /** Whole months, when the span starts and ends on the first of a month; else `null`. */
  readonly months: number | null;
}

/** One source's coverage, described. */
export interface SourceCoverageReport extends Omit<SourceCoverage, "spans"> {
  readonly spans: LabelledSpan[];
  /** Uncovered stretches between the first covered time and the last. */
  readonly gaps: LabelledSpan[];
  /** e.g. "police.uk street-level crime (Leicestershire Police): Jan – Nov 2014 and Dec 2019 – Oct 2022; gap Dec 2014 – Nov 2019 (60 months)." */
  readonly sentence: string;
}

/** Result of {@link coverage}. */
export interface CoverageResult {
  /** One entry per source (and area, where the source says so). */
  readonly sources: SourceCoverageReport[];
  /** The time every source of the table covers (see {@link coveredSpans}). */
  readonly spans: LabelledSpan[];
  /** Uncovered stretches between the first and the last of `spans`. */
  readonly gaps: LabelledSpan[];
  readonly sentence: string;
}

/**
 * What time the table's data cover, per source (and area where the source says so), with every
 * gap named: police.uk tables know the months of the files read, generic sources the stretch
 * from their first record to their last less whole months with no record, or the extract window
 * the caller declared. Analyses use this to refuse part-covered periods and to leave uncovered
 * time out of series instead of counting it as zero.
 *
 * @example
 * coverage(table).sentence
 * // => "The data cover Jan 2014 – Nov 2014 and Dec 2019 – Oct 2022, with one gap: Dec 2014 – Nov 2019 (60 months)."
 */
export function coverage(table: IncidentTable): CoverageResult {
  const zone = table.zone;
  const entries = table.coverage ?? [];
  const present = new Set(sourcesOf(table));
  const relevant = entries.filter((e) => e.source === null || present.has(e.source) || table.length === 0);
  const sources = relevant.map((e): SourceCoverageReport => {
    const spans = mergeSpans(e.spans);
    const gaps = gapsOf(spans);
    const who = `${e.source ?? "all sources"}${e.area !== null ? ` (${e.area})` : ""}`;
    return {
      ...e,
      spans: spans.map((s) => labelled(s, zone)),
      gaps: gaps.map((s) => labelled(s, zone)),
      sentence: `${who}: ${describeSpans(spans, gaps, zone)} (${e.note}).`,
    };
  });
  const all = coveredSpans(table);
  const gaps = gapsOf(all);
  return {
    sources,
    spans: all.map((s) => labelled(s, zone)),
    gaps: gaps.map((s) => labelled(s, zone)),
    sentence: all.length ? `The data cover ${describeSpans(all, gaps, zone)}.` : "The data cover no time.",
  };
}

function gapsOf(spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (let k = 1; k < spans.length; ++k) out.push({ start: spans[k - 1].end, end: spans[k].start });
  return out;
}

function describeSpans(spans: readonly Span[], gaps: readonly Span[], zone: string): string {
  const list = spans.map((s) => spanLabel(s, zone));
  const joined = list.length <= 1 ? (list[0] ?? "nothing") : `${list.slice(0, -1).join(", ")} and ${list[list.length - 1]}`;
  if (!gaps.length) return joined;
  const g = gaps.map((s) => {
    const l = labelled(s, zone);
    return `${l.label} (${l.months !== null ? `${l.months} month${l.months === 1 ? "" : "s"}` : `${Math.round(l.days)} day${Math.round(l.days) === 1 ? "" : "s"}`})`;
  });
  return `${joined}, with ${gaps.length === 1 ? "one gap" : `${gaps.length} gaps`}: ${g.join("; ")}`;
}

/** A span with its label, length in days and whole months. */
export function labelled(span: Span, zone: string): LabelledSpan {
  const m = monthAligned(span, zone);
  return { start: span.start, end: span.end, label: spanLabel(span, zone), days: (span.end - span.start) / 1440, months: m ? m[1] - m[0] : null };
}

/** Month ordinals `[first, after)` when `span` starts and ends at local midnight on the first of a month; else `null`. */
export function monthAligned(span: Span, zone: string): [number, number] | null {
  const clock = clockFor(zone);
  const a = clock.parts(span.start);
  const b = clock.parts(span.end);
  if (a.day !== 1 || a.hour !== 0 || a.minute !== 0 || b.day !== 1 || b.hour !== 0 || b.minute !== 0) return null;
  return [a.year * 12 + a.month - 1, b.year * 12 + b.month - 1];
}

/**
 * A readable label for a span in `zone`: whole months as "March 2020" or "Dec 2019 – Oct 2022",
 * whole days as "3 Jan 2016" or "3 Jan 2016 – 31 Dec 2018" (the last day included), other spans
 * to the minute.
 */
export function spanLabel(span: Span, zone: string): string {
  const clock = clockFor(zone);
  const m = monthAligned(span, zone);
  const mon = (o: number) => `${MONTH_ABBREVIATIONS[o % 12]} ${Math.floor(o / 12)}`;
  if (m) return m[1] - m[0] === 1 ? `${MONTH_NAMES[m[0] % 12]} ${Math.floor(m[0] / 12)}` : `${mon(m[0])} – ${mon(m[1] - 1)}`;
  const a = clock.parts(span.start);
  const b = clock.parts(span.end);
  const day = (p: { year: number; month: number; day: number }) => `${p.day} ${MONTH_ABBREVIATIONS[p.month - 1]} ${p.year}`;
  if (a.hour === 0 && a.minute === 0 && b.hour === 0 && b.minute === 0) {
    const lastDay = clock.parts(span.end - 1);
    const sameDay = lastDay.year === a.year && lastDay.month === a.month && lastDay.day === a.day;
    return sameDay ? day(a) : `${day(a)} – ${day(lastDay)}`;
  }
  const hm = (p: { hour: number; minute: number }) => `${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`;
  return `${day(a)} ${hm(a)} – ${day(b)} ${hm(b)}`;
}
