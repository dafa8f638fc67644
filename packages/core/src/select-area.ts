import { invalidOption } from "./errors.js";
import type { DictColumnName, IncidentTable } from "./incident-table.js";
import { lsoaNamePrefixTest, selectRows, whereTest } from "./select-rows.js";

/** Area columns {@link selectArea} can match on. */
type AreaColumnName = Extract<DictColumnName, "lsoa" | "ward" | "beat" | "district" | "force">;
const AREA_COLUMNS: readonly AreaColumnName[] = ["lsoa", "ward", "beat", "district", "force"];

/** Options for {@link selectArea}: name at least one; a row is kept when it meets every one given. */
export interface SelectAreaOptions {
  /**
   * An LSOA-name prefix: rows whose LSOA name (from `table.areaNames`, e.g. police.uk's
   * "Charnwood 022A") is the prefix followed by a space and more — the police.uk way to pick out
   * a district or community safety partnership (`"Charnwood"`, `"Hinckley and Bosworth"`).
   */
  lsoaPrefix?: string;
  /** District value, or a list of them (police.uk tables hold the LSOA name's district, e.g. `"Charnwood"`). */
  district?: string | readonly string[];
  /** Ward value(s). */
  ward?: string | readonly string[];
  /** Beat value(s). */
  beat?: string | readonly string[];
  /** LSOA code(s), e.g. `"E01025626"`. */
  lsoa?: string | readonly string[];
  /** Force value(s) (police.uk's "Falls within"). */
  force?: string | readonly string[];
}

const FN = "selectArea";

/**
 * Returns a new table holding the rows of `table` in one area: those whose LSOA name starts with
 * `lsoaPrefix` and/or whose area columns hold the values given (every condition given must hold).
 * Rows with no value in a named column never match. Dictionaries are compacted as
 * {@link selectRows} does; the input is not modified. A name that matches no row gives an empty
 * table (check `.length`), as a filter does.
 *
 * The one-call form of `selectRows(table, lsoaNamePrefixTest(table, prefix))` and
 * `selectRows(table, whereTest(table, { district }))`.
 *
 * @throws InputError `invalid-option` when no condition is given, an option is not one of
 *   `lsoaPrefix`, `lsoa`, `ward`, `beat`, `district`, `force`, `lsoaPrefix` is not a non-empty
 *   string, or a column value is not a non-empty string or list of them.
 * @example
 * const { table: county } = await readPoliceUkFiles("policeuk-leicestershire/county-2019-12_2022-10");
 * const charnwood = selectArea(county, { lsoaPrefix: "Charnwood" });
 * charnwood.length; // => 43971 (of the county's 160,171 rows, 2019-12 – 2022-10)
 */
export function selectArea(table: IncidentTable, options: SelectAreaOptions): IncidentTable {
  if (options === null || typeof options !== "object") invalidOption(FN, "options", "an object such as { lsoaPrefix } or { district }", options);
  const known = new Set<string>(["lsoaPrefix", ...AREA_COLUMNS]);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) invalidOption(FN, "options", `names from ${[...known].join(", ")}`, key);
  }
  const { lsoaPrefix } = options;
  if (lsoaPrefix !== undefined && (typeof lsoaPrefix !== "string" || lsoaPrefix.trim() === "")) invalidOption(FN, "lsoaPrefix", "a non-empty string such as \"Charnwood\"", lsoaPrefix);
  const where: Partial<Record<AreaColumnName, string | readonly string[]>> = {};
  for (const column of AREA_COLUMNS) {
    const v = options[column];
    if (v === undefined) continue;
    const ok = typeof v === "string" ? v !== "" : Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === "string" && s !== "");
    if (!ok) invalidOption(FN, column, "a non-empty string or a non-empty list of them", v);
    where[column] = v;
  }
  if (lsoaPrefix === undefined && Object.keys(where).length === 0) {
    invalidOption(FN, "options", "at least one of lsoaPrefix, lsoa, ward, beat, district, force", options);
  }
  const prefix = lsoaPrefix === undefined ? null : lsoaNamePrefixTest(table, lsoaPrefix);
  const columns = Object.keys(where).length ? whereTest(table, where) : null;
  return selectRows(table, (i) => (prefix === null || prefix(i)) && (columns === null || columns(i)));
}
