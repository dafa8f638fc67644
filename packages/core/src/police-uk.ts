import { DelimitedParser } from "./delimited.js";
import { InputError, invalidOption, describeValue } from "./errors.js";
import { IdIndex } from "./id-column.js";
import { IncidentTableBuilder, PRECISION } from "./incident-table.js";
import type { IngestResult, Rejection, RejectionReason, FileSummary } from "./ingest-result.js";
import { policeUkCategoryKey } from "./categories.js";
import { checkZone } from "./local-time.js";
import { clockFor } from "./periods.js";
import { projector } from "./projection.js";

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
  /** Expected number of rows, to size storage once. */
  capacity?: number;
}

const REQUIRED = ["Crime ID", "Month", "Longitude", "Latitude", "Location", "LSOA code", "LSOA name", "Crime type"] as const;
const OPTIONAL = ["Reported by", "Falls within", "Last outcome category", "Context"] as const;
const GB_BOUNDS: readonly [number, number, number, number] = [-8.7, 49.8, 1.9, 60.9];
const ON_OR_NEAR = "On or near ";
const FN = "readPoliceUk";

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
 * `summary.notes.noLocation`. See {@link PoliceUkOptions} for the rejection rules.
 */
export class PoliceUkReader {
  private readonly b: IncidentTableBuilder;
  private readonly dedupe: "latest" | "none";
  private readonly bounds: readonly [number, number, number, number] | null;
  private readonly maxDistanceM: number;
  private readonly zone: string;
  private readonly rejections: Rejection[] = [];
  private readonly files: { file: string; rows: number; rejected: number; blankLines: number }[] = [];
  private readonly ids: IdIndex;
  private readonly months = new Map<string, [number, number] | null>();
  private readonly categories = new Map<string, number>();
  private readonly lsoas = new Map<string, [number, number]>();
  private readonly points = new Map<string, number>();
  private pointXY = new Float64Array(4096 * 4);
  private pointCount = 0;
  private readonly proj = projector("EPSG:27700");
  private readonly notes: Record<string, number> = { noLocation: 0, blankStreet: 0, blankCrimeId: 0 };
  // Provenance of builder rows, for rejections decided after the row was added.
  private fileOf = new Uint16Array(1024);
  private lineOf = new Uint32Array(1024);
  private rowOf = new Uint32Array(1024);
  private dropped = new Uint8Array(1024); // 0 kept, 1 duplicate, 2 far
  private keptBy = new Int32Array(1024);
  private parser: DelimitedParser | null = null;
  private columns: Int32Array | null = null;
  private width = 0;
  private fileIndex = -1;
  private rowNo = 0;
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
    const capacity = options.capacity ?? 1024;
    if (!(Number.isInteger(capacity) && capacity > 0)) invalidOption(FN, "capacity", "a positive integer", capacity);
    this.b = new IncidentTableBuilder(this.zone, "EPSG:27700", capacity);
    this.ids = new IdIndex(this.b.id, capacity);
    this.asbCode = this.b.dict.source.encode("asb-incident");
    this.crimeCode = this.b.dict.source.encode("police-recorded-crime");
  }

  /** Starts a new file; `name` appears in rejections and the summary. */
  beginFile(name: string): void {
    if (this.parser) this.endFile();
    if (this.files.length >= 0xffff) throw new InputError("invalid-input", `${FN}: at most 65535 files can be read in one call`);
    this.fileIndex = this.files.length;
    this.files.push({ file: name, rows: 0, rejected: 0, blankLines: 0 });
    this.columns = null;
    this.rowNo = 0;
    this.parser = new DelimitedParser((f, n, line, unterminated) => this.onRow(f, n, line, unterminated));
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
  }

  private reject(line: number, field: string | null, value: string | null, reason: RejectionReason, message: string): void {
    this.rejections.push({ file: this.files[this.fileIndex].file, row: this.rowNo, line, field, value, reason, message });
    this.files[this.fileIndex].rejected += 1;
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
    this.width = n;
  }

  private month(value: string): [number, number] | null {
    let w = this.months.get(value);
    if (w === undefined) {
      const m = /^(\d{4})-(\d{2})$/.exec(value);
      w = null;
      if (m && +m[2] >= 1 && +m[2] <= 12) {
        const clock = clockFor(this.zone);
        const y = +m[1];
        const mo = +m[2];
        w = [clock.fromLocal(y, mo, 1), clock.fromLocal(mo === 12 ? y + 1 : y, mo === 12 ? 1 : mo + 1, 1)];
      }
      this.months.set(value, w);
    }
    return w;
  }

  private onRow(f: string[], n: number, line: number, unterminated: boolean): void {
    if (!this.columns) return this.header(f, n);
    this.rowNo += 1;
    this.files[this.fileIndex].rows += 1;
    if (unterminated) return this.reject(line, null, null, "unterminated-quote", `the file ends inside a quoted field that starts on line ${line}`);
    if (n !== this.width) {
      return this.reject(line, null, f.slice(0, n).join(","), "ragged-row", `row has ${n} fields, the header has ${this.width}`);
    }
    const c = this.columns;
    const monthText = f[c[1]];
    const window = this.month(monthText);
    if (!window) return this.reject(line, "Month", monthText, "invalid-date", `Month must be YYYY-MM, got ${describeValue(monthText)}`);
    const typeText = f[c[7]];
    let cat = this.categories.get(typeText);
    if (cat === undefined) {
      const key = policeUkCategoryKey(typeText);
      cat = key === undefined ? -1 : this.b.dict.category.encode(key);
      this.categories.set(typeText, cat);
    }
    if (cat < 0) return this.reject(line, "Crime type", typeText, "unknown-category", `Crime type ${describeValue(typeText)} is not one of police.uk's categories`);
    const lonText = f[c[2]];
    const latText = f[c[3]];
    let point = -1;
    if (lonText !== "" || latText !== "") {
      const key = lonText + "|" + latText;
      const known = this.points.get(key);
      if (known !== undefined) point = known;
      else {
        const lon = lonText === "" ? NaN : +lonText;
        const lat = latText === "" ? NaN : +latText;
        if (!(lon >= -180 && lon <= 180) || !(lat >= -90 && lat <= 90)) {
          const field = !(lon >= -180 && lon <= 180) ? "Longitude" : "Latitude";
          return this.reject(line, field, field === "Longitude" ? lonText : latText, "invalid-coordinate", `${field} must be a number of degrees in range, got ${describeValue(field === "Longitude" ? lonText : latText)}`);
        }
        if (lon === 0 && lat === 0) return this.reject(line, "Longitude", lonText, "null-island", "coordinates are 0,0 (a missing location written as zero)");
        const bb = this.bounds;
        if (bb && (lon < bb[0] || lon > bb[2] || lat < bb[1] || lat > bb[3])) {
          return this.reject(line, "Longitude", `${lonText},${latText}`, "outside-bounds", `point ${lonText},${latText} is outside the bounds ${bb.join(",")}`);
        }
        point = this.pointCount++;
        if (point * 4 + 4 > this.pointXY.length) {
          const next = new Float64Array(this.pointXY.length * 2);
          next.set(this.pointXY);
          this.pointXY = next;
        }
        const [x, y] = this.proj.forward(lon, lat);
        this.pointXY[point * 4] = x;
        this.pointXY[point * 4 + 1] = y;
        this.pointXY[point * 4 + 2] = lon;
        this.pointXY[point * 4 + 3] = lat;
        this.points.set(key, point);
      }
    }
    // Accepted: write the row.
    const b = this.b;
    const i = b.addRow();
    this.trackProvenance(i, line);
    const idText = f[c[0]];
    const isAsb = typeText === "Anti-social behaviour";
    b.id.set(i, idText);
    if (idText === "" && !isAsb) this.notes.blankCrimeId += 1;
    b.dict.source.setCode(i, isAsb ? this.asbCode : this.crimeCode);
    b.dict.category.setCode(i, cat);
    b.start[i] = window[0];
    b.end[i] = window[1];
    b.precision[i] = PRECISION.month;
    if (point >= 0) {
      const p = this.pointXY;
      b.x[i] = p[point * 4];
      b.y[i] = p[point * 4 + 1];
      b.lon[i] = p[point * 4 + 2];
      b.lat[i] = p[point * 4 + 3];
    } else this.notes.noLocation += 1;
    const loc = f[c[4]];
    if (loc.startsWith(ON_OR_NEAR)) {
      const name = loc.slice(ON_OR_NEAR.length).trim();
      if (name === "") this.notes.blankStreet += 1;
      b.dict.location.set(i, name);
    } else if (loc === "On or near" || loc === "") {
      this.notes.blankStreet += loc === "" && point < 0 ? 0 : 1;
      b.dict.location.set(i, null);
    } else if (loc !== "No Location") b.dict.location.set(i, loc);
    else b.dict.location.set(i, null);
    const lsoaCode = f[c[5]];
    if (lsoaCode !== "") {
      let codes = this.lsoas.get(lsoaCode);
      if (!codes) {
        const lsoaName = f[c[6]];
        if (lsoaName) b.areaNames.set(lsoaCode, lsoaName);
        codes = [b.dict.lsoa.encode(lsoaCode), b.dict.district.encode(districtOfLsoaName(lsoaName))];
        this.lsoas.set(lsoaCode, codes);
      }
      b.dict.lsoa.setCode(i, codes[0]);
      b.dict.district.setCode(i, codes[1]);
    } else {
      b.dict.lsoa.setCode(i, 0);
      b.dict.district.setCode(i, 0);
    }
    b.dict.outcome.set(i, c[10] >= 0 ? f[c[10]] : null);
    b.dict.force.set(i, c[9] >= 0 ? f[c[9]] : c[8] >= 0 ? f[c[8]] : null);
    if (this.dedupe === "latest" && idText !== "") {
      const other = this.ids.claim(i);
      if (other >= 0) {
        // Keep the later month; on a tie keep the row read last.
        if (b.start[i] >= b.start[other]) {
          this.dropped[other] = 1;
          this.keptBy[other] = i;
          this.ids.replace(other, i);
        } else {
          this.dropped[i] = 1;
          this.keptBy[i] = other;
        }
      }
    }
  }

  private trackProvenance(i: number, line: number): void {
    if (i >= this.fileOf.length) {
      const c = this.fileOf.length * 2;
      const g = <T extends Uint16Array | Uint32Array | Uint8Array | Int32Array>(a: T): T => {
        const next = new (a.constructor as new (n: number) => T)(c);
        next.set(a);
        return next;
      };
      this.fileOf = g(this.fileOf);
      this.lineOf = g(this.lineOf);
      this.rowOf = g(this.rowOf);
      this.dropped = g(this.dropped);
      this.keptBy = g(this.keptBy);
    }
    this.fileOf[i] = this.fileIndex;
    this.lineOf[i] = line;
    this.rowOf[i] = this.rowNo;
    this.dropped[i] = 0;
  }

  /** Applies the whole-input rules (duplicates, far-away points) and returns the result. */
  finish(): IngestResult {
    if (this.parser) this.endFile();
    const b = this.b;
    const n = b.length;
    this.rejectFarPoints();
    const lateRejections: Rejection[] = [];
    let kept = 0;
    for (let i = 0; i < n; ++i) if (this.dropped[i] === 0) kept += 1;
    const keep = new Uint32Array(kept);
    const monthOf = (i: number) => new Date(b.start[i] * 60_000 + 15 * 86_400_000).toISOString().slice(0, 7);
    for (let i = 0, k = 0; i < n; ++i) {
      const d = this.dropped[i];
      if (d === 0) {
        keep[k++] = i;
        continue;
      }
      const file = this.files[this.fileOf[i]];
      file.rejected += 1;
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
        });
      }
    }
    const table = b.finish(keep);
    const rejected = [...this.rejections, ...lateRejections].sort((p, q) => (p.file === q.file ? p.line - q.line : 0));
    const byReason: Partial<Record<RejectionReason, number>> = {};
    for (const r of rejected) byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
    const files: FileSummary[] = this.files.map((f) => ({ file: f.file, rows: f.rows, accepted: f.rows - f.rejected, rejected: f.rejected, blankLines: f.blankLines }));
    const rows = files.reduce((s, f) => s + f.rows, 0);
    return {
      table,
      rejected,
      summary: { rows, accepted: table.length, rejected: rejected.length, files, byReason, notes: { ...this.notes } },
    };
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
    const byForce = new Map<number, number[]>();
    for (let i = 0; i < n; ++i) {
      if (Number.isNaN(b.x[i]) || this.dropped[i]) continue;
      let list = byForce.get(forceCodes[i]);
      if (!list) byForce.set(forceCodes[i], (list = []));
      list.push(i);
    }
    for (const [force, rows] of byForce) {
      const xs = Float64Array.from(rows, (i) => b.x[i]).sort();
      const ys = Float64Array.from(rows, (i) => b.y[i]).sort();
      const mid = rows.length >> 1;
      this.medians.set(force, [xs[mid], ys[mid]]);
      for (const i of rows) if (this.distanceOf(i) > this.maxDistanceM) this.dropped[i] = 2;
    }
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
