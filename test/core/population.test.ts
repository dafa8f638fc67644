import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { existsSync } from "node:fs";
import { readPopulation, InputError } from "@community-safety/core";
import { dataPath } from "../helpers/data.js";

describe("readPopulation", () => {
  it("sums Leicestershire LSOA populations to districts (published: Charnwood 175,167; force area 1,054,029)", () => {
    const text = readFileSync(dataPath("geography-leicestershire", "leicestershire-lsoa-population-imd.csv"), "utf8");
    const { byKey, byGroup, summary } = readPopulation(text, { group: "lad19nm" });
    expect(summary).toEqual({ rows: 611, accepted: 611, rejected: 0 });
    expect(byGroup.get("Charnwood")).toBe(175167);
    expect([...byKey.values()].reduce((a, b) => a + b, 0)).toBe(1054029);
  });

  it("reads the England file with its BOM and quoted thousands separators", () => {
    const text = gunzipSync(readFileSync(dataPath("lsoa-population-imd-england", "File_6_-_IoD2019_Population_Denominators.csv.gz"))).toString("utf8");
    const { byKey, summary } = readPopulation(text);
    expect(summary.accepted).toBe(32844);
    // Same LSOA in the Leicestershire extract (derived from this file, thousands separators removed).
    const leics = readPopulation(readFileSync(dataPath("geography-leicestershire", "leicestershire-lsoa-population-imd.csv"), "utf8"));
    expect(byKey.get("E01025670")).toBe(leics.byKey.get("E01025670"));
    // The raw line reads `E01025670,Charnwood 022A,E07000130,Charnwood,"1,307",…` (zcat | grep).
    expect(byKey.get("E01025670")).toBe(1307);
  });

  it("rejects bad values and duplicate codes by row", () => {
    const { rejected, summary } = readPopulation('code,population\nA,"1,200"\nB,x\nA,5\nC,-3\n,4\n');
    expect(summary).toEqual({ rows: 5, accepted: 1, rejected: 4 });
    expect(rejected.map((r) => [r.row, r.line, r.reason])).toEqual([
      [2, 3, "invalid-value"],
      [3, 4, "duplicate-id"],
      [4, 5, "invalid-value"],
      [5, 6, "missing-value"],
    ]);
  });

  it("names missing columns and refuses empty text", () => {
    expect(() => readPopulation("name,people\nA,1\n")).toThrow(expect.objectContaining({ code: "missing-field" }));
    expect(() => readPopulation("")).toThrow(InputError);
  });
});

const LANCASHIRE_WARD_POP = dataPath("policeuk-lancashire-asb-2022", "lancashire_ward_pop.csv");

describe.skipIf(!existsSync(LANCASHIRE_WARD_POP))(`readPopulation by ward: Lancashire ward populations — needs ${LANCASHIRE_WARD_POP}`, () => {
  it("readPopulation(text, { level: \"ward\" }) reads 285 wards, 1,515,487 residents, keyed by gss_code", () => {
    // Header `gss_code,ward,population`. Independent totals from Python's csv module:
    //   rows = list(csv.DictReader(open(f))); len(rows) → 285; sum(int(r["population"])) → 1515487
    // (a naive `awk -F,` sum gives 1,511,140: two ward names hold quoted commas, e.g.
    // `E05012009,"East Whalley, Read & Simonstone",2832`, and it misses their 2,832 + 1,515).
    const pop = readPopulation(readFileSync(LANCASHIRE_WARD_POP, "utf8"), { level: "ward" });
    expect([pop.level, pop.column]).toEqual(["ward", "ward"]);
    expect(pop.summary).toEqual({ rows: 285, accepted: 285, rejected: 0 });
    expect([...pop.byKey.values()].reduce((a, b) => a + b, 0)).toBe(1_515_487);
    expect([pop.byKey.get("E05001643"), pop.byKey.get("E05012009"), pop.byKey.get("E05012020")]).toEqual([6278, 2832, 1515]);
    // The codes are ward codes as written (not the `ward` names), so they join to ward
    // polygons — and show the README's vintage mismatch with the Dec 2022 wards: 40
    // population codes have no polygon and 26 polygons have no population (Python sets).
    const wards = JSON.parse(readFileSync(dataPath("policeuk-lancashire-asb-2022", "lancashire_wards.geojson"), "utf8")) as { features: { properties: { ward_code: string } }[] };
    const polygons = new Set(wards.features.map((f) => f.properties.ward_code));
    expect([[...pop.byKey.keys()].filter((k) => !polygons.has(k)).length, [...polygons].filter((k) => !pop.byKey.has(k)).length]).toEqual([40, 26]);
  });
});

describe("readPopulation levels", () => {
  it("defaults to LSOA level, as before", () => {
    const pop = readPopulation("lsoa11cd,pop_mid2015_total\nE01025670,1307\n");
    expect([pop.level, pop.column, pop.byKey.get("E01025670")]).toEqual(["lsoa", "lsoa", 1307]);
  });

  it("finds each level's key column, and takes an explicit key", () => {
    expect([...readPopulation("wd22cd,name,population\nE05000001,A,10\n", { level: "ward" }).byKey]).toEqual([["E05000001", 10]]);
    expect(readPopulation("beat,population\nNC05,900\n", { level: "beat" }).column).toBe("beat");
    expect(readPopulation("lad22cd,population\nE07000130,183000\n", { level: "district" }).byKey.get("E07000130")).toBe(183000);
    expect(readPopulation("sector,district,residents\nX,LE11,5\n", { level: "postcode-district", key: "district", value: "residents" }).byKey.get("LE11")).toBe(5);
    expect(() => readPopulation("name,population\nA,1\n", { level: "ward" })).toThrow(
      'readPopulation: missing column "a key column (ward_code / wd22cd / wd21cd / wd20cd / wd19cd / wd11cd / gss_code / code / area)" (header: name,population)',
    );
  });

  it("refuses an unknown level", () => {
    expect(() => readPopulation("code,population\nA,1\n", { level: "msoa" as "lsoa" })).toThrow(
      'readPopulation: level must be one of "lsoa", "ward", "beat", "district", "postcode-district", got "msoa"',
    );
  });
});
