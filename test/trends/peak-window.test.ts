import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { seededRandom, syntheticBorough } from "@community-safety/core";
import { peakWindow } from "@community-safety/trends";
import { timeOfWeek } from "@community-safety/trends";
import { fixturePath } from "../helpers/data.js";
import { thrownInputError } from "../helpers/errors.js";

// Reference values: hand-built matrices (arithmetic in the comments), and a brute-force search
// written here independently of the implementation (explicit cell sets, no prefix sums) run on
// R's weekday × hour tables of the raw Chicago and Vancouver text
// (test/fixtures/trends/time-of-week.R, R 4.2.2) and on seeded random matrices.

const fx = JSON.parse(readFileSync(fixturePath("trends", "time-of-week.json"), "utf8"));
const cell = (day: number, col: number) => day * 24 + col;

interface Block {
  days: number[];
  col: number;
  h: number;
  cells: Set<number>;
}
/** Every block: runs of 1–7 consecutive days (or the given list) × start column × 1–24 hours. */
function allBlocks(hours?: number, days?: number | number[]): Block[] {
  const lists: number[][] = [];
  if (Array.isArray(days)) lists.push(days);
  else
    for (const len of days !== undefined ? [days] : [1, 2, 3, 4, 5, 6, 7])
      for (let d0 = 0; d0 < 7; ++d0) lists.push(Array.from({ length: len }, (_, k) => (d0 + k) % 7));
  const out: Block[] = [];
  for (const list of lists)
    for (const h of hours !== undefined ? [hours] : Array.from({ length: 24 }, (_, k) => k + 1))
      for (let col = 0; col < 24; ++col) {
        const cells = new Set<number>();
        for (const d of list) {
          // Hour j of the stretch on day d: column col + j, carrying into the next day (and week).
          for (let j = 0; j < h; ++j) {
            const c = col + j;
            cells.add((((d + Math.floor(c / 24)) % 7) * 24 + (c % 24)) % 168);
          }
        }
        out.push({ days: list, col, h, cells });
      }
  return out;
}
const weightOf = (m: ArrayLike<number>, cells: Set<number>) => [...cells].reduce((s, k) => s + m[k], 0);
const totalOf = (m: ArrayLike<number>) => Array.from(m).reduce((s, v) => s + v, 0);
function kulldorff(n: number, N: number, q: number): number {
  const e = N * q;
  if (n <= e) return 0;
  return n * Math.log(n / e) + (N - n > 0 ? (N - n) * Math.log((N - n) / (N - e)) : 0);
}

describe("peakWindow: hand-built matrices", () => {
  it("finds a fixed-size block across midnight and the end of the week, with its sentence", () => {
    // Sunday 22:00–23:59 and Monday 00:00–01:59 hold 10 each; one stray incident elsewhere.
    const m = new Float64Array(168);
    for (const k of [cell(6, 22), cell(6, 23), cell(0, 0), cell(0, 1)]) m[k] = 10;
    m[cell(2, 12)] = 1;
    const r = peakWindow(m, { hours: 4, days: 1 })!;
    expect(r).toMatchObject({ criterion: "share", days: [6], startHour: 22, hours: 4, weight: 40, total: 41, label: "Sun 22:00–02:00" });
    expect(r.cells).toEqual([cell(6, 22), cell(6, 23), cell(0, 0), cell(0, 1)]);
    expect(r.share).toBeCloseTo(40 / 41, 15);
    expect(r.weekShare).toBeCloseTo(4 / 168, 15);
    expect(r.ratio).toBeCloseTo(40 / 41 / (4 / 168), 12);
    // 40/41 = 97.6 % → "98%"; 4/168 = 2.38 % → "2.4%"; ratio 40.98 → "41.0".
    expect(r.sentence).toBe("Sun 22:00–02:00 holds 98% of incidents in 2.4% of the week (41.0 times the average).");
  });

  it("Thu–Sat 00:00–04:00 with days starting 06:00; target and scan criteria", () => {
    // Days start 06:00, so columns 18–21 are clock hours 00–03; rows 3–5 are Thu–Sat nights.
    const m = new Float64Array(168).fill(1);
    for (const d of [3, 4, 5]) for (let c = 18; c < 22; ++c) m[cell(d, c)] = 10;
    // total = 156 × 1 + 12 × 10 = 276; the block holds 120 (43.5 %) in 12/168 = 7.1 % of the week.
    const r = peakWindow(m, { hours: 4, days: 3, dayStartHour: 6, noun: "offences" })!;
    expect(r).toMatchObject({ days: [3, 4, 5], startHour: 0, hours: 4, weight: 120, total: 276, label: "Thu–Sat 00:00–04:00" });
    expect(r.sentence).toBe("Thu–Sat 00:00–04:00 (days starting 06:00) holds 43% of offences in 7.1% of the week (6.1 times the average).");
    // The smallest block holding 40 %: 12 cells hold 43.5 %, 11 cells at most 110/276 = 39.9 %.
    expect(peakWindow(m, { target: 0.4, dayStartHour: 6 })).toMatchObject({ criterion: "target", days: [3, 4, 5], startHour: 0, hours: 4 });
    // The most likely cluster is exactly the raised block.
    expect(peakWindow(m, { dayStartHour: 6 })).toMatchObject({ criterion: "scan", days: [3, 4, 5], startHour: 0, hours: 4 });
    // A timeOfWeek-like result carries its own day start.
    const asResult = { matrix: m, dayStartHour: 6 } as never;
    expect(peakWindow(asResult, { hours: 4, days: 3 })!.label).toBe("Thu–Sat 00:00–04:00");
  });

  it("a fixed list of days; an expected baseline changes the week share", () => {
    const m = new Float64Array(168);
    m[cell(0, 9)] = 5;
    m[cell(2, 9)] = 5;
    m[cell(4, 17)] = 3;
    const r = peakWindow(m, { hours: 1, days: [0, 2] })!;
    expect(r).toMatchObject({ days: [0, 2], startHour: 9, weight: 10, label: "Mon, Wed 09:00–10:00" });
    const base = new Float64Array(168).fill(60);
    base[cell(0, 9)] = 0; // a cell with no exposure (as a skipped hour would be)
    const b = peakWindow(m, { hours: 1, days: [0, 2], expected: base })!;
    expect(b.weekShare).toBeCloseTo(60 / (167 * 60), 15);
  });

  it("returns null for an empty matrix or an unreachable target", () => {
    expect(peakWindow(new Float64Array(168))).toBeNull();
    const m = new Float64Array(168).fill(1);
    expect(peakWindow(m, { hours: 2, days: 1, target: 0.5 })).toBeNull();
  });

  it("validates its input with the uniform message", () => {
    const m = new Float64Array(168).fill(1);
    const cases: [unknown, object, string, string][] = [
      [new Float64Array(24), {}, "invalid-option", "peakWindow: matrix must be 168 numbers (7 days × 24 hours), got Float64Array(24)"],
      [m, { hours: 0 }, "invalid-option", "peakWindow: hours must be an integer from 1 to 24, got 0"],
      [m, { days: 8 }, "invalid-option", "peakWindow: days must be a number of days from 1 to 7 or a list of distinct rows from 0 (Monday) to 6 (Sunday), got 8"],
      [m, { days: [1, 1] }, "invalid-option", "peakWindow: days must be a number of days from 1 to 7 or a list of distinct rows from 0 (Monday) to 6 (Sunday), got [1,1]"],
      [m, { target: 1.5 }, "invalid-option", "peakWindow: target must be a share greater than 0 and at most 1, got 1.5"],
      [m, { expected: [1, 2] }, "length-mismatch", "peakWindow: expected must have 168 entries (7 days × 24 hours), got 2"],
    ];
    for (const [input, options, code, message] of cases) {
      const e = thrownInputError(() => peakWindow(input as never, options));
      expect([e.code, e.message]).toEqual([code, message]);
    }
    const neg = Float64Array.from(m);
    neg[5] = -1;
    expect(thrownInputError(() => peakWindow(neg)).message).toBe("peakWindow: matrix[5] must be a non-negative finite number, got -1");
  });

  it("does not modify its input", () => {
    const m = Float64Array.from({ length: 168 }, (_, k) => k % 7);
    const copy = Float64Array.from(m);
    peakWindow(m);
    expect(m).toEqual(copy);
  });
});

describe("peakWindow against a brute-force search", () => {
  const rng = seededRandom(2024);
  const random = Array.from({ length: 3 }, () => Float64Array.from({ length: 168 }, () => rng.poisson(2 + 8 * rng.uniform())));
  const matrices: [string, ArrayLike<number>][] = [
    ["Chicago (R table of the raw text)", fx.chicago.matrix],
    ["Vancouver (R table of the raw columns)", fx.vancouver.matrix],
    ...random.map((m, k): [string, ArrayLike<number>] => [`random ${k}`, m]),
  ];

  for (const [name, m] of matrices) {
    it(`${name}: share, target and scan criteria`, () => {
      const N = totalOf(m);
      // share: 4 hours on 3 consecutive days
      const fixed = allBlocks(4, 3);
      const bestShare = Math.max(...fixed.map((b) => weightOf(m, b.cells)));
      const r = peakWindow(m, { hours: 4, days: 3 })!;
      expect(r.weight).toBeCloseTo(bestShare, 9);
      expect(weightOf(m, new Set(r.cells))).toBeCloseTo(bestShare, 9);
      // target 25 %: fewest cells reaching the target
      const blocks = allBlocks();
      const reaching = blocks.filter((b) => weightOf(m, b.cells) >= 0.25 * N);
      const fewest = Math.min(...reaching.map((b) => b.cells.size));
      const t = peakWindow(m, { target: 0.25 })!;
      expect(t.cells.length).toBe(fewest);
      expect(t.weight).toBeCloseTo(Math.max(...reaching.filter((b) => b.cells.size === fewest).map((b) => weightOf(m, b.cells))), 9);
      // scan: largest Kulldorff LLR among blocks of at most half the week
      const llrs = blocks.filter((b) => b.cells.size <= 84).map((b) => kulldorff(weightOf(m, b.cells), N, b.cells.size / 168));
      const s = peakWindow(m)!;
      expect(s.logLikelihoodRatio).toBeCloseTo(Math.max(...llrs), 8);
      expect(kulldorff(weightOf(m, new Set(s.cells)), N, s.cells.length / 168)).toBeCloseTo(s.logLikelihoodRatio, 8);
      expect(s.cells.length).toBeLessThanOrEqual(84);
    });
  }

  it("Chicago: weekend late evenings and nights are the peak", () => {
    const r = peakWindow(fx.chicago.matrix, { hours: 4, days: 3, noun: "aggravated assaults" })!;
    // Confirmed by the brute force above; the block is Friday to Sunday from 22:00.
    expect(r.label).toBe("Fri–Sun 22:00–02:00");
    expect(r.sentence).toMatch(/^Fri–Sun 22:00–02:00 holds 11% of aggravated assaults in 7\.1% of the week \(1\.\d times the average\)\.$/);
    // One day, any length: Saturday evening into Sunday morning.
    expect(peakWindow(fx.chicago.matrix, { days: 1 })!.days).toEqual([5]);
  });
});

describe("synthetic borough: the planted night-time-economy peak", () => {
  const { table, truths } = syntheticBorough({ seed: 1 });
  const violence = timeOfWeek(table, { categories: [truths.nteWindow.category], dayStartHour: 6 });

  it("recovers Thu–Sat 00:00–04:00 (ISO weekdays 5–7, hours 0–4 with days starting 06:00) holding ~20 % of violence", () => {
    const r = peakWindow(violence, { hours: 4, days: 3, noun: "violent crimes" })!;
    // truths.nteWindow: weekdays [5, 6, 7] (Fri–Sun calendar days), hours [0, 4): with a 06:00
    // day start those are the nights of Thursday, Friday and Saturday (rows 3–5).
    expect(truths.nteWindow.weekdays).toEqual([5, 6, 7]);
    expect(r.days).toEqual(truths.nteWindow.weekdays.map((w) => w - 2));
    expect([r.startHour, r.startHour + r.hours]).toEqual(truths.nteWindow.hours);
    const sd = Math.sqrt((0.2 * 0.8) / r.total);
    expect(Math.abs(r.share - truths.nteWindow.share)).toBeLessThan(3 * sd);
    expect(r.sentence).toMatch(/^Thu–Sat 00:00–04:00 \(days starting 06:00\) holds 20% of violent crimes in 7\.1% of the week \(2\.\d times the average\)\.$/);
    // With midnight days the same cells are Fri–Sun 00:00–04:00.
    const midnight = peakWindow(timeOfWeek(table, { categories: ["violent-crime"] }), { hours: 4, days: 3 })!;
    expect(midnight.label).toBe("Fri–Sun 00:00–04:00");
    // The smallest block holding 20 % is the planted window itself.
    expect(peakWindow(violence, { target: 0.19 })!.label).toBe("Thu–Sat 00:00–04:00");
  });

  it("the most likely cluster contains the whole planted window", () => {
    const s = peakWindow(violence)!;
    const planted = [3, 4, 5].flatMap((d) => [18, 19, 20, 21].map((c) => cell(d, c)));
    for (const k of planted) expect(s.cells).toContain(k);
    expect(s.ratio).toBeGreaterThan(1.5);
  });
});
