import { InputError, describeValue } from "./errors.js";
import { jsonDepth } from "./json-depth.js";
import { delimitedOptions } from "./delimited.js";
import { PRECISIONS } from "./incident-table.js";
import { RecordIngest, type ColumnMapping } from "./read-records.js";
import type { ReadDelimitedOptions } from "./read-delimited.js";

/** Options for {@link readMapping}. */
export interface ReadMappingOptions {
  /**
   * What the mapping is called in error messages, e.g. its file path. Default: none, and
   * messages name the JSON path from `mapping` (`mapping.columns.date`).
   */
  readonly name?: string;
}

/**
 * How deeply a mapping file may nest arrays and objects. The deepest real mapping needs 4
 * (`{ "columns": { "flags": { "domestic": { "values": [...] } } } }`); text nested deeper is
 * refused before it is parsed.
 */
export const MAX_MAPPING_DEPTH = 8;

const FN = "readMapping";

type Fail = (at: string, rule: string, value: unknown) => never;
type Check = (fail: Fail, at: string, v: unknown) => void;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

const text: Check = (fail, at, v) => {
  if (typeof v !== "string" || v === "") return fail(at, "non-empty text", v);
};
const column: Check = (fail, at, v) => {
  if (typeof v !== "string" || v === "") return fail(at, "a column name", v);
};
const bool: Check = (fail, at, v) => {
  if (typeof v !== "boolean") return fail(at, "true or false", v);
};
const oneOf =
  (values: readonly string[]): Check =>
  (fail, at, v) => {
    if (!values.includes(v as string)) return fail(at, `one of ${values.map((s) => JSON.stringify(s)).join(", ")}`, v);
  };
const positive =
  (integer: boolean): Check =>
  (fail, at, v) => {
    if (!(typeof v === "number" && v > 0 && (!integer || Number.isInteger(v)))) return fail(at, integer ? "a whole number ≥ 1" : "a positive number", v);
  };
const texts: Check = (fail, at, v) => {
  if (!Array.isArray(v)) return fail(at, "an array of texts", v);
  v.forEach((s, i) => typeof s !== "string" && fail(`${at}[${i}]`, "text", s));
};

/** Refuses keys outside `known`, naming the nearest known key when one is a likely typo. */
function knownKeys(fail: Fail, at: string, o: Record<string, unknown>, known: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (known.includes(k)) continue;
    const d = known.map((n) => (n.startsWith("$") ? 3 : editDistance(n.toLowerCase(), k.toLowerCase())));
    const best = Math.min(...d);
    const near = best <= 2 ? known.filter((_, i) => d[i] === best) : [];
    const list = known.length === 1 ? `only ${known[0]}` : `one of ${known.join(", ")}`;
    fail(`${at}${at ? "." : ""}${k}`, `a known key (${near.length ? `did you mean ${near.map((n) => JSON.stringify(n)).join(" or ")}?` : list})`, k);
  }
}

/** Levenshtein distance, for typo suggestions on short keys. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; ++i) {
    const row = [i];
    for (let j = 1; j <= b.length; ++j) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/** A column name or `{ "value": constant }`. */
const spec: Check = (fail, at, v) => {
  if (typeof v === "string" && v !== "") return;
  if (isObject(v)) {
    knownKeys(fail, at, v, ["value"]);
    if (typeof v.value !== "string" || v.value === "") return fail(`${at}.value`, "non-empty text", v.value);
    return;
  }
  fail(at, 'a column name or { "value": constant }', v);
};

const DATE_PARTS = ["year", "month", "day", "hour", "minute"] as const;
const dateParts: Check = (fail, at, v) => {
  if (!isObject(v)) return fail(at, "an object { year, month?, day?, hour?, minute? } of column names", v);
  knownKeys(fail, at, v, DATE_PARTS);
  for (const k of DATE_PARTS) if (v[k] !== undefined || k === "year") column(fail, `${at}.${k}`, v[k]);
};

const FLAGS = ["alcohol", "domestic", "hate"] as const;
const flags: Check = (fail, at, v) => {
  if (!isObject(v)) return fail(at, 'an object such as { "domestic": column }', v);
  knownKeys(fail, at, v, FLAGS);
  for (const [k, f] of Object.entries(v)) {
    if (typeof f === "string" && f !== "") continue;
    if (!isObject(f)) return fail(`${at}.${k}`, 'a column name or { "field": column, "values": [...] }', f);
    knownKeys(fail, `${at}.${k}`, f, ["field", "values"]);
    column(fail, `${at}.${k}.field`, f.field);
    if (f.values !== undefined) texts(fail, `${at}.${k}.values`, f.values);
  }
};

/** Every key of {@link ColumnMapping} (a key added there and not here is a compile error). */
const COLUMNS: { readonly [K in keyof Required<ColumnMapping>]: Check } = {
  id: column,
  source: spec,
  category: spec,
  subcategory: spec,
  date: column,
  time: column,
  dateParts,
  endDate: column,
  lon: column,
  lat: column,
  x: column,
  y: column,
  location: spec,
  lsoa: spec,
  ward: spec,
  beat: spec,
  district: spec,
  postcodeDistrict: spec,
  victim: spec,
  place: spec,
  outcome: spec,
  force: spec,
  flags,
};

const columns: Check = (fail, at, v) => {
  if (!isObject(v)) return fail(at, "an object mapping incident fields to columns", v);
  knownKeys(fail, at, v, Object.keys(COLUMNS));
  if (v.category === undefined) return fail(`${at}.category`, 'given: a column name or { "value": constant }', undefined);
  for (const [k, x] of Object.entries(v)) COLUMNS[k as keyof ColumnMapping](fail, `${at}.${k}`, x);
};

const rule: Check = (fail, at, v) => {
  if (!isObject(v)) return fail(at, '{ "field": column, "equals": text } or { "field": column, "in": [texts] }', v);
  knownKeys(fail, at, v, ["field", "equals", "in"]);
  column(fail, `${at}.field`, v.field);
  if ((v.equals === undefined) === (v.in === undefined)) return fail(at, 'given "equals" or "in" (one of them)', v);
  if (v.equals !== undefined && typeof v.equals !== "string") return fail(`${at}.equals`, "text", v.equals);
  if (v.in !== undefined) texts(fail, `${at}.in`, v.in);
};

/** Every key of {@link ReadDelimitedOptions} (a key added there and not here is a compile error). */
const OPTIONS: { readonly [K in keyof Required<ReadDelimitedOptions>]: Check } = {
  columns,
  zone: text,
  dateFormat: text,
  timeFormat: text,
  endDateFormat: text,
  precision: oneOf(PRECISIONS),
  ignoreOffset: bool,
  crs: text,
  crsDefinition: text,
  categoryMap: (fail, at, v) => {
    if (!isObject(v)) return fail(at, 'an object of raw value → category key ({ "Theft from Vehicle": "theft-from-vehicle" })', v);
    for (const [k, x] of Object.entries(v)) text(fail, `${at}[${JSON.stringify(k)}]`, x);
  },
  unknownCategory: oneOf(["reject", "keep"]),
  missingValues: texts,
  locationPrefix: (fail, at, v) => v === null || text(fail, at, v),
  bounds: (fail, at, v) => {
    if (v !== null && !(Array.isArray(v) && v.length === 4 && v.every((n) => typeof n === "number"))) return fail(at, "[west, south, east, north] in degrees, or null", v);
  },
  maxDistanceKm: positive(false),
  nullIsland: bool,
  requireLocation: (fail, at, v) => {
    if (v !== true && v !== false && v !== "point") return fail(at, 'true, false or "point"', v);
  },
  suppressedWhen: (fail, at, v) => (Array.isArray(v) ? v.forEach((r, i) => rule(fail, `${at}[${i}]`, r)) : rule(fail, at, v)),
  dedupe: oneOf(["none", "first"]),
  capacity: positive(true),
  extractWindow: (fail, at, v) => {
    if (!(typeof v === "string" || (Array.isArray(v) && v.length === 2 && v.every((k) => typeof k === "string")))) return fail(at, 'a period key ("2019") or [first, last] period keys (["2019-01", "2019-12"])', v);
  },
  delimiter: text,
  multilineFields: bool,
  maxFieldLines: positive(true),
  maxFieldChars: positive(true),
};

/** Keys for people, not the reader: dropped from the options. */
const DOCUMENTATION = ["$schema", "$comment", "name", "description"];


/**
 * Reads a column mapping file — JSON holding the options of `readDelimited` — and returns
 * those options, checked, so partners' extracts (council ASB, fire, ambulance, hospital)
 * load without code:
 *
 * ```json
 * { "description": "Council ASB log: ward codes, no points",
 *   "columns": { "id": "Ref", "source": { "value": "asb-incident" }, "category": "Type",
 *                "date": "Reported", "ward": "Ward code" },
 *   "dateFormat": "dd/MM/yyyy HH:mm", "categoryMap": { "Noise": "noise", "Litter": "environmental" } }
 * ```
 *
 * Every key of {@link ReadDelimitedOptions} may be written, with the same meaning and
 * defaults; `"$schema"`, `"$comment"`, `"name"` and `"description"` are for people and are
 * dropped. None of the options is a function, so a file can say everything code can, except
 * `Infinity` (JSON has no such number: leave `maxDistanceKm` out for no limit, and give
 * `maxFieldLines`/`maxFieldChars` a number) and what belongs to the call rather than the source:
 * the input's `name` and `readDelimitedFiles`'s `onProgress`. Every value is checked here, as
 * `readDelimited` would check it (date patterns, zone, CRS, extract window), so a bad mapping
 * fails before any data is read.
 *
 * @param jsonText the file's text.
 * @throws InputError `invalid-input` for text that is not JSON, not an object, or nested more
 *   than {@link MAX_MAPPING_DEPTH} levels deep; `invalid-option` naming the JSON path and what
 *   was expected for any other fault — an unknown key (a typo is refused, with the nearest
 *   known key), a value of the wrong type (`mapping.columns.date must be a column name, got
 *   12`), or options `readDelimited` refuses.
 * @example
 * const options = readMapping('{ "columns": { "category": "type", "date": "when" }, "dateFormat": "iso" }');
 * readDelimited("type,when\nfire,2021-07-14T22:15\n", options).summary.accepted // => 1
 */
export function readMapping(jsonText: string, options: ReadMappingOptions = {}): ReadDelimitedOptions {
  if (!isObject(options)) throw new InputError("invalid-option", `${FN}: options must be an object such as { name }, got ${describeValue(options)}`);
  const name = options.name;
  if (name !== undefined && (typeof name !== "string" || name === "")) throw new InputError("invalid-option", `${FN}: name must be non-empty text, got ${describeValue(name)}`);
  const prefix = name === undefined ? "mapping" : name;
  const at = (path: string) => (name === undefined ? `mapping.${path}` : `${name}: ${path}`);
  const fail: Fail = (path, rule, value) => {
    throw new InputError("invalid-option", `${FN}: ${at(path)} must be ${rule}, got ${describeValue(value)}`);
  };
  const bad = (rule: string, value: unknown): never => {
    throw new InputError("invalid-input", `${FN}: ${prefix} must be ${rule}, got ${describeValue(value)}`);
  };

  if (typeof jsonText !== "string") return bad("JSON text", jsonText);
  const depth = jsonDepth(jsonText);
  if (depth > MAX_MAPPING_DEPTH) bad(`at most ${MAX_MAPPING_DEPTH} levels of nested arrays and objects`, depth);
  let data: unknown;
  try {
    data = JSON.parse(jsonText);
  } catch (e) {
    bad("valid JSON", (e as Error).message);
  }
  if (!isObject(data)) return bad('a JSON object such as { "columns": { … } }', data);
  knownKeys(fail, "", data, [...Object.keys(OPTIONS), ...DOCUMENTATION]);
  for (const k of DOCUMENTATION) if (data[k] !== undefined && typeof data[k] !== "string") fail(k, "text", data[k]);
  if (data.columns === undefined) fail("columns", "given: an object mapping incident fields to columns", undefined);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if (DOCUMENTATION.includes(k)) continue;
    OPTIONS[k as keyof ReadDelimitedOptions](fail, k, v);
    out[k] = v;
  }
  const result = out as unknown as ReadDelimitedOptions;

  // What readDelimited checks beyond types (patterns, zone, CRS, pairs of columns), with the
  // messages' option names turned into JSON paths.
  try {
    delimitedOptions(FN, result);
    new RecordIngest(FN, { ...result, capacity: undefined });
  } catch (e) {
    if (e instanceof InputError && e.message.startsWith(`${FN}: `)) throw new InputError(e.code, `${FN}: ${at(e.message.slice(FN.length + 2))}`);
    throw e;
  }
  return result;
}
