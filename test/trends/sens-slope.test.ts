import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { seasonalSensSlope, sensSlope } from "@community-safety/trends";
import { roundHalfEven } from "../../packages/trends/src/sens-slope.js"; // internal helper, not in the index
import { fixturePath } from "../helpers/data.js";
import { thrownInputError } from "../helpers/errors.js";

// Reference values: test/fixtures/trends/trend-tests.json, written by trend-tests.R (R 4.2.2):
// `oracle_trend_R.sen` is shared/oracles/trend.R (Sen slope per month with t = months since the
// first month, Conover intercept, Gilbert 1987 CI with R's round); `trend_pkg` is package trend
// 1.1.1's sens.slope / sea.sens.slope (R sources of cran/trend @ 184ad4e, sourced: trend is not in
// Debian); `seasonal_sen` is the Hirsch et al. (1982) seasonal slope written out by hand in R.
// trend-tests-check.py recomputes them with NumPy and scipy.stats.theilslopes (slope).
interface SenOracle { slope_per_month: number; intercept: number; n_pairs: number; ci_lower: number | null; ci_upper: number | null; ci_ranks: number[] }
interface SeriesFixture {
  name: string;
  values: (number | null)[];
  times: number[];
  start_season: number;
  period: number;
  oracle_trend_R: { sen: SenOracle; n: number };
  seasonal_sen: { slope: number | null; n_pairs: number; seasons: { season: number; n: number; n_pairs: number; slope: number | null }[] };
  trend_pkg: { sens_slope: { slope: number; ci_lower: number; ci_upper: number }; sea_sens_slope?: number } | null;
}
interface SmallFixture {
  name: string;
  values: (number | null)[];
  mk: { sen: { slope: number; intercept: number; n_pairs: number; ci_ranks: number[]; ci_lower: number | null; ci_upper: number | null } };
  trend_pkg: { sen_slope: number; ci_lower: number; ci_upper: number } | null;
}
const fixture = JSON.parse(readFileSync(fixturePath("trends", "trend-tests.json"), "utf8")) as {
  series: SeriesFixture[];
  small: SmallFixture[];
  sen_conf_levels: { series: string; results: { conf_level: number; slope: number; ci_lower: number; ci_upper: number; ci_ranks: number[] }[] };
  small_seasonal: { values: number[]; period: number; start: number; seasonal_sen: SeriesFixture["seasonal_sen"] };
  round_half_even: { x: number[]; r_round: number[] };
};
const values = (v: (number | null)[]) => Float64Array.from(v, (x) => (x === null ? Number.NaN : x));
const series = (name: string) => fixture.series.find((s) => s.name === name)!;

function close(a: number | null, b: number | null, rel = 1e-12, abs = 1e-13) {
  expect(a).not.toBeNull();
  expect(b).not.toBeNull();
  if (Math.abs(a! - b!) > rel * Math.abs(b!) + abs) expect(a).toBe(b);
}

describe("sensSlope", () => {
  it("sensSlope([1, 2, 3, 4, 5]) is 1 with intercept 1 and CI [1, 1]", () => {
    // Hand: every pairwise slope is 1; x − t = 1 throughout. C = 1.96·√(50/3) = 8.0015, so the
    // ranks are round(0.999) = 1 and round(10.0008) = 10 of the 10 slopes.
    const r = sensSlope([1, 2, 3, 4, 5]);
    expect([r.slope, r.intercept, r.lower, r.upper, r.nPairs, r.n, r.reason]).toEqual([1, 1, 1, 1, 10, 5, null]);
    expect(r.ranks).toEqual([1, 10]);
  });

  for (const c of fixture.small) {
    it(`matches the hand-written R (and trend::sens.slope) on ${c.name}`, () => {
      const r = sensSlope(values(c.values));
      const h = c.mk.sen;
      close(r.slope, h.slope);
      close(r.intercept, h.intercept);
      expect(r.nPairs).toBe(h.n_pairs);
      expect(r.ranks).toEqual(h.ci_ranks);
      expect(r.lower).toEqual(h.ci_lower);
      expect(r.upper).toEqual(h.ci_upper);
      if (c.trend_pkg !== null) {
        // trend 1.1.1 sens.slope(x)
        close(r.slope, c.trend_pkg.sen_slope);
        expect([r.lower, r.upper]).toEqual([c.trend_pkg.ci_lower, c.trend_pkg.ci_upper]);
      }
    });
  }

  for (const name of ["leics-all", "leics-anti-social-behaviour", "leics-bicycle-theft", "leics-burglary", "charnwood-all", "leics-2014-burglary", "chicago-all", "chicago-residence", "chicago-all-gappy", "nottem", "oracle-monthly-48"]) {
    it(`matches shared/oracles/trend.R on ${name}`, () => {
      const s = series(name);
      const o = s.oracle_trend_R.sen;
      for (const r of [sensSlope(values(s.values)), sensSlope(values(s.values), { times: s.times })]) {
        expect(r.n).toBe(s.oracle_trend_R.n);
        expect(r.nPairs).toBe(o.n_pairs);
        close(r.slope, o.slope_per_month);
        close(r.intercept, o.intercept);
        expect(r.ranks).toEqual(o.ci_ranks);
        expect(r.lower).toBe(o.ci_lower);
        expect(r.upper).toBe(o.ci_upper);
      }
      if (s.trend_pkg !== null) {
        // trend 1.1.1 sens.slope(x)
        const r = sensSlope(values(s.values));
        close(r.slope, s.trend_pkg.sens_slope.slope);
        expect([r.lower, r.upper]).toEqual([s.trend_pkg.sens_slope.ci_lower, s.trend_pkg.sens_slope.ci_upper]);
      }
    });
  }

  it("confLevel moves the limits as in R (leics-burglary at 0.8, 0.9, 0.99)", () => {
    const x = values(series(fixture.sen_conf_levels.series).values);
    for (const c of fixture.sen_conf_levels.results) {
      const r = sensSlope(x, { confLevel: c.conf_level });
      expect([r.lower, r.upper, ...r.ranks]).toEqual([c.ci_lower, c.ci_upper, ...c.ci_ranks]);
      close(r.slope, c.slope);
    }
  });

  it("times give the slope per unit of time and need not be sorted", () => {
    // Hand: x = 2t + 1 sampled at t = 0, 3, 1, 10 → every slope 2, intercept 1.
    const r = sensSlope([1, 7, 3, 21], { times: [0, 3, 1, 10] });
    expect([r.slope, r.intercept]).toEqual([2, 1]);
    // The same points in months, given as years: 12 times steeper.
    const s = series("chicago-residence");
    const perYear = sensSlope(values(s.values), { times: s.times.map((t) => t / 12) });
    close(perYear.slope, 12 * s.oracle_trend_R.sen.slope_per_month);
  });

  it("CI limits are null with a reason when their ranks fall outside the slopes", () => {
    const r = sensSlope([3, 5]);
    expect([r.slope, r.intercept, r.lower, r.upper]).toEqual([2, 3, null, null]);
    expect(r.reason).toBe("too few values for a 0.95 interval: ranks 0, 2 outside 1..1");
  });

  it("roundHalfEven rounds like R's round()", () => {
    // R 4.2.2: round(c(0.5, 1.5, 2.5, -0.5, -1.5, 3.5, 2.4999999999999996, 4.5000000000000009))
    const { x, r_round } = fixture.round_half_even;
    expect(x.map((v) => roundHalfEven(v) + 0)).toEqual(r_round.map((v) => v + 0));
  });

  it("refuses fewer than 2 values, and validates options", () => {
    const e = thrownInputError(() => sensSlope([4, Number.NaN]));
    expect([e.code, e.message]).toEqual(["empty-input", "sensSlope: values must hold at least 2 non-missing values, got 1"]);
    expect(() => sensSlope([1, 2, 3], { confLevel: 1 })).toThrow("sensSlope: confLevel must be a number in (0, 1), got 1");
    expect(thrownInputError(() => sensSlope([1, 2, 3], { times: [1, 2] })).code).toBe("length-mismatch");
    expect(() => sensSlope([1, 2, 3], { times: [5, 2, 5] })).toThrow("sensSlope: times must be distinct (one value per time), got \"5 twice\"");
  });

  it("does not mutate its input", () => {
    const x = values(series("chicago-all-gappy").values);
    const copy = x.slice();
    sensSlope(x);
    expect(x).toEqual(copy);
  });
});

describe("seasonalSensSlope", () => {
  it("seasonalSensSlope(quarterly, {period: 4}) is 1 per year", () => {
    // Hand: every within-quarter slope is 1 per year.
    const r = seasonalSensSlope([1, 5, 2, 6, 2, 6, 3, 7, 3, 7, 4, 8], { period: 4 });
    expect([r.slope, r.slopePerStep, r.nPairs, r.n]).toEqual([1, 0.25, 12, 12]);
    expect(r.seasons.map((g) => g.slope)).toEqual([1, 1, 1, 1]);
  });

  it("pools the slopes of all seasons before taking the median", () => {
    // Hand: season 1 is 0, 10, 30 → slopes 10/1, 30/2, 20/1; season 2 is 0, 1, 2 → 1, 1, 1.
    // Pooled median of {1, 1, 1, 10, 15, 20} = (1 + 10)/2, not the median of medians (15 + 1)/2.
    const r = seasonalSensSlope([0, 0, 10, 1, 30, 2], { period: 2 });
    expect(r.seasons.map((g) => g.slope)).toEqual([15, 1]);
    expect(r.slope).toBe(5.5);
  });

  it("a partial first and last year (period 4, start 2) matches the hand-written R", () => {
    const f = fixture.small_seasonal;
    const r = seasonalSensSlope(f.values, { period: f.period, start: f.start + 1 });
    close(r.slope, f.seasonal_sen.slope);
    expect(r.nPairs).toBe(f.seasonal_sen.n_pairs);
    expect(r.seasons.map((g) => [g.season, g.n, g.nPairs, g.slope])).toEqual(
      f.seasonal_sen.seasons.map((g) => [g.season + 1, g.n, g.n_pairs, g.slope]),
    );
  });

  for (const name of ["leics-all", "leics-anti-social-behaviour", "leics-bicycle-theft", "leics-burglary", "charnwood-all", "chicago-all", "chicago-residence", "chicago-all-gappy", "nottem", "oracle-monthly-48"]) {
    it(`matches the hand-written R (and trend::sea.sens.slope for whole years) on ${name}`, () => {
      const s = series(name);
      const r = seasonalSensSlope(values(s.values), { period: s.period, start: s.start_season + 1 });
      close(r.slope, s.seasonal_sen.slope);
      close(r.slopePerStep, s.seasonal_sen.slope! / 12);
      expect(r.nPairs).toBe(s.seasonal_sen.n_pairs);
      s.seasonal_sen.seasons.forEach((g, k) => {
        expect([r.seasons[k].n, r.seasons[k].nPairs]).toEqual([g.n, g.n_pairs]);
        if (g.slope === null) expect(r.seasons[k].slope).toBeNull();
        else close(r.seasons[k].slope, g.slope);
      });
      // trend 1.1.1 sea.sens.slope(ts(x, frequency = 12, start = c(year, 1)))
      if (s.trend_pkg?.sea_sens_slope !== undefined) close(r.slope, s.trend_pkg.sea_sens_slope);
    });
  }

  it("refuses a series with no season holding 2 values, and validates options", () => {
    const e = thrownInputError(() => seasonalSensSlope(values(series("leics-2014-burglary").values), { period: 12 }));
    expect(e.code).toBe("empty-input");
    expect(() => seasonalSensSlope([1, 2, 3, 4], { period: 0 })).toThrow("seasonalSensSlope: period must be an integer ≥ 2, got 0");
    expect(() => seasonalSensSlope([1, 2, 3, 4], { period: 2, start: 3 })).toThrow("seasonalSensSlope: start must be an integer from 1 to period (2), got 3");
  });
});
