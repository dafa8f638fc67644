import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { peerComparison, readPopulation, syntheticBorough, POLICE_UK_CRIME_KEYS, InputError } from "@community-safety/core";
import { readPoliceUkFiles } from "@community-safety/core/node";
import { dataPath, fixturePath } from "../helpers/data.js";
import { expectRel } from "./stats/fixture.js";

/** The Leicestershire case of test/fixtures/funnel/overdispersion.json (overdispersion.R: counts and residents computed in R). */
interface LeicestershireCase {
  districts: string[];
  populations: number[];
  counts: number[];
  groupRate: number;
  phi: number;
  statistic: number;
  df: number;
  pValue: number;
  tau2: number;
  areas: { area: string; limits: { level: number; lower: number; upper: number; position: string }[]; poissonPositions: string[] }[];
}

const leicestershire = async () => {
  const { table } = await readPoliceUkFiles(dataPath("policeuk-leicestershire", "county-2019-12_2022-10"));
  const pop = readPopulation(readFileSync(dataPath("geography-leicestershire", "leicestershire-lsoa-population-imd.csv"), "utf8"), { group: "lad19nm" });
  // Leicester City's rows were removed from this extract, so it is not a peer here.
  const population = new Map([...pop.byGroup].filter(([d]) => d !== "Leicester"));
  return { table, population };
};
let loaded: ReturnType<typeof leicestershire> | null = null;
const leics = () => (loaded ??= leicestershire());

describe("peerComparison", () => {
  it("compares the Leicestershire districts' crime rates in 2021/22 with plain Poisson funnel limits (overdispersion: none)", async () => {
    const { table, population } = await leics();
    const result = peerComparison(table, { population, period: "2021/22", categories: POLICE_UK_CRIME_KEYS, overdispersion: "none" });
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
    expect(charnwood.sentence).toMatch(/^Charnwood: 79\.9 per 1,000 residents \(95% CI 78\.6–81\.3\) against a group rate of 68\.\d, above the 99\.8% upper limit \(\d+\.\d\) \(plain Poisson limits\)\.$/);
    expect(result.overdispersion).toMatchObject({ method: "none", overdispersed: true });
    expect(result.overdispersion.sentence).toMatch(/^Plain Poisson limits, with no allowance for variation between districts\. .* 6 of 8 are outside the 99\.8% limits, against 0 allowing for the usual variation \(Spiegelhalter 2005 random effects, τ = 0\.072\)\.$/);
  });

  it("allows for the usual variation between the Leicestershire districts by default: R's φ, τ² and limits (Spiegelhalter 2005; fixture: test/fixtures/funnel/overdispersion.R)", async () => {
    const { table, population } = await leics();
    const result = peerComparison(table, { population, period: "2021/22", categories: POLICE_UK_CRIME_KEYS });
    const R = (JSON.parse(readFileSync(fixturePath("funnel", "overdispersion.json"), "utf8")) as { cases: LeicestershireCase[] }).cases.find((c) => c.districts)!;
    // The same districts, counts and residents as R computed from the raw files.
    expect(result.rows.map((r) => r.area).sort()).toEqual(R.districts);
    for (const [k, d] of R.districts.entries()) {
      const row = result.rows.find((r) => r.area === d)!;
      expect([row.count, row.population], d).toEqual([R.counts[k], R.populations[k]]);
      row.limits.forEach((l, j) => {
        expectRel(l.lower, R.areas[k].limits[j].lower, 1e-9, `${d} lower ${l.level}`);
        expectRel(l.upper, R.areas[k].limits[j].upper, 1e-9, `${d} upper ${l.level}`);
        expect(l.position, `${d} at ${l.level}`).toBe(R.areas[k].limits[j].position);
      });
    }
    expectRel(result.groupRate, R.groupRate, 1e-12);
    const od = result.overdispersion;
    expectRel(od.phi, R.phi, 1e-9, "phi");
    expectRel(od.statistic, R.statistic, 1e-9, "I phi");
    expectRel(od.pValue, R.pValue, 1e-9, "p");
    expectRel(od.tau2, R.tau2, 1e-9, "tau2");
    expect(od.df).toBe(7);
    // φ ≈ 108: the districts vary about a hundred times more than Poisson chance. Six of eight
    // are outside the plain 99.8% Poisson limits; none once the variation is allowed for.
    expect(od.phi).toBeGreaterThan(100);
    expect(od.poissonAbove.sort()).toEqual(["Charnwood", "North West Leicestershire"]);
    expect(od.poissonBelow.sort()).toEqual(["Blaby", "Harborough", "Hinckley and Bosworth", "Rutland"]);
    expect([result.above, result.below]).toEqual([[], []]);
    // Rutland (45.4 per 1,000) is still below the 95% limit.
    expect(result.rows.find((r) => r.area === "Rutland")!.limits[0].position).toBe("below");
    expect(od.sentence).toBe(
      "The districts' rates vary more than chance alone gives (φ = 108.2: I·φ = 865.3 against 7), so the funnel limits allow for the usual variation between districts: Spiegelhalter (2005) additive random effects, τ = 0.072 on the square-root scale (underlying rates typically within about ±15% of the group rate). Against plain Poisson limits 6 of 8 districts would be outside the 99.8% limits; allowing for that variation, 0 are.",
    );
    expect(result.rows.find((r) => r.area === "Charnwood")!.sentence).toMatch(/^Charnwood: 79\.9 per 1,000 residents \(95% CI 78\.6–81\.3\) against a group rate of 68\.1, within the control limits allowing for the usual variation between districts \(Spiegelhalter 2005 random effects, τ = 0\.072\)\.$/);
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
    // Two districts are too few to estimate the usual variation between them (it would absorb
    // the planted difference): plain Poisson limits, said so.
    expect(result.overdispersion).toMatchObject({ method: "random-effects", overdispersed: true });
    expect(result.overdispersion.sentence).toMatch(/^With only 2 districts \(fewer than 5\), the usual variation between districts cannot be told apart from a real difference, so the funnel limits are plain Poisson limits \(φ = \d+\.\d\)\.$/);
    const [w, c] = ["Wreford", "Callowmere"].map((d) => result.rows.find((r) => r.area === d)!);
    expect(w.sentence).toMatch(/\(plain Poisson limits: too few districts to measure the usual variation between them\)\.$/);
    // The rate ratio's exact intervals separate, and its estimate is near the planted ratio.
    expect(w.lower).toBeGreaterThan(c.upper);
    expect(Math.abs(Math.log(w.rate / c.rate) - Math.log(peer.rateRatio))).toBeLessThan(3 * Math.sqrt(1 / w.count + 1 / c.count));
  });
});
