import { describe, it, expect } from "vitest";
import { IncidentTableBuilder, PRECISION, clockFor, comparePrevious, declaredCoverage, syntheticBorough, InputError, type IncidentTable } from "@community-safety/core";

// Burglary in March 2019, 2020, 2021: 10, 14, 30. Robbery: 16, 15, 5. The extract is declared
// to hold the three Marches (the records fall on days 1–28 only).
function table(): IncidentTable {
  const clock = clockFor("Europe/London");
  const b = new IncidentTableBuilder("Europe/London", "EPSG:27700");
  const add = (cat: string, year: number, n: number) => {
    for (let k = 0; k < n; ++k) {
      const i = b.addRow();
      b.dict.category.set(i, cat);
      b.start[i] = clock.fromLocal(year, 3, 1 + (k % 28), 9, 0);
      b.end[i] = b.start[i] + 1;
      b.precision[i] = PRECISION.minute;
    }
  };
  add("burglary", 2019, 10);
  add("burglary", 2020, 14);
  add("burglary", 2021, 30);
  add("robbery", 2019, 16);
  add("robbery", 2020, 15);
  add("robbery", 2021, 5);
  for (const y of [2019, 2020, 2021]) b.coverage.push(declaredCoverage(`${y}-03`));
  return b.finish();
}

describe("comparePrevious", () => {
  it("comparePrevious(table, month, {years: 2}) tests against the pooled earlier years as R's poisson.test", () => {
    const result = comparePrevious(table(), "2021-03", { years: 2 });
    expect(result.previous.map((p) => p.key)).toEqual(["2019-03", "2020-03"]);
    const burglary = result.rows.find((r) => r.category === "burglary")!;
    expect(burglary).toMatchObject({ current: 30, previous: [10, 14], average: 12, percentFromAverage: 1.5, highest: true, lowest: false, rankHighest: 1, significant: true });
    // R 4.2.2: poisson.test(c(30, 24), c(t, 2 * t)), t = 743/24 days (every London March has 743 hours).
    expect(burglary.pValue).toBeCloseTo(0.0008072712803901933, 14);
    expect(burglary.rateRatio).toBeCloseTo(2.5, 12);
    expect(burglary.lower).toBeCloseTo(1.4129711938234766, 10);
    expect(burglary.upper).toBeCloseTo(4.4683790588499308, 10);
    expect(burglary.sentence).toBe("Burglary in 2021-03 (30) was the highest in 3 years, 150.0% above the average of the previous 2 years (12); this is statistically significant (p < 0.001).");
    const robbery = result.rows.find((r) => r.category === "robbery")!;
    // R: poisson.test(c(5, 31), c(t, 2 * t))
    expect(robbery.pValue).toBeCloseTo(0.012560218045056491, 14);
    expect(robbery).toMatchObject({ lowest: true, highest: false, rankHighest: 3, average: 15.5 });
    expect(robbery.sentence).toBe("Robbery in 2021-03 (5) was the lowest in 3 years, 67.7% below the average of the previous 2 years (15.5); this is statistically significant (p = 0.01).");
  });

  it("recovers the synthetic borough's planted burglary fall (−10% a year) as the lowest in three years", () => {
    const { table: t, truths } = syntheticBorough({ seed: 1 });
    const [, , last] = truths.months.financialYears;
    const burglary = comparePrevious(t, last, { years: 2, categories: ["burglary"] }).rows[0];
    expect(truths.trend).toMatchObject({ category: "burglary", annualChange: -0.1 });
    expect(burglary.lowest).toBe(true);
    // Independent expectation from the documented Poisson means (truths.meanCounts; repeats add
    // about the same share each year, so they cancel in the ratio): current per-day rate over the
    // pooled per-day rate of the two earlier years (2019/20 has 366 days).
    const [m0, m1, m2] = truths.meanCounts["police-recorded-crime/burglary"];
    const expected = m2 / 365 / ((m0 + m1) / (366 + 365));
    // 3 SD of a log rate ratio: sqrt(1/current + 1/sum(previous)).
    const sd = Math.sqrt(1 / burglary.current + 1 / (burglary.previous as number[]).reduce((a, b) => a + b, 0));
    expect(Math.abs(Math.log(burglary.rateRatio!) - Math.log(expected))).toBeLessThan(3 * sd);
    expect(burglary.significant).toBe(true);
  });

  it("validates options", () => {
    expect(() => comparePrevious(table(), "2021-03", { years: 0 })).toThrow("comparePrevious: years must be an integer from 1 to 50, got 0");
    expect(() => comparePrevious(table(), "2021-03", { alpha: 0 })).toThrow(InputError);
  });
});
