import { DelimitedScanner, type SpanSink } from "./delimited.js";
import { SpanMap, detach, type DictCodes } from "./dictionary.js";
import { InputError, invalidOption, describeValue } from "./errors.js";
import { idHash, idValue, type IdColumn } from "./id-column.js";
import { IncidentTableBuilder, PRECISION, growTyped } from "./incident-table.js";
import { NO_CONTEXT, clipValue, decimalNumber, monthKeyAt, type IngestResult, type Rejection, type RejectionContext, type RejectionReason, type FileSummary } from "./ingest-result.js";
import { policeUkCategoryKey } from "./categories.js";
import { checkZone } from "./local-time.js";
import { clockFor } from "./periods.js";
import { projector, projectedBounds, projectedBoundsText } from "./projection.js";
import { MIN_YEAR, MAX_YEAR } from "./date-format.js";
import type { SourceCoverage } from "./coverage.js";
import { mergeSpans } from "./span-set.js";

/** Options for {@link readPoliceUk} and {@link PoliceUkReader}. */
export interface PoliceUkOptions {
  /** Zone in which the `Month` column is reckoned. Default `"Europe/London"`. */
  zone?: string;
  /**
   * What to do when one Crime ID appears in several files (police.uk republishes a crime
   * when its outcome changes). `"latest"` (default) keeps the record from the latest
   * `Month` — on a tie, the one read last — and rejects the others as `duplicate-id`;
   * `"none"` keeps every copy.
   */
  dedupe?: "latest" | "none";
  /**
   * A lon/lat box `[west, south, east, north]` outside which points are rejected as
   * `outside-bounds`. Default: Great Britain and Northern Ireland, `[-8.7, 49.8, 1.9, 60.9]`.
   * `null` disables the check.
   */
  bounds?: readonly [number, number, number, number] | null;
  /**
   * Points further than this from the median point of their force ("Falls within") are
   * rejected as `far-outside-area`: police.uk snap points geocoded to another part of the
   * country (Leicestershire rows in Wandsworth, York, Barrow-in-Furness). Default 100 km;
   * `Infinity` disables the check. Snaps just across a force boundary are kept.
   */
  maxDistanceKm?: number;
  /**
   * Expected number of rows, to size storage once: the columns, the packed Crime IDs (32 bytes
   * a row) and the rows' provenance are allocated for this many rows, so a good estimate means
   * no column is ever reallocated and copied. Too high costs address space only (pages never
   * written are never resident); too low, and storage doubles as before. `readPoliceUkFiles`
   * estimates it from the files' sizes. Default 1024.
   */
  capacity?: number;
  /**
   * Keep each row's Crime ID in the table. Default `true`. With `false` the IDs still find the
   * crimes republished in later months (`dedupe`), and are then let go: every row of the table
   * has an empty ID. They are 32 bytes of a police.uk row's ~90, for a caller that never reads
   * them (`assess --all-areas`: 576 MB of an 18M-row national extract, not held beside the
   * report processes, and not copied when the table is finished).
   */
  ids?: boolean;
}

/** Bytes of a packed police.uk Crime ID (64 hex digits). */
const ID_BYTES = 32;

/**
 * One file's rows (or a slice of a big file's) parsed by a {@link PoliceUkReader} in another
 * thread, ready to be appended to the main reader with `appendPart`: columns as typed arrays
 * (transferable), the dictionary values the sending reader added since its previous part, the
 * row-level rejections and the file's reconciliation counts so far.
 * @internal Used by `readPoliceUkFiles` with worker threads; not exported from the index.
 */
export interface PoliceUkPart {
  /** The file (its name as given to `beginFile`). */
  file: string;
  /** Whether this is the file's first part (a new file starts), and its last. */
  first: boolean;
  last: boolean;
  /** Data rows, row-level rejections and blank lines of the file in this part. */
  rows: number;
  rejected: number;
  blankLines: number;
  /** Month starts and force codes (the sender's) the file's rows named, first seen in this part. */
  months: number[];
  forces: number[];
  rejections: Rejection[];
  /** Notes (noLocation, blankStreet, blankCrimeId) of the rows in this part. */
  notes: [number, number, number];
  /** Accepted rows in this part. */
  length: number;
  start: Int32Array;
  end: Int32Array;
  x: Float64Array;
  y: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
  /** Dictionary codes of the sender (district is not sent: it follows from the LSOA). */
  codes: Record<PartDictName, DictCodes>;
  /** Values the sender's dictionaries gained since its previous part, in code order. */
  values: Record<PartDictName, (string | null)[]>;
  /** For each new `lsoa` value: the LSOA name read with it at its first row ("" when blank). */
  lsoaNames: string[];
  idEncoding: "hex" | "utf8";
  idBytes: Uint8Array;
  idOffsets: Uint32Array;
  line: Uint32Array;
  row: Uint32Array;
  noteBits: Uint8Array;
}

/** The dictionary columns a police.uk reader writes and sends in a {@link PoliceUkPart}. */
const PART_DICTS = ["source", "category", "location", "lsoa", "outcome", "force"] as const;
type PartDictName = (typeof PART_DICTS)[number];

/** How large the reader's storage was and how often it had to grow (see `readPoliceUkFiles`' `onStats`). */
export interface PoliceUkStorageStats {
  /** Rows the storage was first allocated for. */
  capacity: number;
  /** Reallocations of the columns, ids or provenance because rows did not fit: 0 when the capacity was enough. */
  growths: number;
}

const REQUIRED = ["Crime ID", "Month", "Longitude", "Latitude", "Location", "LSOA code", "LSOA name", "Crime type"] as const;
const OPTIONAL = ["Reported by", "Falls within", "Last outcome category", "Context"] as const;
const GB_BOUNDS: readonly [number, number, number, number] = [-8.7, 49.8, 1.9, 60.9];
const ON_OR_NEAR = "On or near ";
const FN = "readPoliceUk";
const BNG_BOX = projectedBounds("EPSG:27700")!;
// Per-row note bits, so that notes count accepted rows only.
const NOTE_NO_LOCATION = 1;
const NOTE_BLANK_STREET = 2;
const NOTE_BLANK_CRIME_ID = 4;

/** District (local authority) name from an LSOA name such as `"Charnwood 022A"`. */
export function districtOfLsoaName(name: string): string | null {
  const m = /^(.*\S)\s+\d{3}[A-Z]$/.exec(name);
  return m ? m[1] : null;
}

/**
 * Reads police.uk street-level CSV files (the 12-column monthly `YYYY-MM-<force>-street.csv`)
 * into an {@link IncidentTable}, streaming: call `beginFile`, `push` text chunks, `endFile`
 * for each file, then `finish`. Browser-safe; `@community-safety/core/node` adds file,
 * folder and gzip reading.
 *
 * Each row becomes one incident with month precision (the window is the whole local month:
 * police.uk has no day or time), `source` `asb-incident` for anti-social behaviour and
 * `police-recorded-crime` otherwise, `category` the police.uk key, `location` the street or
 * place with `On or near ` removed (`null` when no name follows), `lsoa` the LSOA code
 * (name in `areaNames`), `district` the LSOA name without its `022A` suffix (in England and
 * Wales the local authority, which is the CSP in most areas), x/y in British National Grid.
 * "No Location" rows are kept without coordinates or areas and counted in
 * `summary.notes.noLocation` (notes count accepted rows only). See {@link PoliceUkOptions} for
 * the rejection rules.
 *
 * Each physical line is one row (police.uk fields never span lines), so `summary.rows` is the
 * number of data lines and a quote left open costs its own line: `unterminated-quote` naming
 * the field. Months outside 1800–2200 are `invalid-date`; coordinates must be plain decimals
 * (`0x34`, `Infinity`, `1e999` or a blank are `invalid-coordinate`) and project inside British
 * National Grid's area of use (`outside-bounds`, which only `bounds: null` lets through to that
 * check).
 */
export class PoliceUkReader {
  private readonly b: IncidentTableBuilder;
  private readonly dedupe: "latest" | "none";
  private readonly bounds: readonly [number, number, number, number] | null;
  private readonly maxDistanceM: number;
  private readonly keepIds: boolean;
  private readonly zone: string;
  private readonly rejections: Rejection[] = [];
  private readonly files: { file: string; rows: number; rejected: number; blankLines: number }[] = [];
  // Coverage: per file, the starts of the months its rows name and the forces of its rows.
  private readonly fileMonths: Set<number>[] = [];
  private readonly fileForces: Set<number>[] = [];
  private readonly months = new Map<string, [number, number] | null>();
  // Per-text caches, looked up by span (no string per field). Entry payloads in parallel arrays.
  private readonly types = new SpanMap(32); // → typeInfo: (category code + 1) * 2 + isAsb; 0 = unknown
  private readonly typeInfo: number[] = [];
  private readonly decimalPoints = new DecimalPointIndex(4096); // usual "-1.210015" form
  private readonly points = new SpanMap(64); // other "lon,lat" texts → pointOfText
  private readonly pointOfText: number[] = [];
  private pointCount = 0;
  private pointXY = new Float64Array(4096 * 4);
  private readonly locations = new SpanMap(4096); // → locationInfo: location code * 4 + blank-street kind
  private readonly locationInfo: number[] = [];
  private readonly lsoas = new SpanMap(1024); // → lsoaInfo: [lsoa code, district code]
  private readonly lsoaInfo: number[] = [];
  private readonly outcomes = new SpanMap(64); // → outcome code
  private readonly outcomeInfo: number[] = [];
  private readonly forces = new SpanMap(16); // → force code
  private readonly forceInfo: number[] = [];
  // Per point, the Location and LSOA code entries of the last row at that point: a snap
  // point has one street and one LSOA as a rule, so most rows need no look-up for either.
  private placeChars = new Uint16Array(1 << 16); // per point: its "Location,LSOA code" text
  private placeUsed = 0;
  private readonly placeFrom: number[] = [];
  private readonly placeLength: number[] = []; // -1: none yet
  private readonly pointLocation: number[] = []; // its location entry
  private readonly pointLsoa: number[] = []; // its LSOA entry, -1 blank
  private placePair = false; // Location and LSOA code are adjacent columns
  private lastMonth = "";
  private lastWindow: [number, number] | null = null;
  private lastForce = -1;
  private readonly proj = projector("EPSG:27700");
  private noLocation = 0;
  private blankStreet = 0;
  private blankCrimeId = 0;
  // Provenance of builder rows, for rejections decided after the row was added.
  private fileOf = new Uint16Array(1024);
  private lineOf = new Uint32Array(1024);
  private rowOf = new Uint32Array(1024);
  private dropped = new Uint8Array(1024); // 0 kept, 1 duplicate, 2 far
  private keptBy = new Int32Array(1024);
  private noteBits = new Uint8Array(1024); // NOTE_* of each builder row
  private parser: DelimitedScanner | null = null;
  private readonly sink: SpanSink;
  // Storage: the capacity asked for and the reallocations of provenance and ids since.
  private readonly initialCapacity: number;
  private readonly initialIdBytes: number;
  private provenanceGrowths = 0;
  private idGrowths = 0;
  // Sending parts (worker side): what has been sent of the current file and of each dictionary.
  private partSent = { rows: 0, rejected: 0, months: 0, forces: 0 };
  private readonly valuesSent: Record<PartDictName, number> = { source: 1, category: 1, location: 1, lsoa: 1, outcome: 1, force: 1 };
  // Receiving parts (main side): per sender, its dictionary codes → ours.
  private readonly remaps = new Map<number, Record<PartDictName, number[]>>();
  private districtOfLsoa: number[] = []; // our lsoa code → our district code (-1: not seen)
  private partFile = -1; // our index of the file whose parts are being received
  private file: { file: string; rows: number; rejected: number; blankLines: number } | null = null;
  private columns: Int32Array | null = null;
  private headerNames: string[] = [];
  private forceColumn = -1;
  private width = 0;
  private fileIndex = -1;
  private rowNo = 0;
  private forceEntry = -1;
  private readonly asbCode: number;
  private readonly crimeCode: number;

  constructor(options: PoliceUkOptions = {}) {
    this.zone = checkZone(FN, options.zone ?? "Europe/London");
    this.dedupe = options.dedupe ?? "latest";
    if (this.dedupe !== "latest" && this.dedupe !== "none") invalidOption(FN, "dedupe", '"latest" or "none"', this.dedupe);
    const bounds = options.bounds === undefined ? GB_BOUNDS : options.bounds;
    if (bounds !== null && (!Array.isArray(bounds) || bounds.length !== 4 || !bounds.every(Number.isFinite) || bounds[0] >= bounds[2] || bounds[1] >= bounds[3])) {
      invalidOption(FN, "bounds", "[west, south, east, north] in degrees or null", bounds);
    }
    this.bounds = bounds;
    const km = options.maxDistanceKm ?? 100;
    if (!(km > 0)) invalidOption(FN, "maxDistanceKm", "a positive number of kilometres (Infinity to disable)", km);
    this.maxDistanceM = km * 1000;
    if (options.ids !== undefined && typeof options.ids !== "boolean") invalidOption(FN, "ids", "true or false", options.ids);
    this.keepIds = options.ids ?? true;
    const capacity = options.capacity ?? 1024;
    if (!(Number.isInteger(capacity) && capacity > 0)) invalidOption(FN, "capacity", "a positive integer", capacity);
    this.b = new IncidentTableBuilder(this.zone, "EPSG:27700", capacity);
    this.initialCapacity = capacity;
    if (options.capacity !== undefined) {
      // Sized once: packed Crime IDs and the rows' provenance too (never-written pages cost no memory).
      this.b.id.bytes = new Uint8Array(capacity * ID_BYTES);
      this.b.id.offsets = new Uint32Array(capacity + 1);
      this.fileOf = new Uint16Array(capacity);
      this.lineOf = new Uint32Array(capacity);
      this.rowOf = new Uint32Array(capacity);
      this.dropped = new Uint8Array(capacity);
      this.keptBy = new Int32Array(capacity);
      this.noteBits = new Uint8Array(capacity);
    }
    this.initialIdBytes = this.b.id.bytes.length;
    this.asbCode = this.b.dict.source.encode("asb-incident");
    this.crimeCode = this.b.dict.source.encode("police-recorded-crime");
    this.sink = { row: (scanner, text, count, line, unterminated) => this.onRow(scanner, text, count, line, unterminated) };
  }

  /** Starts a new file; `name` appears in rejections and the summary. */
  beginFile(name: string): void {
    if (this.parser) this.endFile();
    if (this.files.length >= 0xffff) throw new InputError("invalid-input", `${FN}: at most 65535 files can be read in one call`);
    this.fileIndex = this.files.length;
    this.file = { file: name, rows: 0, rejected: 0, blankLines: 0 };
    this.files.push(this.file);
    this.fileMonths.push(new Set());
    this.fileForces.push(new Set());
    this.lastWindow = null; // the first row of every file records its month
    this.columns = null;
    this.rowNo = 0;
    // police.uk fields never span lines: each physical line is one row, so a stray quote
    // costs its own line only.
    this.parser = new DelimitedScanner(this.sink, { multilineFields: false }, FN);
  }

  /** Parses a chunk of the current file's text. */
  push(chunk: string): void {
    if (!this.parser) throw new InputError("invalid-input", `${FN}: call beginFile before push`);
    this.parser.push(chunk);
  }

  /**
   * Ends the current file.
   * @throws InputError `empty-input` when the file had no header row.
   */
  endFile(): void {
    if (!this.parser) return;
    this.parser.end();
    const f = this.files[this.fileIndex];
    f.blankLines = this.parser.blankLines;
    this.parser = null;
    if (!this.columns) throw new InputError("empty-input", `${FN}: file ${describeValue(f.file)} is empty: expected a header row with ${REQUIRED.join(", ")}`);
    // A header-only file still says its month was published, with nothing in it: police.uk
    // names files YYYY-MM-<force>-street.csv.
    if (f.rows === 0) {
      const m = /(?:^|[\\/])(\d{4}-\d{2})-[^\\/]*street[^\\/]*$/.exec(f.file);
      const w = m ? this.month(m[1]) : null;
      if (w) this.fileMonths[this.fileIndex].add(w[0]);
    }
  }

  private reject(line: number, field: string | null, value: string | null, reason: RejectionReason, message: string, context: RejectionContext = NO_CONTEXT): void {
    const v = value === null ? null : detach(value);
    this.rejections.push({ file: this.files[this.fileIndex].file, row: this.rowNo, line, field, value: v, reason, message, ...context });
    this.files[this.fileIndex].rejected += 1;
  }

  /** The month, category key and area (LSOA name, else code) a rejected row's fields give, each `null` when unreadable. */
  private rowContext(s: DelimitedScanner, text: string): RejectionContext {
    const c = this.columns!;
    const monthText = s.field(text, c[1]);
    const category = policeUkCategoryKey(s.field(text, c[7])) ?? null;
    const name = s.field(text, c[6]);
    const code = s.field(text, c[5]);
    return { month: this.month(monthText) ? detach(monthText) : null, category, area: name !== "" ? detach(name) : code !== "" ? detach(code) : null };
  }

  private header(f: string[], n: number): void {
    const cols = new Int32Array(REQUIRED.length + OPTIONAL.length).fill(-1);
    const names = f.slice(0, n).map((s) => s.trim());
    [...REQUIRED, ...OPTIONAL].forEach((name, k) => (cols[k] = names.indexOf(name)));
    const missing = REQUIRED.filter((_, k) => cols[k] < 0);
    if (missing.length) {
      throw new InputError(
        "missing-field",
        `${FN}: file ${describeValue(this.files[this.fileIndex].file)} is missing required column${missing.length > 1 ? "s" : ""} ${missing.map((m) => `"${m}"`).join(", ")} (header: ${names.join(",")})`,
      );
    }
    this.columns = cols;
    this.headerNames = names;
    this.forceColumn = cols[9] >= 0 ? cols[9] : cols[8];
    this.lastForce = -1;
    this.placePair = cols[5] === cols[4] + 1;
    this.width = n;
  }

  private month(value: string): [number, number] | null {
    let w = this.months.get(value);
    if (w === undefined) {
      const m = /^(\d{4})-(\d{2})$/.exec(value);
      w = null;
      if (m && +m[2] >= 1 && +m[2] <= 12 && +m[1] >= MIN_YEAR && +m[1] <= MAX_YEAR) {
        const clock = clockFor(this.zone);
        const y = +m[1];
        const mo = +m[2];
        w = [clock.fromLocal(y, mo, 1), clock.fromLocal(mo === 12 ? y + 1 : y, mo === 12 ? 1 : mo + 1, 1)];
      }
      if (this.months.size >= 4096) this.months.clear(); // junk months must not grow it without bound
      this.months.set(value, w);
    }
    return w;
  }

  /** The entry of field `k` in `map`, or -1; looked up by span, so no string is made. */
  private static find(map: SpanMap, s: DelimitedScanner, text: string, k: number): number {
    const a = s.starts[k];
    if (a >= 0) return map.get(text, a, s.ends[k]);
    const v = s.values[k];
    return map.get(v, 0, v.length);
  }

  private onRow(s: DelimitedScanner, text: string, n: number, line: number, unterminated: boolean): void {
    const c = this.columns;
    if (!c) {
      const f: string[] = [];
      for (let k = 0; k < n; ++k) f.push(s.field(text, k));
      return this.header(f, n);
    }
    this.rowNo += 1;
    this.file!.rows += 1;
    if (unterminated) {
      const k = n - 1;
      const name = k < this.headerNames.length ? this.headerNames[k] : null;
      return this.reject(
        line,
        name,
        clipValue('"' + s.field(text, k)),
        "unterminated-quote",
        `${name ?? `field ${k + 1}`} opens a quote that is not closed on line ${line}: police.uk fields never span lines, so the line is rejected on its own and reading goes on with the next`,
      );
    }
    if (n !== this.width) {
      const f: string[] = [];
      for (let k = 0; k < n; ++k) f.push(s.field(text, k));
      return this.reject(line, null, clipValue(f.join(",")), "ragged-row", `row has ${n} fields, the header has ${this.width}`);
    }
    const starts = s.starts;
    const ends = s.ends;
    // Month: police.uk files hold one month, so compare with the last one first.
    let window = this.lastWindow;
    {
      const k = c[1];
      const a = starts[k];
      const last = this.lastMonth;
      if (!(window !== null && a >= 0 && ends[k] - a === last.length && text.slice(a, ends[k]) === last)) {
        const monthText = s.field(text, k);
        window = this.month(monthText);
        if (!window) {
          const m = /^(\d{4})-(\d{2})$/.exec(monthText);
          const message =
            m && +m[2] >= 1 && +m[2] <= 12
              ? `Month ${describeValue(monthText)}: year ${m[1]} is outside ${MIN_YEAR}–${MAX_YEAR}`
              : `Month must be YYYY-MM, got ${describeValue(monthText)}`;
          return this.reject(line, "Month", clipValue(monthText), "invalid-date", message, this.rowContext(s, text));
        }
        this.lastMonth = detach(monthText);
        this.lastWindow = window;
        this.fileMonths[this.fileIndex].add(window[0]);
      }
    }
    let typeEntry = PoliceUkReader.find(this.types, s, text, c[7]);
    if (typeEntry < 0) {
      const typeText = s.field(text, c[7]);
      const key = policeUkCategoryKey(typeText);
      const cat = key === undefined ? -1 : this.b.dict.category.encode(key);
      typeEntry = this.types.add(typeText);
      this.typeInfo.push((cat + 1) * 2 + (typeText === "Anti-social behaviour" ? 1 : 0));
    }
    const typeInfo = this.typeInfo[typeEntry];
    if (typeInfo < 2) {
      const typeText = s.field(text, c[7]);
      return this.reject(line, "Crime type", typeText, "unknown-category", `Crime type ${describeValue(typeText)} is not one of police.uk's categories`, this.rowContext(s, text));
    }
    const cat = (typeInfo >> 1) - 1;
    const isAsb = (typeInfo & 1) === 1;
    let point = -1;
    let px = NaN;
    let py = NaN;
    let plon = NaN;
    let plat = NaN;
    {
      const kx = c[2];
      const ky = c[3];
      const ax = starts[kx];
      const ay = starts[ky];
      const bx = ends[kx];
      const by = ends[ky];
      const blank = ax >= 0 && ay >= 0 ? bx === ax && by === ay : s.field(text, kx) === "" && s.field(text, ky) === "";
      if (!blank) {
        // The usual "-1.210015" form is keyed by its digits (no string, one probe that also
        // holds the projected point); any other text by the text "lon,lat".
        const lonKey = ax >= 0 ? decimalKey(text, ax, bx) : decimalKey(s.values[kx], 0, s.values[kx].length);
        const latKey = lonKey < 0 ? -1 : ay >= 0 ? decimalKey(text, ay, by) : decimalKey(s.values[ky], 0, s.values[ky].length);
        let slot = -1;
        let key: string | null = null;
        if (latKey >= 0) {
          slot = this.decimalPoints.find(lonKey, latKey);
          if (slot >= 0) {
            const d = this.decimalPoints.slots;
            point = d[slot + 2] - 1;
            px = d[slot + 3];
            py = d[slot + 4];
            plon = d[slot + 5];
            plat = d[slot + 6];
          }
        } else {
          const e = ax >= 0 && ay >= 0 && bx + 1 === ay ? this.points.get(text, ax, by) : this.points.get((key = `${s.field(text, kx)},${s.field(text, ky)}`), 0, key.length);
          if (e >= 0) {
            point = this.pointOfText[e];
            const p = this.pointXY;
            px = p[point * 4];
            py = p[point * 4 + 1];
            plon = p[point * 4 + 2];
            plat = p[point * 4 + 3];
          }
        }
        if (point < 0) {
          const lonText = s.field(text, kx);
          const latText = s.field(text, ky);
          // Plain decimals only: Number() would also read "0x34", "Infinity" and "" (as 0).
          const lon = decimalNumber(lonText);
          const lat = decimalNumber(latText);
          if (!(lon >= -180 && lon <= 180) || !(lat >= -90 && lat <= 90)) {
            const badLon = !(lon >= -180 && lon <= 180);
            const field = badLon ? "Longitude" : "Latitude";
            const v = badLon ? lonText : latText;
            return this.reject(line, field, clipValue(v), "invalid-coordinate", `${field} must be a decimal number of degrees within ${badLon ? "−180…180" : "−90…90"}, got ${describeValue(v)}`, this.rowContext(s, text));
          }
          if (lon === 0 && lat === 0) return this.reject(line, "Longitude", lonText, "null-island", "coordinates are 0,0 (a missing location written as zero)", this.rowContext(s, text));
          const bb = this.bounds;
          if (bb && (lon < bb[0] || lon > bb[2] || lat < bb[1] || lat > bb[3])) {
            return this.reject(line, "Longitude", `${lonText},${latText}`, "outside-bounds", `point ${lonText},${latText} is outside the bounds ${bb.join(",")}`, this.rowContext(s, text));
          }
          [px, py] = this.proj.forward(lon, lat);
          if (!(px >= BNG_BOX[0] && px <= BNG_BOX[2] && py >= BNG_BOX[1] && py <= BNG_BOX[3])) {
            // Only with bounds off or widened: outside the National Grid the projection is meaningless.
            const field = px >= BNG_BOX[0] && px <= BNG_BOX[2] ? "Latitude" : "Longitude";
            return this.reject(
              line,
              field,
              `${lonText},${latText}`,
              "outside-bounds",
              `point ${lonText},${latText} lies outside the area of use of EPSG:27700, British National Grid (${projectedBoundsText(BNG_BOX)})`,
              this.rowContext(s, text),
            );
          }
          point = this.pointCount++;
          plon = lon;
          plat = lat;
          if (latKey >= 0) this.decimalPoints.add(lonKey, latKey, point, px, py, lon, lat);
          else {
            this.points.add(key ?? `${lonText},${latText}`);
            this.pointOfText.push(point);
          }
          if (point * 4 + 4 > this.pointXY.length) {
            const next = new Float64Array(this.pointXY.length * 2);
            next.set(this.pointXY);
            this.pointXY = next;
          }
          this.pointXY[point * 4] = px;
          this.pointXY[point * 4 + 1] = py;
          this.pointXY[point * 4 + 2] = lon;
          this.pointXY[point * 4 + 3] = lat;
          this.placeFrom.push(0);
          this.placeLength.push(-1);
          this.pointLocation.push(-1);
          this.pointLsoa.push(-1);
        }
      }
    }
    // Accepted: write the row.
    const b = this.b;
    const i = b.addRow();
    this.trackProvenance(i, line);
    const kid = c[0];
    const aid = starts[kid];
    let hasId: boolean;
    if (aid >= 0) {
      b.id.setText(i, text, aid, ends[kid]);
      hasId = ends[kid] > aid;
    } else {
      const idText = s.values[kid];
      b.id.set(i, idText);
      hasId = idText !== "";
    }
    let notes = !hasId && !isAsb ? NOTE_BLANK_CRIME_ID : 0;
    b.dict.source.setCode(i, isAsb ? this.asbCode : this.crimeCode);
    b.dict.category.setCode(i, cat);
    b.start[i] = window[0];
    b.end[i] = window[1];
    b.precision[i] = PRECISION.month;
    if (point >= 0) {
      b.x[i] = px;
      b.y[i] = py;
      b.lon[i] = plon;
      b.lat[i] = plat;
    } else notes |= NOTE_NO_LOCATION;
    // Location and LSOA code: a snap point has one street and one LSOA as a rule, so compare
    // the two fields (adjacent in police.uk files) with those of the point's last row first.
    const kl = c[5];
    let locEntry = -1;
    let lsoaEntry = -2; // -1: blank LSOA code
    const pairFrom = point >= 0 && this.placePair && starts[c[4]] >= 0 && starts[kl] >= 0 ? starts[c[4]] : -1;
    if (pairFrom >= 0) {
      const len = ends[kl] - pairFrom;
      if (this.placeLength[point] === len) {
        const chars = this.placeChars;
        const o = this.placeFrom[point];
        let k = 0;
        while (k < len && chars[o + k] === text.charCodeAt(pairFrom + k)) ++k;
        if (k === len) {
          locEntry = this.pointLocation[point];
          lsoaEntry = this.pointLsoa[point];
        }
      }
    }
    if (locEntry < 0) {
      locEntry = PoliceUkReader.find(this.locations, s, text, c[4]);
      if (locEntry < 0) {
        const loc = s.field(text, c[4]);
        let code = 0;
        let kind = 0; // blank street: 0 never, 1 always, 2 when the row has a point
        if (loc.startsWith(ON_OR_NEAR)) {
          const name = loc.slice(ON_OR_NEAR.length).trim();
          if (name === "") kind = 1;
          code = b.dict.location.encode(name);
        } else if (loc === "On or near" || loc === "") {
          kind = loc === "" ? 2 : 1;
        } else if (loc !== "No Location") code = b.dict.location.encode(loc);
        locEntry = this.locations.add(loc);
        this.locationInfo.push(code * 4 + kind);
      }
      if (starts[kl] >= 0 ? ends[kl] > starts[kl] : s.values[kl] !== "") {
        lsoaEntry = PoliceUkReader.find(this.lsoas, s, text, kl);
        if (lsoaEntry < 0) {
          const lsoaCode = detach(s.field(text, kl));
          const lsoaName = detach(s.field(text, c[6]));
          if (lsoaName) b.areaNames.set(lsoaCode, lsoaName);
          lsoaEntry = this.lsoas.add(lsoaCode);
          this.lsoaInfo.push(b.dict.lsoa.encode(lsoaCode), b.dict.district.encode(districtOfLsoaName(lsoaName)));
        }
      } else lsoaEntry = -1;
      if (pairFrom >= 0) {
        const len = ends[kl] - pairFrom;
        let o = this.placeFrom[point];
        if (len > this.placeLength[point]) {
          // Longer than the slot held: append (a snap point rarely changes street).
          o = this.placeUsed;
          this.placeUsed += len;
          if (this.placeUsed > this.placeChars.length) {
            const next = new Uint16Array(Math.max(this.placeUsed, this.placeChars.length * 2));
            next.set(this.placeChars);
            this.placeChars = next;
          }
          this.placeFrom[point] = o;
        }
        for (let k = 0; k < len; ++k) this.placeChars[o + k] = text.charCodeAt(pairFrom + k);
        this.placeLength[point] = len;
        this.pointLocation[point] = locEntry;
        this.pointLsoa[point] = lsoaEntry;
      }
    }
    const locInfo = this.locationInfo[locEntry];
    const kind = locInfo & 3;
    if (kind === 1 || (kind === 2 && point >= 0)) notes |= NOTE_BLANK_STREET;
    this.noteBits[i] = notes;
    this.countNotes(notes, 1);
    b.dict.location.setCode(i, locInfo >>> 2);
    if (lsoaEntry >= 0) {
      b.dict.lsoa.setCode(i, this.lsoaInfo[2 * lsoaEntry]);
      b.dict.district.setCode(i, this.lsoaInfo[2 * lsoaEntry + 1]);
    } else {
      b.dict.lsoa.setCode(i, 0);
      b.dict.district.setCode(i, 0);
    }
    const ko = c[10];
    if (ko >= 0) {
      let e = PoliceUkReader.find(this.outcomes, s, text, ko);
      if (e < 0) {
        const outcome = s.field(text, ko);
        this.outcomeInfo.push(b.dict.outcome.encode(outcome));
        e = this.outcomes.add(outcome);
      }
      b.dict.outcome.setCode(i, this.outcomeInfo[e]);
    } else b.dict.outcome.setCode(i, 0);
    const kf = this.forceColumn;
    if (kf >= 0) {
      // One force per file as a rule: compare with the last one first.
      let code = this.lastForce;
      const a = starts[kf];
      const last = code >= 0 ? this.forces.keys[this.forceEntry] : "";
      if (!(code >= 0 && a >= 0 && ends[kf] - a === last.length && text.slice(a, ends[kf]) === last)) {
        let e = PoliceUkReader.find(this.forces, s, text, kf);
        if (e < 0) {
          const force = s.field(text, kf);
          this.forceInfo.push(b.dict.force.encode(force));
          e = this.forces.add(force);
        }
        code = this.forceInfo[e];
        this.lastForce = code;
        this.forceEntry = e;
        this.fileForces[this.fileIndex].add(code);
      }
      b.dict.force.setCode(i, code);
    } else b.dict.force.setCode(i, 0);
  }

  /** Adds (sign 1) or removes (-1) a row's notes: notes count accepted rows only. */
  private countNotes(bits: number, sign: 1 | -1): void {
    if (bits === 0) return;
    if (bits & NOTE_NO_LOCATION) this.noLocation += sign;
    if (bits & NOTE_BLANK_STREET) this.blankStreet += sign;
    if (bits & NOTE_BLANK_CRIME_ID) this.blankCrimeId += sign;
  }

  private trackProvenance(i: number, line: number): void {
    if (i >= this.fileOf.length) this.growProvenance(i + 1);
    this.fileOf[i] = this.fileIndex;
    this.lineOf[i] = line;
    this.rowOf[i] = this.rowNo;
    this.dropped[i] = 0;
  }

  private growProvenance(min: number): void {
    {
      let c = Math.max(16, this.fileOf.length * 2);
      while (c < min) c *= 2;
      this.provenanceGrowths += 1;
      const g = <T extends Uint16Array | Uint32Array | Uint8Array | Int32Array>(a: T): T => growTyped(a, c);
      this.fileOf = g(this.fileOf);
      this.lineOf = g(this.lineOf);
      this.rowOf = g(this.rowOf);
      this.dropped = g(this.dropped);
      this.keptBy = g(this.keptBy);
      this.noteBits = g(this.noteBits);
    }
  }

  /**
   * Marks all but one row of each Crime ID as dropped: the row from the latest month, on a
   * tie the one read last — the outcome of claiming each row's id in reading order. Rows are
   * grouped by sorting their ids' hashes (a radix sort: sequential passes instead of one
   * cache miss per row in a hash table), each group then folded in reading order.
   */
  private dropDuplicates(): void {
    const b = this.b;
    const n = b.length;
    const { bytes, offsets } = b.id;
    let m = 0;
    for (let i = 0; i < n; ++i) if (offsets[i + 1] > offsets[i]) m += 1;
    let rows = new Int32Array(m);
    let keys = new Int32Array(m);
    for (let i = 0, k = 0; i < n; ++i) {
      const a = offsets[i];
      const e = offsets[i + 1];
      if (e === a) continue;
      rows[k] = i;
      keys[k++] = idHash(bytes, a, e);
    }
    // Stable LSD radix sort on the hash, 11 bits a pass (2048 buckets stay in cache): rows
    // stay in reading order within a hash.
    let rows2 = new Int32Array(m);
    let keys2 = new Int32Array(m);
    const count = new Int32Array(1 << 11);
    for (let shift = 0; shift < 32; shift += 11) {
      count.fill(0);
      for (let k = 0; k < m; ++k) count[(keys[k] >>> shift) & 0x7ff] += 1;
      for (let d = 0, sum = 0; d < count.length; ++d) {
        const c = count[d];
        count[d] = sum;
        sum += c;
      }
      for (let k = 0; k < m; ++k) {
        const to = count[(keys[k] >>> shift) & 0x7ff]++;
        rows2[to] = rows[k];
        keys2[to] = keys[k];
      }
      [rows, rows2] = [rows2, rows];
      [keys, keys2] = [keys2, keys];
    }
    const start = b.start;
    const holders: number[] = []; // within a hash group: the row now holding each distinct id
    for (let g = 0; g < m; ) {
      let h = g + 1;
      while (h < m && keys[h] === keys[g]) ++h;
      if (h - g > 1) {
        holders.length = 0;
        for (let k = g; k < h; ++k) {
          const i = rows[k];
          let t = 0;
          while (t < holders.length && !sameBytes(bytes, offsets, holders[t], i)) ++t;
          if (t === holders.length) {
            holders.push(i);
            continue;
          }
          const other = holders[t];
          // Keep the later month; on a tie keep the row read last.
          if (start[i] >= start[other]) {
            this.dropped[other] = 1;
            this.keptBy[other] = i;
            holders[t] = i;
          } else {
            this.dropped[i] = 1;
            this.keptBy[i] = other;
          }
        }
      }
      g = h;
    }
  }

  private stats: PoliceUkStorageStats | null = null;

  /**
   * The rows the storage was allocated for and how many times it had to grow (columns, Crime
   * IDs, dictionary codes, provenance). After `finish`, the figures at the end of reading.
   */
  storageStats(): PoliceUkStorageStats {
    if (this.stats) return this.stats;
    const b = this.b;
    let growths = b.growths + this.provenanceGrowths + this.idGrowths;
    const rows = Math.max(16, this.initialCapacity);
    for (const name of PART_DICTS) if (b.dict[name].codes.length > rows) growths += 1;
    if (b.id.offsets.length > this.initialCapacity + 1 || b.id.bytes.length > this.initialIdBytes) growths += 1;
    return { capacity: this.initialCapacity, growths };
  }

  /**
   * Hands over the rows read since the previous part — the current file's, or a slice of a big
   * file's — with what the receiver needs to append them (see {@link PoliceUkPart}), and forgets
   * them, keeping the dictionaries and look-up caches for the next rows. `last`: the file is
   * ended (call after `endFile`) and the next part starts a new file.
   * @internal Used by the worker threads of `readPoliceUkFiles`.
   */
  takePart(last: boolean): PoliceUkPart {
    const b = this.b;
    const n = b.length;
    const k = this.fileIndex;
    const f = this.files[k];
    if (!f) throw new InputError("invalid-input", `${FN}: call beginFile before takePart`);
    const sent = this.partSent;
    const first = !this.partOpen;
    const months = [...this.fileMonths[k]];
    const forces = [...this.fileForces[k]];
    const values = {} as Record<PartDictName, (string | null)[]>;
    const codes = {} as Record<PartDictName, DictCodes>;
    for (const name of PART_DICTS) {
      const d = b.dict[name];
      values[name] = d.values.slice(this.valuesSent[name]);
      this.valuesSent[name] = d.values.length;
      codes[name] = d.codes.slice(0, n);
    }
    const ids = b.id;
    const part: PoliceUkPart = {
      file: f.file,
      first,
      last,
      rows: f.rows - sent.rows,
      rejected: f.rejected - sent.rejected,
      blankLines: last ? f.blankLines : 0,
      months: months.slice(sent.months),
      forces: forces.slice(sent.forces),
      rejections: this.rejections.splice(0),
      notes: [this.noLocation, this.blankStreet, this.blankCrimeId],
      length: n,
      start: b.start.slice(0, n),
      end: b.end.slice(0, n),
      x: b.x.slice(0, n),
      y: b.y.slice(0, n),
      lon: b.lon.slice(0, n),
      lat: b.lat.slice(0, n),
      codes,
      values,
      lsoaNames: values.lsoa.map((code) => b.areaNames.get(code ?? "") ?? ""),
      idEncoding: ids.encoding,
      idBytes: ids.bytes.slice(0, ids.offsets[ids.length]),
      idOffsets: ids.offsets.slice(0, n + 1),
      line: this.lineOf.slice(0, n),
      row: this.rowOf.slice(0, n),
      noteBits: this.noteBits.slice(0, n),
    };
    if (ids.length !== n) throw new Error(`${FN}: internal: ${ids.length} ids for ${n} rows`);
    b.clearRows();
    this.noLocation = this.blankStreet = this.blankCrimeId = 0;
    if (last) {
      this.files.length = 0;
      this.fileMonths.length = 0;
      this.fileForces.length = 0;
      this.fileIndex = -1;
      this.partSent = { rows: 0, rejected: 0, months: 0, forces: 0 };
      this.partOpen = false;
    } else {
      this.partSent = { rows: f.rows, rejected: f.rejected, months: months.length, forces: forces.length };
      this.partOpen = true;
    }
    return part;
  }
  private partOpen = false;

  /** Rows read and not yet handed over by {@link PoliceUkReader.takePart}. @internal */
  pendingRows(): number {
    return this.b.length;
  }

  /**
   * Appends a part read by another reader (`sender` tells the senders apart: each has its own
   * dictionary codes) as if this reader had read those rows itself: parts must come in reading
   * order (files in name order, a file's parts in order). The result of `finish` is then the
   * same as one reader reading every file — dictionaries in first-seen order, the first name
   * read for an LSOA code, rejections and reconciliation per file.
   * @internal Used by `readPoliceUkFiles` with worker threads.
   */
  appendPart(sender: number, part: PoliceUkPart): void {
    if (this.parser) throw new InputError("invalid-input", `${FN}: appendPart cannot be mixed with push`);
    const b = this.b;
    let remap = this.remaps.get(sender);
    if (!remap) {
      remap = { source: [0], category: [0], location: [0], lsoa: [0], outcome: [0], force: [0] };
      this.remaps.set(sender, remap);
    }
    if (part.first) {
      if (this.files.length >= 0xffff) throw new InputError("invalid-input", `${FN}: at most 65535 files can be read in one call`);
      this.partFile = this.files.length;
      this.files.push({ file: part.file, rows: 0, rejected: 0, blankLines: 0 });
      this.fileMonths.push(new Set());
      this.fileForces.push(new Set());
    }
    const k = this.partFile;
    const f = this.files[k];
    f.rows += part.rows;
    f.rejected += part.rejected;
    if (part.last) f.blankLines = part.blankLines;
    // Dictionaries: the sender's new values, in its code order, become ours (or find ours).
    for (const name of PART_DICTS) {
      if (name === "lsoa") continue;
      const d = b.dict[name];
      const map = remap[name];
      for (const v of part.values[name]) map.push(d.encode(v));
    }
    // LSOA: the first name read for a code (from whichever sender) gives its area name and
    // district, as one reader keeps the first; district codes follow from the LSOA.
    const lsoaValues = part.values.lsoa;
    for (let j = 0; j < lsoaValues.length; ++j) {
      const code = lsoaValues[j] as string;
      const g = b.dict.lsoa.encode(code);
      remap.lsoa.push(g);
      if (this.districtOfLsoa[g] === undefined) {
        const name = part.lsoaNames[j];
        if (name) b.areaNames.set(code, name);
        this.districtOfLsoa[g] = b.dict.district.encode(districtOfLsoaName(name));
      }
    }
    for (const m of part.months) this.fileMonths[k].add(m);
    for (const c of part.forces) this.fileForces[k].add(remap.force[c]);
    for (const r of part.rejections) this.rejections.push(r);
    this.noLocation += part.notes[0];
    this.blankStreet += part.notes[1];
    this.blankCrimeId += part.notes[2];
    const n = part.length;
    if (n === 0) return;
    const i0 = b.addRows(n);
    if (i0 + n > this.fileOf.length) this.growProvenance(i0 + n);
    b.start.set(part.start, i0);
    b.end.set(part.end, i0);
    b.precision.fill(PRECISION.month, i0, i0 + n);
    b.x.set(part.x, i0);
    b.y.set(part.y, i0);
    b.lon.set(part.lon, i0);
    b.lat.set(part.lat, i0);
    for (const name of PART_DICTS) {
      const d = b.dict[name];
      d.setCode(i0 + n - 1, 0); // grows the codes if needed
      const out = d.codes;
      const map = remap[name];
      const src = part.codes[name];
      for (let r = 0; r < n; ++r) out[i0 + r] = map[src[r]];
    }
    {
      const d = b.dict.district;
      d.setCode(i0 + n - 1, 0);
      const out = d.codes;
      const lsoa = b.dict.lsoa.codes;
      const of = this.districtOfLsoa;
      for (let r = 0; r < n; ++r) {
        const l = lsoa[i0 + r];
        out[i0 + r] = l === 0 ? 0 : of[l];
      }
    }
    this.appendIds(part, i0);
    this.fileOf.fill(k, i0, i0 + n);
    this.lineOf.set(part.line, i0);
    this.rowOf.set(part.row, i0);
    this.noteBits.set(part.noteBits, i0);
    this.dropped.fill(0, i0, i0 + n);
  }

  /** Appends a part's ids as rows `i0…`: packed bytes copied as they are when both sides are hex. */
  private appendIds(part: PoliceUkPart, i0: number): void {
    const ids = this.b.id;
    const n = part.length;
    if (ids.length !== i0) throw new Error(`${FN}: internal: ids at row ${ids.length}, appending at ${i0}`);
    // IdBuilder keeps the bytes used in a private field equal to offsets[length]; appending in
    // bulk updates it (there is no public bulk append).
    const internal = ids as unknown as { used: number };
    if (ids.encoding === "hex" && part.idEncoding === "hex" && typeof internal.used === "number" && internal.used === ids.offsets[ids.length]) {
      const used = internal.used;
      const extra = part.idOffsets[n];
      if (used + extra > ids.bytes.length) {
        const next = new Uint8Array(Math.max(used + extra, ids.bytes.length * 2));
        next.set(ids.bytes.subarray(0, used));
        ids.bytes = next;
        this.idGrowths += 1;
      }
      if (i0 + n + 2 > ids.offsets.length) {
        let c = Math.max(1024, ids.offsets.length * 2);
        while (c < i0 + n + 2) c *= 2;
        const next = new Uint32Array(c);
        next.set(ids.offsets.subarray(0, i0 + 1));
        ids.offsets = next;
        this.idGrowths += 1;
      }
      ids.bytes.set(part.idBytes.subarray(0, extra), used);
      const offsets = ids.offsets;
      const from = part.idOffsets;
      for (let r = 1; r <= n; ++r) offsets[i0 + r] = used + from[r];
      ids.length = i0 + n;
      internal.used = used + extra;
      return;
    }
    const column: IdColumn = { encoding: part.idEncoding, bytes: part.idBytes, offsets: part.idOffsets };
    for (let r = 0; r < n; ++r) ids.set(i0 + r, idValue(column, r));
  }

  /** Applies the whole-input rules (duplicates, far-away points) and returns the result. */
  finish(): IngestResult {
    if (this.parser) this.endFile();
    const b = this.b;
    const n = b.length;
    if (this.dedupe === "latest") this.dropDuplicates();
    this.rejectFarPoints();
    const lateRejections: Rejection[] = [];
    let kept = 0;
    for (let i = 0; i < n; ++i) if (this.dropped[i] === 0) kept += 1;
    const keep = new Uint32Array(kept);
    const monthOf = (i: number) => new Date(b.start[i] * 60_000 + 15 * 86_400_000).toISOString().slice(0, 7);
    const clock = clockFor(this.zone);
    const contextOf = (i: number): RejectionContext => {
      const lsoa = b.dict.lsoa.values[b.dict.lsoa.codes[i] ?? 0];
      return { month: monthKeyAt(clock, b.start[i], PRECISION.month), category: b.dict.category.values[b.dict.category.codes[i] ?? 0], area: lsoa === null ? null : (b.areaNames.get(lsoa) ?? lsoa) };
    };
    for (let i = 0, k = 0; i < n; ++i) {
      const d = this.dropped[i];
      if (d === 0) {
        keep[k++] = i;
        continue;
      }
      const file = this.files[this.fileOf[i]];
      file.rejected += 1;
      this.countNotes(this.noteBits[i], -1);
      if (d === 1) {
        const j = this.keptBy[i];
        lateRejections.push({
          file: file.file,
          row: this.rowOf[i],
          line: this.lineOf[i],
          field: "Crime ID",
          value: b.id.slice(i).length ? hex(b.id.slice(i), b.id.encoding) : null,
          reason: "duplicate-id",
          message: `the same Crime ID appears for ${monthOf(j)} at line ${this.lineOf[j]} of ${this.files[this.fileOf[j]].file}; the record from the latest month is kept (police.uk republishes a crime when its outcome changes)`,
          ...contextOf(i),
        });
      } else {
        lateRejections.push({
          file: file.file,
          row: this.rowOf[i],
          line: this.lineOf[i],
          field: "Longitude",
          value: `${b.lon[i]},${b.lat[i]}`,
          reason: "far-outside-area",
          message: `point ${b.lon[i]},${b.lat[i]} lies ${(this.distanceOf(i) / 1000).toFixed(0)} km from the median point of its force: a snap-point geocoding error`,
          ...contextOf(i),
        });
      }
    }
    b.coverage = this.coverage();
    this.stats = this.storageStats();
    // The provenance is no longer needed: let it go, and let the builder hand over its columns
    // with the kept rows moved to the front in place (finish with release: `keep` increases), so
    // no column is copied and none is held twice.
    this.fileOf = new Uint16Array(0);
    this.lineOf = new Uint32Array(0);
    this.rowOf = new Uint32Array(0);
    this.dropped = new Uint8Array(0);
    this.keptBy = new Int32Array(0);
    this.noteBits = new Uint8Array(0);
    const table = b.finish(kept === n ? undefined : keep, { release: true, ids: this.keepIds });
    const rejected = [...this.rejections, ...lateRejections].sort((p, q) => (p.file === q.file ? p.line - q.line : 0));
    const byReason: Partial<Record<RejectionReason, number>> = {};
    for (const r of rejected) byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
    const files: FileSummary[] = this.files.map((f) => ({ file: f.file, rows: f.rows, accepted: f.rows - f.rejected, rejected: f.rejected, blankLines: f.blankLines }));
    const rows = files.reduce((s, f) => s + f.rows, 0);
    return {
      table,
      rejected,
      summary: { rows, accepted: table.length, rejected: rejected.length, files, byReason, notes: { noLocation: this.noLocation, blankStreet: this.blankStreet, blankCrimeId: this.blankCrimeId } },
    };
  }

  /**
   * Coverage by the files read: for each force, the months named by the rows of the files that
   * hold its rows (a police.uk file is one force's month, crime and ASB together); a file with no
   * accepted row (header only, or every row rejected) covers its month for every force.
   */
  private coverage(): SourceCoverage[] {
    const b = this.b;
    const byForce = new Map<number, Set<number>>();
    const everyForce = new Set<number>();
    this.files.forEach((_, k) => {
      const months = this.fileMonths[k];
      if (this.fileForces[k].size === 0) for (const m of months) everyForce.add(m);
      for (const f of this.fileForces[k]) {
        let set = byForce.get(f);
        if (!set) byForce.set(f, (set = new Set()));
        for (const m of months) set.add(m);
      }
    });
    if (byForce.size === 0) byForce.set(0, new Set());
    const clock = clockFor(this.zone);
    const out: SourceCoverage[] = [];
    for (const [force, set] of byForce) {
      const spans = mergeSpans([...set, ...everyForce].map((start) => {
        const p = clock.parts(start);
        return { start, end: clock.fromLocal(p.month === 12 ? p.year + 1 : p.year, p.month === 12 ? 1 : p.month + 1, 1) };
      }));
      const area = force === 0 ? null : b.dict.force.values[force];
      const months = new Set([...set, ...everyForce]).size;
      for (const source of ["police-recorded-crime", "asb-incident"]) {
        out.push({ source, areaColumn: area === null ? null : "force", area, spans, basis: "files", note: `the ${months} month${months === 1 ? "" : "s"} of the police.uk files read` });
      }
    }
    return out;
  }

  private readonly medians = new Map<number, [number, number]>();
  private distanceOf(i: number): number {
    const m = this.medians.get(this.b.dict.force.codes[i])!;
    return Math.hypot(this.b.x[i] - m[0], this.b.y[i] - m[1]);
  }

  private rejectFarPoints(): void {
    if (!Number.isFinite(this.maxDistanceM)) return;
    const b = this.b;
    const n = b.length;
    const forceCodes = b.dict.force.codes;
    const xs = b.x;
    const ys = b.y;
    const dropped = this.dropped;
    // Rows with a point, grouped by force (counting sort on the force code).
    const forces = b.dict.force.values.length;
    const start = new Int32Array(forces + 1);
    for (let i = 0; i < n; ++i) if (!Number.isNaN(xs[i]) && !dropped[i]) start[forceCodes[i] + 1] += 1;
    for (let f = 0; f < forces; ++f) start[f + 1] += start[f];
    const rows = new Int32Array(start[forces]);
    const fill = start.slice(0, forces);
    for (let i = 0; i < n; ++i) if (!Number.isNaN(xs[i]) && !dropped[i]) rows[fill[forceCodes[i]]++] = i;
    const max = this.maxDistanceM;
    // Decide on the squared distance unless it is within rounding of the limit; there use
    // Math.hypot, whose result the rejection message reports.
    const below = max * max * (1 - 1e-9);
    const above = max * max * (1 + 1e-9);
    for (let f = 0; f < forces; ++f) {
      const a = start[f];
      const count = start[f + 1] - a;
      if (count === 0) continue;
      const px = new Float64Array(count);
      const py = new Float64Array(count);
      for (let k = 0; k < count; ++k) {
        px[k] = xs[rows[a + k]];
        py[k] = ys[rows[a + k]];
      }
      const mid = count >> 1;
      const mx = select(px, mid);
      const my = select(py, mid);
      this.medians.set(f, [mx, my]);
      for (let k = 0; k < count; ++k) {
        const i = rows[a + k];
        const dx = xs[i] - mx;
        const dy = ys[i] - my;
        const d2 = dx * dx + dy * dy;
        if (d2 > above || (d2 >= below && Math.hypot(dx, dy) > max)) dropped[i] = 2;
      }
    }
  }
}

/**
 * The value that `a.sort()[k]` would hold (Hoare's quickselect, median-of-three pivots,
 * O(n) on average), reordering `a`. NaN-free input only.
 */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    const x = a[lo];
    const y = a[mid];
    const z = a[hi];
    const p = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y; // median of three
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < p) ++i;
      while (a[j] > p) --j;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        ++i;
        --j;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** Whether rows p and q of an id column hold the same bytes. */
function sameBytes(bytes: Uint8Array, offsets: Uint32Array, p: number, q: number): boolean {
  const a = offsets[p];
  const len = offsets[p + 1] - a;
  const b = offsets[q];
  if (offsets[q + 1] - b !== len) return false;
  for (let k = 0; k < len; ++k) if (bytes[a + k] !== bytes[b + k]) return false;
  return true;
}

/**
 * The exact key of a coordinate written `-?D.F` with D one to three digits (no leading zero)
 * and F one to eight digits: distinct texts give distinct keys (< 2^53, so exact as
 * doubles). -1 for any other text.
 */
function decimalKey(text: string, a: number, b: number): number {
  let k = a;
  let neg = 0;
  if (k < b && text.charCodeAt(k) === 45) {
    neg = 1;
    ++k;
  }
  const first = k;
  let whole = 0;
  let c = 0;
  while (k < b && k - first < 3 && (c = text.charCodeAt(k) - 48) >= 0 && c <= 9) {
    whole = whole * 10 + c;
    ++k;
  }
  if (k === first || k >= b || text.charCodeAt(k) !== 46 || (k - first > 1 && text.charCodeAt(first) === 48)) return -1;
  const dot = ++k;
  let frac = 0;
  while (k < b && k - dot < 8 && (c = text.charCodeAt(k) - 48) >= 0 && c <= 9) {
    frac = frac * 10 + c;
    ++k;
  }
  if (k === dot || k !== b) return -1;
  return ((neg * 1000 + whole) * 8 + (k - dot - 1)) * 1e8 + frac;
}

/**
 * Points by their {@link decimalKey} pair: open addressing over a Float64Array whose slot
 * holds the two keys, the point number + 1 (0 = empty) and the point's x, y, lon, lat, so a
 * look-up touches one slot.
 */
class DecimalPointIndex {
  slots: Float64Array;
  private mask: number;
  private size = 0;
  constructor(capacity: number) {
    let cap = 16;
    while (cap < capacity * 2) cap <<= 1;
    this.slots = new Float64Array(cap * 8);
    this.mask = cap - 1;
  }
  private static hash(lonKey: number, latKey: number): number {
    let h = (lonKey >>> 0) ^ Math.imul((lonKey / 4294967296) | 0, 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) ^ (latKey >>> 0);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) ^ Math.imul((latKey / 4294967296) | 0, 0x27d4eb2f);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    return h ^ (h >>> 13);
  }
  /** The offset of the slot holding the pair, or -1. */
  find(lonKey: number, latKey: number): number {
    const slots = this.slots;
    const mask = this.mask;
    for (let s = DecimalPointIndex.hash(lonKey, latKey) & mask; ; s = (s + 1) & mask) {
      const o = s * 8;
      if (slots[o + 2] === 0) return -1;
      if (slots[o] === lonKey && slots[o + 1] === latKey) return o;
    }
  }
  add(lonKey: number, latKey: number, point: number, x: number, y: number, lon: number, lat: number): void {
    if ((this.size + 1) * 2 > this.mask + 1) {
      const old = this.slots;
      this.slots = new Float64Array(old.length * 2);
      this.mask = this.mask * 2 + 1;
      for (let o = 0; o < old.length; o += 8) if (old[o + 2] !== 0) this.place(old.subarray(o, o + 8));
    }
    this.place(Float64Array.of(lonKey, latKey, point + 1, x, y, lon, lat, 0));
    this.size += 1;
  }
  private place(slot: Float64Array): void {
    const slots = this.slots;
    const mask = this.mask;
    let s = DecimalPointIndex.hash(slot[0], slot[1]) & mask;
    while (slots[s * 8 + 2] !== 0) s = (s + 1) & mask;
    slots.set(slot, s * 8);
  }
}

function hex(bytes: Uint8Array, encoding: "hex" | "utf8"): string {
  if (encoding === "utf8") return new TextDecoder().decode(bytes);
  let s = "";
  for (const v of bytes) s += (v < 16 ? "0" : "") + v.toString(16);
  return s;
}

/**
 * Reads police.uk street-level CSV text: one string, or several named files.
 *
 * @example
 * const { table, summary } = readPoliceUk([{ name: "2022-10-leicestershire-street.csv", text }]);
 * summary.rows === summary.accepted + summary.rejected // => true
 * @throws InputError `missing-field` naming every missing required column; `empty-input` for a file with no header.
 */
export function readPoliceUk(input: string | ReadonlyArray<{ name: string; text: string }>, options: PoliceUkOptions = {}): IngestResult {
  const files = typeof input === "string" ? [{ name: "input", text: input }] : input;
  if (!Array.isArray(files)) throw new InputError("invalid-input", `${FN}: input must be CSV text or an array of { name, text }, got ${describeValue(input)}`);
  const reader = new PoliceUkReader(options);
  for (const f of files) {
    reader.beginFile(f.name);
    reader.push(f.text);
    reader.endFile();
  }
  return reader.finish();
}
