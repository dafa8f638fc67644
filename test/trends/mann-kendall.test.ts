import { describe, it, expect } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { InputError } from "@community-safety/core";
import { mannKendall } from "@community-safety/trends";
import { dataPath, fixturePath } from "../helpers/data.js";
import { thrownInputError } from "../helpers/errors.js";

// Reference values: test/fixtures/trends/trend-tests.json, written by trend-tests.R (R 4.2.2):
// `oracle_trend_R` is shared/oracles/trend.R run on each series (its direct formulas and
// stats::cor.test(method = "kendall", exact = FALSE, continuity = TRUE)); `trend_pkg` is package
// trend 1.1.1's mk.test (R sources of cran/trend @ 184ad4e, sourced: trend is not in Debian).
// trend-tests-check.py recomputes the same numbers with NumPy/SciPy (kendalltau).
interface MkOracle {
  S: number;
  var_S: number;
  var_S_no_tie_correction: number;
  z: number;
  p_value: number;
  z_no_cc: number;
  p_value_no_cc: number;
  tau_a: number;
  tau_b: number;
  cor_test: { z_cc: number; p_value_cc: number; z_no_cc: number; p_value_no_cc: number; tau: number };
}
interface SeriesFixture {
  name: string;
  first_month: string;
  values: (number | null)[];
  times: number[];
  oracle_trend_R: { mann_kendall: MkOracle; n: number };
  trend_pkg: { mk_test: { S: number; var_S: number; tau: number; z: number; p_value: number } } | null;
}
interface SmallFixture {
  name: string;
  values: (number | null)[];
  mk: {
    n: number; skipped: number; S: number; var_S: number; var_S_no_ties: number; z: number; p_value: number;
    z_no_cc: number; p_value_no_cc: number; tau_a: number; tau_b: number | null;
    cor_test: { z: number; p_value: number; tau: number } | null;
  };
}
const fixture = JSON.parse(readFileSync(fixturePath("trends", "trend-tests.json"), "utf8")) as {
  series: SeriesFixture[];
  small: SmallFixture[];
};
const values = (v: (number | null)[]) => Float64Array.from(v, (x) => (x === null ? Number.NaN : x));
const series = (name: string) => fixture.series.find((s) => s.name === name)!;
const small = (name: string) => fixture.small.find((s) => s.name === name)!;

/** |a − b| ≤ rel·|b| + abs. */
function close(a: number | null, b: number | null, rel = 1e-12, abs = 1e-13) {
  expect(a).not.toBeNull();
  expect(b).not.toBeNull();
  if (Math.abs(a! - b!) > rel * Math.abs(b!) + abs) expect(a).toBe(b);
}

describe("mannKendall", () => {
  it("mannKendall([1, 2, 3, 4, 5]) has S = 10, Var(S) = 50/3, tau = 1", () => {
    // Hand: all C(5, 2) = 10 pairs concordant; Var(S) = 5·4·15/18; z = (10 − 1)/√(50/3).
    const r = mannKendall([1, 2, 3, 4, 5]);
    expect(r.n).toBe(5);
    expect(r.s).toBe(10);
    close(r.varS, 50 / 3);
    close(r.varSNoTies, 50 / 3);
    close(r.z, 9 / Math.sqrt(50 / 3));
    expect(r.tau).toBe(1);
    expect(r.tauA).toBe(1);
    // R 4.2.2: 2 * pnorm(-9 / sqrt(50/3)) (trend-tests.R, case increasing-1-5)
    close(r.pValue, small("increasing-1-5").mk.p_value, 1e-11);
    expect(r.trend).toBe("increasing");
    expect(r.significant).toBe(true);
  });

  it("corrects the variance for ties (3 1 4 1 5 9 2 6 5 3 5)", () => {
    // Hand: S = 3 + 8 + 2 + 7 + 0 − 5 + 4 − 3 − 1 + 1 = 16; ties 1×2, 3×2, 5×3 give
    // Σ t(t−1)(2t+5) = 18 + 18 + 66 = 102, so Var(S) = (11·10·27 − 102)/18 = 2868/18.
    const c = small("pi-digits-ties");
    const r = mannKendall(values(c.values));
    expect(r.s).toBe(16);
    close(r.varS, 2868 / 18);
    close(r.varSNoTies, 2970 / 18);
    // R 4.2.2: cor.test(0:10, x, method = "kendall", exact = FALSE, continuity = TRUE)
    close(r.z, c.mk.cor_test!.z, 1e-12);
    close(r.pValue, c.mk.cor_test!.p_value, 1e-11);
    close(r.tau!, c.mk.cor_test!.tau, 1e-12);
    close(r.tauA, 16 / 55);
  });

  it("skips NaN and null and reports how many", () => {
    // Hand: 1 3 2 5 4 remain: S = 4 + (2 − 1) + 2 − 1 = 6.
    const r = mannKendall([1, Number.NaN, 3, 2, 5, null as unknown as number, 4]);
    expect(r.n).toBe(5);
    expect(r.skipped).toBe(2);
    expect(r.s).toBe(6);
    const c = small("with-missing").mk;
    expect([c.n, c.skipped, c.S]).toEqual([5, 2, 6]);
    close(r.z, c.z);
    close(r.pValue, c.p_value, 1e-11);
  });

  it("a constant series has S = 0, z = 0, p = 1 and no tau", () => {
    const r = mannKendall([2, 2, 2, 2]);
    expect([r.s, r.varS, r.z, r.pValue, r.tau, r.trend]).toEqual([0, 0, 0, 1, null, "no trend"]);
  });

  for (const name of ["leics-all", "leics-anti-social-behaviour", "leics-bicycle-theft", "leics-burglary", "charnwood-all", "leics-2014-burglary", "chicago-all", "chicago-residence", "chicago-all-gappy", "nottem", "oracle-monthly-48"]) {
    it(`matches shared/oracles/trend.R and cor.test on ${name}`, () => {
      const s = series(name);
      const o = s.oracle_trend_R.mann_kendall;
      const r = mannKendall(values(s.values));
      expect(r.n).toBe(s.oracle_trend_R.n);
      expect(r.skipped).toBe(s.values.filter((v) => v === null).length);
      expect(r.s).toBe(o.S);
      close(r.varS, o.var_S);
      close(r.varSNoTies, o.var_S_no_tie_correction);
      close(r.z, o.z);
      close(r.pValue, o.p_value, 1e-10, 1e-300);
      close(r.tau!, o.tau_b);
      close(r.tauA, o.tau_a);
      // stats::cor.test(t, count, method = "kendall", exact = FALSE, continuity = TRUE), R 4.2.2
      close(r.z, o.cor_test.z_cc, 1e-10);
      close(r.tau!, o.cor_test.tau, 1e-12);
      const nc = mannKendall(values(s.values), { continuity: false });
      close(nc.z, o.z_no_cc);
      close(nc.pValue, o.p_value_no_cc, 1e-10, 1e-300);
      close(nc.pValue, o.cor_test.p_value_no_cc, 1e-10, 1e-300);
      if (s.trend_pkg !== null) {
        // trend 1.1.1 mk.test(x)
        const t = s.trend_pkg.mk_test;
        expect(r.s).toBe(t.S);
        close(r.varS, t.var_S);
        close(r.z, t.z);
        close(r.pValue, t.p_value, 1e-10, 1e-300);
        close(r.tau!, t.tau);
      }
    });
  }

  it("leics-all is increasing at 5% and anti-social behaviour is not (trend.R p = 0.0025 and 0.125)", () => {
    const all = mannKendall(values(series("leics-all").values));
    expect([all.trend, all.significant]).toEqual(["increasing", true]);
    const asb = mannKendall(values(series("leics-anti-social-behaviour").values));
    expect([asb.trend, asb.significant]).toEqual(["no trend", false]);
    expect(mannKendall(values(series("leics-anti-social-behaviour").values), { alpha: 0.2 }).trend).toBe("decreasing");
  });

  it("with times: order and gaps are taken from the times (chicago-all-gappy, trend.R with t = months since the first)", () => {
    const s = series("chicago-all-gappy");
    const x = values(s.values);
    const t = Float64Array.from(s.times);
    const r = mannKendall(x, { times: t });
    expect(r.s).toBe(s.oracle_trend_R.mann_kendall.S);
    // The same pairs presented in reverse, then interleaved, order.
    const rev = mannKendall(x.slice().reverse(), { times: t.slice().reverse() });
    expect([rev.s, rev.z, rev.pValue]).toEqual([r.s, r.z, r.pValue]);
    const perm = Array.from(x.keys()).sort((a, b) => (a % 5) - (b % 5) || a - b);
    const shuffled = mannKendall(perm.map((i) => x[i]), { times: perm.map((i) => t[i]) });
    expect(shuffled.s).toBe(r.s);
    // Without times, reversing flips the sign.
    expect(mannKendall(x.slice().reverse()).s).toBe(-r.s);
  });

  it("does not mutate its input", () => {
    const x = values(series("leics-burglary").values);
    const copy = x.slice();
    const t = Float64Array.from(series("leics-burglary").times);
    mannKendall(x, { times: t });
    expect(x).toEqual(copy);
    expect(Array.from(t)).toEqual(series("leics-burglary").times);
  });

  it("refuses fewer than 3 values with empty-input", () => {
    const e = thrownInputError(() => mannKendall([1, 2]));
    expect(e.code).toBe("empty-input");
    expect(e.message).toBe("mannKendall: values must hold at least 3 non-missing values, got 2");
    expect(thrownInputError(() => mannKendall([1, Number.NaN, 2, Number.NaN])).code).toBe("empty-input");
    expect(thrownInputError(() => mannKendall([])).code).toBe("empty-input");
  });

  it("validates values and options", () => {
    expect(() => mannKendall([1, 2, 3], { alpha: 0 })).toThrow("mannKendall: alpha must be a number in (0, 1), got 0");
    expect(() => mannKendall([1, 2, 3], { alpha: 1 })).toThrow(InputError);
    expect(() => mannKendall([1, 2, 3], { continuity: "yes" as unknown as boolean })).toThrow('mannKendall: continuity must be a boolean, got "yes"');
    const inf = thrownInputError(() => mannKendall([1, Number.POSITIVE_INFINITY, 3]));
    expect([inf.code, inf.message]).toEqual(["invalid-input", "mannKendall: values[1] must be a finite number or NaN (missing), got Infinity"]);
    expect(thrownInputError(() => mannKendall(["1", 2, 3] as unknown as number[])).code).toBe("invalid-input");
    const len = thrownInputError(() => mannKendall([1, 2, 3], { times: [0, 1] }));
    expect([len.code, len.message]).toEqual(["length-mismatch", "mannKendall: times must be the same length as values (3), got 2"]);
    expect(() => mannKendall([1, 2, 3], { times: [0, 1, 1] })).toThrow('mannKendall: times must be distinct (one value per time), got "1 twice"');
    expect(() => mannKendall([1, 2, 3], { times: [0, Number.NaN, 2] })).toThrow("mannKendall: times[1] must be a finite number, got NaN");
  });

  it("fixture input leics-all equals the published per-month row counts (no data folder needed)", () => {
    // shared/data/README.md, "Per-month row counts", column "rows in file (county subset)", 2019-12 … 2022-10.
    const published = [
      4445, 4944, 4338, 4401, 4255, 4499, 4473, 4537, 4606, 4571, 4165, 3990, 3610, 3442, 3303, 4197, 4374, 4440,
      4963, 4444, 4391, 4409, 4772, 4465, 4189, 4468, 4468, 5539, 5040, 5472, 5574, 5396, 5543, 5155, 5368,
    ];
    expect(series("leics-all").first_month).toBe("2019-12");
    expect(series("leics-all").values).toEqual(published);
    expect(published.reduce((a, b) => a + b, 0)).toBe(160246); // the README's total for the 35 files
  });

  const policeUkDir = dataPath("policeuk-leicestershire", "county-2019-12_2022-10");
  // Without the shared data folder this check is reported as skipped (the committed fixture still
  // pins every other number in this file); with it, a wrong fixture input fails.
  it.skipIf(!existsSync(policeUkDir))(
    `fixture inputs are the real police.uk counts (rows per monthly file)${existsSync(policeUkDir) ? "" : ` — SKIPPED: shared data folder ${policeUkDir} not found (set COMMUNITY_SAFETY_DATA)`}`,
    () => {
      const dir = policeUkDir;
      const s = series("leics-all");
      expect(s.values).toHaveLength(35); // 2019-12 … 2022-10
      const [y0, m0] = s.first_month.split("-").map(Number);
      s.values.forEach((v, i) => {
        const m = y0 * 12 + m0 - 1 + i;
        const key = `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}`;
        const text = gunzipSync(readFileSync(`${dir}/${key}-leicestershire-street-excl-leicester-city.csv.gz`)).toString("utf8");
        expect(text.split("\n").length - 2).toBe(v); // header + trailing newline
      });
    },
  );
});
