import { describe, it, expect } from "vitest";
import { poissonETest, type Alternative } from "@community-safety/core";
import { rFixture, expectRel, expectInputError } from "./fixture.js";

interface ECase {
  k1: number;
  k2: number;
  exposures: [number, number];
  alternative: Alternative;
  statistic: number;
  pValue: number;
}

describe("poissonETest", () => {
  it("reproduces the published p-values (two-sided, equal exposures) to their printed decimals", () => {
    // Krishnamoorthy & Thomson (2004) examples and Wheeler (2018), as quoted in issue 3.
    expect(poissonETest(0, 3).pValue).toBeCloseTo(0.0884, 4);
    expect(poissonETest(6, 2).pValue).toBeCloseTo(0.1749, 4);
    expect(poissonETest(25, 16).pValue).toBeCloseTo(0.1648, 4);
    // ptools' README prints e_test(6, 2) as 0.1748748.
    expect(poissonETest(6, 2).pValue).toBeCloseTo(0.1748748, 7);
  });

  it("matches scipy.stats.poisson_means_test (scipy 1.10.1) where the conventions coincide", () => {
    // Values printed by scipy (an independent implementation of eq. 3.5; it drops Poisson
    // mass below its 1e-10 quantile, hence the 1e-8 tolerance). Cases chosen without exact
    // ties and where the (0, 0) cell does not count, as scipy leaves T(0, 0) undefined.
    const scipy: [number, number, number, number, number][] = [
      [0, 3, 100, 100, 0.08837900929018157], // the docstring example
      [6, 2, 1, 1, 0.1748748209437075],
      [25, 16, 1, 1, 0.1647963178547279],
      [20, 10, 1, 1, 0.06883178210810925],
      [7, 15, 1.5, 4, 0.664500531691339],
      [12, 1, 1, 3, 0.01073393966501735],
      [500, 560, 1, 1.2, 0.26364260218068325],
    ];
    for (const [k1, k2, n1, n2, p] of scipy) expectRel(poissonETest(k1, k2, { exposures: [n1, n2] }).pValue, p, 1e-8, `E(${k1}, ${k2}, ${n1}, ${n2})`);
  });

  it("poissonETest(k1, k2, {exposures, alternative}) matches a brute-force double sum in R over 57 cases (fixture: reference.R)", () => {
    for (const c of rFixture<ECase>("poisson-e-test")) {
      const r = poissonETest(c.k1, c.k2, { exposures: c.exposures, alternative: c.alternative });
      const label = `E(${c.k1}, ${c.k2}, ${c.exposures}, ${c.alternative})`;
      expectRel(r.statistic, c.statistic, 1e-14, `${label} statistic`);
      expectRel(r.pValue, c.pValue, 1e-9, `${label} p`);
    }
  });

  it("is symmetric in the two counts (two-sided) and invariant to a common exposure scale", () => {
    expect(poissonETest(2, 6).pValue).toBe(poissonETest(6, 2).pValue);
    expectRel(poissonETest(0, 3, { exposures: [100, 100] }).pValue, poissonETest(0, 3).pValue as number, 1e-12);
    // One-sided halves: "greater" for (6, 2) equals "less" for (2, 6).
    expectRel(poissonETest(6, 2, { alternative: "greater" }).pValue, poissonETest(2, 6, { alternative: "less" }).pValue as number, 1e-12);
  });

  it("equal rates give p = 1 (two-sided); large counts (5000 vs 5200) are quick", () => {
    expect(poissonETest(10, 5, { exposures: [2, 1] }).pValue).toBe(1);
    const t0 = performance.now();
    const r = poissonETest(5000, 5200);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(r.pValue).toBeGreaterThan(0.04);
    expect(r.pValue).toBeLessThan(0.05);
  });

  it("poissonETest(0, 0) is null with a reason", () => {
    const r = poissonETest(0, 0);
    expect(r.pValue).toBeNull();
    expect(r.statistic).toBeNull();
    expect(r.reason).toMatch(/both counts are zero/);
  });

  it("bad parameters throw invalid-option", () => {
    expectInputError(() => poissonETest(-2, 3), "poissonETest: count1 must be a non-negative integer, got -2");
    expectInputError(() => poissonETest(2, 0.5), "poissonETest: count2 must be a non-negative integer, got 0.5");
    expectInputError(() => poissonETest(2, 3, { exposures: [1, 0] }), "poissonETest: exposures[1] must be a positive finite number, got 0");
    expectInputError(() => poissonETest(2, 3, { alternative: "up" as Alternative }), 'poissonETest: alternative must be one of "two.sided", "less", "greater", got "up"');
  });
});
