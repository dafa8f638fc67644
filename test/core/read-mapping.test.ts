import { describe, it, expect } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  readMapping,
  readDelimited,
  InputError,
  MAX_MAPPING_DEPTH,
  CHICAGO_CODE,
  VANCOUVER_VPD,
  MEMPHIS_CODE,
  CINCINNATI_PDI,
  DENVER_PD,
  POLICE_UK_ASB_TAB,
  type IngestResult,
  type ReadDelimitedOptions,
} from "@community-safety/core";
import { readDelimitedFiles } from "@community-safety/core/node";
import { dataPath, dataDir, repoRoot } from "../helpers/data.js";

// Each mapping file in examples/mappings/ must reproduce its preset's table exactly: the
// same options, and — read from the real extract — the same rows accepted and rejected, the
// same reasons, and every column of the IncidentTable identical.

const mappingFile = (name: string) => join(repoRoot, "examples", "mappings", name);

const CASES: { file: string; preset: ReadDelimitedOptions; data: string; rows: number; byReason: Record<string, number> }[] = [
  // Row counts from the data README; rejections as pinned from the raw text in datasets.test.ts.
  { file: "chicago.json", preset: CHICAGO_CODE, data: dataPath("chicago-aggravated-assaults-2010-2019", "chicago_aggravated_assaults.csv.gz"), rows: 148_636, byReason: {} },
  { file: "vancouver.json", preset: VANCOUVER_VPD, data: dataPath("vancouver-vpd-2020", "crimedata_csv_AllNeighbourhoods_2020.csv"), rows: 37_512, byReason: { suppressed: 3_750 } },
  { file: "memphis.json", preset: MEMPHIS_CODE, data: dataPath("memphis-robberies-2019", "memphis_robberies_2019.csv"), rows: 2_245, byReason: {} },
  { file: "cincinnati.json", preset: CINCINNATI_PDI, data: dataPath("cincinnati-burglary-2016-2018", "cincinnati_burglary.csv.gz"), rows: 8_723, byReason: { "duplicate-id": 1_774 } },
  { file: "denver.json", preset: DENVER_PD, data: dataPath("denver-crime-sample", "denver_crime_sample_non_traffic.csv.gz"), rows: 36_701, byReason: { "null-island": 6 } },
  { file: "police-uk-asb-tab.json", preset: POLICE_UK_ASB_TAB, data: dataPath("policeuk-lancashire-asb-2022", "lancashire_asb.tab"), rows: 56_434, byReason: {} },
];

/** Where two columns differ (first differing row), or null; typed arrays compared with Object.is (NaN equals NaN). */
function columnDiff(a: unknown, b: unknown, path: string): string | null {
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    const x = a as unknown as ArrayLike<number>;
    const y = b as unknown as ArrayLike<number>;
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.constructor !== b.constructor) return `${path}: different array types`;
    if (x.length !== y.length) return `${path}: length ${x.length} vs ${y.length}`;
    for (let i = 0; i < x.length; ++i) if (!Object.is(x[i], y[i])) return `${path}[${i}]: ${x[i]} vs ${y[i]}`;
    return null;
  }
  if (a instanceof Map || b instanceof Map) return JSON.stringify([...(a as Map<unknown, unknown>)]) === JSON.stringify([...(b as Map<unknown, unknown>)]) ? null : `${path}: maps differ`;
  if (a !== null && typeof a === "object" && b !== null && typeof b === "object") {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.join() !== kb.join()) return `${path}: keys ${ka.join()} vs ${kb.join()}`;
    for (const k of ka) {
      const d = columnDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d !== null) return d;
    }
    return null;
  }
  return Object.is(a, b) ? null : `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}

describe("examples/mappings: each file's options are its preset's", () => {
  for (const c of CASES) {
    it(`readMapping(${c.file}) deep-equals the preset`, () => {
      const options = readMapping(readFileSync(mappingFile(c.file), "utf8"), { name: c.file });
      expect(options).toEqual(c.preset);
    });
  }
});

const present = CASES.filter((c) => existsSync(c.data));
describe.skipIf(present.length < CASES.length)(`examples/mappings reproduce their presets' tables on the real extracts — needs the six city/police.uk files under ${dataDir}`, () => {
  for (const c of CASES) {
    it(`${c.file}: ${c.rows.toLocaleString("en-GB")} rows, the same table and rejections as the preset`, async () => {
      const viaPreset: IngestResult = await readDelimitedFiles(c.data, c.preset);
      const viaFile: IngestResult = await readDelimitedFiles(c.data, readMapping(readFileSync(mappingFile(c.file), "utf8"), { name: c.file }));
      expect(viaPreset.summary.rows).toBe(c.rows);
      expect(viaPreset.summary.rows).toBe(viaPreset.summary.accepted + viaPreset.summary.rejected);
      expect(viaPreset.summary.byReason).toEqual(c.byReason);
      // Every column of the table (ids, dictionaries, times, precision, x/y, lon/lat, flags,
      // area names, coverage, crs, zone), compared row by row.
      const columns = Object.keys(viaPreset.table);
      expect(Object.keys(viaFile.table)).toEqual(columns);
      expect(columns.map((k) => columnDiff((viaPreset.table as unknown as Record<string, unknown>)[k], (viaFile.table as unknown as Record<string, unknown>)[k], k)).filter((d) => d !== null)).toEqual([]);
      // The same rows rejected, for the same reasons, with the same messages; the same reconciliation and notes.
      expect(viaFile.rejected).toEqual(viaPreset.rejected);
      expect(viaFile.summary).toEqual(viaPreset.summary);
    });
  }
});

describe("readMapping validation", () => {
  const base = '"date": "when", "category": "type"';
  const message = (json: string, name?: string) => {
    try {
      readMapping(json, name === undefined ? {} : { name });
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return [(e as InputError).code, (e as InputError).message];
    }
    throw new Error("no error");
  };

  it("readMapping(text) returns plain readDelimited options, documentation keys dropped", () => {
    const options = readMapping(`{ "$schema": "x", "name": "Council ASB", "description": "d", "$comment": "c", "columns": { ${base} }, "dateFormat": "iso" }`);
    expect(options).toEqual({ columns: { date: "when", category: "type" }, dateFormat: "iso" });
    expect(readDelimited("type,when\nfire,2021-07-14T22:15\n", options).summary.accepted).toBe(1);
  });

  it("names the JSON path and what was expected for a value of the wrong type", () => {
    expect(message('{ "columns": { "category": "type", "date": 12 }, "dateFormat": "iso" }')).toEqual(["invalid-option", "readMapping: mapping.columns.date must be a column name, got 12"]);
    expect(message('{ "columns": { "category": "type", "date": 12 } }', "council.json")).toEqual(["invalid-option", "readMapping: council.json: columns.date must be a column name, got 12"]);
    expect(message(`{ "columns": { ${base}, "ward": 5 } }`)).toEqual(["invalid-option", 'readMapping: mapping.columns.ward must be a column name or { "value": constant }, got 5']);
    expect(message(`{ "columns": { ${base}, "source": { "value": "" } } }`)).toEqual(["invalid-option", "readMapping: mapping.columns.source.value must be non-empty text, got \"\""]);
    expect(message(`{ "columns": { ${base} }, "dateFormat": "iso", "bounds": [1, 2, 3] }`)).toEqual(["invalid-option", "readMapping: mapping.bounds must be [west, south, east, north] in degrees, or null, got [1,2,3]"]);
    expect(message(`{ "columns": { ${base} }, "dateFormat": "iso", "precision": "week" }`)).toEqual(["invalid-option", 'readMapping: mapping.precision must be one of "minute", "hour", "day", "month", "year", got "week"']);
    expect(message(`{ "columns": { ${base} }, "dateFormat": "iso", "categoryMap": { "Noise": 3 } }`)).toEqual(["invalid-option", 'readMapping: mapping.categoryMap["Noise"] must be non-empty text, got 3']);
    expect(message(`{ "columns": { ${base} }, "dateFormat": "iso", "missingValues": ["", null] }`)).toEqual(["invalid-option", "readMapping: mapping.missingValues[1] must be text, got null"]);
    expect(message(`{ "columns": { ${base} }, "dateFormat": "iso", "suppressedWhen": [{ "field": "X" }] }`)).toEqual(["invalid-option", 'readMapping: mapping.suppressedWhen[0] must be given "equals" or "in" (one of them), got {"field":"X"}']);
    expect(message(`{ "columns": { ${base} }, "dateFormat": "iso", "maxFieldLines": 1.5 }`)).toEqual(["invalid-option", "readMapping: mapping.maxFieldLines must be a whole number ≥ 1, got 1.5"]);
    expect(message(`{ "columns": { ${base}, "flags": { "domestic": { "field": "DV", "values": "Y" } } } }`)).toEqual(["invalid-option", 'readMapping: mapping.columns.flags.domestic.values must be an array of texts, got "Y"']);
    expect(message('{ "columns": { "date": "when" } }')).toEqual(["invalid-option", 'readMapping: mapping.columns.category must be given: a column name or { "value": constant }, got undefined']);
    expect(message('{ "dateFormat": "iso" }')).toEqual(["invalid-option", "readMapping: mapping.columns must be given: an object mapping incident fields to columns, got undefined"]);
    expect(message(`{ "name": 3, "columns": { ${base} } }`)).toEqual(["invalid-option", "readMapping: mapping.name must be text, got 3"]);
  });

  it("refuses unknown keys at every level, naming the nearest known key", () => {
    expect(message(`{ "colums": { ${base} } }`)).toEqual(["invalid-option", 'readMapping: mapping.colums must be a known key (did you mean "columns"?), got "colums"']);
    expect(message(`{ "columns": { ${base} }, "dateformat": "iso" }`)).toEqual(["invalid-option", 'readMapping: mapping.dateformat must be a known key (did you mean "dateFormat"?), got "dateformat"']);
    expect(message(`{ "columns": { ${base}, "postcode": "PC" } }`)).toEqual([
      "invalid-option",
      "readMapping: mapping.columns.postcode must be a known key (one of id, source, category, subcategory, date, time, dateParts, endDate, lon, lat, x, y, location, lsoa, ward, beat, district, postcodeDistrict, victim, place, outcome, force, flags), got \"postcode\"",
    ]);
    expect(message(`{ "columns": { "category": "type", "dateParts": { "year": "Y", "mnth": "M" } } }`)).toEqual(["invalid-option", 'readMapping: mapping.columns.dateParts.mnth must be a known key (did you mean "month"?), got "mnth"']);
    expect(message(`{ "columns": { ${base}, "source": { "valu": "fire" } } }`)).toEqual(["invalid-option", 'readMapping: mapping.columns.source.valu must be a known key (did you mean "value"?), got "valu"']);
    expect(message(`{ "columns": { ${base}, "source": {} } }`)).toEqual(["invalid-option", "readMapping: mapping.columns.source.value must be non-empty text, got undefined"]);
    expect(message(`{ "columns": { ${base}, "source": { "value": "fire", "label": "Fire" } } }`)).toEqual(["invalid-option", 'readMapping: mapping.columns.source.label must be a known key (only value), got "label"']);
    expect(message(`{ "columns": { ${base} }, "dateFormat": "iso", "suppressedWhen": { "field": "X", "equal": "Y" } }`)).toEqual([
      "invalid-option",
      'readMapping: mapping.suppressedWhen.equal must be a known key (did you mean "equals"?), got "equal"',
    ]);
    expect(message(`{ "columns": { ${base}, "__proto__": { "id": "x" } } }`)[1]).toMatch(/^readMapping: mapping\.columns\.__proto__ must be a known key/);
  });

  it("checks what readDelimited checks (patterns, zone, CRS, pairs, windows), with JSON paths", () => {
    expect(message(`{ "columns": { ${base} }, "dateFormat": "iso", "zone": "Mars/Base" }`)).toEqual(["invalid-option", 'readMapping: mapping.zone must be a valid IANA time zone name, got "Mars/Base"']);
    expect(message(`{ "columns": { ${base} } }`)).toEqual(["invalid-option", 'readMapping: mapping.dateFormat must be a date pattern such as "yyyy-MM-dd HH:mm" or "iso" when columns.date is given, got undefined']);
    expect(message(`{ "columns": { ${base}, "lon": "lon" }, "dateFormat": "iso" }`)).toEqual(["invalid-option", 'readMapping: mapping.columns.lat must be given together with its pair, got "lon"']);
    expect(message(`{ "columns": { ${base} }, "dateFormat": "iso", "crs": "EPSG:9999" }`)).toEqual([
      "invalid-option",
      'readMapping: mapping.crs must be "auto", "EPSG:27700", a UTM code "EPSG:326zz"/"EPSG:327zz", or a name with crsDefinition, got "EPSG:9999"',
    ]);
    expect(message(`{ "columns": { ${base} }, "dateFormat": "iso", "extractWindow": "2019-13" }`)).toEqual([
      "invalid-option",
      'readMapping: mapping.extractWindow must be a period key or [first, last] period keys such as ["2019-01", "2019-12"], got "2019-13"',
    ]);
    expect(message(`{ "columns": { ${base} }, "dateFormat": "iso", "delimiter": ";;" }`)).toEqual(["invalid-option", 'readMapping: mapping.delimiter must be one character other than a quote or line break, got ";;"']);
    expect(message(`{ "columns": { ${base}, "postcodeDistrict": { "value": "Leicester" } }, "dateFormat": "iso" }`)).toEqual([
      "invalid-option",
      'readMapping: mapping.columns.postcodeDistrict.value must be a UK postcode district such as "LE11" or a full postcode, got "Leicester"',
    ]);
  });

  it("refuses text that is not JSON, not an object, or nested too deeply", () => {
    // The parser's own words follow "got" (they differ between Node versions).
    const [code, text] = message("{ columns: {} }");
    expect([code, text.startsWith('readMapping: mapping must be valid JSON, got "')]).toEqual(["invalid-input", true]);
    expect(message("[1]", "m.json")).toEqual(["invalid-input", "readMapping: m.json must be a JSON object such as { \"columns\": { … } }, got [1]"]);
    expect(message("null")).toEqual(["invalid-input", 'readMapping: mapping must be a JSON object such as { "columns": { … } }, got null']);
    const deep = `{ "columns": ${"[".repeat(MAX_MAPPING_DEPTH)}${"]".repeat(MAX_MAPPING_DEPTH)} }`;
    expect(message(deep)).toEqual(["invalid-input", `readMapping: mapping must be at most ${MAX_MAPPING_DEPTH} levels of nested arrays and objects, got ${MAX_MAPPING_DEPTH + 1}`]);
    // Brackets inside strings are not nesting.
    expect(readMapping(`{ "description": "${"[{".repeat(50)}", "columns": { ${base} }, "dateFormat": "iso" }`).columns.category).toBe("type");
    expect(() => readMapping(12 as unknown as string)).toThrow("readMapping: mapping must be JSON text, got 12");
  });
});
