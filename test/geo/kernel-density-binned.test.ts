import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { seededRandom } from "@community-safety/core";
import { grid, kernelDensity, type Grid } from "@community-safety/geo";
// Internal kernels, imported from the source only to check which path ran and to compare the two.
import { binnedQuarticSum, scatterQuarticSum } from "../../packages/geo/src/kernel-density.js";
import { fixturePath } from "../helpers/data.js";
import { thrownCodeAndMessage as thrown } from "../helpers/errors.js";

// Reference values: test/fixtures/geo/kde-binned.json, written by test/fixtures/geo/kde-binned.R
// (R 4.2.2, spatstat.geom / spatstat.explore 3.0-6), which runs shared/oracles/kde.R: the exact
// quartic sum over all point–centre pairs within h (spatstat.geom::crosspairs), cross-checked by
// spatstat.explore::density.ppp(kernel = "quartic", sigma = h/(2√2), edge = FALSE) at the centres.
interface BinnedCase {
  name: string;
  cell: number;
  bandwidth: number;
  nx: number;
  ny: number;
  x: number[];
  y: number[];
  cell_x: number[];
  cell_y: number[];
  kde_unscaled: number[];
  kde_density: number[];
  kde_spatstat: number[];
}
const fixture = JSON.parse(readFileSync(fixturePath("geo", "kde-binned.json"), "utf8")) as { cases: BinnedCase[] };

/** The largest |a − b|/|b|; a zero reference must be matched by an exact zero (else Infinity). */
function maxRel(actual: ArrayLike<number>, want: ArrayLike<number>): number {
  expect(actual.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; ++i) {
    const b = want[i];
    const e = b === 0 ? (actual[i] === 0 ? 0 : Infinity) : Math.abs(actual[i] - b) / Math.abs(b);
    if (!(e <= worst)) worst = e;
  }
  return worst;
}

/** Naive double loop: every centre against every point, Σ w (1 − d²/h²)² over d < h. */
function naive(g: Grid, xs: ArrayLike<number>, ys: ArrayLike<number>, h: number, w?: ArrayLike<number>): Float64Array {
  const out = new Float64Array(g.length);
  for (let c = 0; c < g.length; ++c) {
    let s = 0;
    for (let i = 0; i < xs.length; ++i) {
      const dx = g.x[c] - xs[i], dy = g.y[c] - ys[i];
      const d2 = dx * dx + dy * dy;
      if (d2 < h * h) s += (w === undefined ? 1 : w[i]) * (1 - d2 / (h * h)) ** 2;
    }
    out[c] = s;
  }
  return out;
}

/** Seeded police.uk-like points: `snaps` snap points (whole metres) and `n` incidents on them, 1/rank. */
function snapPoints(seed: number, n: number, snaps: number, x0: number, y0: number, side: number) {
  const rng = seededRandom(seed);
  const sx: number[] = [], sy: number[] = [], p: number[] = [];
  for (let k = 0; k < snaps; ++k) {
    sx.push(Math.round(rng.range(x0, x0 + side)));
    sy.push(Math.round(rng.range(y0, y0 + side)));
    p.push(1 / (k + 1));
  }
  const total = p.reduce((a, b) => a + b, 0);
  const x: number[] = [], y: number[] = [];
  for (let i = 0; i < n; ++i) {
    let u = rng.uniform() * total, k = 0;
    while (k < snaps - 1 && u >= p[k]) u -= p[k++];
    x.push(sx[k]);
    y.push(sy[k]);
  }
  return { x, y };
}

describe("kernelDensity, exact method on square grids (points binned per cell)", () => {
  for (const c of fixture.cases) {
    it(`kernelDensity equals shared/oracles/kde.R to 1e-12 relative, zeros exactly (${c.name})`, () => {
      const pts = { x: c.x, y: c.y };
      const g = grid(pts, { cellSize: c.cell });
      expect([g.columns, g.rows]).toEqual([c.nx, c.ny]);
      expect(Array.from(g.x)).toEqual(c.cell_x);
      expect(Array.from(g.y)).toEqual(c.cell_y);
      // The binned path applies here (h ≥ 2.5 cells, exact lattice).
      expect(binnedQuarticSum(g, Float64Array.from(c.x), Float64Array.from(c.y), null, c.bandwidth)).not.toBeNull();
      const r = kernelDensity(pts, g, { bandwidth: c.bandwidth });
      expect(r.method).toBe("exact");
      expect(maxRel(r.unscaled, c.kde_unscaled)).toBeLessThanOrEqual(1e-12);
      expect(maxRel(r.density, c.kde_density)).toBeLessThanOrEqual(1e-12);
      // spatstat's density.ppp evaluated exactly at the centres (an independent exact sum).
      expect(maxRel(r.density, c.kde_spatstat)).toBeLessThanOrEqual(1e-12);
    });
  }

  it("the snap-point fixture has repeated co-ordinates and empty cells (what it is there to test)", () => {
    const c = fixture.cases.find((k) => k.name === "snap_c20_h200")!;
    const distinct = new Set(c.x.map((x, i) => `${x},${c.y[i]}`)).size;
    expect(distinct).toBeLessThan(50);
    expect(c.x.length).toBeGreaterThan(3000);
    expect(c.kde_unscaled.filter((v) => v === 0).length).toBeGreaterThan(0);
  });

  const configs = [
    { name: "uniform, h = 2.5 cells", seed: 1, n: 300, cell: 40, h: 100, dup: 0 },
    { name: "clustered, h = 8 cells, 0.01 m co-ordinates", seed: 2, n: 3000, cell: 25, h: 200, dup: 0 },
    { name: "clustered, h = 30 cells", seed: 3, n: 1500, cell: 10, h: 300, dup: 0 },
    { name: "heavily duplicated snap points, h = 12.5 cells", seed: 4, n: 4000, cell: 16, h: 200, dup: 1 },
  ];
  for (const k of configs) {
    it(`kernelDensity equals a naive double loop to 1e-12 relative: ${k.name}, weighted and not`, () => {
      const rng = seededRandom(k.seed);
      let xs: number[], ys: number[];
      if (k.dup) ({ x: xs, y: ys } = snapPoints(k.seed, k.n, 60, 455000, 318000, 1200));
      else {
        xs = [];
        ys = [];
        for (let i = 0; i < k.n; ++i) {
          const clustered = rng.uniform() < 0.6;
          xs.push(Math.round(100 * (clustered ? rng.normal(455600, 120) : rng.range(455000, 456200))) / 100);
          ys.push(Math.round(100 * (clustered ? rng.normal(318500, 90) : rng.range(318000, 319200))) / 100);
        }
      }
      const ws = xs.map(() => 1 + rng.int(5));
      // A grid over part of the points only: points outside the grid still count.
      const g = grid([455200, 318200, 456000, 319000], { cellSize: k.cell });
      const px = Float64Array.from(xs), py = Float64Array.from(ys);
      expect(binnedQuarticSum(g, px, py, null, k.h)).not.toBeNull();
      const want = naive(g, xs, ys, k.h);
      expect(maxRel(kernelDensity({ x: xs, y: ys }, g, { bandwidth: k.h }).unscaled, want)).toBeLessThanOrEqual(1e-12);
      const wantW = naive(g, xs, ys, k.h, ws);
      expect(maxRel(kernelDensity({ x: xs, y: ys }, g, { bandwidth: k.h, weights: ws }).unscaled, wantW)).toBeLessThanOrEqual(1e-12);
      // The scatter (the previous method, still used for hexagons) agrees too.
      expect(maxRel(scatterQuarticSum(g, px, py, null, k.h), want)).toBeLessThanOrEqual(1e-12);
    });
  }

  it("kernelDensity with a point repeated 500 times equals that point once with weight 500", () => {
    const g = grid([0, 0, 1000, 1000], { cellSize: 20 });
    const xs = [...Array(500).fill(503.17), 120, 880.5], ys = [...Array(500).fill(498.2), 300, 700];
    const r = kernelDensity({ x: xs, y: ys }, g, { bandwidth: 150 });
    const one = kernelDensity({ x: [503.17, 120, 880.5], y: [498.2, 300, 700] }, g, { bandwidth: 150, weights: [500, 1, 1] });
    expect(maxRel(r.unscaled, one.unscaled)).toBeLessThanOrEqual(1e-13);
    expect([r.points, r.total]).toEqual([502, 502]);
    // The peak: 500 (1 − d²/h²)² at the centre nearest (503.17, 498.2), i.e. (510, 490).
    const i = 24 * g.columns + 25;
    expect([g.x[i], g.y[i]]).toEqual([510, 490]);
    expect(r.unscaled[i] / (500 * (1 - (6.83 ** 2 + 8.2 ** 2) / 150 ** 2) ** 2)).toBeCloseTo(1, 12);
  });

  it("grids whose centres are not an exact lattice, and h under 2.5 cells, fall back to the scatter", () => {
    const xs = [100.3, 250.7, 260.1], ys = [80.2, 120.9, 300.4];
    const odd = grid([0, 0, 500, 500], { cellSize: 10.1, align: [0.37, 0.11] });
    const px = Float64Array.from(xs), py = Float64Array.from(ys);
    expect(binnedQuarticSum(odd, px, py, null, 100)).toBeNull();
    expect(maxRel(kernelDensity({ x: xs, y: ys }, odd, { bandwidth: 100 }).unscaled, naive(odd, xs, ys, 100))).toBeLessThanOrEqual(1e-12);
    expect(binnedQuarticSum(grid([0, 0, 500, 500], { cellSize: 50 }), px, py, null, 100)).toBeNull();
  });
});

describe('kernelDensity(…, { method: "fft" })', () => {
  it("equals the exact sum when every point lies on a cell centre (hand-checkable: one point)", () => {
    const g = grid([0, 0, 1000, 800], { cellSize: 25 });
    const one = kernelDensity({ x: [512.5], y: [387.5] }, g, { bandwidth: 200, method: "fft" });
    const exact = kernelDensity({ x: [512.5], y: [387.5] }, g, { bandwidth: 200 });
    expect(one.method).toBe("fft");
    // At the point's own centre the kernel is 1; 2 cells east (50 m) it is (1 − 50²/200²)².
    const i = 15 * g.columns + 20;
    expect([g.x[i], g.y[i]]).toEqual([512.5, 387.5]);
    expect(one.unscaled[i]).toBeCloseTo(1, 13);
    expect(one.unscaled[i + 2]).toBeCloseTo((1 - 1 / 16) ** 2, 13);
    let worst = 0;
    for (let c = 0; c < g.length; ++c) worst = Math.max(worst, Math.abs(one.unscaled[c] - exact.unscaled[c]));
    expect(worst).toBeLessThan(1e-13);
    // Far from the point (beyond K cells in x or y) the FFT surface is exactly 0.
    expect(one.unscaled[0]).toBe(0);
  });

  it("shares a point between its surrounding centres (linear binning): halfway between two centres", () => {
    const g = grid([0, 0, 500, 500], { cellSize: 50 });
    // (250, 225) lies halfway between the centres (225, 225) and (275, 225).
    const r = kernelDensity({ x: [250], y: [225] }, g, { bandwidth: 200, method: "fft" });
    const k = (d: number) => (d < 200 ? (1 - (d * d) / 200 ** 2) ** 2 : 0);
    const at = (x: number, y: number) => r.unscaled[((y - 25) / 50) * g.columns + (x - 25) / 50];
    expect(at(225, 225)).toBeCloseTo(0.5 * k(0) + 0.5 * k(50), 13);
    expect(at(225, 325)).toBeCloseTo(0.5 * k(100) + 0.5 * k(Math.hypot(50, 100)), 13);
    // The exact value at (225, 225) is k(25): the binning error of this case.
    expect(Math.abs(at(225, 225) - k(25))).toBeGreaterThan(0.01);
  });

  it("is within 5% (max) and 0.5% (mean) of the exact sum on cells above 1% of the peak (clustered points, h = 8 cells)", () => {
    const rng = seededRandom(11);
    const xs: number[] = [], ys: number[] = [];
    for (let i = 0; i < 5000; ++i) {
      xs.push(i % 2 ? rng.normal(455600, 200) : rng.range(455000, 456200));
      ys.push(i % 2 ? rng.normal(318500, 150) : rng.range(318000, 319200));
    }
    const g = grid({ x: xs, y: ys }, { cellSize: 25, margin: 200 });
    const fft = kernelDensity({ x: xs, y: ys }, g, { bandwidth: 200, method: "fft" });
    const exact = kernelDensity({ x: xs, y: ys }, g, { bandwidth: 200 });
    let peak = 0;
    for (const v of exact.unscaled) peak = Math.max(peak, v);
    let max = 0, sum = 0, n = 0;
    for (let c = 0; c < g.length; ++c) {
      const e = exact.unscaled[c];
      if (e < 0.01 * peak) continue;
      const rel = Math.abs(fft.unscaled[c] - e) / e;
      max = Math.max(max, rel);
      sum += rel;
      ++n;
    }
    expect(n).toBeGreaterThan(1000);
    // Linear binning moves weight by under a cell: errors of order (s/h)² = 1.6% here.
    expect(max).toBeLessThan(0.05);
    expect(sum / n).toBeLessThan(0.005);
    // …and not exact (the test would notice the FFT path being bypassed).
    expect(max).toBeGreaterThan(1e-6);
    // Weighted total: the FFT surface integrates like the exact one.
    expect(Math.abs(fft.integral - exact.integral) / exact.integral).toBeLessThan(1e-3);
  });

  it("throws invalid-option for an unknown method and for fft on a hexagon grid", () => {
    const p = { x: [1, 2], y: [1, 2] };
    expect(thrown(() => kernelDensity(p, grid([0, 0, 299, 299], { cellSize: 100 }), { bandwidth: 100, method: "binned" as never }))).toEqual([
      "invalid-option",
      'kernelDensity: method must be "exact" or "fft", got "binned"',
    ]);
    expect(thrown(() => kernelDensity(p, grid([0, 0, 299, 299], { cellSize: 100, shape: "hexagon" }), { bandwidth: 100, method: "fft" }))).toEqual([
      "invalid-option",
      'kernelDensity: method must be "exact" on a hexagon grid ("fft" needs square cells), got "fft"',
    ]);
  });
});
