/** A table the report also writes as CSV (or, with `text`, any other file such as GeoJSON). */
export interface OutputFile {
  name: string;
  rows: readonly Record<string, unknown>[];
  columns?: readonly string[];
  /** Written as it is instead of CSV (e.g. GeoJSON). */
  text?: string;
}
