/**
 * selectArea(table, { lsoaPrefix | district | ward | beat | lsoa | force }): one area of a
 * county-wide extract in one call. Expected values: the R count of the raw Leicestershire files
 * (test/fixtures/police-uk/leicestershire-counts.R, read.csv), the raw files read a second way,
 * and levels by district on the synthetic borough.
 */
import { describe, it, expect, beforeAll } from "vitest";
import { readFileSync } from "node:fs";
import { incidentRow, levels, selectArea, syntheticBorough, type IncidentTable } from "@community-safety/core";
import { readPoliceUkFiles } from "@community-safety/core/node";
import { fixturePath } from "../helpers/data.js";
import { expectInputError } from "../helpers/errors.js";
import { countyFolder, haveCounty, rawCounty, skipNote } from "./raw-police-uk.js";

const { table } = syntheticBorough({ seed: 1 });

describe("selectArea on the synthetic borough", () => {
  it("selectArea(table, { district }) keeps the district's rows: levels by district counts them", () => {
    const counts = new Map(levels(table, { by: ["district"], zeroFill: false }).rows.map((r) => [r.district, r.count]));
    const wreford = selectArea(table, { district: "Wreford" });
    expect(wreford.length).toBe(counts.get("Wreford"));
    expect(selectArea(table, { district: ["Wreford", "Callowmere"] }).length).toBe(counts.get("Wreford")! + counts.get("Callowmere")!);
    // Its LSOAs are named "Wreford 001A"…: the LSOA-name prefix picks the same rows.
    expect(selectArea(table, { lsoaPrefix: "Wreford" }).length).toBe(wreford.length);
    expect(incidentRow(wreford, 0).district).toBe("Wreford");
    expect(wreford.district.values).toEqual([null, "Wreford"]); // dictionaries compacted
  });

  it("every condition given must hold; a name nobody uses gives an empty table", () => {
    const beat = incidentRow(table, 0).beat!; // "WRE02"
    const both = selectArea(table, { district: "Wreford", beat });
    let expected = 0;
    for (let i = 0; i < table.length; ++i) {
      const r = incidentRow(table, i);
      if (r.district === "Wreford" && r.beat === beat) expected += 1;
    }
    expect(both.length).toBe(expected);
    expect(expected).toBeGreaterThan(0);
    expect(selectArea(table, { district: "Nowhere" }).length).toBe(0);
    expect(selectArea(table, { district: "Callowmere", lsoaPrefix: "Wreford" }).length).toBe(0);
  });

  it("refuses a call that names no area, or names it wrongly", () => {
    const length = table.length;
    expectInputError(() => selectArea(table, {}), "invalid-option", "selectArea: options must be at least one of lsoaPrefix, lsoa, ward, beat, district, force");
    expectInputError(() => selectArea(table, { area: "Wreford" } as never), "invalid-option", 'selectArea: options must be names from lsoaPrefix, lsoa, ward, beat, district, force, got "area"');
    expectInputError(() => selectArea(table, { lsoaPrefix: " " }), "invalid-option", 'selectArea: lsoaPrefix must be a non-empty string such as "Charnwood", got " "');
    expectInputError(() => selectArea(table, { district: [] }), "invalid-option", "selectArea: district must be a non-empty string or a non-empty list of them, got []");
    expect(table.length).toBe(length);
  });
});

describe.skipIf(!haveCounty)(`Charnwood out of the Leicestershire county files${skipNote}`, () => {
  let county: IncidentTable;
  beforeAll(async () => {
    county = (await readPoliceUkFiles(countyFolder)).table;
  });

  it("selectArea(county, { lsoaPrefix: 'Charnwood' }) holds the 43,971 rows R counts", () => {
    const charnwood = selectArea(county, { lsoaPrefix: "Charnwood" });
    // R (read.csv, the Crime ID and 100 km rules applied): rows whose LSOA name starts "Charnwood ".
    const R = JSON.parse(readFileSync(fixturePath("police-uk", "leicestershire-counts.json"), "utf8")).county.charnwood;
    expect(R).toBe(43971);
    expect(charnwood.length).toBe(R);
    // police.uk tables hold the LSOA name's district, so the district picks the same rows.
    expect(selectArea(county, { district: "Charnwood" }).length).toBe(R);
    // A multi-word district, against the raw files read with d3-dsv.
    const raw = rawCounty().kept.filter((r) => r.lsoaName.startsWith("Hinckley and Bosworth ")).length;
    expect(selectArea(county, { lsoaPrefix: "Hinckley and Bosworth" }).length).toBe(raw);
    expect(selectArea(county, { district: "Hinckley and Bosworth" }).length).toBe(raw);
  });
});
