import { DictBuilder, type DictColumn, dictValue } from "./dictionary.js";
import { IdBuilder, type IdColumn, idValue } from "./id-column.js";
import { recordsCoverage, type SourceCoverage } from "./coverage.js";

/**
 * How finely an incident's time is known. Codes order from finest to coarsest, so
 * `precision <= PRECISION.day` means "known at least to the day".
 */
export const PRECISION = { minute: 0, hour: 1, day: 2, month: 3, year: 4 } as const;
export type Precision = keyof typeof PRECISION;
export const PRECISIONS: readonly Precision[] = ["minute", "hour", "day", "month", "year"];

/** Bit flags in {@link IncidentTable.flags}. */
export const FLAG = { alcohol: 1, domestic: 2, hate: 4 } as const;
export type Flag = keyof typeof FLAG;

/** Stable keys for the sources partnerships share; any other string is accepted as-is. */
export const SOURCES = [
  "police-recorded-crime",
  "asb-incident",
  "deliberate-fire",
  "ambulance-callout",
  "hospital-admission",
  "other",
] as const;

/**
 * The one columnar table every analysis reads. Row `i` of every column describes incident `i`.
 *
 * | column | storage | meaning |
 * |---|---|---|
 * | `id` | bytes + offsets (hex-packed when possible) | the source's id; `null` when blank (police.uk ASB) |
 * | `source` | dictionary | `police-recorded-crime`, `asb-incident`, `deliberate-fire`, … |
 * | `category`, `subcategory` | dictionary | stable keys, e.g. police.uk `burglary` |
 * | `start`, `end` | Int32, epoch minutes (UTC instants) | half-open occurrence window `[start, end)` |
 * | `precision` | Uint8 ({@link PRECISION}) | how finely `start`/`end` are known |
 * | `x`, `y` | Float64, metres in `crs` | `NaN` when the record has no location |
 * | `lon`, `lat` | Float64, WGS84 degrees | kept for output only |
 * | `location` | dictionary | street or place text (`On or near ` removed) |
 * | `lsoa`, `ward`, `beat`, `district` | dictionary | area codes or names |
 * | `flags` | Uint8 bits ({@link FLAG}) | alcohol-related, domestic, hate |
 * | `victim`, `place` | dictionary | optional victim and location keys (repeat analysis) |
 * | `outcome` | dictionary | last outcome |
 * | `force` | dictionary | the supplying organisation (police.uk "Falls within") |
 *
 * A month-precision record (police.uk) has `start` at local midnight on the 1st and `end`
 * at local midnight on the 1st of the next month in `zone`; its `precision` is `month`, and
 * analyses that need a day, weekday or hour refuse it rather than use `start` as a day.
 * Resident size is about 95 bytes per police.uk incident (see the README's benchmarks).
 */
export interface IncidentTable {
  readonly length: number;
  /** IANA zone in which periods (months, financial years, weekdays) are reckoned. */
  readonly zone: string;
  /** Projected CRS of `x`/`y`, e.g. `EPSG:27700` or `EPSG:32630`. */
  readonly crs: string;
  readonly id: IdColumn;
  readonly source: DictColumn;
  readonly category: DictColumn;
  readonly subcategory: DictColumn;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly precision: Uint8Array;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly lon: Float64Array;
  readonly lat: Float64Array;
  readonly location: DictColumn;
  readonly lsoa: DictColumn;
  readonly ward: DictColumn;
  readonly beat: DictColumn;
  readonly district: DictColumn;
  readonly flags: Uint8Array;
  readonly victim: DictColumn;
  readonly place: DictColumn;
  readonly outcome: DictColumn;
  readonly force: DictColumn;
  /** Names for area codes where the source gives them (police.uk LSOA code → LSOA name). */
  readonly areaNames: ReadonlyMap<string, string>;
  /**
   * Bits of {@link FLAG} the source actually records. A flag bit that is 0 on every row
   * means "not flagged" only where this mask has the bit; otherwise it is unknown (police.uk
   * records no flags, so its mask is 0 and no domestic share can be taken from it).
   */
  readonly flagsRecorded: number;
  /**
   * The time each source covers (see {@link SourceCoverage} and `coverage(table)`): police.uk
   * tables know the months of the files read; other sources the stretch from the first record
   * to the last less whole months with no record, or a declared extract window. Counts in
   * uncovered time are unknown, not zero. Row selections keep the coverage of the whole table.
   */
  readonly coverage: readonly SourceCoverage[];
}

/** The names of the dictionary-encoded columns. */
export const DICT_COLUMNS = [
  "source",
  "category",
  "subcategory",
  "location",
  "lsoa",
  "ward",
  "beat",
  "district",
  "victim",
  "place",
  "outcome",
  "force",
] as const;
export type DictColumnName = (typeof DICT_COLUMNS)[number];

/** One incident as a plain object (for display and tests; analyses read the columns). */
export interface IncidentRow {
  id: string | null;
  source: string | null;
  category: string | null;
  subcategory: string | null;
  /** Window start and end as ISO instants (UTC). */
  start: string;
  end: string;
  precision: Precision;
  x: number | null;
  y: number | null;
  lon: number | null;
  lat: number | null;
  location: string | null;
  lsoa: string | null;
  ward: string | null;
  beat: string | null;
  district: string | null;
  alcohol: boolean;
  domestic: boolean;
  hate: boolean;
  victim: string | null;
  place: string | null;
  outcome: string | null;
  force: string | null;
}

const MS_PER_MINUTE = 60_000;

type TypedArray = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;

/** A copy of `a` in a new array of the same type with room for `capacity` elements. */
export function growTyped<T extends TypedArray>(a: T, capacity: number): T {
  const next = new (a.constructor as new (n: number) => T)(capacity);
  next.set(a);
  return next;
}

/** Returns incident `i` as a plain object. */
export function incidentRow(table: IncidentTable, i: number): IncidentRow {
  const num = (v: number) => (Number.isNaN(v) ? null : v);
  const f = table.flags[i];
  return {
    id: idValue(table.id, i),
    source: dictValue(table.source, i),
    category: dictValue(table.category, i),
    subcategory: dictValue(table.subcategory, i),
    start: new Date(table.start[i] * MS_PER_MINUTE).toISOString(),
    end: new Date(table.end[i] * MS_PER_MINUTE).toISOString(),
    precision: PRECISIONS[table.precision[i]],
    x: num(table.x[i]),
    y: num(table.y[i]),
    lon: num(table.lon[i]),
    lat: num(table.lat[i]),
    location: dictValue(table.location, i),
    lsoa: dictValue(table.lsoa, i),
    ward: dictValue(table.ward, i),
    beat: dictValue(table.beat, i),
    district: dictValue(table.district, i),
    alcohol: (f & FLAG.alcohol) !== 0,
    domestic: (f & FLAG.domestic) !== 0,
    hate: (f & FLAG.hate) !== 0,
    victim: dictValue(table.victim, i),
    place: dictValue(table.place, i),
    outcome: dictValue(table.outcome, i),
    force: dictValue(table.force, i),
  };
}

/** Returns every incident as a plain object (O(n) objects: for small tables and display). */
export function incidentRows(table: IncidentTable): IncidentRow[] {
  const rows: IncidentRow[] = new Array(table.length);
  for (let i = 0; i < table.length; ++i) rows[i] = incidentRow(table, i);
  return rows;
}

/**
 * Returns the table's columns as plain arrays keyed by name, decoded (strings, numbers,
 * booleans), ready for `aq.table(incidentColumns(table))` in arquero.
 */
export function incidentColumns(table: IncidentTable): Record<string, ArrayLike<unknown>> {
  const n = table.length;
  const out: Record<string, ArrayLike<unknown>> = {};
  const ids = new Array<string | null>(n);
  for (let i = 0; i < n; ++i) ids[i] = idValue(table.id, i);
  out.id = ids;
  for (const name of DICT_COLUMNS) {
    const col = table[name];
    const a = new Array<string | null>(n);
    for (let i = 0; i < n; ++i) a[i] = col.values[col.codes[i]];
    out[name] = a;
  }
  out.start = Float64Array.from(table.start, (m) => m * MS_PER_MINUTE);
  out.end = Float64Array.from(table.end, (m) => m * MS_PER_MINUTE);
  out.precision = Array.from(table.precision, (p) => PRECISIONS[p]);
  out.x = table.x;
  out.y = table.y;
  out.lon = table.lon;
  out.lat = table.lat;
  for (const [flag, bit] of Object.entries(FLAG)) out[flag] = Array.from(table.flags, (f) => (f & bit) !== 0);
  return out;
}

/** Approximate resident bytes of a table's columns and dictionaries. */
export function tableBytes(table: IncidentTable): number {
  let bytes = table.id.bytes.byteLength + table.id.offsets.byteLength;
  for (const a of [table.start, table.end, table.precision, table.x, table.y, table.lon, table.lat, table.flags]) {
    bytes += a.byteLength;
  }
  for (const name of DICT_COLUMNS) {
    const col = table[name];
    bytes += col.codes.byteLength;
    for (const v of col.values) bytes += v === null ? 8 : 16 + 2 * v.length + 40; // string + Map-free array slot
  }
  return bytes;
}

/**
 * Accumulates incidents column by column. Adapters call {@link IncidentTableBuilder.addRow},
 * fill the row through the public columns and setters, and finally call `finish`, which
 * gives the kept rows as columns of exactly that many rows (copies, or with `release` the
 * builder's own storage, compacted in place).
 */
export class IncidentTableBuilder {
  length = 0;
  private capacity: number;
  /**
   * How many times the numeric columns were reallocated because a row did not fit (each
   * growth doubles them and copies every row): 0 when the capacity given was enough.
   */
  growths = 0;
  id = new IdBuilder();
  readonly dict: Record<DictColumnName, DictBuilder>;
  start: Int32Array;
  end: Int32Array;
  precision: Uint8Array;
  x: Float64Array;
  y: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
  flags: Uint8Array;
  readonly areaNames = new Map<string, string>();
  /** Bits of {@link FLAG} the source records (see {@link IncidentTable.flagsRecorded}). */
  flagsRecorded = 0;
  /**
   * Declared coverage (see {@link IncidentTable.coverage}). Sources of kept rows without an
   * entry here get coverage found from their records when the table is finished.
   */
  coverage: SourceCoverage[] = [];

  constructor(
    readonly zone: string,
    readonly crs: string,
    capacity = 1024,
  ) {
    this.capacity = Math.max(16, capacity);
    const c = this.capacity;
    this.dict = Object.fromEntries(DICT_COLUMNS.map((k) => [k, new DictBuilder(c)])) as Record<DictColumnName, DictBuilder>;
    this.start = new Int32Array(c);
    this.end = new Int32Array(c);
    this.precision = new Uint8Array(c);
    this.x = new Float64Array(c);
    this.y = new Float64Array(c);
    this.lon = new Float64Array(c);
    this.lat = new Float64Array(c);
    this.flags = new Uint8Array(c);
  }

  /** Appends an empty row (no location, no time) and returns its index. */
  addRow(): number {
    if (this.length === this.capacity) this.grow();
    const i = this.length++;
    this.x[i] = this.y[i] = this.lon[i] = this.lat[i] = NaN;
    return i; // ids are written with id.set(i, …) at most once per row; unset ids are empty
  }

  /**
   * Appends `n` rows whose every column the caller then writes (numeric columns are not
   * initialised: unlike {@link IncidentTableBuilder.addRow}, x/y/lon/lat are 0, not NaN) and
   * returns the first one's index. Grows the numeric columns at most once.
   * @internal Used to append rows parsed elsewhere (a worker thread) in bulk.
   */
  addRows(n: number): number {
    const first = this.length;
    if (first + n > this.capacity) this.grow(first + n);
    this.length = first + n;
    return first;
  }

  /**
   * Drops every row, keeping the dictionaries (so codes already handed out stay valid) and
   * the storage already allocated.
   * @internal Used by a reader that hands its rows over in parts (worker threads).
   */
  clearRows(): void {
    this.length = 0;
    this.id = new IdBuilder();
  }

  /** Reallocates the numeric columns at twice the capacity (at least `min` rows), copying every row. */
  private grow(min = 0): void {
    let c = Math.max(16, this.capacity * 2);
    while (c < min) c *= 2;
    this.growths += 1;
    const g = <T extends TypedArray>(a: T): T => growTyped(a, c);
    this.start = g(this.start);
    this.end = g(this.end);
    this.precision = g(this.precision);
    this.x = g(this.x);
    this.y = g(this.y);
    this.lon = g(this.lon);
    this.lat = g(this.lat);
    this.flags = g(this.flags);
    this.capacity = c;
  }

  /**
   * The kept rows (in the order given; all rows when omitted) as an {@link IncidentTable} whose
   * columns have exactly `n` rows: copies, unless `release` lets the builder hand over its own.
   *
   * With `release: true` the builder hands over its own columns, the kept rows moved to the front
   * in place when `keep` is strictly increasing (otherwise each column is copied and let go at
   * once, so at most one column exists twice): the table's columns are then views of the
   * builder's storage (`subarray`, whose `.buffer` may be longer than the column); the builder
   * cannot be used afterwards.
   * With `ids: false` the IDs are not copied: every row of the table has an empty ID (for a
   * reader that needed them only to find duplicates).
   */
  finish(keep?: Uint32Array, options: { release?: boolean; ids?: boolean } = {}): IncidentTable {
    const release = options.release ?? false;
    const n = keep ? keep.length : this.length;
    const length = this.length;
    const d = this.dict;
    // Coverage reads start/end/precision/source: found before any column is let go.
    const coverage = [...this.coverage, ...recordsCoverage({ length, start: this.start, end: this.end, precision: this.precision, source: { codes: d.source.codes, values: d.source.values } }, this.zone, this.coverage, keep)];
    // Released columns are compacted in place (rows only move forward when `keep` increases)
    // and handed over as views of their first n rows: no column is copied, so none is held twice
    // and no fresh page is written (≈ 1.6 GB at 18M rows, seconds on a machine whose first
    // touch of a page is slow). The pages past n are the builder's unused capacity, mostly never
    // written, so not resident.
    const inPlace = release && (!keep || increasing(keep));
    const pick = <T extends Int32Array | Uint8Array | Float64Array>(a: T): T => {
      if (inPlace) {
        if (keep) for (let k = 0; k < n; ++k) a[k] = a[keep[k]];
        return a.subarray(0, n) as T;
      }
      if (!keep) return a.slice(0, n) as T;
      const out = new (a.constructor as new (n: number) => T)(n);
      for (let k = 0; k < n; ++k) out[k] = a[keep[k]];
      return out;
    };
    // Each numeric column copied, then (with release) replaced by an empty one.
    const num = <T extends Int32Array | Uint8Array | Float64Array>(a: T, drop: () => void): T => {
      const out = pick(a);
      if (release) drop();
      return out;
    };
    const col = (name: DictColumnName) => {
      const out = d[name].finish(length, keep, { inPlace });
      if (release) d[name].codes = new Uint32Array(0);
      return out;
    };
    const id: IdColumn = options.ids ?? true ? this.id.finish(length, keep, { inPlace }) : { encoding: this.id.encoding, bytes: new Uint8Array(0), offsets: new Uint32Array(n + 1) };
    if (release) this.id = new IdBuilder();
    const table: IncidentTable = {
      length: n,
      zone: this.zone,
      crs: this.crs,
      id,
      source: col("source"),
      category: col("category"),
      subcategory: col("subcategory"),
      start: num(this.start, () => (this.start = new Int32Array(0))),
      end: num(this.end, () => (this.end = new Int32Array(0))),
      precision: num(this.precision, () => (this.precision = new Uint8Array(0))),
      x: num(this.x, () => (this.x = new Float64Array(0))),
      y: num(this.y, () => (this.y = new Float64Array(0))),
      lon: num(this.lon, () => (this.lon = new Float64Array(0))),
      lat: num(this.lat, () => (this.lat = new Float64Array(0))),
      location: col("location"),
      lsoa: col("lsoa"),
      ward: col("ward"),
      beat: col("beat"),
      district: col("district"),
      flags: num(this.flags, () => (this.flags = new Uint8Array(0))),
      victim: col("victim"),
      place: col("place"),
      outcome: col("outcome"),
      force: col("force"),
      areaNames: new Map(this.areaNames),
      flagsRecorded: this.flagsRecorded,
      coverage,
    };
    if (release) {
      this.length = 0;
      this.capacity = 0;
    }
    return table;
  }
}

/** Whether `keep` is strictly increasing (so rows picked in place only move forward). */
function increasing(keep: ArrayLike<number>): boolean {
  for (let k = 1; k < keep.length; ++k) if (!(keep[k] > keep[k - 1])) return false;
  return true;
}
