import type { IncidentTable } from "./incident-table.js";

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
   * and source-specific notes.
   */
  readonly notes: Record<string, number>;
}

/** What every ingestion call returns: the table, every rejected row, and the reconciliation. */
export interface IngestResult {
  readonly table: IncidentTable;
  readonly rejected: Rejection[];
  readonly summary: IngestSummary;
}
