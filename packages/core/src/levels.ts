import { type CategoryGroups, groupMembership } from "./categories.js";
import { valueMask, type DictColumn } from "./dictionary.js";
import { InputError, invalidOption, describeValue } from "./errors.js";
import { PRECISIONS, type IncidentTable } from "./incident-table.js";
import { type Period, type PeriodUnit, parsePeriod, periodIndex, periodsBetween, unitPrecision } from "./periods.js";
import { coveredSpans } from "./coverage.js";
import { coveredMinutes, type Span } from "./span-set.js";
import { universeCategories } from "./universe.js";

/** Dimensions a level can be broken down by. */
export type LevelDimension =
  | "category"
  | "subcategory"
  | "source"
  | "lsoa"
  | "ward"
  | "beat"
  | "district"
  | "location"
  | "force"
  | "outcome"
  | "period";

const DICT_DIMENSIONS = ["category", "subcategory", "source", "lsoa", "ward", "beat", "district", "location", "force", "outcome"] as const;
const AREA_DIMENSIONS: readonly LevelDimension[] = ["lsoa", "ward", "beat", "district", "location", "force"];

/** The value used for the roll-up ("all") rows of a dimension listed in `totals`. */
export const ALL = "(all)";

/** Options for {@link levels}. */
export interface LevelsOptions {
  /** Dimensions to break counts down by, in order. Default `["category"]`. */
  by?: readonly LevelDimension[];
  /**
   * Periods for the `period` dimension: a unit (`"month"`, `"financialYear"`, …; every
   * period from the first to the last incident), or an explicit list of periods or keys
   * (`["2020/21", "2021/22"]`, `financialYearToDate("2022-10").current`). Required when `by`
   * includes `"period"`; otherwise it restricts counting to incidents in these periods.
   */
  periods?: Exclude<PeriodUnit, "range"> | readonly (Period | string)[];
  /** First month of the financial year (1–12). Default 4. */
  fyStartMonth?: number;
  /**
   * Category keys counted (the universe: totals and shares are over these only). Default:
   * every category in the table. Listing a key absent from the data gives zero rows for it.
   */
  categories?: readonly string[];
  /**
   * Category groups: the `category` dimension then lists these groups (an incident counts
   * once in each group containing its category) instead of single categories. The
   * universe is every incident whose category is in some group.
   */
  groups?: CategoryGroups;
  /** Fixed value lists per dimension (zero-filled even if absent from the data). */
  values?: Partial<Record<Exclude<LevelDimension, "period">, readonly (string | null)[]>>;
  /** Emit every combination of dimension values, with zero counts. Default true. */
  zeroFill?: boolean;
  /**
   * The dimension a share is taken across: `share` = count ÷ the count of the universe with
   * the same values on every other dimension. Default `"category"` when broken down by
   * category, else the first dimension. E.g. `by: ["district", "category"]`, `shareOf:
   * "district"` gives "55% of burglaries were in Loughborough".
   */
  shareOf?: LevelDimension;
  /** Dimensions that get roll-up rows with the value {@link ALL} (district → county picture). */
  totals?: readonly Exclude<LevelDimension, "period">[];
  /** Residents per area value of `areaDimension` (a Map or plain object). */
  population?: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
  /** The dimension `population` is keyed by. Default: the first area dimension in `by`. */
  areaDimension?: LevelDimension;
  /** Rate base: rate = count ÷ population × perResidents. Default 1000. */
  perResidents?: number;
  /** Records coarser than the period unit: `"error"` (default) or `"exclude"` (counted in `excluded`). */
  coarse?: "error" | "exclude";
}

/** One cell of a levels table. Dimension values are keyed by dimension name. */
export interface LevelRow {
  [dimension: string]: string | number | null;
  count: number;
  /** count ÷ the same-cell total across `shareOf`; `null` when that total is 0. */
  share: number | null;
  /** Residents of the area (sum over areas for roll-up rows); `null` when unknown. */
  population: number | null;
  /** count per `perResidents` residents; `null` when the population is unknown or 0. */
  rate: number | null;
  /**
   * With a `period` dimension: the share of the period the data cover (1 = whole, 0 = not
   * at all) for the row's source (or the sources counted). A count in a part-covered period is
   * a count of part of it; in an uncovered period it is unknown, not zero. `null` without a
   * `period` dimension.
   */
  coverage: number | null;
}

/** Result of {@link levels}. */
export interface LevelsResult {
  /** Tidy rows (camelCase keys): feed to `aq.from(rows)` or write as CSV. */
  readonly rows: LevelRow[];
  readonly by: readonly LevelDimension[];
  /** Incidents counted (each once, however many groups it falls in). */
  readonly total: number;
  /** Incidents outside the universe (categories/groups) or outside the periods. */
  readonly notCounted: number;
  /** Incidents left out because they are coarser than the period unit (with `coarse: "exclude"`). */
  readonly excluded: number;
  /** Area values that had no population entry (their rates are `null`). */
  readonly missingPopulation: string[];
  /** Population entries whose area never appears among the rows (a vintage mismatch shows here). */
  readonly unusedPopulation: string[];
}

interface Axis {
  name: LevelDimension;
  labels: (string | null)[]; // index → value; the roll-up value, if any, is last
  rowCode: Int32Array | null; // per incident (null for category with groups and for period)
  hasAll: boolean;
}

const FN = "levels";

/**
 * Counts incidents for every combination of the chosen dimensions (category × area ×
 * period …), zero-filled, with the share of the total and the rate per 1,000 residents.
 * Periods are reckoned in the table's zone; an incident is placed by the start of its
 * occurrence window, and month-precision records are refused for daily or weekly periods
 * (or excluded with `coarse: "exclude"`).
 *
 * @example
 * levels(table, { by: ["period", "category"], periods: ["2020/21", "2021/22"] }).rows[0]
 * // => { period: "2020/21", category: "anti-social-behaviour", count: 2176, share: 0.157, population: null, rate: null }
 * @throws InputError `invalid-option` for bad options; `precision-too-coarse` (see `coarse`);
 *   `unknown-category` when `categories` is empty.
 */
export function levels(table: IncidentTable, options: LevelsOptions = {}): LevelsResult {
  const by: readonly LevelDimension[] = options.by ?? ["category"];
  const valid = new Set<string>([...DICT_DIMENSIONS, "period"]);
  if (!Array.isArray(by) || by.length === 0 || by.some((d) => !valid.has(d)) || new Set(by).size !== by.length) {
    invalidOption(FN, "by", `a non-empty list of distinct dimensions from ${[...valid].join(", ")}`, by);
  }
  const zeroFill = options.zeroFill ?? true;
  const perResidents = options.perResidents ?? 1000;
  if (!(perResidents > 0)) invalidOption(FN, "perResidents", "a positive number", perResidents);
  const shareOf = options.shareOf ?? (by.includes("category") ? "category" : by[0]);
  if (!by.includes(shareOf)) invalidOption(FN, "shareOf", `one of the dimensions in by (${by.join(", ")})`, shareOf);
  const totals = options.totals ?? [];
  if (!Array.isArray(totals) || totals.some((d) => !by.includes(d) || d === "period")) invalidOption(FN, "totals", "dimensions listed in by (not period)", totals);
  const areaDimension = options.areaDimension ?? by.find((d) => AREA_DIMENSIONS.includes(d));
  if (options.population !== undefined && (areaDimension === undefined || !by.includes(areaDimension))) {
    invalidOption(FN, "areaDimension", "an area dimension listed in by when population is given", areaDimension);
  }
  const coarse = options.coarse ?? "error";
  const n = table.length;

  // Universe: which incidents count, and (with groups) which category cells each feeds.
  const cat = table.category;
  let inUniverse: Uint8Array = new Uint8Array(cat.values.length).fill(1);
  inUniverse[0] = 1;
  let groupOf: number[][] | null = null;
  let groupKeys: string[] = [];
  if (options.categories !== undefined) {
    if (!Array.isArray(options.categories) || options.categories.length === 0) {
      throw new InputError("unknown-category", `${FN}: categories must be a non-empty list of category keys, got ${describeValue(options.categories)}`);
    }
    inUniverse = valueMask(cat, options.categories);
  }
  if (options.groups !== undefined) {
    const g = groupMembership(cat.values, options.groups, { fn: FN });
    groupKeys = g.keys;
    groupOf = g.members;
    for (let c = 0; c < cat.values.length; ++c) if (groupOf[c].length === 0) inUniverse[c] = 0;
  }

  // Periods.
  let periodOf: Int32Array | null = null; // per incident: index into periods, -1 none
  let periods: Period[] = [];
  let multiPeriod: ((i: number, emit: (p: number) => void) => void) | null = null;
  let listPeriodOf: Int32Array | null = null; // per incident, for a list of disjoint periods: index into periods, -1 none
  let excluded = 0;
  const fyStartMonth = options.fyStartMonth;
  if (options.periods !== undefined) {
    const popts = { zone: table.zone, fyStartMonth };
    if (typeof options.periods === "string") {
      const res = periodIndex(table, options.periods, { ...popts, coarse });
      excluded = res.excluded;
      periods = res.periods;
      const placeByOrdinal = (into: Int32Array) => {
        for (let i = 0; i < n; ++i) into[i] = res.ordinal[i] < 0 ? -1 : res.ordinal[i] - res.offset;
        return into;
      };
      periodOf = placeByOrdinal(new Int32Array(n));
    } else if (Array.isArray(options.periods)) {
      if (options.periods.length === 0) invalidOption(FN, "periods", "a unit or a non-empty list of periods", options.periods);
      periods = options.periods.map((p) => (typeof p === "string" ? parsePeriod(p, popts) : p));
      const need = periods.map((p) => (p.unit === "range" ? 3 : unitPrecision(p.unit)));
      const keys = new Set<string>();
      for (const p of periods) {
        if (keys.has(p.key)) invalidOption(FN, "periods", "distinct periods", p.key);
        keys.add(p.key);
      }
      // Periods in time order without overlaps (the usual case, e.g. the months of two
      // windows) are searched by bisection; overlapping lists are scanned.
      const order = periods.map((_, k) => k).sort((a, b) => periods[a].start - periods[b].start);
      const disjoint = order.every((k, j) => j === 0 || periods[order[j - 1]].end <= periods[k].start);
      const firstEndingAfter = (t: number) => {
        // The first position j in `order` whose period ends after t (periods disjoint and sorted).
        let lo = 0;
        let hi = order.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (periods[order[mid]].end <= t) lo = mid + 1;
          else hi = mid;
        }
        return lo;
      };
      const minNeed = Math.min(...need);
      const exclude = new Uint8Array(n);
      const excludeCoarse = () => {
        for (let i = 0; i < n; ++i) {
          if (table.precision[i] <= minNeed) continue;
          const from = disjoint ? firstEndingAfter(table.start[i]) : 0;
          for (let j = from; j < order.length; ++j) {
            const k = order[j];
            if (disjoint && periods[k].start >= table.end[i]) break;
            // A coarse record is judged by its whole window: a police.uk month overlaps 30 October
            // without starting in it, and must not be silently left out of that day.
            if (table.precision[i] <= need[k] || table.start[i] >= periods[k].end || table.end[i] <= periods[k].start) continue;
            if (coarse === "error") throw new InputError("precision-too-coarse", `${FN}: period ${periods[k].key} needs records known to the ${PRECISIONS[need[k]]}; row ${i} is known only to the ${PRECISIONS[table.precision[i]]} (use coarse: "exclude")`);
            exclude[i] = 1;
          }
          if (exclude[i]) excluded += 1;
        }
      };
      excludeCoarse();
      if (disjoint) {
        // At most one period per row: placed once per row here (a row's start is compared with
        // the last one first: rows come in runs of one start), so the count loop reads an array.
        let lastT = NaN;
        let lastK = -1;
        const placeRows = (listPeriodOf: Int32Array) => {
          for (let i = 0; i < n; ++i) {
            if (exclude[i]) {
              listPeriodOf[i] = -1;
              continue;
            }
            const t = table.start[i];
            if (t !== lastT) {
              lastT = t;
              const j = firstEndingAfter(t);
              lastK = j < order.length && periods[order[j]].start <= t ? order[j] : -1;
            }
            listPeriodOf[i] = lastK;
          }
          return listPeriodOf;
        };
        listPeriodOf = placeRows(new Int32Array(n));
      } else {
        // Overlapping periods: a row may fall in several, so they are scanned per row.
        multiPeriod = (i, emit) => {
          if (exclude[i]) return;
          const t = table.start[i];
          for (let k = 0; k < periods.length; ++k) if (t >= periods[k].start && t < periods[k].end) emit(k);
        };
      }
    } else invalidOption(FN, "periods", "a period unit or a list of periods", options.periods);
  } else if (by.includes("period")) {
    invalidOption(FN, "periods", "a unit or list of periods when by includes \"period\"", undefined);
  }
  // A unit-based period index only lists periods that contain incidents; fill the gaps.
  if (periodOf && periods.length > 1) periods = periodsBetween(periods[0], periods[periods.length - 1], undefined, { zone: table.zone, fyStartMonth });

  // Axes.
  const axes: Axis[] = by.map((name) => {
    const hasAll = (totals as readonly string[]).includes(name);
    if (name === "period") return { name, labels: periods.map((p) => p.key), rowCode: null, hasAll: false };
    if (name === "category" && groupOf) return { name, labels: [...groupKeys, ...(hasAll ? [ALL] : [])], rowCode: null, hasAll };
    const col: DictColumn = table[name as (typeof DICT_DIMENSIONS)[number]];
    const fixed = options.values?.[name as (typeof DICT_DIMENSIONS)[number]];
    let labels: (string | null)[];
    let rowCode: Int32Array;
    if (fixed !== undefined) {
      if (!Array.isArray(fixed)) invalidOption(FN, `values.${name}`, "an array of values", fixed);
      labels = [...fixed];
      const pos = new Map<string | null, number>(labels.map((v, k) => [v, k]));
      const remap = Int32Array.from(col.values, (v) => pos.get(v) ?? -1);
      rowCode = new Int32Array(n);
      for (let i = 0; i < n; ++i) rowCode[i] = remap[col.codes[i]];
    } else {
      // Values in data order of the dictionary; null (code 0) only if some counted row has it.
      let used = new Uint8Array(col.values.length);
      for (let i = 0; i < n; ++i) if (inUniverse[cat.codes[i]]) used[col.codes[i]] = 1;
      if (name === "category" && options.categories) {
        used = new Uint8Array(col.values.length);
        for (const k of options.categories) {
          const c = col.values.indexOf(k);
          if (c > 0) used[c] = 1;
        }
      }
      const remap = new Int32Array(col.values.length).fill(-1);
      labels = [];
      const order = [...col.values.keys()].filter((c) => used[c]);
      order.sort((a, b) => (a === 0 ? 1 : b === 0 ? -1 : String(col.values[a]).localeCompare(String(col.values[b]))));
      for (const c of order) {
        remap[c] = labels.length;
        labels.push(col.values[c]);
      }
      if (name === "category" && options.categories) {
        for (const k of options.categories) if (!labels.includes(k)) labels.push(k); // absent categories count zero
      }
      rowCode = new Int32Array(n);
      for (let i = 0; i < n; ++i) rowCode[i] = remap[col.codes[i]];
    }
    if (hasAll) labels.push(ALL);
    return { name, labels, rowCode, hasAll };
  });

  // Strides over the full grid of cells.
  const sizes = axes.map((a) => a.labels.length);
  const strides = new Array<number>(axes.length);
  let cells = 1;
  for (let d = axes.length - 1; d >= 0; --d) {
    strides[d] = cells;
    cells *= Math.max(1, sizes[d]);
  }
  if (cells > 50_000_000) invalidOption(FN, "by", "a breakdown with at most 50 million cells", by.join(" × ") + ` (${cells} cells)`);
  const counts = new Float64Array(cells);
  const shareAxis = by.indexOf(shareOf);
  const denominators = new Float64Array(cells / Math.max(1, sizes[shareAxis]) || 1);
  // Denominator index: the cell index with the share axis removed.
  const denomIndex = (cell: number) => {
    const s = strides[shareAxis];
    const high = Math.floor(cell / (s * sizes[shareAxis]));
    return high * s + (cell % s);
  };

  let total = 0;
  let notCounted = 0;
  const codes = new Int32Array(axes.length);
  const denomSeen: number[] = [];
  let seenCount = 0;
  const alt: number[][] = axes.map(() => []);
  // This function's row and cell loops run in small functions of their own (placeByOrdinal,
  // excludeCoarse and placeRows above; countFast, countEach and emitRows below): a loop that runs
  // long has V8 optimise the function it is in, and this one is thousands of bytecodes long and
  // called with many option shapes (recompiled after each deoptimisation: ≈ 140 ms of a compiler
  // thread each time over 60 national reports, 2026-12-07); a closure a few hundred bytecodes
  // long compiles fast.
  // The common case, one cell per incident (no groups, no roll-ups, at most one period per
  // incident): the cell is a sum of codes × strides, with no per-row lists.
  const onePeriodOf = periodOf ?? listPeriodOf;
  const fast = groupOf === null && axes.every((a) => !a.hasAll) && (options.periods === undefined || onePeriodOf !== null);
  if (fast) {
    const rowCodes = axes.map((a) => (a.name === "period" ? onePeriodOf! : a.rowCode!));
    const stride = Int32Array.from(strides);
    const restrict = options.periods !== undefined && !by.includes("period") ? onePeriodOf : null;
    const dims = axes.length;
    const countFast = () => {
      for (let i = 0; i < n; ++i) {
        if (!inUniverse[cat.codes[i]] || (restrict !== null && restrict[i] < 0)) {
          notCounted += 1;
          continue;
        }
        let cell = 0;
        let d = 0;
        for (; d < dims; ++d) {
          const v = rowCodes[d][i];
          if (v < 0) break;
          cell += v * stride[d];
        }
        if (d < dims) {
          notCounted += 1;
          continue;
        }
        total += 1;
        counts[cell] += 1;
        denominators[denomIndex(cell)] += 1;
      }
    };
    countFast();
  } else {
    const countEach = () => {
      for (let i = 0; i < n; ++i) {
        const c = cat.codes[i];
        if (!inUniverse[c]) {
          notCounted += 1;
          continue;
        }
        let ok = true;
        for (let d = 0; d < axes.length; ++d) {
          const a = axes[d];
          const list = alt[d];
          list.length = 0;
          if (a.name === "period") {
            if (onePeriodOf) {
              if (onePeriodOf[i] >= 0) list.push(onePeriodOf[i]);
            } else if (multiPeriod) multiPeriod(i, (k) => list.push(k));
          } else if (a.rowCode) {
            if (a.rowCode[i] >= 0) list.push(a.rowCode[i]);
          } else for (const g of groupOf![c]) list.push(g);
          if (a.hasAll && list.length) list.push(a.labels.length - 1);
          if (list.length === 0) ok = false;
        }
        // Without a period axis, periods (if given) still restrict what is counted.
        if (ok && !by.includes("period") && options.periods !== undefined) {
          if (onePeriodOf) ok = onePeriodOf[i] >= 0;
          else {
            let any = false;
            multiPeriod!(i, () => (any = true));
            ok = any;
          }
        }
        if (!ok) {
          notCounted += 1;
          continue;
        }
        total += 1;
        // Enumerate the cartesian product of this incident's cells.
        codes.fill(0);
        // The denominator cells this incident has counted in (a few at most: a list, not a Set per row).
        seenCount = 0;
        for (;;) {
          let cell = 0;
          for (let d = 0; d < axes.length; ++d) cell += alt[d][codes[d]] * strides[d];
          counts[cell] += 1;
          const di = denomIndex(cell);
          // An incident counts once per denominator cell (overlapping groups, roll-ups on the share axis).
          if (!(axes[shareAxis].hasAll && alt[shareAxis][codes[shareAxis]] === sizes[shareAxis] - 1)) {
            let seen = false;
            for (let k = 0; k < seenCount && !seen; ++k) seen = denomSeen[k] === di;
            if (!seen) {
              denomSeen[seenCount++] = di;
              denominators[di] += 1;
            }
          }
          let d = axes.length - 1;
          while (d >= 0 && ++codes[d] >= alt[d].length) codes[d--] = 0;
          if (d < 0) break;
        }
      }
    };
    countEach();
  }

  // Population.
  const pop = options.population;
  const popOf = (v: string): number | undefined => {
    if (pop === undefined) return undefined;
    const x = pop instanceof Map ? pop.get(v) : (pop as Record<string, number>)[v];
    return typeof x === "number" && Number.isFinite(x) && x >= 0 ? x : undefined;
  };
  const areaAxis = areaDimension !== undefined ? by.indexOf(areaDimension) : -1;
  const missingPopulation = new Set<string>();
  let allPopulation: number | null = null;
  if (pop !== undefined && areaAxis >= 0) {
    let sum = 0;
    for (const v of axes[areaAxis].labels) {
      if (v === null || v === ALL) continue;
      const p = popOf(v);
      if (p === undefined) missingPopulation.add(v);
      else sum += p;
    }
    allPopulation = missingPopulation.size ? null : sum;
  }
  const labelsInRows = new Set(areaAxis >= 0 ? axes[areaAxis].labels : []);
  const unusedPopulation = pop === undefined ? [] : [...(pop instanceof Map ? pop.keys() : Object.keys(pop))].filter((k) => !labelsInRows.has(k)).sort();

  // Coverage of each period (per source when broken down by source).
  const periodAxis = by.indexOf("period");
  const sourceAxis = by.indexOf("source");
  const coverageOf = (() => {
    if (periodAxis < 0) return null;
    const fraction = (spans: Span[]) => periods.map((p) => coveredMinutes(spans, p.start, p.end) / (p.end - p.start));
    if (sourceAxis >= 0) {
      const perSource = new Map<string | null, number[]>();
      for (const v of axes[sourceAxis].labels) if (v !== ALL) perSource.set(v, fraction(coveredSpans(table, { sources: [v] })));
      const all = fraction(coveredSpans(table, { categories: universeCategories(options.categories, options.groups) }));
      return (source: string | null, k: number) => (source === ALL ? all[k] : perSource.get(source)![k]);
    }
    const all = fraction(coveredSpans(table, { categories: universeCategories(options.categories, options.groups) }));
    return (_: string | null, k: number) => all[k];
  })();

  // Rows.
  const rows: LevelRow[] = [];
  codes.fill(0);
  if (cells > 0 && sizes.every((s) => s > 0)) {
    const emitRows = () => {
      for (let cell = 0; cell < cells; ++cell) {
        const count = counts[cell];
        if (count === 0 && !zeroFill) continue;
        const row: LevelRow = { count, share: null, population: null, rate: null, coverage: null };
        let rem = cell;
        for (let d = 0; d < axes.length; ++d) {
          const k = Math.floor(rem / strides[d]);
          rem -= k * strides[d];
          codes[d] = k;
          row[axes[d].name] = axes[d].labels[k];
        }
        const denom = denominators[denomIndex(cell)];
        const onAll = axes[shareAxis].hasAll && codes[shareAxis] === sizes[shareAxis] - 1;
        row.share = onAll ? (denom > 0 ? 1 : null) : denom > 0 ? count / denom : null;
        if (areaAxis >= 0 && pop !== undefined) {
          const v = axes[areaAxis].labels[codes[areaAxis]];
          const p = v === ALL ? allPopulation : v === null ? null : (popOf(v) ?? null);
          row.population = p;
          row.rate = p !== null && p > 0 ? (count / p) * perResidents : null;
        }
        // Key order: dimensions first, then measures.
        const ordered = {} as LevelRow;
        for (const a of axes) ordered[a.name] = row[a.name];
        ordered.count = row.count;
        ordered.share = row.share;
        ordered.population = row.population;
        ordered.rate = row.rate;
        ordered.coverage = coverageOf === null ? null : coverageOf(sourceAxis >= 0 ? (axes[sourceAxis].labels[codes[sourceAxis]] as string | null) : null, codes[periodAxis]);
        rows.push(ordered);
      }
    };
    emitRows();
  }
  return { rows, by, total, notCounted, excluded, missingPopulation: [...missingPopulation].sort(), unusedPopulation };
}
