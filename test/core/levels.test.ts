import { describe, it, expect } from "vitest";
import * as aq from "arquero";
import { IncidentTableBuilder, PRECISION, levels, ALL, InputError, clockFor, type IncidentTable } from "@community-safety/core";

// A hand-made table: 10 incidents, two districts, two financial years.
//  #  category        district   when (local)         precision
//  0  burglary        North      2020-05-10 14:00     minute
//  1  burglary        North      2020-06-01 (month)   month
//  2  burglary        South      2021-01-15 09:00     minute
//  3  robbery         North      2020-11-02 22:00     minute
//  4  violent-crime   South      2020-04-01 00:30     minute   (first half-hour of FY 2020/21)
//  5  violent-crime   South      2021-03-31 23:30     minute   (last half-hour of FY 2020/21)
//  6  violent-crime   South      2021-04-01 00:10     minute   (FY 2021/22)
//  7  burglary        South      2021-07-07 (month)   month
//  8  robbery         South      2021-12-24 18:00     minute
//  9  violent-crime   (none)     2021-05-05 12:00     minute
const spec: [string, string | null, [number, number, number, number, number], "minute" | "month"][] = [
  ["burglary", "North", [2020, 5, 10, 14, 0], "minute"],
  ["burglary", "North", [2020, 6, 1, 0, 0], "month"],
  ["burglary", "South", [2021, 1, 15, 9, 0], "minute"],
  ["robbery", "North", [2020, 11, 2, 22, 0], "minute"],
  ["violent-crime", "South", [2020, 4, 1, 0, 30], "minute"],
  ["violent-crime", "South", [2021, 3, 31, 23, 30], "minute"],
  ["violent-crime", "South", [2021, 4, 1, 0, 10], "minute"],
  ["burglary", "South", [2021, 7, 1, 0, 0], "month"],
  ["robbery", "South", [2021, 12, 24, 18, 0], "minute"],
  ["violent-crime", null, [2021, 5, 5, 12, 0], "minute"],
];

function table(order: readonly number[] = spec.map((_, k) => k)): IncidentTable {
  const clock = clockFor("Europe/London");
  const b = new IncidentTableBuilder("Europe/London", "EPSG:27700");
  for (const [cat, district, [y, m, d, h, mi], precision] of order.map((k) => spec[k])) {
    const i = b.addRow();
    b.dict.category.set(i, cat);
    b.dict.district.set(i, district);
    b.dict.source.set(i, "police-recorded-crime");
    b.start[i] = clock.fromLocal(y, m, d, h, mi);
    b.end[i] = precision === "month" ? clock.fromLocal(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) : b.start[i] + 1;
    b.precision[i] = PRECISION[precision];
  }
  return b.finish();
}

const pick = (rows: Record<string, unknown>[], match: Record<string, unknown>) =>
  rows.filter((r) => Object.entries(match).every(([k, v]) => r[k] === v));

describe("levels", () => {
  it("levels(table) counts by category with shares of the total", () => {
    const { rows, total } = levels(table());
    expect(total).toBe(10);
    expect(rows.map((r) => [r.category, r.count, r.share])).toEqual([
      ["burglary", 4, 0.4],
      ["robbery", 2, 0.2],
      ["violent-crime", 4, 0.4],
    ]);
  });

  it("levels by financial year × category places the edge half-hours in the right year", () => {
    const { rows } = levels(table(), { by: ["period", "category"], periods: "financialYear" });
    // By hand: 2020/21 = #0,1,2,3,4,5 ; 2021/22 = #6,7,8,9
    expect(rows.map((r) => [r.period, r.category, r.count])).toEqual([
      ["2020/21", "burglary", 3],
      ["2020/21", "robbery", 1],
      ["2020/21", "violent-crime", 2],
      ["2021/22", "burglary", 1],
      ["2021/22", "robbery", 1],
      ["2021/22", "violent-crime", 2],
    ]);
    expect(pick(rows, { period: "2020/21", category: "burglary" })[0].share).toBe(0.5);
  });

  it("places rows by their own start whatever the order: runs of one start, interleaved years, and the counts of the roll-up path agree", () => {
    // The incidents twice, interleaving the two years, then in reverse (a row's period is
    // remembered from the row before when the start is the same: this must never leak).
    const once = [0, 6, 1, 7, 2, 8, 3, 9, 4, 5];
    const t = table([...once, ...[...once].reverse()]);
    const fy = ["2020/21", "2021/22"];
    // Hand count from the table above, doubled: 2020/21 burglary 0,1,2 robbery 3 violent 4,5; 2021/22 burglary 7 robbery 8 violent 6,9.
    const { rows, total } = levels(t, { by: ["period", "category"], periods: fy });
    expect(total).toBe(20);
    expect(rows.map((r) => [r.period, r.category, r.count])).toEqual([
      ["2020/21", "burglary", 6],
      ["2020/21", "robbery", 2],
      ["2020/21", "violent-crime", 4],
      ["2021/22", "burglary", 2],
      ["2021/22", "robbery", 2],
      ["2021/22", "violent-crime", 4],
    ]);
    // The same cells through the general path (a district roll-up adds per-row lists).
    const plain = levels(t, { by: ["period", "category", "district"], periods: fy });
    const rolled = levels(t, { by: ["period", "category", "district"], periods: fy, totals: ["district"] });
    expect(rolled.rows.filter((r) => r.district !== ALL)).toEqual(plain.rows);
    expect(plain.total).toBe(20);
    // A list restricting what is counted (no period dimension): only 2021/22.
    expect(levels(t, { by: ["category"], periods: ["2021/22"] }).rows.map((r) => r.count)).toEqual([2, 2, 4]);
    expect(levels(t, { by: ["period"], periods: "month" }).rows.filter((r) => r.count > 0).map((r) => [r.period, r.count])).toEqual([
      ["2020-04", 2],
      ["2020-05", 2],
      ["2020-06", 2],
      ["2020-11", 2],
      ["2021-01", 2],
      ["2021-03", 2],
      ["2021-04", 2],
      ["2021-05", 2],
      ["2021-07", 2],
      ["2021-12", 2],
    ]);
  });

  it("zero-fills every combination, including months with no incidents", () => {
    const { rows } = levels(table(), { by: ["period"], periods: "month" });
    expect(rows.length).toBe(21); // 2020-04 … 2021-12: 9 + 12 months
    expect(rows[0]).toEqual({ period: "2020-04", count: 1, share: 0.1, population: null, rate: null, coverage: 1 }); // 1 of 10 across periods
    expect(pick(rows, { period: "2020-07" })[0].count).toBe(0);
    // Coverage found from the records (by hand): 1 April 2020 (the first record's day) to the end
    // of 24 December 2021 (the last's), less the whole months with no record at all — so July
    // 2020 is not covered (its 0 is unknown, not zero) and December 2021 is covered for 24 of 31 days.
    const coverage = Object.fromEntries(rows.map((r) => [r.period, r.coverage]));
    const gaps = ["2020-07", "2020-08", "2020-09", "2020-10", "2020-12", "2021-02", "2021-06", "2021-08", "2021-09", "2021-10", "2021-11"];
    for (const k of gaps) expect(coverage[k as string], k).toBe(0);
    expect(coverage["2021-12"]).toBeCloseTo(24 / 31, 14);
    expect(rows.filter((r) => r.coverage === 1).map((r) => r.period)).toEqual(["2020-04", "2020-05", "2020-06", "2020-11", "2021-01", "2021-03", "2021-04", "2021-05", "2021-07"]);
    // Without a period dimension there is no coverage to report.
    expect(levels(table()).rows[0].coverage).toBeNull();
    expect(levels(table(), { by: ["period"], periods: "month", zeroFill: false }).rows.length).toBe(10);
  });

  it("shareOf district gives the share of a category in each district ('55% of burglaries were in …')", () => {
    const { rows } = levels(table(), { by: ["district", "category"], shareOf: "district" });
    expect(pick(rows, { district: "North", category: "burglary" })[0].share).toBe(0.5);
    expect(pick(rows, { district: "South", category: "violent-crime" })[0].share).toBe(0.75);
    // The incident with no district is kept as its own (null) row, never dropped.
    expect(pick(rows, { district: null, category: "violent-crime" })[0].count).toBe(1);
  });

  it("rates per 1,000 residents and a county roll-up row", () => {
    const population = { North: 2000, South: 8000 };
    const { rows, missingPopulation } = levels(table(), { by: ["district"], population, totals: ["district"] });
    expect(rows.map((r) => [r.district, r.count, r.population, r.rate])).toEqual([
      ["North", 3, 2000, 1.5],
      ["South", 6, 8000, 0.75],
      [null, 1, null, null],
      [ALL, 10, 10000, 1],
    ]);
    expect(missingPopulation).toEqual([]);
    const mismatch = levels(table(), { by: ["district"], population: { North: 2000, East: 500 } });
    expect(mismatch.missingPopulation).toEqual(["South"]);
    expect(mismatch.unusedPopulation).toEqual(["East"]);
  });

  it("groups: an incident counts once in each group containing its category", () => {
    const groups = { "serious-acquisitive": ["burglary", "robbery", "vehicle-crime"], "all-crime": ["burglary", "robbery", "violent-crime"] };
    const { rows, total } = levels(table(), { groups });
    expect(total).toBe(10);
    expect(rows.map((r) => [r.category, r.count, r.share])).toEqual([
      ["serious-acquisitive", 6, 0.6],
      ["all-crime", 10, 1],
    ]);
  });

  it("categories restricts the universe and zero-fills absent ones", () => {
    const { rows, notCounted } = levels(table(), { categories: ["burglary", "bicycle-theft"] });
    expect(notCounted).toBe(6);
    expect(rows.map((r) => [r.category, r.count, r.share])).toEqual([
      ["burglary", 4, 1],
      ["bicycle-theft", 0, 0],
    ]);
  });

  it("explicit periods (financial year to date) restrict what is counted", () => {
    const { rows } = levels(table(), { by: ["category"], periods: ["2021-04..2021-10"] });
    expect(rows.map((r) => r.count)).toEqual([1, 0, 2]); // #7 burglary; #6, #9 violence
  });

  it("refuses month-precision records for daily periods unless excluded", () => {
    expect(() => levels(table(), { by: ["period"], periods: "day" })).toThrow(expect.objectContaining({ code: "precision-too-coarse" }));
    const res = levels(table(), { by: ["period"], periods: "isoWeek", coarse: "exclude", zeroFill: false });
    expect(res.excluded).toBe(2);
    expect(res.total).toBe(8);
  });

  it("judges a month record against an explicit day by its whole window, not only by its start", () => {
    // Row 7 is known only to July 2021: it overlaps 14 July without starting on it. Counting it as 0
    // for that day would invent knowledge, so it is refused (or excluded and counted).
    const e = (() => {
      try {
        levels(table(), { by: ["period"], periods: ["2021-07-14"] });
      } catch (err) {
        return err as InputError;
      }
      return null;
    })();
    expect(e?.code).toBe("precision-too-coarse");
    expect(e?.message).toBe('levels: period 2021-07-14 needs records known to the day; row 7 is known only to the month (use coarse: "exclude")');
    expect(levels(table(), { by: ["period"], periods: ["2021-07-14"], coarse: "exclude" }).excluded).toBe(1);
  });

  it("rows load straight into arquero", () => {
    const t = aq.from(levels(table(), { by: ["district", "category"] }).rows);
    expect(t.numRows()).toBe(9);
    expect(t.rollup({ n: aq.op.sum("count") }).get("n", 0)).toBe(10);
  });

  it("validates options with InputError codes", () => {
    expect(() => levels(table(), { by: ["colour" as never] })).toThrow(InputError);
    expect(() => levels(table(), { by: ["period"] })).toThrow('levels: periods must be a unit or list of periods when by includes "period", got undefined');
    expect(() => levels(table(), { by: ["category"], shareOf: "district" })).toThrow(/shareOf must be one of the dimensions in by/);
    expect(() => levels(table(), { categories: [] })).toThrow(expect.objectContaining({ code: "unknown-category" }));
    expect(() => levels(table(), { by: ["category"], population: { North: 1 } })).toThrow(/areaDimension must be/);
  });

  it("does not mutate the table", () => {
    const t = table();
    const before = Array.from(t.category.codes);
    levels(t, { by: ["category", "district"], groups: { a: ["burglary"] }, totals: ["district"] });
    expect(Array.from(t.category.codes)).toEqual(before);
  });
});
