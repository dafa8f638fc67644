import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { getisOrdGiStar } from "@community-safety/geo";
import { distanceBandNeighbours } from "@community-safety/geo";
import { fixturePath } from "../helpers/data.js";
import { thrownInputError } from "../helpers/errors.js";
import { charnwoodViolencePoints } from "../fixtures/geo/charnwood-violence-grid.js";

// local-stats.json: test/fixtures/geo/local-stats.R (R 4.2.2, spdep 1.2-7) — spdep::localG with
// include.self / style "B" on the esda six-point example, and the exact conditional-permutation
// p-values of each cell by enumerating every neighbour draw (combn).
const fixture = JSON.parse(readFileSync(fixturePath("geo", "local-stats.json"), "utf8"));
const six = fixture.six;
// charnwood-violence-500m.json: test/fixtures/geo/charnwood-violence-grid.ts — shared/oracles/gistar.R
// (spdep 1.2-7 dnearneigh + include.self + nb2listw(style = "B") + localG) on Charnwood police.uk
// violent crime, 500 m BNG cells, band 750 m.
const charnwood = JSON.parse(readFileSync(fixturePath("geo", "charnwood-violence-500m.json"), "utf8"));

/** The oracle grid's cell centres (x fastest, rows from the south). */
function centres(g: { x0: number; y0: number; nx: number; ny: number; cell: number }) {
  const x = new Float64Array(g.nx * g.ny);
  const y = new Float64Array(g.nx * g.ny);
  for (let r = 0; r < g.ny; ++r) for (let c = 0; c < g.nx; ++c) {
    x[r * g.nx + c] = g.x0 + (c + 0.5) * g.cell;
    y[r * g.nx + c] = g.y0 + (r + 0.5) * g.cell;
  }
  return { x, y };
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; ++i) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe("getisOrdGiStar", () => {
  const band = { x: six.x, y: six.y, distance: six.band };

  it("getisOrdGiStar(y, band 15) reproduces the PySAL esda G_Local(star = True, transform = 'B') example", () => {
    const r = getisOrdGiStar(six.values, band);
    // esda docs (getisord.py, G_Local example): lg_star.Zs
    const esda = [-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331];
    esda.forEach((z, i) => expect(r.z[i]).toBeCloseTo(z, 8));
    // R 4.2.2 spdep 1.2-7: localG(y, nb2listw(include.self(dnearneigh(pts, 0, 15)), style = "B"))
    expect(maxAbsDiff(r.z, six.gistarZ)).toBeLessThan(1e-14);
    // R: 2 * pnorm(-abs(z))
    expect(maxAbsDiff(r.p, six.pTwoSided)).toBeLessThan(5e-15);
    expect(Array.from(r.neighbourCount)).toEqual(six.card.map((k: number) => k + 1));
    expect(r.pSim).toBeNull();
  });

  it("gives the same z for a prebuilt list with or without the cell itself", () => {
    const plain = getisOrdGiStar(six.values, distanceBandNeighbours(six.x, six.y, 15));
    const self = getisOrdGiStar(six.values, distanceBandNeighbours(six.x, six.y, 15, { includeSelf: true }));
    expect(Array.from(self.z)).toEqual(Array.from(plain.z));
  });

  it("equals gistar.R (spdep localG) on Charnwood violent crime, 500 m cells, band 750 m", () => {
    const { x, y } = centres(charnwood);
    const r = getisOrdGiStar(charnwood.count, { x, y, distance: charnwood.band });
    expect(r.n).toBe(1575);
    expect(maxAbsDiff(r.z, charnwood.gistarZ)).toBeLessThan(1e-12);
    expect(maxAbsDiff(r.p, charnwood.gistarP)).toBeLessThan(1e-14);
    // the hottest cell is the Loughborough town centre, and it is strongly significant
    let best = 0;
    for (let i = 1; i < r.n; ++i) if (r.z[i] > r.z[best]) best = i;
    expect(r.z[best]).toBeGreaterThan(10);
  });

  it("the Charnwood fixture's counts are the police.uk violent-crime points binned on the oracle grid", async () => {
    const { x, y, rows } = await charnwoodViolencePoints();
    expect(rows).toBe(charnwood.rows);
    const counts = new Float64Array(charnwood.nx * charnwood.ny);
    for (let i = 0; i < x.length; ++i) {
      const c = Math.floor((x[i] - charnwood.x0) / charnwood.cell);
      const r = Math.floor((y[i] - charnwood.y0) / charnwood.cell);
      ++counts[r * charnwood.nx + c];
    }
    expect(Array.from(counts)).toEqual(charnwood.count);
  });

  it("pSim converges to the exact conditional-permutation p-values for every alternative", () => {
    const R = 9999;
    const ex = six.gistarExact;
    for (const [alternative, key] of [["two.sided", "twoSided"], ["greater", "greater"], ["less", "less"], ["folded", "folded"]] as const) {
      const r = getisOrdGiStar(six.values, band, { permutations: R, seed: 11, alternative });
      ex[key].forEach((p: number, i: number) => {
        // the folded count jumps where a simulated value is about as far from the mean as the
        // observed one; compare only where that margin is wide (local-stats.R "foldedMargin")
        if (alternative === "folded" && ex.foldedMargin[i] < 0.1) return;
        // binomial Monte Carlo error of the tail share (doubled for the two-sided p), plus the +1 of (M + 1)/(R + 1)
        const share = alternative === "two.sided" ? Math.min(ex.greater[i], ex.less[i]) : p;
        const se = (alternative === "two.sided" ? 2 : 1) * Math.sqrt(Math.max(share * (1 - share), 1e-4) / R);
        expect(Math.abs(r.pSim![i] - p)).toBeLessThan(4.5 * se + 2 / (R + 1));
      });
    }
  });

  it("pSim of cell 1 agrees with esda's published p_sim (0.413, two-sided, 999 permutations)", () => {
    const r = getisOrdGiStar(six.values, band, { permutations: 999, seed: 12345 });
    // esda docs: round(lg_star.p_sim[0], 3) = 0.413 with alternative='two-sided' (exact value 0.4)
    expect(Math.abs(r.pSim![0] - 0.413)).toBeLessThan(4.5 * 2 * Math.sqrt(0.2 * 0.8 / 999));
  });

  it("pSim is reproducible for a seed and changes with it; permutations: 0 gives null", () => {
    const { x, y } = centres(charnwood);
    const nb = distanceBandNeighbours(x.slice(0, 400), y.slice(0, 400), 750);
    const values = charnwood.count.slice(0, 400);
    const a = getisOrdGiStar(values, nb, { permutations: 99, seed: 5 });
    const b = getisOrdGiStar(values, nb, { permutations: 99, seed: 5 });
    const c = getisOrdGiStar(values, nb, { permutations: 99, seed: 6 });
    expect(Array.from(a.pSim!)).toEqual(Array.from(b.pSim!));
    expect(Array.from(a.pSim!)).not.toEqual(Array.from(c.pSim!));
    // two-sided pseudo p-values are 2(M + 1)/(R + 1) capped at 1: multiples of 1/100 here
    for (const p of a.pSim!) expect(Math.abs(p * 100 - Math.round(p * 100))).toBeLessThan(1e-9);
    expect(getisOrdGiStar(values, nb).pSim).toBeNull();
  });

  it("one-sided analytic p-values are the normal tails of z", () => {
    const g = getisOrdGiStar(six.values, band, { alternative: "greater" });
    const l = getisOrdGiStar(six.values, band, { alternative: "less" });
    for (let i = 0; i < 6; ++i) {
      expect(g.p[i] + l.p[i]).toBeCloseTo(1, 14);
      // R: pnorm(z, lower.tail = FALSE) vs the two-sided value
      expect(Math.min(g.p[i], l.p[i]) * 2).toBeCloseTo(six.pTwoSided[i], 14);
    }
  });

  it("returns NaN with a reason when all values are equal or a neighbourhood is the whole map; empty input gives empty arrays", () => {
    const flat = getisOrdGiStar([3, 3, 3, 3, 3, 3], band);
    expect(Array.from(flat.z).every(Number.isNaN)).toBe(true);
    expect(flat.reason).toMatch(/all values are equal/);
    const whole = getisOrdGiStar([1, 5], { x: [0, 10], y: [0, 0], distance: 20 });
    expect(Number.isNaN(whole.z[0])).toBe(true);
    expect(whole.reason).toMatch(/every cell/);
    const empty = getisOrdGiStar([], { x: [], y: [], distance: 10 });
    expect(empty.z.length).toBe(0);
    expect(empty.reason).toBeNull();
  });

  it("does not change its inputs", () => {
    const values = new Float64Array(six.values);
    const nb = distanceBandNeighbours(six.x, six.y, 15);
    const before = Array.from(nb.indices);
    getisOrdGiStar(values, nb, { permutations: 9 });
    expect(Array.from(values)).toEqual(six.values);
    expect(Array.from(nb.indices)).toEqual(before);
  });

  it("throws InputError with a code for bad input", () => {
    expect(thrownInputError(() => getisOrdGiStar([1, Number.NaN, 3, 4, 5, 6], band)).message).toBe(
      "getisOrdGiStar: values[1] must be a finite number, got NaN",
    );
    expect(thrownInputError(() => getisOrdGiStar([1, 2, 3], band)).code).toBe("length-mismatch");
    const nb = distanceBandNeighbours(six.x, six.y, 15);
    expect(thrownInputError(() => getisOrdGiStar([1, 2, 3], nb)).code).toBe("length-mismatch");
    const dup = { offsets: Int32Array.from([0, 2, 2]), indices: Int32Array.from([1, 1]) };
    expect(thrownInputError(() => getisOrdGiStar([1, 2], dup)).message).toBe("getisOrdGiStar: neighbours.indices[1] must be listed once in row 0, got 1");
    const out = { offsets: Int32Array.from([0, 1, 1]), indices: Int32Array.from([2]) };
    expect(thrownInputError(() => getisOrdGiStar([1, 2], out)).code).toBe("invalid-input");
    expect(thrownInputError(() => getisOrdGiStar(six.values, band, { permutations: 1.5 })).message).toBe(
      "getisOrdGiStar: permutations must be an integer from 0 to 1,000,000, got 1.5",
    );
    expect(thrownInputError(() => getisOrdGiStar(six.values, band, { seed: -1 })).code).toBe("invalid-option");
    expect(thrownInputError(() => getisOrdGiStar(six.values, band, { alternative: "two-sided" as never })).code).toBe("invalid-option");
    expect(thrownInputError(() => getisOrdGiStar(six.values, { ...band, distance: -1 })).code).toBe("invalid-option");
  });
});
