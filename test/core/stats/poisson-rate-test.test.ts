import { describe, it, expect } from "vitest";
import { poissonRateTest, seededRandom, type Alternative } from "@community-safety/core";
import { rFixture, expectRel, expectInputError } from "./fixture.js";

interface RateCase {
  x: [number, number];
  exposures: [number, number];
  ratio: number;
  alternative: Alternative;
  confLevel: number;
  pValue: number;
  estimate: number;
  lower: number;
  upper: number;
  expectedCount1: number;
}

describe("poissonRateTest", () => {
  it("poissonRateTest(a, b, {exposures, ratio, alternative, confLevel}) equals R's poisson.test(c(a, b), c(t1, t2)) over 312 cases (fixture: reference.R)", () => {
    for (const c of rFixture<RateCase>("poisson-rate-test")) {
      const r = poissonRateTest(c.x[0], c.x[1], { exposures: c.exposures, ratio: c.ratio, alternative: c.alternative, confLevel: c.confLevel });
      const label = `poisson.test(c(${c.x}), c(${c.exposures}), r = ${c.ratio}, "${c.alternative}", ${c.confLevel})`;
      expectRel(r.pValue, c.pValue, 1e-9, `${label}$p.value`);
      // R's estimate is Inf when the second count is 0; ours is null with a reason.
      if (c.estimate === Infinity) {
        expect(r.rateRatio, label).toBeNull();
        expect(r.reason).toMatch(/infinite/);
      } else expectRel(r.rateRatio, c.estimate, 1e-14, `${label}$estimate`);
      expectRel(r.lower, c.lower, 1e-9, `${label}$conf.int[1]`);
      expectRel(r.upper, c.upper, 1e-9, `${label}$conf.int[2]`);
      // R's "expected count1" uses T1 + r·T2 in its denominator; it agrees with n·π only at r = 1.
      if (c.ratio === 1) expectRel(r.expectedCount1, c.expectedCount1, 1e-14, `${label}$parameter`);
    }
  });

  it("poissonRateTest(25, 16) by hand: the conditional binomial(41, ½) two-sided tail", () => {
    // Two-sided p = 2 P(X ≥ 25 | X ~ Bin(41, ½)) by symmetry = 2 Σ_{k≥25} C(41, k) / 2^41,
    // summed here with BigInt binomial coefficients.
    let num = 0n;
    let coef = 1n; // C(41, 0)
    for (let k = 0; k <= 41; ++k) {
      if (k >= 25) num += coef;
      coef = (coef * BigInt(41 - k)) / BigInt(k + 1);
    }
    const expected = (2 * Number(num)) / 2 ** 41;
    const r = poissonRateTest(25, 16);
    expectRel(r.pValue, expected, 1e-13);
    expect(r.rateRatio).toBe(25 / 16);
    expect(r.expectedCount1).toBe(20.5);
  });

  it("poissonRateTest(a, b, {exposures}) compares rates: 30 in 12 months vs 10 in 6 months is a ratio of 1.5", () => {
    const r = poissonRateTest(30, 10, { exposures: [12, 6] });
    expect(r.rate1).toBe(2.5);
    expect(r.rate2).toBeCloseTo(10 / 6, 15);
    expect(r.rateRatio).toBeCloseTo(1.5, 14);
  });

  it("poissonRateTest(0, 0) has null p-value and interval with a reason", () => {
    const r = poissonRateTest(0, 0);
    expect(r.pValue).toBeNull();
    expect(r.lower).toBeNull();
    expect(r.upper).toBeNull();
    expect(r.rateRatio).toBeNull();
    expect(r.reason).toMatch(/both counts are zero/);
  });

  it("poissonRateTest(a, 0) gives an infinite upper limit and a null ratio", () => {
    const r = poissonRateTest(4, 0);
    expect(r.upper).toBe(Infinity);
    expect(r.rateRatio).toBeNull();
    // P(all 4 in the first of two equal halves) = 2 × (½)^4 two-sided.
    expectRel(r.pValue, 0.125, 1e-14);
  });

  it("is conservative: over 2,000 seeded no-change series it rejects at 5% no more than nominal", () => {
    // Equal true rates, so H0 holds; the exact conditional test's size is at most α, so the
    // rejection rate should be ≤ 0.05 up to sampling error (3 SE of a proportion of 2,000).
    const rng = seededRandom(20240531);
    const draws = 2000;
    const limit = 0.05 + 3 * Math.sqrt((0.05 * 0.95) / draws);
    for (const [mean, exposures] of [
      [8, [1, 1]],
      [30, [1, 1]],
      [5, [12, 7]],
    ] as [number, [number, number]][]) {
      let rejections = 0;
      for (let i = 0; i < draws; ++i) {
        const a = rng.poisson(mean * exposures[0]);
        const b = rng.poisson(mean * exposures[1]);
        const p = poissonRateTest(a, b, { exposures }).pValue;
        if (p !== null && p <= 0.05) rejections += 1;
      }
      const rate = rejections / draws;
      expect(rate, `mean ${mean}, exposures ${exposures}`).toBeLessThanOrEqual(limit);
      expect(rate, `mean ${mean}: the test still rejects sometimes`).toBeGreaterThan(0.01);
    }
  });

  it("does not mutate the exposures array", () => {
    const exposures: [number, number] = [2, 3];
    poissonRateTest(5, 7, { exposures });
    expect(exposures).toEqual([2, 3]);
  });

  it("bad parameters throw invalid-option", () => {
    expectInputError(() => poissonRateTest(-1, 3), "poissonRateTest: count1 must be a non-negative integer, got -1");
    expectInputError(() => poissonRateTest(2, 3.5), "poissonRateTest: count2 must be a non-negative integer, got 3.5");
    expectInputError(() => poissonRateTest(2, 3, { exposures: [0, 1] }), "poissonRateTest: exposures[0] must be a positive finite number, got 0");
    expectInputError(() => poissonRateTest(2, 3, { exposures: [1, -2] }), "poissonRateTest: exposures[1] must be a positive finite number, got -2");
    expectInputError(() => poissonRateTest(2, 3, { ratio: -2 }), "poissonRateTest: ratio must be a positive finite number, got -2");
    expectInputError(() => poissonRateTest(2, 3, { confLevel: 0 }), "poissonRateTest: confLevel must be a number strictly between 0 and 1, got 0");
  });
});
