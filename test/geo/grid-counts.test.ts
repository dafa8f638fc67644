import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { dictCode, seededRandom, syntheticBorough } from "@community-safety/core";
import { grid, type Grid } from "@community-safety/geo";
import { gridCounts } from "@community-safety/geo";
import { fixturePath } from "../helpers/data.js";
import { thrownCodeAndMessage as thrown } from "../helpers/errors.js";

// Reference counts: test/fixtures/geo/kde.json, written by test/fixtures/geo/kde.R (R 4.2.2) from
// shared/oracles/kde.R, whose `count` column is grid_common.R's floor((x - x0)/cell) binning.
interface OracleCase {
  name: string;
  cell: number;
  x: number[];
  y: number[];
  count: number[];
}
const fixture = JSON.parse(readFileSync(fixturePath("geo", "kde.json"), "utf8")) as { cases: OracleCase[] };

/** Nearest cell centre by brute force over every cell; ties go to the largest index. */
function bruteNearest(g: Grid, x: number, y: number): number {
  let best = Infinity, k = -1;
  for (let i = 0; i < g.length; ++i) {
    const dx = x - g.x[i], dy = y - g.y[i];
    const d2 = dx * dx + dy * dy;
    if (d2 <= best) {
      best = d2;
      k = i;
    }
  }
  return k;
}

describe("gridCounts", () => {
  it("gridCounts(squareGrid, points) counts half-open cells: edges go right and up, the far edge is outside", () => {
    const g = grid([0, 0, 199, 199], { cellSize: 100 }); // 2 x 2 cells of 100 m from (0, 0)
    // Hand-worked cells (col, row) under [x0, x0 + 100) x [y0, y0 + 100):
    const pts: [number, number, number][] = [
      [0, 0, 0], // corner of the grid: cell (0, 0)
      [100, 50, 1], // on the internal vertical edge: the cell to its right, (1, 0)
      [50, 100, 2], // on the internal horizontal edge: the cell above, (0, 1)
      [100, 100, 3], // on the internal corner: (1, 1)
      [99.999999, 99.999999, 0],
      [200, 50, -1], // the grid's east edge: outside (half-open)
      [50, -0.001, -1],
      [NaN, 50, -1],
      [50, Infinity, -1],
    ];
    const r = gridCounts(g, { x: pts.map((p) => p[0]), y: pts.map((p) => p[1]) });
    expect(Array.from(r.cell)).toEqual(pts.map((p) => p[2]));
    expect(Array.from(r.counts)).toEqual([2, 1, 1, 1]);
    expect([r.counted, r.noLocation, r.outside]).toEqual([5, 2, 2]);
  });

  for (const c of fixture.cases) {
    it(`gridCounts(grid(points), points) equals the oracle's counts (${c.name})`, () => {
      const pts = { x: c.x, y: c.y };
      const r = gridCounts(grid(pts, { cellSize: c.cell }), pts);
      expect(Array.from(r.counts)).toEqual(c.count);
      expect([r.counted, r.outside, r.noLocation]).toEqual([c.x.length, 0, 0]);
    });
  }

  it("gridCounts(hexagonGrid, points) assigns each point to its brute-force nearest centre, ties to the largest index", () => {
    const g = grid([455000, 318000, 456000, 319000], { cellSize: 100, shape: "hexagon" });
    const rng = seededRandom(11);
    const xs: number[] = [], ys: number[] = [];
    for (let i = 0; i < 3000; ++i) {
      xs.push(rng.range(455000, 456000));
      ys.push(rng.range(318000, 319000));
    }
    // Exact ties: midpoints between neighbours in a row (x exactly halfway, same y), and the cell
    // centres themselves.
    for (let k = 0; k + 1 < g.columns; k += 3) {
      for (const row of [0, 1, 4]) {
        const i = row * g.columns + k;
        xs.push((g.x[i] + g.x[i + 1]) / 2);
        ys.push(g.y[i]);
        xs.push(g.x[i]);
        ys.push(g.y[i]);
      }
    }
    const r = gridCounts(g, { x: xs, y: ys });
    const want = xs.map((x, i) => bruteNearest(g, x, ys[i]));
    expect(Array.from(r.cell)).toEqual(want);
    expect(r.outside).toBe(0);
    // The midpoint between cells k and k+1 of row 0 went to k+1 (the eastern one).
    const mid = 3000;
    expect(r.cell[mid]).toBe(1);
  });

  it("gridCounts(hexagonGrid) reports points nearer a centre beyond the grid as outside", () => {
    const g = grid([0, 0, 500, 500], { cellSize: 100, shape: "hexagon", crs: "EPSG:32630" });
    const wide = grid([-1000, -1000, 1500, 1500], { cellSize: 100, shape: "hexagon", crs: "EPSG:32630" });
    const rng = seededRandom(3);
    const xs: number[] = [], ys: number[] = [];
    for (let i = 0; i < 2000; ++i) {
      xs.push(rng.range(-400, 900));
      ys.push(rng.range(-400, 900));
    }
    const r = gridCounts(g, { x: xs, y: ys });
    let outside = 0;
    for (let i = 0; i < xs.length; ++i) {
      const k = bruteNearest(wide, xs[i], ys[i]);
      // In g iff the nearest lattice centre is one of g's centres (the two grids share the lattice).
      let inG = -1;
      for (let j = 0; j < g.length; ++j) if (Math.abs(g.x[j] - wide.x[k]) < 1e-6 && Math.abs(g.y[j] - wide.y[k]) < 1e-6) inG = j;
      if (inG < 0) ++outside;
      expect([i, r.cell[i]]).toEqual([i, inG]);
    }
    expect(r.outside).toBe(outside);
    expect(outside).toBeGreaterThan(500);
  });

  it("gridCounts on an empty input gives zero counts", () => {
    const g = grid([0, 0, 99, 99], { cellSize: 100 });
    const r = gridCounts(g, { x: new Float64Array(0), y: new Float64Array(0) });
    expect([Array.from(r.counts), r.cell.length, r.counted, r.noLocation, r.outside]).toEqual([[0], 0, 0, 0, 0]);
  });

  it("gridCounts throws length-mismatch and invalid-option", () => {
    const g = grid([0, 0, 99, 99], { cellSize: 100 });
    expect(thrown(() => gridCounts(g, { x: [1, 2], y: [1] }))).toEqual(["length-mismatch", "gridCounts: x and y must be the same length, got [2,1]"]);
    expect(thrown(() => gridCounts({ ...g, shape: "circle" as never }, { x: [], y: [] }))).toEqual([
      "invalid-option",
      'gridCounts: grid must be a Grid made by grid(), got {"shape":"circle","cellSize":100,"columns":1,"rows":1}',
    ]);
  });

  it("gridCounts does not mutate its inputs", () => {
    const g = grid([0, 0, 199, 199], { cellSize: 100 });
    const x0 = Float64Array.from(g.x);
    const xs = [5, 150], ys = [5, 150];
    gridCounts(g, { x: xs, y: ys });
    expect([Array.from(g.x), xs, ys]).toEqual([Array.from(x0), [5, 150], [5, 150]]);
  });

  it("synthetic borough: the busiest 1 km cell is the town-centre square [455000,456000)×[318000,319000) with ~21% of violent crime", () => {
    const { table, truths } = syntheticBorough({ seed: 1 });
    const violent = dictCode(table.category, "violent-crime");
    const n = table.length;
    const x = new Float64Array(n).fill(NaN), y = new Float64Array(n).fill(NaN);
    let total = 0;
    for (let i = 0; i < n; ++i) {
      if (table.category.codes[i] !== violent) continue;
      x[i] = table.x[i];
      y[i] = table.y[i];
      ++total;
    }
    const g = grid(table, { cellSize: 1000 });
    const r = gridCounts(g, { x, y });
    expect(r.noLocation).toBe(n - total);
    expect(r.counted).toBe(total);
    let best = 0;
    for (let i = 1; i < g.length; ++i) if (r.counts[i] > r.counts[best]) best = i;
    // The cell's south-west corner: originX + col * 1000, originY + row * 1000.
    const col = best % g.columns, row = Math.floor(best / g.columns);
    expect([g.originX + col * 1000, g.originY + row * 1000]).toEqual([truths.violenceCentre.x0, truths.violenceCentre.y0]);
    expect([truths.violenceCentre.x0, truths.violenceCentre.y0]).toEqual([455000, 318000]);
    // Planted share 21% (SYNTHETIC_BOROUGH.md); a binomial 3-SD band at this size is ±1.2 points.
    const share = r.counts[best] / total;
    const sd = Math.sqrt((0.21 * 0.79) / total);
    expect(Math.abs(share - truths.violenceCentre.share)).toBeLessThan(3 * sd);
  });
});
