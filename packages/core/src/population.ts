import { DelimitedParser } from "./delimited.js";
import { InputError, invalidOption, describeValue } from "./errors.js";
import type { Rejection } from "./ingest-result.js";
import { postcodeDistrict } from "./postcode-district.js";

/**
 * The kind of area a population table is keyed by. Each names the `IncidentTable`
 * column its codes match (see {@link POPULATION_LEVELS}): pass `result.column` as `levels`'s
 * `areaDimension`.
 */
export type PopulationLevel = "lsoa" | "ward" | "beat" | "district" | "postcode-district";

/**
 * Per level: the incident-table column its codes match, and the key columns looked for when
 * `key` is not given (first present wins).
 */
export const POPULATION_LEVELS: Readonly<Record<PopulationLevel, { readonly column: "lsoa" | "ward" | "beat" | "district"; readonly keys: readonly string[] }>> = Object.freeze({
  "lsoa": { column: "lsoa", keys: ["lsoa11cd", "LSOA code (2011)", "code", "gss_code", "area"] },
  "ward": { column: "ward", keys: ["ward_code", "wd22cd", "wd21cd", "wd20cd", "wd19cd", "wd11cd", "gss_code", "code", "area"] },
  "beat": { column: "beat", keys: ["beat_code", "beat", "code", "area"] },
  "district": { column: "district", keys: ["district_code", "lad22cd", "lad21cd", "lad19cd", "district", "gss_code", "code", "area"] },
  "postcode-district": { column: "district", keys: ["postcode_district", "postcode district", "outcode", "code", "area"] },
});

/** Options for {@link readPopulation}. */
export interface PopulationOptions {
  /**
   * The kind of area the table is keyed by. Default `"lsoa"`. With `"postcode-district"`,
   * codes must be outward codes (`"LE11"`, any case; stored upper case, as the column-mapping
   * readers store `columns.postcodeDistrict`): a full postcode or any other shape is rejected
   * as `invalid-value`. Other levels take codes as written (trimmed).
   */
  level?: PopulationLevel;
  /**
   * Column holding the area code. Default: the first present of the level's key columns
   * ({@link POPULATION_LEVELS}); for `"lsoa"` `lsoa11cd`, `LSOA code (2011)`, `code`,
   * `gss_code`, `area`; for `"ward"` `ward_code`, `wd22cd` … `wd11cd`, `gss_code`, `code`, `area`.
   */
  key?: string;
  /** Column holding the number of residents. Default: the first of `pop_mid2015_total`, `Total population: mid 2015 (excluding prisoners)`, `population`. */
  value?: string;
  /** Optional column naming the larger area each row lies in (e.g. `lad19nm`), to roll populations up. */
  group?: string;
  /** Field separator. Default `","`. */
  delimiter?: string;
}

/** Result of {@link readPopulation}. */
export interface PopulationResult {
  /** The kind of area the codes are (the `level` option). */
  readonly level: PopulationLevel;
  /** The incident-table column the codes match (`"district"` for postcode districts): `levels`'s `areaDimension`. */
  readonly column: "lsoa" | "ward" | "beat" | "district";
  /** Residents per area code. */
  readonly byKey: Map<string, number>;
  /** Residents per larger area (sum of its rows), when `group` is given. */
  readonly byGroup: Map<string, number>;
  /** The larger area of each code, when `group` is given. */
  readonly groupOf: Map<string, string>;
  readonly rejected: Rejection[];
  readonly summary: { rows: number; accepted: number; rejected: number };
}

const VALUES = ["pop_mid2015_total", "Total population: mid 2015 (excluding prisoners)", "population"];

/**
 * Reads a population table (area code → residents) from delimited text, e.g. the ONS/MHCLG
 * LSOA denominators or ONS ward estimates, tolerating a BOM and thousands separators
 * (`"1,296"`). The `level` names the kind of area (LSOA by default; ward, beat, district,
 * postcode district), so rates can be taken for whichever area an input carries. Duplicate
 * codes and non-numeric or negative values are rejected by row, never guessed.
 *
 * @throws InputError `missing-field` when the key or value column is absent; `empty-input` for
 *   no header; `invalid-option` for an unknown `level`.
 * @example
 * const pop = readPopulation("gss_code,ward,population\nE05001643,Anchorsholme,6278\n", { level: "ward" });
 * [pop.column, pop.byKey.get("E05001643")] // => ["ward", 6278]
 * // levels(table, { by: ["ward"], population: pop.byKey, areaDimension: pop.column })
 */
export function readPopulation(text: string, options: PopulationOptions = {}): PopulationResult {
  const fn = "readPopulation";
  if (typeof text !== "string") throw new InputError("invalid-input", `${fn}: text must be a string, got ${describeValue(text)}`);
  if (options.group !== undefined && typeof options.group !== "string") invalidOption(fn, "group", "a column name", options.group);
  const level = options.level ?? "lsoa";
  if (typeof level !== "string" || !Object.hasOwn(POPULATION_LEVELS, level)) invalidOption(fn, "level", `one of ${Object.keys(POPULATION_LEVELS).map((l) => JSON.stringify(l)).join(", ")}`, level);
  const KEYS = POPULATION_LEVELS[level].keys;
  const postcodes = level === "postcode-district";
  let cols: { key: number; value: number; group: number; width: number; keyName: string; valueName: string } | null = null;
  const byKey = new Map<string, number>();
  const byGroup = new Map<string, number>();
  const groupOf = new Map<string, string>();
  const rejected: Rejection[] = [];
  let rows = 0;
  const reject = (line: number, field: string | null, value: string | null, reason: Rejection["reason"], message: string) =>
    rejected.push({ file: "population", row: rows, line, field, value, reason, message, month: null, category: null, area: null });
  const parser = new DelimitedParser(
    (f, n, line) => {
      if (!cols) {
        const names = f.slice(0, n).map((s) => s.trim());
        const keyName = options.key ?? KEYS.find((k) => names.includes(k));
        const valueName = options.value ?? VALUES.find((k) => names.includes(k));
        const missing = [
          keyName === undefined || !names.includes(keyName) ? (keyName ?? `a key column (${KEYS.join(" / ")})`) : null,
          valueName === undefined || !names.includes(valueName) ? (valueName ?? `a population column (${VALUES.join(" / ")})`) : null,
          options.group !== undefined && !names.includes(options.group) ? options.group : null,
        ].filter((m): m is string => m !== null);
        if (missing.length) throw new InputError("missing-field", `${fn}: missing column${missing.length > 1 ? "s" : ""} ${missing.map((m) => `"${m}"`).join(", ")} (header: ${names.join(",")})`);
        cols = { key: names.indexOf(keyName!), value: names.indexOf(valueName!), group: options.group ? names.indexOf(options.group) : -1, width: n, keyName: keyName!, valueName: valueName! };
        return;
      }
      rows += 1;
      if (n !== cols.width) return reject(line, null, f.slice(0, n).join(","), "ragged-row", `row has ${n} fields, the header has ${cols.width}`);
      const text = f[cols.key].trim();
      const raw = f[cols.value].trim();
      if (text === "") return reject(line, cols.keyName, text, "missing-value", `${cols.keyName} is blank`);
      const key = postcodes ? postcodeDistrict(text) : text;
      if (key === null || (postcodes && key !== text.toUpperCase())) {
        return reject(line, cols.keyName, text, "invalid-value", `${cols.keyName} ${describeValue(text)} is not a UK postcode district (an outward code such as "LE11")`);
      }
      const v = /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(raw) ? +raw.replace(/,/g, "") : raw === "" ? NaN : +raw;
      if (!(v >= 0)) return reject(line, cols.valueName, raw, "invalid-value", `${cols.valueName} must be a non-negative number, got ${describeValue(raw)}`);
      if (byKey.has(key)) return reject(line, cols.keyName, key, "duplicate-id", `area ${key} appears more than once`);
      byKey.set(key, v);
      if (cols.group >= 0) {
        const g = f[cols.group].trim();
        groupOf.set(key, g);
        byGroup.set(g, (byGroup.get(g) ?? 0) + v);
      }
    },
    { delimiter: options.delimiter ?? "," },
  );
  parser.push(text);
  parser.end();
  if (!cols) throw new InputError("empty-input", `${fn}: the text is empty: expected a header row`);
  return { level, column: POPULATION_LEVELS[level].column, byKey, byGroup, groupOf, rejected, summary: { rows, accepted: byKey.size, rejected: rejected.length } };
}
