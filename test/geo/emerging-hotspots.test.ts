import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { syntheticBorough, periodIndex, seededRandom } from "@community-safety/core";
import { mannKendall } from "@community-safety/trends";
import {
  EMERGING_HOTSPOT_LABELS,
  emergingHotspotCategory,
  emergingHotspots,
} from "@community-safety/geo";
import { getisOrdGiStar } from "@community-safety/geo";
import { pAdjust } from "@community-safety/geo";
import { distanceBandNeighbours } from "@community-safety/geo";
import { thrownInputError } from "../helpers/errors.js";
import { fixturePath } from "../helpers/data.js";
import { centres, expectClose } from "../helpers/grid-reference.js";

// The category rules are ESRI's ("How Emerging Hot Spot Analysis works", ArcGIS Pro), worked
// by hand below on z/p series built to hit each rule. The whole pipeline — Gi* per step, the
// Mann–Kendall trend of each cell's z and its category — is checked against an independent R
// reference (test/fixtures/geo/space-time-gistar.R → space-time-gistar.json: spdep::localG
// with include.self and binary weights per slice, stats::cor.test(method = "kendall") and the
// ESRI rules written in R) and a hand-worked slice; the agreement with getisOrdGiStar and
// mannKendall is checked as well.

interface EhsaReference {
  alpha: number;
  adjust: "none" | "BH";
  z: number[][];
  p: number[][];
  category: string[];
  hotSteps: number[];
  coldSteps: number[];
  trendS: number[];
  trendZ: number[];
  trendP: number[];
  counts: Record<string, number>;
}
const spaceTime = JSON.parse(readFileSync(fixturePath("geo", "space-time-gistar.json"), "utf8")) as {
  generator: string;
  ehsa: { side: number; cell: number; band: number; steps: number[][]; planted: { name: string; centre: number }[]; "none_0.05": EhsaReference; "BH_0.1": EhsaReference };
};

const SIG = 0.001;
const NS = 0.5;
/** z/p series from a pattern string: H hot, C cold, . not significant; z from `zs` (or ±2.5). */
function series(pattern: string, zs?: number[]): [number[], number[]] {
  const z = [...pattern].map((ch, t) => (zs ? zs[t] : ch === "H" ? 2.5 : ch === "C" ? -2.5 : 0.3 * ((t % 3) - 1)));
  const p = [...pattern].map((ch) => (ch === "." ? NS : SIG));
  return [z, p];
}
const cat = (pattern: string, zs?: number[]) => emergingHotspotCategory(...series(pattern, zs)).category;
const rising = (T: number) => Array.from({ length: T }, (_, t) => 2 + 0.2 * t);
const wobble = (T: number) => Array.from({ length: T }, (_, t) => (t % 2 ? 2.6 : 2.4));

describe("emergingHotspotCategory", () => {
  it("new: hot only in the final step", () => {
    expect(cat(".........H")).toBe("new-hot-spot");
    expect(cat(".........C")).toBe("new-cold-spot");
  });

  it("consecutive: one run of ≥ 2 hot steps ending at the final step, never hot before, < 90% hot", () => {
    expect(cat("......HHHH")).toBe("consecutive-hot-spot");
    expect(cat("........CC")).toBe("consecutive-cold-spot");
    // a hot step before the run makes it sporadic, not consecutive
    expect(cat("..H....HHH")).toBe("sporadic-hot-spot");
    // the TSDoc example
    expect(emergingHotspotCategory([0.1, -0.3, 0.2, 2.5, 3.1], [0.9, 0.7, 0.8, 0.01, 0.002]).category).toBe("consecutive-hot-spot");
  });

  it("intensifying / persistent / diminishing: ≥ 90% hot including the final step, by the Mann–Kendall trend of z", () => {
    expect(cat("HHHHHHHHHH", rising(10))).toBe("intensifying-hot-spot");
    expect(cat("HHHHHHHHHH", wobble(10))).toBe("persistent-hot-spot");
    expect(cat("HHHHHHHHHH", rising(10).reverse())).toBe("diminishing-hot-spot");
    // 9 of 10 is 90%
    expect(cat(".HHHHHHHHH", [0, ...wobble(9)])).toBe("persistent-hot-spot");
    // cold mirrors: intensifying cold = z falling (more negative)
    expect(cat("CCCCCCCCCC", rising(10).map((v) => -v))).toBe("intensifying-cold-spot");
    expect(cat("CCCCCCCCCC", rising(10).reverse().map((v) => -v))).toBe("diminishing-cold-spot");
    expect(cat("CCCCCCCCCC", wobble(10).map((v) => -v))).toBe("persistent-cold-spot");
  });

  it("sporadic: final step hot, on and off before, < 90% hot, never cold; oscillating: with an earlier cold step", () => {
    expect(cat("H..H.H...H")).toBe("sporadic-hot-spot");
    expect(cat("..C..H...H")).toBe("oscillating-hot-spot");
    expect(cat("C..C.C...C")).toBe("sporadic-cold-spot");
    expect(cat("H...C....C")).toBe("oscillating-cold-spot");
  });

  it("historical: final step not hot, ≥ 90% of steps hot", () => {
    expect(cat("HHHHHHHHH.", [...wobble(9), 0.2])).toBe("historical-hot-spot");
    expect(cat("CCCCCCCCC.", [...wobble(9).map((v) => -v), 0.2])).toBe("historical-cold-spot");
    // 8 of 10 is not enough
    expect(cat("HHHHHHHH..", [...wobble(8), 0.2, 0.1])).toBe("no-pattern");
  });

  it('"at least 90%" is literal: 10 of 12 hot steps ending in the final one is consecutive, 11 of 12 persistent', () => {
    expect(cat("..HHHHHHHHHH", [0, 0, ...wobble(10)])).toBe("consecutive-hot-spot");
    expect(cat(".HHHHHHHHHHH", [0, ...wobble(11)])).toBe("persistent-hot-spot");
  });

  it("resolves ESRI's overlaps by table order and by the final step (documented choices)", () => {
    // cold history, hot only at the end: new (listed before oscillating)
    expect(cat("..C......H")).toBe("new-hot-spot");
    // hot 9 of 10 but cold at the end: the final step decides (new cold spot), not historical hot
    expect(cat("HHHHHHHHHC", [...wobble(9), -2.5])).toBe("new-cold-spot");
  });

  it("no pattern when nothing is significant; NaN z-scores are not significant and skipped by the trend", () => {
    expect(cat("..........")).toBe("no-pattern");
    const r = emergingHotspotCategory([Number.NaN, Number.NaN, 1, 2, 3], [Number.NaN, Number.NaN, 0.5, 0.5, 0.001]);
    expect(r.category).toBe("new-hot-spot");
    expect(r.trend?.n).toBe(3);
    expect(emergingHotspotCategory([1, 2], [0.5, 0.001]).trend).toBeNull();
  });

  it("reports the bins and the Mann–Kendall test of z", () => {
    const [z, p] = series("H..H.H...H");
    const r = emergingHotspotCategory(z, p);
    expect(r.hotSteps).toBe(4);
    expect(r.coldSteps).toBe(0);
    expect(r.trend).toEqual(mannKendall(z));
  });

  it("throws InputError with a code for bad input", () => {
    expect(thrownInputError(() => emergingHotspotCategory([1, 2], [0.1])).code).toBe("length-mismatch");
    expect(thrownInputError(() => emergingHotspotCategory([], [])).code).toBe("invalid-input");
    expect(thrownInputError(() => emergingHotspotCategory([1], [0.1], { alpha: 0 })).message).toBe(
      "emergingHotspotCategory: alpha must be a number in (0, 1), got 0",
    );
  });
});

/** A seeded Poisson(4) cube on a square grid of 100 m cells, with `extra(t)` added to each cell of `block`. */
function cube(side: number, T: number, block: number | number[], extra: (t: number) => number, seed = 3) {
  const rng = seededRandom(seed);
  const cells = typeof block === "number" ? [block] : block;
  const steps = Array.from({ length: T }, (_, t) => {
    const v = new Float64Array(side * side);
    for (let i = 0; i < v.length; ++i) v[i] = rng.poisson(4);
    for (const c of cells) v[c] += extra(t);
    return v;
  });
  const x = new Float64Array(side * side);
  const y = new Float64Array(side * side);
  for (let i = 0; i < side * side; ++i) {
    x[i] = (i % side) * 100 + 50;
    y[i] = Math.floor(i / side) * 100 + 50;
  }
  return { steps, x, y };
}
/** The 3 × 3 block of cells centred on (row, col). */
const block3 = (side: number, row: number, col: number) => [-1, 0, 1].flatMap((dr) => [-1, 0, 1].map((dc) => (row + dr) * side + col + dc));

describe("emergingHotspots against independent references", () => {
  it("gives the hand-worked Gi* of each step of a 4-cell line (binary weights, self included)", () => {
    // Cells 100 m apart on a line, band 150 m: neighbourhoods (self included) {0,1}, {0,1,2},
    // {1,2,3}, {2,3}. Values [0, 0, 0, 4]: n = 4, x̄ = 1, s = √((1 + 1 + 1 + 9)/4) = √3;
    // z_i = (Σ_N x − x̄ W_i) / (s √((n W_i − W_i²)/(n − 1))):
    // W = 2: s √(4/3) = 2; W = 3: s √(3/3) = √3. So z = [(0 − 2)/2, (0 − 3)/√3, (4 − 3)/√3, (4 − 2)/2].
    const x = [0, 100, 200, 300], y = [0, 0, 0, 0];
    const r = emergingHotspots([[0, 0, 0, 4], [4, 0, 0, 0], [0, 0, 4, 0]], { x, y, distance: 150 });
    expectClose(r.z[0], [-1, -Math.sqrt(3), 1 / Math.sqrt(3), 1], "z[0]");
    expectClose(r.z[1], [1, 1 / Math.sqrt(3), -Math.sqrt(3), -1], "z[1]"); // the mirror image
    // [0, 0, 4, 0]: W·x̄ as before; sums 0, 4, 4, 4 → z = [−1, 1/√3, 1/√3, 1].
    expectClose(r.z[2], [-1, 1 / Math.sqrt(3), 1 / Math.sqrt(3), 1], "z[2]");
    // p = 2Φ(−|z|): none below 0.05, so every cell has no pattern.
    expectClose(r.p[0], [0.31731050786291409, 0.083264516663550434, 0.56370286165077299, 0.31731050786291409], "p[0]"); // R: 2 * pnorm(-c(1, sqrt(3), 1/sqrt(3), 1))
    expect(r.category).toEqual(["no-pattern", "no-pattern", "no-pattern", "no-pattern"]);
  });

  for (const variant of ["none_0.05", "BH_0.1"] as const) {
    it(`matches R per slice and per cell on a 16 × 16 × 12 cube (spdep localG, cor.test Kendall, ESRI rules; ${variant})`, () => {
      // R 4.2.2, spdep 1.2-7: test/fixtures/geo/space-time-gistar.R
      const c = spaceTime.ehsa;
      const ref = c[variant];
      const { x, y } = centres(c.side, c.cell);
      const r = emergingHotspots(c.steps, { x, y, distance: c.band }, { alpha: ref.alpha, adjust: ref.adjust });
      expect(r.steps).toBe(12);
      for (let t = 0; t < 12; ++t) {
        expectClose(r.z[t], ref.z[t], `z[${t}]`);
        expectClose(r.p[t], ref.p[t], `p[${t}]`);
      }
      expect(Array.from(r.hotSteps)).toEqual(ref.hotSteps);
      expect(Array.from(r.coldSteps)).toEqual(ref.coldSteps);
      expect(Array.from(r.trendS)).toEqual(ref.trendS);
      expectClose(r.trendZ, ref.trendZ, "trendZ");
      expectClose(r.trendP, ref.trendP, "trendP");
      expect(r.category).toEqual(ref.category);
      const nonzero = Object.fromEntries(Object.entries(r.counts).filter(([, v]) => v > 0));
      expect(nonzero).toEqual(ref.counts);
    });
  }

  it("puts R's planted blocks in their intended categories (the reference is not vacuous)", () => {
    const ref = spaceTime.ehsa["none_0.05"];
    const at = (name: string) => ref.category[spaceTime.ehsa.planted.find((p) => p.name === name)!.centre];
    expect(["new", "consecutive", "intensifying", "persistent", "diminishing", "historical", "persistent-cold"].map(at)).toEqual([
      "new-hot-spot", "consecutive-hot-spot", "intensifying-hot-spot", "persistent-hot-spot", "diminishing-hot-spot", "historical-hot-spot", "persistent-cold-spot",
    ]);
    expect(Object.keys(ref.counts).length).toBeGreaterThanOrEqual(10);
  });
});

describe("emergingHotspots", () => {
  it("computes Gi* per step (each step standardised on its own) and the adjusted p-values", () => {
    const { steps, x, y } = cube(12, 6, 40, (t) => 5 * t);
    const nb = distanceBandNeighbours(x, y, 150);
    const r = emergingHotspots(steps, nb, { adjust: "BH" });
    for (let t = 0; t < steps.length; ++t) {
      const g = getisOrdGiStar(steps[t], nb);
      expect(Array.from(r.z[t])).toEqual(Array.from(g.z));
      expect(Array.from(r.p[t])).toEqual(Array.from(pAdjust(g.p, "BH")));
    }
    let total = 0;
    for (const k of Object.keys(EMERGING_HOTSPOT_LABELS)) total += r.counts[k as keyof typeof EMERGING_HOTSPOT_LABELS];
    expect(total).toBe(144);
    expect(Object.keys(r.counts)).toHaveLength(17);
  });

  it("finds a planted cell that turns hot in the last three of twelve steps (consecutive) and one hot throughout and rising (intensifying)", () => {
    const side = 15;
    const { steps, x, y } = cube(side, 12, 7 * side + 7, (t) => (t >= 9 ? 40 : 0));
    // alpha 0.001 so that the Poisson background gives no chance hot bins before the run
    const r = emergingHotspots(steps, { x, y, distance: 150 }, { alpha: 0.001 });
    expect(r.category[7 * side + 7]).toBe("consecutive-hot-spot");
    expect(r.hotSteps[7 * side + 7]).toBe(3);
    // a 3 × 3 cluster growing by 0.5 a cell per step: its share of the map grows, so does z.
    // (A single cell that keeps growing does not intensify: per-step standardisation caps its z.)
    const rising = cube(side, 12, block3(side, 3, 3), (t) => Math.round(2 + 0.5 * t), 5);
    const s = emergingHotspots(rising.steps, { x: rising.x, y: rising.y, distance: 150 });
    expect(s.category[3 * side + 3]).toBe("intensifying-hot-spot");
    expect(s.hotSteps[3 * side + 3]).toBe(12);
    expect(s.trendP[3 * side + 3]).toBeLessThan(0.05);
    expect(s.trendS[3 * side + 3]).toBeGreaterThan(0);
  });

  it("recovers the synthetic borough's emerging ASB + criminal-damage hot spot (last financial year, Thistleby)", () => {
    // Planted truth (packages/core/SYNTHETIC_BOROUGH.md, "Emerging hotspot"): in the last
    // financial year extra ASB (1.5 m) and criminal damage (1 m) in month m = 1…12 on two
    // streets of one Thistleby small area. Quarterly steps over the three financial years
    // (12 steps), 400 m cells, queen band 600 m, defaults (alpha 0.05, no adjustment).
    // (Monthly steps make the village cell "sporadic": with counts of 0–2 a month, single
    // incidents already give significant Gi* in a few early months.)
    const { table: t, truths } = syntheticBorough({ seed: 1 });
    const eh = truths.emergingHotspot!;
    expect(eh.town).toBe("Thistleby");
    const codes = ["anti-social-behaviour", "criminal-damage-arson"].map((c) => t.category.values.indexOf(c));
    const pi = periodIndex(t, "quarter", { coarse: "exclude" });
    expect(pi.periods.map((p) => p.key)).toEqual([
      "2019-Q2", "2019-Q3", "2019-Q4", "2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4", "2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4", "2022-Q1",
    ]);
    const cell = 400;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let i = 0; i < t.length; ++i) {
      if (!Number.isFinite(t.x[i])) continue;
      minX = Math.min(minX, t.x[i]); maxX = Math.max(maxX, t.x[i]);
      minY = Math.min(minY, t.y[i]); maxY = Math.max(maxY, t.y[i]);
    }
    const x0 = Math.floor(minX / cell) * cell;
    const y0 = Math.floor(minY / cell) * cell;
    const nx = Math.floor((maxX - x0) / cell) + 1;
    const ny = Math.floor((maxY - y0) / cell) + 1;
    const steps = pi.periods.map(() => new Float64Array(nx * ny));
    for (let i = 0; i < t.length; ++i) {
      if (!codes.includes(t.category.codes[i]) || !Number.isFinite(t.x[i]) || pi.ordinal[i] < 0) continue;
      const c = Math.floor((t.x[i] - x0) / cell);
      const r = Math.floor((t.y[i] - y0) / cell);
      ++steps[pi.ordinal[i] - pi.offset][r * nx + c];
    }
    const x = new Float64Array(nx * ny);
    const y = new Float64Array(nx * ny);
    for (let r = 0; r < ny; ++r) for (let c = 0; c < nx; ++c) {
      x[r * nx + c] = x0 + (c + 0.5) * cell;
      y[r * nx + c] = y0 + (r + 0.5) * cell;
    }
    const res = emergingHotspots(steps, { x, y, distance: 600 });
    const hot = Math.floor((eh.y - y0) / cell) * nx + Math.floor((eh.x - x0) / cell);
    expect(["new-hot-spot", "consecutive-hot-spot", "intensifying-hot-spot"]).toContain(res.category[hot]);
    expect(res.category[hot]).toBe("consecutive-hot-spot");
    // hot in exactly the four quarters of the last financial year
    const bins = res.z.map((z, k) => (z[hot] > 0 && res.p[k][hot] < 0.05 ? "H" : ".")).join("");
    expect(bins).toBe("........HHHH");
    // and the only emerging (new / consecutive / intensifying) hot spots in the borough are that
    // cell and its band neighbours
    for (let i = 0; i < nx * ny; ++i) {
      if (!["new-hot-spot", "consecutive-hot-spot", "intensifying-hot-spot"].includes(res.category[i])) continue;
      expect(Math.hypot(x[i] - x[hot], y[i] - y[hot])).toBeLessThanOrEqual(600);
    }
  });

  it("names a step whose values are all equal and treats its bins as not significant", () => {
    const { steps, x, y } = cube(6, 4, 0, () => 0);
    steps[1] = new Float64Array(36);
    const r = emergingHotspots(steps, { x, y, distance: 150 });
    expect(r.reason).toBe("Gi* is undefined (all values equal) at time step(s) 1");
    expect(Array.from(r.z[1]).every(Number.isNaN)).toBe(true);
  });

  it("does not change its inputs", () => {
    const { steps, x, y } = cube(5, 4, 0, () => 3);
    const copy = steps.map((s) => Array.from(s));
    emergingHotspots(steps, { x, y, distance: 150 });
    expect(steps.map((s) => Array.from(s))).toEqual(copy);
  });

  it("throws InputError with a code for bad input", () => {
    const { steps, x, y } = cube(4, 3, 0, () => 0);
    expect(thrownInputError(() => emergingHotspots(steps.slice(0, 2), { x, y, distance: 150 })).message).toBe(
      "emergingHotspots: valuesByTime must be at least 3 time steps, got 2",
    );
    expect(thrownInputError(() => emergingHotspots([...steps.slice(0, 2), new Float64Array(3)], { x, y, distance: 150 })).code).toBe("length-mismatch");
    expect(thrownInputError(() => emergingHotspots(steps, { x, y, distance: 150 }, { adjust: "fdr" as never })).code).toBe("invalid-option");
    expect(thrownInputError(() => emergingHotspots(steps, { x, y, distance: 150 }, { trendAlpha: 1 })).code).toBe("invalid-option");
  });
});
