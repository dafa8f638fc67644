/**
 * The `period` option of streetCounts, grid and gridCounts, used as a notebook would: "where
 * was burglary in 2021/22?" out of a three-year extract, without filtering rows by hand.
 * Expected values are hand-worked on a six-row table (times chosen around the financial-year
 * boundary and British Summer Time), and on Charnwood's police.uk files counted a second way
 * from the raw CSV (test/api/raw-police-uk.ts).
 */
import { describe, it, expect, beforeAll } from "vitest";
import { POLICE_UK_PLACE_NAMES, grid, gridCounts, streetCounts } from "@community-safety/geo";
import { parsePeriod, periodMask, readDelimited, readPoliceUk, selectArea, selectRows, type IncidentTable } from "@community-safety/core";
import { readPoliceUkFiles } from "@community-safety/core/node";
import { expectInputError } from "../helpers/errors.js";
import { countyFolder, financialYearOf, haveCounty, isCharnwood, rawCounty, skipNote } from "./raw-police-uk.js";

// Six incidents in British National Grid metres, local (London) times.
//  1  31 Mar 2021 23:30 BST = 22:30Z  → 2020/21 (the year 2021/22 starts at 1 Apr 00:00 BST = 31 Mar 23:00Z)
//  2   1 Apr 2021 00:30 BST = 23:30Z on 31 Mar → 2021/22 (a filter in UTC would put it in March)
//  3  14 Jul 2021 12:00 → 2021/22;   4  31 Mar 2022 23:59 (robbery) → 2021/22
//  5   1 Apr 2022 00:00 → 2022/23;   6  1 May 2021, no location → 2021/22
const CSV = `ref,occurred,type,x,y,street
1,2021-03-31 23:30,Burglary,450100,318100,High Street
2,2021-04-01 00:30,Burglary,451100,318100,High Street
3,2021-07-14 12:00,Burglary,451900,318900,Mill Lane
4,2022-03-31 23:59,Robbery,451500,319500,Mill Lane
5,2022-04-01 00:00,Burglary,452500,318100,High Street
6,2021-05-01 10:00,Burglary,,,
`;
const { table } = readDelimited(CSV, {
  columns: { id: "ref", date: "occurred", category: "type", x: "x", y: "y", location: "street" },
  dateFormat: "yyyy-MM-dd HH:mm",
  categoryMap: { Burglary: "burglary", Robbery: "robbery" },
  crs: "EPSG:27700",
});
const named = (rows: { name: string | null; count: number }[]) => rows.map((r) => [r.name, r.count]);

describe("periodMask(table, period), the rule the three share", () => {
  it("marks the rows of the period, by local time", () => {
    expect(Array.from(periodMask(table, "2021/22"))).toEqual([0, 1, 1, 1, 0, 1]);
    expect(Array.from(periodMask(table, "2021/22", { fyStartMonth: 7 }))).toEqual([0, 0, 1, 1, 1, 0]); // Jul 2021 – Jun 2022
    const mask = periodMask(table, "2020/21");
    expect(selectRows(table, (i) => mask[i] === 1).length).toBe(1);
    expectInputError(() => periodMask(table, "21/22"), "invalid-date", 'periodMask: period must be a period key such as "2021/22"');
  });
});

describe("streetCounts(table, { period })", () => {
  it("counts only the period's incidents, placed by local time in the table's zone", () => {
    // 2021/22 holds rows 2 (High Street), 3 and 4 (Mill Lane) and 6 (no location).
    const r = streetCounts(table, { period: "2021/22", locality: "none" });
    expect(named(r.rows)).toEqual([["Mill Lane", 2], ["High Street", 1]]);
    expect(r.rows.map((x) => x.share)).toEqual([2 / 3, 1 / 3]);
    expect(r.unlocated).toBe(1);
    expect(r.categories).toEqual(["burglary", "robbery"]);
    // With a category: rows 2 and 3, one each; a tie is ordered by name.
    expect(named(streetCounts(table, { period: "2021/22", categories: ["burglary"], locality: "none" }).rows)).toEqual([["High Street", 1], ["Mill Lane", 1]]);
    // 2020/21 holds row 1 alone; 2022/23 row 5 alone.
    expect(named(streetCounts(table, { period: "2020/21", locality: "none" }).rows)).toEqual([["High Street", 1]]);
    expect(named(streetCounts(table, { period: "2022/23", locality: "none" }).rows)).toEqual([["High Street", 1]]);
  });

  it("takes any period key, a Period, and a financial year starting in another month", () => {
    expect(named(streetCounts(table, { period: "2021-07", locality: "none" }).rows)).toEqual([["Mill Lane", 1]]);
    expect(named(streetCounts(table, { period: "2021-07-14", locality: "none" }).rows)).toEqual([["Mill Lane", 1]]);
    expect(named(streetCounts(table, { period: "2021-Q1", locality: "none" }).rows)).toEqual([["High Street", 1]]); // row 1
    expect(named(streetCounts(table, { period: parsePeriod("2021-04..2021-06"), locality: "none" }).rows)).toEqual([["High Street", 1]]); // row 2 (6 has no location)
    // A July–June year: "2021/22" is Jul 2021 – Jun 2022, rows 3, 4 and 5.
    expect(named(streetCounts(table, { period: "2021/22", fyStartMonth: 7, locality: "none" }).rows)).toEqual([["Mill Lane", 2], ["High Street", 1]]);
  });

  it("by: 'category' lists only the categories with an incident in the period", () => {
    const r = streetCounts(table, { period: "2022/23", by: "category", locality: "none" });
    expect(r.groups).toEqual([{ category: "burglary", incidents: 1, units: 1 }]);
  });

  it("refuses a bad period with the function's name", () => {
    expectInputError(() => streetCounts(table, { period: "2021/23" }), "invalid-date", 'streetCounts: period must be a period key such as "2021/22"');
    expectInputError(() => streetCounts(table, { period: 2021 as never }), "invalid-option", "streetCounts: period must be");
    expectInputError(() => streetCounts(table, { period: "2021/22", fyStartMonth: 13 }), "invalid-option", "streetCounts: fyStartMonth must be an integer from 1 to 12, got 13");
    // police.uk months cannot be placed on a day.
    const month = readPoliceUk(
      "Crime ID,Month,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type\n,2021-07,-1.2,52.77,On or near High Street,E01025670,Charnwood 022A,Anti-social behaviour\n",
    ).table;
    expectInputError(() => streetCounts(month, { period: "2021-07-14" }), "precision-too-coarse", "streetCounts: period 2021-07-14 needs records known to the day; row 0 is known only to the month");
    expect(streetCounts(month, { period: "2021-07" }).groups[0].incidents).toBe(1);
  });
});

describe("grid(table, { period }) and gridCounts(grid, table, { period })", () => {
  it("lay out and count the period's located incidents only", () => {
    // 2021/22's located points: (451100, 318100), (451900, 318900), (451500, 319500).
    // Box 451100–451900 × 318100–319500 → origin (451000, 318000), 1 column × 2 rows of 1 km.
    const g = grid(table, { cellSize: 1000, period: "2021/22" });
    expect([g.originX, g.originY, g.columns, g.rows]).toEqual([451000, 318000, 1, 2]);
    // All six: 450100–452500 → 3 columns.
    expect(grid(table, { cellSize: 1000 }).columns).toBe(3);
    const c = gridCounts(g, table, { period: "2021/22" });
    expect(Array.from(c.counts)).toEqual([2, 1]); // rows 2 and 3 in the southern cell, 4 in the northern
    expect([c.counted, c.noLocation, c.outside]).toEqual([3, 1, 0]); // row 6 has no location
    expect(Array.from(c.cell)).toEqual([-1, 0, 0, 1, -1, -1]); // rows of other periods: -1
    // Without the period, rows 1 and 5 fall outside this grid.
    const all = gridCounts(g, table);
    expect([all.counted, all.noLocation, all.outside]).toEqual([3, 1, 2]);
  });

  it("refuse a period they cannot apply", () => {
    const g = grid(table, { cellSize: 1000 });
    expectInputError(() => gridCounts(g, { x: [451100], y: [318100] }, { period: "2021/22" }), "invalid-option", "gridCounts: period must be given only with an incident table");
    expectInputError(() => grid([450000, 318000, 452000, 320000], { period: "2021/22" }), "invalid-option", "grid: period must be given only with points");
    expectInputError(() => grid(table, { cellSize: 1000, period: "2019/20" }), "empty-input", "grid: points must be at least one point with finite x and y in period 2019/20");
    expectInputError(() => gridCounts(g, table, { period: "2021-13" }), "invalid-date", "gridCounts: period must be a period key");
  });
});

describe.skipIf(!haveCounty)(`Charnwood police.uk 2019-12 – 2022-10, one financial year${skipNote}`, () => {
  let charnwood: IncidentTable;
  beforeAll(async () => {
    charnwood = selectArea((await readPoliceUkFiles(countyFolder)).table, { lsoaPrefix: "Charnwood" });
  });

  it("streetCounts(charnwood, { categories: ['burglary'], period: '2021/22', locality: 'lsoa' }) equals a count of the raw files", () => {
    const r = streetCounts(charnwood, { categories: ["burglary"], period: "2021/22", locality: "lsoa" });
    // Second route: the raw rows of Charnwood burglary with Month in April 2021 – March 2022 and a
    // point, keyed by street name ("On or near " removed) and LSOA code; place categories (keyed by
    // snap point, not by name) and unnamed points left out of the street comparison.
    const places = new Set(POLICE_UK_PLACE_NAMES.map((p) => p.toLowerCase()));
    const rows = rawCounty().kept.filter((x) => isCharnwood(x) && x.type === "Burglary" && financialYearOf(x.month) === "2021/22" && x.lon !== "");
    const expected = new Map<string, number>();
    for (const x of rows) {
      const name = x.location.replace(/^On or near /, "").trim();
      if (name === "" || places.has(name.toLowerCase())) continue;
      const key = `${name}|${x.lsoaCode}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    const streets = new Map(r.rows.filter((x) => x.kind === "street").map((x) => [`${x.name}|${x.lsoa}`, x.count]));
    expect(streets).toEqual(expected);
    expect(r.groups[0].incidents).toBe(rows.length);
    expect(rows.length).toBe(592);
    expect(r.unlocated).toBe(0);
  });

  it("gives the counts of the period's rows alone, and the three functions count the same incidents", () => {
    const fy = parsePeriod("2021/22", { zone: charnwood.zone });
    const only = selectRows(charnwood, (i) => charnwood.start[i] >= fy.start && charnwood.start[i] < fy.end);
    // Same counts as counting a table that holds 2021/22 alone (streets keyed by name and LSOA do
    // not depend on the rows they are formed from).
    const a = streetCounts(charnwood, { period: "2021/22", locality: "lsoa", by: "category" });
    const b = streetCounts(only, { locality: "lsoa", by: "category" });
    const key = (x: { category: string | null; name: string | null; lsoa: string | null; x: number; count: number }) => `${x.category}|${x.name}|${x.lsoa}|${x.count}`;
    expect(a.groups).toEqual(b.groups);
    expect(new Set(a.rows.filter((x) => x.kind === "street").map(key))).toEqual(new Set(b.rows.filter((x) => x.kind === "street").map(key)));
    // The R count of the raw files (test/fixtures/police-uk) has 15,853 Charnwood rows in 2021/22,
    // all located (the "No Location" rows have no LSOA, so none is Charnwood's).
    const g = grid(charnwood, { cellSize: 500, period: "2021/22" });
    const c = gridCounts(g, charnwood, { period: "2021/22" });
    expect([c.counted, c.noLocation, c.outside]).toEqual([15853, 0, 0]);
    const total = a.groups.reduce((s, x) => s + x.incidents, 0);
    expect(total).toBe(15853);
    expect(g).toEqual(grid(only, { cellSize: 500 }));
  });
});
