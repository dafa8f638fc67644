import { DelimitedParser } from "./delimited.js";
import { InputError, invalidOption, describeValue } from "./errors.js";
import type { Rejection } from "./ingest-result.js";

/** Options for {@link readPopulation}. */
export interface PopulationOptions {
  /** Column holding the area code (e.g. `lsoa11cd`). Default: the first of `lsoa11cd`, `LSOA code (2011)`, `code`, `gss_code`, `area`. */
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
  /** Residents per area code. */
  readonly byKey: Map<string, number>;
  /** Residents per larger area (sum of its rows), when `group` is given. */
  readonly byGroup: Map<string, number>;
  /** The larger area of each code, when `group` is given. */
  readonly groupOf: Map<string, string>;
  readonly rejected: Rejection[];
  readonly summary: { rows: number; accepted: number; rejected: number };
}

const KEYS = ["lsoa11cd", "LSOA code (2011)", "code", "gss_code", "area"];
const VALUES = ["pop_mid2015_total", "Total population: mid 2015 (excluding prisoners)", "population"];

/**
 * Reads a population table (area code → residents) from delimited text, e.g. the ONS/MHCLG
 * LSOA denominators, tolerating a BOM and thousands separators (`"1,296"`). Duplicate codes
 * and non-numeric or negative values are rejected by row, never guessed.
 *
 * @throws InputError `missing-field` when the key or value column is absent; `empty-input` for no header.
 */
export function readPopulation(text: string, options: PopulationOptions = {}): PopulationResult {
  const fn = "readPopulation";
  if (typeof text !== "string") throw new InputError("invalid-input", `${fn}: text must be a string, got ${describeValue(text)}`);
  if (options.group !== undefined && typeof options.group !== "string") invalidOption(fn, "group", "a column name", options.group);
  let cols: { key: number; value: number; group: number; width: number; keyName: string; valueName: string } | null = null;
  const byKey = new Map<string, number>();
  const byGroup = new Map<string, number>();
  const groupOf = new Map<string, string>();
  const rejected: Rejection[] = [];
  let rows = 0;
  const reject = (line: number, field: string | null, value: string | null, reason: Rejection["reason"], message: string) =>
    rejected.push({ file: "population", row: rows, line, field, value, reason, message });
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
      const key = f[cols.key].trim();
      const raw = f[cols.value].trim();
      if (key === "") return reject(line, cols.keyName, key, "missing-value", `${cols.keyName} is blank`);
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
  return { byKey, byGroup, groupOf, rejected, summary: { rows, accepted: byKey.size, rejected: rejected.length } };
}
