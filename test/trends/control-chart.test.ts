import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { selectRows, lsoaNamePrefixTest } from "@community-safety/core";
import { readPoliceUkFiles } from "@community-safety/core/node";
import { controlChart } from "@community-safety/trends";
import { countSeries } from "@community-safety/trends";
import { dataPath, fixturePath } from "../helpers/data.js";
import { thrownInputError } from "../helpers/errors.js";

// Reference values: test/fixtures/trends/spc.R (R 4.2.2, the textbook formulas written out in
// base R; qcc is not packaged for Debian bookworm) → spc.json; hand-worked values in comments.
const spc = JSON.parse(readFileSync(fixturePath("trends", "spc.json"), "utf8"));
const S = spc.small;

function expectAll(actual: ArrayLike<number>, expected: readonly (number | null)[], digits = 12): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => {
    if (e === null) expect(Number.isNaN(actual[i])).toBe(true);
    else expect(actual[i]).toBeCloseTo(e, digits);
  });
}

describe("controlChart c chart", () => {
  it("controlChart(counts, {type: 'c'}) has centre c̄ and limits c̄ ± 3√c̄, lower clipped at 0 (hand-worked)", () => {
    const r = controlChart([3, 5, 2, 7, 4, 6, 9, 1, 5, 8], { type: "c" });
    // Hand: c̄ = 50/10 = 5; 5 + 3√5 = 11.7082; 5 − 3√5 = −1.708 → 0.
    expectAll(r.centre, new Array(10).fill(5));
    expectAll(r.upper, new Array(10).fill(5 + 3 * Math.sqrt(5)));
    expectAll(r.lower, new Array(10).fill(0));
    expectAll(r.sd, new Array(10).fill(Math.sqrt(5)));
    expect(r.phases).toEqual([{ start: 0, end: 10, baseline: [0, 10], centre: 5, lower: 0, upper: 5 + 3 * Math.sqrt(5), sd: Math.sqrt(5), meanMovingRange: null, movingRangeUpper: null, screened: 0 }]);
    expect(r.movingRange).toBeNull();
    expect(r.method).toMatch(/Montgomery/);
  });

  it("honours sigma and baseline, as R", () => {
    // Hand: 5 ± 2√5 = 0.5279, 9.4721 (the lower limit is now positive).
    const s2 = controlChart(S.values, { type: "c", sigma: 2 });
    expect(s2.lower[0]).toBeCloseTo(S.cSigma2.lower, 12);
    expect(s2.upper[0]).toBeCloseTo(S.cSigma2.upper, 12);
    expect(s2.lower[0]).toBeCloseTo(5 - 2 * Math.sqrt(5), 12);
    // R: mean(small[1:5]) = 4.2; limits 4.2 ± 3√4.2 extended over all ten points.
    const b = controlChart(S.values, { type: "c", baseline: [0, 5] });
    expect(b.centre[9]).toBeCloseTo(S.cBaseline.centre, 12);
    expect(b.upper[9]).toBeCloseTo(S.cBaseline.upper, 12);
    expect(b.phases[0].baseline).toEqual([0, 5]);
  });
});

describe("controlChart u chart", () => {
  it("controlChart(counts, {type: 'u', exposures}) plots c/n with ū = Σc/Σn and limits ū ± 3√(ū/nᵢ) (hand-worked)", () => {
    // Hand: ū = (2 + 6)/(1 + 3) = 2; point 1: 2 + 3√2 = 6.2426; point 2: 2 + 3√(2/3) = 4.4495; lowers clip to 0.
    const r = controlChart([2, 6], { type: "u", exposures: [1, 3] });
    expectAll(r.value, [2, 2]);
    expectAll(r.centre, [2, 2]);
    expectAll(r.upper, [2 + 3 * Math.sqrt(2), 2 + 3 * Math.sqrt(2 / 3)]);
    expectAll(r.lower, [0, 0]);
    expect(r.phases[0].lower).toBeNull();
    expect(r.phases[0].centre).toBe(2);
  });

  it("equals R per point, with and without a baseline", () => {
    const r = controlChart(S.uValues, { type: "u", exposures: S.exposures });
    expect(r.centre[0]).toBeCloseTo(S.u.centre, 14);
    expectAll(r.value, S.u.value, 14);
    expectAll(r.lower, S.u.lower);
    expectAll(r.upper, S.u.upper);
    expectAll(r.sd, S.u.sd);
    expect(Array.from(r.lower).some((v) => v > 0)).toBe(true); // some lower limits are not clipped
    const b = controlChart(S.uValues, { type: "u", exposures: Float64Array.from(S.exposures), baseline: [2, 8] });
    expect(b.centre[0]).toBeCloseTo(S.uBaseline.centre, 14);
    expectAll(b.upper, S.uBaseline.upper);
    expectAll(b.lower, S.uBaseline.lower);
  });
});

describe("controlChart XmR", () => {
  it("controlChart(values, {type: 'xmr'}) uses x̄ ± 2.66·MR̄ and MR UCL 3.267·MR̄ (hand-worked)", () => {
    // Hand: x̄ = 48/4 = 12; MR = 2, 1, 4 → MR̄ = 7/3; 12 ± 2.66·7/3 = 18.2067 / 5.7933; 3.267·7/3 = 7.623.
    const r = controlChart([10, 12, 11, 15], { type: "xmr" });
    expectAll(r.movingRange!, [null, 2, 1, 4]);
    expect(r.phases[0].meanMovingRange).toBeCloseTo(7 / 3, 14);
    expect(r.upper[0]).toBeCloseTo(12 + (2.66 * 7) / 3, 12);
    expect(r.lower[0]).toBeCloseTo(12 - (2.66 * 7) / 3, 12);
    expect(r.movingRangeUpper![3]).toBeCloseTo((3.267 * 7) / 3, 12);
    expect(r.sd[0]).toBeCloseTo((2.66 / 3) * (7 / 3), 14);
  });

  it("equals R: plain, screened moving ranges, 2-sigma limits and two phases", () => {
    const x = S.xmrValues as number[];
    const r = controlChart(x, { type: "xmr" });
    expect(r.centre[0]).toBeCloseTo(S.xmr.centre, 12);
    expect(r.phases[0].meanMovingRange).toBeCloseTo(S.xmr.mrbar, 12);
    expect(r.lower[0]).toBeCloseTo(S.xmr.lower, 12);
    expect(r.upper[0]).toBeCloseTo(S.xmr.upper, 12);
    expect(r.movingRangeUpper![0]).toBeCloseTo(S.xmr.mrUpper, 12);
    expectAll(r.movingRange!, S.xmr.movingRange);
    // Hand: the moving ranges sum to 47.1, MR̄ = 4.282; the jump 10.0 → 25.0 (15.0) is ≥ 3.267·MR̄ = 13.99
    // and is screened out; the fall back to 11.2 (13.8) is not.
    const sc = controlChart(x, { type: "xmr", screenMovingRanges: true });
    expect(sc.phases[0].screened).toBe(1);
    expect(sc.phases[0].meanMovingRange).toBeCloseTo((47.1 - 15) / 10, 12);
    expect(sc.phases[0].meanMovingRange).toBeCloseTo(S.xmrScreened.mrbar, 12);
    expect(sc.upper[0]).toBeCloseTo(S.xmrScreened.upper, 12);
    expect(sc.upper[0]).toBeLessThan(r.upper[0]);
    const s2 = controlChart(x, { type: "xmr", sigma: 2 });
    expect(s2.upper[0]).toBeCloseTo(S.xmrSigma2.upper, 12);
    expect(s2.movingRangeUpper![0]).toBeCloseTo(S.xmrSigma2.mrUpper, 12);
    const ph = controlChart(x, { type: "xmr", breaks: [6] });
    expect(Array.from(ph.phase)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    expect(Number.isNaN(ph.movingRange![6])).toBe(true); // no moving range across the break
    for (const [p, ref] of [[0, S.xmrPhase1], [1, S.xmrPhase2]] as const) {
      expect(ph.phases[p].centre).toBeCloseTo(ref.centre, 12);
      expect(ph.phases[p].meanMovingRange).toBeCloseTo(ref.mrbar, 12);
      expect(ph.phases[p].lower).toBeCloseTo(ref.lower, 12);
      expect(ph.phases[p].upper).toBeCloseTo(ref.upper, 12);
    }
    expect(ph.upper[5]).toBeCloseTo(S.xmrPhase1.upper, 12);
    expect(ph.upper[6]).toBeCloseTo(S.xmrPhase2.upper, 12);
  });

  it("does not clip XmR lower limits and handles constant series", () => {
    const r = controlChart([1, 9, 1, 9], { type: "xmr" });
    expect(r.lower[0]).toBeLessThan(0); // 5 − 2.66·8
    const flat = controlChart([4, 4, 4], { type: "xmr", screenMovingRanges: true });
    expect(Array.from(flat.upper)).toEqual([4, 4, 4]);
    expect(flat.phases[0].screened).toBe(0);
  });
});

describe("controlChart input handling", () => {
  it("returns empty arrays and no phases for empty input", () => {
    const r = controlChart([], { type: "c" });
    expect(r.value.length).toBe(0);
    expect(r.phases).toEqual([]);
  });

  it("does not mutate its inputs", () => {
    const v = [3, 5, 2, 7];
    const e = [1, 2, 1, 2];
    controlChart(v, { type: "u", exposures: e });
    expect(v).toEqual([3, 5, 2, 7]);
    expect(e).toEqual([1, 2, 1, 2]);
  });

  it("throws InputError with a code for each kind of bad input", () => {
    const bad: [() => unknown, string, RegExp][] = [
      [() => controlChart([1, 2], { type: "p" as "c" }), "invalid-option", /^controlChart: type must be "c", "u" or "xmr", got "p"$/],
      [() => controlChart([1, 2], { type: "c", sigma: 0 }), "invalid-option", /sigma must be a positive finite number, got 0/],
      [() => controlChart([1, 2, 3], { type: "c", breaks: [0] }), "invalid-option", /breaks must be strictly increasing integers from 1 to 2/],
      [() => controlChart([1, 2, 3, 4], { type: "c", breaks: [2, 2] }), "invalid-option", /breaks/],
      [() => controlChart([1, 2, 3, 4], { type: "c", baseline: [1, 4], breaks: [2] }), "invalid-option", /baseline must be a range inside one phase/],
      [() => controlChart([1, 2, 3, 4], { type: "c", baseline: [2, 2] }), "invalid-option", /baseline must be an index range/],
      [() => controlChart([1, 2, 3, 4], { type: "xmr", breaks: [3] }), "invalid-option", /at least 2 points/],
      [() => controlChart([1, 2, 3, 4], { type: "xmr", baseline: [1, 2] }), "invalid-option", /baseline must be leaving at least 2 points/],
      [() => controlChart([1, 2], { type: "u" }), "invalid-option", /exposures must be given for type "u"/],
      [() => controlChart([1, 2], { type: "c", exposures: [1, 1] }), "invalid-option", /exposures must be given only for type "u"/],
      [() => controlChart([1, 2], { type: "u", exposures: [1] }), "length-mismatch", /exposures must have one entry per value \(2\), got 1/],
      [() => controlChart([1, 2], { type: "u", exposures: [1, 0] }), "invalid-input", /exposures\[1\] must be a positive finite number, got 0/],
      [() => controlChart([1, -2], { type: "c" }), "invalid-input", /values\[1\] must be a non-negative finite count, got -2/],
      [() => controlChart([1, NaN], { type: "xmr" }), "series-gap", /values\[1\] is missing \(a gap in the series, e\.g\. a period the data do not cover\); a control chart cannot run through a gap/],
      [() => controlChart([1, 2], { type: "c", screenMovingRanges: true }), "invalid-option", /screenMovingRanges must be used only with type "xmr"/],
    ];
    for (const [f, code, message] of bad) {
      const e = thrownInputError(f);
      expect(e.code).toBe(code);
      expect(e.message).toMatch(message);
    }
  });
});

describe("controlChart on Charnwood monthly counts (police.uk, Dec 2019 – Oct 2022)", () => {
  it("counts the months as R does and draws XmR, c and u charts equal to R", async () => {
    const C = spc.charnwood;
    const { table: all } = await readPoliceUkFiles(dataPath("policeuk-leicestershire", "county-2019-12_2022-10"));
    const charnwood = selectRows(all, lsoaNamePrefixTest(all, "Charnwood"));
    const s = countSeries(charnwood, { unit: "month" });
    expect(s.periods.map((p) => p.key)).toEqual(C.months);
    // R: rows whose LSOA name starts "Charnwood ", one repeated Crime ID kept only in its latest month.
    expect(C.duplicateIds).toBe(1);
    expect(Array.from(s.series[0].counts)).toEqual(C.counts);
    // Data README: FY2020/21 (Apr 2020 – Mar 2021, months 4…15) had 13,848 Charnwood rows.
    expect(C.counts.slice(4, 16).reduce((a: number, b: number) => a + b, 0)).toBe(13_848);

    const x = controlChart(s.series[0].counts, { type: "xmr" });
    expect(x.centre[0]).toBeCloseTo(C.xmr.centre, 10);
    expect(x.phases[0].meanMovingRange).toBeCloseTo(C.xmr.mrbar, 10);
    expect(x.lower[0]).toBeCloseTo(C.xmr.lower, 10);
    expect(x.upper[0]).toBeCloseTo(C.xmr.upper, 10);
    expect(x.movingRangeUpper![0]).toBeCloseTo(C.xmr.mrUpper, 10);

    // Crime counts are over-dispersed: the Poisson c chart's limits are far narrower than XmR's.
    const c = controlChart(s.series[0].counts, { type: "c" });
    expect(c.centre[0]).toBeCloseTo(C.c.centre, 10);
    expect(c.upper[0]).toBeCloseTo(C.c.upper, 10);
    expect(c.lower[0]).toBeCloseTo(C.c.lower, 10);
    expect(c.upper[0] - c.lower[0]).toBeLessThan((x.upper[0] - x.lower[0]) / 2);

    // Daily rate: u chart with days in the month as exposure.
    // Days per month from the periods (rounded: a month with a clock change is an hour longer or shorter).
    const dayCounts = s.periods.map((p) => Math.round((p.end - p.start) / 1440));
    expect(dayCounts).toEqual(C.days);
    const u = controlChart(s.series[0].counts, { type: "u", exposures: dayCounts });
    expect(u.centre[0]).toBeCloseTo(C.u.centre, 12);
    expectAll(u.value, C.u.value);
    expectAll(u.upper, C.u.upper);
    expectAll(u.lower, C.u.lower);

    // Two phases from April 2021.
    const ph = controlChart(s.series[0].counts, { type: "xmr", breaks: [C.phaseStart] });
    expect(C.months[C.phaseStart]).toBe("2021-04");
    expect(ph.phases[0].upper).toBeCloseTo(C.phase1.upper, 10);
    expect(ph.phases[1].upper).toBeCloseTo(C.phase2.upper, 10);
    expect(ph.phases[1].centre).toBeCloseTo(C.phase2.centre, 10);
  });
});
