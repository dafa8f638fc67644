import type { IncidentTable } from "./incident-table.js";
import type { LocalClock } from "./local-time.js";

/**
 * Why an input row was not accepted. Stable codes:
 * `ragged-row`, `unterminated-quote`, `missing-value`, `invalid-date`, `invalid-coordinate`,
 * `null-island` (0,0), `outside-bounds`, `far-outside-area` (a geocoding error far from the
 * rest of the source's points), `suppressed` (a source's privacy suppression, e.g. Vancouver),
 * `unknown-category`, `duplicate-id`, `invalid-value`, `outside-window` (a record outside the
 * extract window the caller declared).
 */
export type RejectionReason =
  | "ragged-row"
  | "unterminated-quote"
  | "missing-value"
  | "invalid-date"
  | "invalid-coordinate"
  | "null-island"
  | "outside-bounds"
  | "far-outside-area"
  | "suppressed"
  | "unknown-category"
  | "duplicate-id"
  | "invalid-value"
  | "outside-window";

/** One rejected input row. */
export interface Rejection {
  /** The file (or input name) the row came from. */
  readonly file: string;
  /** 1-based data row number within the file (the header is not counted). */
  readonly row: number;
  /** 1-based physical line on which the row starts. */
  readonly line: number;
  /** The field at fault (`null` when the whole row is at fault). */
  readonly field: string | null;
  /** The offending value as read. */
  readonly value: string | null;
  readonly reason: RejectionReason;
  /** A sentence for the data-quality section of a report. */
  readonly message: string;
  /**
   * The row's month, `"2021-07"`, when the reader could read it: police.uk's `Month`; for mapped
   * files the local month (in the reader's zone) in which the row's time starts, once the time is
   * read and known at least to the month. `null` otherwise (e.g. for an `invalid-date`).
   */
  readonly month: string | null;
  /**
   * The row's category key (`"violent-crime"`) when the reader could read it: police.uk's
   * `Crime type` mapped to its key; for mapped files the category as mapped (the raw value when
   * there is no `categoryMap`). `null` otherwise (e.g. for an `unknown-category`).
   */
  readonly category: string | null;
  /**
   * The row's area as written: police.uk's `LSOA name` (`"Charnwood 022A"`, else its `LSOA code`);
   * for mapped files the first of its LSOA, ward, beat or district values, else its postcode
   * district. `null` when the row has none, and for rows whose fields cannot be told apart
   * (`ragged-row`, `unterminated-quote`).
   */
  readonly area: string | null;
}

/** A rejection's `month`, `category` and `area` (see {@link Rejection}). @internal */
export interface RejectionContext {
  readonly month: string | null;
  readonly category: string | null;
  readonly area: string | null;
}

/** The context of a rejected row whose fields cannot be read. @internal */
export const NO_CONTEXT: RejectionContext = { month: null, category: null, area: null };

/**
 * The `"YYYY-MM"` key of the local month in which `epochMinute` falls, or `null` when the
 * record's precision is coarser than a month (`precision` > 3).
 * @internal Used by the readers in this package; not exported from the index.
 */
export function monthKeyAt(clock: LocalClock, epochMinute: number, precision: number): string | null {
  if (precision > 3 || !Number.isFinite(epochMinute)) return null;
  const p = clock.parts(epochMinute);
  return `${p.year}-${p.month < 10 ? "0" : ""}${p.month}`;
}

/** Per-file reconciliation. `rows = accepted + rejected` always holds. */
export interface FileSummary {
  readonly file: string;
  readonly rows: number;
  readonly accepted: number;
  readonly rejected: number;
  /** Empty lines skipped (not rows). */
  readonly blankLines: number;
}

/** The reconciliation of one ingestion call. `rows = accepted + rejected` always holds. */
export interface IngestSummary {
  readonly rows: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly files: FileSummary[];
  /** Count of rejected rows per reason. */
  readonly byReason: Partial<Record<RejectionReason, number>>;
  /**
   * Accepted rows with something worth reporting, by kind: `noLocation` (police.uk
   * "No Location" rows, kept with no coordinates), `blankStreet` (`On or near ` with no name),
   * and source-specific notes; the column-mapping readers add `areaOnly` (the rows of
   * `noLocation` that have an area — LSOA, ward, beat, district or postcode district — but no point).
   */
  readonly notes: Record<string, number>;
}

/** What every ingestion call returns: the table, every rejected row, and the reconciliation. */
export interface IngestResult {
  readonly table: IncidentTable;
  readonly rejected: Rejection[];
  readonly summary: IngestSummary;
}

/** Longest rejection `value` kept whole; longer ones are cut and end with "…". */
export const MAX_VALUE_LENGTH = 1000;

/**
 * A rejection value, cut to {@link MAX_VALUE_LENGTH} characters (a runaway quoted field or a
 * ragged line can be megabytes).
 * @internal Used by the readers in this package; not exported from the index.
 */
export function clipValue(text: string): string {
  return text.length > MAX_VALUE_LENGTH ? text.slice(0, MAX_VALUE_LENGTH - 1) + "…" : text;
}

/**
 * The number a text writes in plain decimal — an optional sign, digits with an optional
 * decimal point, an optional exponent, spaces or tabs around — when it is finite; else NaN.
 * Stricter than `Number()`, which also reads `"0x34"`, `"0b1"`, `"0o7"`, `"Infinity"`, reads
 * `""` and `" "` as 0 and `"1e999"` as Infinity: none of those is a coordinate or a year.
 * @internal Used by the readers in this package; not exported from the index.
 */
export function decimalNumber(text: string): number {
  let a = 0;
  let b = text.length;
  while (a < b && (text.charCodeAt(a) === 32 || text.charCodeAt(a) === 9)) ++a;
  while (b > a && (text.charCodeAt(b - 1) === 32 || text.charCodeAt(b - 1) === 9)) --b;
  let k = a;
  let c = text.charCodeAt(k);
  if (c === 43 || c === 45) c = text.charCodeAt(++k);
  let digits = 0;
  while (k < b && c >= 48 && c <= 57) {
    ++digits;
    c = text.charCodeAt(++k);
  }
  if (k < b && c === 46) {
    c = text.charCodeAt(++k);
    while (k < b && c >= 48 && c <= 57) {
      ++digits;
      c = text.charCodeAt(++k);
    }
  }
  if (digits === 0) return NaN;
  if (k < b && (c === 101 || c === 69)) {
    c = text.charCodeAt(++k);
    if (c === 43 || c === 45) c = text.charCodeAt(++k);
    let e = 0;
    while (k < b && c >= 48 && c <= 57) {
      ++e;
      c = text.charCodeAt(++k);
    }
    if (e === 0) return NaN;
  }
  if (k !== b) return NaN;
  const v = +text;
  return Number.isFinite(v) ? v : NaN;
}
