import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
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
