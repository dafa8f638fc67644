import { describe, it, expect } from "vitest";
import { funnelLimits, poissonControlLimit, poissonCdf, poissonPmf, type FunnelPosition } from "@community-safety/core";
import { rFixture, expectRel, expectInputError } from "./fixture.js";

interface LimitCase {
  expected: number;
  p: number;
  spiegelhalter: number;
  chiSquare: number;
}

interface AreasCase {
  counts: number[];
  populations: number[];
  groupRate: number;
  areas: { count: number; population: number; expected: number; limits: { level: number; lower: number; upper: number; position: FunnelPosition }[] }[];
}

describe("poissonControlLimit", () => {
  it("poissonControlLimit(E, p, {method}) matches R's qpois/ppois/dpois (Spiegelhalter) and qchisq (chi-square) (fixture: reference.R)", () => {
    for (const c of rFixture<LimitCase>("funnel-control-limits")) {
      expectRel(poissonControlLimit(c.expected, c.p), c.spiegelhalter, 1e-10, `spiegelhalter(${c.expected}, ${c.p})`);
      expectRel(poissonControlLimit(c.expected, c.p, { method: "chi-square" }), c.chiSquare, 1e-10, `chisq(${c.expected}, ${c.p})`);
    }
  });

  it("Spiegelhalter's interpolation by hand for E = 10, p = 0.975", () => {
    // r = 17 is the smallest count with P(X ≤ r) ≥ 0.975 (P(X ≤ 16) = 0.9730);
    // the limit is 17 − (P(X ≤ 17) − 0.975) / P(X = 17).
    expect(poissonCdf(16, 10)).toBeLessThan(0.975);
    expect(poissonCdf(17, 10)).toBeGreaterThanOrEqual(0.975);
    expectRel(poissonControlLimit(10, 0.975), 17 - (poissonCdf(17, 10) - 0.975) / poissonPmf(17, 10), 1e-15);
  });
});

describe("funnelLimits", () => {
  it("funnelLimits(counts, populations) reproduces R's limits, expected counts and positions at 95% and 99.8% (fixture: reference.R)", () => {
    const [fx] = rFixture<AreasCase>("funnel-areas");
    // Plain Poisson limits (these made-up areas are over-dispersed: see funnel-overdispersion.test.ts).
    const f = funnelLimits(fx.counts, fx.populations, { overdispersion: "none" });
    expectRel(f.groupRate, fx.groupRate, 1e-15);
    expect(f.levels).toEqual([0.95, 0.998]);
    expect(f.areas.length).toBe(fx.areas.length);
    f.areas.forEach((a, i) => {
      const want = fx.areas[i];
      expectRel(a.expected, want.expected, 1e-14, `area ${i} expected`);
      a.limits.forEach((l, j) => {
        expectRel(l.lower, want.limits[j].lower, 1e-10, `area ${i} lower ${l.level}`);
        expectRel(l.upper, want.limits[j].upper, 1e-10, `area ${i} upper ${l.level}`);
        expect(l.position, `area ${i} at ${l.level}`).toBe(want.limits[j].position);
      });
      expect(a.position).toBe(want.limits[1].position);
    });
    const above = fx.areas.flatMap((a, i) => (a.limits[1].position === "above" ? [i] : []));
    const below = fx.areas.flatMap((a, i) => (a.limits[1].position === "below" ? [i] : []));
    expect(f.above).toEqual(above);
    expect(f.below).toEqual(below);
    expect(above.length + below.length).toBeGreaterThan(0);
  });

  it("uses the pooled rate per 1,000 by default, or a given group rate", () => {
    // 47 incidents among 6,000 people = 7.8333 per 1,000; area 0 has 30 per 2,000 = 15 per 1,000.
    const f = funnelLimits([30, 5, 12], [2000, 2500, 1500], { overdispersion: "none" });
    expectRel(f.groupRate, (47 / 6000) * 1000, 1e-15);
    expect(f.areas[0].rate).toBe(15);
    expectRel(f.areas[0].expected, (47 / 6000) * 2000, 1e-14);
    expect(f.above).toEqual([0]);
    const g = funnelLimits([30], [2000], { groupRate: 15, levels: [0.9] });
    expect(g.areas[0].expected).toBe(30);
    expect(g.areas[0].position).toBe("within");
  });

  it("empty input gives no areas and a null group rate", () => {
    const f = funnelLimits([], []);
    expect(f.areas).toEqual([]);
    expect(f.groupRate).toBeNull();
  });

  it("bad parameters throw InputError", () => {
    expectInputError(() => funnelLimits([1, 2], [100]), "funnelLimits: populations must be the same length as counts (2), got 1", "length-mismatch");
    expectInputError(() => funnelLimits([1, -2], [100, 100]), "funnelLimits: counts[1] must be a non-negative integer, got -2");
    expectInputError(() => funnelLimits([1, 2], [100, 0]), "funnelLimits: populations[1] must be a positive finite number, got 0");
    expectInputError(() => funnelLimits([1], [100], { levels: [0.95, 1] }), "funnelLimits: levels must be numbers strictly between 0 and 1, got [0.95,1]");
    expectInputError(() => funnelLimits([1], [100], { per: 0 }), "funnelLimits: per must be a positive finite number, got 0");
    expectInputError(() => poissonControlLimit(-1, 0.5), "poissonControlLimit: expected must be a non-negative finite number, got -1");
    expectInputError(() => poissonControlLimit(3, 1), "poissonControlLimit: p must be a probability strictly between 0 and 1, got 1");
  });
});
