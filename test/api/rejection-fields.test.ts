/**
 * A rejection carries the month, category and area of its row as fields, so a notebook can ask
 * "were any of the rejected rows Charnwood burglaries of 2021?" without re-reading the file.
 * Expected values: read by hand off the fixture rows, and for the real county files the raw line
 * each rejection points to, read again with d3-dsv.
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { categoryLabel, readDelimited, readPoliceUk, type Rejection } from "@community-safety/core";
import { readPoliceUkFiles } from "@community-safety/core/node";
import { fixturePath } from "../helpers/data.js";
import { countyFolder, haveCounty, rawCounty, skipNote } from "./raw-police-uk.js";

const fixture = (name: string) => ({ name, text: readFileSync(fixturePath("police-uk", name), "utf8") });
const context = (r: Rejection) => [r.row, r.reason, r.month, r.category, r.area];

describe("police.uk rejections", () => {
  it("carry the row's Month, its Crime type's key and its LSOA name where the row gives them", () => {
    const { rejected } = readPoliceUk([fixture("2021-05-bad-rows.csv")]);
    // By hand, from the file: every row is in Charnwood 022A; row 1's Month is 2021-13 (unreadable),
    // row 5 has 9 fields (which field is which cannot be told), row 6's type is "Joyriding".
    expect(rejected.map(context)).toEqual([
      [1, "invalid-date", null, "anti-social-behaviour", "Charnwood 022A"],
      [2, "invalid-coordinate", "2021-05", "anti-social-behaviour", "Charnwood 022A"],
      [3, "invalid-coordinate", "2021-05", "anti-social-behaviour", "Charnwood 022A"],
      [4, "null-island", "2021-05", "anti-social-behaviour", "Charnwood 022A"],
      [5, "ragged-row", null, null, null],
      [6, "unknown-category", "2021-05", null, "Charnwood 022A"],
      [7, "outside-bounds", "2021-05", "anti-social-behaviour", "Charnwood 022A"],
    ]);
    // The existing fields are as before.
    expect(rejected[1]).toEqual({
      file: "2021-05-bad-rows.csv",
      row: 2,
      line: 3,
      field: "Longitude",
      value: "west",
      reason: "invalid-coordinate",
      message: 'Longitude must be a decimal number of degrees within −180…180, got "west"',
      month: "2021-05",
      category: "anti-social-behaviour",
      area: "Charnwood 022A",
    });
  });

  it("a duplicate Crime ID's earlier copy carries its own month", () => {
    const { rejected } = readPoliceUk([fixture("2021-03-good.csv"), fixture("2021-04-repeat.csv")]);
    // The March copy of crime aaaa… (Burglary, Blaby 002A) is rejected; April's is kept.
    expect(rejected.map((r) => [r.file, r.reason, r.month, r.category, r.area])).toEqual([["2021-03-good.csv", "duplicate-id", "2021-03", "burglary", "Blaby 002A"]]);
  });

  it.skipIf(!haveCounty)(`on the 35 county files, each rejection's fields equal its raw line${skipNote}`, async () => {
    const { rejected } = await readPoliceUkFiles(countyFolder);
    const raw = new Map(rawCounty().all.map((r) => [`${r.file}:${r.line}`, r]));
    expect(rejected.length).toBe(75); // 7 duplicate copies and 68 far-away points (R, test/fixtures/police-uk)
    for (const r of rejected) {
      const line = raw.get(`${r.file}:${r.line}`)!;
      expect(r.month).toBe(line.month);
      expect(categoryLabel(r.category!)).toBe(line.type); // police.uk's own wording for the key
      expect(r.area).toBe(line.lsoaName);
    }
    // The question a notebook asks: which rejected rows were Charnwood's? One: an earlier copy of
    // a violent crime republished in January 2022 (its raw line, checked above, is in Charnwood 002G).
    const charnwood = rejected.filter((r) => r.area?.startsWith("Charnwood "));
    expect(charnwood.map((r) => [r.file.slice(0, 7), r.line, r.month, r.category, r.area, r.reason])).toEqual([["2021-10", 834, "2021-10", "violent-crime", "Charnwood 002G", "duplicate-id"]]);
  });
});

describe("mapped-file rejections (readDelimited)", () => {
  // Local London times; 1 Jun 2021 00:30 BST is 31 May 23:30 UTC, so its month is June.
  const CSV = `ref,occurred,type,lon,lat,ward,postcode
A1,2021-03-14 10:00,Burglary,-1.2,52.77,Hastings,
A2,2021-03-15 11:00,Burglary,west,52.77,Hastings,
A3,2021-02-30 10:00,Robbery,-1.2,52.77,,LE11 3AB
A4,2021-04-01 00:30,Arson,-1.2,52.77,Lemyngton,
A5,2021-06-01 00:30,Burglary,0,0,,
A1,2021-05-01 09:00,Robbery,-1.2,52.77,Hastings,
A7,2021-07-01
`;
  const { rejected, summary } = readDelimited(CSV, {
    columns: { id: "ref", date: "occurred", category: "type", lon: "lon", lat: "lat", ward: "ward", postcodeDistrict: "postcode" },
    dateFormat: "yyyy-MM-dd HH:mm",
    categoryMap: { Burglary: "burglary", Robbery: "robbery" },
    dedupe: "first",
  });

  it("carry the local month once the time is read, the mapped category and the first area given", () => {
    expect(summary).toMatchObject({ rows: 7, accepted: 1, rejected: 6 });
    // By hand: A2's longitude is not a number; A3's 30 February is no date (its area is the
    // postcode's district LE11); A4's "Arson" is not in the map; A5 is at 0,0 with no area; the
    // second A1 repeats an id (first kept); A7 has two fields.
    expect(rejected.map(context)).toEqual([
      [2, "invalid-coordinate", "2021-03", "burglary", "Hastings"],
      [3, "invalid-date", null, "robbery", "LE11"],
      [4, "unknown-category", "2021-04", null, "Lemyngton"],
      [5, "null-island", "2021-06", "burglary", null],
      [6, "duplicate-id", "2021-05", "robbery", "Hastings"],
      [7, "ragged-row", null, null, null],
    ]);
  });
});
