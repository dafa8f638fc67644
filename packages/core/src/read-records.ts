import { InputError, invalidOption, describeValue } from "./errors.js";
import { IdIndex } from "./id-column.js";
import { IncidentTableBuilder, PRECISION, PRECISIONS, FLAG, type Flag, type Precision, type DictColumnName, growTyped } from "./incident-table.js";
import { NO_CONTEXT, clipValue, decimalNumber, monthKeyAt, type IngestResult, type Rejection, type RejectionContext, type RejectionReason, type FileSummary } from "./ingest-result.js";
import { checkZone, type LocalParts } from "./local-time.js";
import { postcodeDistrict } from "./postcode-district.js";
import { projector, projectedBounds, projectedBoundsText, utmCrsFor, type Projector } from "./projection.js";
import { declaredCoverage, spanLabel, type ExtractWindow } from "./coverage.js";
import type { Span } from "./span-set.js";
import {
  compileDateFormat,
  compileTimeFormat,
  dateReading,
  daysInMonth,
  zoneResolver,
  MIN_YEAR,
  MAX_YEAR,
  type DateFormat,
  type DateReading,
  type ZoneResolver,
} from "./date-format.js";

/** A column name, or `{ value }`: the same constant for every row (e.g. `{ value: "police-recorded-crime" }`). */
export type FieldSpec = string | { readonly value: string };

/**
 * Date and time in separate numeric columns (Vancouver's `YEAR, MONTH, DAY, HOUR, MINUTE`).
 * The precision follows the finest part mapped. A blank `hour` makes that row a whole-day
 * window and a blank `minute` a whole-hour window (counted in `summary.notes.coarserTime`);
 * a blank year, month or day rejects the row as `missing-value`.
 */
export interface DatePartColumns {
  readonly year: string;
  readonly month?: string;
  readonly day?: string;
  readonly hour?: string;
  readonly minute?: string;
}

/** A flag column and the values that mean "yes" (default: true/TRUE/True/t/T/yes/Yes/YES/y/Y/1; a boolean `true` always counts). */
export interface FlagColumn {
  readonly field: string;
  readonly values?: readonly string[];
}

/**
 * Where each incident field comes from. A string names a column (a CSV header, a record
 * key, a GeoJSON property); {@link FieldSpec} `{ value }` sets a constant.
 */
export interface ColumnMapping {
  /** The source's own id (police crime reference, CAD number); blank ids read as `null`. */
  readonly id?: string;
  /** Source key (`police-recorded-crime`, `asb-incident`, …). Default `{ value: "other" }`. */
  readonly source?: FieldSpec;
  /** Category: a column (see `categoryMap`) or a constant. Required; a blank value rejects the row (`missing-value`). */
  readonly category: FieldSpec;
  readonly subcategory?: FieldSpec;
  /** One column holding the date (and usually the time), read with `dateFormat`. Give this or `dateParts`. */
  readonly date?: string;
  /** A separate time-of-day column read with `timeFormat`, beside a date-only `date`. Blank → whole-day window. */
  readonly time?: string;
  /** Date and time in separate numeric columns. Give this or `date`. */
  readonly dateParts?: DatePartColumns;
  /**
   * The end of an occurrence window ("last occurrence", "date to"), read with `endDateFormat`.
   * The window becomes `[start, end of the end value's unit)`: `[FIRST, LAST + 1 minute)` for
   * minute data. Blank → the start's unit alone. An end before the start rejects the row
   * (`invalid-date`).
   */
  readonly endDate?: string;
  /** WGS84 longitude/latitude columns, projected to `crs`. */
  readonly lon?: string;
  readonly lat?: string;
  /** Projected easting/northing columns already in `crs` (lon/lat are computed by inverse projection). */
  readonly x?: string;
  readonly y?: string;
  /** Street or place text; a leading `locationPrefix` ("On or near") is removed. */
  readonly location?: FieldSpec;
  readonly lsoa?: FieldSpec;
  readonly ward?: FieldSpec;
  readonly beat?: FieldSpec;
  readonly district?: FieldSpec;
  /**
   * A UK postcode district (outward code, `"LE11"`) or a full postcode, whose outward code is
   * kept (`"le11 3ab"` → `"LE11"`), stored in the `district` column: give this or `district`,
   * not both. A value of any other shape rejects the row as `invalid-value` naming the column;
   * a blank one leaves `district` null.
   */
  readonly postcodeDistrict?: FieldSpec;
  readonly victim?: FieldSpec;
  readonly place?: FieldSpec;
  readonly outcome?: FieldSpec;
  readonly force?: FieldSpec;
  /** Flag columns: `{ domestic: "DV_FLAG" }` or `{ domestic: { field: "DV", values: ["Y"] } }`. */
  readonly flags?: Readonly<Partial<Record<Flag, string | FlagColumn>>>;
}

/**
 * Rows a source suppressed for privacy, recognised by a column's value: `equals` one text or
 * is `in` a list. Matching rows are rejected as `suppressed` before anything else is read
 * (their times and places are placeholders). Declarative on purpose: options stay data, so
 * presets can be stored and printed.
 */
export interface SuppressionRule {
  readonly field: string;
  readonly equals?: string;
  readonly in?: readonly string[];
}

/** Options for {@link readRecords} (and, with a delimiter, `readDelimited`). */
export interface ReadRecordsOptions {
  /** Where each field comes from. Required. */
  readonly columns: ColumnMapping;
  /** Name of the input in rejections and the summary. Default `"records"`. */
  readonly name?: string;
  /** IANA zone of the wall-clock dates. Default `"Europe/London"`: pass the source's zone for other data (`"America/Chicago"`). */
  readonly zone?: string;
  /** Pattern for `columns.date` (luxon tokens or `"iso"`, see `compileDateFormat`). Required with `columns.date`. */
  readonly dateFormat?: string;
  /** Pattern for `columns.time`. Default `"HH:mm"`. */
  readonly timeFormat?: string;
  /** Pattern for `columns.endDate`. Default `dateFormat`. */
  readonly endDateFormat?: string;
  /** Coarsen every window to at least this precision (`"month"` for police.uk `yyyy-MM-01` months). Default: the data's own. */
  readonly precision?: Precision;
  /** `"iso"` dates: ignore a trailing `Z`/offset and read the wall-clock time in `zone`. Default `false`. */
  readonly ignoreOffset?: boolean;
  /**
   * The table's projected CRS. With `lon`/`lat`: the target, `"EPSG:27700"`, a UTM code
   * `"EPSG:326zz"`/`"EPSG:327zz"`, or `"auto"` (default): chosen by the bulk of the valid
   * points once all are read — each votes for British National Grid when it lies in Great
   * Britain or Northern Ireland (−8.7…1.9 E, 49.8…60.9 N), else for its UTM zone, and the CRS
   * with most votes wins (a tie goes to the one voted for first), so a first row with swapped
   * or garbled coordinates cannot decide it. When no point is read at all the table says
   * `"EPSG:27700"`. With `x`/`y`: the CRS they are in (required).
   * Points outside the CRS's area of use ({@link projectedBounds}: BNG easting −10 km…700 km,
   * northing 0…1,300 km; UTM easting 100…900 km, northing 0…10,000 km) are rejected as
   * `outside-bounds` naming the field and the CRS.
   */
  readonly crs?: string;
  /** A proj4 definition for a `crs` outside the built-in ones. */
  readonly crsDefinition?: string;
  /** Raw category value → category key, e.g. `{ "Theft from Vehicle": "theft-from-vehicle" }`. */
  readonly categoryMap?: Readonly<Record<string, string>>;
  /** With `categoryMap`: `"reject"` (default) rejects unmapped values as `unknown-category`; `"keep"` keeps the raw value as the key (counted in `notes.unmappedCategory`). */
  readonly unknownCategory?: "reject" | "keep";
  /** Cell texts that mean "no value" in every mapped column. Default `["", "NA", "NULL"]`. */
  readonly missingValues?: readonly string[];
  /** Removed from the start of location text; text that is only the prefix becomes `null` (`notes.blankStreet`). Default `"On or near"`; `null` keeps text as is. */
  readonly locationPrefix?: string | null;
  /** Lon/lat box `[west, south, east, north]`; points outside are rejected as `outside-bounds`. Default `null` (off). */
  readonly bounds?: readonly [number, number, number, number] | null;
  /** Points further than this from the median accepted point are rejected as `far-outside-area`. Default `Infinity` (off). */
  readonly maxDistanceKm?: number;
  /** Reject points within 0.001° of 0,0 (x/y: within 1 m of 0,0) as `null-island`. Default `true`. */
  readonly nullIsland?: boolean;
  /**
   * Rows without a location to reject as `missing-value`. `true`: rows with no point and no
   * area either (`lsoa`, `ward`, `beat`, `district` and `postcodeDistrict` blank or unmapped);
   * a row with an area but no point is kept, with NaN x/y (counted in `notes.noLocation` and
   * `notes.areaOnly`). `"point"`: every row with no point, area or not. Default `false`: rows
   * without a point are kept (`notes.noLocation`; `notes.areaOnly` for those with an area).
   * `true` needs coordinate or area columns; `"point"` coordinate columns.
   */
  readonly requireLocation?: boolean | "point";
  /** Privacy-suppressed rows to reject as `suppressed`; any matching rule suppresses. */
  readonly suppressedWhen?: SuppressionRule | readonly SuppressionRule[];
  /** `"first"`: keep the first accepted row of each non-blank id and reject later ones as `duplicate-id`. Default `"none"`. */
  readonly dedupe?: "none" | "first";
  /** Expected number of rows, to size storage once. */
  readonly capacity?: number;
  /**
   * The time the extract covers, declared: a period key (`"2019"`) or the first and last
   * periods, inclusive (`["2019-01-15", "2019-12-31"]`). It becomes the table's coverage (every
   * source), and rows that start outside it are rejected as `outside-window`. Default: coverage
   * is found from the records (first to last record, less whole months with none).
   */
  readonly extractWindow?: ExtractWindow;
}

const GB_BOX: readonly [number, number, number, number] = [-8.7, 49.8, 1.9, 60.9];
const DEFAULT_TRUE = ["true", "TRUE", "True", "t", "T", "yes", "Yes", "YES", "y", "Y", "1"];
const DICT_FIELDS = ["source", "subcategory", "lsoa", "ward", "beat", "district", "victim", "place", "outcome", "force"] as const;
const NULL_ISLAND_DEG = 0.001;
const NULL_ISLAND_M = 1;
const CACHE_MAX_SLOTS = 1 << 21;

// Fixed slots of the resolved column index.
const S_ID = 0;
const S_CATEGORY = 1;
const S_DATE = 2;
const S_TIME = 3;
const S_YEAR = 4;
const S_MONTH = 5;
const S_DAY = 6;
const S_HOUR = 7;
const S_MINUTE = 8;
const S_END = 9;
const S_A = 10; // lon or x
const S_B = 11; // lat or y
const S_LOCATION = 12;
const S_DICT = 13; // DICT_FIELDS.length slots
const S_FLAG = S_DICT + DICT_FIELDS.length; // 3 slots
const S_POSTCODE = S_FLAG + 3;
const S_RULES = S_POSTCODE + 1;
/** Indices in DICT_FIELDS of the area columns (a row with one of them but no point is "area-only"). */
const AREA_FIELDS = [DICT_FIELDS.indexOf("lsoa"), DICT_FIELDS.indexOf("ward"), DICT_FIELDS.indexOf("beat"), DICT_FIELDS.indexOf("district")];
const K_DISTRICT = DICT_FIELDS.indexOf("district");

const NOTE_NO_LOCATION = 1;
const NOTE_BLANK_STREET = 2;
const NOTE_DATE_WINDOW = 4;
const NOTE_UNMAPPED_CATEGORY = 8;
const NOTE_COARSER_TIME = 16;
const NOTE_AREA_ONLY = 32;

/** The longitude slot used by `readGeoJsonPoints` (the field name in its rejections). */
export const GEOMETRY_LON = "geometry.coordinates[0]";
/** The latitude slot used by `readGeoJsonPoints` (the field name in its rejections). */
export const GEOMETRY_LAT = "geometry.coordinates[1]";

const hashF64 = new Float64Array(2);
const hashU32 = new Uint32Array(hashF64.buffer);
const utf8 = new TextDecoder();

/**
 * An open-addressing map from a pair of doubles (lon/lat or x/y) to a pair of doubles (its
 * projection), so repeated coordinates (police.uk snap points, hundred-block centroids) are
 * projected once, with no per-row allocation. Stops growing at 2^20 entries.
 */
class PointCache {
  private keys = new Float64Array(2 * 4096);
  private vals = new Float64Array(2 * 4096);
  private used = new Uint8Array(4096);
  private size = 0;

  private slot(a: number, b: number): number {
    hashF64[0] = a;
    hashF64[1] = b;
    let h = Math.imul(hashU32[0] ^ Math.imul(hashU32[1], 0x9e3779b1), 0x85ebca77) ^ Math.imul(hashU32[2] ^ Math.imul(hashU32[3], 0xc2b2ae3d), 0x27d4eb2f);
    h ^= h >>> 15;
    const mask = this.used.length - 1;
    let s = h & mask;
    while (this.used[s] && !(this.keys[2 * s] === a && this.keys[2 * s + 1] === b)) s = (s + 1) & mask;
    return s;
  }

  /** On a hit writes the cached pair to out[off], out[off + 1] and returns true. */
  get(a: number, b: number, out: Float64Array, off: number): boolean {
    const s = this.slot(a, b);
    if (!this.used[s]) return false;
    out[off] = this.vals[2 * s];
    out[off + 1] = this.vals[2 * s + 1];
    return true;
  }

  set(a: number, b: number, p: number, q: number): void {
    if ((this.size + 1) * 2 > this.used.length) {
      if (this.used.length >= CACHE_MAX_SLOTS) return; // full: project without caching from now on
      const { keys, vals, used } = this;
      this.keys = new Float64Array(keys.length * 2);
      this.vals = new Float64Array(vals.length * 2);
      this.used = new Uint8Array(used.length * 2);
      this.size = 0;
      for (let s = 0; s < used.length; ++s) if (used[s]) this.set(keys[2 * s], keys[2 * s + 1], vals[2 * s], vals[2 * s + 1]);
    }
    const s = this.slot(a, b);
    if (!this.used[s]) this.size += 1;
    this.used[s] = 1;
    this.keys[2 * s] = a;
    this.keys[2 * s + 1] = b;
    this.vals[2 * s] = p;
    this.vals[2 * s + 1] = q;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function textOf(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? "Invalid Date" : v.toISOString();
  try {
    return String(v);
  } catch {
    return Object.prototype.toString.call(v); // no usable toString (Object.create(null), a throwing one)
  }
}

/**
 * A number from a cell: numbers as is, text written as a plain decimal parsed; NaN otherwise
 * (blank text, `"0x34"`, `"Infinity"`, `"1e999"`: see `decimalNumber`).
 */
function numberOf(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v !== "string") return NaN;
  return decimalNumber(v);
}

/**
 * The mapping engine shared by `readRecords`, `readDelimited` and `readGeoJsonPoints`:
 * validates options once, resolves the mapped columns against each input's header, then
 * turns rows of values (strings from a tokenizer, or any values from objects) into incidents
 * or rejections, and finally applies whole-input rules (duplicates, far-away points). Every
 * row passed to {@link RecordIngest.row} or {@link RecordIngest.rejectRow} ends up accepted
 * or rejected, so `summary.rows = accepted + rejected` always holds.
 */
export class RecordIngest {
  /** The distinct column names the mapping reads, in a stable order. */
  readonly names: readonly string[];
  private readonly slotName: (string | null)[];
  private readonly idx: Int32Array;
  private readonly b: IncidentTableBuilder;
  private readonly zone: string;
  private readonly window: Span | null = null;
  private readonly resolver: ZoneResolver;
  private readonly reading: DateReading = dateReading();
  private readonly endReading: DateReading = dateReading();
  private readonly parts: LocalParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, weekday: 0 };
  private readonly dateFmt: DateFormat | null = null;
  private readonly timeFmt: DateFormat | null = null;
  private readonly endFmt: DateFormat | null = null;
  private readonly target: number; // precision option code, or -1
  private readonly timePrecision: number = PRECISION.minute;
  private readonly partsPrecision: number = PRECISION.day;
  private readonly coordMode: 0 | 1 | 2; // none, lon/lat, x/y
  private crs: string | null;
  private readonly crsDefinition: string | undefined;
  private proj: Projector | null = null;
  /** `crs: "auto"` with lon/lat: points are kept unprojected until all are read (see finish). */
  private readonly auto: boolean;
  private area: readonly [number, number, number, number] | null = null;
  private readonly bounds: readonly [number, number, number, number] | null;
  private readonly maxDistanceM: number;
  private readonly nullIsland: boolean;
  /** requireLocation: 0 off, 1 a point or an area, 2 a point. */
  private readonly requireLocation: 0 | 1 | 2;
  private readonly categoryConst: number = -1;
  private readonly categoryMap: Map<string, string> | null = null;
  private readonly keepUnknown: boolean;
  private readonly categoryCodes = new Map<string, number>();
  private readonly dictConst: Int32Array;
  private readonly missing: Set<string>;
  private readonly missingMaxLength: number;
  private readonly prefix: string | null;
  private readonly flagTrue: (Set<string> | null)[] = [null, null, null];
  private flagsMask = 0;
  private readonly rules: { equals: Set<string> }[] = [];
  private readonly dedupe: boolean;
  private readonly ids: IdIndex | null;
  private readonly track: boolean;
  private readonly rejections: Rejection[] = [];
  private readonly rejectionFile: number[] = [];
  private readonly files: { file: string; rows: number; rejected: number; blankLines: number }[] = [];
  private readonly notes = { noLocation: 0, blankStreet: 0, dateWindow: 0, unmappedCategory: 0, coarserTime: 0, areaOnly: 0 };
  /** The postcode district of the row being read (from a `postcodeDistrict` column), or null. */
  private rowPostcode: string | null = null;
  /** The values of the row being read (for a rejection's month, category and area); null for rows rejected before mapping. */
  private rowValues: ArrayLike<unknown> | null = null;
  /** Whether `reading` holds the time of the row being read. */
  private rowTimed = false;
  /** Whether the mapping names any area (column or constant). */
  private readonly mapsArea: boolean;
  private rowNotes = 0; // NOTE_* bits of the row being read, counted only if it is accepted
  private fileIndex = -1;
  private rowNo = 0;
  private bound = false;
  // Provenance of builder rows, for rejections decided after the row was added.
  private fileOf = new Uint16Array(0);
  private lineOf = new Uint32Array(0);
  private rowOf = new Uint32Array(0);
  private dropped = new Uint8Array(0); // 0 kept, 1 duplicate, 2 far, 3 outside the chosen CRS
  private keptBy = new Int32Array(0);
  private noteBits = new Uint8Array(0);
  private readonly cache = new PointCache();
  private readonly pq = new Float64Array(4); // x, y, lon, lat of the current point

  /**
   * @param fn the public function name used in error messages.
   * @param geometry true for GeoJSON: coordinates come from the geometry, not from columns.
   * @throws InputError `invalid-option` for any option outside its documented range.
   */
  constructor(
    readonly fn: string,
    options: ReadRecordsOptions,
    geometry = false,
  ) {
    if (!isObject(options)) invalidOption(fn, "options", "an object with a columns mapping", options);
    const cols = options.columns as ColumnMapping;
    if (!isObject(cols)) invalidOption(fn, "columns", "an object mapping incident fields to columns", cols);
    const name = (option: string, v: unknown): string | null => {
      if (v === undefined) return null;
      if (typeof v !== "string" || v === "") invalidOption(fn, option, "a column name", v);
      return v as string;
    };
    const spec = (option: string, v: unknown): FieldSpec | null => {
      if (v === undefined) return null;
      if (isObject(v) && typeof v.value === "string" && v.value !== "") return v as { value: string };
      if (typeof v === "string" && v !== "") return v;
      return invalidOption(fn, option, "a column name or { value: constant }", v);
    };
    const slots: (string | null)[] = new Array(S_RULES).fill(null);
    slots[S_ID] = name("columns.id", cols.id);

    this.zone = checkZone(fn, options.zone ?? "Europe/London");
    this.resolver = zoneResolver(this.zone);
    const pr = options.precision;
    if (pr !== undefined && !(typeof pr === "string" && Object.hasOwn(PRECISION, pr))) invalidOption(fn, "precision", `one of ${PRECISIONS.join(", ")}`, pr);
    this.target = pr === undefined ? -1 : PRECISION[pr];

    // Dates.
    const hasDate = cols.date !== undefined;
    const hasParts = cols.dateParts !== undefined;
    if (hasDate === hasParts) invalidOption(fn, "columns.date", "given, or else columns.dateParts (exactly one of them)", { date: cols.date, dateParts: cols.dateParts });
    const ignoreOffset = options.ignoreOffset ?? false;
    if (typeof ignoreOffset !== "boolean") invalidOption(fn, "ignoreOffset", "a boolean", ignoreOffset);
    if (hasDate) {
      slots[S_DATE] = name("columns.date", cols.date);
      const df = options.dateFormat;
      if (typeof df !== "string") invalidOption(fn, "dateFormat", 'a date pattern such as "yyyy-MM-dd HH:mm" or "iso" when columns.date is given', df);
      if (cols.time !== undefined) {
        slots[S_TIME] = name("columns.time", cols.time);
        this.dateFmt = compiled(fn, "dateFormat", () => compileDateFormat(df, { zone: this.zone }));
        if (df === "iso" || !this.dateFmt.hasDate || this.dateFmt.hasTime) invalidOption(fn, "dateFormat", "a date-only pattern with a day (no time tokens) when columns.time is given", df);
        this.timeFmt = compiled(fn, "timeFormat", () => compileTimeFormat(options.timeFormat ?? "HH:mm"));
        this.timePrecision = PRECISION[this.timeFmt.precision];
        if (this.target >= 0 && this.target < this.timePrecision) invalidOption(fn, "precision", `no finer than the time pattern (${this.timeFmt.precision})`, pr);
      } else {
        if (options.timeFormat !== undefined) invalidOption(fn, "timeFormat", "given only with columns.time", options.timeFormat);
        this.dateFmt = compiled(fn, "dateFormat", () => compileDateFormat(df, { zone: this.zone, precision: pr, ignoreOffset }));
      }
    } else {
      const p = cols.dateParts as DatePartColumns;
      if (!isObject(p)) invalidOption(fn, "columns.dateParts", "an object { year, month?, day?, hour?, minute? } of column names", p);
      slots[S_YEAR] = name("columns.dateParts.year", p.year);
      if (slots[S_YEAR] === null) invalidOption(fn, "columns.dateParts.year", "a column name", p.year);
      slots[S_MONTH] = name("columns.dateParts.month", p.month);
      slots[S_DAY] = name("columns.dateParts.day", p.day);
      slots[S_HOUR] = name("columns.dateParts.hour", p.hour);
      slots[S_MINUTE] = name("columns.dateParts.minute", p.minute);
      const chain = [S_MONTH, S_DAY, S_HOUR, S_MINUTE];
      for (let k = 1; k < chain.length; ++k) {
        if (slots[chain[k]] !== null && slots[chain[k - 1]] === null) {
          invalidOption(fn, `columns.dateParts.${["month", "day", "hour", "minute"][k - 1]}`, `given when columns.dateParts.${["month", "day", "hour", "minute"][k]} is`, undefined);
        }
      }
      const finest = slots[S_MINUTE] ? PRECISION.minute : slots[S_HOUR] ? PRECISION.hour : slots[S_DAY] ? PRECISION.day : slots[S_MONTH] ? PRECISION.month : PRECISION.year;
      if (this.target >= 0 && this.target < finest) invalidOption(fn, "precision", `no finer than the finest date part (${PRECISIONS[finest]})`, pr);
      this.partsPrecision = finest;
      for (const o of ["dateFormat", "timeFormat"] as const) if (options[o] !== undefined) invalidOption(fn, o, "given only with columns.date", options[o]);
    }
    if (cols.endDate !== undefined) {
      slots[S_END] = name("columns.endDate", cols.endDate);
      const ef = options.endDateFormat ?? (cols.time === undefined ? options.dateFormat : undefined);
      if (typeof ef !== "string") invalidOption(fn, "endDateFormat", "a date pattern (required with columns.endDate unless dateFormat applies)", ef);
      this.endFmt = compiled(fn, "endDateFormat", () => compileDateFormat(ef, { zone: this.zone, precision: pr, ignoreOffset }));
    } else if (options.endDateFormat !== undefined) invalidOption(fn, "endDateFormat", "given only with columns.endDate", options.endDateFormat);

    // Category.
    const cat = spec("columns.category", cols.category);
    if (cat === null) invalidOption(fn, "columns.category", "a column name or { value: constant }", cols.category);
    const map = options.categoryMap;
    if (map !== undefined) {
      if (!isObject(map) || !Object.values(map).every((v) => typeof v === "string" && v !== "")) invalidOption(fn, "categoryMap", "an object of raw value → category key (non-empty strings)", map);
      this.categoryMap = new Map(Object.entries(map));
    }
    const unknown = options.unknownCategory ?? "reject";
    if (unknown !== "reject" && unknown !== "keep") invalidOption(fn, "unknownCategory", '"reject" or "keep"', unknown);
    this.keepUnknown = unknown === "keep";

    // Coordinates.
    const crsOpt = options.crs;
    if (crsOpt !== undefined && (typeof crsOpt !== "string" || crsOpt === "")) invalidOption(fn, "crs", '"auto", "EPSG:27700" or a UTM code "EPSG:326zz"/"EPSG:327zz"', crsOpt);
    if (options.crsDefinition !== undefined && typeof options.crsDefinition !== "string") invalidOption(fn, "crsDefinition", "a proj4 definition string", options.crsDefinition);
    this.crsDefinition = options.crsDefinition;
    if (geometry) {
      for (const k of ["lon", "lat", "x", "y"] as const) if (cols[k] !== undefined) invalidOption(fn, `columns.${k}`, "absent: GeoJSON points take their coordinates from the geometry", cols[k]);
      slots[S_A] = GEOMETRY_LON;
      slots[S_B] = GEOMETRY_LAT;
      this.coordMode = 1;
    } else {
      const lon = name("columns.lon", cols.lon);
      const lat = name("columns.lat", cols.lat);
      const x = name("columns.x", cols.x);
      const y = name("columns.y", cols.y);
      if ((lon === null) !== (lat === null)) invalidOption(fn, lon === null ? "columns.lon" : "columns.lat", "given together with its pair", lon ?? lat);
      if ((x === null) !== (y === null)) invalidOption(fn, x === null ? "columns.x" : "columns.y", "given together with its pair", x ?? y);
      if (lon !== null && x !== null) invalidOption(fn, "columns", "naming lon/lat or x/y, not both", { lon, lat, x, y });
      this.coordMode = lon !== null ? 1 : x !== null ? 2 : 0;
      slots[S_A] = lon ?? x;
      slots[S_B] = lat ?? y;
    }
    if (this.coordMode === 2 && (crsOpt === undefined || crsOpt === "auto")) invalidOption(fn, "crs", "the CRS of columns.x/columns.y (e.g. EPSG:32610), not auto", crsOpt);
    this.crs = crsOpt === undefined || crsOpt === "auto" ? null : crsOpt;
    this.auto = this.crs === null && this.coordMode === 1;
    if (this.crs !== null) {
      this.proj = this.makeProjector(this.crs);
      this.area = projectedBounds(this.crs);
    }
    const bounds = options.bounds ?? null;
    if (bounds !== null && (!Array.isArray(bounds) || bounds.length !== 4 || !bounds.every(Number.isFinite) || bounds[0] >= bounds[2] || bounds[1] >= bounds[3])) {
      invalidOption(fn, "bounds", "[west, south, east, north] in degrees or null", bounds);
    }
    this.bounds = bounds;
    const km = options.maxDistanceKm ?? Infinity;
    if (!(typeof km === "number" && km > 0)) invalidOption(fn, "maxDistanceKm", "a positive number of kilometres (Infinity to disable)", km);
    this.maxDistanceM = km * 1000;
    this.nullIsland = bool(fn, "nullIsland", options.nullIsland, true);
    const rl = options.requireLocation ?? false;
    if (rl !== true && rl !== false && rl !== "point") invalidOption(fn, "requireLocation", 'true, false or "point"', rl);
    this.requireLocation = rl === "point" ? 2 : rl ? 1 : 0;
    if (rl === "point" && this.coordMode === 0) invalidOption(fn, "requireLocation", '"point" only when columns map coordinates (lon/lat or x/y)', rl);

    // Text columns.
    slots[S_LOCATION] = null;
    const loc = spec("columns.location", cols.location);
    const locConst = typeof loc === "object" && loc !== null;
    if (typeof loc === "string") slots[S_LOCATION] = loc;
    DICT_FIELDS.forEach((f, k) => {
      const s = spec(`columns.${f}`, cols[f]);
      if (typeof s === "string") slots[S_DICT + k] = s;
    });
    const pcd = spec("columns.postcodeDistrict", cols.postcodeDistrict);
    let pcdConst: string | null = null;
    if (pcd !== null) {
      if (cols.district !== undefined) invalidOption(fn, "columns.postcodeDistrict", "left out when columns.district is given (both fill the district column)", pcd);
      if (typeof pcd === "string") slots[S_POSTCODE] = pcd;
      else {
        pcdConst = postcodeDistrict(pcd.value);
        if (pcdConst === null) invalidOption(fn, "columns.postcodeDistrict.value", 'a UK postcode district such as "LE11" or a full postcode', pcd.value);
      }
    }
    this.mapsArea = pcd !== null || AREA_FIELDS.some((k) => cols[DICT_FIELDS[k]] !== undefined);
    if (this.requireLocation === 1 && this.coordMode === 0 && !this.mapsArea) {
      invalidOption(fn, "requireLocation", "false unless columns map coordinates (lon/lat or x/y) or an area (lsoa, ward, beat, district, postcodeDistrict)", true);
    }
    const flags = cols.flags ?? {};
    if (!isObject(flags)) invalidOption(fn, "columns.flags", "an object such as { domestic: column }", flags);
    for (const key of Object.keys(flags)) {
      if (!Object.hasOwn(FLAG, key)) invalidOption(fn, "columns.flags", `keyed by ${Object.keys(FLAG).join(", ")}`, key);
      const v = (flags as Record<string, unknown>)[key];
      if (v === undefined) continue;
      const k = Object.keys(FLAG).indexOf(key);
      this.flagsMask |= 1 << k;
      if (typeof v === "string" && v !== "") {
        slots[S_FLAG + k] = v;
        this.flagTrue[k] = new Set(DEFAULT_TRUE);
      } else if (isObject(v) && typeof v.field === "string" && v.field !== "" && (v.values === undefined || (Array.isArray(v.values) && v.values.every((t) => typeof t === "string")))) {
        slots[S_FLAG + k] = v.field;
        this.flagTrue[k] = new Set((v.values as string[] | undefined) ?? DEFAULT_TRUE);
      } else invalidOption(fn, `columns.flags.${key}`, "a column name or { field, values? }", v);
    }
    const missing = options.missingValues ?? ["", "NA", "NULL"];
    if (!Array.isArray(missing) || !missing.every((m) => typeof m === "string")) invalidOption(fn, "missingValues", "an array of strings", missing);
    this.missing = new Set(missing);
    this.missingMaxLength = missing.reduce((m, s) => Math.max(m, s.length), 0);
    const prefix = options.locationPrefix === undefined ? "On or near" : options.locationPrefix;
    if (prefix !== null && (typeof prefix !== "string" || prefix === "")) invalidOption(fn, "locationPrefix", "a non-empty string or null", prefix);
    this.prefix = prefix;

    // Suppression.
    const sw = options.suppressedWhen;
    const rules = sw === undefined ? [] : Array.isArray(sw) ? sw : [sw];
    for (const r of rules as unknown[]) {
      const ok = isObject(r) && typeof r.field === "string" && r.field !== "" && ((typeof r.equals === "string") !== (Array.isArray(r.in) && r.in.every((t) => typeof t === "string")));
      if (!ok) invalidOption(fn, "suppressedWhen", "{ field, equals } or { field, in: [...] } (or an array of them)", r);
      const rule = r as unknown as SuppressionRule;
      slots.push(rule.field);
      this.rules.push({ equals: new Set(rule.equals !== undefined ? [rule.equals] : rule.in) });
    }

    const dedupe = options.dedupe ?? "none";
    if (dedupe !== "none" && dedupe !== "first") invalidOption(fn, "dedupe", '"none" or "first"', dedupe);
    if (dedupe === "first" && slots[S_ID] === null) invalidOption(fn, "dedupe", '"none" unless columns.id is given', dedupe);
    this.dedupe = dedupe === "first";
    const capacity = options.capacity ?? 1024;
    if (!(Number.isInteger(capacity) && capacity > 0)) invalidOption(fn, "capacity", "a positive integer", capacity);

    this.b = new IncidentTableBuilder(this.zone, this.crs ?? "auto", capacity);
    if (options.extractWindow !== undefined) {
      const declared = declaredCoverage(options.extractWindow, { zone: this.zone, fn });
      this.window = declared.spans[0];
      this.b.coverage.push(declared);
    }
    this.ids = this.dedupe ? new IdIndex(this.b.id, capacity) : null;
    this.track = this.dedupe || Number.isFinite(this.maxDistanceM) || this.auto;
    if (typeof cat === "string") slots[S_CATEGORY] = cat;
    else this.categoryConst = this.b.dict.category.encode(cat.value);
    this.dictConst = new Int32Array(DICT_FIELDS.length + 1).fill(-1);
    DICT_FIELDS.forEach((f, k) => {
      const s = cols[f];
      if (isObject(s)) this.dictConst[k] = this.b.dict[f as DictColumnName].encode((s as { value: string }).value);
    });
    if (cols.source === undefined) this.dictConst[0] = this.b.dict.source.encode("other");
    if (pcdConst !== null) this.dictConst[K_DISTRICT] = this.b.dict.district.encode(pcdConst);
    if (locConst) this.dictConst[DICT_FIELDS.length] = this.b.dict.location.encode((loc as { value: string }).value);
    this.slotName = slots;
    this.idx = new Int32Array(slots.length).fill(-1);
    const seen: string[] = [];
    for (const s of slots) if (s !== null && s !== GEOMETRY_LON && s !== GEOMETRY_LAT && !seen.includes(s)) seen.push(s);
    this.names = seen;
  }

  private makeProjector(crs: string): Projector {
    try {
      return projector(crs, this.crsDefinition);
    } catch (e) {
      if (e instanceof InputError) invalidOption(this.fn, "crs", '"auto", "EPSG:27700", a UTM code "EPSG:326zz"/"EPSG:327zz", or a name with crsDefinition', crs);
      throw e;
    }
  }

  /** Starts a new input (file); `name` appears in rejections and the summary. */
  beginFile(name: string): void {
    if (this.files.length >= 0xffff) throw new InputError("invalid-input", `${this.fn}: at most 65535 inputs can be read in one call`);
    this.fileIndex = this.files.length;
    this.files.push({ file: name, rows: 0, rejected: 0, blankLines: 0 });
    this.rowNo = 0;
    this.bound = false;
  }

  /** Records empty lines skipped in the current input. */
  setBlankLines(n: number): void {
    this.files[this.fileIndex].blankLines = n;
  }

  /**
   * Resolves the mapped columns against the current input's column names (a header row).
   * @throws InputError `missing-field` naming every mapped column the header lacks.
   */
  bind(header: readonly string[]): void {
    const missing: string[] = [];
    for (let s = 0; s < this.slotName.length; ++s) {
      const n = this.slotName[s];
      if (n === null) continue;
      const at = header.indexOf(n);
      this.idx[s] = at;
      if (at < 0 && !missing.includes(n)) missing.push(n);
    }
    if (missing.length) {
      const file = this.files[this.fileIndex]?.file ?? "input";
      throw new InputError(
        "missing-field",
        `${this.fn}: ${describeValue(file)} is missing column${missing.length > 1 ? "s" : ""} ${missing.map((m) => JSON.stringify(m)).join(", ")} named in the mapping (columns: ${header.join(", ")})`,
      );
    }
    this.bound = true;
  }

  /** Counts one row of the current input and rejects it (for faults found before mapping: ragged rows, bad geometry). */
  rejectRow(line: number, field: string | null, value: string | null, reason: RejectionReason, message: string): void {
    this.rowNo += 1;
    this.files[this.fileIndex].rows += 1;
    this.rowValues = null;
    this.rowTimed = false;
    this.reject(line, field, value, reason, message);
  }

  private reject(line: number, field: string | null, value: string | null, reason: RejectionReason, message: string): void {
    this.rejections.push({ file: this.files[this.fileIndex].file, row: this.rowNo, line, field, value, reason, message, ...this.rowContext() });
    this.rejectionFile.push(this.fileIndex);
    this.files[this.fileIndex].rejected += 1;
  }

  /**
   * The month (once the row's time is read), category (as mapped, read without adding to the
   * dictionary) and area (first of LSOA, ward, beat, district, else postcode district) of the
   * row being read, for its rejection.
   */
  private rowContext(): RejectionContext {
    const v = this.rowValues;
    if (v === null) return NO_CONTEXT;
    const month = this.rowTimed ? monthKeyAt(this.resolver.clock, this.reading.start, this.reading.precision) : null;
    const values = this.b.dict.category.values;
    let category: string | null = null;
    if (this.categoryConst >= 0) category = values[this.categoryConst];
    else {
      const raw = v[this.idx[S_CATEGORY]];
      if (!this.isMissing(raw)) {
        const text = textOf(raw);
        const code = this.categoryCodes.get(text);
        if (code !== undefined) category = code >= 0 ? values[code] : code < -1 ? values[-2 - code] : null;
        else if (this.categoryMap === null) category = text;
        else category = this.categoryMap.get(text) ?? (this.keepUnknown ? text : null);
      }
    }
    // As the row would be stored: a postcode district, when given and valid, is its district.
    const pc = this.idx[S_POSTCODE];
    const postcode = pc >= 0 && !this.isMissing(v[pc]) ? postcodeDistrict(textOf(v[pc])) : null;
    let area: string | null = null;
    for (const k of AREA_FIELDS) {
      const c = this.dictConst[k];
      if (k === K_DISTRICT && postcode !== null) area = postcode;
      else if (c >= 0) area = this.b.dict[DICT_FIELDS[k]].values[c];
      else {
        const at = this.idx[S_DICT + k];
        if (at >= 0 && !this.isMissing(v[at])) area = textOf(v[at]);
      }
      if (area !== null) break;
    }
    return { month, category: category === null ? null : clipValue(category), area: area === null ? null : clipValue(area) };
  }

  private isMissing(v: unknown): boolean {
    if (typeof v === "string") return v === "" || (v.length <= this.missingMaxLength && this.missing.has(v));
    return v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));
  }

  /** A dictionary value: text, or null when missing. */
  private dictText(v: unknown): string | null {
    return this.isMissing(v) ? null : textOf(v);
  }

  /** Reads the time window into this.reading; returns false after rejecting the row. */
  private readWindow(v: ArrayLike<unknown>, line: number): boolean {
    const r = this.reading;
    const idx = this.idx;
    if (this.dateFmt !== null) {
      const col = this.slotName[S_DATE]!;
      const raw = v[idx[S_DATE]];
      if (raw instanceof Date) {
        const ms = raw.getTime();
        if (!Number.isFinite(ms)) return this.rejectDate(line, col, "Invalid Date", "invalid-date", `${col} is an invalid Date object`);
        // Years beyond MIN_YEAR–MAX_YEAR would wrap the Int32 minute columns.
        const utcYear = raw.getUTCFullYear();
        const t = Math.floor(ms / 60_000);
        const q = utcYear >= MIN_YEAR - 1 && utcYear <= MAX_YEAR + 1 ? this.resolver.clock.parts(t, this.parts) : null;
        if (q === null || q.year < MIN_YEAR || q.year > MAX_YEAR) {
          const text = raw.toISOString();
          return this.rejectDate(line, col, text, "invalid-date", `${col} ${text}: year ${q === null ? utcYear : q.year} is outside ${MIN_YEAR}–${MAX_YEAR}`);
        }
        const p = Math.max(PRECISION.minute, this.target);
        if (p === PRECISION.minute) {
          r.start = t;
          r.end = t + 1;
        } else {
          this.resolver.window(q.year, q.month, q.day, q.hour, q.minute, p, r);
        }
        r.precision = p;
        return true;
      }
      if (this.isMissing(raw)) return this.rejectDate(line, col, null, "missing-value", `${col} is blank`);
      const text = textOf(raw);
      if (this.timeFmt === null) {
        this.dateFmt.parse(text, r);
        if (r.error !== null) return this.rejectDate(line, col, text, "invalid-date", `${col} ${describeValue(text)} does not match ${JSON.stringify(this.dateFmt.pattern)}: ${r.message}`);
        return true;
      }
      if (!this.dateFmt.readFields(text, r)) return this.rejectDate(line, col, text, "invalid-date", `${col} ${describeValue(text)} does not match ${JSON.stringify(this.dateFmt.pattern)}: ${r.message}`);
      const tcol = this.slotName[S_TIME]!;
      const traw = v[idx[S_TIME]];
      let p: number;
      if (this.isMissing(traw)) {
        p = Math.max(PRECISION.day, this.target);
        this.rowNotes |= NOTE_COARSER_TIME;
      } else {
        const ttext = textOf(traw);
        if (!this.timeFmt.readFields(ttext, r)) return this.rejectDate(line, tcol, ttext, "invalid-date", `${tcol} ${describeValue(ttext)} does not match ${JSON.stringify(this.timeFmt.pattern)}: ${r.message}`);
        p = Math.max(this.timePrecision, this.target);
      }
      r.precision = p;
      this.resolver.window(r.year, r.month, r.day, r.hour, r.minute, p, r);
      return true;
    }
    // Date parts.
    let p = this.partsPrecision;
    let year = 0;
    let month = 1;
    let day = 1;
    let hour = 0;
    let minute = 0;
    for (let s = S_YEAR; s <= S_MINUTE; ++s) {
      const col = this.slotName[s];
      if (col === null) break;
      const raw = v[idx[s]];
      if (this.isMissing(raw)) {
        if (s === S_HOUR || s === S_MINUTE) {
          p = s === S_HOUR ? PRECISION.day : PRECISION.hour;
          this.rowNotes |= NOTE_COARSER_TIME;
          break;
        }
        return this.rejectDate(line, col, null, "missing-value", `${col} is blank`);
      }
      const n = numberOf(raw);
      if (!Number.isInteger(n)) return this.rejectDate(line, col, textOf(raw), "invalid-date", `${col} must be a whole number, got ${describeValue(textOf(raw))}`);
      let bad = "";
      switch (s) {
        case S_YEAR:
          year = n;
          if (n < MIN_YEAR || n > MAX_YEAR) bad = `year ${n} is outside ${MIN_YEAR}–${MAX_YEAR}`;
          break;
        case S_MONTH:
          month = n;
          if (n < 1 || n > 12) bad = `month ${n} is not 1–12`;
          break;
        case S_DAY:
          day = n;
          if (n < 1 || n > daysInMonth(year, month)) bad = `day ${n} does not exist in ${year}-${month < 10 ? "0" : ""}${month}`;
          break;
        case S_HOUR:
          hour = n;
          if (n < 0 || n > 23) bad = `hour ${n} is not 0–23`;
          break;
        default:
          minute = n;
          if (n < 0 || n > 59) bad = `minute ${n} is not 0–59`;
      }
      if (bad) return this.rejectDate(line, col, textOf(raw), "invalid-date", `${col} ${textOf(raw)}: ${bad}`);
    }
    p = Math.max(p, this.target);
    r.precision = p;
    this.resolver.window(year, month, day, hour, minute, p, r);
    return true;
  }

  private rejectDate(line: number, field: string, value: string | null, reason: RejectionReason, message: string): false {
    this.reject(line, field, value, reason, message);
    return false;
  }

  /**
   * Reads the row's point into pq (x, y, lon, lat). Returns 1 with a point, 0 with none,
   * -1 after rejecting the row.
   */
  private readPoint(v: ArrayLike<unknown>, line: number): number {
    if (this.coordMode === 0) return 0;
    const colA = this.slotName[S_A]!;
    const colB = this.slotName[S_B]!;
    const rawA = v[this.idx[S_A]];
    const rawB = v[this.idx[S_B]];
    const missA = this.isMissing(rawA);
    const missB = this.isMissing(rawB);
    if (missA && missB) return 0; // row() decides: an area may locate it (requireLocation)
    const a = missA ? NaN : numberOf(rawA);
    const b = missB ? NaN : numberOf(rawB);
    const lonlat = this.coordMode === 1;
    if (!Number.isFinite(a) || !Number.isFinite(b)) {
      const badA = !Number.isFinite(a);
      const col = badA ? colA : colB;
      const raw = badA ? rawA : rawB;
      const blank = badA ? missA : missB;
      this.reject(line, col, blank ? null : textOf(raw), "invalid-coordinate", blank ? `${col} is blank but ${badA ? colB : colA} is not` : `${col} must be a finite decimal number, got ${describeValue(textOf(raw))}`);
      return -1;
    }
    const pq = this.pq;
    if (lonlat) {
      if (a < -180 || a > 180 || b < -90 || b > 90) {
        const badA = a < -180 || a > 180;
        const col = badA ? colA : colB;
        this.reject(line, col, textOf(badA ? rawA : rawB), "invalid-coordinate", `${col} ${badA ? a : b} is outside ${badA ? "−180…180" : "−90…90"} degrees`);
        return -1;
      }
      if (this.nullIsland && Math.abs(a) < NULL_ISLAND_DEG && Math.abs(b) < NULL_ISLAND_DEG) {
        this.reject(line, colA, `${textOf(rawA)},${textOf(rawB)}`, "null-island", `${colA},${colB} ${a},${b} is at 0,0 (a missing location written as zero)`);
        return -1;
      }
      if (!this.inBounds(a, b, line, colA, rawA, rawB)) return -1;
      pq[2] = a;
      pq[3] = b;
      if (this.auto) {
        // Projected in finish, once the bulk of the points has chosen the CRS.
        pq[0] = pq[1] = NaN;
        return 1;
      }
      this.project(a, b);
      if (Number.isFinite(this.maxDistanceM)) return 1; // area checked in finish, after far-outside-area
      const bad = this.outsideArea(pq[0], pq[1], colA, colB);
      if (bad !== null) {
        this.reject(line, bad[0], `${textOf(rawA)},${textOf(rawB)}`, bad[1], bad[2]);
        return -1;
      }
      return 1;
    }
    if (this.nullIsland && Math.abs(a) < NULL_ISLAND_M && Math.abs(b) < NULL_ISLAND_M) {
      this.reject(line, colA, `${textOf(rawA)},${textOf(rawB)}`, "null-island", `${colA},${colB} ${a},${b} is at 0,0 (a missing location written as zero)`);
      return -1;
    }
    const box = this.area;
    if (box !== null && !(a >= box[0] && a <= box[2] && b >= box[1] && b <= box[3])) {
      const badA = !(a >= box[0] && a <= box[2]);
      this.reject(line, badA ? colA : colB, textOf(badA ? rawA : rawB), "outside-bounds", `${badA ? colA : colB} ${badA ? a : b} ${this.areaText()}`);
      return -1;
    }
    pq[0] = a;
    pq[1] = b;
    if (!this.cache.get(a, b, pq, 2)) {
      const ll = this.proj!.inverse(a, b);
      pq[2] = ll[0];
      pq[3] = ll[1];
      this.cache.set(a, b, ll[0], ll[1]);
    }
    const lon = pq[2];
    const lat = pq[3];
    if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
      this.reject(line, colA, `${textOf(rawA)},${textOf(rawB)}`, "invalid-coordinate", `${colA},${colB} ${a},${b} is not a valid point in ${this.crs}`);
      return -1;
    }
    return this.inBounds(lon, lat, line, colA, rawA, rawB) ? 1 : -1;
  }

  /** Projects lon/lat `a`, `b` into pq[0], pq[1] (through the cache). */
  private project(a: number, b: number): void {
    const pq = this.pq;
    if (!this.cache.get(a, b, pq, 0)) {
      const xy = this.proj!.forward(a, b);
      pq[0] = xy[0];
      pq[1] = xy[1];
      this.cache.set(a, b, xy[0], xy[1]);
    }
  }

  /** "lies outside the area of <crs> (…)", for messages. */
  private areaText(): string {
    const box = this.area;
    return box === null ? `cannot be projected to ${this.crs}` : `lies outside the area of use of ${this.crs} (${projectedBoundsText(box)})`;
  }

  /**
   * Why projected x, y (of lon/lat pq[2], pq[3]) cannot be a point in the CRS — [field,
   * reason, message] — or null when they can.
   */
  private outsideArea(x: number, y: number, colA: string, colB: string): [string, RejectionReason, string] | null {
    const lon = this.pq[2];
    const lat = this.pq[3];
    if (!Number.isFinite(x) || !Number.isFinite(y)) return [colA, "invalid-coordinate", `${colA},${colB} ${lon},${lat} cannot be projected to ${this.crs}`];
    const box = this.area;
    if (box === null || (x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3])) return null;
    const col = x >= box[0] && x <= box[2] ? colB : colA;
    return [col, "outside-bounds", `${colA},${colB} ${lon},${lat} ${this.areaText()}`];
  }

  private inBounds(lon: number, lat: number, line: number, col: string, rawA: unknown, rawB: unknown): boolean {
    const bb = this.bounds;
    if (bb === null || (lon >= bb[0] && lon <= bb[2] && lat >= bb[1] && lat <= bb[3])) return true;
    this.reject(line, col, `${textOf(rawA)},${textOf(rawB)}`, "outside-bounds", `point ${lon},${lat} is outside the bounds ${bb.join(",")}`);
    return false;
  }

  /**
   * Maps one row. `values[k]` is the value of the k-th column of the bound header (strings
   * from a tokenizer; any values from objects); `line` is its physical line (or row number).
   */
  row(v: ArrayLike<unknown>, line: number): void {
    if (!this.bound) throw new InputError("invalid-input", `${this.fn}: columns must be bound before rows are read`);
    this.rowNo += 1;
    this.files[this.fileIndex].rows += 1;
    this.rowNotes = 0;
    this.rowValues = v;
    this.rowTimed = false;
    const idx = this.idx;
    // Privacy suppression first: the row's other values are placeholders.
    for (let k = 0; k < this.rules.length; ++k) {
      const raw = v[idx[S_RULES + k]];
      const t = textOf(raw);
      if (this.rules[k].equals.has(t)) {
        const col = this.slotName[S_RULES + k]!;
        return this.reject(line, col, t, "suppressed", `${col} is ${describeValue(t)}: the source suppressed this row's time and place for privacy`);
      }
    }
    if (!this.readWindow(v, line)) return;
    this.rowTimed = true;
    const r = this.reading;
    const w = this.window;
    if (w !== null && (r.start < w.start || r.start >= w.end)) {
      const col = this.slotName[S_DATE] ?? this.slotName[S_YEAR] ?? "date";
      const at = this.slotName[S_DATE] ? S_DATE : this.slotName[S_YEAR] ? S_YEAR : -1;
      return this.reject(line, col, at < 0 ? null : textOf(v[idx[at]]), "outside-window", `${col} falls outside the declared extract window (${spanLabel(w, this.zone)})`);
    }
    let end = r.end;
    if (this.endFmt !== null) {
      const raw = v[idx[S_END]];
      if (!this.isMissing(raw)) {
        const col = this.slotName[S_END]!;
        const text = textOf(raw);
        const e = this.endFmt.parse(text, this.endReading);
        if (e.error !== null) return this.reject(line, col, text, "invalid-date", `${col} ${describeValue(text)} does not match ${JSON.stringify(this.endFmt.pattern)}: ${e.message}`);
        if (e.start < r.start) {
          const startCol = this.slotName[S_DATE] ?? "the start";
          return this.reject(line, col, text, "invalid-date", `${col} ${describeValue(text)} is before ${startCol} (the window would be negative)`);
        }
        if (e.end > end) end = e.end;
        this.rowNotes |= NOTE_DATE_WINDOW;
      }
    }
    // Category.
    let cat = this.categoryConst;
    if (cat < 0) {
      const col = this.slotName[S_CATEGORY]!;
      const raw = v[idx[S_CATEGORY]];
      if (this.isMissing(raw)) return this.reject(line, col, null, "missing-value", `${col} is blank`);
      const text = textOf(raw);
      const known = this.categoryCodes.get(text);
      if (known !== undefined) cat = known;
      else {
        if (this.categoryMap === null) cat = this.b.dict.category.encode(text);
        else {
          const key = this.categoryMap.get(text);
          cat = key !== undefined ? this.b.dict.category.encode(key) : this.keepUnknown ? -2 - this.b.dict.category.encode(text) : -1;
        }
        this.categoryCodes.set(text, cat);
      }
      if (cat === -1) return this.reject(line, col, text, "unknown-category", `${col} ${describeValue(text)} is not in the categoryMap`);
      if (cat < -1) {
        cat = -2 - cat;
        this.rowNotes |= NOTE_UNMAPPED_CATEGORY;
      }
    }
    const point = this.readPoint(v, line);
    if (point < 0) return;
    // Areas: a postcode district is checked; a row with no point may still have an area.
    this.rowPostcode = null;
    if (idx[S_POSTCODE] >= 0) {
      const raw = v[idx[S_POSTCODE]];
      if (!this.isMissing(raw)) {
        const text = textOf(raw);
        this.rowPostcode = postcodeDistrict(text);
        if (this.rowPostcode === null) {
          const col = this.slotName[S_POSTCODE]!;
          return this.reject(line, col, clipValue(text), "invalid-value", `${col} ${describeValue(text)} is not a UK postcode district (an outward code such as "LE11") or a full postcode`);
        }
      }
    }
    if (point === 0) {
      if (this.requireLocation === 2) return this.reject(line, this.slotName[S_A], null, "missing-value", `${this.slotName[S_A]} and ${this.slotName[S_B]} are blank (requireLocation: "point")`);
      if (this.hasArea(v)) this.rowNotes |= NOTE_AREA_ONLY;
      else if (this.requireLocation === 1) return this.rejectNoLocation(line);
    }

    // Accepted: write the row.
    const b = this.b;
    const i = b.addRow();
    if (this.track) this.trackProvenance(i, line);
    if (idx[S_ID] >= 0) b.id.set(i, this.dictText(v[idx[S_ID]]));
    b.dict.category.setCode(i, cat);
    b.start[i] = r.start;
    b.end[i] = end;
    b.precision[i] = r.precision;
    if (point > 0) {
      const pq = this.pq;
      b.x[i] = pq[0];
      b.y[i] = pq[1];
      b.lon[i] = pq[2];
      b.lat[i] = pq[3];
    } else this.rowNotes |= NOTE_NO_LOCATION;
    for (let k = 0; k < DICT_FIELDS.length; ++k) {
      const c = this.dictConst[k];
      if (c >= 0) b.dict[DICT_FIELDS[k]].setCode(i, c);
      else if (idx[S_DICT + k] >= 0) b.dict[DICT_FIELDS[k]].set(i, this.dictText(v[idx[S_DICT + k]]));
    }
    if (this.rowPostcode !== null) b.dict.district.set(i, this.rowPostcode);
    const locConst = this.dictConst[DICT_FIELDS.length];
    if (locConst >= 0) b.dict.location.setCode(i, locConst);
    else if (idx[S_LOCATION] >= 0) b.dict.location.set(i, this.locationText(v[idx[S_LOCATION]]));
    let flags = 0;
    for (let k = 0; k < 3; ++k) {
      if (idx[S_FLAG + k] < 0) continue;
      const raw = v[idx[S_FLAG + k]];
      if (raw === true || raw === 1 || (typeof raw === "string" && this.flagTrue[k]!.has(raw))) flags |= 1 << k;
    }
    b.flags[i] = flags;
    this.countNotes(this.rowNotes, 1);
    if (this.track) this.noteBits[i] = this.rowNotes;
  }

  /** Whether the row being read has an area: a constant one, a non-blank area column, or a postcode district. */
  private hasArea(v: ArrayLike<unknown>): boolean {
    if (!this.mapsArea) return false;
    if (this.rowPostcode !== null) return true;
    for (const k of AREA_FIELDS) {
      if (this.dictConst[k] >= 0) return true;
      const at = this.idx[S_DICT + k];
      if (at >= 0 && !this.isMissing(v[at])) return true;
    }
    return false;
  }

  /** Rejects a row with neither a point nor an area (`requireLocation`), naming the columns. */
  private rejectNoLocation(line: number): void {
    const areas = [...AREA_FIELDS.map((k) => this.slotName[S_DICT + k]), this.slotName[S_POSTCODE]].filter((c): c is string => c !== null);
    const cols = this.coordMode === 0 ? areas : [this.slotName[S_A]!, this.slotName[S_B]!, ...areas];
    const names = cols.length === 1 ? `${cols[0]} is` : `${cols.slice(0, -1).join(", ")} and ${cols[cols.length - 1]} are`;
    this.reject(line, cols[0], null, "missing-value", `${names} blank${this.coordMode === 0 ? " (no coordinate columns are mapped)" : ""}`);
  }

  private countNotes(bits: number, sign: 1 | -1): void {
    if (bits === 0) return;
    const n = this.notes;
    if (bits & NOTE_NO_LOCATION) n.noLocation += sign;
    if (bits & NOTE_BLANK_STREET) n.blankStreet += sign;
    if (bits & NOTE_DATE_WINDOW) n.dateWindow += sign;
    if (bits & NOTE_UNMAPPED_CATEGORY) n.unmappedCategory += sign;
    if (bits & NOTE_COARSER_TIME) n.coarserTime += sign;
    if (bits & NOTE_AREA_ONLY) n.areaOnly += sign;
  }

  private locationText(raw: unknown): string | null {
    const text = this.dictText(raw);
    if (text === null || this.prefix === null || !text.startsWith(this.prefix)) return text;
    const c = text.charCodeAt(this.prefix.length);
    if (!(Number.isNaN(c) || c === 32 || c === 9)) return text; // "On or nearby…" is not the prefix
    const rest = text.slice(this.prefix.length).trim();
    if (rest === "") {
      this.rowNotes |= NOTE_BLANK_STREET;
      return null;
    }
    return rest;
  }

  private trackProvenance(i: number, line: number): void {
    if (i >= this.fileOf.length) {
      const c = Math.max(1024, this.fileOf.length * 2);
      const g = <T extends Uint16Array | Uint32Array | Uint8Array | Int32Array>(a: T): T => growTyped(a, c);
      this.fileOf = g(this.fileOf);
      this.lineOf = g(this.lineOf);
      this.rowOf = g(this.rowOf);
      this.dropped = g(this.dropped);
      this.keptBy = g(this.keptBy);
      this.noteBits = g(this.noteBits);
    }
    this.fileOf[i] = this.fileIndex;
    this.lineOf[i] = line;
    this.rowOf[i] = this.rowNo;
    this.dropped[i] = 0;
  }

  /** The month, category and area of builder row `i` (a row rejected after it was added), as {@link rowContext} gives them. */
  private builtRowContext(i: number): RejectionContext {
    const b = this.b;
    const value = (column: DictColumnName) => b.dict[column].values[b.dict[column].codes[i] ?? 0] ?? null;
    return {
      month: monthKeyAt(this.resolver.clock, b.start[i], b.precision[i]),
      category: value("category"),
      area: value("lsoa") ?? value("ward") ?? value("beat") ?? value("district"),
    };
  }

  /** Applies the whole-input rules (duplicate ids, far-away points) and returns the result. */
  finish(): IngestResult {
    const b = this.b;
    const n = b.length;
    const late: Rejection[] = [];
    const lateFile: number[] = [];
    let keep: Uint32Array | undefined;
    let outside: Map<number, [string, RejectionReason, string]> | null = null;
    if (this.track) {
      // Whole-input rules, in this order: the CRS chosen by the bulk of the points (auto),
      // ids claimed in reading order by rows with a plausible point (or none), points far
      // from the rest, then points outside the CRS's area of use.
      if (this.coordMode === 1 && (this.auto || Number.isFinite(this.maxDistanceM))) outside = this.placePoints();
      this.claimIds(outside);
      const median = this.rejectFarPoints(outside);
      if (outside !== null) for (const i of outside.keys()) if (this.dropped[i] === 0) this.dropped[i] = 3;
      let kept = 0;
      for (let i = 0; i < n; ++i) if (this.dropped[i] === 0) kept += 1;
      if (kept < n) {
        keep = new Uint32Array(kept);
        const idCol = this.slotName[S_ID];
        for (let i = 0, k = 0; i < n; ++i) {
          const d = this.dropped[i];
          if (d === 0) {
            keep[k++] = i;
            continue;
          }
          const file = this.files[this.fileOf[i]];
          file.rejected += 1;
          this.countNotes(this.noteBits[i], -1); // notes describe accepted rows only
          lateFile.push(this.fileOf[i]);
          const context = this.builtRowContext(i);
          if (d === 3) {
            const [field, reason, message] = outside!.get(i)!;
            late.push({ file: file.file, row: this.rowOf[i], line: this.lineOf[i], field, value: `${b.lon[i]},${b.lat[i]}`, reason, message, ...context });
          } else if (d === 1) {
            const j = this.keptBy[i];
            late.push({
              file: file.file,
              row: this.rowOf[i],
              line: this.lineOf[i],
              field: idCol,
              value: b.id.encoding === "utf8" ? utf8.decode(b.id.slice(i)) : hex(b.id.slice(i)),
              reason: "duplicate-id",
              message: `${idCol} is also on row ${this.rowOf[j]} (line ${this.lineOf[j]}) of ${describeValue(this.files[this.fileOf[j]].file)}; the first row is kept`,
              ...context,
            });
          } else {
            const km = Math.hypot(b.x[i] - median[0], b.y[i] - median[1]) / 1000;
            late.push({
              file: file.file,
              row: this.rowOf[i],
              line: this.lineOf[i],
              field: this.slotName[S_A],
              value: `${b.lon[i]},${b.lat[i]}`,
              reason: "far-outside-area",
              message: `point ${b.lon[i]},${b.lat[i]} lies ${km.toFixed(0)} km from the median point of the input (limit ${this.maxDistanceM / 1000} km): a geocoding error?`,
              ...context,
            });
          }
        }
      }
    }
    const built = b.finish(keep);
    const table = { ...built, crs: this.crs ?? "EPSG:27700", flagsRecorded: this.flagsMask };
    // Merge the row-time and late rejections, both already in (input, row) order.
    const early = this.rejections;
    const rejected: Rejection[] = new Array(early.length + late.length);
    for (let p = 0, q = 0, k = 0; k < rejected.length; ++k) {
      const takeEarly =
        q >= late.length || (p < early.length && (this.rejectionFile[p] < lateFile[q] || (this.rejectionFile[p] === lateFile[q] && early[p].row < late[q].row)));
      rejected[k] = takeEarly ? early[p++] : late[q++];
    }
    const byReason: Partial<Record<RejectionReason, number>> = {};
    for (const r of rejected) byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
    const files: FileSummary[] = this.files.map((f) => ({ file: f.file, rows: f.rows, accepted: f.rows - f.rejected, rejected: f.rejected, blankLines: f.blankLines }));
    const rows = files.reduce((s, f) => s + f.rows, 0);
    if (rows !== table.length + rejected.length) throw new Error(`${this.fn}: internal error: ${rows} rows but ${table.length} accepted + ${rejected.length} rejected`);
    return {
      table,
      rejected,
      summary: { rows, accepted: table.length, rejected: rejected.length, files, byReason, notes: { ...this.notes } },
    };
  }

  /**
   * With lon/lat: for `crs: "auto"` chooses the CRS by the votes of all points read (British
   * National Grid for a point in GB/NI, else its UTM zone; most votes wins, a tie goes to the
   * CRS voted for first) and projects every point; then returns the rows whose point lies
   * outside the CRS's area of use, with [field, reason, message].
   */
  private placePoints(): Map<number, [string, RejectionReason, string]> {
    const b = this.b;
    const n = b.length;
    const lon = b.lon;
    const lat = b.lat;
    const colA = this.slotName[S_A]!;
    const colB = this.slotName[S_B]!;
    if (this.auto) {
      // Votes: slot 0 BNG, 1 + (zone − 1) * 2 + south for UTM; the first vote's row breaks ties.
      const votes = new Int32Array(121);
      const first = new Int32Array(121).fill(-1);
      for (let i = 0; i < n; ++i) {
        const a = lon[i];
        const c = lat[i];
        if (Number.isNaN(a)) continue;
        let v = -1;
        if (a >= GB_BOX[0] && a <= GB_BOX[2] && c >= GB_BOX[1] && c <= GB_BOX[3]) v = 0;
        else if (c >= -80 && c <= 84) v = 1 + (Math.min(60, Math.floor((a + 180) / 6) + 1) - 1) * 2 + (c < 0 ? 1 : 0);
        if (v < 0) continue;
        if (votes[v]++ === 0) first[v] = i;
      }
      let best = -1;
      for (let v = 0; v < votes.length; ++v) {
        if (votes[v] > 0 && (best < 0 || votes[v] > votes[best] || (votes[v] === votes[best] && first[v] < first[best]))) best = v;
      }
      if (best >= 0) {
        this.crs = best === 0 ? "EPSG:27700" : utmCrsFor(lon[first[best]], lat[first[best]]);
        this.proj = this.makeProjector(this.crs);
        this.area = projectedBounds(this.crs);
      }
    }
    const out = new Map<number, [string, RejectionReason, string]>();
    const pq = this.pq;
    for (let i = 0; i < n; ++i) {
      if (Number.isNaN(lon[i])) continue;
      pq[2] = lon[i];
      pq[3] = lat[i];
      if (this.proj === null) {
        out.set(i, [colB, "outside-bounds", `${colA},${colB} ${lon[i]},${lat[i]} has no CRS: no point lies in Great Britain or in a UTM zone (latitude −80…84)`]);
        continue;
      }
      if (this.auto) {
        this.project(lon[i], lat[i]);
        b.x[i] = pq[0];
        b.y[i] = pq[1];
      }
      const bad = this.outsideArea(b.x[i], b.y[i], colA, colB);
      if (bad === null) continue;
      if (this.auto) bad[2] += ', the CRS that crs: "auto" chose for most points';
      out.set(i, bad);
      if (!Number.isFinite(b.x[i]) || !Number.isFinite(b.y[i])) b.x[i] = b.y[i] = NaN;
    }
    return out;
  }

  /**
   * Claims ids in reading order (rows with a point outside the CRS's area claim none, so
   * they do not make a later copy a duplicate): a later row with a claimed id is dropped (1).
   */
  private claimIds(outside: Map<number, unknown> | null): void {
    const ids = this.ids;
    if (ids === null) return;
    const b = this.b;
    const { offsets } = b.id;
    for (let i = 0; i < b.length; ++i) {
      if (this.dropped[i] !== 0 || offsets[i + 1] === offsets[i] || (outside !== null && outside.has(i))) continue;
      const other = ids.claim(i);
      if (other >= 0) {
        this.dropped[i] = 1;
        this.keptBy[i] = other;
      }
    }
  }

  /**
   * Marks points beyond maxDistanceKm from the median kept point (rows outside the CRS's area
   * of use are marked too, but do not move the median); returns that median [x, y].
   */
  private rejectFarPoints(outside: Map<number, unknown> | null): [number, number] {
    if (!Number.isFinite(this.maxDistanceM)) return [NaN, NaN];
    const b = this.b;
    const n = b.length;
    const inside = (i: number) => !Number.isNaN(b.x[i]) && this.dropped[i] === 0 && (outside === null || !outside.has(i));
    let m = 0;
    for (let i = 0; i < n; ++i) if (inside(i)) ++m;
    if (m === 0) return [NaN, NaN];
    const xs = new Float64Array(m);
    const ys = new Float64Array(m);
    for (let i = 0, k = 0; i < n; ++i) {
      if (!inside(i)) continue;
      xs[k] = b.x[i];
      ys[k++] = b.y[i];
    }
    xs.sort();
    ys.sort();
    const mx = xs[m >> 1];
    const my = ys[m >> 1];
    for (let i = 0; i < n; ++i) {
      if (Number.isNaN(b.x[i]) || this.dropped[i] !== 0) continue;
      if (Math.hypot(b.x[i] - mx, b.y[i] - my) > this.maxDistanceM) this.dropped[i] = 2;
    }
    return [mx, my];
  }
}

/** Runs a format compiler, renaming its errors after the reader's function and option. */
function compiled<T>(fn: string, option: string, make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (e instanceof InputError) {
      throw new InputError(e.code, e.message.replace(/^compile(Date|Time)Format: pattern/, `${fn}: ${option}`).replace(/^compile(Date|Time)Format: /, `${fn}: `));
    }
    throw e;
  }
}

function hex(bytes: Uint8Array): string {
  let s = "";
  for (const v of bytes) s += (v < 16 ? "0" : "") + v.toString(16);
  return s;
}

function bool(fn: string, option: string, v: unknown, fallback: boolean): boolean {
  const b = v ?? fallback;
  if (typeof b !== "boolean") invalidOption(fn, option, "a boolean", v);
  return b as boolean;
}

/**
 * Reads plain objects (rows from a database driver, a spreadsheet library, `d3.csvParse`,
 * an API) into an {@link IncidentTable} through a column mapping: dates read in an IANA
 * zone with their precision, coordinates projected to metres, categories mapped to keys,
 * privacy-suppressed, duplicate and implausible rows rejected with reasons. Values may be
 * strings (as from CSV), numbers, booleans or `Date` objects (instants; minute precision).
 *
 * Every record ends up accepted or in `rejected` (with `row` = its 1-based position, `line`
 * the same), so `summary.rows = summary.accepted + summary.rejected` always.
 * Rows are checked in this order, first failure wins: `suppressed`, date (`missing-value`,
 * `invalid-date`, also for years outside 1800–2200 and such `Date` objects), end date, category
 * (`missing-value`, `unknown-category`), coordinates (`invalid-coordinate` for anything but a
 * finite number or plain decimal text, `null-island`, `outside-bounds`), postcode district
 * (`invalid-value`), `missing-value` with `requireLocation` (a row with neither a point nor an
 * area; with `"point"`, a row with no point); then over the whole input: the CRS for
 * `crs: "auto"`, `duplicate-id`, `far-outside-area`, and `outside-bounds` for points outside
 * the CRS's area of use (`projectedBounds`). A row with an area but no point is kept (see
 * `requireLocation`) and counted in `notes.areaOnly`.
 * An empty array gives an empty table.
 *
 * @throws InputError `missing-field` naming every mapped column that no record has;
 * `invalid-option` for bad options; `invalid-input` when `records` is not an array.
 * @example
 * const { table, summary } = readRecords(
 *   [{ when: "2021-07-14 22:15", type: "Robbery", lon: -1.2, lat: 52.77 }],
 *   { columns: { date: "when", category: "type", lon: "lon", lat: "lat" }, dateFormat: "yyyy-MM-dd HH:mm" },
 * );
 * table.start[0] // => 27104955 (21:15 UTC: BST)
 * [summary.rows, summary.accepted] // => [1, 1]
 */
export function readRecords(records: ReadonlyArray<Readonly<Record<string, unknown>>>, options: ReadRecordsOptions): IngestResult {
  const FN = "readRecords";
  if (!Array.isArray(records)) throw new InputError("invalid-input", `${FN}: records must be an array of objects, got ${describeValue(records)}`);
  const engine = new RecordIngest(FN, options);
  const name = options.name ?? "records";
  if (typeof name !== "string") invalidOption(FN, "name", "a string", name);
  engine.beginFile(name);
  const names = engine.names;
  if (records.length > 0) {
    const missing = names.filter((n) => !records.some((r) => isObject(r) && Object.hasOwn(r, n)));
    if (missing.length) {
      throw new InputError("missing-field", `${FN}: no record has ${missing.length > 1 ? "fields" : "field"} ${missing.map((m) => JSON.stringify(m)).join(", ")} named in the mapping`);
    }
  }
  engine.bind(names);
  const values: unknown[] = new Array(names.length);
  for (let k = 0; k < records.length; ++k) {
    const rec = records[k];
    if (!isObject(rec)) {
      engine.rejectRow(k + 1, null, describeValue(rec), "invalid-value", `record ${k} is not an object`);
      continue;
    }
    for (let c = 0; c < names.length; ++c) values[c] = rec[names[c]];
    engine.row(values, k + 1);
  }
  return engine.finish();
}
