import { describe, it, expect } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { dictCode, seededRandom, syntheticBorough } from "@community-safety/core";
import { grid } from "@community-safety/geo";
import { kernelDensity } from "@community-safety/geo";
import { fixturePath, repoRoot } from "../helpers/data.js";
import { thrownCodeAndMessage as thrown } from "../helpers/errors.js";

// Reference values: test/fixtures/geo/kde.json, written by test/fixtures/geo/kde.R (R 4.2.2,
// spatstat.geom/explore 3.0-6), which runs shared/oracles/kde.R: the exact quartic sum over all
// point–centre pairs within h (spatstat.geom::crosspairs), kde_density = 3/(π h²)·kde_unscaled,
// cross-checked in the same run by spatstat.explore::density.ppp(kernel = "quartic",
// sigma = h/(2√2), edge = FALSE) evaluated exactly at the centres (kde_spatstat).
interface OracleCase {
  name: string;
  cell: number;
  bandwidth_arg: string;
  bandwidth: number;
  bandwidth_nrd_x: number;
  bandwidth_nrd_y: number;
  bandwidth_nrd_mean_xy: number;
  x: number[];
  y: number[];
  kde_unscaled: number[];
  kde_density: number[];
  kde_spatstat: number[];
}
const fixture = JSON.parse(readFileSync(fixturePath("geo", "kde.json"), "utf8")) as { cases: OracleCase[] };

/** Every |a − b| ≤ rel·|b|; a zero reference must be matched exactly (no point within h). */
function expectRelClose(actual: ArrayLike<number>, want: ArrayLike<number>, rel: number): void {
  expect(actual.length).toBe(want.length);
  let worst = 0, at = -1;
  for (let i = 0; i < want.length; ++i) {
    const b = want[i];
    const e = b === 0 ? (actual[i] === 0 ? 0 : Infinity) : Math.abs(actual[i] - b) / Math.abs(b);
    if (!(e <= worst)) {
      worst = e;
      at = i;
    }
  }
  expect({ worst: worst <= rel, at, actual: actual[at], want: want[at] }).toEqual({ worst: true, at, actual: actual[at], want: want[at] });
}

/** Brute-force quartic density at each centre over every point (independent of the lattice scatter). */
function bruteDensity(cx: Float64Array, cy: Float64Array, xs: number[], ys: number[], h: number, w?: number[]): Float64Array {
  const out = new Float64Array(cx.length);
  for (let c = 0; c < cx.length; ++c) {
    let s = 0;
    for (let i = 0; i < xs.length; ++i) {
      const d = Math.hypot(cx[c] - xs[i], cy[c] - ys[i]);
      if (d < h) s += (w?.[i] ?? 1) * (1 - (d / h) ** 2) ** 2;
    }
    out[c] = (3 / (Math.PI * h * h)) * s;
  }
  return out;
}

describe("kernelDensity", () => {
  it("kernelDensity is 3/(πh²) at a point's own cell centre and 3/(πh²)(1 − 1/4)² at h/2 (hand-worked)", () => {
    const h = 200;
    const g = grid([0, 0, 399, 199], { cellSize: 100 }); // centres (50, 50), (150, 50), (250, 50), (350, 50), then y = 150
    const r = kernelDensity({ x: [50], y: [50] }, g, { bandwidth: h });
    const k = 3 / (Math.PI * h * h);
    expect(r.density[0]).toBeCloseTo(k, 18); // d = 0
    expect(r.density[1] / (k * (1 - 1 / 4) ** 2)).toBeCloseTo(1, 14); // d = 100 = h/2
    expect(r.density[2]).toBe(0); // d = 200 = h: the kernel is 0 at the radius
    expect(r.density[4 + 1] / (k * (1 - 0.5) ** 2)).toBeCloseTo(1, 14); // (150, 150): d² = 2·100², d²/h² = 1/2
    expect(r.densityPerKm2[0]).toBeCloseTo(k * 1e6, 12);
    expect(r.unscaled[0]).toBe(1);
    expect([r.bandwidth, r.bandwidthRule, r.kernel, r.points, r.total, r.noLocation]).toEqual([200, "fixed", "quartic", 1, 1, 0]);
  });

  it("kernelDensity integrates to the number of points on a fine grid with a margin of h", () => {
    const h = 300;
    const pts = { x: [455123.4, 455400, 455390.7], y: [318777.1, 318500, 318900.2] };
    const g = grid(pts, { cellSize: 5, margin: h });
    const r = kernelDensity(pts, g, { bandwidth: h });
    // Midpoint rule on 5 m cells: relative error O((5/300)²) ≈ 3e-4.
    expect(Math.abs(r.integral - 3)).toBeLessThan(3e-3);
    // Without the margin much of the kernels' mass lies beyond the grid.
    const tight = kernelDensity(pts, grid(pts, { cellSize: 5 }), { bandwidth: h });
    expect(tight.integral).toBeLessThan(2.5);
  });

  for (const c of fixture.cases) {
    it(`kernelDensity equals shared/oracles/kde.R to 1e-9 relative (${c.name})`, () => {
      const pts = { x: c.x, y: c.y };
      const g = grid(pts, { cellSize: c.cell });
      // kde.R's "nrd" is sfhotspot's x-only rule.
      const r = kernelDensity(pts, g, { bandwidth: c.bandwidth_arg === "nrd" ? "nrd-x" : c.bandwidth });
      expect(r.bandwidth / c.bandwidth).toBeCloseTo(1, 12);
      expectRelClose(r.density, c.kde_density, 1e-9);
      expectRelClose(r.unscaled, c.kde_unscaled, 1e-9);
      expectRelClose(r.density, c.kde_spatstat, 1e-9);
    });
  }

  it('kernelDensity\'s default "nrd" bandwidth is the mean of MASS bandwidth.nrd over x and y (kde.R meta)', () => {
    const c = fixture.cases.find((k) => k.name === "first1000_c500_nrd")!;
    const pts = { x: c.x, y: c.y };
    const g = grid(pts, { cellSize: 500 });
    const r = kernelDensity(pts, g);
    expect(r.bandwidthRule).toBe("nrd");
    expect(r.bandwidth / c.bandwidth_nrd_mean_xy).toBeCloseTo(1, 13);
    expect(kernelDensity(pts, g, { bandwidth: "nrd-x" }).bandwidth / c.bandwidth_nrd_x).toBeCloseTo(1, 13);
    expect(kernelDensity(pts, g, { bandwidthAdjust: 0.5 }).bandwidth / (c.bandwidth_nrd_mean_xy / 2)).toBeCloseTo(1, 13);
    // The x-only and two-axis rules differ here (2793.8 vs 2826.3 m).
    expect(Math.abs(c.bandwidth_nrd_x - c.bandwidth_nrd_mean_xy)).toBeGreaterThan(10);
  });

  const examples = join(repoRoot, "..", "shared", "oracles", "examples");
  it.skipIf(!existsSync(join(examples, "kde_5k_c100_h500.csv")))(
    "kernelDensity equals shared/oracles/examples/kde_5k_c100_h500.csv (5,000 points, 10,000 cells) and sfhotspot's own grid",
    () => {
      const readCsv = (f: string) => {
        const [head, ...lines] = readFileSync(join(examples, f), "utf8").trim().split("\n");
        const cols = head.split(",");
        const out: Record<string, number[]> = Object.fromEntries(cols.map((k) => [k, []]));
        for (const l of lines) l.split(",").forEach((v, j) => out[cols[j]].push(Number(v)));
        return out;
      };
      const pts = readCsv("points_5k.csv");
      const want = readCsv("kde_5k_c100_h500.csv");
      const p = { x: pts.x, y: pts.y };
      const g = grid(p, { cellSize: 100 });
      expect(Array.from(g.x)).toEqual(want.cell_x);
      const r = kernelDensity(p, g, { bandwidth: 500 });
      expectRelClose(r.density, want.kde_density, 1e-9);
      // SpatialKDE inside sfhotspot 1.0.0 on the oracle grid (kde.R's kde_sfhotspot_oraclegrid).
      expectRelClose(r.unscaled, want.kde_sfhotspot_oraclegrid, 1e-9);
      // sfhotspot::hotspot_kde on its own grid (origin ≈ min − c/2, cells meeting the buffered hull):
      // the same lattice via align, then its `kde` column is our unscaled sum at matching centres.
      const sf = readCsv("kde_5k_c100_h500_sfhotspot.csv");
      const meta = JSON.parse(readFileSync(join(examples, "kde_5k_c100_h500.meta.json"), "utf8"));
      const ox = meta.sfhotspot.own_grid.origin_x, oy = meta.sfhotspot.own_grid.origin_y;
      const gs = grid(p, { cellSize: 100, align: [ox, oy] });
      const rs = kernelDensity(p, gs, { bandwidth: 500 });
      const got: number[] = [];
      for (let i = 0; i < sf.cell_x.length; ++i) {
        const col = Math.round((sf.cell_x[i] - gs.originX) / 100 - 0.5);
        const row = Math.round((sf.cell_y[i] - gs.originY) / 100 - 0.5);
        expect(Math.abs(gs.x[row * gs.columns + col] - sf.cell_x[i])).toBeLessThan(1e-6);
        got.push(rs.unscaled[row * gs.columns + col]);
      }
      expectRelClose(got, sf.kde, 1e-9);
    },
  );

  it('kernelDensity on a hexagon grid equals a brute-force sum over all points', () => {
    const rng = seededRandom(5);
    const xs: number[] = [], ys: number[] = [], ws: number[] = [];
    for (let i = 0; i < 400; ++i) {
      xs.push(rng.normal(455500, 300));
      ys.push(rng.normal(318500, 200));
      ws.push(1 + rng.int(3));
    }
    const pts = { x: xs, y: ys };
    const g = grid(pts, { cellSize: 60, shape: "hexagon", margin: 100 });
    const r = kernelDensity(pts, g, { bandwidth: 250 });
    expectRelClose(r.density, bruteDensity(g.x, g.y, xs, ys, 250), 1e-12);
    const rw = kernelDensity(pts, g, { bandwidth: 250, weights: ws });
    expectRelClose(rw.density, bruteDensity(g.x, g.y, xs, ys, 250, ws), 1e-12);
    expect(rw.total).toBe(ws.reduce((a, b) => a + b, 0));
  });

  it("kernelDensity skips points without a location and counts them", () => {
    const g = grid([0, 0, 299, 299], { cellSize: 100, crs: "EPSG:32630" });
    const r = kernelDensity({ x: [150, NaN, 40], y: [150, 3, Infinity] }, g, { bandwidth: 100 });
    expect([r.points, r.noLocation, r.total]).toEqual([1, 2, 1]);
    expect(r.unscaled[4]).toBe(1);
    const empty = kernelDensity({ x: [], y: [] }, g, { bandwidth: 100 });
    expect([Array.from(empty.density).every((v) => v === 0), empty.points, empty.integral]).toEqual([true, 0, 0]);
  });

  it("kernelDensity throws invalid-option and length-mismatch with the uniform message", () => {
    const g = grid([0, 0, 299, 299], { cellSize: 100 });
    const p = { x: [1, 2], y: [1, 2] };
    expect(thrown(() => kernelDensity(p, g, { bandwidth: -5 }))).toEqual(["invalid-option", 'kernelDensity: bandwidth must be a positive number of metres, "nrd" or "nrd-x", got -5']);
    expect(thrown(() => kernelDensity(p, g, { bandwidth: "silverman" as never }))).toEqual([
      "invalid-option",
      'kernelDensity: bandwidth must be a positive number of metres, "nrd" or "nrd-x", got "silverman"',
    ]);
    expect(thrown(() => kernelDensity(p, g, { kernel: "gaussian" as never }))).toEqual(["invalid-option", 'kernelDensity: kernel must be "quartic", got "gaussian"']);
    expect(thrown(() => kernelDensity(p, g, { bandwidthAdjust: 0 }))).toEqual(["invalid-option", "kernelDensity: bandwidthAdjust must be a positive number, got 0"]);
    expect(thrown(() => kernelDensity(p, g, { weights: [1] }))).toEqual(["length-mismatch", "kernelDensity: weights must be one per point (2), got 1"]);
    expect(thrown(() => kernelDensity(p, g, { weights: [1, NaN] }))).toEqual(["invalid-option", "kernelDensity: weights[1] must be a finite number, got null"]);
    expect(thrown(() => kernelDensity({ x: [1], y: [] }, g, { bandwidth: 10 }))).toEqual(["length-mismatch", "kernelDensity: x and y must be the same length, got [1,0]"]);
    expect(thrown(() => kernelDensity({ x: [1], y: [1] }, g))).toEqual([
      "invalid-option",
      'kernelDensity: bandwidth must be a number of metres when fewer than 2 points have a location (the rule needs a spread), got "nrd"',
    ]);
    expect(thrown(() => kernelDensity({ x: [1, 1], y: [2, 2] }, g))).toEqual(["invalid-option", 'kernelDensity: bandwidth must be a number of metres when the points have no spread, got "nrd"']);
  });

  it("kernelDensity does not mutate its inputs", () => {
    const g = grid([0, 0, 299, 299], { cellSize: 100 });
    const xs = [10, 200, 120], ys = [20, 30, 250], ws = [1, 2, 3];
    const gx = Array.from(g.x);
    kernelDensity({ x: xs, y: ys }, g, { weights: ws });
    expect([xs, ys, ws, Array.from(g.x)]).toEqual([[10, 200, 120], [20, 30, 250], [1, 2, 3], gx]);
  });

  it("synthetic borough: the violent-crime KDE peak lies in the town-centre square [455000,456000)×[318000,319000)", () => {
    const { table, truths } = syntheticBorough({ seed: 1 });
    const violent = dictCode(table.category, "violent-crime");
    const xs: number[] = [], ys: number[] = [];
    for (let i = 0; i < table.length; ++i) {
      if (table.category.codes[i] !== violent) continue;
      xs.push(table.x[i]);
      ys.push(table.y[i]);
    }
    const { x0, y0, sizeM } = truths.violenceCentre;
    const inSquare = (x: number, y: number) => x >= x0 && x < x0 + sizeM && y >= y0 && y < y0 + sizeM;
    for (const bandwidth of [300, 500, "nrd"] as const) {
      const g = grid({ x: xs, y: ys }, { cellSize: 100, margin: 500 });
      const r = kernelDensity({ x: xs, y: ys }, g, { bandwidth });
      let best = 0;
      for (let i = 1; i < g.length; ++i) if (r.density[i] > r.density[best]) best = i;
      expect([bandwidth, inSquare(g.x[best], g.y[best])]).toEqual([bandwidth, true]);
    }
  });
});
