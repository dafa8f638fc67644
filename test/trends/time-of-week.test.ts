import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { DateTime } from "luxon";
import {
  CHICAGO_CODE,
  VANCOUVER_VPD,
  IncidentTableBuilder,
  PRECISION,
  dictCode,
  seededRandom,
  syntheticBorough,
  type IncidentTable,
} from "@community-safety/core";
import { readDelimitedFiles } from "@community-safety/core/node";
import { timeOfWeek, weekHourMinutes, WEEKDAY_NAMES } from "@community-safety/trends";
import { dataPath, fixturePath } from "../helpers/data.js";
import { thrownInputError } from "../helpers/errors.js";

// Reference values: hand arithmetic (in the comments), and test/fixtures/trends/time-of-week.R
// (R 4.2.2, base R only), which places every real minute of a window by R's own time-zone code
// (brute force; the `aoristic` package is not installable here) and tabulates the real data's
// raw wall-clock text with table()/tabulate(). A second brute force, minute by minute with
// luxon, runs in this file.

const fx = JSON.parse(readFileSync(fixturePath("trends", "time-of-week.json"), "utf8"));
const min = (iso: string) => Date.parse(iso) / 60_000;

type Row = { start: number; end: number; precision?: number; category?: string };
function tableOf(rows: Row[], zone = "Europe/London"): IncidentTable {
  const b = new IncidentTableBuilder(zone, "EPSG:27700", rows.length);
  for (const r of rows) {
    const i = b.addRow();
    b.start[i] = r.start;
    b.end[i] = r.end;
    b.precision[i] = r.precision ?? PRECISION.minute;
    b.dict.category.set(i, r.category ?? "burglary");
  }
  return b.finish();
}
const cell = (day: number, col: number) => day * 24 + col;

/** The non-zero cells of a matrix as { cell: weight }. */
function nonzero(m: ArrayLike<number>): Record<number, number> {
  const out: Record<number, number> = {};
  for (let k = 0; k < m.length; ++k) if (m[k] !== 0) out[k] = m[k];
  return out;
}
function expectMatrix(actual: ArrayLike<number>, expected: ArrayLike<number>, digits = 12): void {
  expect(actual.length).toBe(168);
  for (let k = 0; k < 168; ++k) expect(actual[k], `cell ${k}`).toBeCloseTo(expected[k], digits);
}
const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

describe("timeOfWeek: hand-worked windows (Europe/London)", () => {
  it("Monday 10:30 → 12:00 gives 1/3 to the 10:00 hour and 2/3 to the 11:00 hour", () => {
    // 1 March 2021 was a Monday (GMT = UTC): 30 of 90 minutes in 10h, 60 of 90 in 11h.
    const r = timeOfWeek(tableOf([{ start: min("2021-03-01T10:30Z"), end: min("2021-03-01T12:00Z") }]));
    expect(nonzero(r.matrix)).toEqual({ [cell(0, 10)]: 1 / 3, [cell(0, 11)]: 2 / 3 });
    expect(Array.from(r.byWeekday)).toEqual([1, 0, 0, 0, 0, 0, 0]);
    expect(r.byHour[10]).toBeCloseTo(1 / 3, 15);
    expect(r.byHour[11]).toBeCloseTo(2 / 3, 15);
    expect(r).toMatchObject({ used: 1, selected: 1, spreadEvenly: 0, zone: "Europe/London", dayStartHour: 0 });
    // The whole window is in one day but not one cell.
    expect(sum(r.singleCell)).toBe(0);
    expect(Array.from(r.singleDay)).toEqual([1, 0, 0, 0, 0, 0, 0]);
    // R brute force agrees.
    expect(fx.cases.monday.cells).toEqual([10, 11]);
    expect(fx.cases.monday.weights).toEqual([r.matrix[10], r.matrix[11]]);
  });

  it("a window across midnight: Sunday 23:30 → Monday 00:30 is half Sunday 23h, half Monday 0h", () => {
    const r = timeOfWeek(tableOf([{ start: min("2021-02-28T23:30Z"), end: min("2021-03-01T00:30Z") }]));
    expect(nonzero(r.matrix)).toEqual({ [cell(0, 0)]: 0.5, [cell(6, 23)]: 0.5 });
    expect(Array.from(r.byWeekday)).toEqual([0.5, 0, 0, 0, 0, 0, 0.5]);
    expect(sum(r.singleDay)).toBe(0);
    expect(fx.cases.midnight.cells).toEqual([0, 167]);
  });

  it("spring forward: 28 March 2021 00:30 GMT → 02:30 BST is 60 real minutes, half in 00h, half in 02h, none in 01h", () => {
    // Clocks go from 01:00 GMT to 02:00 BST: local 01:00–01:59 does not exist.
    const r = timeOfWeek(tableOf([{ start: min("2021-03-28T00:30Z"), end: min("2021-03-28T01:30Z") }]));
    expect(nonzero(r.matrix)).toEqual({ [cell(6, 0)]: 0.5, [cell(6, 2)]: 0.5 });
    expect(r.matrix[cell(6, 1)]).toBe(0);
    expect(fx.cases.spring.cells).toEqual([cell(6, 0), cell(6, 2)]);
    expect(fx.cases.spring.weights).toEqual([0.5, 0.5]);
  });

  it("fall back: 31 October 2021 00:30 BST → 01:30 GMT (second occurrence) is 120 minutes: 1/4 in 00h, 3/4 in 01h", () => {
    // 00:30–01:00 BST (30 min, hour 0); 01:00–02:00 BST (60 min, hour 1); 01:00–01:30 GMT (30 min, hour 1 again).
    const r = timeOfWeek(tableOf([{ start: min("2021-10-30T23:30Z"), end: min("2021-10-31T01:30Z") }]));
    expect(nonzero(r.matrix)).toEqual({ [cell(6, 0)]: 0.25, [cell(6, 1)]: 0.75 });
    expect(fx.cases.autumn.weights).toEqual([0.25, 0.75]);
    // Both real 01:00 hours of that night: a window wholly inside them is one cell.
    const both = timeOfWeek(tableOf([{ start: min("2021-10-31T00:10Z"), end: min("2021-10-31T01:50Z") }]));
    expect(nonzero(both.matrix)).toEqual({ [cell(6, 1)]: 1 });
    expect(both.singleCell[cell(6, 1)]).toBe(1);
  });

  it("a window longer than a week puts 1/168 in every cell (as aoristic 1.1.1)", () => {
    const r = timeOfWeek(tableOf([{ start: min("2022-02-27T20:00Z"), end: min("2022-03-11T20:00Z") }]));
    for (let k = 0; k < 168; ++k) expect(r.matrix[k]).toBe(1 / 168);
    expect(r.spreadEvenly).toBe(1);
    for (const w of r.byWeekday) expect(w).toBeCloseTo(1 / 7, 15);
    expect(fx.cases.longer.weights.every((w: number) => w === 1 / 168)).toBe(true);
    // Exactly a week (10,080 minutes) is also spread evenly.
    const week = timeOfWeek(tableOf([{ start: min("2022-03-02T13:17Z"), end: min("2022-03-02T13:17Z") + 10_080 }]));
    expect(week.spreadEvenly).toBe(1);
    expect(week.matrix[0]).toBe(1 / 168);
  });

  it("a point (one minute) and a zero-length window put their whole weight in their hour", () => {
    // Saturday 6 March 2021 01:15 and Friday 5 March 23:59.
    const r = timeOfWeek(
      tableOf([
        { start: min("2021-03-06T01:15Z"), end: min("2021-03-06T01:16Z") },
        { start: min("2021-03-05T23:59Z"), end: min("2021-03-05T23:59Z") },
      ]),
    );
    expect(nonzero(r.matrix)).toEqual({ [cell(5, 1)]: 1, [cell(4, 23)]: 1 });
    expect(nonzero(r.singleCell)).toEqual({ [cell(5, 1)]: 1, [cell(4, 23)]: 1 });
    expect([fx.cases.point.cells, fx.cases.zero.cells]).toEqual([[cell(5, 1)], [cell(4, 23)]]);
  });

  it("dayStartHour: 6 counts Saturday 01:15 as Friday night and reorders the columns", () => {
    const r = timeOfWeek(tableOf([{ start: min("2021-03-06T01:15Z"), end: min("2021-03-06T01:16Z") }]), { dayStartHour: 6 });
    expect(r.hours).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 0, 1, 2, 3, 4, 5]);
    // Friday (row 4), clock hour 1 = column 19.
    expect(nonzero(r.matrix)).toEqual({ [cell(4, 19)]: 1 });
    expect(r.byHour[19]).toBe(1);
    expect(r.days).toEqual(WEEKDAY_NAMES);
    expect(WEEKDAY_NAMES[0]).toBe("Monday");
    for (const name of Object.keys(fx.cases)) {
      const c = fx.cases[name];
      const got = timeOfWeek(tableOf([{ start: c.start, end: c.end }]), { dayStartHour: 6 });
      const want = new Float64Array(168);
      c.shifted6.cells.forEach((k: number, j: number) => (want[k] = c.shifted6.weights[j]));
      expectMatrix(got.matrix, want, 15);
    }
  });
});

describe("timeOfWeek: many windows against brute force", () => {
  const t = tableOf(fx.many.start.map((s: number, i: number) => ({ start: s, end: fx.many.end[i] })));

  it("400 windows (points to 3 days, many across London clock changes) match R's minute-by-minute weights", () => {
    const r = timeOfWeek(t);
    expect(r.used).toBe(400);
    expectMatrix(r.matrix, fx.many.matrix, 10);
    expect(sum(r.matrix)).toBeCloseTo(400, 9);
    expectMatrix(timeOfWeek(t, { dayStartHour: 6 }).matrix, fx.many.matrixShifted6, 10);
  });

  it("random windows near clock changes match a luxon minute-by-minute count", () => {
    const rng = seededRandom(77);
    const changes = ["2020-03-29T01:00Z", "2020-10-25T01:00Z", "2023-03-26T01:00Z", "2023-10-29T01:00Z"].map(min);
    const rows: Row[] = [];
    for (let k = 0; k < 120; ++k) {
      const s = changes[k % 4] - rng.int(900);
      rows.push({ start: s, end: s + rng.int(720) });
    }
    const brute = new Float64Array(168);
    const brute6 = new Float64Array(168);
    for (const { start, end } of rows) {
      const d = end - start;
      const put = (m: number, w: number) => {
        const local = DateTime.fromMillis(m * 60_000, { zone: "Europe/London" });
        brute[(local.weekday - 1) * 24 + local.hour] += w;
        // Days starting 06:00: hours 0–5 belong to the previous weekday; column = hour − 6 (mod 24).
        const h6 = (local.hour + 18) % 24;
        const day6 = local.hour < 6 ? (local.weekday + 5) % 7 : local.weekday - 1;
        brute6[day6 * 24 + h6] += w;
      };
      if (d === 0) put(start, 1);
      else for (let m = start; m < end; ++m) put(m, 1 / d);
    }
    expectMatrix(timeOfWeek(tableOf(rows)).matrix, brute, 10);
    expectMatrix(timeOfWeek(tableOf(rows), { dayStartHour: 6 }).matrix, brute6, 10);
  });
});

describe("timeOfWeek: a half-hour clock change (Australia/Lord_Howe)", () => {
  it("matches a luxon minute-by-minute count where the offset changes in the middle of a local hour", () => {
    // Lord Howe Island: +11:00 in summer, +10:30 in winter; on 4 April 2021 02:00 LHDT → 01:30 LHST
    // (01:30–01:59 happens twice), on 3 October 2021 02:00 → 02:30 (02:00–02:29 never happens).
    const zone = "Australia/Lord_Howe";
    const rng = seededRandom(5);
    const changes = [min("2021-04-03T15:00Z"), min("2021-10-02T15:30Z")];
    expect(DateTime.fromMillis(changes[0] * 60_000 - 1, { zone }).offset).toBe(660);
    expect(DateTime.fromMillis(changes[0] * 60_000, { zone }).offset).toBe(630);
    const rows: Row[] = [];
    for (let k = 0; k < 40; ++k) {
      const s = changes[k % 2] - rng.int(300);
      rows.push({ start: s, end: s + 1 + rng.int(400) });
    }
    const brute = new Float64Array(168);
    for (const { start, end } of rows)
      for (let m = start; m < end; ++m) {
        const local = DateTime.fromMillis(m * 60_000, { zone });
        brute[(local.weekday - 1) * 24 + local.hour] += 1 / (end - start);
      }
    expectMatrix(timeOfWeek(tableOf(rows, zone)).matrix, brute, 10);
  });
});

describe("timeOfWeek: precision", () => {
  const monthRow = { start: min("2021-03-01T00:00Z"), end: min("2021-04-01T00:00Z") - 60, precision: PRECISION.month };
  const point = { start: min("2021-03-03T14:05Z"), end: min("2021-03-03T14:06Z") };

  it("refuses month-precision records by default (precision-too-coarse) and never places them", () => {
    const e = thrownInputError(() => timeOfWeek(tableOf([point, monthRow, monthRow])));
    expect(e.code).toBe("precision-too-coarse");
    expect(e.message).toBe(
      'timeOfWeek: records must be timed to the minute, hour or day (month- and year-precision records have no weekday or hour; pass coarse: "exclude" to leave them out), got "2 records of month precision"',
    );
    const r = timeOfWeek(tableOf([point, monthRow, monthRow]), { coarse: "exclude" });
    expect(r.excluded.precisionTooCoarse).toBe(2);
    expect(r.used).toBe(1);
    expect(sum(r.matrix)).toBe(1);
    expect(sum(r.byWeekday)).toBe(1);
    // A month-precision record not selected does not trip the check.
    expect(timeOfWeek(tableOf([point, { ...monthRow, category: "asb" }]), { categories: ["burglary"] }).used).toBe(1);
  });

  it("an hour-precision record falls wholly in its hour", () => {
    // Wednesday 3 March 2021 14:00–15:00.
    const r = timeOfWeek(tableOf([{ start: min("2021-03-03T14:00Z"), end: min("2021-03-03T15:00Z"), precision: PRECISION.hour }]));
    expect(nonzero(r.matrix)).toEqual({ [cell(2, 14)]: 1 });
    expect(r.singleCell[cell(2, 14)]).toBe(1);
  });

  it("day-precision records go to the weekday totals only by default; spread gives 1/24 an hour; exclude counts them", () => {
    // Thursday 4 March 2021 (24 h) and Sunday 31 October 2021 (25 h: 01:00 twice).
    const thu = { start: min("2021-03-04T00:00Z"), end: min("2021-03-05T00:00Z"), precision: PRECISION.day };
    const autumn = { start: min("2021-10-30T23:00Z"), end: min("2021-10-31T24:00Z"), precision: PRECISION.day };
    const t = tableOf([thu, autumn, point]);
    const r = timeOfWeek(t);
    expect(Array.from(r.weekdayOnly)).toEqual([0, 0, 0, 1, 0, 0, 1]);
    expect(Array.from(r.byWeekday)).toEqual([0, 0, 1, 1, 0, 0, 1]);
    expect(nonzero(r.matrix)).toEqual({ [cell(2, 14)]: 1 });
    expect(r).toMatchObject({ used: 1, usedWeekdayOnly: 2 });
    expect(Array.from(r.singleDay)).toEqual([0, 0, 1, 1, 0, 0, 1]);
    const spread = timeOfWeek(t, { dayPrecision: "spread" });
    for (let c = 0; c < 24; ++c) expect(spread.matrix[cell(3, c)]).toBeCloseTo(1 / 24, 15);
    // 25-hour day: 01:00 holds 120 of 1,500 minutes, every other hour 60.
    expect(spread.matrix[cell(6, 1)]).toBeCloseTo(120 / 1500, 15);
    expect(spread.matrix[cell(6, 5)]).toBeCloseTo(60 / 1500, 15);
    expect(spread.used).toBe(3);
    expect(sum(spread.weekdayOnly)).toBe(0);
    const ex = timeOfWeek(t, { dayPrecision: "exclude" });
    expect(ex.excluded.dayPrecision).toBe(2);
    expect(sum(ex.byWeekday)).toBe(1);
    // With days starting 06:00, Thursday's calendar day is 6 h of Wednesday's night and 18 h of Thursday.
    const six = timeOfWeek(tableOf([thu]), { dayStartHour: 6 });
    expect(six.weekdayOnly[2]).toBeCloseTo(0.25, 15);
    expect(six.weekdayOnly[3]).toBeCloseTo(0.75, 15);
    expect(sum(six.singleDay)).toBe(0);
  });

  it("maxWindowMinutes leaves longer windows out and counts them; windows ending before they start are counted as invalid", () => {
    const t = tableOf([point, { start: min("2021-03-03T00:00Z"), end: min("2021-03-03T13:00Z") }, { start: 100, end: 50 }]);
    const r = timeOfWeek(t, { maxWindowMinutes: 12 * 60 });
    expect(r.excluded).toEqual({ precisionTooCoarse: 0, dayPrecision: 0, windowTooLong: 1, invalidWindow: 1 });
    expect(r.used).toBe(1);
    expect(timeOfWeek(t).used).toBe(2);
  });
});

describe("timeOfWeek: selection, options, empty input", () => {
  const t = tableOf([
    { start: min("2021-03-01T10:00Z"), end: min("2021-03-01T10:01Z"), category: "assault" },
    { start: min("2021-03-02T11:00Z"), end: min("2021-03-02T11:01Z"), category: "burglary" },
    { start: min("2021-03-03T12:00Z"), end: min("2021-03-03T12:01Z"), category: "assault" },
  ]);

  it("categories and rows pick incidents", () => {
    expect(nonzero(timeOfWeek(t, { categories: ["assault"] }).matrix)).toEqual({ [cell(0, 10)]: 1, [cell(2, 12)]: 1 });
    expect(nonzero(timeOfWeek(t, { rows: [1] }).matrix)).toEqual({ [cell(1, 11)]: 1 });
    expect(nonzero(timeOfWeek(t, { rows: (i) => i > 0, categories: ["assault"] }).matrix)).toEqual({ [cell(2, 12)]: 1 });
    expect(timeOfWeek(t, { categories: ["assault"] }).selected).toBe(2);
    const e = thrownInputError(() => timeOfWeek(t, { categories: ["robbery"] }));
    expect([e.code, e.message]).toEqual(["unknown-category", 'timeOfWeek: categories must name categories in the table, got "robbery"']);
  });

  it("validates options with the uniform message", () => {
    const cases: [object, string][] = [
      [{ dayStartHour: 24 }, "timeOfWeek: dayStartHour must be an integer from 0 to 23, got 24"],
      [{ dayStartHour: 1.5 }, "timeOfWeek: dayStartHour must be an integer from 0 to 23, got 1.5"],
      [{ coarse: "keep" }, 'timeOfWeek: coarse must be "error" or "exclude", got "keep"'],
      [{ dayPrecision: "hour" }, 'timeOfWeek: dayPrecision must be "weekday", "spread" or "exclude", got "hour"'],
      [{ maxWindowMinutes: 0 }, "timeOfWeek: maxWindowMinutes must be a positive number of minutes, got 0"],
      [{ rows: [3] }, "timeOfWeek: rows[0] must be a row index from 0 to 2, got 3"],
      [{ categories: [] }, "timeOfWeek: categories must be a non-empty array of category keys, got []"],
    ];
    for (const [options, message] of cases) {
      const e = thrownInputError(() => timeOfWeek(t, options as never));
      expect([e.code, e.message]).toEqual(["invalid-option", message]);
    }
  });

  it("an empty table gives zeros; the input is not modified", () => {
    const r = timeOfWeek(tableOf([]));
    expect([sum(r.matrix), sum(r.byWeekday), r.used, r.selected]).toEqual([0, 0, 0, 0]);
    const before = [Array.from(t.start), Array.from(t.end)];
    timeOfWeek(t, { dayStartHour: 6 });
    expect([Array.from(t.start), Array.from(t.end)]).toEqual(before);
  });
});

describe("weekHourMinutes", () => {
  it("the spring-change week has no 01:00 hour on Sunday (R brute force)", () => {
    // Monday 22 March 2021 00:00 GMT to Monday 29 March 00:00 BST: 10,020 real minutes.
    expect(fx.springWeek.start).toBe(min("2021-03-22T00:00Z"));
    const m = weekHourMinutes(fx.springWeek.start, fx.springWeek.end, { zone: "Europe/London" });
    expect(Array.from(m)).toEqual(fx.springWeek.minutes);
    expect([m[cell(6, 1)], m[cell(6, 2)], sum(m)]).toEqual([0, 60, 10_020]);
    expect(Array.from(weekHourMinutes(26_939_520, 26_939_520 + 10_080 - 60, { zone: "Europe/London" }))).toEqual(fx.springWeek.minutes); // the TSDoc example
    expect(thrownInputError(() => weekHourMinutes(0, 10, { zone: "Mars/Olympus" })).message).toBe('weekHourMinutes: zone must be a valid IANA time zone name, got "Mars/Olympus"');
  });
});

// ---- real data -------------------------------------------------------------------------

/** The raw lines of a file (gunzipped), without the header. */
function rawLines(path: string): string[] {
  const buf = readFileSync(path);
  const lines = (path.endsWith(".gz") ? gunzipSync(buf) : buf).toString("utf8").split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.slice(1);
}

describe("Chicago aggravated assaults 2010–2019 (timestamped)", async () => {
  const path = dataPath("chicago-aggravated-assaults-2010-2019", "chicago_aggravated_assaults.csv.gz");
  const { table } = await readDelimitedFiles(path, CHICAGO_CODE);
  const r = timeOfWeek(table);

  it("the matrix is R's table(weekday, hour) of the raw wall-clock text, cell for cell", () => {
    expect(fx.chicago.tableAgrees).toBe(true);
    expect(r.used).toBe(148_636);
    expect(Array.from(r.matrix)).toEqual(fx.chicago.matrix); // all points: whole counts
    expect(Array.from(r.singleCell)).toEqual(fx.chicago.matrix);
    expect(Array.from(timeOfWeek(table, { dayStartHour: 6 }).matrix)).toEqual(fx.chicago.matrixShifted6);
    expect(Array.from(r.byWeekday)).toEqual(fx.chicago.weekday);
  });

  it("a few cells counted again by plain string matching of the raw file", () => {
    const lines = rawLines(path);
    // Saturday 23:00 (ISO weekday 6) and Monday 05:00 by splitting the text; weekday from the civil date.
    const count = (isoDay: number, hour: string) =>
      lines.filter((l) => l.slice(11, 13) === hour && ((new Date(l.slice(0, 10) + "T12:00Z").getUTCDay() + 6) % 7) + 1 === isoDay).length;
    expect(r.matrix[cell(5, 23)]).toBe(count(6, "23"));
    expect(r.matrix[cell(0, 5)]).toBe(count(1, "05"));
    expect(r.matrix[cell(6, 0)]).toBe(count(7, "00"));
    // Weekend nights are the peak: Sunday 00:00–00:59 is busier than any Monday–Thursday hour.
    const weekdayMax = Math.max(...Array.from(r.matrix.slice(0, 96)));
    expect(r.matrix[cell(6, 0)]).toBeGreaterThan(weekdayMax);
  });
});

describe("Vancouver PD 2020 (suppressed offence types left out at ingestion)", async () => {
  const path = dataPath("vancouver-vpd-2020", "crimedata_csv_AllNeighbourhoods_2020.csv");
  const ingest = await readDelimitedFiles(path, VANCOUVER_VPD);
  const r = timeOfWeek(ingest.table);

  it("3,750 suppressed rows (Offence Against a Person 3,731, Homicide 19), all stamped 00:00, never reach the matrix", () => {
    expect(fx.vancouver.suppressedByType).toEqual({ Homicide: 19, "Offence Against a Person": 3_731 });
    expect(fx.vancouver.suppressedAtMidnight).toBe(3_750);
    expect(ingest.summary.byReason).toEqual({ suppressed: fx.vancouver.suppressed });
    expect(dictCode(ingest.table.category, "offence-against-a-person")).toBe(-1);
    expect(r.used).toBe(fx.vancouver.kept);
    expect(r.used).toBe(37_512 - 3_750);
  });

  it("the matrix is R's weekday × hour table of the raw columns (two nonexistent 02:xx times of 8 March moved to 03:xx)", () => {
    expect(fx.vancouver.gapRows).toBe(2);
    expect(Array.from(r.matrix)).toEqual(fx.vancouver.matrix);
    expect(Array.from(timeOfWeek(ingest.table, { dayStartHour: 6 }).matrix)).toEqual(fx.vancouver.matrixShifted6);
    expect(Array.from(r.byHour)).toEqual(fx.vancouver.hour);
    // Midnight is still the busiest hour after the suppressed rows are gone (5 % of times are 00:00 exactly).
    expect(Array.from(r.byHour).indexOf(Math.max(...r.byHour))).toBe(0);
    expect(fx.vancouver.midnightShare).toBeCloseTo(0.05, 3);
  });
});

describe("synthetic borough: the planted night-time-economy window", () => {
  const { table, truths } = syntheticBorough({ seed: 1 });
  const { weekdays, hours, share } = truths.nteWindow;

  it("recovers 20 % of violent crime in the early hours of ISO weekdays 5–7 (nights of Thu–Sat), counted independently", () => {
    const r = timeOfWeek(table, { categories: ["violent-crime"] });
    // Independent count: each violent crime's start converted with luxon.
    const code = dictCode(table.category, "violent-crime");
    let n = 0;
    let inside = 0;
    for (let i = 0; i < table.length; ++i) {
      if (table.category.codes[i] !== code) continue;
      n += 1;
      const t = DateTime.fromMillis(table.start[i] * 60_000, { zone: "Europe/London" });
      if (weekdays.includes(t.weekday) && t.hour >= hours[0] && t.hour < hours[1]) inside += 1;
    }
    expect(r.used).toBe(n);
    let block = 0;
    for (const w of weekdays) for (let h = hours[0]; h < hours[1]; ++h) block += r.matrix[(w - 1) * 24 + h];
    // Violent crime has no from/to windows, so the aoristic weights are whole incidents.
    expect(block).toBeCloseTo(inside, 9);
    const sd = Math.sqrt((share * (1 - share)) / n);
    expect(Math.abs(block / n - share)).toBeLessThan(3 * sd);
    // With days starting 06:00 the same hours are Thursday–Saturday (rows 3–5), columns 18–21.
    const six = timeOfWeek(table, { categories: ["violent-crime"], dayStartHour: 6 });
    let block6 = 0;
    for (const d of [3, 4, 5]) for (let c = 18; c < 22; ++c) block6 += six.matrix[d * 24 + c];
    expect(block6).toBeCloseTo(block, 9);
  });

  it("the whole borough: month-precision ASB must be excluded explicitly and is counted", () => {
    expect(thrownInputError(() => timeOfWeek(table)).code).toBe("precision-too-coarse");
    const r = timeOfWeek(table, { coarse: "exclude" });
    let monthly = 0;
    let daily = 0;
    for (const p of table.precision) {
      if (p === PRECISION.month) monthly += 1;
      if (p === PRECISION.day) daily += 1;
    }
    expect(r.excluded.precisionTooCoarse).toBe(monthly);
    expect(r.usedWeekdayOnly).toBe(daily); // hospital admissions: day only
    expect(r.used + r.usedWeekdayOnly + monthly).toBe(table.length);
    expect(sum(r.matrix)).toBeCloseTo(r.used, 6);
    expect(sum(r.byWeekday)).toBeCloseTo(r.used + daily, 6);
  });
});
