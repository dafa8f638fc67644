import {
  InputError,
  describeValue,
  selectRows,
  whereTest,
  coveredMinutes,
  coveredSpans,
  groupMembership,
  parsePeriod,
  periodIndex,
  periodOrdinalOf,
  periodsBetween,
  type CategoryGroups,
  type DictColumnName,
  type IncidentTable,
  type Period,
  type PeriodUnit,
} from "@community-safety/core";

/** Options for {@link countSeries}. */
export interface CountSeriesOptions {
  /** Period unit of the series. Default `"month"`. */
  unit?: Exclude<PeriodUnit, "range">;
  /** Split into one series per value of this column (e.g. `"category"`, `"district"`); omit for one total series. */
  by?: DictColumnName;
  /** With `by: "category"`: one series per group (an incident counts in every group containing its category). */
  groups?: CategoryGroups;
  /**
   * Count only incidents of these category keys (e.g. `["burglary"]`); coverage then comes from
   * their sources. With `by: "category"` (and no `groups`) the series are these categories, in
   * the order listed, a category with no incident giving a series of zeros where the data cover
   * the period. Default: every category.
   */
  categories?: readonly string[];
  /** First period (key such as `"2020-04"`); default: the period of the earliest incident. */
  from?: string;
  /** Last period, inclusive; default: the period of the latest incident. */
  to?: string;
  /** First month of the financial year. Default 4. */
  fyStartMonth?: number;
}

/** One series: its key (a column value or group; `null` = missing value; `"all"` without `by`) and counts per period. */
export interface Series {
  readonly key: string | null;
  /** Incidents per period; `NaN` where the data do not wholly cover the period (unknown, not zero). */
  readonly counts: Float64Array;
  /** Share of each period the data cover for this series' sources (1 = whole). */
  readonly coverage: Float64Array;
  /** Runs of periods that are missing (not wholly covered), in order. */
  readonly gaps: SeriesGap[];
}

/** A run of missing periods in a series. */
export interface SeriesGap {
  /** Index of the first and last missing period (inclusive). */
  readonly from: number;
  readonly to: number;
  /** Keys of the first and last missing period, e.g. "2014-12" and "2019-11". */
  readonly first: string;
  readonly last: string;
  readonly steps: number;
  /** Some of the run's periods are partly covered (their counts would be a part-period count). */
  readonly partial: boolean;
}

/** Result of {@link countSeries}. */
export interface CountSeriesResult {
  readonly unit: Exclude<PeriodUnit, "range">;
  /** The periods, in order, without gaps. */
  readonly periods: Period[];
  readonly series: Series[];
  /** Incidents (of the `categories` counted) outside `from`–`to`. */
  readonly outside: number;
}

/**
 * Incident counts per period (day, ISO week, month, quarter, year or financial year) in the
 * table's zone, overall or per group: zero where the data cover the period and have no
 * incident, `NaN` where they do not wholly cover it (`coverage`, `gaps`), so a gap between two
 * downloads is never read as months of no crime. Incidents are placed by the start of their
 * occurrence window. Month-precision sources (police.uk) yield monthly and coarser series only:
 * asking for days or weeks throws rather than invent a day. Methods that cannot run through
 * missing steps (STL, control charts) refuse them: split the series with `seriesRuns`.
 *
 * @example
 * countSeries(table, { unit: "financialYear", by: "category" }).series[0].counts
 * // => Float64Array [NaN, 2176, 1854, NaN] (2019/20 and 2022/23 are part years in Charnwood's files)
 * @throws InputError `precision-too-coarse` for a unit finer than the records; `invalid-option`; `invalid-date` for bad `from`/`to`;
 *   `unknown-category` when `categories` is empty or not a list of category keys.
 * @example
 * countSeries(table, { categories: ["burglary"], from: "2021-04", to: "2021-06" }).series[0].counts
 * // => Float64Array [38, 39, 39] (Charnwood's police.uk burglaries, April – June 2021)
 */
export function countSeries(table: IncidentTable, options: CountSeriesOptions = {}): CountSeriesResult {
  const fn = "countSeries";
  const unit = options.unit ?? "month";
  const popts = { zone: table.zone, fyStartMonth: options.fyStartMonth };
  const { categories } = options;
  if (categories !== undefined && (!Array.isArray(categories) || categories.length === 0 || categories.some((c) => typeof c !== "string" || c === ""))) {
    throw new InputError("unknown-category", `${fn}: categories must be a non-empty list of category keys, got ${describeValue(categories)}`);
  }
  // With categories, a new table of their rows alone (as seasonalProfile does; the input is not
  // touched): periods, precision and coverage come from them.
  if (categories !== undefined) table = selectRows(table, whereTest(table, { category: categories }));
  const idx = periodIndex(table, unit, { ...popts, coarse: "error" });
  const first = options.from !== undefined ? parsePeriod(options.from, popts) : idx.periods[0];
  const last = options.to !== undefined ? parsePeriod(options.to, popts) : idx.periods[idx.periods.length - 1];
  if (first === undefined || last === undefined) return { unit, periods: [], series: [], outside: 0 };
  for (const [name, p] of [["from", first], ["to", last]] as const) {
    if (p.unit !== unit) throw new InputError("invalid-option", `${fn}: ${name} must be a ${unit} key, got "${p.key}"`);
  }
  const periods = periodsBetween(first, last, unit, popts);
  if (periods.length === 0) throw new InputError("invalid-option", `${fn}: to must not be before from, got "${first.key}" … "${last.key}"`);
  const base = periodOrdinalOf(first, popts);
  const m = periods.length;
  let keys: (string | null)[];
  let cellsOf: (i: number) => readonly number[];
  if (options.by === undefined) {
    if (options.groups !== undefined) throw new InputError("invalid-option", `${fn}: groups needs by: "category", got by undefined`);
    keys = ["all"];
    const zero = [0];
    cellsOf = () => zero;
  } else {
    const col = table[options.by];
    if (!col || !("codes" in col)) throw new InputError("invalid-option", `${fn}: by must be a dictionary column such as "category" or "district", got "${String(options.by)}"`);
    if (options.groups !== undefined) {
      if (options.by !== "category") throw new InputError("invalid-option", `${fn}: groups needs by: "category", got by "${options.by}"`);
      const g = groupMembership(col.values, options.groups, { fn });
      keys = g.keys;
      cellsOf = (i) => g.members[col.codes[i]];
    } else if (options.by === "category" && categories !== undefined) {
      // The categories listed, in that order (each row's category is one of them).
      keys = [...new Set(categories)];
      const single = col.values.map((v) => [keys.indexOf(v)]);
      cellsOf = (i) => single[col.codes[i]];
    } else {
      keys = [...col.values];
      const single = keys.map((_, c) => [c]);
      cellsOf = (i) => single[col.codes[i]];
    }
  }
  const counts = keys.map(() => new Float64Array(m));
  let outside = 0;
  // Row loops in small functions of their own: a long loop has V8 optimise the function it is
  // in, and this one was recompiled after each deoptimisation over 60 national reports (2026-12-07).
  const countRows = () => {
    for (let i = 0; i < table.length; ++i) {
      const k = idx.ordinal[i] - base;
      if (k < 0 || k >= m) {
        outside += 1;
        continue;
      }
      for (const s of cellsOf(i)) counts[s][k] += 1;
    }
  };
  countRows();
  // Coverage per series, from the sources of its rows (every source for a series with none).
  const nSources = table.source.values.length;
  const sourceSeen = new Uint8Array(keys.length * nSources);
  const markSources = () => {
    for (let i = 0; i < table.length; ++i) for (const s of cellsOf(i)) sourceSeen[s * nSources + table.source.codes[i]] = 1;
  };
  markSources();
  const memo = new Map<string, Float64Array>();
  const coverageFor = (s: number): Float64Array => {
    const sources = table.source.values.filter((_, c) => sourceSeen[s * nSources + c] === 1);
    const id = sources.join("\u0000");
    let f = memo.get(id);
    if (!f) {
      const spans = coveredSpans(table, sources.length ? { sources } : {});
      memo.set(id, (f = Float64Array.from(periods, (p) => coveredMinutes(spans, p.start, p.end) / (p.end - p.start))));
    }
    return f;
  };
  // Without groups, drop dictionary slots no incident uses (the missing-value slot when nothing is missing).
  const series: Series[] = [];
  keys.forEach((key, s) => {
    if (options.groups === undefined && options.by !== undefined && !(options.by === "category" && categories !== undefined) && counts[s].every((v) => v === 0)) {
      const used = table[options.by!].codes.some((c) => c === s);
      if (!used) return;
    }
    const coverage = coverageFor(s);
    const c = counts[s];
    const gaps: SeriesGap[] = [];
    for (let k = 0; k < m; ++k) {
      if (coverage[k] >= 1) continue;
      const from = k;
      let partial = false;
      while (k < m && coverage[k] < 1) {
        if (coverage[k] > 0) partial = true;
        c[k] = NaN;
        ++k;
      }
      gaps.push({ from, to: k - 1, first: periods[from].key, last: periods[k - 1].key, steps: k - from, partial });
    }
    series.push({ key, counts: c, coverage, gaps });
  });
  return { unit, periods, series, outside };
}
