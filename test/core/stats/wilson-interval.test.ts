import { describe, it, expect } from "vitest";
import { wilsonInterval } from "@community-safety/core";
import { rFixture, expectRel, expectInputError } from "./fixture.js";

interface WilsonCase {
  x: number;
  n: number;
  confLevel: number;
  correct: boolean;
  estimate: number;
  lower: number;
  upper: number;
}

describe("wilsonInterval", () => {
  it("wilsonInterval(86, 524) is 16.4% with the Wilson 95% interval 13.5% to 19.8%", () => {
    const r = wilsonInterval(86, 524);
    expect(r.estimate).toBeCloseTo(0.164, 3);
    // Independent check: Wilson limits are the roots π of (p̂ − π)² = z²π(1 − π)/n.
    const z = 1.959963984540054;
    const phat = 86 / 524;
    for (const pi of [r.lower as number, r.upper as number]) {
      expect(Math.abs((phat - pi) ** 2 - (z * z * pi * (1 - pi)) / 524)).toBeLessThan(1e-15);
    }
    expect(r.lower).toBeCloseTo(0.1349, 4);
    expect(r.upper).toBeCloseTo(0.1983, 4);
  });

  it("wilsonInterval(x, n, {confLevel, correct}) equals R's prop.test(x, n, correct)$conf.int over 60 cases (fixture: reference.R)", () => {
    for (const c of rFixture<WilsonCase>("wilson-interval")) {
      const r = wilsonInterval(c.x, c.n, { confLevel: c.confLevel, correct: c.correct });
      const label = `prop.test(${c.x}, ${c.n}, correct = ${c.correct}, conf.level = ${c.confLevel})`;
      expectRel(r.estimate, c.estimate, 1e-15, `${label}$estimate`);
      expectRel(r.lower, c.lower, 1e-12, `${label}$conf.int[1]`);
      expectRel(r.upper, c.upper, 1e-12, `${label}$conf.int[2]`);
    }
  });

  it("the continuity-corrected interval is wider, except at x = n/2 where R's correction vanishes", () => {
    const plain = wilsonInterval(3, 7);
    const corrected = wilsonInterval(3, 7, { correct: true });
    expect(corrected.lower as number).toBeLessThan(plain.lower as number);
    expect(corrected.upper as number).toBeGreaterThan(plain.upper as number);
    expect(wilsonInterval(5, 10, { correct: true }).lower).toBe(wilsonInterval(5, 10).lower);
  });

  it("wilsonInterval(0, 0) is null with a reason", () => {
    const r = wilsonInterval(0, 0);
    expect(r.estimate).toBeNull();
    expect(r.lower).toBeNull();
    expect(r.reason).toMatch(/no trials/);
  });

  it("bad parameters throw invalid-option", () => {
    expectInputError(() => wilsonInterval(5, 4), "wilsonInterval: successes must be at most trials (4), got 5");
    expectInputError(() => wilsonInterval(-1, 4), "wilsonInterval: successes must be a non-negative integer, got -1");
    expectInputError(() => wilsonInterval(1, 4.2), "wilsonInterval: trials must be a non-negative integer, got 4.2");
    expectInputError(() => wilsonInterval(1, 4, { confLevel: -0.5 }), "wilsonInterval: confLevel must be a number strictly between 0 and 1, got -0.5");
  });
});
