import { describe, it, expect } from "vitest";
import { poissonZ, type Alternative } from "@community-safety/core";
import { rFixture, expectRel, expectInputError } from "./fixture.js";

interface ZCase {
  current: number;
  historical: number;
  alternative: Alternative;
  statistic: number;
  pValue: number;
}

describe("poissonZ", () => {
  it("poissonZ(25, 16) is the published Z = 2.0 (Wheeler 2018: 2(√25 − √16) = 2(5 − 4))", () => {
    const r = poissonZ(25, 16);
    expect(r.statistic).toBe(2);
    // 2Φ(−2) = 0.0455 (normal table).
    expect(r.pValue).toBeCloseTo(0.0455, 4);
    expect(poissonZ(16, 25).statistic).toBe(-2);
  });

  it("poissonZ(current, historical, {alternative}) matches R's pnorm of 2(√x − √μ) (fixture: reference.R)", () => {
    for (const c of rFixture<ZCase>("poisson-z")) {
      const r = poissonZ(c.current, c.historical, { alternative: c.alternative });
      expectRel(r.statistic, c.statistic, 1e-14, `Z(${c.current}, ${c.historical})`);
      expectRel(r.pValue, c.pValue, 1e-12, `p(${c.current}, ${c.historical}, ${c.alternative})`);
    }
  });

  it("accepts a non-integer historical mean and a zero current count", () => {
    expectRel(poissonZ(0, 4.5).statistic, -2 * Math.sqrt(4.5), 1e-15);
    expect(poissonZ(0, 0).pValue).toBe(1);
  });

  it("bad parameters throw invalid-option", () => {
    expectInputError(() => poissonZ(2.5, 3), "poissonZ: current must be a non-negative integer, got 2.5");
    expectInputError(() => poissonZ(2, -3), "poissonZ: historical must be a non-negative finite number, got -3");
    expectInputError(() => poissonZ(2, 3, { alternative: "both" as Alternative }), 'poissonZ: alternative must be one of "two.sided", "less", "greater", got "both"');
  });
});
