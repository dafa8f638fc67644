import { describe, it, expect } from "vitest";
import { proportionTest, chiSquareCdf, type Alternative } from "@community-safety/core";
import { rFixture, expectRel, expectInputError } from "./fixture.js";

interface PropCase {
  x: number[];
  n: number[];
  correct: boolean;
  alternative: Alternative;
  confLevel: number;
  statistic: number | null;
  df: number;
  pValue: number | null;
  estimates: number[];
  lower: number | null;
  upper: number | null;
}

describe("proportionTest", () => {
  it("proportionTest(x, n, {correct, alternative, confLevel}) equals R's prop.test(x, n) over 80 cases (fixture: reference.R)", () => {
    for (const c of rFixture<PropCase>("proportion-test")) {
      const r = proportionTest(c.x, c.n, { correct: c.correct, alternative: c.alternative, confLevel: c.confLevel });
      const label = `prop.test(c(${c.x}), c(${c.n}), correct = ${c.correct}, "${c.alternative}", ${c.confLevel})`;
      // R gives NaN (null in the fixture) when the pooled proportion is 0 or 1.
      expectRel(r.statistic, c.statistic, 1e-12, `${label}$statistic`);
      expectRel(r.pValue, c.pValue, 1e-10, `${label}$p.value`);
      expect(r.df, label).toBe(c.df);
      c.estimates.forEach((e, i) => expectRel(r.estimates[i], e, 1e-15, `${label}$estimate[${i}]`));
      expectRel(r.lower, c.lower, 1e-12, `${label}$conf.int[1]`);
      expectRel(r.upper, c.upper, 1e-12, `${label}$conf.int[2]`);
    }
  });

  it("without correction, two groups give the 2×2 shortcut N(ad − bc)² / (r1 r2 c1 c2)", () => {
    // 86 of 524 vs 60 of 500: a = 86, b = 438, c = 60, d = 440.
    const [a, b, c, d] = [86, 438, 60, 440];
    const N = a + b + c + d;
    const x2 = (N * (a * d - b * c) ** 2) / ((a + b) * (c + d) * (a + c) * (b + d));
    const r = proportionTest([86, 60], [524, 500], { correct: false });
    expectRel(r.statistic, x2, 1e-13);
    expect(r.df).toBe(1);
    // With one df, P(χ² > x) = 2Φ(−√x).
    expectRel(r.pValue, chiSquareCdf(x2, 1, { lowerTail: false }), 1e-14);
    expect(r.correct).toBe(false);
  });

  it("three or more groups get no continuity correction and no interval", () => {
    const r = proportionTest([10, 20, 30], [100, 100, 100]);
    expect(r.correct).toBe(false);
    expect(r.df).toBe(2);
    expect(r.difference).toBeNull();
    expect(r.lower).toBeNull();
    // By hand: pooled 0.2, E = 20 and 80 per group; X² = (100 + 0 + 100)/20 + (100 + 0 + 100)/80 = 12.5.
    expectRel(r.statistic, 12.5, 1e-14);
  });

  it("all or no successes give null statistic and p-value with a reason", () => {
    const none = proportionTest([0, 0], [5, 7]);
    expect(none.statistic).toBeNull();
    expect(none.pValue).toBeNull();
    expect(none.reason).toMatch(/no successes/);
    expect(proportionTest([5, 7], [5, 7]).reason).toMatch(/every trial/);
  });

  it("does not mutate its inputs", () => {
    const x = [3, 7];
    const n = [50, 40];
    proportionTest(x, n);
    expect(x).toEqual([3, 7]);
    expect(n).toEqual([50, 40]);
  });

  it("bad parameters throw InputError", () => {
    expectInputError(() => proportionTest([3], [5]), "proportionTest: successes must be an array of at least two counts, got [3]");
    expectInputError(() => proportionTest([3, 4], [5]), "proportionTest: trials must be the same length as successes (2), got 1", "length-mismatch");
    expectInputError(() => proportionTest([3, 6], [5, 5]), "proportionTest: successes[1] must be at most trials[1] (5), got 6");
    expectInputError(() => proportionTest([0, 1], [0, 5]), "proportionTest: trials[0] must be positive, got 0");
    expectInputError(() => proportionTest([1, 1.5], [4, 5]), "proportionTest: successes[1] must be a non-negative integer, got 1.5");
    expectInputError(() => proportionTest([1, 2, 3], [4, 5, 6], { alternative: "less" }), 'proportionTest: alternative must be "two.sided" for more than two groups, got "less"');
  });
});
