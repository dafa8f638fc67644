import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { localMoran } from "@community-safety/geo";
import { distanceBandNeighbours } from "@community-safety/geo";
import { fixturePath } from "../helpers/data.js";
import { thrownInputError } from "../helpers/errors.js";

// local-stats.json: test/fixtures/geo/local-stats.R (R 4.2.2, spdep 1.2-7): localmoran(y,
// nb2listw(dnearneigh(pts, 0, 15), style = "W")) with conditional = TRUE (default) and FALSE on
// the esda six-point example, plus exact conditional-permutation p-values (combn enumeration).
const six = JSON.parse(readFileSync(fixturePath("geo", "local-stats.json"), "utf8")).six;
// charnwood-violence-500m.json: shared/oracles/localmoran.R (spdep 1.2-7 localmoran, style W,
// self excluded) on Charnwood police.uk violent crime, 500 m cells, band 750 m.
const charnwood = JSON.parse(readFileSync(fixturePath("geo", "charnwood-violence-500m.json"), "utf8"));

const SPDEP_QUADRANT: Record<string, string> = { "High-High": "HH", "Low-Low": "LL", "High-Low": "HL", "Low-High": "LH" };

function centres(g: { x0: number; y0: number; nx: number; ny: number; cell: number }) {
  const x = new Float64Array(g.nx * g.ny);
  const y = new Float64Array(g.nx * g.ny);
  for (let r = 0; r < g.ny; ++r) for (let c = 0; c < g.nx; ++c) {
    x[r * g.nx + c] = g.x0 + (c + 0.5) * g.cell;
    y[r * g.nx + c] = g.y0 + (r + 0.5) * g.cell;
  }
  return { x, y };
}

/** Largest |a − b| relative to max(1, |b|). */
const maxRelDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; ++i) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return m;
};

describe("localMoran", () => {
  const band = { x: six.x, y: six.y, distance: six.band };

  it("localMoran(y, band 15) equals spdep::localmoran (conditional moments) on the esda six-point example", () => {
    const r = localMoran(six.values, band);
    // R 4.2.2 spdep 1.2-7
    expect(maxRelDiff(r.ii, six.moranIi)).toBeLessThan(1e-14);
    expect(maxRelDiff(r.expected, six.moranE)).toBeLessThan(1e-14);
    expect(maxRelDiff(r.variance, six.moranVar)).toBeLessThan(1e-14);
    expect(maxRelDiff(r.z, six.moranZ)).toBeLessThan(1e-13);
    expect(maxRelDiff(r.p, six.moranP)).toBeLessThan(1e-13);
    expect(r.quadrant).toEqual(six.moranQuadrant.map((q: string) => SPDEP_QUADRANT[q]));
    expect(r.conditional).toBe(true);
  });

  it("conditional: false gives spdep's total-randomisation moments (Anselin 1995)", () => {
    const r = localMoran(six.values, band, { conditional: false });
    expect(maxRelDiff(r.expected, six.moranETotal)).toBeLessThan(1e-14);
    expect(maxRelDiff(r.variance, six.moranVarTotal)).toBeLessThan(1e-14);
    expect(maxRelDiff(r.z, six.moranZTotal)).toBeLessThan(1e-13);
  });

  it("equals localmoran.R on Charnwood violent crime (1,575 cells, both sets of moments, quadrants)", () => {
    const { x, y } = centres(charnwood);
    const nb = distanceBandNeighbours(x, y, charnwood.band);
    const r = localMoran(charnwood.count, nb);
    expect(maxRelDiff(r.ii, charnwood.moranIi)).toBeLessThan(1e-12);
    expect(maxRelDiff(r.expected, charnwood.moranE)).toBeLessThan(1e-12);
    expect(maxRelDiff(r.variance, charnwood.moranVar)).toBeLessThan(1e-12);
    expect(maxRelDiff(r.z, charnwood.moranZ)).toBeLessThan(1e-11);
    expect(r.quadrant).toEqual(charnwood.moranQuadrant.map((q: string) => SPDEP_QUADRANT[q]));
    const t = localMoran(charnwood.count, nb, { conditional: false });
    expect(maxRelDiff(t.expected, charnwood.moranETotal)).toBeLessThan(1e-12);
    expect(maxRelDiff(t.variance, charnwood.moranVarTotal)).toBeLessThan(1e-12);
    // global Moran's I (row-standardised, no islands) is the mean of the local I_i: moran.test's I
    let mean = 0;
    for (const v of r.ii) mean += v / r.n;
    expect(mean).toBeCloseTo(charnwood.globalMoranI, 12);
  });

  it("pSim converges to the exact conditional-permutation p-values", () => {
    const R = 9999;
    const ex = six.moranExact;
    for (const [alternative, key] of [["two.sided", "twoSided"], ["greater", "greater"], ["less", "less"], ["folded", "folded"]] as const) {
      const r = localMoran(six.values, band, { permutations: R, seed: 3, alternative });
      ex[key].forEach((p: number, i: number) => {
        if (alternative === "folded" && ex.foldedMargin[i] < 0.1) return; // see local-stats.R
        const share = alternative === "two.sided" ? Math.min(ex.greater[i], ex.less[i]) : p;
        const se = (alternative === "two.sided" ? 2 : 1) * Math.sqrt(Math.max(share * (1 - share), 1e-4) / R);
        expect(Math.abs(r.pSim![i] - p)).toBeLessThan(4.5 * se + 2 / (R + 1));
      });
    }
  });

  it("quadrants follow the TSDoc example and x = mean counts as Low (spdep's cut)", () => {
    expect(localMoran([1, 2, 3, 10], { x: [0, 100, 200, 300], y: [0, 0, 0, 0], distance: 100 }).quadrant).toEqual(["LL", "LL", "LH", "HL"]);
    // mean 2: cell 1 has x = mean → L
    expect(localMoran([1, 2, 3], { x: [0, 100, 200], y: [0, 0, 0], distance: 100 }).quadrant[1][0]).toBe("L");
  });

  it("a cell without neighbours has I = 0 and z = NaN, with a reason; pSim NaN there", () => {
    const r = localMoran([1, 5, 2, 9], { x: [0, 100, 200, 5000], y: [0, 0, 0, 0], distance: 100 }, { permutations: 19 });
    expect(r.ii[3]).toBe(0);
    expect(Number.isNaN(r.z[3])).toBe(true);
    expect(Number.isNaN(r.pSim![3])).toBe(true);
    expect(r.neighbourCount[3]).toBe(0);
    expect(r.reason).toMatch(/1 cell/);
    const flat = localMoran([2, 2, 2], { x: [0, 100, 200], y: [0, 0, 0], distance: 100 });
    expect(flat.reason).toMatch(/all values are equal/);
  });

  it("ignores the cell itself in a prebuilt list, and does not change its inputs", () => {
    const plain = localMoran(six.values, distanceBandNeighbours(six.x, six.y, 15));
    const values = new Float64Array(six.values);
    const self = localMoran(values, distanceBandNeighbours(six.x, six.y, 15, { includeSelf: true }));
    expect(Array.from(self.z)).toEqual(Array.from(plain.z));
    expect(Array.from(values)).toEqual(six.values);
  });

  it("throws InputError with a code for bad input", () => {
    expect(thrownInputError(() => localMoran([1, 2, Number.POSITIVE_INFINITY, 4, 5, 6], band)).code).toBe("invalid-input");
    expect(thrownInputError(() => localMoran([1, 2], band)).code).toBe("length-mismatch");
    expect(thrownInputError(() => localMoran(six.values, band, { conditional: "yes" as never })).message).toBe(
      'localMoran: conditional must be a boolean, got "yes"',
    );
    expect(thrownInputError(() => localMoran(six.values, band, { permutations: -1 })).code).toBe("invalid-option");
  });
});
