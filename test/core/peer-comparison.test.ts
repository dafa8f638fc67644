import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { peerComparison, readPopulation, syntheticBorough, POLICE_UK_CRIME_KEYS, InputError } from "@community-safety/core";
import { readPoliceUkFiles } from "@community-safety/core/node";
import { dataPath, fixturePath } from "../helpers/data.js";

describe("peerComparison", () => {
  it("compares the Leicestershire districts' crime rates in 2021/22 with funnel limits", async () => {
    const { table } = await readPoliceUkFiles(dataPath("policeuk-leicestershire", "county-2019-12_2022-10"));
    const pop = readPopulation(readFileSync(dataPath("geography-leicestershire", "leicestershire-lsoa-population-imd.csv"), "utf8"), { group: "lad19nm" });
    // Leicester City's rows were removed from this extract, so it is not a peer here.
    const population = new Map([...pop.byGroup].filter(([d]) => d !== "Leicester"));
    const result = peerComparison(table, { population, period: "2021/22", categories: POLICE_UK_CRIME_KEYS });
    const charnwood = result.rows.find((r) => r.area === "Charnwood")!;
    expect([charnwood.count, charnwood.population]).toEqual([13999, 175167]); // population published in the data README
    // R: poisson.test(13999, 175167)$conf.int * 1000
    expect(charnwood.lower).toBeCloseTo(78.599569655621139, 9);
    expect(charnwood.upper).toBeCloseTo(81.253042872484471, 9);
    const total = result.rows.reduce((s, r) => s + r.count, 0);
    const residents = result.rows.reduce((s, r) => s + r.population, 0);
    expect(result.groupRate).toBeCloseTo((total / residents) * 1000, 12);
    // Far from the 99.8% limits by the normal approximation (expected ± 3.09 √expected), so any
    // exact method agrees: Charnwood (+2,070 on ~11,930 expected) and North West Leicestershire
    // above; Rutland and Harborough below; Melton and Oadby and Wigston within 95% limits.
    expect(result.above).toEqual(expect.arrayContaining(["Charnwood", "North West Leicestershire"]));
    expect(result.below).toEqual(expect.arrayContaining(["Rutland", "Harborough"]));
    for (const d of ["Melton", "Oadby and Wigston"]) expect(result.rows.find((r) => r.area === d)!.position).toBe("within");
    // Counts per district: R (test/fixtures/police-uk/leicestershire-counts.R, read.csv of the raw
    // files, the same duplicate and 100 km rules): police-recorded crime in April 2021 – March 2022.
    const R = (JSON.parse(readFileSync(fixturePath("police-uk", "leicestershire-counts.json"), "utf8")) as { county: { crimeByDistrict2021_22: Record<string, number> } }).county.crimeByDistrict2021_22;
    expect(Object.fromEntries(result.rows.map((r) => [r.area, r.count]))).toEqual(Object.fromEntries([...population.keys()].map((d) => [d, R[d]])));
    // Not compared: snaps into neighbouring forces' districts and "No Location" rows (853 of them).
    const outside = Object.entries(R).filter(([d]) => !population.has(d));
    expect(result.notCompared).toBe(outside.reduce((s, [, n]) => s + n, 0));
    expect(R["(no LSOA)"]).toBe(853);
    expect(charnwood.sentence).toMatch(/^Charnwood: 79\.9 per 1,000 residents \(95% CI 78\.6–81\.3\) against a group rate of 68\.\d, above the 99\.8% upper limit/);
  });

  it("validates options", () => {
    const empty = { length: 0 } as never;
    expect(() => peerComparison(empty, { population: {}, period: "2021/22" })).toThrow(InputError);
    expect(() => peerComparison(empty, { population: { A: 0 }, period: "2021/22" })).toThrow('peerComparison: population["A"] must be a positive number of residents, got 0');
  });
});

describe("peerComparison on the synthetic borough", () => {
  it("detects the planted peer difference in violence: Wreford above the funnel, Callowmere below", () => {
    const { table, population, truths } = syntheticBorough({ seed: 5 });
    const residents: Record<string, number> = {};
    for (const a of population) residents[a.district] = (residents[a.district] ?? 0) + a.population;
    const peer = truths.peerDifference!;
    expect(peer).toMatchObject({ category: "violent-crime", higher: "Wreford", lower: "Callowmere" });
    const result = peerComparison(table, { population: residents, period: "2021/22", categories: ["violent-crime"] });
    expect(result.above).toEqual(["Wreford"]);
    expect(result.below).toEqual(["Callowmere"]);
    const [w, c] = ["Wreford", "Callowmere"].map((d) => result.rows.find((r) => r.area === d)!);
    // The rate ratio's exact intervals separate, and its estimate is near the planted ratio.
    expect(w.lower).toBeGreaterThan(c.upper);
    expect(Math.abs(Math.log(w.rate / c.rate) - Math.log(peer.rateRatio))).toBeLessThan(3 * Math.sqrt(1 / w.count + 1 / c.count));
  });
});
