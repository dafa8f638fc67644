import { describe, it, expect } from "vitest";
import { expectInputError } from "../helpers/errors.js";
import { readFileSync } from "node:fs";
import { InputError } from "@community-safety/core";
import { decompose, type DecomposeOptions } from "@community-safety/trends";
import { fixturePath } from "../helpers/data.js";

// Reference values: test/fixtures/trends/stl-decompose.R (R 4.2.2 stats::decompose on monthly
// counts built from the shared police.uk Leicestershire and Chicago data, and daily Chicago
// counts with a weekly cycle); NA is written as null.
interface SeriesFixture {
  name: string;
  frequency: number;
  start: number[];
  values: number[];
}
interface DecomposeFixture {
  series: string;
  type: "additive" | "multiplicative";
  trend: (number | null)[];
  seasonal: number[];
  random: (number | null)[];
  figure: number[];
  /** R's cycle() of the first `frequency` values: the cycle position of figure[k]. */
  cycle: number[];
}
interface OracleFixture {
  series: string;
  firstMonth: string;
  multiplicativeIndexByCalendarMonth: number[];
  additiveByCalendarMonth: number[];
  multTrend: (number | null)[];
  multSeasonal: number[];
  multRandom: (number | null)[];
  addSeasonal: number[];
}
const fixture = JSON.parse(readFileSync(fixturePath("trends", "stl-decompose.json"), "utf8")) as {
  series: SeriesFixture[];
  decompose: DecomposeFixture[];
  oracle: Record<string, OracleFixture>;
};
const seriesByName = new Map(fixture.series.map((s) => [s.name, s]));

/** Compares a result array with R's (null = NA = NaN here), relative to `scale`. */
function expectMatches(actual: Float64Array, expected: (number | null)[], scale: number): void {
  expect(actual).toHaveLength(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    if (e === null) expect(actual[i], `index ${i}`).toBeNaN();
    else expect(Math.abs(actual[i] - e) / scale, `index ${i}: ${actual[i]} vs ${e}`).toBeLessThan(1e-12);
  }
}

const scaleOf = (x: ArrayLike<number>) => Math.max(1, ...Array.from(x, Math.abs));

describe("decompose", () => {
  it.each(fixture.decompose.map((c) => [`${c.series} ${c.type}`, c] as const))("decompose(x, %s) equals R's decompose()", (_label, c) => {
    const s = seriesByName.get(c.series)!;
    const start = s.start[1];
    const d = decompose(s.values, { period: s.frequency, type: c.type, start });
    const scale = scaleOf(s.values);
    const componentScale = c.type === "additive" ? scale : 1;
    // R 4.2.2: decompose(ts(x, frequency, start), type)
    expectMatches(d.trend, c.trend, scale);
    expectMatches(d.seasonal, c.seasonal, componentScale);
    expectMatches(d.random, c.random, componentScale);
    expectMatches(d.figure, c.figure, componentScale);
    // figureByCycle re-indexes R's figure by R's cycle() position.
    for (let k = 0; k < s.frequency; k++) expect(d.figureByCycle[c.cycle[k] - 1]).toBe(d.figure[k]);
    expect(d.ends).toBe(Math.floor(s.frequency / 2));
    expect(d.start).toBe(start);
  });

  it("agrees with the shared trend oracle (trend.R) by calendar month", () => {
    for (const o of Object.values(fixture.oracle)) {
      const s = seriesByName.get(o.series)!;
      const start = Number(o.firstMonth.slice(5, 7));
      const m = decompose(s.values, { period: 12, type: "multiplicative", start });
      const a = decompose(s.values, { period: 12, type: "additive", start });
      // /work/shared/oracles/trend.R: seasonal_index_by_calendar_month (jsonlite, 4 decimals) …
      for (let p = 0; p < 12; p++) {
        expect(m.figureByCycle[p]).toBeCloseTo(o.multiplicativeIndexByCalendarMonth[p], 4);
        expect(a.figureByCycle[p]).toBeCloseTo(o.additiveByCalendarMonth[p], 3);
      }
      // … and its components CSV at full precision.
      const scale = scaleOf(s.values);
      expectMatches(m.trend, o.multTrend, scale);
      expectMatches(m.seasonal, o.multSeasonal, 1);
      expectMatches(m.random, o.multRandom, 1);
      expectMatches(a.seasonal, o.addSeasonal, scale);
    }
  });

  it("recovers a line plus a fixed cycle by hand (odd period: plain moving average)", () => {
    // x_i = i + (2, 5, -1)[i % 3]; the 3-term average is i + 2, so the detrended values are
    // (0, 3, -3) at every position and the figure is already centred.
    const d = decompose([2, 6, 1, 5, 9, 4, 8, 12, 7], { period: 3 });
    expect(d.type).toBe("additive");
    expect(d.trend[0]).toBeNaN();
    expect(d.trend[8]).toBeNaN();
    for (let i = 1; i < 8; i++) expect(d.trend[i]).toBeCloseTo(i + 2, 12);
    expect(Array.from(d.figure).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0, 3, -3]);
    expect(d.ends).toBe(1);
  });

  it("even period uses the 2×period centred average with half weights at the ends", () => {
    // period 4: trend_i = (x_{i-2}/2 + x_{i-1} + x_i + x_{i+1} + x_{i+2}/2) / 4, by hand for x = i².
    const x = Array.from({ length: 12 }, (_, i) => i * i);
    const d = decompose(x, { period: 4 });
    expect(d.ends).toBe(2);
    expect([d.trend[0], d.trend[1], d.trend[10], d.trend[11]].every(Number.isNaN)).toBe(true);
    for (let i = 2; i < 10; i++) {
      const byHand = ((i - 2) ** 2 / 2 + (i - 1) ** 2 + i ** 2 + (i + 1) ** 2 + (i + 2) ** 2 / 2) / 4;
      expect(d.trend[i]).toBeCloseTo(byHand, 10); // = i² + 1.5
    }
  });

  it("additive figures sum to 0, multiplicative ones average 1, and x is rebuilt from the parts", () => {
    const s = seriesByName.get("chicagoMonthly")!;
    const a = decompose(s.values, { period: 12, type: "additive" });
    const m = decompose(s.values, { period: 12, type: "multiplicative" });
    expect(Math.abs(a.figure.reduce((p, v) => p + v, 0))).toBeLessThan(1e-9);
    expect(m.figure.reduce((p, v) => p + v, 0) / 12).toBeCloseTo(1, 12);
    for (let i = 6; i < s.values.length - 6; i++) {
      expect(a.trend[i] + a.seasonal[i] + a.random[i]).toBeCloseTo(s.values[i], 9);
      expect(m.trend[i] * m.seasonal[i] * m.random[i]).toBeCloseTo(s.values[i], 9);
    }
  });

  it("start rotates figureByCycle to calendar positions; figure stays in series order", () => {
    const s = seriesByName.get("leicsAll")!; // starts in December 2019
    const fromJan = decompose(s.values, { period: 12 });
    const fromDec = decompose(s.values, { period: 12, start: 12 });
    expect(Array.from(fromDec.figure)).toEqual(Array.from(fromJan.figure));
    expect(Array.from(fromJan.figureByCycle)).toEqual(Array.from(fromJan.figure));
    expect(fromDec.figureByCycle[11]).toBe(fromDec.figure[0]); // December
    expect(fromDec.figureByCycle[0]).toBe(fromDec.figure[1]); // January
  });

  it("multiplicative decomposition of an exact product by hand", () => {
    // x_i = (10 + i) * (0.5, 1.5)[i % 2]. The period-2 filter (x_{i-1}/2 + x_i + x_{i+1}/2) / 2
    // gives ((10 + i) * 1.5 + (10 + i) * 0.5) / 2 = 10 + i at every inner i, so the ratios are
    // exactly the factors: figure (0.5, 1.5), already averaging 1, and random = 1.
    const x = Array.from({ length: 10 }, (_, i) => (10 + i) * [0.5, 1.5][i % 2]);
    const d = decompose(x, { period: 2, type: "multiplicative" });
    expect(d.ends).toBe(1);
    for (let i = 1; i < 9; i++) {
      expect(d.trend[i]).toBeCloseTo(10 + i, 12);
      expect(d.random[i]).toBeCloseTo(1, 12);
    }
    expect(d.figure[0]).toBeCloseTo(0.5, 12);
    expect(d.figure[1]).toBeCloseTo(1.5, 12);
    expect(d.random[0]).toBeNaN();
  });

  it("does not mutate the input", () => {
    const s = seriesByName.get("leicsAsb")!;
    const copy = s.values.slice();
    decompose(s.values, { period: 12, type: "multiplicative" });
    expect(s.values).toEqual(copy);
  });

  it("throws invalid-option for a too-short series, bad period, type or start, NaN and infinite values", () => {
    const x = Array.from({ length: 24 }, (_, i) => 10 + (i % 12));
    const bad: [ArrayLike<number>, DecomposeOptions, RegExp][] = [
      [x.slice(0, 23), { period: 12 }, /at least 2 \* period = 24 values \(two full periods\), got 23/],
      [x, { period: 1 }, /period must be an integer ≥ 2, got 1/],
      [x, { period: 12, type: "mult" as "additive" }, /type must be "additive" or "multiplicative", got "mult"/],
      [x, { period: 12, start: 0 }, /start must be an integer from 1 to period \(12\), got 0/],
      [x, { period: 12, start: 13 }, /start/],
      [x.map((v, i) => (i === 4 ? -Infinity : v)), { period: 12 }, /values\[4\] must be a finite number, got -Infinity/],
    ];
    for (const [values, options, message] of bad) {
      let err: unknown;
      try {
        decompose(values, options);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).code).toBe("invalid-option");
      expect((err as InputError).message).toMatch(/^decompose: /);
      expect((err as InputError).message).toMatch(message);
    }
    // A missing value (an uncovered month) is a gap it cannot run through: series-gap.
    expectInputError(() => decompose(x.map((v, i) => (i === 0 ? Number.NaN : v)), { period: 12 }), "series-gap", "decompose: values[0] is missing (a gap in the series, e.g. a period the data do not cover); classical decomposition cannot run through a gap");
    // Exactly 2 * period values is enough (R: stops only when length(na.omit(x)) < 2 * f).
    expect(decompose(x, { period: 12 }).figure).toHaveLength(12);
  });
});
