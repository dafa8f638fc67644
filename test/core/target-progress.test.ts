import { describe, it, expect } from "vitest";
import { IncidentTableBuilder, PRECISION, clockFor, targetProgress, readTargets, seededRandom, syntheticBorough, type IncidentTable, type Target } from "@community-safety/core";
import { expectInputError, thrownInputError } from "../helpers/errors.js";

const ZONE = "Europe/London";

/** A table of month-precision records: counts[key] incidents of `category` in month key "YYYY-MM". */
function monthTable(counts: Record<string, number>, category = "burglary", extra: { district?: string } = {}, into?: IncidentTableBuilder): IncidentTableBuilder {
  const clock = clockFor(ZONE);
  const b = into ?? new IncidentTableBuilder(ZONE, "EPSG:27700");
  for (const [key, n] of Object.entries(counts)) {
    const [y, m] = key.split("-").map(Number);
    for (let k = 0; k < n; ++k) {
      const i = b.addRow();
      b.dict.category.set(i, category);
      if (extra.district) b.dict.district.set(i, extra.district);
      b.start[i] = clock.fromLocal(y, m, 1);
      b.end[i] = clock.fromLocal(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1);
      b.precision[i] = PRECISION.month;
    }
  }
  return b;
}

const months = (first: string, last: string): string[] => {
  const out: string[] = [];
  let [y, m] = first.split("-").map(Number);
  const [ly, lm] = last.split("-").map(Number);
  while (y < ly || (y === ly && m <= lm)) {
    out.push(`${y}-${String(m).padStart(2, "0")}`);
    if (++m === 13) [y, m] = [y + 1, 1];
  }
  return out;
};

describe("targetProgress: hand-worked cases", () => {
  it("flat profile from a given-number baseline: trajectory, profiled baseline, projection and RAG", () => {
    // Baseline 365 "in 2006/07"; 10% reduction → 328.5 in calendar 2021; 100 incidents in
    // January–March 2021. Flat profile: S = 90/365, expected = 328.5 × 90/365 = 81, profiled
    // baseline to date = 90.
    const counts: Record<string, number> = { "2021-01": 30, "2021-02": 30, "2021-03": 40 };
    const table = monthTable(counts).finish();
    const target: Target = { name: "Burglary", categories: ["burglary"], baseline: { count: 365, label: "2006/07" }, direction: "reduce", size: "10%", period: "2021" };
    const { rows, series } = targetProgress(table, [target], { asAt: "2021-03" });
    const r = rows[0];
    expect(r).toMatchObject({ id: "burglary", baseline: 365, baselineLabel: "2006/07", size: 0.1, monthsElapsed: 3, monthsInPeriod: 12, profile: "flat", actual: 100, baselineToDateMethod: "profiled", behind: true, complete: false, met: null });
    expect(r.target).toBeCloseTo(328.5, 12);
    expect(r.expected).toBeCloseTo(81, 12);
    expect(r.baselineToDate).toBeCloseTo(90, 12);
    expect(r.percentVsBaseline).toBeCloseTo(10 / 90, 12);
    // R 4.2.2: poisson.test(100, r = 90)$p.value
    expect(r.changePValue).toBeCloseTo(0.29140148641996066, 12);
    // R: ppois(99, 81, lower.tail = FALSE) — behind, p < 0.05 → Red.
    expect(r.behindPValue).toBeCloseTo(0.022651521420341582, 12);
    expect(r.rag).toBe("red");
    expect(r.projected).toBeCloseTo(100 / (90 / 365), 10);
    // R: 100 + qnbinom(c(0.025, 0.975), 100.5, 90/365); pnbinom(228, 100.5, 90/365)
    expect([r.projectedLower, r.projectedUpper]).toEqual([341, 480]);
    expect(r.probabilityMet).toBeCloseTo(0.0085349720053426014, 12);
    expect(r.sentence).toBe(
      "Burglary: 100 to the end of March 2021 against 81 expected on the flat trajectory to a 10% reduction on 2006/07 (365), i.e. at most 329 in 2021. That is 11.1% above 2006/07 over the same months (90, profiled; not statistically significant, p = 0.29). Projected 406 (95% prediction interval 341–480); probability of meeting the target 1%. Red: significantly behind the trajectory (one-sided p = 0.02).",
    );
    // The series: 12 months, actual to March, projection from March on.
    expect(series.map((s) => s.month)).toEqual(months("2021-01", "2021-12"));
    expect(series[2]).toMatchObject({ actual: 40, cumulativeActual: 100, projected: 100, projectedLower: 100, projectedUpper: 100 });
    expect(series[2].trajectory).toBeCloseTo(81, 12);
    expect(series[3]).toMatchObject({ actual: null, cumulativeActual: null });
    expect(series[3].projected).toBeCloseTo(100 * (120 / 90), 10);
    // R: 100 + qnbinom(c(0.025, 0.975), 100.5, 90/120)
    expect([series[3].projectedLower, series[3].projectedUpper]).toEqual([121, 147]);
    expect(series[11].trajectory).toBeCloseTo(328.5, 10);
    expect(series[11].projectedUpper).toBe(480);
  });

  it("seasonal profile and counted baseline from the previous financial year", () => {
    // 2020/21: 10 a month, 40 in December (150). Target: 20% fewer (120) in 2021/22, profiled by
    // 2020/21's daily rates; April–December holds 120/150 of the profile → expected 96.
    const base: Record<string, number> = Object.fromEntries(months("2020-04", "2021-03").map((k) => [k, k === "2020-12" ? 40 : 10]));
    const now: Record<string, number> = Object.fromEntries(months("2021-04", "2021-12").map((k, i) => [k, i === 8 ? 36 : 8]));
    const b = monthTable(base);
    monthTable(now, "burglary", {}, b);
    const table = b.finish();
    const r = targetProgress(table, [{ id: "b", name: "Burglary", categories: ["burglary"], baseline: "2020/21", direction: "reduce", size: 0.2, period: "2021/22" }], { asAt: "2021-12" }).rows[0];
    expect(r).toMatchObject({ baseline: 150, target: 120, profile: "seasonal", profileFrom: "2020/21", actual: 100, baselineToDate: 120, baselineToDateMethod: "counted", monthsElapsed: 9 });
    expect(r.expected).toBeCloseTo(96, 10);
    expect(r.percentVsBaseline).toBeCloseTo(-20 / 120, 12);
    // R: poisson.test(c(100, 120), c(275, 275))$p.value (April–December has 275 days in both years)
    expect(r.changePValue).toBeCloseTo(0.20009222902827098, 12);
    // R: ppois(99, 96, lower.tail = FALSE) — behind, but by no more than chance often gives (p ≥ 0.2)...
    expect(r.behindPValue).toBeCloseTo(0.35494358242382013, 12);
    expect(r.projected).toBeCloseTo(125, 10);
    // R: 100 + qnbinom(c(0.025, 0.975), 100.5, 0.8); pnbinom(20, 100.5, 0.8)
    expect([r.projectedLower, r.projectedUpper]).toEqual([115, 137]);
    expect(r.probabilityMet).toBeCloseTo(0.20828581785608843, 12);
    // ...yet projected to miss: 125 against at most 120, P(meet) = 21% < ½. Never Green when less
    // likely than not to meet the target: Amber, and the sentence says why.
    expect(r.rag).toBe("amber");
    expect(r.sentence).toMatch(/Amber: behind the trajectory by no more than chance often gives \(one-sided p = 0\.35\), but less likely than not to meet the target \(P = 21%\)\.$/);
    // The trajectory test alone (rag.meet = 0) would have called it Green.
    const alone = targetProgress(table, [{ id: "b", name: "Burglary", categories: ["burglary"], baseline: "2020/21", direction: "reduce", size: 0.2, period: "2021/22" }], { asAt: "2021-12", rag: { meet: 0 } }).rows[0];
    expect(alone.rag).toBe("green");
    expect(alone.sentence).toMatch(/Green: behind the trajectory by no more than chance \(one-sided p = 0\.35\)\.$/);
  });

  it("Amber between the thresholds, increase targets, a finished period, where-restrictions", () => {
    const base = Object.fromEntries(months("2020-01", "2020-12").map((k) => [k, 10]));
    const b = monthTable(base, "burglary", { district: "North" });
    monthTable(base, "burglary", { district: "South" }, b);
    monthTable(Object.fromEntries(months("2021-01", "2021-06").map((k) => [k, 11])), "burglary", { district: "North" }, b);
    monthTable(Object.fromEntries(months("2021-01", "2021-12").map((k) => [k, 12])), "burglary", { district: "South" }, b);
    const table = b.finish();
    const t = (over: Partial<Target>): Target => ({ name: "x", categories: ["burglary"], baseline: "2020", direction: "reduce", size: 0, period: "2021", profile: "flat", ...over });
    const res = targetProgress(
      table,
      [
        t({ id: "north", where: { district: "North" } }),
        t({ id: "up", where: { district: "North" }, direction: "increase", size: "5%" }),
        t({ id: "south", where: { district: "South" } }),
      ],
      { asAt: "2021-06" },
    );
    const [north, up, south] = res.rows;
    // North: 66 against a flat trajectory of 120 × 181/365 = 59.507 (January–June has 181 calendar days).
    expect(north.actual).toBe(66);
    expect(north.expected).toBeCloseTo((120 * 181) / 365, 10);
    // R 4.2.2: ppois(65, 120*181/365, lower.tail = FALSE)
    expect(north.behindPValue).toBeCloseTo(0.21602587295276057, 12);
    // p ≥ 0.2, but projected 133 against at most 120: R pnbinom(54, 66.5, 181/365) = 0.128 → Amber.
    expect(north.probabilityMet).toBeCloseTo(0.1275529970505408, 12);
    expect(north.rag).toBe("amber");
    expect(north.sentence).toMatch(/Amber: behind the trajectory by no more than chance often gives \(one-sided p = 0\.22\), but less likely than not to meet the target \(P = 13%\)\.$/);
    expect(targetProgress(table, [t({ where: { district: "North" } })], { asAt: "2021-06", rag: { meet: 0 } }).rows[0].rag).toBe("green");
    const weak = targetProgress(table, [t({ where: { district: "North" } })], { asAt: "2021-06", rag: { red: 0.05, amber: 0.25 } }).rows[0];
    expect(weak.rag).toBe("amber");
    expect(weak.sentence).toMatch(/Amber: behind the trajectory \(one-sided p = 0\.22\)\.$/);
    // An increase target: ahead when above the trajectory (126 × 181/365 = 62.5 < 66).
    expect(up).toMatchObject({ behind: false, rag: "green", target: 126 });
    expect(up.where).toBe("district=North");
    // South is complete as at 2021-12 (asAt after the North data ends is fine: the table covers it).
    const done = targetProgress(table, [t({ id: "south", where: { district: "South" } })], { asAt: "2021-12" }).rows[0];
    expect(done).toMatchObject({ complete: true, actual: 144, target: 120, met: false, probabilityMet: 0, projected: 144, projectedLower: 144, projectedUpper: 144 });
    // R: poisson.test(c(144, 120), c(365, 366))$p.value (2020 is a leap year)
    expect(done.changePValue).toBeCloseTo(0.13980748733092779, 12);
    // R: ppois(143, 120, lower.tail = FALSE) = 0.018: missed by more than chance allows → Red.
    expect(done.behindPValue).toBeCloseTo(0.01807843675601728, 12);
    expect(done.rag).toBe("red");
    expect(done.sentence).toBe("x: 144 in 2021 against a target of a 0% reduction on 2020 (120), i.e. at most 120 in 2021; the target was missed by more than chance allows (one-sided p = 0.02): Red. That is 20.0% above 2020 over the same months (120; not statistically significant, p = 0.14).");
    expect(south.actual).toBe(72);
    expect(res.series.filter((s) => s.id === "south").length).toBe(12);
    expect(res.rules).toMatch(/^RAG in probability terms\. Green: on track — not significantly behind the target's trajectory and at least as likely as not to meet the target \(P\(meet\) ≥ 50%\)\. Amber: at risk — behind with weak evidence \(p < 0\.2\), or less likely than not to meet the target \(P\(meet\) < 50%\)\. Red: significantly behind the trajectory \(p < 0\.05: a gap this large would arise by chance less than one time in 20 if the true pace were on the trajectory\)\./);
    expect(res.rules).toContain("A measure less likely than not to meet its target is never Green.");
  });

  it("refuses what would mislead: periods outside the data, partial months, unknown categories, zero baselines", () => {
    const table = monthTable(Object.fromEntries(months("2020-04", "2022-03").map((k) => [k, 5]))).finish();
    const t: Target = { name: "x", categories: ["burglary"], baseline: "2020/21", direction: "reduce", size: 0.1, period: "2021/22" };
    expectInputError(
      () => targetProgress(table, [{ ...t, baseline: "2021/22", period: "2022/23" }], { asAt: "2022-06" }),
      "partial-period",
      "targetProgress: targets[0] (x) as at 2022-06 needs April 2022 – June 2022 covered by the data, but April 2022, May 2022, June 2022 are not (the data cover Apr 2020 – Mar 2022); report progress as at a month the data cover (asAt)",
    );
    // A finished period may be reported at any later month.
    expect(targetProgress(table, [t], { asAt: "2022-06" }).rows[0]).toMatchObject({ complete: true, actual: 60 });
    expectInputError(() => targetProgress(table, [{ ...t, baseline: "2019/20" }], { asAt: "2021-10" }), "partial-period", /^targetProgress: targets\[0\]\.baseline 2019\/20 needs April 2019 – March 2020 covered by the data, but .* are not \(the data cover Apr 2020 – Mar 2022\); give the baseline as a number/);
    expect(thrownInputError(() => targetProgress(table, [t], { asAt: "2021-03" })).message).toBe('targetProgress: asAt must be a month within or after targets[0].period (2021/22), got "2021-03"');
    expect(thrownInputError(() => targetProgress(table, [{ ...t, period: "2021-W30" }], { asAt: "2021-10" })).message).toBe('targetProgress: targets[0].period must be a whole number of months, got "2021-W30"');
    const unknown = thrownInputError(() => targetProgress(table, [{ ...t, categories: ["burglarly"] }], { asAt: "2021-10" }));
    expect(unknown.code).toBe("unknown-category");
    expect(unknown.message).toMatch(/"burglarly"/);
    expect(thrownInputError(() => targetProgress(table, [{ ...t, group: "nope", categories: undefined }], { asAt: "2021-10" })).code).toBe("unknown-category");
    expect(thrownInputError(() => targetProgress(table, [t], { asAt: "2021" })).message).toBe('targetProgress: asAt must be a month such as "2022-10", got "2021"');
    expect(thrownInputError(() => targetProgress(table, [{ ...t, profile: "seasonal", baseline: { count: 50 } }], { asAt: "2021-10" })).message).toMatch(/profileFrom must be a period to take the seasonal profile from/);
    expect(thrownInputError(() => targetProgress(table, [t], { asAt: "2021-10", rag: { red: 0.3, amber: 0.2 } })).message).toMatch(/rag must be thresholds/);
    expect(thrownInputError(() => targetProgress(table, [t], { asAt: "2021-10", rag: { meet: 1.5 } })).message).toBe("targetProgress: rag.meet must be a probability from 0 to 1, got 1.5");
  });
});

describe("readTargets", () => {
  it("reads the documented JSON format and normalises sizes and ids", () => {
    const plan = readTargets(
      JSON.stringify({
        asAt: "2022-10",
        targets: [
          { name: "Reduce burglary by 5%", categories: ["burglary"], baseline: "2021/22", direction: "reduce", size: "5%", period: "2022/23" },
          { id: "cycle", name: "Cycle theft", categories: ["bicycle-theft"], baseline: { count: 504, label: "2006/07" }, direction: "reduce", size: 0.1, period: "2022/23", profileFrom: "2021/22" },
        ],
      }),
    );
    expect(plan.asAt).toBe("2022-10");
    expect(plan.targets.map((t) => [t.id, t.size])).toEqual([
      ["reduce-burglary-by-5", 0.05],
      ["cycle", 0.1],
    ]);
    expect(readTargets([{ name: "A", baseline: "2021", direction: "increase", size: 0, period: "2022" }]).asAt).toBeNull();
  });

  it("names the target and field of every mistake", () => {
    const ok = { name: "A", categories: ["burglary"], baseline: "2021/22", direction: "reduce", size: "5%", period: "2022/23" };
    const msg = (plan: unknown) => thrownInputError(() => readTargets(plan)).message;
    expect(msg("{")).toMatch(/^readTargets: the plan must be valid JSON/);
    expect(msg({ targets: [ok, { ...ok, id: "b", size: "five" }] })).toBe('readTargets: targets[1].size must be a fraction below 1 (0.1) or a percentage ("10%"), not negative, got "five"');
    expect(msg({ targets: [{ ...ok, direction: "down" }] })).toBe('readTargets: targets[0].direction must be "reduce" or "increase", got "down"');
    expect(msg({ targets: [{ ...ok, baseline: { count: -3 } }] })).toBe("readTargets: targets[0].baseline.count must be a positive number, got -3");
    expect(msg({ targets: [{ ...ok, catgories: ["x"] }] })).toMatch(/^readTargets: targets\[0\]\.catgories must be a known field/);
    expect(msg({ targets: [ok, ok] })).toBe('readTargets: targets[1].id must be unique, got "a"');
    expect(msg({ asAt: "Oct 2022", targets: [ok] })).toBe('readTargets: asAt must be a month key such as "2022-10", got "Oct 2022"');
    expect(msg({ targets: [{ ...ok, where: { county: "X" } }] })).toMatch(/^readTargets: targets\[0\]\.where\.county must be one of source/);
    expect(thrownInputError(() => readTargets({ targets: [] })).code).toBe("invalid-input");
  });
});

describe("targetProgress: behaviour over many seeded series", () => {
  it("the 95% prediction interval of the outturn covers the realised outturn about 95% of the time", () => {
    // 400 seeded years: a stable seasonal Poisson process (means 20–40 a month); progress as
    // at September with a flat-from-count baseline equal to the true annual mean; coverage of
    // the realised December total. Exact coverage is not 95% (discrete, Jeffreys prior), but a
    // badly built interval (e.g. Poisson noise only, no rate uncertainty) falls far below.
    const rng = seededRandom(20261124);
    const means = [20, 22, 25, 28, 30, 35, 40, 38, 33, 28, 24, 22];
    const total = means.reduce((a, b) => a + b, 0);
    let covered = 0;
    let sumP = 0;
    let met = 0;
    const reps = 400;
    for (let rep = 0; rep < reps; ++rep) {
      const year = means.map((m) => rng.poisson(m));
      const counts: Record<string, number> = {};
      const profile: Record<string, number> = {};
      year.forEach((n, k) => (counts[`2021-${String(k + 1).padStart(2, "0")}`] = n));
      means.forEach((m, k) => (profile[`2020-${String(k + 1).padStart(2, "0")}`] = m)); // the profile year: the true means
      const b = monthTable(profile);
      monthTable(counts, "burglary", {}, b);
      const table = b.finish();
      const r = targetProgress(table, [{ name: "t", categories: ["burglary"], baseline: "2020", direction: "reduce", size: 0, period: "2021" }], { asAt: "2021-09" }).rows[0];
      const outturn = year.reduce((a, c) => a + c, 0);
      if (outturn >= r.projectedLower && outturn <= r.projectedUpper) covered += 1;
      sumP += r.probabilityMet;
      if (outturn <= total) met += 1;
    }
    expect(covered / reps).toBeGreaterThan(0.92);
    expect(covered / reps).toBeLessThan(0.99);
    // The stated probability of meeting the target is calibrated on average.
    expect(Math.abs(sumP / reps - met / reps)).toBeLessThan(0.06);
  });
});

describe("targetProgress on the synthetic borough", () => {
  it("sees the planted 10% annual fall in burglary: a 5% reduction is on track, a 30% reduction is Red", () => {
    const { table, truths } = syntheticBorough({ seed: 3 });
    expect(truths.trend).toMatchObject({ category: "burglary", annualChange: -0.1 });
    const t = (size: number): Target => ({ id: `b${Math.round(size * 100)}`, name: `Burglary −${size * 100}%`, categories: ["burglary"], baseline: "2020/21", direction: "reduce", size, period: "2021/22" });
    const [five, thirty] = targetProgress(table, [t(0.05), t(0.3)], { asAt: "2021-12" }).rows;
    expect(five.rag).toBe("green");
    expect(five.probabilityMet).toBeGreaterThan(0.8);
    expect(five.percentVsBaseline!).toBeLessThan(-0.04);
    expect(thirty.rag).toBe("red");
    expect(thirty.probabilityMet).toBeLessThan(0.01);
  });
});

// Keep the helper type-checked even if a test is skipped.
export type { IncidentTable };
