import { invalidOption } from "./errors.js";
import { DICT_COLUMNS, type DictColumnName, type IncidentTable } from "./incident-table.js";

/** Rows grouped by the values of one dictionary column: see {@link partitionRows}. */
export interface RowPartition {
  /** The column's values (index = code; `values[0]` is the missing value, `null`). */
  readonly values: readonly (string | null)[];
  /** Row indices grouped by code, ascending within each group. */
  readonly rows: Uint32Array;
  /** Group `c` is `rows.subarray(offsets[c], offsets[c + 1])`; length `values.length + 1`. */
  readonly offsets: Uint32Array;
}

/**
 * Groups the rows of `table` by the value of a dictionary column (default `district`) in one
 * counting-sort pass — O(rows + values), two passes over the codes — so per-area work
 * (`selectRows(table, rowsOf(p, "Charnwood"))`) never rescans the whole table.
 *
 * @throws InputError `invalid-option` when `column` is not a dictionary column.
 * @example
 * const p = partitionRows(table, { column: "district" });
 * const charnwood = selectRows(table, rowsOf(p, "Charnwood"));
 */
export function partitionRows(table: IncidentTable, options: { column?: DictColumnName } = {}): RowPartition {
  const column = options.column ?? "district";
  if (!(DICT_COLUMNS as readonly string[]).includes(column)) invalidOption("partitionRows", "column", `one of ${DICT_COLUMNS.join(", ")}`, column);
  const { codes, values } = table[column];
  const k = values.length;
  const offsets = new Uint32Array(k + 1);
  const n = table.length;
  for (let i = 0; i < n; ++i) offsets[codes[i] + 1] += 1;
  for (let c = 0; c < k; ++c) offsets[c + 1] += offsets[c];
  const next = offsets.slice(0, k);
  const rows = new Uint32Array(n);
  for (let i = 0; i < n; ++i) rows[next[codes[i]]++] = i;
  return { values, rows, offsets };
}

/** The rows of one value in a {@link RowPartition} (empty when the value is absent). */
export function rowsOf(partition: RowPartition, value: string | null): Uint32Array {
  const c = partition.values.indexOf(value);
  return c < 0 ? new Uint32Array(0) : partition.rows.subarray(partition.offsets[c], partition.offsets[c + 1]);
}
