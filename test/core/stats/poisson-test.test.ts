import { describe, it, expect } from "vitest";
import { poissonTest, negativeBinomialCdf, negativeBinomialQuantile, type Alternative } from "@community-safety/core";
import { rFixture, expectRel, expectInputError } from "./fixture.js";

interface OneSampleCase {
  count: number;
  expected: number;
  alternative: Alternative;
  pValue: number;
}

interface NegBinCase {
  k: number;
  size: number;
  prob: number;
  cdf: number;
  upper: number;
  q05: number;
  q50: number;
  q95: number;
  q999: number;
}

describe("poissonTest (one sample)", () => {
  it("equals R's poisson.test(x, T = 1, r = m, alternative) over 39 cases (fixture: reference.R)", () => {
    const cases = rFixture<OneSampleCase>("poisson-test");
    expect(cases.length).toBe(39);
    for (const c of cases) {
      const r = poissonTest(c.count, c.expected, { alternative: c.alternative });
      // Against an expectation of 0 R returns the logical x == 0: TRUE is a p-value of 1, FALSE of 0.
      expectRel(r.pValue, typeof c.pValue === "boolean" ? Number(c.pValue) : c.pValue, 1e-9, `poisson.test(${c.count}, r = ${c.expected}, "${c.alternative}")`);
    }
  });

  it("hand-worked: 3 against an expectation of 0.5 is P(X ≥ 3) one-sided", () => {
    // 1 − e^−0.5 (1 + 0.5 + 0.125) = 0.014387678…
    expect(poissonTest(3, 0.5, { alternative: "greater" }).pValue).toBeCloseTo(1 - Math.exp(-0.5) * 1.625, 14);
    expect(poissonTest(25, 16).ratio).toBe(1.5625);
  });

  it("rejects bad input", () => {
    expectInputError(() => poissonTest(2.5, 1), "poissonTest: count must be a non-negative integer, got 2.5");
    expectInputError(() => poissonTest(2, -1), "poissonTest: expected must be a non-negative finite number, got -1");
  });
});

describe("negative binomial", () => {
  it("equals R's pnbinom and qnbinom (fixture: reference.R)", () => {
    for (const c of rFixture<NegBinCase>("negative-binomial")) {
      const label = `(${c.k}, ${c.size}, ${c.prob})`;
      expectRel(negativeBinomialCdf(c.k, c.size, c.prob), c.cdf, 1e-10, `pnbinom${label}`);
      expectRel(negativeBinomialCdf(c.k, c.size, c.prob, { lowerTail: false }), c.upper, 1e-9, `pnbinom upper${label}`);
      expect([0.05, 0.5, 0.95, 0.999].map((p) => negativeBinomialQuantile(p, c.size, c.prob)), `qnbinom${label}`).toEqual([c.q05, c.q50, c.q95, c.q999].map((q) => q + 0)); // R writes one quantile as -0
    }
  });

  it("hand-worked: with size 1 it is geometric, P(X ≤ k) = 1 − (1 − p)^(k + 1)", () => {
    expect(negativeBinomialCdf(4, 1, 0.3)).toBeCloseTo(1 - 0.7 ** 5, 14);
  });
});
