/**
 * getisOrdGiStar(values, grid): the grid object itself as the neighbourhood, as a notebook
 * writes it — `getisOrdGiStar(gridCounts(g, table).counts, g)` — with no centres or band to
 * spell out. Expected values: hand-worked z-scores on a 3 × 3 grid, and on Charnwood a direct
 * evaluation of the Gi* formula with an all-pairs neighbour search (no k-d tree, no CSR list).
 */
import { describe, it, expect, beforeAll } from "vitest";
import { getisOrdGiStar, grid, gridCounts, type Grid } from "@community-safety/geo";
import { selectArea, selectRows, whereTest } from "@community-safety/core";
import { readPoliceUkFiles } from "@community-safety/core/node";
import { expectInputError } from "../helpers/errors.js";
import { countyFolder, haveCounty, skipNote } from "./raw-police-uk.js";

// A 3 × 3 grid of 1 km squares (cells numbered from the south-west, x fastest) and nine
// incidents in its south-west cell.
const g = grid([0, 0, 2999, 2999], { cellSize: 1000 });
const nine = { x: Array(9).fill(500), y: Array(9).fill(500) };

describe("getisOrdGiStar(counts, grid)", () => {
  it("uses each cell and the cells touching it (queen contiguity) by default", () => {
    const counts = gridCounts(g, nine).counts;
    expect(Array.from(counts)).toEqual([9, 0, 0, 0, 0, 0, 0, 0, 0]);
    const r = getisOrdGiStar(counts, g);
    // By hand: n = 9, mean 1, s² = (8² + 8 × 1²)/9 = 8. z_i = (Σ_{N_i} x − W_i) / (s √((9 W_i − W_i²)/8)).
    // Cell 0 (corner): W = 4 (itself, east, north, north-east), sum 9 → 5 / (√8 √(20/8)) = 5/√20 = √5/2.
    // Cell 1 (south edge): W = 6, sum 9 → 3 / (√8 · 1.5) = 1/√2. Cell 8 (far corner): W = 4, sum 0 → −4/√20.
    // Cell 4 (centre): W = 9 = n, every cell in its neighbourhood → undefined.
    expect(Array.from(r.neighbourCount)).toEqual([4, 6, 4, 6, 9, 6, 4, 6, 4]);
    expect(r.z[0]).toBeCloseTo(Math.sqrt(5) / 2, 14);
    expect(r.z[1]).toBeCloseTo(1 / Math.SQRT2, 14);
    expect(r.z[3]).toBeCloseTo(1 / Math.SQRT2, 14); // west edge, the same as cell 1 by symmetry
    expect(r.z[8]).toBeCloseTo(-4 / Math.sqrt(20), 14);
    expect(Number.isNaN(r.z[4])).toBe(true);
    expect(r.reason).toBe("1 cell(s) have every cell in their neighbourhood: Gi* is undefined there");
  });

  it("takes another band in metres as options.distance", () => {
    // 1000 m: the four cells sharing a side (rook). Cell 0: W = 3, sum 9 → 6 / (√8 √((27 − 9)/8)) = 6/√18 = √2.
    const r = getisOrdGiStar(gridCounts(g, nine).counts, g, { distance: 1000 });
    expect(Array.from(r.neighbourCount)).toEqual([3, 4, 3, 4, 5, 4, 3, 4, 3]);
    expect(r.z[0]).toBeCloseTo(Math.SQRT2, 14);
    // The same as spelling the band out, and as the grid spread into a band.
    expect(r.z).toEqual(getisOrdGiStar(gridCounts(g, nine).counts, { x: g.x, y: g.y, distance: 1000 }).z);
    expect(r.z).toEqual(getisOrdGiStar(gridCounts(g, nine).counts, { ...g, distance: 1000 }).z);
  });

  it("on hexagons the default band takes the six touching cells", () => {
    const h = grid([0, 0, 4000, 4000], { cellSize: 1000, shape: "hexagon" });
    const r = getisOrdGiStar(new Float64Array(h.length).map((_, i) => i % 3), h);
    // An inner cell touches six hexagons (centres 1000 m away; the next ring is at 1000·√3 ≈ 1732 m).
    const inner = [...Array(h.length).keys()].filter((i) => {
      const c = i % h.columns, row = Math.floor(i / h.columns);
      return c > 0 && c < h.columns - 1 && row > 0 && row < h.rows - 1;
    });
    expect(inner.length).toBeGreaterThan(0);
    for (const i of inner) expect(r.neighbourCount[i]).toBe(7);
  });

  it("checks the grid and the option", () => {
    const counts = new Float64Array(9);
    expectInputError(() => getisOrdGiStar(counts, { ...g, columns: 4 } as Grid), "invalid-option", "getisOrdGiStar: grid must be a Grid made by grid()");
    expectInputError(() => getisOrdGiStar(new Float64Array(4), g), "length-mismatch", "getisOrdGiStar: neighbours.x must be one centre per value (4)");
    expectInputError(() => getisOrdGiStar(counts, g, { distance: -1 }), "invalid-option", "getisOrdGiStar: distance must be a positive finite number of metres, got -1");
    expectInputError(() => getisOrdGiStar(counts, { x: g.x, y: g.y, distance: 1000 }, { distance: 1500 }), "invalid-option", "getisOrdGiStar: distance must be given only with a Grid");
  });
});

describe.skipIf(!haveCounty)(`Charnwood violence and sexual offences, 2021/22, 500 m cells${skipNote}`, () => {
  let counts: Float64Array;
  let cells: Grid;
  beforeAll(async () => {
    const { table } = await readPoliceUkFiles(countyFolder);
    const charnwood = selectArea(table, { lsoaPrefix: "Charnwood" });
    const violence = selectRows(charnwood, whereTest(charnwood, { category: "violent-crime" }));
    cells = grid(violence, { cellSize: 500, margin: 500, period: "2021/22" });
    counts = gridCounts(cells, violence, { period: "2021/22" }).counts;
  });

  it("getisOrdGiStar(counts, grid) equals the Gi* formula evaluated directly", () => {
    const r = getisOrdGiStar(counts, cells);
    // Second route: all pairs of centres within 1.5 × 500 m (+1e-9 relative), then
    // z_i = (Σ x_j − x̄ W_i) / (s √((n W_i − W_i²)/(n − 1))) with s the population SD.
    const n = counts.length;
    let mean = 0;
    for (const v of counts) mean += v;
    mean /= n;
    let ss = 0;
    for (const v of counts) ss += (v - mean) ** 2;
    const s = Math.sqrt(ss / n);
    const band = 750 * (1 + 1e-9);
    let checked = 0;
    for (let i = 0; i < n; ++i) {
      let sum = 0, w = 0;
      for (let j = 0; j < n; ++j) {
        if (Math.hypot(cells.x[i] - cells.x[j], cells.y[i] - cells.y[j]) <= band) {
          sum += counts[j];
          ++w;
        }
      }
      const z = (sum - mean * w) / (s * Math.sqrt((n * w - w * w) / (n - 1)));
      expect(r.neighbourCount[i]).toBe(w);
      expect(Math.abs(r.z[i] - z)).toBeLessThan(1e-9);
      ++checked;
    }
    expect(checked).toBe(cells.length);
    expect(Math.max(...r.z.filter(Number.isFinite))).toBeGreaterThan(10); // a strong hot spot exists
  });
});
