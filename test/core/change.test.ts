import { describe, it, expect } from "vitest";
import { IncidentTableBuilder, PRECISION, clockFor, change, declaredCoverage, yearOnYear, financialYearToDateChange, rollingTwelveMonthsChange, selectRows, lsoaNamePrefixTest, InputError, type IncidentTable } from "@community-safety/core";
import { readPoliceUkFiles } from "@community-safety/core/node";
import { dataPath } from "../helpers/data.js";
import { expectInputError } from "../helpers/errors.js";
import { seededRandom } from "@community-safety/core";

// 30 burglaries in February 2021 and 45 in March; 3 robberies in March and none in February.
// The records fall on days 1–27 of each month; the extract is declared to cover both months
// (without the declaration the data cover only 1–27 February and 1–27 March: see below).
function table(declare = true): IncidentTable {
  const clock = clockFor("Europe/London");
  const b = new IncidentTableBuilder("Europe/London", "EPSG:27700");
  const add = (cat: string, month: number, n: number) => {
    for (let k = 0; k < n; ++k) {
      const i = b.addRow();
      b.dict.category.set(i, cat);
      b.start[i] = clock.fromLocal(2021, month, 1 + (k % 27), 12, 0);
      b.end[i] = b.start[i] + 1;
      b.precision[i] = PRECISION.minute;
    }
  };
  add("burglary", 2, 30);
  add("burglary", 3, 45);
  add("robbery", 3, 3);
  if (declare) b.coverage.push(declaredCoverage(["2021-02", "2021-03"]));
  return b.finish();
}

describe("change", () => {
  it("change(table, previous, current) tests equal rates with the months' lengths as exposures, as R's poisson.test", () => {
    const { rows } = change(table(), "2021-02", "2021-03");
    const burglary = rows.find((r) => r.category === "burglary")!;
    // R 4.2.2: poisson.test(c(45, 30), c(743/24, 28)) — March 2021 in London has 743 hours.
    expect(burglary).toMatchObject({ previous: 30, current: 45, change: 15, percentChange: 0.5, smallNumbers: false, significant: false });
    expect(burglary.pValue).toBeCloseTo(0.20501447784070576, 12);
    expect(burglary.rateRatio).toBeCloseTo(1.3566621803499328, 12);
    expect(burglary.lower).toBeCloseTo(0.83610907339973217, 10);
    expect(burglary.upper).toBeCloseTo(2.2303286677453267, 10);
    expect(burglary.poissonZ).toBeCloseTo(2 * (Math.sqrt(45) - Math.sqrt(30)), 12);
    expect(burglary.sentence).toBe("Burglary rose by 15 (+50.0%) from 2021-02 to 2021-03; this is not statistically significant (p = 0.21).");
  });

  it("gives no % change from a zero base, with a reason, and flags small numbers", () => {
    const robbery = change(table(), "2021-02", "2021-03").rows.find((r) => r.category === "robbery")!;
    expect(robbery).toMatchObject({ previous: 0, current: 3, percentChange: null, percentReason: "no % change from a zero base", rateRatio: null, smallNumbers: true });
    // R: poisson.test(c(3, 0), c(743/24, 28))$p.value
    expect(robbery.pValue).toBeCloseTo(0.25188827429484706, 12);
    expect(robbery.sentence).toBe("Robbery rose by 3 (from none) from 2021-02 to 2021-03; this is not statistically significant (p = 0.25); small numbers.");
  });

  it("refuses a period the data cover only in part, naming the covered span (partial-period)", () => {
    // Found from the records: 1 February to the end of 27 March (no whole month without a record),
    // so February is covered and March only to the 27th.
    expectInputError(() => change(table(false), "2021-02", "2021-03"), "partial-period", "change: 2021-03 (March 2021) is only partly covered by the data: 1 Mar 2021 – 27 Mar 2021 (27 of 31 days)");
  });

  it("partial: 'rate' compares rates per day of covered time, as R's poisson.test with those exposures", () => {
    const { rows, windows, basis, note } = change(table(false), "2021-02", "2021-03", { partial: "rate" });
    expect(basis).toBe("rate");
    expect([windows.previous.label, windows.current.label]).toEqual(["2021-02", "1 Mar 2021 – 27 Mar 2021"]);
    expect([windows.previous.days, windows.current.days]).toEqual([28, 27]);
    expect(note).toBe("2021-02 and 2021-03 are compared as rates per day of covered time: all of 2021-02 (28 days) and 1 Mar 2021 – 27 Mar 2021 (27 days).");
    const burglary = rows.find((r) => r.category === "burglary")!;
    expect(burglary).toMatchObject({ previous: 30, current: 45, previousDays: 28, currentDays: 27 });
    // The change in the rate per day: (45/27) / (30/28) − 1 = 5/9.
    expect(burglary.percentChange).toBeCloseTo(5 / 9, 14);
    // R 4.2.2 (Debian): poisson.test(c(45, 30), c(27, 28)) — p-value, rate ratio, 95% CI.
    expect(burglary.pValue).toBeCloseTo(0.064638367167556388, 14);
    expect(burglary.rateRatio).toBeCloseTo(1.55555555555555558, 12);
    expect(burglary.lower).toBeCloseTo(0.95868679249382871, 10);
    expect(burglary.upper).toBeCloseTo(2.557305864405520879, 10);
    expect(burglary.sentence).toBe("Burglary rose from 1.07 a day in 2021-02 to 1.67 a day in 2021-03 (1 Mar 2021 – 27 Mar 2021 covered), +55.6% a day: 30 in 28 days against 45 in 27 days; this is not statistically significant (p = 0.06).");
    const robbery = rows.find((r) => r.category === "robbery")!;
    // R: poisson.test(c(3, 0), c(27, 28))$p.value
    expect(robbery.pValue).toBeCloseTo(0.11830503380916609, 14);
    expect(robbery.sentence).toBe("Robbery rose from 0 a day in 2021-02 to 0.11 a day in 2021-03 (1 Mar 2021 – 27 Mar 2021 covered): 0 in 28 days against 3 in 27 days; this is not statistically significant (p = 0.12); small numbers.");
  });

  it("partial: 'equal-windows' counts the days covered in both periods (days, when coverage ends mid-month)", () => {
    // Equal windows are the days 1–27 of each month: days, since the coverage ends mid-month.
    const eq = change(table(false), "2021-02", "2021-03", { partial: "equal-windows" });
    expect([eq.windows.previous.label, eq.windows.current.label]).toEqual(["1 Feb 2021 – 27 Feb 2021", "1 Mar 2021 – 27 Mar 2021"]);
    const burglary = eq.rows.find((r) => r.category === "burglary")!;
    // Feb days 1–27 hold 27 + 3 = 30 burglaries (days 1, 2, 3 twice), Mar days 1–27 hold all 45.
    expect([burglary.previous, burglary.current, burglary.previousDays, burglary.currentDays]).toEqual([30, 45, 27, 27]);
    // R: poisson.test(c(45, 30), c(27, 27))$p.value
    expect(burglary.pValue).toBeCloseTo(0.10534226887460546, 14);
    expect(() => change(table(false), "2021-02", "2021-Q2", { partial: "equal-windows" })).toThrow(/partial must be "refuse" or "rate" for periods of different lengths/);
  });

  it("rejects overlapping periods and bad options", () => {
    expect(() => change(table(), "2021-02", "2021-Q1")).toThrow(InputError);
    expect(() => change(table(), "2021-02", "2021-03", { alpha: 2 })).toThrow("change: alpha must be a number between 0 and 1, got 2");
    expect(() => change(table(), "2021-02", "2021-03", { by: ["period" as never] })).toThrow(/by must be/);
  });
});

describe("yearOnYear on Charnwood", () => {
  it("bicycle theft 2020/21 → 2021/22 matches R's poisson.test(c(472, 252), c(365, 365))", async () => {
    const { table: all } = await readPoliceUkFiles(dataPath("policeuk-leicestershire", "county-2019-12_2022-10"));
    const charnwood = selectRows(all, lsoaNamePrefixTest(all, "Charnwood"));
    const result = yearOnYear(charnwood, "2021/22");
    expect(result.previous.key).toBe("2020/21");
    expect(result.rows.length).toBe(14); // every crime type, zero-filled
    const bike = result.rows.find((r) => r.category === "bicycle-theft")!;
    expect([bike.previous, bike.current]).toEqual([252, 472]);
    expect(bike.pValue! / 2.3581839621824766e-16).toBeCloseTo(1, 6);
    expect(bike.rateRatio).toBeCloseTo(1.8730158730158728, 12);
    expect(bike.lower).toBeCloseTo(1.6040315767856443, 10);
    expect(bike.upper).toBeCloseTo(2.1912516797177362, 10);
    expect(bike.sentence).toBe("Bicycle theft rose by 220 (+87.3%) from 2020/21 to 2021/22; this is statistically significant (p < 0.001).");
  });
});

describe("financial year to date and rolling 12 months on Charnwood", () => {
  it("compare the same months a year apart, with counts equal to an independent count of the raw files", async () => {
    const { table: all } = await readPoliceUkFiles(dataPath("policeuk-leicestershire", "county-2019-12_2022-10"));
    const charnwood = selectRows(all, lsoaNamePrefixTest(all, "Charnwood"));
    // Independent counts: Python's csv module over the gzipped files, LSOA name starting
    // "Charnwood ", a Crime ID counted once in its latest month (the documented rule):
    // burglary Apr–Oct 2021 = 326, Apr–Oct 2022 = 457; violence Nov 2020–Oct 2021 = 5,311,
    // Nov 2021–Oct 2022 = 5,891.
    const fytd = financialYearToDateChange(charnwood, "2022-10");
    expect([fytd.previous.key, fytd.current.key]).toEqual(["2021-04..2021-10", "2022-04..2022-10"]);
    const burglary = fytd.rows.find((r) => r.category === "burglary")!;
    expect([burglary.previous, burglary.current]).toEqual([326, 457]);
    // R 4.2.2: poisson.test(c(457, 326), c(214, 214)) — April–October has 214 days in both years.
    expect(burglary.pValue! / 3.222534418126134e-6).toBeCloseTo(1, 8);
    expect(burglary.lower).toBeCloseTo(1.2134896969754996, 10);
    expect(burglary.upper).toBeCloseTo(1.6208765584522169, 10);
    expect(burglary.sentence).toBe("Burglary rose by 131 (+40.2%) in 2022/23 to date (Apr 2022 – Oct 2022) compared with 2021/22 to date (Apr 2021 – Oct 2021); this is statistically significant (p < 0.001).");
    const rolling = rollingTwelveMonthsChange(charnwood, "2022-10");
    expect([rolling.previous.key, rolling.current.key]).toEqual(["2020-11..2021-10", "2021-11..2022-10"]);
    const violence = rolling.rows.find((r) => r.category === "violent-crime")!;
    expect([violence.previous, violence.current]).toEqual([5311, 5891]);
    // R: poisson.test(c(5891, 5311), c(365, 365))$p.value
    expect(violence.pValue! / 4.4567433160392465e-8).toBeCloseTo(1, 8);
  });
});

describe("no-change series", () => {
  it("are called significant no more often than the 5% nominal rate (1,000 seeded categories, year on year)", () => {
    // Each of 1,000 categories has the same Poisson mean (40 a month) in 2020/21 and 2021/22.
    const clock = clockFor("Europe/London");
    const rng = seededRandom(7);
    const b = new IncidentTableBuilder("Europe/London", "EPSG:27700");
    for (let c = 0; c < 1000; ++c) {
      for (let mo = 0; mo < 24; ++mo) {
        const y = 2020 + Math.floor((mo + 3) / 12);
        const m = ((mo + 3) % 12) + 1;
        const n = rng.poisson(40);
        for (let k = 0; k < n; ++k) {
          const i = b.addRow();
          b.dict.category.set(i, `c${c}`);
          b.start[i] = clock.fromLocal(y, m, 1);
          b.end[i] = clock.fromLocal(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1);
          b.precision[i] = PRECISION.month;
        }
      }
    }
    const rows = yearOnYear(b.finish(), "2021/22").rows;
    expect(rows.length).toBe(1000);
    const rate = rows.filter((r) => r.significant).length / rows.length;
    // Binomial(1000, 0.05) has sd 0.0069: an exact test that is not anti-conservative stays below ~0.064.
    expect(rate).toBeLessThan(0.064);
    expect(rate).toBeGreaterThan(0.02); // …and is not so conservative that it never fires.
  });
});
