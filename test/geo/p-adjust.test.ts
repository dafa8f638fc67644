import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { pAdjust } from "@community-safety/geo";
import { distanceBandNeighbours } from "@community-safety/geo";
import { fixturePath } from "../helpers/data.js";
import { thrownInputError } from "../helpers/errors.js";

// local-stats.json (test/fixtures/geo/local-stats.R, R 4.2.2): p.adjust(p, "BH") and
// p.adjust(p, "bonferroni") on three vectors (one with ties and an NA, one of 200 seeded
// values), and spdep 1.2-7 p.adjustSP(p, dnearneigh(pts, 0, 15), "bonferroni") on the six points.
const fixture = JSON.parse(readFileSync(fixturePath("geo", "local-stats.json"), "utf8"));
// charnwood-violence-500m.json: the same adjustments of gistar.R's p-values on 1,575 cells
// (test/fixtures/geo/charnwood-violence-grid.R).
const charnwood = JSON.parse(readFileSync(fixturePath("geo", "charnwood-violence-500m.json"), "utf8"));

const nanOf = (v: (number | null)[]) => v.map((x) => (x === null ? Number.NaN : x));
const close = (a: ArrayLike<number>, b: (number | null)[], tol = 1e-15) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; ++i) {
    if (b[i] === null) expect(Number.isNaN(a[i])).toBe(true);
    else expect(Math.abs(a[i] - (b[i] as number))).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i] as number)));
  }
};

describe("pAdjust", () => {
  it('pAdjust(p, "BH") equals R p.adjust(p, "BH"), including ties and NA', () => {
    for (const c of fixture.pAdjust) close(pAdjust(nanOf(c.p), "BH"), c.BH);
    expect(Array.from(pAdjust([0.01, 0.02, 0.03, 0.04, 0.05], "BH"))).toEqual([0.05, 0.05, 0.05, 0.05, 0.05]); // the TSDoc example
  });

  it('pAdjust(p, "bonferroni") equals R p.adjust(p, "bonferroni"): m counts present values only', () => {
    for (const c of fixture.pAdjust) close(pAdjust(nanOf(c.p), "bonferroni"), c.bonferroni);
  });

  it('pAdjust(p, "local-bonferroni", nb) equals spdep::p.adjustSP(p, nb, "bonferroni") (p × (card + 1))', () => {
    const six = fixture.six;
    const nb = distanceBandNeighbours(six.x, six.y, six.band);
    close(pAdjust(six.pTwoSided, "local-bonferroni", nb), six.pLocalBonferroni);
    // a list that names the cell itself counts it once
    close(pAdjust(six.pTwoSided, "local-bonferroni", distanceBandNeighbours(six.x, six.y, six.band, { includeSelf: true })), six.pLocalBonferroni);
    // by hand: cell 6 has one neighbour, so p × 2
    expect(pAdjust(six.pTwoSided, "local-bonferroni", nb)[5]).toBe(six.pTwoSided[5] * 2);
  });

  it("equals R on the Charnwood Gi* p-values (1,575 cells)", () => {
    const x = new Float64Array(charnwood.nx * charnwood.ny);
    const y = new Float64Array(charnwood.nx * charnwood.ny);
    for (let r = 0; r < charnwood.ny; ++r) for (let c = 0; c < charnwood.nx; ++c) {
      x[r * charnwood.nx + c] = charnwood.x0 + (c + 0.5) * charnwood.cell;
      y[r * charnwood.nx + c] = charnwood.y0 + (r + 0.5) * charnwood.cell;
    }
    close(pAdjust(charnwood.gistarP, "BH"), charnwood.pBH, 1e-13);
    close(pAdjust(charnwood.gistarP, "local-bonferroni", distanceBandNeighbours(x, y, charnwood.band)), charnwood.pLocalBonferroni, 1e-13);
  });

  it("keeps NaN, handles empty input and does not change its input", () => {
    expect(pAdjust([], "BH").length).toBe(0);
    const p = [0.5, Number.NaN, 0.01];
    const q = pAdjust(p, "BH");
    expect(Number.isNaN(q[1])).toBe(true);
    expect(q[2]).toBeCloseTo(0.02, 15); // m = 2
    expect(p[2]).toBe(0.01);
  });

  it("throws InputError with a code for bad input", () => {
    expect(thrownInputError(() => pAdjust([0.1], "holm" as never)).message).toBe(
      'pAdjust: method must be "BH", "bonferroni" or "local-bonferroni", got "holm"',
    );
    expect(thrownInputError(() => pAdjust([0.1, 1.2], "BH")).message).toBe("pAdjust: p[1] must be a p-value in [0, 1] or NaN, got 1.2");
    expect(thrownInputError(() => pAdjust([0.1], "local-bonferroni")).code).toBe("invalid-option");
    const nb = distanceBandNeighbours([0, 1], [0, 0], 5);
    expect(thrownInputError(() => pAdjust([0.1, 0.2, 0.3], "local-bonferroni", nb)).code).toBe("length-mismatch");
  });
});
