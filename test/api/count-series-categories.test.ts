/**
 * countSeries(table, { categories }): one crime type's series without filtering rows first, as a
 * notebook asks for it. Expected values: the synthetic borough counted a second way (levels by
 * period, and a loop over its rows), and Charnwood's police.uk burglary counted from the raw files.
 */
import { describe, it, expect, beforeAll } from "vitest";
import { countSeries } from "@community-safety/trends";
import { clockFor, levels, selectArea, syntheticBorough, type IncidentTable } from "@community-safety/core";
import { readPoliceUkFiles } from "@community-safety/core/node";
import { expectInputError } from "../helpers/errors.js";
import { countyFolder, financialYearOf, haveCounty, isCharnwood, rawCounty, skipNote } from "./raw-police-uk.js";

const { table } = syntheticBorough({ seed: 1 });

describe("countSeries(table, { categories })", () => {
  it("counts only the categories listed", () => {
    const r = countSeries(table, { unit: "financialYear", categories: ["assault"] });
    expect(r.periods.map((p) => p.key)).toEqual(["2019/20", "2020/21", "2021/22"]);
    // Second route: levels by period over the same category.
    const lv = levels(table, { by: ["period"], periods: "financialYear", categories: ["assault"] }).rows.map((x) => x.count);
    expect(Array.from(r.series[0].counts)).toEqual(lv);
    // Third route: a loop over the rows, placing each by its local start in the table's zone.
    const clock = clockFor(table.zone);
    const byYear = new Map<string, number>();
    for (let i = 0; i < table.length; ++i) {
      if (table.category.values[table.category.codes[i]] !== "assault") continue;
      const p = clock.parts(table.start[i]);
      const fy = financialYearOf(`${p.year}-${String(p.month).padStart(2, "0")}`);
      byYear.set(fy, (byYear.get(fy) ?? 0) + 1);
    }
    expect(Array.from(r.series[0].counts)).toEqual(r.periods.map((p) => byYear.get(p.key)));
    expect(r.series[0].key).toBe("all");
  });

  it("with by, keeps only the values the listed categories use", () => {
    // Assaults come from the ambulance service and the hospital only (the borough's design).
    const r = countSeries(table, { unit: "financialYear", by: "source", categories: ["assault"] });
    expect(r.series.map((s) => s.key).sort()).toEqual(["ambulance-callout", "hospital-admission"]);
    const total = countSeries(table, { unit: "financialYear", categories: ["assault"] }).series[0].counts;
    const sum = r.periods.map((_, k) => r.series.reduce((s, x) => s + x.counts[k], 0));
    expect(sum).toEqual(Array.from(total));
  });

  it("with by: 'category', one series per listed category in the order listed, zeros for an absent one", () => {
    const r = countSeries(table, { unit: "financialYear", by: "category", categories: ["robbery", "burglary", "no-such-type"] });
    expect(r.series.map((s) => s.key)).toEqual(["robbery", "burglary", "no-such-type"]);
    const lv = (category: string) => levels(table, { by: ["period"], periods: "financialYear", categories: [category] }).rows.map((x) => x.count);
    expect(Array.from(r.series[0].counts)).toEqual(lv("robbery"));
    expect(Array.from(r.series[1].counts)).toEqual(lv("burglary"));
    expect(Array.from(r.series[2].counts)).toEqual([0, 0, 0]); // covered years with no such incident
  });

  it("leaves the table and the unfiltered call as they were", () => {
    const length = table.length;
    const before = countSeries(table, { unit: "financialYear" });
    countSeries(table, { categories: ["burglary"] });
    expect(table.length).toBe(length);
    expect(countSeries(table, { unit: "financialYear" })).toEqual(before);
  });

  it("refuses an empty or malformed list", () => {
    expectInputError(() => countSeries(table, { categories: [] }), "unknown-category", "countSeries: categories must be a non-empty list of category keys, got []");
    expectInputError(() => countSeries(table, { categories: "burglary" as never }), "unknown-category", 'countSeries: categories must be a non-empty list of category keys, got "burglary"');
  });
});

describe.skipIf(!haveCounty)(`Charnwood police.uk burglary by financial year${skipNote}`, () => {
  let charnwood: IncidentTable;
  beforeAll(async () => {
    charnwood = selectArea((await readPoliceUkFiles(countyFolder)).table, { lsoaPrefix: "Charnwood" });
  });

  it("countSeries(charnwood, { unit: 'financialYear', categories: ['burglary'] }) equals the raw files' counts", () => {
    const r = countSeries(charnwood, { unit: "financialYear", categories: ["burglary"] });
    expect(r.periods.map((p) => p.key)).toEqual(["2019/20", "2020/21", "2021/22", "2022/23"]);
    // Second route: raw Charnwood rows of Crime type "Burglary" by the financial year of their Month.
    const raw = new Map<string, number>();
    for (const x of rawCounty().kept) if (isCharnwood(x) && x.type === "Burglary") raw.set(financialYearOf(x.month), (raw.get(financialYearOf(x.month)) ?? 0) + 1);
    // The extract covers December 2019 – October 2022: the first and last years are part years (NaN).
    const counts = Array.from(r.series[0].counts);
    expect(Number.isNaN(counts[0]) && Number.isNaN(counts[3])).toBe(true);
    expect(counts.slice(1, 3)).toEqual([raw.get("2020/21"), raw.get("2021/22")]);
    expect(r.series[0].gaps.map((g) => [g.first, g.partial])).toEqual([["2019/20", true], ["2022/23", true]]);
  });
});
