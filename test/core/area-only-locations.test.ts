import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { readDelimited, readMapping, readPopulation, levels, incidentRows, postcodeDistrict, InputError, type ReadDelimitedOptions, type IngestResult } from "@community-safety/core";
import { fixturePath } from "../helpers/data.js";

// A hand-made council ASB log (test/fixtures/generic/area-only-asb.csv, 12 rows): some rows
// have an easting/northing, others only a ward code or a postcode. Expected values are read
// off the fixture by hand, row by row:
//   A1 point, ward, LE11 3AB → LE11        A7 "LE11 3" (a sector)       → invalid-value
//   A2 ward only                          A8 ward, LE113AB → LE11
//   A3 "le11" → LE11                      A9 easting without northing  → invalid-coordinate
//   A4 "LE1 1AB" → LE1                    A10 point, EC1A 1BB → EC1A
//   A5 nothing (no point, no area)        A11 " de12 " → DE12
//   A6 point, "Loughborough"  → invalid-value   A12 31/06/2021 → invalid-date

const CSV = readFileSync(fixturePath("generic", "area-only-asb.csv"), "utf8");
const MAPPING = readMapping(readFileSync(fixturePath("generic", "area-only-asb.mapping.json"), "utf8"));

const brief = (r: IngestResult) => r.rejected.map((x) => [x.row, x.line, x.field, x.value, x.reason]);

function reconciles(r: IngestResult, rows: number): void {
  expect(r.summary.rows).toBe(rows);
  expect(r.summary.accepted + r.summary.rejected).toBe(rows);
  expect(r.table.length).toBe(r.summary.accepted);
  expect(r.rejected.length).toBe(r.summary.rejected);
}

describe("postcodeDistrict", () => {
  it("postcodeDistrict(text) returns the outward code of an outward code or a full postcode, upper case", () => {
    const cases: [string, string | null][] = [
      ["LE11", "LE11"],
      ["le11", "LE11"],
      [" LE11 ", "LE11"],
      ["LE11 3AB", "LE11"],
      ["LE113AB", "LE11"],
      ["LE11  3AB", "LE11"],
      ["LE1 1AB", "LE1"],
      ["LE11AB", "LE1"], // LE1 1AB without its space
      ["B1", "B1"],
      ["W1A 1AA", "W1A"],
      ["EC1A 1BB", "EC1A"],
      ["GIR 0AA", "GIR"],
      ["LE11 3", null], // a postcode sector
      ["LE", null],
      ["Loughborough", null],
      ["11LE", null],
      ["LE11 3ABC", null],
      ["", null],
      ["LE11-3AB", null],
    ];
    expect(cases.map(([t]) => postcodeDistrict(t))).toEqual(cases.map(([, d]) => d));
  });
});

describe("area-only locations (readDelimited with a mapping file)", () => {
  it("keeps rows with an area but no point, with NaN x/y and their area, counted in notes.areaOnly", () => {
    const r = readDelimited([{ name: "asb.csv", text: CSV }], MAPPING);
    reconciles(r, 12);
    expect(r.summary).toMatchObject({ accepted: 8, rejected: 4, byReason: { "invalid-value": 2, "invalid-coordinate": 1, "invalid-date": 1 } });
    // No point: A2, A3, A4, A5, A8, A11; of those, all but A5 have an area.
    expect(r.summary.notes).toMatchObject({ noLocation: 6, areaOnly: 5 });
    const rows = incidentRows(r.table);
    expect(rows.map((x) => [x.id, x.ward, x.district, x.x === null])).toEqual([
      ["A1", "E05005342", "LE11", false],
      ["A2", "E05005342", null, true],
      ["A3", null, "LE11", true],
      ["A4", null, "LE1", true],
      ["A5", null, null, true],
      ["A8", "E05005343", "LE11", true],
      ["A10", null, "EC1A", false],
      ["A11", null, "DE12", true],
    ]);
    expect([rows[0].x, rows[0].y]).toEqual([454012, 319533]);
    expect(Number.isNaN(r.table.x[1]) && Number.isNaN(r.table.y[1]) && Number.isNaN(r.table.lon[1])).toBe(true);
    expect(brief(r)).toEqual([
      [6, 7, "Postcode", "Loughborough", "invalid-value"],
      [7, 8, "Postcode", "LE11 3", "invalid-value"],
      [9, 10, "Northing", null, "invalid-coordinate"],
      [12, 13, "Reported", "31/06/2021 19:45", "invalid-date"],
    ]);
    expect(r.rejected[0].message).toBe('Postcode "Loughborough" is not a UK postcode district (an outward code such as "LE11") or a full postcode');
  });

  it("requireLocation rejects only rows with neither a point nor an area", () => {
    const r = readDelimited(CSV, { ...MAPPING, requireLocation: true });
    reconciles(r, 12);
    expect(r.summary).toMatchObject({ accepted: 7, rejected: 5, byReason: { "invalid-value": 2, "invalid-coordinate": 1, "invalid-date": 1, "missing-value": 1 } });
    expect(r.summary.notes).toMatchObject({ noLocation: 5, areaOnly: 5 });
    expect(brief(r)[0]).toEqual([5, 6, "Easting", null, "missing-value"]);
    expect(r.rejected[0].message).toBe("Easting, Northing, Ward code and Postcode are blank");
    // requireLocation: "point" rejects every row without a point, area or not (A2–A5, A8, A11).
    const points = readDelimited(CSV, { ...MAPPING, requireLocation: "point" });
    reconciles(points, 12);
    expect(points.summary).toMatchObject({ accepted: 2, rejected: 10, notes: { noLocation: 0, areaOnly: 0 } });
    expect(brief(points).filter((x) => x[4] === "missing-value").map((x) => x[0])).toEqual([2, 3, 4, 5, 8, 11]);
    expect(points.rejected[1].message).toBe('Easting and Northing are blank (requireLocation: "point")');
  });

  it("reads a source with areas and no coordinate columns at all", () => {
    const { x: _x, y: _y, ...areasOnly } = MAPPING.columns;
    const options: ReadDelimitedOptions = { ...MAPPING, columns: areasOnly, crs: undefined, requireLocation: true };
    const r = readDelimited(CSV, options);
    reconciles(r, 12);
    // A9 now has its ward and no coordinates to be half-blank; A5 has nothing.
    expect(r.summary).toMatchObject({ accepted: 8, rejected: 4, byReason: { "invalid-value": 2, "invalid-date": 1, "missing-value": 1 } });
    expect(r.summary.notes).toMatchObject({ noLocation: 8, areaOnly: 8 });
    expect(r.rejected[0]).toMatchObject({ row: 5, field: "Ward code", reason: "missing-value", message: "Ward code and Postcode are blank (no coordinate columns are mapped)" });
    // A constant area locates every row.
    const one = readDelimited(CSV, { ...options, columns: { ...areasOnly, ward: undefined, postcodeDistrict: { value: "le11" } } });
    expect(one.summary).toMatchObject({ accepted: 11, rejected: 1, notes: { areaOnly: 11 } });
    expect(one.table.district.values).toEqual([null, "LE11"]);
  });

  it("gives rates per postcode district with a population keyed by postcode district", () => {
    const { table } = readDelimited(CSV, MAPPING);
    const pop = readPopulation(readFileSync(fixturePath("generic", "postcode-district-population.csv"), "utf8"), { level: "postcode-district" });
    expect(pop.summary).toEqual({ rows: 6, accepted: 4, rejected: 2 });
    expect(pop.rejected.map((x) => [x.row, x.value, x.reason])).toEqual([
      [5, "LE11 3AB", "invalid-value"],
      [6, "LE", "invalid-value"],
    ]);
    expect([pop.level, pop.column, [...pop.byKey]]).toEqual(["postcode-district", "district", [["LE11", 40000], ["LE1", 25000], ["DE12", 10000], ["EC1A", 5000]]]);
    const res = levels(table, { by: ["district"], population: pop.byKey, areaDimension: pop.column });
    // LE11: A1, A3, A8 → 3 per 40,000 = 0.075 per 1,000; LE1: 1/25,000; DE12: 1/10,000; EC1A: 1/5,000.
    const byDistrict = Object.fromEntries(res.rows.filter((x) => x.district !== null).map((x) => [x.district, [x.count, x.population, x.rate]]));
    expect(byDistrict).toEqual({ LE11: [3, 40000, 0.075], LE1: [1, 25000, 0.04], DE12: [1, 10000, 0.1], EC1A: [1, 5000, 0.2] });
  });

  it("refuses contradictory or useless options", () => {
    const err = (o: ReadDelimitedOptions) => {
      try {
        readDelimited(CSV, o);
      } catch (e) {
        return [(e as InputError).code, (e as InputError).message];
      }
      return null;
    };
    expect(err({ ...MAPPING, columns: { ...MAPPING.columns, district: "Ward code" } })).toEqual([
      "invalid-option",
      'readDelimited: columns.postcodeDistrict must be left out when columns.district is given (both fill the district column), got "Postcode"',
    ]);
    expect(err({ ...MAPPING, columns: { ...MAPPING.columns, postcodeDistrict: { value: "Leicester" } } })).toEqual([
      "invalid-option",
      'readDelimited: columns.postcodeDistrict.value must be a UK postcode district such as "LE11" or a full postcode, got "Leicester"',
    ]);
    expect(err({ ...MAPPING, requireLocation: "yes" as unknown as boolean })).toEqual(["invalid-option", 'readDelimited: requireLocation must be true, false or "point", got "yes"']);
    expect(err({ ...MAPPING, columns: { ...MAPPING.columns, x: undefined, y: undefined }, requireLocation: "point" })).toEqual([
      "invalid-option",
      'readDelimited: requireLocation must be "point" only when columns map coordinates (lon/lat or x/y), got "point"',
    ]);
    expect(err({ columns: { id: "Ref", category: "Type", date: "Reported" }, dateFormat: "dd/MM/yyyy HH:mm", requireLocation: true })).toEqual([
      "invalid-option",
      "readDelimited: requireLocation must be false unless columns map coordinates (lon/lat or x/y) or an area (lsoa, ward, beat, district, postcodeDistrict), got true",
    ]);
  });
});
