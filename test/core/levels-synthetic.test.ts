import { describe, it, expect } from "vitest";
import { levels, ALL, syntheticBorough, SYNTHETIC_TOWNS } from "@community-safety/core";

// The levels section on the synthetic borough recovers what was planted (SYNTHETIC_BOROUGH.md).
// Expected values come from the generator's documented parameters (truths), never from levels
// itself; tolerances are 3 Poisson/binomial standard deviations at the realised sample size.
const borough = syntheticBorough({ seed: 1 });
const { table, truths } = borough;
const crimes = [...new Set(Object.keys(truths.meanCounts).filter((k) => k.startsWith("police-recorded-crime/")).map((k) => k.split("/")[1]))];

describe("levels on the synthetic borough", () => {
  it("counts each category per financial year within 3 Poisson SD of its planted mean", () => {
    const { rows } = levels(table, { by: ["period", "source", "category"], periods: truths.months.financialYears, zeroFill: false });
    let checked = 0;
    for (const [key, means] of Object.entries(truths.meanCounts)) {
      const [source, category] = key.split("/");
      // Burglary gets planted repeats and the emerging cluster adds to its categories on top of the mean.
      if (category === "burglary" || truths.emergingHotspot?.categories.includes(category)) continue;
      truths.months.financialYears.forEach((fy, k) => {
        const n = rows.find((r) => r.period === fy && r.source === source && r.category === category)?.count ?? 0;
        expect(Math.abs(n - means[k]), `${key} ${fy}: ${n} vs mean ${means[k]}`).toBeLessThan(3 * Math.sqrt(means[k]) + 1);
        checked += 1;
      });
    }
    expect(checked).toBeGreaterThan(20);
  });

  it("gives violence its planted share of all recorded crime", () => {
    const fy = truths.months.financialYears[1];
    const { rows } = levels(table, { by: ["category"], categories: crimes, periods: [fy] });
    const meanOf = (c: string) => truths.meanCounts[`police-recorded-crime/${c}`][1];
    const p = meanOf("violent-crime") / crimes.reduce((s, c) => s + meanOf(c), 0);
    const total = rows.reduce((s, r) => s + r.count, 0);
    const v = rows.find((r) => r.category === "violent-crime")!;
    expect(Math.abs(v.share! - p)).toBeLessThan(3 * Math.sqrt((p * (1 - p)) / total) + 0.01); // + the emerging cluster's small dilution
  });

  it("rates per 1,000 by district follow the planted factors and roll up to the borough", () => {
    // Vehicle crime and other crime have no town-centre effect: their expected split between the
    // districts is residents × 0.5 in villages × 0.8 outside Wreford (truths.villageFactor, otherDistrictFactor).
    const population = new Map<string, number>();
    const weight = new Map<string, number>();
    for (const a of borough.population) {
      population.set(a.district, (population.get(a.district) ?? 0) + a.population);
      const village = SYNTHETIC_TOWNS.find((t) => t.name === a.town)!.village === true;
      const w = a.population * (village ? truths.villageFactor : 1) * (a.district === "Wreford" ? 1 : truths.otherDistrictFactor);
      weight.set(a.district, (weight.get(a.district) ?? 0) + w);
    }
    const { rows } = levels(table, { by: ["district"], categories: ["vehicle-crime", "other-crime"], population, totals: ["district"] });
    const w = rows.find((r) => r.district === "Wreford")!;
    const c = rows.find((r) => r.district === "Callowmere")!;
    const all = rows.find((r) => r.district === ALL)!;
    const expectedRatio = (weight.get("Wreford")! / population.get("Wreford")!) / (weight.get("Callowmere")! / population.get("Callowmere")!);
    // SD of a log rate ratio: sqrt(1/n1 + 1/n2).
    expect(Math.abs(Math.log(w.rate! / c.rate!) - Math.log(expectedRatio))).toBeLessThan(3 * Math.sqrt(1 / w.count + 1 / c.count));
    expect(all.count).toBe(w.count + c.count);
    expect(all.population).toBe(population.get("Wreford")! + population.get("Callowmere")!);
    expect(all.rate).toBeCloseTo(((w.count + c.count) / all.population!) * 1000, 12);
  });

  it("monthly levels put police recorded crime's planted peaks (June, November) on top", () => {
    const { rows } = levels(table, { by: ["period"], periods: "month", categories: crimes });
    const byMonthOfYear = new Array(12).fill(0);
    const days = [31, 28.25, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    for (const r of rows) byMonthOfYear[Number((r.period as string).slice(5)) - 1] += r.count;
    const perDay = byMonthOfYear.map((n, m) => n / days[m]);
    const top2 = perDay.map((v, m) => [v, m + 1]).sort((a, b) => b[0] - a[0]).slice(0, 2).map((x) => x[1]).sort((a, b) => a - b);
    expect(top2).toEqual(truths.seasonality.crime.peakMonths);
    expect(truths.seasonality.crime.peakMonths).toEqual([6, 11]);
  });
});
