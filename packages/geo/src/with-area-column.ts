import { InputError, type DictColumn, type IncidentTable, failInput } from "@community-safety/core";
import type { AssignAreasResult } from "./assign-areas.js";

/** The incident-table columns that hold area codes or names. */
export type AreaColumnName = "lsoa" | "ward" | "beat" | "district";

const AREA_COLUMNS: readonly AreaColumnName[] = ["lsoa", "ward", "beat", "district"];

/**
 * Returns a new incident table whose `column` (`"beat"`, `"ward"`, `"district"` or `"lsoa"`)
 * holds each row's area key from {@link assignAreas} (`null` where the row is in no polygon
 * or has no location). Every other column is shared with `table`, which is not modified.
 * The dictionary lists the keys in feature order, keeping only keys some row uses.
 *
 * @throws InputError `invalid-option` when `column` is not an area column.
 * @throws InputError `length-mismatch` when `result.area` does not have one entry per row.
 * @throws InputError `invalid-input` when an `area` entry is not -1 or a feature index of `result.keys`.
 * @example
 * const withBeats = withAreaColumn(table, "beat", assignAreas(table, beats, { key: "beat_num" }));
 * withBeats.beat.values; // => [null, "1011", "1012", …]
 */
export function withAreaColumn(table: IncidentTable, column: AreaColumnName, result: AssignAreasResult): IncidentTable {
  const fn = "withAreaColumn";
  if (!AREA_COLUMNS.includes(column)) failInput("invalid-option", fn, "column", `one of ${AREA_COLUMNS.map((c) => `"${c}"`).join(", ")}`, column);
  const { area, keys } = result ?? ({} as AssignAreasResult);
  if (!(area instanceof Int32Array) || !Array.isArray(keys)) failInput("invalid-option", fn, "result", "an assignAreas result", result);
  if (area.length !== table.length) {
    throw new InputError("length-mismatch", `${fn}: result.area must have one entry per row (${table.length}), got ${area.length}`);
  }
  const n = area.length;
  // Code per feature: features sharing a key share a code; unused keys get none.
  const codeOfKey = new Map<string, number>();
  const featureCode = new Int32Array(keys.length);
  const used = new Uint8Array(keys.length);
  for (let i = 0; i < n; ++i) {
    const f = area[i];
    if (f >= keys.length || f < -1) failInput("invalid-input", fn, `result.area[${i}]`, `-1 or a feature index below ${keys.length}`, f);
    if (f >= 0) used[f] = 1;
  }
  const values: (string | null)[] = [null];
  for (let f = 0; f < keys.length; ++f) {
    if (!used[f]) continue;
    let code = codeOfKey.get(keys[f]);
    if (code === undefined) {
      code = values.length;
      values.push(keys[f]);
      codeOfKey.set(keys[f], code);
    }
    featureCode[f] = code;
  }
  const codes = values.length <= 0x100 ? new Uint8Array(n) : values.length <= 0x10000 ? new Uint16Array(n) : new Uint32Array(n);
  for (let i = 0; i < n; ++i) if (area[i] >= 0) codes[i] = featureCode[area[i]];
  const dict: DictColumn = { codes, values };
  return { ...table, [column]: dict };
}
