import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { IncidentTableBuilder, projector, seededRandom } from "@community-safety/core";
import { grid, type Grid } from "@community-safety/geo";
import { gridGeoJSON } from "@community-safety/geo";
import { fixturePath } from "../helpers/data.js";
import { thrownCodeAndMessage as thrown } from "../helpers/errors.js";

// Reference grids: test/fixtures/geo/kde.json, written by test/fixtures/geo/kde.R (R 4.2.2), which
// runs shared/oracles/kde.R; its grid is shared/oracles/grid_common.R's make_grid().
interface OracleCase {
  name: string;
  cell: number;
  x0: number;
  y0: number;
  nx: number;
  ny: number;
  x: number[];
  y: number[];
  cell_x: number[];
  cell_y: number[];
}
const fixture = JSON.parse(readFileSync(fixturePath("geo", "kde.json"), "utf8")) as { cases: OracleCase[] };

/** Index of the cell centre nearest (x, y) by brute force, ties to the largest index. */
function nearestCentre(g: Grid, x: number, y: number): number {
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

describe("grid", () => {
  it("grid(bounds, { cellSize: 1000 }) in BNG puts cells on the OS 1 km squares", () => {
    const g = grid([455010.3, 318020.7, 456990, 319999.99], { cellSize: 1000 });
    // Hand-worked: floor(455010.3 / 1000) * 1000 = 455000; columns = floor((456990 - 455000)/1000) + 1 = 2.
    expect([g.shape, g.originX, g.originY, g.columns, g.rows, g.length, g.crs, g.area]).toEqual(["square", 455000, 318000, 2, 2, 4, "EPSG:27700", 1e6]);
    expect(Array.from(g.x)).toEqual([455500, 456500, 455500, 456500]);
    expect(Array.from(g.y)).toEqual([318500, 318500, 319500, 319500]);
  });

  it("grid(bounds) covers a box whose maximum lies on a cell edge with one more column (half-open cells)", () => {
    const g = grid([455000, 318000, 456000, 319000], { cellSize: 1000 });
    expect([g.originX, g.originY, g.columns, g.rows]).toEqual([455000, 318000, 2, 2]);
  });

  for (const c of fixture.cases) {
    it(`grid(points, { cellSize: ${c.cell} }) is the oracle grid of shared/oracles/grid_common.R (${c.name})`, () => {
      const g = grid({ x: c.x, y: c.y }, { cellSize: c.cell });
      expect([g.originX, g.originY, g.columns, g.rows]).toEqual([c.x0, c.y0, c.nx, c.ny]);
      expect(Array.from(g.x)).toEqual(c.cell_x);
      expect(Array.from(g.y)).toEqual(c.cell_y);
    });
  }

  it("grid(table) uses only located rows and the table's crs", () => {
    const b = new IncidentTableBuilder("Europe/London", "EPSG:32630");
    for (const [x, y] of [[500123, 5700456], [NaN, NaN], [501999, 5701001]]) {
      const i = b.addRow();
      b.x[i] = x;
      b.y[i] = y;
    }
    const t = b.finish();
    const g = grid(t, { cellSize: 500 });
    expect([g.crs, g.originX, g.originY, g.columns, g.rows]).toEqual(["EPSG:32630", 500000, 5700000, 4, 3]);
    expect(thrown(() => grid(t, { cellSize: 500, crs: "EPSG:27700" }))).toEqual([
      "invalid-option",
      'grid: crs must be the table\'s crs "EPSG:32630", got "EPSG:27700"',
    ]);
  });

  it("grid(bounds, { align, margin }) shifts the lattice and widens the box", () => {
    const g = grid([1000, 2000, 1999, 2999], { cellSize: 100, align: [30, 70], margin: 250 });
    // Box [750, 1750] x [2249, 3249]: originX = 30 + floor(720 / 100) * 100 = 730; columns = floor((2249 - 730)/100) + 1 = 16.
    expect([g.originX, g.originY, g.columns, g.rows]).toEqual([730, 1670, 16, 16]);
  });

  it("grid picks sfhotspot's automatic cell size from 100 m up, and a 1-2-2.5-5 size below", () => {
    const size = (w: number, h: number) => grid([0, 0, w, h]).cellSize;
    // sfhotspot 1.0.0 set_cell_size(): floor(min side / 50 / 100) * 100 when that is > 0.
    expect(size(10_000, 20_000)).toBe(200);
    expect(size(30_000, 12_345)).toBe(200); // 246.9 -> 200
    expect(size(5_000, 5_000)).toBe(100);
    // Below 100 m sfhotspot keeps side / 50 (60, 37.5, 24.68, 0.5); we round down to a nice size.
    expect(size(3_000, 9_000)).toBe(50);
    expect(size(1_875, 4_000)).toBe(25);
    expect(size(1_234, 4_000)).toBe(20);
    expect(size(25, 4_000)).toBe(0.5);
    // A line (zero height) uses its length.
    expect(size(10_000, 0)).toBe(200);
    expect(thrown(() => grid([5, 5, 5, 5]))).toEqual(["invalid-option", "grid: cellSize must be given when the points span no distance (a single location), got undefined"]);
  });

  it('grid(bounds, { shape: "hexagon" }) lays out pointy-topped hexagons of flat-to-flat width cellSize', () => {
    const w = 100;
    const g = grid([455000, 318000, 456000, 317800 + 1000], { cellSize: w, shape: "hexagon" });
    expect(g.shape).toBe("hexagon");
    // Area of a regular hexagon of side a = w/√3 is (3√3/2) a² = (√3/2) w².
    expect(g.area).toBeCloseTo((3 * Math.sqrt(3) / 2) * (w / Math.sqrt(3)) ** 2, 9);
    const { columns: nc } = g;
    // Neighbours in a row and across rows are all w apart (centre spacing = flat-to-flat width).
    expect(g.x[1] - g.x[0]).toBeCloseTo(w, 9);
    expect(Math.hypot(g.x[nc] - g.x[0], g.y[nc] - g.y[0])).toBeCloseTo(w, 9);
    expect(Math.hypot(g.x[nc] - g.x[1], g.y[nc] - g.y[1])).toBeCloseTo(w, 9);
    // Odd rows are shifted east by w/2; the first row is an even lattice row, so with align [0, 0] its centres are multiples of w.
    expect(g.x[nc] - g.x[0]).toBeCloseTo(w / 2, 9);
    expect(g.x[0] % w).toBe(0);
    expect(Math.round(g.originY / ((w * Math.sqrt(3)) / 2)) % 2).toBe(0);
    // A box whose lowest needed lattice row is odd (3673) starts one row lower, on row 3672.
    const h = grid([455000, 318100, 455500, 318600], { cellSize: w, shape: "hexagon" });
    expect(Math.round(h.originY / ((w * Math.sqrt(3)) / 2))).toBe(3672);
    expect([h.x[0] % w, h.x[h.columns] % w]).toEqual([0, w / 2]);
  });

  it("a hexagon grid holds the nearest centre of every point of its box (brute force)", () => {
    const box: [number, number, number, number] = [455003.7, 318011.2, 455977.9, 318733.1];
    const g = grid(box, { cellSize: 100, shape: "hexagon" });
    const rng = seededRandom(7);
    const probes: [number, number][] = [[box[0], box[1]], [box[2], box[3]], [box[0], box[3]], [box[2], box[1]]];
    for (let i = 0; i < 500; ++i) probes.push([rng.range(box[0], box[2]), rng.range(box[1], box[3])]);
    // The lattice extended by two cells all round: a point's nearest lattice centre must be one of the grid's.
    const wide = grid([box[0] - 300, box[1] - 300, box[2] + 300, box[3] + 300], { cellSize: 100, shape: "hexagon" });
    for (const [x, y] of probes) {
      const k = nearestCentre(wide, x, y);
      const j = nearestCentre(g, x, y);
      expect(Math.hypot(x - g.x[j], y - g.y[j])).toBeCloseTo(Math.hypot(x - wide.x[k], y - wide.y[k]), 6);
    }
  });

  it("grid throws invalid-option, length-mismatch and empty-input with the uniform message", () => {
    expect(thrown(() => grid([0, 0, 10, 10], { cellSize: 0 }))).toEqual(["invalid-option", "grid: cellSize must be a positive number of metres, got 0"]);
    expect(thrown(() => grid([0, 0, 10, 10], { shape: "triangle" as never }))).toEqual(["invalid-option", 'grid: shape must be "square" or "hexagon", got "triangle"']);
    expect(thrown(() => grid([0, 0, 10, 10], { align: [0] as never }))).toEqual(["invalid-option", "grid: align must be [x, y], two finite numbers of metres, got [0]"]);
    expect(thrown(() => grid([0, 0, 10, 10], { margin: -1 }))).toEqual(["invalid-option", "grid: margin must be a non-negative number of metres, got -1"]);
    expect(thrown(() => grid([10, 0, 0, 10], { cellSize: 1 }))).toEqual(["invalid-option", "grid: bounds must be [minX, minY, maxX, maxY], finite metres with min ≤ max, got [10,0,0,10]"]);
    expect(thrown(() => grid([0, 0, 1e6, 1e6], { cellSize: 10, maxCells: 1e6 }))).toEqual([
      "invalid-option",
      'grid: cellSize must be large enough for at most maxCells (1000000) cells, got "100001 × 100001 cells"',
    ]);
    expect(thrown(() => grid({ x: [1, 2], y: [1] }))).toEqual(["length-mismatch", "grid: x and y must be the same length, got [2,1]"]);
    expect(thrown(() => grid({ x: [NaN], y: [1] }, { cellSize: 100 }))).toEqual(["empty-input", 'grid: points must be at least one point with finite x and y, got "1 points, none located"']);
  });

  it("grid does not mutate its inputs", () => {
    const bounds: [number, number, number, number] = [1, 2, 300, 400];
    const align: [number, number] = [5, 5];
    const xs = [1, 300], ys = [2, 400];
    grid(bounds, { cellSize: 50, align, margin: 10 });
    grid({ x: xs, y: ys }, { cellSize: 50 });
    expect([bounds, align, xs, ys]).toEqual([[1, 2, 300, 400], [5, 5], [1, 300], [2, 400]]);
  });
});

/** Twice the signed area of a ring (positive when counter-clockwise). */
function signedArea2(ring: number[][]): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; ++i) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return s;
}

describe("gridGeoJSON", () => {
  const { forward } = projector("EPSG:27700");

  it("gridGeoJSON(squareGrid, { values }) gives closed CCW lon/lat squares whose corners project back to the cell edges", () => {
    const g = grid([455000, 318000, 456999, 318999], { cellSize: 1000 });
    const fc = gridGeoJSON(g, { values: { count: [3, 0], rate: [NaN, 0.5] } });
    expect(fc.type).toBe("FeatureCollection");
    expect(fc.features.map((f) => f.properties)).toEqual([
      { cell: 0, col: 0, row: 0, count: 3, rate: null },
      { cell: 1, col: 1, row: 0, count: 0, rate: 0.5 },
    ]);
    const ring = fc.features[1].geometry.coordinates[0];
    expect(ring.length).toBe(5);
    expect(ring[4]).toEqual(ring[0]);
    expect(signedArea2(ring)).toBeGreaterThan(0);
    // Corners of cell 1 are (456000, 318000), (457000, 318000), (457000, 319000), (456000, 319000);
    // core's forward projection of the rounded lon/lat lands within 2 cm (7 decimals ≈ 1.1 cm in latitude).
    const want = [[456000, 318000], [457000, 318000], [457000, 319000], [456000, 319000]];
    for (let k = 0; k < 4; ++k) {
      const [x, y] = forward(ring[k][0], ring[k][1]);
      expect(Math.hypot(x - want[k][0], y - want[k][1])).toBeLessThan(0.02);
    }
    // Neighbours share their edge's vertices exactly.
    const left = fc.features[0].geometry.coordinates[0];
    expect([left[1], left[2]]).toEqual([ring[0], ring[3]]);
  });

  it("gridGeoJSON(hexagonGrid) gives pointy-topped hexagons with side cellSize/√3 sharing vertices", () => {
    const w = 200;
    const g = grid([455000, 318000, 455500, 318500], { cellSize: w, shape: "hexagon" });
    const fc = gridGeoJSON(g, { digits: 9 });
    expect(fc.features.length).toBe(g.length);
    const side = w / Math.sqrt(3);
    for (const f of fc.features) {
      const ring = f.geometry.coordinates[0];
      expect(ring.length).toBe(7);
      expect(signedArea2(ring)).toBeGreaterThan(0);
      const cx = g.x[f.id], cy = g.y[f.id];
      const pts = ring.slice(0, 6).map(([lon, lat]) => forward(lon, lat));
      for (const [x, y] of pts) expect(Math.abs(Math.hypot(x - cx, y - cy) - side)).toBeLessThan(1e-3);
      // Pointy top: the third vertex is due north of the centre.
      expect(Math.abs(pts[2][0] - cx)).toBeLessThan(1e-3);
      expect(pts[2][1] - cy).toBeCloseTo(side, 3);
    }
    // Cell 0 (even row) and cell `columns` (odd row, shifted east) share two vertices exactly.
    const a = fc.features[0].geometry.coordinates[0].map((p) => p.join());
    const b = fc.features[g.columns].geometry.coordinates[0].map((p) => p.join());
    expect(a.filter((p, i) => i < 6 && b.includes(p)).length).toBe(2);
  });

  it("gridGeoJSON(grid, { skipZero }) leaves out cells whose values are all zero", () => {
    const g = grid([0, 0, 299, 99], { cellSize: 100, crs: "EPSG:32630" });
    const fc = gridGeoJSON(g, { values: { a: [0, 1, 0], b: [0, 0, 2] }, skipZero: true });
    expect(fc.features.map((f) => f.id)).toEqual([1, 2]);
    expect(gridGeoJSON(g, { skipZero: true }).features.length).toBe(3);
  });

  it("gridGeoJSON(grid, { cells }) writes the cells listed, in that order, each with its column, row and ring", () => {
    // 3 columns × 2 rows of 100 m squares: cell 4 is column 1, row 1.
    const g = grid([0, 0, 299, 199], { cellSize: 100, crs: "EPSG:32630" });
    const all = gridGeoJSON(g, { values: { a: [0, 1, 0, 0, 5, 0] } });
    const some = gridGeoJSON(g, { values: { a: [0, 1, 0, 0, 5, 0] }, cells: [4, 1, 3] });
    expect(some.features.map((f) => f.properties)).toEqual([
      { cell: 4, col: 1, row: 1, a: 5 },
      { cell: 1, col: 1, row: 0, a: 1 },
      { cell: 3, col: 0, row: 1, a: 0 },
    ]);
    // The same feature as in the whole grid's collection, ring included.
    expect(some.features[0]).toEqual(all.features[4]);
    expect(some.features[2]).toEqual(all.features[3]);
    // With skipZero, a listed cell whose values are all 0 is still left out.
    expect(gridGeoJSON(g, { values: { a: [0, 1, 0, 0, 5, 0] }, cells: [4, 1, 3], skipZero: true }).features.map((f) => f.id)).toEqual([4, 1]);
    expect(gridGeoJSON(g, { cells: [] }).features).toEqual([]);
    expect(thrown(() => gridGeoJSON(g, { cells: [0, 6] }))).toEqual(["invalid-option", "gridGeoJSON: cells[1] must be a cell index from 0 to 5, got 6"]);
    expect(thrown(() => gridGeoJSON(g, { cells: [1.5] }))).toEqual(["invalid-option", "gridGeoJSON: cells[0] must be a cell index from 0 to 5, got 1.5"]);
  });

  it("gridGeoJSON throws invalid-option and length-mismatch", () => {
    const g = grid([0, 0, 299, 99], { cellSize: 100 });
    expect(thrown(() => gridGeoJSON(g, { values: { a: [1, 2] } }))).toEqual(["length-mismatch", "gridGeoJSON: values.a must be one value per cell (3), got 2"]);
    expect(thrown(() => gridGeoJSON(g, { values: { row: [1, 2, 3] } }))).toEqual(["invalid-option", 'gridGeoJSON: values must be named other than cell, col or row, got "row"']);
    expect(thrown(() => gridGeoJSON(g, { digits: 1.5 }))).toEqual(["invalid-option", "gridGeoJSON: digits must be an integer from 0 to 15, got 1.5"]);
    expect(thrown(() => gridGeoJSON({ ...g, x: new Float64Array(1) }))).toEqual([
      "invalid-option",
      'gridGeoJSON: grid must be a Grid made by grid(), got {"shape":"square","cellSize":100,"columns":3,"rows":1}',
    ]);
  });
});
