/**
 * knoxTest: observed pair counts against R's NearRepeat method (knox.R) and brute force,
 * the exact permutation expectation, p-value calibration under no interaction, half-open
 * band edges, day handling, and the synthetic borough's planted repeat burglary.
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { IncidentTableBuilder, InputError, PRECISION, clockFor, dictValue, seededRandom, selectRows, syntheticBorough, type IncidentTable } from "@community-safety/core";
import { knoxTest, type KnoxTestResult } from "@community-safety/geo";
import { fixturePath } from "../helpers/data.js";

interface KnoxCase {
  x: number[];
  y: number[];
  t: number[];
  distanceBands: number[];
  timeBands: number[];
  metric: "euclidean" | "manhattan";
  observed: number[];
  spacePairs: number[];
  timePairs: number[];
  expected: number[];
  enumeratedMean?: number[];
  rPermutations?: number;
  rMean?: number[];
  rSd?: number[];
  rPValue?: number[];
}
const oracle = JSON.parse(readFileSync(fixturePath("geo", "knox.json"), "utf8")) as { cases: Record<string, KnoxCase> };

/** All-pairs observed counts, row-major (distance band, time band), half-open bands. */
function bruteCounts(x: number[], y: number[], t: number[], db: number[], tb: number[], metric: "euclidean" | "manhattan"): number[] {
  const nd = db.length - 1, nt = tb.length - 1;
  const out = new Array<number>(nd * nt).fill(0);
  const band = (v: number, b: number[]) => {
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

/** x, y and the local wall-clock time of each row's start in days (Intl, independent of core's clock). */
function localDays(table: IncidentTable): { x: number[]; y: number[]; t: number[] } {
  const fmt = new Intl.DateTimeFormat("en-GB", { timeZone: table.zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const x: number[] = [], y: number[] = [], t: number[] = [];
  for (let i = 0; i < table.length; ++i) {
    const p = Object.fromEntries(fmt.formatToParts(new Date(table.start[i] * 60_000)).map((q) => [q.type, Number(q.value)]));
    x.push(table.x[i]);
    y.push(table.y[i]);
    t.push(Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) / 86_400_000);
  }
  return { x, y, t };
}

const field = (r: KnoxTestResult, f: "observed" | "expected" | "meanPermuted" | "sdPermuted" | "pValue") => r.cells.map((c) => c[f]);

describe("knoxTest(events, options) against R (knox.R, NearRepeat's method in base R)", () => {
  it("puts two events 100 m and 3 days apart in [100, 200) × [0, 7) (half-open bands, hand-worked)", () => {
    const r = knoxTest({ x: [0, 100], y: [0, 0], t: [0, 3] }, { distanceBands: [0, 100, 200], timeBands: [0, 7, 14], permutations: 9 });
    expect(r.cells.map((c) => [c.distanceFrom, c.distanceTo, c.timeFrom, c.timeTo, c.observed])).toEqual([
      [0, 100, 0, 7, 0],
      [0, 100, 7, 14, 0],
      [100, 200, 0, 7, 1],
      [100, 200, 7, 14, 0],
    ]);
    // Two events: every permutation keeps the one gap, so each permuted count equals the observed.
    expect(r.cells[2]).toMatchObject({ meanPermuted: 1, sdPermuted: 0, knoxRatio: 1, pValue: 1, z: null, reason: "permuted counts do not vary" });
    // 3-4-5 triangle: 100 m exactly; 7 days exactly is in [7, 14).
    const s = knoxTest({ x: [0, 60], y: [0, 80], t: [0, 7] }, { distanceBands: [0, 100, 200], timeBands: [0, 7, 14], permutations: 1 });
    expect(field(s, "observed")).toEqual([0, 0, 0, 1]);
  });

  it("matches R's observed counts and band pair counts on the hand-placed edge case", () => {
    const c = oracle.cases.edges;
    const r = knoxTest(c, { distanceBands: c.distanceBands, timeBands: c.timeBands, permutations: 99 });
    // R 4.2.2: table(cut(dist(xy), sds, right = FALSE), cut(dist(t), tds, right = FALSE)); by hand: A–E, B–C | – | A–B, B–E, C–E | A–C, C–D
    expect(field(r, "observed")).toEqual(c.observed);
    expect(field(r, "observed")).toEqual([2, 0, 3, 2]);
    expect(r.spacePairs).toEqual(c.spacePairs);
    expect(r.timePairs).toEqual(c.timePairs);
    field(r, "expected").forEach((v, k) => expect(v).toBeCloseTo(c.expected[k], 12));
  });

  it("gives the exact permutation expectation: R's mean over all 7! permutations, and ours", () => {
    const c = oracle.cases.tiny;
    const r = knoxTest(c, { distanceBands: c.distanceBands, timeBands: c.timeBands, permutations: 99 });
    expect(field(r, "observed")).toEqual(c.observed);
    // R 4.2.2 knox.R: mean of the 5,040 permuted tables = space pairs × time pairs / all pairs.
    field(r, "expected").forEach((v, k) => expect(v).toBeCloseTo(c.enumeratedMean![k], 12));
    // The same identity by enumerating the 5,040 permutations here.
    const sum = new Array<number>(r.cells.length).fill(0);
    const perm = [0, 1, 2, 3, 4, 5, 6];
    let count = 0;
    const visit = (k: number) => {
      if (k === perm.length) {
        bruteCounts(c.x, c.y, perm.map((p) => c.t[p]), c.distanceBands, c.timeBands, "euclidean").forEach((v, m) => (sum[m] += v));
        ++count;
        return;
      }
      for (let i = k; i < perm.length; ++i) {
        [perm[k], perm[i]] = [perm[i], perm[k]];
        visit(k + 1);
        [perm[k], perm[i]] = [perm[i], perm[k]];
      }
    };
    visit(0);
    expect(count).toBe(5040);
    field(r, "expected").forEach((v, k) => expect(v).toBeCloseTo(sum[k] / count, 12));
  });

  for (const metric of ["euclidean", "manhattan"] as const) {
    it(`matches R on 180 events with planted near repeats (${metric}): counts exactly, Monte Carlo moments and p-values within error`, () => {
      const c = oracle.cases[`random_${metric}`];
      const perms = 9999;
      const r = knoxTest(c, { distanceBands: c.distanceBands, timeBands: c.timeBands, metric, permutations: perms, seed: 11 });
      // R 4.2.2 knox.R (dist(method = metric), cut(right = FALSE), table)
      expect(field(r, "observed")).toEqual(c.observed);
      expect(field(r, "observed")).toEqual(bruteCounts(c.x, c.y, c.t, c.distanceBands, c.timeBands, metric));
      expect(r.spacePairs).toEqual(c.spacePairs);
      expect(r.timePairs).toEqual(c.timePairs);
      expect(r.totalPairs).toBe((180 * 179) / 2);
      r.cells.forEach((cell, k) => {
        expect(cell.expected).toBeCloseTo(c.expected[k], 10);
        // Our Monte Carlo mean: within 4 standard errors of the exact expectation.
        expect(Math.abs(cell.meanPermuted - cell.expected)).toBeLessThan((4 * cell.sdPermuted) / Math.sqrt(perms) + 1e-9);
        // R's 9,999 permutations (another RNG): sd within 6%, p-value within 4 combined SEs.
        expect(Math.abs(cell.sdPermuted / c.rSd![k] - 1)).toBeLessThan(0.06);
        const p = c.rPValue![k];
        expect(Math.abs(cell.pValue - p)).toBeLessThan(4 * Math.sqrt((2 * p * (1 - p)) / perms) + 2 / perms);
        expect(cell.knoxRatio).toBeCloseTo(cell.observed / cell.meanPermuted, 12);
        expect(cell.z).toBeCloseTo((cell.observed - cell.meanPermuted) / cell.sdPermuted, 12);
      });
      // The planted near repeats (≤ 57 m, 1–10 days) show in the closest cells.
      expect(r.cells[0].pValue).toBeLessThan(0.01);
      expect(r.cells[0].knoxRatio!).toBeGreaterThan(2);
    });
  }

  it("matches brute-force all-pairs counts on seeded data and stores only the close pairs", () => {
    for (let seed = 1; seed <= 20; ++seed) {
      const rng = seededRandom(seed);
      const n = 50 + rng.int(250);
      const x: number[] = [], y: number[] = [], t: number[] = [];
      for (let i = 0; i < n; ++i) {
        x.push(Math.round(rng.range(0, 3000)));
        y.push(Math.round(rng.range(0, 3000)));
        t.push(seed % 2 ? rng.int(200) : rng.range(0, 200));
      }
      const db = seed % 3 === 0 ? [50, 150, 300, 500] : [0, 100, 200, 400];
      const tb = [0, 3, 7, 14, 30];
      const metric = seed % 4 === 0 ? "manhattan" : "euclidean";
      const r = knoxTest({ x, y, t }, { distanceBands: db, timeBands: tb, metric, permutations: 5, seed });
      expect(field(r, "observed"), `seed ${seed}`).toEqual(bruteCounts(x, y, t, db, tb, metric));
      const close = bruteCounts(x, y, t, db, [0, Infinity], metric).reduce((a, b) => a + b, 0);
      expect(r.closePairs).toBe(close);
      expect(r.spacePairs.reduce((a, b) => a + b, 0)).toBe(close);
    }
  });

  it("gives calibrated p-values when space and time are independent", () => {
    // 300 seeded data sets with uniform places and uniform days, one cell each (independent tests).
    let le05 = 0, le50 = 0;
    const sets = 300;
    for (let s = 0; s < sets; ++s) {
      const rng = seededRandom(1000 + s);
      const n = 200;
      const x = Array.from({ length: n }, () => rng.range(0, 2000));
      const y = Array.from({ length: n }, () => rng.range(0, 2000));
      const t = Array.from({ length: n }, () => rng.int(365));
      const r = knoxTest({ x, y, t }, { distanceBands: [0, 200], timeBands: [0, 14], permutations: 99, seed: s });
      const p = r.cells[0].pValue;
      if (p <= 0.05) ++le05;
      if (p <= 0.5) ++le50;
    }
    // P(p ≤ α) ≤ α for a permutation test (= α without ties); 3-SD binomial bands, a little slack below for ties.
    const band = (a: number) => 3 * Math.sqrt((a * (1 - a)) / sets);
    expect(le05 / sets).toBeLessThan(0.05 + band(0.05));
    expect(le05 / sets).toBeGreaterThan(0.05 - band(0.05) - 0.01);
    expect(le50 / sets).toBeLessThan(0.5 + band(0.5));
    expect(le50 / sets).toBeGreaterThan(0.5 - band(0.5) - 0.05);
  });

  it("is deterministic for a seed, and the seed changes the permutations", () => {
    const c = oracle.cases.random_euclidean;
    const o = { distanceBands: c.distanceBands, timeBands: c.timeBands, permutations: 199 };
    const a = knoxTest(c, { ...o, seed: 5 });
    expect(knoxTest(c, { ...o, seed: 5 })).toEqual(a);
    expect(field(knoxTest(c, { ...o, seed: 6 }), "meanPermuted")).not.toEqual(field(a, "meanPermuted"));
    expect(knoxTest(c, { distanceBands: c.distanceBands, timeBands: c.timeBands }).permutations).toBe(999);
    expect(knoxTest(c, { distanceBands: c.distanceBands, timeBands: c.timeBands, permutations: 9 }).seed).toBe(1);
  });

  it("handles fewer than two events, missing values, and does not mutate input", () => {
    const r = knoxTest({ x: [1, NaN], y: [1, 2], t: [0, 0] }, { distanceBands: [0, 10], timeBands: [0, 1], permutations: 9 });
    expect(r.events).toBe(1);
    expect(r.excluded).toBe(1);
    expect(r.cells[0]).toMatchObject({ observed: 0, expected: 0, knoxRatio: null, z: null, pValue: 1, reason: "fewer than two events" });
    const x = [3, 1, 2], y = [1, 1, 1], t = [5, 1, 3];
    knoxTest({ x, y, t }, { distanceBands: [0, 5], timeBands: [0, 3], permutations: 9 });
    expect([x, y, t]).toEqual([[3, 1, 2], [1, 1, 1], [5, 1, 3]]);
  });

  it("throws InputError with codes for bad options", () => {
    const ev = { x: [0, 1], y: [0, 1], t: [0, 1] };
    const base = { distanceBands: [0, 100], timeBands: [0, 7] };
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return [(e as InputError).code, (e as Error).message];
      }
      return null;
    };
    expect(code(() => knoxTest(ev, { ...base, distanceBands: [100] }))).toEqual([
      "invalid-option",
      "knoxTest: distanceBands must be at least two strictly increasing finite numbers from 0 up (band breaks), got [100]",
    ]);
    expect(code(() => knoxTest(ev, { ...base, timeBands: [0, 7, 7] }))?.[0]).toBe("invalid-option");
    expect(code(() => knoxTest(ev, { ...base, timeBands: [-1, 7] }))?.[0]).toBe("invalid-option");
    expect(code(() => knoxTest(ev, { ...base, permutations: 0 }))).toEqual(["invalid-option", "knoxTest: permutations must be an integer from 1 to 1,000,000, got 0"]);
    expect(code(() => knoxTest(ev, { ...base, seed: 1.5 }))?.[0]).toBe("invalid-option");
    expect(code(() => knoxTest(ev, { ...base, metric: "chebyshev" as "euclidean" }))?.[0]).toBe("invalid-option");
    expect(code(() => knoxTest(ev, { ...base, categories: ["burglary"] }))?.[0]).toBe("invalid-option");
    expect(code(() => knoxTest(ev, { ...base, time: "midpoint" }))?.[0]).toBe("invalid-option");
    expect(code(() => knoxTest({ x: [0, 1], y: [0], t: [0, 1] }, base))?.[0]).toBe("length-mismatch");
  });
});

describe("knoxTest on incident tables", () => {
  it("refuses month-precision records (police.uk) with precision-too-coarse", () => {
    const { table } = syntheticBorough({ seed: 2, scale: 2000, years: 1 }); // 20% of ASB is month-precision
    let e: unknown;
    try {
      knoxTest(table, { distanceBands: [0, 100], timeBands: [0, 7], categories: ["anti-social-behaviour"], permutations: 9 });
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).code).toBe("precision-too-coarse");
    expect((e as Error).message).toMatch(/^knoxTest: incident times must be known to the day or finer .*, got "\d+ record\(s\) of month precision, first at row \d+"$/);
    // Day-precision and finer records are accepted (burglary: minute and hour precision, from/to
    // windows), and counted as an all-pairs count over the same records says: times are the
    // local (Europe/London) wall-clock start in days, read here with Intl rather than core's clock.
    const burglary = selectRows(table, (i) => dictValue(table.category, i) === "burglary");
    const r = knoxTest(table, { distanceBands: [0, 100, 400], timeBands: [0, 7, 28], categories: ["burglary"], permutations: 9 });
    const ev = localDays(burglary);
    expect(r.events).toBe(burglary.length);
    expect(r.events).toBeGreaterThan(50);
    expect(field(r, "observed")).toEqual(bruteCounts(ev.x, ev.y, ev.t, [0, 100, 400], [0, 7, 28], "euclidean"));
    expect(r.spacePairs).toEqual(bruteCounts(ev.x, ev.y, ev.t, [0, 100, 400], [0, Infinity], "euclidean"));
    expect(r.totalPairs).toBe((burglary.length * (burglary.length - 1)) / 2);
    expect(field(r, "observed").reduce((a, b) => a + b, 0)).toBeGreaterThan(0); // the check is not vacuous
  });

  it("counts whole local days for day-precision records, across the spring clock change", () => {
    const clock = clockFor("Europe/London");
    const b = new IncidentTableBuilder("Europe/London", "EPSG:27700", 4);
    const add = (x: number, y: number, [yr, mo, d]: number[]) => {
      const i = b.addRow();
      b.x[i] = x;
      b.y[i] = y;
      b.start[i] = clock.fromLocal(yr, mo, d);
      b.end[i] = clock.fromLocal(yr, mo, d + 1);
      b.precision[i] = PRECISION.day;
      b.dict.category.set(i, "burglary");
    };
    add(0, 0, [2021, 3, 27]); // Saturday before the clock change (28 March 2021)
    add(50, 0, [2021, 4, 3]); // 7 calendar days later, but 6 days 23 hours of elapsed time
    const table = b.finish();
    expect((table.start[1] - table.start[0]) / 1440).toBeCloseTo(6 + 23 / 24, 12);
    const r = knoxTest(table, { distanceBands: [0, 100], timeBands: [0, 7, 14], permutations: 9 });
    expect(field(r, "observed")).toEqual([0, 1]); // [7, 14), as a calendar reading says
    const m = knoxTest(table, { distanceBands: [0, 100], timeBands: [0, 7, 14], permutations: 9, time: "midpoint" });
    expect(field(m, "observed")).toEqual([0, 1]);
  });

  it("shows the synthetic borough's planted repeat burglary as a near-repeat excess within 100 m and 42 days", () => {
    const { table, truths } = syntheticBorough({ seed: 1 });
    // Planted truth (SYNTHETIC_BOROUGH.md): 8% of residential burglary victims burgled again 1–40 days later.
    expect(truths.repeatBurglary).toEqual({ subcategory: "residential", share: 0.08, withinDays: 42 });
    const residential = selectRows(table, (i) => dictValue(table.category, i) === "burglary" && dictValue(table.subcategory, i) === "residential");
    const weekly = knoxTest(residential, { distanceBands: [0, 100, 200], timeBands: [0, 7, 14, 21, 28, 35, 42], permutations: 999, seed: 1 });
    const r = knoxTest(residential, { distanceBands: [0, 100, 200], timeBands: [0, 42, 84], permutations: 999, seed: 1 });
    const near = r.cells[0]; // [0, 100 m) × [0, 42 days)
    // Observed counts: an all-pairs count over the same records (local start times via Intl).
    const ev = localDays(residential);
    expect(field(r, "observed")).toEqual(bruteCounts(ev.x, ev.y, ev.t, [0, 100, 200], [0, 42, 84], "euclidean"));
    expect(near.knoxRatio!).toBeGreaterThan(1.05);
    expect(near.pValue).toBeLessThanOrEqual(0.01);
    // The weekly cells within 100 m add up to the 42-day cell, and mostly exceed expectation.
    expect(weekly.cells.slice(0, 6).reduce((s, c) => s + c.observed, 0)).toBe(near.observed);
    expect(weekly.cells.slice(0, 6).filter((c) => c.knoxRatio! > 1).length).toBeGreaterThanOrEqual(5);
    // No planted interaction beyond 42 days: no excess there.
    expect(r.cells[1].pValue).toBeGreaterThan(0.05);
    expect(r.sentence).toMatch(/^Pairs of incidents within 100 m and within 42 days of each other occurred 1\.\d+ times as often as expected/);
  });
});
