import { describe, it, expect } from "vitest";
import { IncidentTableBuilder, PRECISION, clockFor, change, yearOnYear, financialYearToDateChange, rollingTwelveMonthsChange, selectRows, lsoaNamePrefixTest, InputError, type IncidentTable } from "@community-safety/core";
import { readPoliceUkFiles } from "@community-safety/core/node";
import { dataPath } from "../helpers/data.js";
import { seededRandom } from "@community-safety/core";

// 30 burglaries in February 2021 and 45 in March; 3 robberies in March and none in February.
function table(): IncidentTable {
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
