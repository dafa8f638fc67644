/**
 * knoxTest's counting loops (issue 13): the whole-day gap histogram (WebAssembly, or its
 * JavaScript twin in knox-nowasm.test.ts) and the general break comparison must give the
 * same observed counts as a naive all-pairs count, and the same permutation results as the
 * implementation they replaced (values recorded from commit 5c52714, before the change).
 */
import { describe, it, expect } from "vitest";
import { seededRandom } from "@community-safety/core";
import { knoxTest, type KnoxTestOptions, type KnoxTestResult } from "@community-safety/geo";

type Metric = "euclidean" | "manhattan";

/** Naive all-pairs counts, row-major (distance band, time band), half-open bands. */
function naiveCounts(x: number[], y: number[], t: number[], db: readonly number[], tb: readonly number[], metric: Metric): number[] {
  const nd = db.length - 1, nt = tb.length - 1;
  const out = new Array<number>(nd * nt).fill(0);
  const band = (v: number, b: readonly number[]) => {
    for (let k = 0; k + 1 < b.length; ++k) if (v >= b[k] && v < b[k + 1]) return k;
    return -1;
  };
  for (let i = 0; i < x.length; ++i) {
    for (let j = i + 1; j < x.length; ++j) {
      const dx = x[i] - x[j], dy = y[i] - y[j];
      const d = metric === "euclidean" ? Math.sqrt(dx * dx + dy * dy) : Math.abs(dx) + Math.abs(dy);
      const s = band(d, db), u = band(Math.abs(t[i] - t[j]), tb);
      if (s >= 0 && u >= 0) out[s * nt + u] += 1;
    }
  }
  return out;
}

/** The seeded cases used to record the pre-change results (one generator, several time kinds). */
function seededCase(s: number): { x: number[]; y: number[]; t: number[]; options: KnoxTestOptions } {
  const rng = seededRandom(s);
  const n = 30 + rng.int(400);
  const x: number[] = [], y: number[] = [], t: number[] = [];
  for (let i = 0; i < n; ++i) {
    x.push(Math.round(rng.range(0, 2000)));
    y.push(Math.round(rng.range(0, 2000)));
    const k = s % 4;
    t.push(k === 0 ? rng.range(0, 100) : k === 1 ? rng.int(100) + 18000 : k === 2 ? rng.int(5000) : rng.int(60) / 4);
  }
  return {
    x, y, t,
    options: {
      distanceBands: s % 3 === 0 ? [50, 150, 300, 500] : [0, 100, 200, 400],
      timeBands: s % 5 === 0 ? [2, 3.5, 7, 14, 30] : [0, 3, 7, 14, 30],
      metric: s % 2 ? "euclidean" : "manhattan",
      permutations: 199,
      seed: s,
    },
  };
}

const field = (r: KnoxTestResult, f: "observed" | "meanPermuted" | "sdPermuted" | "pValue") => r.cells.map((c) => c[f]);

describe("knoxTest counting loops", () => {
  it("knoxTest(events) observed counts equal a naive all-pairs count on seeded data (whole days, wide day ranges, fractions)", () => {
    for (let s = 1; s <= 24; ++s) {
      const { x, y, t, options } = seededCase(s);
      const r = knoxTest({ x, y, t }, options);
      expect(field(r, "observed"), `case ${s}`).toEqual(naiveCounts(x, y, t, options.distanceBands, options.timeBands, options.metric!));
    }
  });

  it("knoxTest(events) keeps the permutation results of the implementation it replaced (same seed, same p-values)", () => {
    // Recorded from the previous implementation (commit 5c52714). Case 1: whole days (the gap
    // histogram); case 4: fractional days (the break comparison).
    const c1 = knoxTest(seededCase(1), seededCase(1).options);
    expect(c1.events).toBe(296);
    expect(c1.closePairs).toBe(4611);
    expect(field(c1, "observed")).toEqual([12, 32, 44, 70, 53, 78, 145, 208, 171, 242, 445, 797]);
    expect(field(c1, "pValue")).toEqual([0.93, 0.15, 0.355, 0.74, 0.295, 0.36, 0.005, 0.7, 0.72, 0.97, 0.17, 0.14]);
    expect(field(c1, "meanPermuted")).toEqual([
      17.21105527638191, 26.34170854271357, 41.50753768844221, 74.69849246231156, 48.89447236180904, 74.5678391959799,
      120.25125628140704, 214.38693467336682, 175.9748743718593, 268.0502512562814, 428.03015075376885, 768.4472361809045,
    ]);
    const c4 = knoxTest(seededCase(4), seededCase(4).options);
    expect(c4.events).toBe(210);
    expect(field(c4, "observed")).toEqual([4, 10, 12, 21, 15, 22, 43, 80, 78, 96, 126, 263]);
    expect(field(c4, "pValue")).toEqual([0.86, 0.245, 0.71, 0.875, 0.87, 0.565, 0.225, 0.265, 0.05, 0.055, 0.86, 0.685]);
    expect(field(c4, "meanPermuted")).toEqual([
      6.065326633165829, 7.824120603015075, 13.231155778894472, 26.502512562814072, 18.71356783919598, 22.36180904522613,
      38.231155778894475, 74.35175879396985, 65.07035175879398, 81.21105527638191, 136.5678391959799, 269.3115577889447,
    ]);
  });

  it("knoxTest(events) gives identical results whether the times are whole days (gap histogram) or shifted by half a day (break comparison)", () => {
    const rng = seededRandom(77);
    const n = 1500;
    const x: number[] = [], y: number[] = [], t: number[] = [];
    for (let i = 0; i < n; ++i) {
      if (i > 10 && rng.uniform() < 0.15) {
        const j = rng.int(i); // a near repeat: within 40 m and 1–10 days of an earlier event
        x.push(x[j] + rng.int(81) - 40);
        y.push(y[j] + rng.int(81) - 40);
        t.push(t[j] + 1 + rng.int(10));
      } else {
        x.push(rng.int(4000));
        y.push(rng.int(4000));
        t.push(rng.int(400));
      }
    }
    const options = { distanceBands: [0, 100, 200, 300], timeBands: [0, 7, 14, 21, 28], permutations: 99, seed: 3 };
    const whole = knoxTest({ x, y, t }, options);
    const shifted = knoxTest({ x, y, t: t.map((v) => v + 0.5) }, options);
    expect(whole.method).toContain("WebAssembly");
    expect(shifted.method).not.toContain("WebAssembly");
    for (const f of ["observed", "meanPermuted", "sdPermuted", "pValue"] as const) expect(field(whole, f), f).toEqual(field(shifted, f));
    expect(field(whole, "observed")).toEqual(naiveCounts(x, y, t, options.distanceBands, options.timeBands, "euclidean"));
    // The planted repeats show: more close pairs within 100 m and 7 days than the permutations give.
    expect(whole.cells[0].pValue).toBeLessThan(0.05);
  });

  it("knoxTest(events) gives the same cells, permutations and p-values on the eight-lane SIMD path (≤ 12 time breaks) as one permutation at a time (13 breaks: gap histogram, or break comparison)", () => {
    // Case 9: whole days 18000 … 18099 (the histogram); case 6: whole days 0 … 4999 (too wide
    // for a histogram of so few pairs: the break comparison).
    for (const [s, step, other] of [[9, 5, "histogram of whole-day gaps (WebAssembly)"], [6, 50, "by comparing each gap with the time breaks"]] as const) {
      const { x, y, t } = seededCase(s);
      const base = { distanceBands: [0, 100, 200, 400], permutations: 101, seed: s }; // 101: the last pass fills 5 of 8 lanes
      const simd = knoxTest({ x, y, t }, { ...base, timeBands: Array.from({ length: 13 }, (_, k) => k * step) });
      const one = knoxTest({ x, y, t }, { ...base, timeBands: Array.from({ length: 14 }, (_, k) => k * step) });
      expect(simd.method).toContain("SIMD");
      expect(one.method).toContain(other);
      // Time bands 0–11 of each distance band are the same cells in both runs.
      const same = (r: KnoxTestResult, nt: number) => r.cells.filter((_, c) => c % nt < 12).map((c) => [c.observed, c.meanPermuted, c.sdPermuted, c.pValue]);
      expect(same(simd, 12), `case ${s}`).toEqual(same(one, 13));
      expect(field(simd, "observed")).toEqual(naiveCounts(x, y, t, base.distanceBands, simd.timeBands, "euclidean"));
    }
  });

  it("knoxTest(events) is deterministic for a seed on the gap-histogram path, and the seed matters", () => {
    const { x, y, t, options } = seededCase(5); // whole days 0 … 4999 (a wide histogram)
    const a = knoxTest({ x, y, t }, options);
    expect(knoxTest({ x, y, t }, options)).toEqual(a);
    expect(field(knoxTest({ x, y, t }, { ...options, seed: 6 }), "meanPermuted")).not.toEqual(field(a, "meanPermuted"));
  });

  it("knoxTest(events) counts gaps on the band breaks in the upper band, and gaps past the last break in none (whole days)", () => {
    // Three events at one place, days 0, 7 and 14: gaps 7, 7 and 14.
    const r = knoxTest({ x: [0, 0, 0], y: [0, 0, 0], t: [0, 7, 14] }, { distanceBands: [0, 1], timeBands: [0, 7, 14], permutations: 9 });
    expect(field(r, "observed")).toEqual([0, 2]);
    // Non-integer breaks: gap 3 is in [2.5, 3.5); gap 4 is in [3.5, 7).
    const s = knoxTest({ x: [0, 0, 0], y: [0, 0, 0], t: [0, 3, 7] }, { distanceBands: [0, 1], timeBands: [2.5, 3.5, 7], permutations: 9 });
    expect(field(s, "observed")).toEqual([1, 1]);
  });
});
