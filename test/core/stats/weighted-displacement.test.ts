import { describe, it, expect } from "vitest";
import { weightedDisplacementDifference } from "@community-safety/core";
import { rFixture, expectRel, expectInputError } from "./fixture.js";

interface WddCase {
  treated: [number, number];
  control: [number, number];
  displacement: [number, number];
  displacementControl: [number, number];
  timeWeights: [number, number];
  areaWeights: [number, number, number, number];
  confLevel: number;
  localEstimate: number;
  localVariance: number;
  displacementEstimate: number;
  displacementVariance: number;
  estimate: number;
  variance: number;
  se: number;
  z: number;
  pValue: number;
  lower: number;
  upper: number;
}

describe("weightedDisplacementDifference", () => {
  it("reproduces the published case: WDD −118, SE √1568, Z −2.98 (Wheeler & Ratcliffe 2018)", () => {
    const w = weightedDisplacementDifference({
      control: [308, 318],
      treated: [207, 110],
      displacementControl: [150, 140],
      displacement: [178, 157],
    });
    // ΔT − ΔC + ΔD − ΔDC = (110 − 207) − (318 − 308) + (157 − 178) − (140 − 150) = −118.
    expect(w.estimate).toBe(-118);
    // Var = sum of the eight counts.
    expect(w.variance).toBe(1568);
    expect(w.se).toBe(Math.sqrt(1568));
    expect(w.z).toBeCloseTo(-2.98, 2);
    expect(w.local.estimate).toBe(-107);
    expect(w.displacement.estimate).toBe(-11);
  });

  it("matches the paper's formulas evaluated in R, with time and area weights (fixture: reference.R)", () => {
    for (const c of rFixture<WddCase>("weighted-displacement")) {
      const w = weightedDisplacementDifference(
        { treated: c.treated, control: c.control, displacement: c.displacement, displacementControl: c.displacementControl },
        { timeWeights: c.timeWeights, areaWeights: c.areaWeights, confLevel: c.confLevel },
      );
      const label = JSON.stringify([c.treated, c.control, c.timeWeights, c.areaWeights]);
      expectRel(w.local.estimate, c.localEstimate, 1e-14, `${label} local`);
      expectRel(w.local.variance, c.localVariance, 1e-14, `${label} local var`);
      expectRel(w.displacement.estimate, c.displacementEstimate, 1e-14, `${label} disp`);
      expectRel(w.displacement.variance, c.displacementVariance, 1e-14, `${label} disp var`);
      expectRel(w.estimate, c.estimate, 1e-14, `${label} estimate`);
      expectRel(w.se, c.se, 1e-14, `${label} se`);
      expectRel(w.z, c.z, 1e-14, `${label} z`);
      expectRel(w.pValue, c.pValue, 1e-12, `${label} p`);
      expectRel(w.lower, c.lower, 1e-12, `${label} lower`);
      expectRel(w.upper, c.upper, 1e-12, `${label} upper`);
    }
  });

  it("without displacement areas equals ptools' README example wdd(c(20,20), c(20,10)): −10 (SE 8.37), 90% CI −23.76 to 3.76", () => {
    const w = weightedDisplacementDifference({ control: [20, 20], treated: [20, 10] }, { confLevel: 0.9 });
    expect(w.estimate).toBe(-10);
    expect(w.se).toBeCloseTo(8.3666, 4);
    expect(w.z).toBeCloseTo(-1.195229, 6);
    expect(w.lower).toBeCloseTo(-23.761833, 6);
    expect(w.upper).toBeCloseTo(3.761833, 6);
    expect(w.displacement.variance).toBe(0);
  });

  it("all-zero counts give null z and p-value with a reason", () => {
    const w = weightedDisplacementDifference({ control: [0, 0], treated: [0, 0] });
    expect(w.z).toBeNull();
    expect(w.pValue).toBeNull();
    expect(w.reason).toMatch(/no variance/);
  });

  it("does not mutate its inputs", () => {
    const counts = { control: [20, 20] as [number, number], treated: [20, 10] as [number, number] };
    weightedDisplacementDifference(counts, { timeWeights: [2, 1] });
    expect(counts).toEqual({ control: [20, 20], treated: [20, 10] });
  });

  it("bad parameters throw invalid-option", () => {
    expectInputError(() => weightedDisplacementDifference({ control: [20, -1], treated: [1, 2] }), "weightedDisplacementDifference: control[1] must be a non-negative integer, got -1");
    expectInputError(() => weightedDisplacementDifference({ control: [20, 2.5], treated: [1, 2] }), "weightedDisplacementDifference: control[1] must be a non-negative integer, got 2.5");
    expectInputError(
      () => weightedDisplacementDifference({ control: [20] as unknown as [number, number], treated: [1, 2] }),
      "weightedDisplacementDifference: control must be a pair [pre, post] of counts, got [20]",
    );
    expectInputError(() => weightedDisplacementDifference({ control: [1, 1], treated: [1, 2] }, { timeWeights: [0, 1] }), "weightedDisplacementDifference: timeWeights[0] must be a positive finite number, got 0");
    expectInputError(() => weightedDisplacementDifference({ control: [1, 1], treated: [1, 2] }, { confLevel: 95 }), "weightedDisplacementDifference: confLevel must be a number strictly between 0 and 1, got 95");
  });
});
