import { describe, it, expect } from "vitest";
import { binomialTest, type Alternative } from "@community-safety/core";
import { rFixture, expectRel, expectInputError } from "./fixture.js";

interface BinomCase {
  x: number;
  n: number;
  p: number;
  alternative: Alternative;
  confLevel: number;
  pValue: number;
  estimate: number;
  lower: number;
  upper: number;
}

describe("binomialTest", () => {
  it("binomialTest(x, n, {p, alternative, confLevel}) equals R's binom.test over 240 cases (fixture: reference.R)", () => {
    for (const c of rFixture<BinomCase>("binomial-test")) {
      const r = binomialTest(c.x, c.n, { p: c.p, alternative: c.alternative, confLevel: c.confLevel });
      const label = `binom.test(${c.x}, ${c.n}, ${c.p}, "${c.alternative}", ${c.confLevel})`;
      expectRel(r.pValue, c.pValue, 1e-9, `${label}$p.value`);
      expectRel(r.estimate, c.estimate, 1e-15, `${label}$estimate`);
      expectRel(r.lower, c.lower, 1e-9, `${label}$conf.int[1]`);
      expectRel(r.upper, c.upper, 1e-9, `${label}$conf.int[2]`);
    }
  });

  it("binomialTest(x, n) by hand: 0 of 4 at p = ½ is 2 × (1/16); the lower limit is 0", () => {
    // P(X = 0) = P(X = 4) = 1/16; both are the only outcomes as unlikely: two-sided p = 1/8.
    const r = binomialTest(0, 4);
    expectRel(r.pValue, 1 / 8, 1e-14);
    expect(r.lower).toBe(0);
    // Clopper–Pearson upper for x = 0: 1 − (α/2)^(1/n) = 1 − 0.025^(1/4).
    expectRel(r.upper, 1 - Math.pow(0.025, 0.25), 1e-13);
  });

  it("binomialTest(x, 0) has null statistics with a reason", () => {
    const r = binomialTest(0, 0);
    expect(r.pValue).toBeNull();
    expect(r.estimate).toBeNull();
    expect(r.lower).toBeNull();
    expect(r.reason).toMatch(/no trials/);
  });

  it("bad parameters throw invalid-option", () => {
    const calls: [() => unknown, string][] = [
      [() => binomialTest(-1, 4), "binomialTest: successes must be a non-negative integer, got -1"],
      [() => binomialTest(1.5, 4), "binomialTest: successes must be a non-negative integer, got 1.5"],
      [() => binomialTest(5, 4), "binomialTest: successes must be at most trials (4), got 5"],
      [() => binomialTest(1, 4, { p: 1.2 }), "binomialTest: p must be a probability in [0, 1], got 1.2"],
      [() => binomialTest(1, 4, { confLevel: 1 }), "binomialTest: confLevel must be a number strictly between 0 and 1, got 1"],
      [() => binomialTest(1, 4, { alternative: "two-sided" as Alternative }), 'binomialTest: alternative must be one of "two.sided", "less", "greater", got "two-sided"'],
    ];
    for (const [call, message] of calls) expectInputError(call, message);
  });
});
