import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { seasonalMannKendall } from "@community-safety/trends";
import { fixturePath } from "../helpers/data.js";
import { thrownInputError } from "../helpers/errors.js";

// Reference values: test/fixtures/trends/trend-tests.json, written by trend-tests.R (R 4.2.2):
// `seasonal` holds the Hirsch, Slack & Smith (1982) sums and the Hirsch & Slack (1984) covariance
// written out by hand in R (missing cells allowed); `trend_pkg` holds package trend 1.1.1's
// smk.test / csmk.test (R sources of cran/trend @ 184ad4e, sourced: trend is not in Debian), for
// series without missing values (csmk.test: whole years from January only).
// trend-tests-check.py recomputes S, Var(S) and the covariance variance with NumPy.
interface SeasonRow { season: number; n: number; S: number; var_S: number; tau: number | null; z: number | null; p_value: number | null }
interface SeasonalHand {
  years: number; n: number; skipped: number; S: number; var_S: number; z: number; p_value: number;
  z_no_cc: number; p_value_no_cc: number; seasons: SeasonRow[];
  covariance: { var_S: number; diag_equals_var_S: number; z: number; p_value: number; z_no_cc: number; p_value_no_cc: number };
}
interface SeriesFixture {
  name: string;
  values: (number | null)[];
  start_season: number;
  period: number;
  seasonal: SeasonalHand;
  trend_pkg: {
    smk_test: { S: number; var_S: number; z: number; p_value: number; Sg: number[]; varSg: number[]; Zg: number[]; pvalg: number[]; taug: number[] };
    csmk_test?: { S: number; var_S: number; z: number; p_value: number; years: number; continuity_corrected: boolean };
  } | null;
}
const fixture = JSON.parse(readFileSync(fixturePath("trends", "trend-tests.json"), "utf8")) as {
  series: SeriesFixture[];
  small_seasonal: { values: number[]; period: number; start: number; seasonal: SeasonalHand };
};
const values = (v: (number | null)[]) => Float64Array.from(v, (x) => (x === null ? Number.NaN : x));
const series = (name: string) => fixture.series.find((s) => s.name === name)!;

function close(a: number | null, b: number | null, rel = 1e-12, abs = 1e-13) {
  expect(a).not.toBeNull();
  expect(b).not.toBeNull();
  if (Math.abs(a! - b!) > rel * Math.abs(b!) + abs) expect(a).toBe(b);
}

describe("seasonalMannKendall", () => {
  it("seasonalMannKendall(quarterly, {period: 4}) sums the seasons' S and variances", () => {
    // Hand: each quarter rises over 3 years (S_g = 3, Var = 3·2·11/18 = 11/3); S = 12, Var = 44/3.
    const r = seasonalMannKendall([1, 5, 2, 6, 2, 6, 3, 7, 3, 7, 4, 8], { period: 4 });
    expect(r.s).toBe(12);
    close(r.varS, 44 / 3);
    close(r.z!, 11 / Math.sqrt(44 / 3));
    expect(r.seasons.map((g) => [g.season, g.n, g.s, g.tau])).toEqual([[1, 3, 3, 1], [2, 3, 3, 1], [3, 3, 3, 1], [4, 3, 3, 1]]);
    expect(r.years).toBe(3);
    expect(r.trend).toBe("increasing");
    // Perfectly correlated seasons: every covariance equals the variance, Var = 16 · 11/3.
    const c = seasonalMannKendall([1, 5, 2, 6, 2, 6, 3, 7, 3, 7, 4, 8], { period: 4, covariance: true });
    close(c.varS, (16 * 11) / 3);
    close(c.varSIndependent, 44 / 3);
  });

  it("a partial first and last year (period 4, start 2, 11 values) matches the hand-written R", () => {
    const f = fixture.small_seasonal;
    for (const covariance of [false, true]) {
      const r = seasonalMannKendall(f.values, { period: f.period, start: f.start + 1, covariance });
      const h = f.seasonal;
      expect([r.n, r.years, r.s]).toEqual([h.n, h.years, h.S]);
      close(r.varSIndependent, h.var_S);
      close(r.varS, covariance ? h.covariance.var_S : h.var_S);
      close(r.z!, covariance ? h.covariance.z : h.z);
      close(r.pValue!, covariance ? h.covariance.p_value : h.p_value, 1e-11);
      h.seasons.forEach((g, k) => {
        expect([r.seasons[k].season, r.seasons[k].n, r.seasons[k].s]).toEqual([g.season + 1, g.n, g.S]);
        close(r.seasons[k].varS, g.var_S, 1e-12, 1e-14);
      });
    }
  });

  for (const name of ["leics-all", "leics-anti-social-behaviour", "leics-bicycle-theft", "leics-burglary", "charnwood-all", "chicago-all", "chicago-residence", "chicago-all-gappy", "nottem", "oracle-monthly-48"]) {
    it(`matches the hand-written R (and trend::smk.test where it applies) on ${name}`, () => {
      const s = series(name);
      const h = s.seasonal;
      const opts = { period: s.period, start: s.start_season + 1 };
      const r = seasonalMannKendall(values(s.values), opts);
      expect([r.n, r.skipped, r.years, r.s]).toEqual([h.n, h.skipped, h.years, h.S]);
      close(r.varS, h.var_S);
      close(r.z!, h.z);
      close(r.pValue!, h.p_value, 1e-10, 1e-300);
      h.seasons.forEach((g, k) => {
        const row = r.seasons[k];
        expect([row.season, row.n, row.s]).toEqual([g.season + 1, g.n, g.S]);
        close(row.varS, g.var_S, 1e-12, 1e-14);
        if (g.z === null) expect(row.z).toBeNull();
        else {
          close(row.z, g.z);
          close(row.pValue, g.p_value, 1e-10);
        }
        if (g.tau === null) expect(row.tau).toBeNull();
        else close(row.tau, g.tau);
      });
      const nc = seasonalMannKendall(values(s.values), { ...opts, continuity: false });
      close(nc.z!, h.z_no_cc);
      close(nc.pValue!, h.p_value_no_cc, 1e-10, 1e-300);
      // Hirsch & Slack (1984) covariance, hand-written R; its diagonal is the tie-corrected variance.
      expect(h.covariance.diag_equals_var_S).toBe(0);
      const cv = seasonalMannKendall(values(s.values), { ...opts, covariance: true });
      close(cv.varS, h.covariance.var_S);
      close(cv.varSIndependent, h.var_S);
      close(cv.z!, h.covariance.z);
      close(cv.pValue!, h.covariance.p_value, 1e-10, 1e-300);

      const t = s.trend_pkg;
      if (t !== null) {
        // trend 1.1.1: smk.test(ts(x, frequency = 12, start = c(year, month))); seasons in cycle() order.
        expect(r.s).toBe(t.smk_test.S);
        close(r.varS, t.smk_test.var_S);
        close(r.z!, t.smk_test.z);
        close(r.pValue!, t.smk_test.p_value, 1e-10, 1e-300);
        expect(r.seasons.map((g) => g.s)).toEqual(t.smk_test.Sg);
        r.seasons.forEach((g, k) => {
          close(g.varS, t.smk_test.varSg[k], 1e-12, 1e-14);
          close(g.z, t.smk_test.Zg[k]);
          close(g.pValue, t.smk_test.pvalg[k], 1e-10);
          close(g.tau, t.smk_test.taug[k]);
        });
        if (t.csmk_test) {
          // trend 1.1.1: csmk.test(x) (continuity-corrected only for <= 10 years).
          expect(cv.s).toBe(t.csmk_test.S);
          close(cv.varS, t.csmk_test.var_S);
          const same = seasonalMannKendall(values(s.values), { ...opts, covariance: true, continuity: t.csmk_test.continuity_corrected });
          close(same.z!, t.csmk_test.z);
          close(same.pValue!, t.csmk_test.p_value, 1e-10, 1e-300);
        }
      }
    });
  }

  it("nottem, the example of ?trend::smk.test and ?trend::csmk.test", () => {
    // trend 1.1.1 in R 4.2.2: smk.test(nottem) S = 224, varS = 11364, z = 2.0919, p = 0.03645;
    // csmk.test(nottem) (20 years: no continuity correction) varS = 19663.33, z = 1.5974.
    const s = series("nottem");
    const r = seasonalMannKendall(values(s.values), { period: 12 });
    expect([r.s, r.varS]).toEqual([224, 11364]);
    expect(r.z!).toBeCloseTo(2.0919, 4);
    expect(r.pValue!).toBeCloseTo(0.03645, 5);
    const c = seasonalMannKendall(values(s.values), { period: 12, covariance: true, continuity: false });
    expect(c.varS).toBeCloseTo(19663.333333, 5);
    expect(c.z!).toBeCloseTo(1.5974, 4);
  });

  it("start relabels seasons without changing the test", () => {
    const x = values(series("leics-burglary").values); // starts in December
    const dec = seasonalMannKendall(x, { period: 12, start: 12 });
    const jan = seasonalMannKendall(x, { period: 12 });
    expect(dec.s).toBe(jan.s);
    expect(dec.varS).toBe(jan.varS);
    expect(dec.seasons[11].s).toBe(jan.seasons[0].s); // December is season 12 with start: 12
    expect(dec.seasons[11].n).toBe(3);
    expect(dec.seasons[10].n).toBe(2); // only two Novembers in 2019-12..2022-10
  });

  it("a season with one value has null z and p with a reason", () => {
    const r = seasonalMannKendall([1, 2, 3, 4, 5, 6, 7], { period: 4 });
    expect(r.seasons[3]).toEqual({ season: 4, n: 1, s: 0, varS: 0, tau: null, z: null, pValue: null, reason: "fewer than 2 values" });
    expect(r.s).toBe(3);
  });

  it("refuses a series with no season holding 2 values (11 months of 2014 burglary)", () => {
    const e = thrownInputError(() => seasonalMannKendall(values(series("leics-2014-burglary").values), { period: 12 }));
    expect([e.code, e.message]).toEqual(["empty-input", "seasonalMannKendall: values must hold at least 2 non-missing values in some season (period 12), got at most 1"]);
  });

  it("does not mutate its input", () => {
    const x = values(series("chicago-all-gappy").values);
    const copy = x.slice();
    seasonalMannKendall(x, { period: 12, covariance: true });
    expect(x).toEqual(copy);
  });

  it("validates options", () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(() => seasonalMannKendall(x, { period: 1 })).toThrow("seasonalMannKendall: period must be an integer ≥ 2, got 1");
    expect(() => seasonalMannKendall(x, { period: 2.5 })).toThrow("seasonalMannKendall: period must be an integer ≥ 2, got 2.5");
    expect(() => seasonalMannKendall(x, undefined as unknown as { period: number })).toThrow("seasonalMannKendall: options must be an object with period, got undefined");
    expect(() => seasonalMannKendall(x, { period: 4, start: 0 })).toThrow("seasonalMannKendall: start must be an integer from 1 to period (4), got 0");
    expect(() => seasonalMannKendall(x, { period: 4, start: 5 })).toThrow(/start must be an integer from 1 to period/);
    expect(() => seasonalMannKendall(x, { period: 4, alpha: 1.5 })).toThrow("seasonalMannKendall: alpha must be a number in (0, 1), got 1.5");
    expect(() => seasonalMannKendall(x, { period: 4, covariance: 1 as unknown as boolean })).toThrow("seasonalMannKendall: covariance must be a boolean, got 1");
    expect(thrownInputError(() => seasonalMannKendall([1, Number.NEGATIVE_INFINITY, 3, 4, 5], { period: 2 })).code).toBe("invalid-input");
  });
});
