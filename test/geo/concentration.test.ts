/**
 * concentration: Gini against the shared R oracle (oracles/counts.R), the generalised Gini of
 * Bernasco & Steenbeek (2017) against the published value and the lorenzgini formula,
 * the Lorenz curve and the share convention (test/fixtures/geo/concentration.R → concentration.json).
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { concentration } from "@community-safety/geo";
import { fixturePath } from "../helpers/data.js";
import { thrownCodeAndMessage as thrown } from "../helpers/errors.js";

interface Case {
  name: string;
  counts: number[];
  gini: number;
  giniUnbiased: number;
  generalisedGini: number;
  generalisedGiniUnbiased: number | null;
  lorenz: number[];
  shares: { incidentShare: number; units: number; unitShare: number; heldShare: number }[];
}
const R = JSON.parse(readFileSync(fixturePath("geo", "concentration.json"), "utf8")) as { cases: Case[] };

describe("concentration", () => {
  it("concentration([5, 2, 1, 0 × 7]) gives G = 0.8 and the generalised G′ = 0.75", () => {
    // Published in the issue and in lorenzgini's documentation: gini(c(5,2,1,0,0,rep(0,5)), unbiased = FALSE) 0.8 / 0.75.
    const c = concentration([5, 2, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(c.gini).toBeCloseTo(0.8, 14);
    expect(c.generalisedGini).toBeCloseTo(0.75, 14);
    // By hand: units 10, incidents 8; the top street holds 5/8 ≥ 25% and ≥ 50%.
    expect([c.units, c.incidents, c.unitsWithIncidents]).toEqual([10, 8, 3]);
    expect(c.shares).toEqual([
      { incidentShare: 0.25, units: 1, unitShare: 0.1, heldShare: 0.625 },
      { incidentShare: 0.5, units: 1, unitShare: 0.1, heldShare: 0.625 },
    ]);
    expect(c.reason).toBeNull();
  });

  it("concentration matches R (counts.R Gini, lorenzgini's generalised Gini, Lorenz curve, shares) on every case", () => {
    expect(R.cases.length).toBe(8);
    for (const cs of R.cases) {
      // R 4.2.2: test/fixtures/geo/concentration.R (15 significant digits in the JSON).
      const c = concentration(cs.counts);
      expect(c.gini, cs.name).toBeCloseTo(cs.gini, 12);
      expect(c.giniUnbiased, cs.name).toBeCloseTo(cs.giniUnbiased, 12);
      expect(c.generalisedGini, cs.name).toBeCloseTo(cs.generalisedGini, 12);
      if (cs.generalisedGiniUnbiased === null) expect(c.generalisedGiniUnbiased).toBeNull();
      else expect(c.generalisedGiniUnbiased, cs.name).toBeCloseTo(cs.generalisedGiniUnbiased, 12);
      expect(c.lorenz!.incidents.length).toBe(cs.lorenz.length);
      cs.lorenz.forEach((v, k) => expect(c.lorenz!.incidents[k]).toBeCloseTo(v, 12));
      expect(c.lorenz!.units[cs.counts.length]).toBe(1);
      for (const [k, s] of cs.shares.entries()) {
        expect(c.shares[k].units, cs.name).toBe(s.units);
        expect(c.shares[k].unitShare).toBeCloseTo(s.unitShare, 12);
        expect(c.shares[k].heldShare).toBeCloseTo(s.heldShare, 12);
      }
    }
  });

  it("concentration's generalised Gini is 0 when sparse incidents are as spread as they can be", () => {
    // By hand: 8 incidents one per unit over 10 units — G = 0.2 (Σ i·x(i) = 52; 2·52/80 − 1.1), G′ = 1.25·(0.2 − 1) + 1 = 0.
    const c = concentration([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
    expect(c.gini).toBeCloseTo(0.2, 14);
    expect(c.generalisedGini).toBeCloseTo(0, 14);
    // Counting from the top: 2 units reach 25% (2/8), 4 units reach 50%.
    expect(c.shares.map((s) => s.units)).toEqual([2, 4]);
  });

  it("concentration accepts typed arrays and custom shares, and the order of units does not matter", () => {
    const a = concentration(Float64Array.from([0, 7, 1, 2, 0, 5]), { shares: [0.1, 0.9, 1] });
    const b = concentration([7, 5, 2, 1, 0, 0], { shares: [0.1, 0.9, 1] });
    expect(a).toEqual(b);
    // By hand: N = 15; 10% → 1 unit (7); 90% (13.5) → 3 units (14); 100% → 4 units.
    expect(a.shares.map((s) => s.units)).toEqual([1, 3, 4]);
  });

  it("concentration without units or incidents gives nulls with a reason", () => {
    const empty = concentration([]);
    expect([empty.gini, empty.generalisedGini, empty.lorenz, empty.shares[0].units]).toEqual([null, null, null, null]);
    expect(empty.reason).toBe("no units: concentration is undefined");
    const zeros = concentration([0, 0, 0]);
    expect([zeros.units, zeros.incidents, zeros.gini]).toEqual([3, 0, null]);
    expect(zeros.reason).toBe("no incidents: concentration is undefined");
    const one = concentration([4]);
    expect([one.gini, one.giniUnbiased, one.generalisedGiniUnbiased]).toEqual([0, null, null]);
  });

  it("concentration validates counts and shares", () => {
    expect(thrown(() => concentration([1, -1]))).toEqual(["invalid-option", "concentration: counts[1] must be a non-negative finite number, got -1"]);
    expect(thrown(() => concentration([1, NaN]))?.[1]).toBe("concentration: counts[1] must be a non-negative finite number, got null");
    expect(thrown(() => concentration([1, Infinity]))?.[0]).toBe("invalid-option");
    expect(thrown(() => concentration([1], { shares: [0] }))).toEqual(["invalid-option", "concentration: shares must be a list of shares in (0, 1], got [0]"]);
    expect(thrown(() => concentration("12" as never))?.[0]).toBe("invalid-option");
  });

  it("concentration does not modify its input", () => {
    const counts = [3, 0, 9, 1];
    concentration(counts);
    expect(counts).toEqual([3, 0, 9, 1]);
  });
});
