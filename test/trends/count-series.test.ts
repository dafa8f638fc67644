import { describe, it, expect } from "vitest";
import { IncidentTableBuilder, PRECISION, clockFor, declaredCoverage, readPoliceUk, InputError, type IncidentTable } from "@community-safety/core";
import { countSeries } from "@community-safety/trends";

function minuteTable(window?: [string, string]): IncidentTable {
  // Five timestamped incidents (local London time), hand-placed across a clock change. Without
  // a declared extract window the data cover 27 March (the first record's day) to 2 April 2021.
  const clock = clockFor("Europe/London");
  const b = new IncidentTableBuilder("Europe/London", "EPSG:27700");
  const rows: [string, number, number, number, number, number][] = [
    ["burglary", 2021, 3, 27, 23, 30],
    ["burglary", 2021, 3, 28, 3, 0], // after the 01:00 GMT -> 02:00 BST change
    ["robbery", 2021, 3, 28, 23, 59],
    ["burglary", 2021, 3, 30, 12, 0],
    ["robbery", 2021, 4, 2, 8, 0],
  ];
  for (const [cat, y, m, d, h, mi] of rows) {
    const i = b.addRow();
    b.dict.category.set(i, cat);
    b.start[i] = clock.fromLocal(y, m, d, h, mi);
    b.end[i] = b.start[i] + 1;
    b.precision[i] = PRECISION.minute;
  }
  if (window) b.coverage.push(declaredCoverage(window));
  return b.finish();
}

describe("countSeries", () => {
  it("countSeries(table, {unit: 'day'}) zero-fills the days between the first and last incident", () => {
    const r = countSeries(minuteTable(), { unit: "day" });
    expect(r.periods.map((p) => p.key)).toEqual(["2021-03-27", "2021-03-28", "2021-03-29", "2021-03-30", "2021-03-31", "2021-04-01", "2021-04-02"]);
    expect(Array.from(r.series[0].counts)).toEqual([1, 2, 0, 1, 0, 0, 1]);
    expect(r.series[0].key).toBe("all");
  });

  it("splits by category and honours from/to: zero in covered months, NaN where the data do not cover the month", () => {
    // Declared extract February–May 2021: months with no incident are real zeros.
    const r = countSeries(minuteTable(["2021-02", "2021-05"]), { unit: "month", by: "category", from: "2021-02", to: "2021-05" });
    expect(r.periods.map((p) => p.key)).toEqual(["2021-02", "2021-03", "2021-04", "2021-05"]);
    expect(r.series.map((s) => [s.key, Array.from(s.counts)])).toEqual([
      ["burglary", [0, 3, 0, 0]],
      ["robbery", [0, 1, 1, 0]],
    ]);
    expect(r.series[0].gaps).toEqual([]);
    // Coverage found from the records (27 March – 2 April): no month is wholly covered, so none
    // has a count — a zero for February would claim "no burglary" where the data say nothing.
    const found = countSeries(minuteTable(), { unit: "month", by: "category", from: "2021-02", to: "2021-05" });
    expect(found.series.map((s) => Array.from(s.counts).map(Number.isNaN))).toEqual([
      [true, true, true, true],
      [true, true, true, true],
    ]);
    // 27–31 March is 5 days less the hour lost on 28 March, of March's 31 days less that hour.
    expect(found.series[0].coverage[1]).toBeCloseTo((5 * 1440 - 60) / (31 * 1440 - 60), 14);
    expect(found.series[0].coverage[2]).toBeCloseTo(2 / 30, 14);
    expect([found.series[0].coverage[0], found.series[0].coverage[3]]).toEqual([0, 0]);
    expect(found.series[0].gaps).toEqual([{ from: 0, to: 3, first: "2021-02", last: "2021-05", steps: 4, partial: true }]);
    // Daily steps inside the covered days are counted.
    expect(Array.from(countSeries(minuteTable(), { unit: "day" }).series[0].counts)).toEqual([1, 2, 0, 1, 0, 0, 1]);
  });

  it("groups count an incident in each group containing its category", () => {
    const r = countSeries(minuteTable(["2021-03-22", "2021-04-04"]), { unit: "isoWeek", by: "category", groups: { acquisitive: ["burglary", "robbery"], burglary: ["burglary"] } });
    // 27 and 28 March 2021 are in 2021-W12; 30 March and 2 April in W13.
    expect(r.periods.map((p) => p.key)).toEqual(["2021-W12", "2021-W13"]);
    expect(r.series.map((s) => [s.key, Array.from(s.counts)])).toEqual([
      ["acquisitive", [3, 2]],
      ["burglary", [2, 1]],
    ]);
  });

  it("refuses daily or weekly series for month-precision police.uk records", () => {
    const csv = "Crime ID,Month,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type\n,2021-03,-1.2,52.7,On or near A,E01,Charnwood 001A,Drugs\n";
    const { table } = readPoliceUk(csv);
    expect(() => countSeries(table, { unit: "day" })).toThrow(expect.objectContaining({ code: "precision-too-coarse" }));
    expect(() => countSeries(table, { unit: "isoWeek" })).toThrow(InputError);
    // The file covers March 2021 only: the month has its count, its quarter is a part quarter.
    expect(Array.from(countSeries(table, { unit: "month" }).series[0].counts)).toEqual([1]);
    const q = countSeries(table, { unit: "quarter" }).series[0];
    expect(Number.isNaN(q.counts[0])).toBe(true);
    expect(q.gaps).toEqual([{ from: 0, to: 0, first: "2021-Q1", last: "2021-Q1", steps: 1, partial: true }]);
  });

  it("validates options", () => {
    expect(() => countSeries(minuteTable(), { unit: "month", from: "2021-Q1" })).toThrow('countSeries: from must be a month key, got "2021-Q1"');
    expect(() => countSeries(minuteTable(), { groups: { a: ["burglary"] } })).toThrow(/groups needs by: "category"/);
    expect(() => countSeries(minuteTable(), { unit: "month", from: "2021-05", to: "2021-02" })).toThrow(/to must not be before from/);
  });
});
