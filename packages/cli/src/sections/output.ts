/** A table the report also writes as CSV. */
export interface OutputFile {
  name: string;
  rows: readonly Record<string, unknown>[];
  columns?: readonly string[];
}
