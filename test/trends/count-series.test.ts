import { describe, it, expect } from "vitest";
import { IncidentTableBuilder, PRECISION, clockFor, readPoliceUk, InputError, type IncidentTable } from "@community-safety/core";
import { countSeries } from "@community-safety/trends";

function minuteTable(): IncidentTable {
  // Five timestamped incidents (local London time), hand-placed across a clock change.
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
  return b.finish();
}

describe("countSeries", () => {
  it("countSeries(table, {unit: 'day'}) zero-fills the days between the first and last incident", () => {
    const r = countSeries(minuteTable(), { unit: "day" });
    expect(r.periods.map((p) => p.key)).toEqual(["2021-03-27", "2021-03-28", "2021-03-29", "2021-03-30", "2021-03-31", "2021-04-01", "2021-04-02"]);
    expect(Array.from(r.series[0].counts)).toEqual([1, 2, 0, 1, 0, 0, 1]);
    expect(r.series[0].key).toBe("all");
  });

  it("splits by category and honours from/to (zero-filled beyond the data)", () => {
    const r = countSeries(minuteTable(), { unit: "month", by: "category", from: "2021-02", to: "2021-05" });
    expect(r.periods.map((p) => p.key)).toEqual(["2021-02", "2021-03", "2021-04", "2021-05"]);
    expect(r.series.map((s) => [s.key, Array.from(s.counts)])).toEqual([
      ["burglary", [0, 3, 0, 0]],
      ["robbery", [0, 1, 1, 0]],
    ]);
  });

  it("groups count an incident in each group containing its category", () => {
    const r = countSeries(minuteTable(), { unit: "isoWeek", by: "category", groups: { acquisitive: ["burglary", "robbery"], burglary: ["burglary"] } });
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
    expect(Array.from(countSeries(table, { unit: "quarter" }).series[0].counts)).toEqual([1]);
  });

  it("validates options", () => {
    expect(() => countSeries(minuteTable(), { unit: "month", from: "2021-Q1" })).toThrow('countSeries: from must be a month key, got "2021-Q1"');
    expect(() => countSeries(minuteTable(), { groups: { a: ["burglary"] } })).toThrow(/groups needs by: "category"/);
    expect(() => countSeries(minuteTable(), { unit: "month", from: "2021-05", to: "2021-02" })).toThrow(/to must not be before from/);
  });
});
