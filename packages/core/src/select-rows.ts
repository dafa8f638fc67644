import { compactDict, valueMask } from "./dictionary.js";
import { InputError, describeValue } from "./errors.js";
import { pickIds } from "./id-column.js";
import { DICT_COLUMNS, type DictColumnName, type IncidentTable } from "./incident-table.js";

/**
 * Returns a new table holding the rows of `table` for which `test(i)` is true (or the rows
 * listed in `rows`, in that order). Dictionaries are compacted to the values still used.
 * The input is not modified.
 *
 * @example
 * const charnwood = selectRows(table, (i) => table.district.values[table.district.codes[i]] === "Charnwood");
 */
export function selectRows(table: IncidentTable, test: ((i: number) => boolean) | ArrayLike<number>): IncidentTable {
  let keep: Uint32Array;
  if (typeof test === "function") {
    // Row indices gathered straight into a typed array (grown by doubling), not a list of numbers.
    let buf = new Uint32Array(Math.min(table.length, 4096));
    let m = 0;
    for (let i = 0; i < table.length; ++i) {
      if (!test(i)) continue;
      if (m === buf.length) {
        const grown = new Uint32Array(Math.min(table.length, buf.length * 2));
        grown.set(buf);
        buf = grown;
      }
      buf[m++] = i;
    }
    keep = buf.subarray(0, m);
  } else if (test && typeof test.length === "number") {
    keep = Uint32Array.from(test);
    for (const i of keep) if (i >= table.length) throw new InputError("invalid-option", `selectRows: rows must be indices below ${table.length}, got ${describeValue(i)}`);
  } else throw new InputError("invalid-option", `selectRows: test must be a function or a list of row indices, got ${describeValue(test)}`);
  const n = keep.length;
  const pick = <T extends Int32Array | Uint8Array | Float64Array>(a: T): T => {
    const out = new (a.constructor as new (n: number) => T)(n);
    for (let k = 0; k < n; ++k) out[k] = a[keep[k]];
    return out;
  };
  const src = table.id;
  const { bytes, offsets } = pickIds(src.bytes, src.offsets, keep, n);
  const dicts = Object.fromEntries(DICT_COLUMNS.map((name) => [name, compactDict(table[name].codes, table[name].values, table.length, keep)]));
  const areaNames = new Map<string, string>();
  for (const code of dicts.lsoa.values) if (code !== null && table.areaNames.has(code)) areaNames.set(code, table.areaNames.get(code)!);
  return {
    ...table,
    ...dicts,
    length: n,
    id: { encoding: src.encoding, bytes, offsets },
    start: pick(table.start),
    end: pick(table.end),
    precision: pick(table.precision),
    x: pick(table.x),
    y: pick(table.y),
    lon: pick(table.lon),
    lat: pick(table.lat),
    flags: pick(table.flags),
    areaNames,
  } as IncidentTable;
}

/**
 * The rows whose LSOA name (from `table.areaNames`, e.g. police.uk's "Charnwood 022A")
 * starts with `prefix` followed by a space — the police.uk way to pick out a district/CSP.
 */
export function lsoaNamePrefixTest(table: IncidentTable, prefix: string): (i: number) => boolean {
  if (typeof prefix !== "string" || prefix.trim() === "") throw new InputError("invalid-option", `lsoaNamePrefixTest: prefix must be a non-empty string, got ${describeValue(prefix)}`);
  const p = prefix.trim() + " ";
  const match = Uint8Array.from(table.lsoa.values, (code) => (code !== null && (table.areaNames.get(code) ?? "").startsWith(p) ? 1 : 0));
  return (i) => match[table.lsoa.codes[i]] === 1;
}

/**
 * A row test for column values: true where, for every column named in `where`, the row's
 * value is the one given or one of those listed (`{ district: "Loughborough" }`,
 * `{ beat: ["NC05", "NC06"] }`). Callers validate `where`; the missing value never matches.
 *
 * @example
 * selectRows(table, whereTest(table, { source: "ambulance-callout" }));
 */
export function whereTest(table: IncidentTable, where: Partial<Record<DictColumnName, string | readonly string[]>>): (i: number) => boolean {
  const tests = Object.entries(where).map(([column, v]) => {
    const col = table[column as DictColumnName];
    return { codes: col.codes, ok: valueMask(col, typeof v === "string" ? [v] : (v as readonly string[])) };
  });
  if (tests.length === 1) {
    // One column (the usual case): a plain lookup per row.
    const { codes, ok } = tests[0];
    return (i) => ok[codes[i]] === 1;
  }
  return (i) => tests.every((t) => t.ok[t.codes[i]] === 1);
}
