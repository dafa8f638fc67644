import { describe, it, expect } from "vitest";
import {
  categoryBarsFigure,
  coverageStripFigure,
  districtRatesFigure,
  monthlyBySourceFigure,
  monthlySeriesFigure,
  rejectedReasonsFigure,
  seasonalProfileFigure,
  sourceIndexFigure,
  timeOfWeekFigure,
  toSvg,
  xmrFigure,
  type CoverageStripRow,
  type MonthlySeriesRow,
  type TimeOfWeekRow,
} from "@community-safety/figures";
import { InputError } from "@community-safety/core";

// The specs are loose records: read them through this view.
type Enc = Record<string, { field?: string; type?: string; sort?: unknown; title?: unknown; scale?: Record<string, unknown>; value?: unknown }>;
interface View {
  title?: unknown;
  width?: number;
  height?: number;
  columns?: number;
  data: { values: Record<string, unknown>[] };
  facet: { field: string; sort: unknown };
  spec: { encoding: Enc; mark: unknown };
  encoding: Enc;
  mark: unknown;
  layer: { data: { values: Record<string, unknown>[] }; encoding: Enc; mark: unknown }[];
}
const v = (spec: unknown) => spec as View;
const ariaLabels = (svg: string) => [...svg.matchAll(/aria-label="([^"]*)"/g)].map((m) => m[1]);

describe("monthlySeriesFigure", () => {
  const rows: MonthlySeriesRow[] = [
    { series: "All crime", month: "2021-04-15", value: 120, line: "monthly count" },
    { series: "All crime", month: "2021-05-15", value: 131, line: "monthly count" },
    { series: "All crime", month: "2021-04-15", value: 124.5, line: "trend (STL)" },
    { series: "ASB", month: "2021-04-15", value: 40, line: "monthly count" },
    { series: "ASB", month: "2021-05-15", value: 47, line: "monthly count" },
  ];
  it("monthlySeriesFigure(rows, {order}) holds the rows, one panel per series in order, count and trend coloured", () => {
    const spec = v(monthlySeriesFigure(rows, { order: ["ASB", "All crime"] }));
    // The order travels as a rank in the rows (a sort array would make each order a new chart to compile).
    expect(spec.data.values).toEqual(rows.map((r) => ({ ...r, seriesRank: r.series === "ASB" ? 0 : 1 })));
    expect(spec.facet.field).toBe("series");
    expect(spec.facet.sort).toEqual({ field: "seriesRank", op: "min" });
    expect(spec.columns).toBe(2);
    expect(spec.spec.encoding.x).toMatchObject({ field: "month", type: "temporal" });
    expect(spec.spec.encoding.y).toMatchObject({ field: "value", scale: { zero: false } });
    expect(spec.spec.encoding.color.scale).toEqual({ domain: ["monthly count", "trend (STL)"], range: ["#1f5fa8", "#b5523b"] });
    expect(v(monthlySeriesFigure(rows)).data.values.map((r) => [r.series, r.seriesRank])).toContainEqual(["All crime", 0]);
    expect(v(monthlySeriesFigure(rows)).data.values.map((r) => [r.series, r.seriesRank])).toContainEqual(["ASB", 1]);
  });
  it("toSvg(monthlySeriesFigure(rows)) draws each month's count", async () => {
    const labels = ariaLabels(await toSvg(monthlySeriesFigure(rows)));
    expect(labels).toContain("month: Apr 2021; per month: 120; line: monthly count");
    expect(labels).toContain("month: Apr 2021; per month: 40; line: monthly count"); // (a line is labelled by its first point)
  });
});

describe("seasonalProfileFigure", () => {
  const rows = [
    { series: "All crime", year: "2020/21", month: "Apr", count: 90 },
    { series: "All crime", year: "2020/21", month: "Jan", count: 70 },
    { series: "All crime", year: "2021/22", month: "Apr", count: 95 },
  ];
  const months = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"];
  it("seasonalProfileFigure(rows, {months}) holds the rows, months in the order given, a line per year", () => {
    const spec = v(seasonalProfileFigure(rows, { months }));
    expect(spec.data.values).toEqual(rows.map((r) => ({ ...r, seriesRank: 0 })));
    expect(spec.spec.encoding.x).toMatchObject({ field: "month", type: "ordinal", sort: months });
    expect(spec.spec.encoding.color).toMatchObject({ field: "year", type: "ordinal" });
    expect(spec.facet.sort).toEqual({ field: "seriesRank", op: "min" });
    expect(v(seasonalProfileFigure(rows)).spec.encoding.x.sort).toEqual(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]);
  });
  it("toSvg(seasonalProfileFigure(rows)) draws each year's month", async () => {
    const labels = ariaLabels(await toSvg(seasonalProfileFigure(rows, { months })));
    expect(labels.some((l) => /month: Jan; per month: 70; year: 2020\/21/.test(l))).toBe(true);
  });
});

describe("xmrFigure", () => {
  const chart = { value: [10, 12, 30], centre: [12, 12, 12], lower: [2, 2, 2], upper: [22, 22, 22] };
  const rules = { special: new Uint8Array([0, 0, 1]) };
  const months = ["2021-04", "2021-05", "2021-06"];
  it("xmrFigure(chart, rules, {months}) holds the counts, limits and signals mid-month", () => {
    const spec = v(xmrFigure(chart, rules, { months, title: "All crime: XmR" }));
    expect(spec.title).toBe("All crime: XmR");
    const [limits, counts, signals] = spec.layer;
    expect(counts.data.values).toEqual([
      { month: "2021-04-15", value: 10, line: "count", special: "common" },
      { month: "2021-05-15", value: 12, line: "count", special: "common" },
      { month: "2021-06-15", value: 30, line: "count", special: "signal" },
    ]);
    expect(limits.data.values).toHaveLength(9);
    expect(limits.data.values).toContainEqual({ month: "2021-06-15", value: 22, line: "limits2" });
    expect(signals.data.values).toEqual([{ month: "2021-06-15", value: 30, line: "count", special: "signal" }]);
    expect(signals.mark).toMatchObject({ type: "point", color: "#b3261e" });
  });
  it("toSvg(xmrFigure(...)) draws the signal point", async () => {
    const labels = ariaLabels(await toSvg(xmrFigure(chart, rules, { months })));
    expect(labels).toContain("month: Jun 15, 2021; value: 30");
    expect(labels).toContain("month: Jun 15, 2021; incidents per month: 30");
    expect(labels).toContain("month: Apr 2021; value: 12; line: centre");
  });
  it("xmrFigure throws InputError length-mismatch / invalid-option", () => {
    expect(() => xmrFigure(chart, rules, { months: months.slice(1) })).toThrow(expect.objectContaining({ code: "length-mismatch" }));
    expect(() => xmrFigure(chart, rules, {} as never)).toThrow(InputError);
    expect(() => xmrFigure(chart, rules, {} as never)).toThrow(expect.objectContaining({ code: "invalid-option" }));
  });
});

describe("timeOfWeekFigure", () => {
  const rows: TimeOfWeekRow[] = [
    { day: "Monday", hour: "06:00", weight: 2.25 },
    { day: "Saturday", hour: "23:00", weight: 14.5 },
    { day: "Sunday", hour: "05:00", weight: null },
  ];
  it("timeOfWeekFigure(rows, {dayStartHour}) holds the rows, hours from the day's start", () => {
    const spec = v(timeOfWeekFigure(rows, { dayStartHour: 6, title: "Town: by day and hour" }));
    expect(spec.title).toBe("Town: by day and hour");
    expect(spec.data.values).toEqual(rows);
    const hours = spec.encoding.x.sort as string[];
    expect(hours).toHaveLength(24);
    expect([hours[0], hours[17], hours[18], hours[23]]).toEqual(["06:00", "23:00", "00:00", "05:00"]);
    expect(spec.encoding.x.title).toBe("hour (days start at 06:00)");
    expect(spec.encoding.y.sort).toEqual(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]);
    expect(spec.encoding.color).toMatchObject({ field: "weight", type: "quantitative" });
    expect((v(timeOfWeekFigure(rows)).encoding.x.sort as string[])[0]).toBe("00:00");
  });
  it("toSvg(timeOfWeekFigure(rows)) draws a cell with its weight", async () => {
    const labels = ariaLabels(await toSvg(timeOfWeekFigure(rows, { dayStartHour: 6 })));
    expect(labels.some((l) => l.includes("day: Saturday") && l.includes("weight: 14.5"))).toBe(true);
  });
  it("timeOfWeekFigure throws invalid-option for a dayStartHour out of 0–23", () => {
    expect(() => timeOfWeekFigure(rows, { dayStartHour: 24 })).toThrow(expect.objectContaining({ code: "invalid-option" }));
    expect(() => timeOfWeekFigure(rows, { dayStartHour: 1.5 })).toThrow(InputError);
  });
});

describe("categoryBarsFigure", () => {
  const rows = [
    { category: "Burglary", year: "2020/21", n: 40 },
    { category: "Burglary", year: "2021/22", n: 35 },
    { category: "Shoplifting", year: "2020/21", n: 12 },
    { category: "Shoplifting", year: "2021/22", n: 18 },
  ];
  it("categoryBarsFigure(rows, {order, yearWord}) holds the counts, years side by side", () => {
    const spec = v(categoryBarsFigure(rows, { order: ["Shoplifting", "Burglary"], yearWord: "financial year", title: "T" }));
    expect(spec.data.values).toEqual(rows.map((r) => ({ ...r, categoryRank: r.category === "Shoplifting" ? 0 : 1 })));
    expect(spec.encoding.y).toMatchObject({ field: "category", sort: { field: "categoryRank", op: "min" } });
    expect(spec.encoding.yOffset.field).toBe("year");
    expect(spec.encoding.color.title).toBe("financial year");
    expect(spec.width).toBe(520);
  });
  it("toSvg(categoryBarsFigure(rows)) draws each bar with its count", async () => {
    const labels = ariaLabels(await toSvg(categoryBarsFigure(rows)));
    expect(labels).toContain("incidents: 18; category: Shoplifting; year: 2021/22");
  });
});

describe("monthlyBySourceFigure", () => {
  const rows = [
    { month: "2021-04", source: "Crime", n: 100, run: 0 },
    { month: "2021-05", source: "Crime", n: 110, run: 0 },
    { month: "2021-07", source: "Crime", n: 95, run: 1 },
    { month: "2021-04", source: "Fires", n: 7 },
  ];
  it("monthlyBySourceFigure(rows) holds the counts, a line per source broken between runs", () => {
    const spec = v(monthlyBySourceFigure(rows, { title: "Town: per month" }));
    expect(spec.title).toBe("Town: per month");
    expect(spec.data.values).toEqual([...rows.slice(0, 3), { month: "2021-04", source: "Fires", n: 7, run: 0 }]);
    expect(spec.encoding.x).toMatchObject({ field: "month", type: "temporal" });
    expect(spec.encoding.color.field).toBe("source");
    expect(spec.encoding.detail).toMatchObject({ field: "run", type: "nominal" });
  });
  it("toSvg(monthlyBySourceFigure(rows)) draws each month's count", async () => {
    const labels = ariaLabels(await toSvg(monthlyBySourceFigure(rows)));
    expect(labels.some((l) => l.includes("Jul 2021") && l.includes("incidents: 95"))).toBe(true);
  });
});

describe("districtRatesFigure", () => {
  const rows = [
    { district: "Ashby", rate: 48.25, focus: false },
    { district: "Charnwood", rate: 61.5, focus: true },
  ];
  it("districtRatesFigure(rows, {overall}) holds the rates, the area marked, the overall rate a rule", () => {
    const spec = v(districtRatesFigure(rows, { overall: 55, title: "Rates" }));
    expect(spec.layer[0].data.values).toEqual(rows);
    expect(spec.layer[0].encoding.y).toMatchObject({ field: "district", sort: "-x" });
    expect(spec.layer[0].encoding.color.scale).toEqual({ domain: [false, true], range: ["#9bbbe0", "#1f5fa8"] });
    expect(spec.layer[1].data.values).toEqual([{ rate: 55 }]);
    expect(v(districtRatesFigure(rows)).layer[1].data.values).toEqual([]);
    expect(v(districtRatesFigure([{ district: "X", rate: 1 }])).layer[0].data.values).toEqual([{ district: "X", rate: 1, focus: false }]);
  });
  it("toSvg(districtRatesFigure(rows)) draws each district's rate", async () => {
    const labels = ariaLabels(await toSvg(districtRatesFigure(rows, { overall: 55 })));
    expect(labels.some((l) => l.includes("61.5") && l.includes("Charnwood"))).toBe(true);
  });
});

describe("coverageStripFigure", () => {
  const rows: CoverageStripRow[] = [
    { month: "2021-01", source: "Crime", count: 100, status: "covered" },
    { month: "2021-02", source: "Crime", count: null, status: "not covered" },
    { month: "2021-01", source: "Fires", count: null, status: "count withheld" },
  ];
  it("coverageStripFigure(rows, {withheld}) holds covered cells by count and the others by status", () => {
    const spec = v(coverageStripFigure(rows, { withheld: true }));
    expect(spec.height).toBe(56);
    expect(spec.layer[0].data.values).toEqual([rows[0]]);
    expect(spec.layer[1].data.values).toEqual([rows[1], rows[2]]);
    expect(spec.layer[1].encoding.color.scale).toEqual({ domain: ["not covered", "partly covered", "count withheld"], range: ["#cfcfcf", "#e8e8e8", "#f3d9a4"] });
    expect(v(coverageStripFigure(rows)).layer[1].encoding.color.scale).toEqual({ domain: ["not covered", "partly covered"], range: ["#cfcfcf", "#e8e8e8"] });
  });
  it("toSvg(coverageStripFigure(rows)) draws a covered month with its count", async () => {
    const labels = ariaLabels(await toSvg(coverageStripFigure(rows, { withheld: true })));
    expect(labels).toContain("month: 2021-01; source: Crime; incidents: 100");
  });
});

describe("rejectedReasonsFigure", () => {
  const rows = [{ reason: "invalid-date", n: 3 }, { reason: "null-island", n: 11 }];
  it("rejectedReasonsFigure(rows) holds each reason's count, most first", () => {
    const spec = v(rejectedReasonsFigure(rows));
    expect(spec.title).toBe("Rejected rows by reason");
    expect(spec.data.values).toEqual(rows);
    expect(spec.encoding.y).toMatchObject({ field: "reason", sort: "-x" });
    expect(spec.encoding.x).toMatchObject({ field: "n", title: "rows" });
  });
  it("toSvg(rejectedReasonsFigure(rows)) draws each reason's bar", async () => {
    const labels = ariaLabels(await toSvg(rejectedReasonsFigure(rows)));
    expect(labels).toContain("rows: 11; reason: null-island");
  });
});

describe("sourceIndexFigure", () => {
  const rows = [
    { month: "2021-04-15", source: "Crime", index: 104.2 },
    { month: "2021-05-15", source: "Crime", index: 95.8 },
    { month: "2021-04-15", source: "Fires", index: 80 },
  ];
  it("sourceIndexFigure(rows) holds each source's index, a line per source", () => {
    const spec = v(sourceIndexFigure(rows, { title: "Town: index" }));
    expect(spec.title).toBe("Town: index");
    expect(spec.data.values).toEqual(rows);
    expect(spec.encoding.y).toMatchObject({ field: "index", title: "index (average month = 100)" });
    expect(spec.encoding.color.field).toBe("source");
  });
  it("toSvg(sourceIndexFigure(rows)) draws each month's index", async () => {
    const labels = ariaLabels(await toSvg(sourceIndexFigure(rows)));
    expect(labels).toContain("month: Apr 2021; index (average month = 100): 104.2; source: Crime"); // (a line is labelled by its first point)
    expect(labels).toContain("month: Apr 2021; index (average month = 100): 80; source: Fires");
  });
});

describe("the report's chart builders do not mutate their input", () => {
  it("each returns a fresh data array", () => {
    const rows: MonthlySeriesRow[] = [{ series: "A", month: "2021-04-15", value: 1, line: "monthly count" }];
    const before = JSON.stringify(rows);
    const spec = v(monthlySeriesFigure(rows));
    expect(spec.data.values).not.toBe(rows);
    expect(JSON.stringify(rows)).toBe(before);
  });
});
