import { describe, it, expect } from "vitest";
import { poissonInterval, poissonCdf, type Alternative } from "@community-safety/core";
import { rFixture, expectRel, expectInputError } from "./fixture.js";

interface IntervalCase {
  x: number;
  exposure: number;
  confLevel: number;
  alternative: Alternative;
  estimate: number;
  lower: number;
  upper: number;
}

describe("poissonInterval", () => {
  it("poissonInterval(x, {exposure, confLevel, alternative}) equals R's poisson.test(x, T)$conf.int over 216 cases (fixture: reference.R)", () => {
    for (const c of rFixture<IntervalCase>("poisson-interval")) {
      const r = poissonInterval(c.x, { exposure: c.exposure, confLevel: c.confLevel, alternative: c.alternative });
      const label = `poisson.test(${c.x}, ${c.exposure}, conf.level = ${c.confLevel}, "${c.alternative}")`;
      expectRel(r.estimate, c.estimate, 1e-15, `${label}$estimate`);
      expectRel(r.lower, c.lower, 1e-10, `${label}$conf.int[1]`);
      expectRel(r.upper, c.upper, 1e-10, `${label}$conf.int[2]`);
    }
  });

  it("the limits are where the Poisson tails equal α/2 (Garwood's definition)", () => {
    // P(X ≥ 10 | lower) = 0.025 and P(X ≤ 10 | upper) = 0.025.
    const r = poissonInterval(10);
    expectRel(poissonCdf(9, r.lower, { lowerTail: false }), 0.025, 1e-12);
    expectRel(poissonCdf(10, r.upper), 0.025, 1e-12);
  });

  it("a zero count gives [0, −ln(α/2)] and `per` scales rates (86 per 524.5 people → per 1,000)", () => {
    const zero = poissonInterval(0);
    expect(zero.lower).toBe(0);
    expectRel(zero.upper, -Math.log(0.025), 1e-14);
    const plain = poissonInterval(86, { exposure: 524.5 });
    const per1000 = poissonInterval(86, { exposure: 524.5, per: 1000 });
    expectRel(per1000.estimate, (86 / 524.5) * 1000, 1e-15);
    expectRel(per1000.lower, plain.lower * 1000, 1e-15);
    expectRel(per1000.upper, plain.upper * 1000, 1e-15);
  });

  it("bad parameters throw invalid-option", () => {
    expectInputError(() => poissonInterval(-1), "poissonInterval: count must be a non-negative integer, got -1");
    expectInputError(() => poissonInterval(3, { exposure: 0 }), "poissonInterval: exposure must be a positive finite number, got 0");
    expectInputError(() => poissonInterval(3, { confLevel: 1.5 }), "poissonInterval: confLevel must be a number strictly between 0 and 1, got 1.5");
    expectInputError(() => poissonInterval(3, { per: -1000 }), "poissonInterval: per must be a positive finite number, got -1000");
  });
});
