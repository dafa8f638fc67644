import { describe, it, expect } from "vitest";
import { expectInputError } from "../helpers/errors.js";
import { readFileSync } from "node:fs";
import { InputError } from "@community-safety/core";
import { stl, type StlOptions } from "@community-safety/trends";
import { fixturePath } from "../helpers/data.js";

// Reference values: test/fixtures/trends/stl-decompose.R (R 4.2.2 stats::stl on monthly counts
// built from the shared police.uk Leicestershire and Chicago data, and daily Chicago counts).
interface SeriesFixture {
  name: string;
  frequency: number;
  start: number[];
  values: number[];
}
interface StlFixture {
  series: string;
  args: Record<string, number | string>;
  win: { s: number; t: number; l: number };
  deg: { s: number; t: number; l: number };
  jump: { s: number; t: number; l: number };
  inner: number;
  outer: number;
  seasonal: number[];
  trend: number[];
  remainder: number[];
  weights: number[];
}
interface OracleFixture {
  series: string;
  firstMonth: string;
  stlWin: { s: number; t: number; l: number };
  stlSeasonalByCalendarMonth: number[];
  stlSeasonal: number[];
  stlTrend: number[];
  stlRemainder: number[];
}
const fixture = JSON.parse(readFileSync(fixturePath("trends", "stl-decompose.json"), "utf8")) as {
  series: SeriesFixture[];
  stl: StlFixture[];
  oracle: Record<string, OracleFixture>;
};
const seriesByName = new Map(fixture.series.map((s) => [s.name, s]));

/** Translates R's stl arguments to StlOptions. */
function optionsFromR(args: Record<string, number | string>, period: number): StlOptions {
  const o: StlOptions = { period, seasonalWindow: args["s.window"] === "periodic" ? "periodic" : Number(args["s.window"]) };
  if (args["s.degree"] !== undefined) o.seasonalDegree = Number(args["s.degree"]) as 0 | 1;
  if (args["t.window"] !== undefined) o.trendWindow = Number(args["t.window"]);
  if (args["t.degree"] !== undefined) o.trendDegree = Number(args["t.degree"]) as 0 | 1;
  if (args["l.window"] !== undefined) o.lowpassWindow = Number(args["l.window"]);
  if (args["l.degree"] !== undefined) o.lowpassDegree = Number(args["l.degree"]) as 0 | 1;
  if (args["s.jump"] !== undefined) o.seasonalJump = Number(args["s.jump"]);
  if (args["t.jump"] !== undefined) o.trendJump = Number(args["t.jump"]);
  if (args["l.jump"] !== undefined) o.lowpassJump = Number(args["l.jump"]);
  if (args["robust"] !== undefined) o.robust = Boolean(args["robust"]);
  if (args["inner"] !== undefined) o.inner = Number(args["inner"]);
  if (args["outer"] !== undefined) o.outer = Number(args["outer"]);
  return o;
}

/** Largest |a - b| relative to the scale of the series (max |x|). */
function maxScaledDiff(a: ArrayLike<number>, b: ArrayLike<number>, scale: number): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]) / scale);
  return d;
}

const scaleOf = (x: ArrayLike<number>) => Math.max(1, ...Array.from(x, Math.abs));

describe("stl", () => {
  it.each(fixture.stl.map((c, k) => [`${k}: ${c.series} ${JSON.stringify(c.args)}`, c] as const))(
    "stl(x, %s) equals R's stl()",
    (_label, c) => {
      const s = seriesByName.get(c.series)!;
      const fit = stl(s.values, optionsFromR(c.args, s.frequency));
      const scale = scaleOf(s.values);
      // R 4.2.2: stl(ts(x, frequency, start), <args>) — components, weights and parameters.
      expect(maxScaledDiff(fit.seasonal, c.seasonal, scale)).toBeLessThan(1e-9);
      expect(maxScaledDiff(fit.trend, c.trend, scale)).toBeLessThan(1e-9);
      expect(maxScaledDiff(fit.remainder, c.remainder, scale)).toBeLessThan(1e-9);
      expect(maxScaledDiff(fit.weights, c.weights, 1)).toBeLessThan(1e-9);
      expect(fit.windows).toEqual({ seasonal: c.win.s, trend: c.win.t, lowpass: c.win.l });
      expect(fit.degrees).toEqual({ seasonal: c.deg.s, trend: c.deg.t, lowpass: c.deg.l });
      expect(fit.jumps).toEqual({ seasonal: c.jump.s, trend: c.jump.t, lowpass: c.jump.l });
      expect([fit.inner, fit.outer]).toEqual([c.inner, c.outer]);
      expect(fit.periodic).toBe(c.args["s.window"] === "periodic");
    },
  );

  it("agrees with the shared trend oracle (trend.R) on periodic STL of monthly counts", () => {
    for (const o of Object.values(fixture.oracle)) {
      const s = seriesByName.get(o.series)!;
      const fit = stl(s.values, { period: 12, seasonalWindow: "periodic" });
      const scale = scaleOf(s.values);
      // /work/shared/oracles/trend.R, run by stl-decompose.R: <out>_components.csv at full precision.
      expect(maxScaledDiff(fit.seasonal, o.stlSeasonal, scale)).toBeLessThan(1e-9);
      expect(maxScaledDiff(fit.trend, o.stlTrend, scale)).toBeLessThan(1e-9);
      expect(maxScaledDiff(fit.remainder, o.stlRemainder, scale)).toBeLessThan(1e-9);
      expect(fit.windows).toEqual({ seasonal: o.stlWin.s, trend: o.stlWin.t, lowpass: o.stlWin.l });
      // The oracle's seasonal_by_calendar_month (written with 4 decimals by jsonlite).
      const firstMonth = Number(o.firstMonth.slice(5, 7));
      for (let i = 0; i < 12; i++) {
        const month = ((firstMonth - 1 + i) % 12) + 1;
        expect(fit.seasonal[i]).toBeCloseTo(o.stlSeasonalByCalendarMonth[month - 1], 3);
      }
    }
  });

  it("seasonal + trend + remainder reproduces the series, and remainder is x − seasonal − trend exactly", () => {
    const s = seriesByName.get("chicagoMonthly")!;
    for (const options of [
      { period: 12, seasonalWindow: "periodic" },
      { period: 12, seasonalWindow: 7, robust: true },
    ] satisfies StlOptions[]) {
      const fit = stl(s.values, options);
      for (let i = 0; i < s.values.length; i++) {
        expect(fit.remainder[i]).toBe(s.values[i] - fit.seasonal[i] - fit.trend[i]);
        // Floating-point: the sum returns x to within a few units in the last place of the scale.
        expect(Math.abs(fit.seasonal[i] + fit.trend[i] + fit.remainder[i] - s.values[i])).toBeLessThan(1e-12 * 2000);
      }
    }
  });

  it("a periodic fit repeats exactly every period; weights are 1 without robustness", () => {
    const s = seriesByName.get("leicsAsb")!;
    const fit = stl(s.values, { period: 12, seasonalWindow: "periodic" });
    for (let i = 12; i < s.values.length; i++) expect(fit.seasonal[i]).toBe(fit.seasonal[i - 12]);
    expect(Array.from(fit.weights).every((w) => w === 1)).toBe(true);
    expect(fit.degrees.seasonal).toBe(0);
    expect(fit.windows.seasonal).toBe(10 * s.values.length + 1);
  });

  it("splits a level plus a fixed zero-mean cycle into exactly those parts (hand-checkable)", () => {
    // x = 50 + c[i % 4], c = (3, -1, -4, 2) summing to 0. Every cycle-subseries is constant, loess
    // (degree 0 or 1) reproduces constants, the low-pass moving averages of the cycle give 50, so
    // seasonal = c, trend = 50, remainder = 0 up to rounding — for any seasonal window.
    const c = [3, -1, -4, 2];
    const x = Array.from({ length: 40 }, (_, i) => 50 + c[i % 4]);
    for (const options of [
      { period: 4, seasonalWindow: "periodic" },
      { period: 4, seasonalWindow: 7, seasonalDegree: 1 },
      { period: 4, seasonalWindow: 9, robust: true },
    ] satisfies StlOptions[]) {
      const fit = stl(x, options);
      for (let i = 0; i < x.length; i++) {
        expect(fit.seasonal[i]).toBeCloseTo(c[i % 4], 10);
        expect(fit.trend[i]).toBeCloseTo(50, 10);
        expect(fit.remainder[i]).toBeCloseTo(0, 10);
      }
    }
  });

  it("robust fits down-weight an outlier", () => {
    const c = [3, -1, -4, 2];
    const x = Array.from({ length: 40 }, (_, i) => 50 + 2 * i + c[i % 4] + ((i * 7) % 5) * 0.1);
    x[17] += 100;
    const fit = stl(x, { period: 4, seasonalWindow: 7, robust: true });
    expect(fit.weights[17]).toBe(0);
    expect(fit.inner).toBe(1);
    expect(fit.outer).toBe(15);
    expect(fit.remainder[17]).toBeGreaterThan(90);
  });

  it("does not mutate the input and accepts any array-like", () => {
    const s = seriesByName.get("leicsViolence")!;
    const copy = s.values.slice();
    const a = stl(s.values, { period: 12, seasonalWindow: 7 });
    const b = stl(Float64Array.from(s.values), { period: 12, seasonalWindow: 7 });
    expect(s.values).toEqual(copy);
    expect(Array.from(a.trend)).toEqual(Array.from(b.trend));
  });

  it("throws invalid-option for a too-short series, bad windows, degrees, jumps, iterations and NaN", () => {
    const x = Array.from({ length: 30 }, (_, i) => i % 12);
    const bad: [ArrayLike<number>, StlOptions, RegExp][] = [
      [x.slice(0, 24), { period: 12, seasonalWindow: 7 }, /more than 2 \* period = 24 values.*got 24/],
      [x, { period: 1, seasonalWindow: 7 }, /period must be an integer ≥ 2, got 1/],
      [x, { period: 12.5, seasonalWindow: 7 }, /period must be an integer ≥ 2/],
      [x, { period: 12, seasonalWindow: 8 }, /seasonalWindow must be an odd integer ≥ 7 or "periodic", got 8/],
      [x, { period: 12, seasonalWindow: 5 }, /seasonalWindow/],
      [x, { period: 12, seasonalWindow: "periodc" as "periodic" }, /seasonalWindow/],
      [x, { period: 12, seasonalWindow: 7, seasonalDegree: 2 as 0 }, /seasonalDegree must be 0 or 1, got 2/],
      [x, { period: 12, seasonalWindow: 7, trendWindow: 20 }, /trendWindow must be an odd integer ≥ 3, got 20/],
      [x, { period: 12, seasonalWindow: 7, lowpassWindow: 1 }, /lowpassWindow/],
      [x, { period: 12, seasonalWindow: 7, trendJump: 0 }, /trendJump must be an integer ≥ 1, got 0/],
      [x, { period: 12, seasonalWindow: 7, inner: 0 }, /inner must be an integer ≥ 1/],
      [x, { period: 12, seasonalWindow: 7, outer: -1 }, /outer must be an integer ≥ 0/],
      [x.map((v, i) => (i === 3 ? Infinity : v)), { period: 12, seasonalWindow: 7 }, /values\[3\] must be a finite number, got Infinity/],
    ];
    for (const [values, options, message] of bad) {
      let err: unknown;
      try {
        stl(values, options);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).code).toBe("invalid-option");
      expect((err as InputError).message).toMatch(/^stl: /);
      expect((err as InputError).message).toMatch(message);
    }
    // 25 values with period 12 is enough (R: n > 2 * period).
    expect(stl(x.slice(0, 25), { period: 12, seasonalWindow: 7 }).trend).toHaveLength(25);
    // A missing value (an uncovered month) is a gap STL cannot run through: series-gap.
    expectInputError(() => stl(x.map((v, i) => (i === 5 ? Number.NaN : v)), { period: 12, seasonalWindow: 7 }), "series-gap", "stl: values[5] is missing (a gap in the series, e.g. a period the data do not cover); STL cannot run through a gap: split the series at its gaps (seriesRuns)");
  });
});
