import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { funnelLimits, funnelOverdispersion, type FunnelPosition } from "@community-safety/core";
import { expectRel, expectInputError } from "./fixture.js";

/** A case of test/fixtures/funnel/overdispersion.json (written by overdispersion.R beside it). */
interface OverdispersionCase {
  name: string;
  counts: number[];
  populations: number[];
  winsorise: number;
  groupRate: number;
  bounds: [number, number];
  phi: number;
  statistic: number;
  df: number;
  pValue: number;
  overdispersed: boolean;
  tau2: number;
  areas: {
    count: number;
    expected: number;
    z: number;
    zWinsorised: number;
    limits: { level: number; lower: number; upper: number; position: FunnelPosition }[];
    poissonPositions: FunnelPosition[];
  }[];
}

const cases = (JSON.parse(readFileSync(new URL("../../fixtures/funnel/overdispersion.json", import.meta.url), "utf8")) as { cases: OverdispersionCase[] }).cases;
const made = cases[0];

describe("funnelOverdispersion", () => {
  it("funnelOverdispersion(counts, expected) gives R's winsorised φ, test and τ² (Spiegelhalter 2005; fixture: test/fixtures/funnel/overdispersion.R)", () => {
    expect(cases.map((c) => c.name)).toEqual(["made-up areas, q = 0.1", "made-up areas, q = 0", "made-up areas, q = 0.2", "calm areas, q = 0.1", "Leicestershire districts, police-recorded crime 2021/22"]);
    for (const c of cases) {
      const d = funnelOverdispersion(c.counts, c.areas.map((a) => a.expected), { winsorise: c.winsorise });
      expect(d.n).toBe(c.counts.length);
      d.z.forEach((z, i) => expectRel(z, c.areas[i].z, 1e-9, `${c.name}: z[${i}]`));
      d.zWinsorised.forEach((z, i) => expectRel(z, c.areas[i].zWinsorised, 1e-9, `${c.name}: zW[${i}]`));
      expectRel(d.bounds![0], c.bounds[0], 1e-9, `${c.name}: lower bound`);
      expectRel(d.bounds![1], c.bounds[1], 1e-9, `${c.name}: upper bound`);
      expectRel(d.phi, c.phi, 1e-9, `${c.name}: phi`);
      expectRel(d.statistic, c.statistic, 1e-9, `${c.name}: I phi`);
      expect(d.df).toBe(c.df);
      expectRel(d.pValue, c.pValue, 1e-9, `${c.name}: p`);
      expect(d.overdispersed).toBe(c.overdispersed);
      expectRel(d.tau2, c.tau2, 1e-9, `${c.name}: tau2`);
    }
  });

  it("winsorises at the z-scores' 10% and 90% quantiles (linear interpolation), so only the extremes move", () => {
    // Eight z-scores: the 10% quantile lies 0.7 of the way from the lowest to the second lowest.
    const d = funnelOverdispersion(made.counts, made.areas.map((a) => a.expected));
    const z = [...d.z].sort((a, b) => a - b);
    expectRel(d.bounds![0], z[0] + 0.7 * (z[1] - z[0]), 1e-12);
    expectRel(d.bounds![1], z[6] + 0.3 * (z[7] - z[6]), 1e-12);
    expect(d.zWinsorised.filter((v, i) => v !== d.z[i]).length).toBe(2);
    // Without winsorising, φ is the plain mean square of 2(√O − √E).
    const raw = funnelOverdispersion(made.counts, made.areas.map((a) => a.expected), { winsorise: 0 });
    expectRel(raw.phi, made.counts.reduce((s, o, i) => s + (2 * (Math.sqrt(o) - Math.sqrt(made.areas[i].expected))) ** 2, 0) / 8, 1e-12);
  });

  it("gives τ² = 0 when the areas vary no more than chance (I·φ ≤ I − 1)", () => {
    const d = funnelOverdispersion([10, 10, 10], [10, 10, 10]);
    expect([d.phi, d.statistic, d.overdispersed, d.tau2]).toEqual([0, 0, false, 0]);
    expect(d.pValue).toBe(1);
    // One unit: nothing to compare with.
    expect(funnelOverdispersion([50], [10])).toMatchObject({ n: 1, df: 0, overdispersed: false, tau2: 0, pValue: null });
  });

  it("empty input gives no statistics and τ² = 0", () => {
    expect(funnelOverdispersion([], [])).toEqual({ n: 0, z: [], zWinsorised: [], bounds: null, winsorise: 0.1, phi: null, statistic: null, df: 0, pValue: null, overdispersed: false, tau2: 0 });
  });

  it("does not mutate its inputs", () => {
    const counts = [...made.counts];
    const expected = made.areas.map((a) => a.expected);
    const copy = [...expected];
    funnelOverdispersion(counts, expected);
    expect(counts).toEqual(made.counts);
    expect(expected).toEqual(copy);
  });

  it("bad parameters throw InputError", () => {
    expectInputError(() => funnelOverdispersion([1, 2], [1]), "funnelOverdispersion: expected must be the same length as counts (2), got 1", "length-mismatch");
    expectInputError(() => funnelOverdispersion([1.5], [1]), "funnelOverdispersion: counts[0] must be a non-negative integer, got 1.5");
    expectInputError(() => funnelOverdispersion([1], [0]), "funnelOverdispersion: expected[0] must be a positive finite number, got 0");
    expectInputError(() => funnelOverdispersion([1], [1], { winsorise: 0.5 }), "funnelOverdispersion: winsorise must be a share at least 0 and below 0.5, got 0.5");
  });
});

describe("funnelLimits with random effects", () => {
  it("funnelLimits(counts, populations) draws R's random-effects limits by default, and plain Poisson limits when τ² = 0 (fixture: overdispersion.R)", () => {
    for (const c of cases) {
      const f = funnelLimits(c.counts, c.populations, { winsorise: c.winsorise });
      expect(f.overdispersion).toBe("random-effects");
      expectRel(f.groupRate, c.groupRate, 1e-12, c.name);
      expectRel(f.tau2, c.tau2, 1e-9, `${c.name}: tau2`);
      expectRel(f.dispersion!.phi, c.phi, 1e-9, `${c.name}: phi`);
      f.areas.forEach((a, i) => {
        a.limits.forEach((l, j) => {
          const want = c.areas[i].limits[j];
          expectRel(l.lower, want.lower, 1e-9, `${c.name}: area ${i} lower ${l.level}`);
          expectRel(l.upper, want.upper, 1e-9, `${c.name}: area ${i} upper ${l.level}`);
          expect(l.position, `${c.name}: area ${i} at ${l.level}`).toBe(want.position);
        });
      });
      // The plain Poisson limits, for comparison.
      const p = funnelLimits(c.counts, c.populations, { overdispersion: "none" });
      expect(p.tau2).toBe(0);
      expect(p.areas.map((a) => a.limits.map((l) => l.position))).toEqual(c.areas.map((a) => a.poissonPositions));
    }
  });

  it("keeps plain Poisson limits for fewer than minAreas areas (default 5), still reporting the dispersion", () => {
    const few = funnelLimits(made.counts.slice(0, 4), made.populations.slice(0, 4));
    expect(few.dispersion!.overdispersed).toBe(true);
    expect(few.tau2).toBe(0);
    expect(few.areas.map((a) => a.limits)).toEqual(funnelLimits(made.counts.slice(0, 4), made.populations.slice(0, 4), { overdispersion: "none" }).areas.map((a) => a.limits));
    expect(funnelLimits(made.counts.slice(0, 4), made.populations.slice(0, 4), { minAreas: 4 }).tau2).toBeGreaterThan(0);
    expect(funnelLimits(made.counts, made.populations, { minAreas: 9 }).tau2).toBe(0);
    expectInputError(() => funnelLimits([1], [100], { minAreas: 1 }), "funnelLimits: minAreas must be an integer at least 2, got 1");
  });

  it("a given τ² draws the band on any populations (for a figure), and is refused with overdispersion none", () => {
    const f = funnelLimits(made.counts, made.populations);
    const band = funnelLimits([0, 0], [1000, 10000], { groupRate: f.groupRate!, tau2: f.tau2 });
    expect(band.dispersion).toBeNull();
    // By hand: 1 ± z √(1/(4E) + τ²) on the square-root scale, squared, × the group rate.
    const E = (f.groupRate! * 10000) / 1000;
    const half = 3.090232306167813 * Math.sqrt(1 / (4 * E) + f.tau2); // qnorm(0.999)
    expectRel(band.areas[1].limits[1].upper, f.groupRate! * (1 + half) ** 2, 1e-12);
    expect(band.areas[1].limits[1].lower).toBe(f.groupRate! * Math.max(0, 1 - half) ** 2);
    expectInputError(() => funnelLimits([1], [100], { overdispersion: "none", tau2: 0.1 }), 'funnelLimits: tau2 must be unset with overdispersion "none", got 0.1');
    expectInputError(() => funnelLimits([1], [100], { tau2: -1 }), "funnelLimits: tau2 must be a non-negative finite number, got -1");
    expectInputError(() => funnelLimits([1], [100], { overdispersion: "x" as never }), 'funnelLimits: overdispersion must be "random-effects" or "none", got "x"');
  });
});
