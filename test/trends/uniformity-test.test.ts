import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { CHICAGO_CODE, IncidentTableBuilder, PRECISION, syntheticBorough } from "@community-safety/core";
import { readDelimitedFiles } from "@community-safety/core/node";
import { uniformityTest } from "@community-safety/trends";
import { timeOfWeek, weekHourMinutes } from "@community-safety/trends";
import { dataPath, fixturePath } from "../helpers/data.js";
import { thrownInputError } from "../helpers/errors.js";

// Reference values: test/fixtures/trends/uniformity-test.R (R 4.2.2): chisq.test(x, p, rescale.p =
// TRUE) for the asymptotic test, chisq.test(..., simulate.p.value = TRUE, B = 20000) for R's own
// Monte Carlo p-value, and a brute-force enumeration of all outcomes with R's dmultinom() for
// the exact multinomial test (binom.test for two bins). Real-data statistics come from
// test/fixtures/trends/time-of-week.R (chisq.test on R's weekday × hour table of the raw text).

const fx = JSON.parse(readFileSync(fixturePath("trends", "uniformity-test.json"), "utf8"));
const tow = JSON.parse(readFileSync(fixturePath("trends", "time-of-week.json"), "utf8"));

describe("uniformityTest against R chisq.test", () => {
  for (const [name, c] of Object.entries<Record<string, any>>(fx.cases)) {
    it(`${name}: statistic, df, p-value, expected and residuals`, () => {
      const r = uniformityTest(c.x, c.p ? { expected: c.p } : {})!;
      expect(r.statistic).toBeCloseTo(c.statistic, 11);
      expect(r.df).toBe(c.df);
      expect(r.pValue).toBeCloseTo(c.pValue, 12);
      expect(r.pValue / c.pValue).toBeCloseTo(1, 10);
      Array.from(r.expected).forEach((e, i) => expect(e).toBeCloseTo(c.expected[i], 12));
      Array.from(r.residuals).forEach((e, i) => expect(e).toBeCloseTo(c.residuals[i], 12));
      expect(r.smallExpected).toBe(c.smallExpected);
      expect(r.n).toBe(c.x.reduce((s: number, v: number) => s + v, 0));
    });
  }

  it("the TSDoc example: weekday counts 20, 15, 18, 22, 25, 40, 35", () => {
    // R: chisq.test(c(20, 15, 18, 22, 25, 40, 35)) → X-squared = 20.32, df = 6, p-value = 0.002429
    const r = uniformityTest([20, 15, 18, 22, 25, 40, 35])!;
    expect(r.statistic).toBeCloseTo(20.32, 12);
    expect(r.pValue).toBeCloseTo(0.0024285081471685814, 15);
  });
});

describe("uniformityTest: exact multinomial p-value", () => {
  for (const [name, c] of Object.entries<Record<string, any>>(fx.cases)) {
    if (!c.exact) continue;
    it(`${name}: equals R's enumeration with dmultinom (${c.exact.outcomes} outcomes)`, () => {
      const r = uniformityTest(c.x, c.p ? { expected: c.p } : {})!;
      expect(r.outcomes).toBe(c.exact.outcomes);
      expect(r.exactPValue).toBeCloseTo(c.exact.pValue, 12);
      expect(r.exactReason).toBeNull();
      if (c.binomTest !== undefined) expect(r.exactPValue).toBeCloseTo(c.binomTest, 12); // R binom.test
    });
  }

  it("is skipped beyond maxOutcomes (with a reason) and refused when required", () => {
    const big = uniformityTest([20, 15, 18, 22, 25, 40, 35])!;
    // R: choose(175 + 6, 6) = 44,913,567,336 outcomes
    expect(big.exactPValue).toBeNull();
    expect(big.exactReason).toBe("4.49e+10 outcomes (n = 175, 7 bins) exceed maxOutcomes (1000000)");
    expect(uniformityTest([1, 2, 3], { exact: false })!.exactReason).toBe("not requested (exact: false)");
    const e = thrownInputError(() => uniformityTest([20, 15, 18, 22, 25, 40, 35], { exact: true }));
    expect(e.code).toBe("invalid-option");
    expect(e.message).toContain("uniformityTest: exact must be false or \"auto\" when there are more than maxOutcomes");
  });
});

describe("uniformityTest: Monte Carlo p-value", () => {
  it("is seeded, and agrees with R's simulated and exact p-values within Monte Carlo error", () => {
    for (const name of ["weekdaysSmall", "weekdaysTiny", "givenP", "twoBinsP", "hours"]) {
      const c = fx.cases[name];
      const B = 20_000;
      const r = uniformityTest(c.x, { expected: c.p ?? undefined, simulate: { replicates: B, seed: 11 } })!;
      const again = uniformityTest(c.x, { expected: c.p ?? undefined, simulate: { replicates: B, seed: 11 } })!;
      expect(again.simulated).toEqual(r.simulated);
      expect(r.simulated).toMatchObject({ replicates: B, seed: 11 });
      // Both estimate the same probability; the difference of two independent estimates has SD √(2p(1−p)/B).
      const p = c.simulatedPValue;
      const sd = Math.sqrt((2 * p * (1 - p)) / B);
      expect(Math.abs(r.simulated!.pValue - p)).toBeLessThan(4 * sd);
      // It estimates P(X² ≥ observed X²) under the null, which R computed exactly by enumeration
      // (not the exact multinomial p-value, which orders outcomes by probability instead).
      if (c.exact) {
        const q = c.exact.chisqTail;
        expect(Math.abs(r.simulated!.pValue - q)).toBeLessThan(4 * Math.sqrt((q * (1 - q)) / B));
      }
    }
    // A different seed gives a (slightly) different estimate.
    const x = fx.cases.weekdaysSmall.x;
    expect(uniformityTest(x, { simulate: { replicates: 2000, seed: 1 } })!.simulated!.pValue).not.toBe(
      uniformityTest(x, { simulate: { replicates: 2000, seed: 2 } })!.simulated!.pValue,
    );
  });

  it("counts the observed table among the replicates: (1 + #{X² ≥ X²obs}) / (B + 1)", () => {
    // All in one of two bins: every replicate has X² ≤ observed only if it is as extreme; with B = 1
    // the p-value is (1 + [replicate as extreme]) / 2 ∈ {0.5, 1}.
    const r = uniformityTest([6, 0], { simulate: { replicates: 1, seed: 3 } })!;
    expect([0.5, 1]).toContain(r.simulated!.pValue);
  });
});

describe("uniformityTest: counts only, inputs and options", () => {
  it("refuses aoristic (fractional) weights", () => {
    const e = thrownInputError(() => uniformityTest([0.5, 1.5, 2]));
    expect([e.code, e.message]).toEqual([
      "invalid-input",
      "uniformityTest: counts[0] must be a non-negative integer (aoristic weights are not counts; test the incidents wholly in one bin), got 0.5",
    ]);
  });

  it("validates options and lengths", () => {
    const cases: [unknown, object, string, string][] = [
      [[1], {}, "invalid-input", "uniformityTest: counts must be at least two bins, got [1]"],
      [[1, 2], { expected: [1, 2, 3] }, "length-mismatch", "uniformityTest: expected must have one entry per bin (2), got 3"],
      [[1, 2], { expected: [1, 0] }, "invalid-option", "uniformityTest: expected[1] must be a positive finite number, got 0"],
      [[1, 2], { simulate: { replicates: 0 } }, "invalid-option", "uniformityTest: simulate.replicates must be an integer from 1 to 10,000,000, got 0"],
      [[1, 2], { exact: "yes" }, "invalid-option", 'uniformityTest: exact must be true, false or "auto", got "yes"'],
      [[1, 2], { by: "hour" }, "invalid-option", 'uniformityTest: by must be given only with a timeOfWeek result, got "hour"'],
    ];
    for (const [input, options, code, message] of cases) {
      const e = thrownInputError(() => uniformityTest(input as never, options));
      expect([e.code, e.message]).toEqual([code, message]);
    }
  });

  it("returns null for all-zero counts and does not modify its input", () => {
    expect(uniformityTest([0, 0, 0])).toBeNull();
    const x = [3, 1, 4];
    const p = [1, 2, 3];
    uniformityTest(x, { expected: p, simulate: { replicates: 10 } });
    expect([x, p]).toEqual([[3, 1, 4], [1, 2, 3]]);
  });
});

describe("uniformityTest on a timeOfWeek result: whole incidents in one bin only", () => {
  it("uses singleCell / singleDay counts and says so", () => {
    const b = new IncidentTableBuilder("Europe/London", "EPSG:27700");
    const add = (s: number, e: number, p: number = PRECISION.minute) => {
      const i = b.addRow();
      b.start[i] = s;
      b.end[i] = e;
      b.precision[i] = p;
    };
    const m = (iso: string) => Date.parse(iso) / 60_000;
    add(m("2021-03-01T10:05Z"), m("2021-03-01T10:06Z")); // Mon 10h
    add(m("2021-03-01T10:30Z"), m("2021-03-01T12:00Z")); // Mon, 10h–11h: one day, two cells
    add(m("2021-03-02T23:30Z"), m("2021-03-03T00:30Z")); // Tue–Wed: two days
    add(m("2021-03-05T00:00Z"), m("2021-03-06T00:00Z"), PRECISION.day); // Friday, day precision
    const r = timeOfWeek(b.finish());
    const cellTest = uniformityTest(r)!;
    expect(cellTest.n).toBe(1);
    expect(cellTest.note).toBe("Tests the 1 of 3 incidents whose whole window lies in one hour of one day; aoristic weights of longer windows are not counts and are left out.");
    const dayTest = uniformityTest(r, { by: "weekday" })!;
    expect(Array.from(dayTest.observed)).toEqual([2, 0, 0, 0, 1, 0, 0]);
    expect(dayTest.note).toBe("Tests the 3 of 4 incidents whose whole window lies in one day; aoristic weights of longer windows are not counts and are left out.");
    expect(Array.from(uniformityTest(r, { by: "hour" })!.observed).indexOf(1)).toBe(10);
  });

  it("Chicago: the 168-cell and weekday statistics are R's chisq.test on the raw table", async () => {
    const { table } = await readDelimitedFiles(dataPath("chicago-aggravated-assaults-2010-2019", "chicago_aggravated_assaults.csv.gz"), CHICAGO_CODE);
    const r = timeOfWeek(table);
    const cells = uniformityTest(r)!;
    expect(cells.statistic / tow.chicago.chisqCells).toBeCloseTo(1, 12);
    expect(cells.df).toBe(167);
    expect(cells.pValue).toBe(tow.chicago.chisqCellsP); // 0: far beyond double precision
    const days = uniformityTest(r, { by: "weekday" })!;
    expect(days.statistic / tow.chicago.chisqWeekday).toBeCloseTo(1, 12);
    expect(days.pValue).toBeCloseTo(tow.chicago.chisqWeekdayP, 15);
    expect(days.exactPValue).toBeNull();
  });

  it("Vancouver statistics match R (weekday p = 0.00038), and expected minutes change the test", async () => {
    const c = tow.vancouver;
    const w = uniformityTest(c.weekday)!;
    expect(w.statistic).toBeCloseTo(c.chisqWeekday, 9);
    expect(w.pValue / c.chisqWeekdayP).toBeCloseTo(1, 9);
    expect(uniformityTest(c.hour)!.statistic).toBeCloseTo(c.chisqHour, 9);
    // 2020 has 53 Wednesdays and Thursdays (leap year starting on a Wednesday): weigh days by minutes.
    const year = weekHourMinutes(Date.UTC(2020, 0, 1, 8) / 60_000, Date.UTC(2021, 0, 1, 8) / 60_000, { zone: "America/Vancouver" });
    const dayMinutes = Array.from({ length: 7 }, (_, d) => year.slice(d * 24, d * 24 + 24).reduce((s, v) => s + v, 0));
    expect(dayMinutes.map((v) => v / 1440)).toEqual([52, 52, 53, 53, 52, 52, 52]);
    const weighted = uniformityTest(c.weekday, { expected: dayMinutes })!;
    expect(weighted.expected[2] / weighted.expected[0]).toBeCloseTo(53 / 52, 12);
    expect(weighted.statistic).not.toBeCloseTo(w.statistic, 3);
  });

  it("synthetic borough: violence is far from uniform over the week's hours", () => {
    const { table } = syntheticBorough({ seed: 1 });
    const r = timeOfWeek(table, { categories: ["violent-crime"] });
    const t = uniformityTest(r, { by: "hour" })!;
    expect(t.n).toBe(r.used); // violence has no from/to windows: every incident is in one hour
    expect(t.pValue).toBeLessThan(1e-10);
  });
});
