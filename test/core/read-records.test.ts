import { describe, it, expect } from "vitest";
import {
  compileDateFormat,
  compileTimeFormat,
  parseDateWindow,
  dateReading,
  readRecords,
  incidentRow,
  incidentRows,
  projector,
  InputError,
  PRECISION,
  type ReadRecordsOptions,
} from "@community-safety/core";
import { thrownInputError as thrown } from "../helpers/errors.js";

/** ISO instant of an epoch minute (UTC; no local Date getters). */
const iso = (minute: number) => new Date(minute * 60_000).toISOString();
/** Epoch minute of an ISO instant. */
const min = (text: string) => Date.parse(text) / 60_000;

describe("compileDateFormat", () => {
  it("compileDateFormat(pattern).parse(text) reads a minute window in the zone", () => {
    // 14 July 2021 is BST (UTC+1): 22:15 local = 21:15Z.
    const r = compileDateFormat("yyyy-MM-dd HH:mm").parse("2021-07-14 22:15");
    expect([iso(r.start), iso(r.end), r.precision, r.error]).toEqual(["2021-07-14T21:15:00.000Z", "2021-07-14T21:16:00.000Z", PRECISION.minute, null]);
    expect([r.year, r.month, r.day, r.hour, r.minute]).toEqual([2021, 7, 14, 22, 15]);
  });

  it("reads 12-hour clocks, one-digit tokens, seconds (truncated) and padding spaces", () => {
    // Denver, 15 June 2016 is MDT (UTC−6): 11:31:59 PM = 23:31 local = 05:31Z the next day.
    const f = compileDateFormat("M/d/yyyy h:mm:ss a", { zone: "America/Denver" });
    expect(iso(f.parse(" 6/15/2016 11:31:59 PM ").start)).toBe("2016-06-16T05:31:00.000Z");
    // 12 AM is midnight, 12 PM is noon; am/pm in any case.
    expect(iso(f.parse("1/2/2019 12:05:00 am").start)).toBe("2019-01-02T07:05:00.000Z"); // MST, UTC−7
    expect(iso(f.parse("1/2/2019 12:05:00 pm").start)).toBe("2019-01-02T19:05:00.000Z");
  });

  it("moves a non-existent time forward by the gap and takes the earlier of a repeated time", () => {
    const london = compileDateFormat("yyyy-MM-dd HH:mm", { zone: "Europe/London" });
    // 28 Mar 2021: 01:00 GMT → 02:00 BST. 01:30 does not exist: read as 02:30 BST = 01:30Z.
    expect(iso(london.parse("2021-03-28 01:30").start)).toBe("2021-03-28T01:30:00.000Z");
    // 31 Oct 2021: 02:00 BST → 01:00 GMT. 01:30 happens twice; the earlier is BST = 00:30Z.
    expect(iso(london.parse("2021-10-31 01:30").start)).toBe("2021-10-31T00:30:00.000Z");
    expect(iso(london.parse("2021-10-31 02:00").start)).toBe("2021-10-31T02:00:00.000Z"); // GMT again
    const chicago = compileDateFormat("yyyy-MM-dd HH:mm", { zone: "America/Chicago" });
    // 7 Nov 2010: 02:00 CDT → 01:00 CST; the first 01:30 is CDT (UTC−5) = 06:30Z.
    expect(iso(chicago.parse("2010-11-07 01:30").start)).toBe("2010-11-07T06:30:00.000Z");
    // 8 Mar 2015: 02:00 CST → 03:00 CDT; 02:30 is read as 03:30 CDT = 08:30Z.
    expect(iso(chicago.parse("2015-03-08 02:30").start)).toBe("2015-03-08T08:30:00.000Z");
  });

  it("handles a half-hour clock change inside an hour (Lord Howe Island)", () => {
    const f = compileDateFormat("yyyy-MM-dd HH:mm", { zone: "Australia/Lord_Howe" });
    // 4 Apr 2021: 02:00 (+11) → 01:30 (+10:30). 01:15 happens once (+11) = 14:15Z;
    // 01:45 happens twice, the earlier at +11 = 14:45Z.
    expect(iso(f.parse("2021-04-04 01:15").start)).toBe("2021-04-03T14:15:00.000Z");
    expect(iso(f.parse("2021-04-04 01:45").start)).toBe("2021-04-03T14:45:00.000Z");
    // 3 Oct 2021: 02:00 (+10:30) → 02:30 (+11); 02:15 moves forward 30 min to 02:45 +11 = 15:45Z.
    expect(iso(f.parse("2021-10-03 02:15").start)).toBe("2021-10-02T15:45:00.000Z");
  });

  it("gives day, month and year windows their true local length", () => {
    // São Paulo 4 Nov 2018: clocks jumped 00:00 → 01:00 (−03 → −02), so the day starts at
    // 01:00 −02 = 03:00Z and ends at midnight −02 on 5 Nov = 02:00Z: 23 hours.
    const day = compileDateFormat("yyyy-MM-dd", { zone: "America/Sao_Paulo" }).parse("2018-11-04");
    expect([iso(day.start), iso(day.end), day.precision]).toEqual(["2018-11-04T03:00:00.000Z", "2018-11-05T02:00:00.000Z", PRECISION.day]);
    // London March 2021: 1 Mar 00:00 GMT to 1 Apr 00:00 BST (= 31 Mar 23:00Z).
    const month = compileDateFormat("yyyy-MM", { zone: "Europe/London" }).parse("2021-03");
    expect([iso(month.start), iso(month.end), month.precision]).toEqual(["2021-03-01T00:00:00.000Z", "2021-03-31T23:00:00.000Z", PRECISION.month]);
    const year = compileDateFormat("yyyy").parse("2020");
    expect([iso(year.start), iso(year.end), year.precision]).toEqual(["2020-01-01T00:00:00.000Z", "2021-01-01T00:00:00.000Z", PRECISION.year]);
    const hour = compileDateFormat("dd/MM/yyyy HH").parse("14/07/2021 22");
    expect([iso(hour.start), iso(hour.end), hour.precision]).toEqual(["2021-07-14T21:00:00.000Z", "2021-07-14T22:00:00.000Z", PRECISION.hour]);
  });

  it("precision coarsens a finer pattern to the unit holding the date", () => {
    // police.uk-style 2022-08-15 read as its month: Aug 2022 in London is BST throughout.
    const f = compileDateFormat("yyyy-MM-dd", { precision: "month" });
    const r = f.parse("2022-08-15");
    expect([iso(r.start), iso(r.end), r.precision, f.precision]).toEqual(["2022-07-31T23:00:00.000Z", "2022-08-31T23:00:00.000Z", PRECISION.month, "month"]);
    expect(parseDateWindow("2022-01-01", "yyyy-MM-dd", { precision: "month" })).toEqual({ start: min("2022-01-01T00:00Z"), end: min("2022-02-01T00:00Z"), precision: "month" });
  });

  it("rejects impossible dates and malformed text, naming the part", () => {
    const f = compileDateFormat("yyyy-MM-dd HH:mm");
    const cases: [string, string][] = [
      ["2021-02-30 10:00", "day"],
      ["2020-02-30 10:00", "day"], // leap year: 29 is the last
      ["2021-13-01 10:00", "month"],
      ["2021-00-01 10:00", "month"],
      ["2021-03-01 25:00", "hour"],
      ["2021-03-01 10:60", "minute"],
      ["2021-3-01 10:00", "month"], // MM needs two digits
      ["21-03-01 10:00", "year"],
      ["2021/03/01 10:00", "text"],
      ["2021-03-01 10:00:00", "text"], // trailing text
      ["1799-03-01 10:00", "year"],
      ["", "year"],
    ];
    for (const [text, part] of cases) {
      const r = f.parse(text);
      expect([text, r.error]).toEqual([text, part]);
      expect(Number.isNaN(r.start) && Number.isNaN(r.end)).toBe(true);
    }
    expect(f.parse("2021-02-29 10:00").message).toBe("day 29 does not exist in February 2021");
    expect(f.parse("2020-02-29 10:00").error).toBeNull();
    const h12 = compileDateFormat("M/d/yyyy h:mm a");
    expect(h12.parse("6/15/2016 13:30 PM").error).toBe("hour");
    expect(h12.parse("6/15/2016 0:30 AM").error).toBe("hour");
    expect(h12.parse("6/15/2016 11:30 XM").error).toBe("meridiem");
    expect(() => parseDateWindow("2021-02-30", "yyyy-MM-dd")).toThrow(/day 30 does not exist in February 2021/);
    expect(thrown(() => parseDateWindow("2021-02-30", "yyyy-MM-dd")).code).toBe("invalid-date");
  });

  it('reads ISO 8601: offsets are exact instants unless ignoreOffset; precision follows each value', () => {
    const f = compileDateFormat("iso", { zone: "America/New_York" });
    expect(iso(f.parse("2017-05-25T00:00:00Z").start)).toBe("2017-05-25T00:00:00.000Z");
    expect(iso(f.parse("2017-05-25T00:00:00.123+02:00").start)).toBe("2017-05-24T22:00:00.000Z");
    expect(iso(f.parse("2017-05-25 08:15").start)).toBe("2017-05-25T12:15:00.000Z"); // EDT, UTC−4
    const day = f.parse("2017-05-25");
    expect([iso(day.start), iso(day.end), day.precision]).toEqual(["2017-05-25T04:00:00.000Z", "2017-05-26T04:00:00.000Z", PRECISION.day]);
    expect(f.parse("2017-05").precision).toBe(PRECISION.month);
    // Cincinnati's false Z: the wall-clock time is local.
    const local = compileDateFormat("iso", { zone: "America/New_York", ignoreOffset: true });
    expect(iso(local.parse("2017-05-25T00:00:00Z").start)).toBe("2017-05-25T04:00:00.000Z");
    expect(f.parse("2017-05-25T24:00").error).toBe("hour");
    expect(f.parse("2017-05-25T10").error).toBe("minute");
    expect(f.parse("25/05/2017").error).toBe("year");
    // An exact instant coarsened to its local day: 02:00Z on 25 May is 22:00 EDT on the 24th.
    const coarse = compileDateFormat("iso", { zone: "America/New_York", precision: "day" }).parse("2017-05-25T02:00Z");
    expect([iso(coarse.start), iso(coarse.end)]).toEqual(["2017-05-24T04:00:00.000Z", "2017-05-25T04:00:00.000Z"]);
  });

  it("reuses the out object and reads quoted literals", () => {
    const f = compileDateFormat("yyyy-MM-dd'T'HH:mm:ss'Z'", { zone: "America/New_York" });
    const out = dateReading();
    expect(f.parse("2017-05-25T00:00:00Z", out)).toBe(out);
    expect(iso(out.start)).toBe("2017-05-25T04:00:00.000Z");
    expect(f.parse("2017-05-25T00:00:00", out).error).toBe("text");
    expect(compileDateFormat("dd 'de' MM 'de' yyyy", { zone: "UTC" }).parse("04 de 11 de 2018").start).toBe(min("2018-11-04T00:00Z"));
  });

  it("compileTimeFormat reads a time column's hour and minute", () => {
    const t = compileTimeFormat("h:mm a");
    const out = dateReading();
    expect(t.readFields("7:05 PM", out)).toBe(true);
    expect([out.hour, out.minute]).toEqual([19, 5]);
    expect(t.readFields("7:65 PM", out)).toBe(false);
    expect(out.error).toBe("minute");
    expect(thrown(() => compileTimeFormat("yyyy HH")).code).toBe("invalid-option");
  });

  it("throws invalid-option for patterns that are not luxon tokens, and for a finer precision", () => {
    const e = thrown(() => compileDateFormat("YYYY-MM-DD"));
    expect(e.code).toBe("invalid-option");
    expect(e.message).toMatch(/^compileDateFormat: pattern must be .*YYYY is not a luxon token/);
    for (const p of ["yyyy-MM-dd hh:mm", "yyyy-MM-dd HH:mm a", "yyyy-dd", "yyyy-MM HH", "MM-dd", "yyyy-MM-dd-dd", "yyyy-MM-dd 'T", ""]) {
      expect([p, thrown(() => compileDateFormat(p)).code]).toEqual([p, "invalid-option"]);
    }
    expect(thrown(() => compileDateFormat("yyyy-MM", { precision: "day" })).message).toBe(
      'compileDateFormat: precision must be no finer than the pattern\'s finest token (month) for "yyyy-MM", got "day"',
    );
    expect(thrown(() => compileDateFormat("yyyy", { zone: "Mars/Olympus" })).code).toBe("invalid-option");
    expect(thrown(() => compileDateFormat("yyyy", { precision: "week" as never })).code).toBe("invalid-option");
  });
});

const base: ReadRecordsOptions = {
  columns: { id: "ref", date: "when", category: "type", lon: "lon", lat: "lat" },
  dateFormat: "yyyy-MM-dd HH:mm",
};

describe("readRecords", () => {
  it("readRecords(records, options) maps objects to incidents in British National Grid", () => {
    const records = [
      { ref: "CR/1/21", when: "2021-07-14 22:15", type: "Robbery", lon: -1.205, lat: 52.772, beat: 12, dv: true },
      { ref: "CR/2/21", when: "2021-01-14 09:00", type: "Burglary", lon: "-1.205", lat: "52.772", beat: "12", dv: "N" },
    ];
    const { table, rejected, summary } = readRecords(records, {
      ...base,
      columns: { ...base.columns, beat: "beat", flags: { domestic: "dv" }, source: { value: "police-recorded-crime" } },
    });
    expect(rejected).toEqual([]);
    expect(summary).toMatchObject({ rows: 2, accepted: 2, rejected: 0, files: [{ file: "records", rows: 2, accepted: 2, rejected: 0 }] });
    expect(table.crs).toBe("EPSG:27700"); // "auto" picked BNG for a point in England
    const rows = incidentRows(table);
    expect(rows.map((r) => [r.id, r.category, r.source, r.beat, r.domestic])).toEqual([
      ["CR/1/21", "Robbery", "police-recorded-crime", "12", true],
      ["CR/2/21", "Burglary", "police-recorded-crime", "12", false],
    ]);
    // BST in July (21:15Z), GMT in January (09:00Z).
    expect([rows[0].start, rows[1].start]).toEqual(["2021-07-14T21:15:00.000Z", "2021-01-14T09:00:00.000Z"]);
    // Same point as numbers and as text: the same projection as core's projector.
    const [x, y] = projector("EPSG:27700").forward(-1.205, 52.772);
    expect([rows[0].x, rows[0].y, rows[1].x, rows[1].y]).toEqual([x, y, x, y]);
    // Loughborough town centre is in OS 10 km square SK51 (grid ref. SK 535 195): E 450–460 km, N 310–320 km.
    expect([Math.floor(x / 10_000), Math.floor(y / 10_000)]).toEqual([45, 31]);
  });

  it("accepts Date objects as instants", () => {
    const { table } = readRecords([{ ref: "D", when: new Date("2021-07-14T21:15:42Z"), type: "x", lon: null, lat: null }], base);
    expect(incidentRow(table, 0)).toMatchObject({ start: "2021-07-14T21:15:00.000Z", end: "2021-07-14T21:16:00.000Z", precision: "minute", x: null });
    const day = readRecords([{ ref: "D", when: new Date("2021-07-14T23:30:00Z"), type: "x", lon: null, lat: null }], { ...base, precision: "day" });
    // 23:30Z is 00:30 BST on the 15th: the London day of 15 July.
    expect(incidentRow(day.table, 0)).toMatchObject({ start: "2021-07-14T23:00:00.000Z", end: "2021-07-15T23:00:00.000Z", precision: "day" });
  });

  it("reads a date column beside a time column; a blank time gives a whole-day window", () => {
    const { table, summary } = readRecords(
      [
        { d: "14/07/2021", t: "10:15 PM", c: "x" },
        { d: "15/07/2021", t: "", c: "x" },
      ],
      { columns: { date: "d", time: "t", category: "c" }, dateFormat: "dd/MM/yyyy", timeFormat: "h:mm a" },
    );
    const rows = incidentRows(table);
    expect([rows[0].start, rows[0].precision]).toEqual(["2021-07-14T21:15:00.000Z", "minute"]);
    expect([rows[1].start, rows[1].end, rows[1].precision]).toEqual(["2021-07-14T23:00:00.000Z", "2021-07-15T23:00:00.000Z", "day"]);
    expect(summary.notes.coarserTime).toBe(1);
  });

  it("rejects each bad record with its reason, and reconciles", () => {
    const records: unknown[] = [
      { ref: "1", when: "2021-02-30 10:00", type: "x", lon: -1.2, lat: 52.7 },
      { ref: "2", when: "2021-03-01 10:00", type: "", lon: -1.2, lat: 52.7 },
      { ref: "3", when: "2021-03-01 10:00", type: "x", lon: "west", lat: 52.7 },
      "not an object",
      { ref: "5", when: "2021-03-01 10:00", type: "x", lon: -1.2, lat: 52.7 },
    ];
    const { rejected, summary } = readRecords(records as Record<string, unknown>[], { ...base, name: "extract" });
    expect(rejected.map((r) => [r.file, r.row, r.line, r.field, r.value, r.reason])).toEqual([
      ["extract", 1, 1, "when", "2021-02-30 10:00", "invalid-date"],
      ["extract", 2, 2, "type", null, "missing-value"],
      ["extract", 3, 3, "lon", "west", "invalid-coordinate"],
      ["extract", 4, 4, null, '"not an object"', "invalid-value"],
    ]);
    expect(summary).toMatchObject({ rows: 5, accepted: 1, rejected: 4, byReason: { "invalid-date": 1, "missing-value": 1, "invalid-coordinate": 1, "invalid-value": 1 } });
    expect(rejected[0].message).toBe('when "2021-02-30 10:00" does not match "yyyy-MM-dd HH:mm": day 30 does not exist in February 2021');
  });

  it("maps categories, rejecting or keeping unknown values", () => {
    const records = [
      { ref: "1", when: "2021-03-01 10:00", type: "Burglary", lon: null, lat: null },
      { ref: "2", when: "2021-03-01 10:00", type: "Arson", lon: null, lat: null },
    ];
    const categoryMap = { Burglary: "burglary" };
    const strict = readRecords(records, { ...base, categoryMap });
    expect(strict.rejected.map((r) => [r.row, r.field, r.value, r.reason])).toEqual([[2, "type", "Arson", "unknown-category"]]);
    const kept = readRecords(records, { ...base, categoryMap, unknownCategory: "keep" });
    expect(incidentRows(kept.table).map((r) => r.category)).toEqual(["burglary", "Arson"]);
    expect(kept.summary.notes.unmappedCategory).toBe(1);
  });

  it("reads projected x/y in their CRS and inverse-projects lon/lat", () => {
    // Vancouver, UTM 10N. x 491059.48 is 8.94 km west of the central meridian (−123°):
    // 8940.5 m / (111 320 m × cos 49.285°) ≈ 0.1229° → lon ≈ −123.1229; y ≈ 49.285° N.
    const { table } = readRecords([{ X: 491059.4824, Y: 5459122.4178, c: "x", d: "2020-06-19 03:40" }], {
      columns: { date: "d", category: "c", x: "X", y: "Y" },
      dateFormat: "yyyy-MM-dd HH:mm",
      crs: "EPSG:32610",
      zone: "America/Vancouver",
    });
    const r = incidentRow(table, 0);
    expect(table.crs).toBe("EPSG:32610");
    expect([r.x, r.y]).toEqual([491059.4824, 5459122.4178]);
    expect(r.lon!).toBeCloseTo(-123.1229, 3);
    expect(r.lat!).toBeCloseTo(49.2848, 3);
    expect(r.start).toBe("2020-06-19T10:40:00.000Z"); // PDT, UTC−7
  });

  it('crs "auto" outside Great Britain picks the UTM zone of the first valid point', () => {
    // −87.63° lies in UTM zone 16 (−90° to −84°), north → EPSG:32616.
    const { table } = readRecords(
      [
        { ref: "0", when: "2021-03-01 10:00", type: "x", lon: "", lat: "" },
        { ref: "1", when: "2021-03-01 10:00", type: "x", lon: -87.63, lat: 41.88 },
      ],
      { ...base, zone: "America/Chicago" },
    );
    expect(table.crs).toBe("EPSG:32616");
  });

  it("empty input gives an empty table; no record at all is not an error", () => {
    const { table, summary } = readRecords([], base);
    expect([table.length, summary.rows, summary.accepted, summary.rejected]).toEqual([0, 0, 0, 0]);
  });

  it("throws missing-field naming every mapped field that no record has", () => {
    const e = thrown(() => readRecords([{ ref: "1", when: "x", kind: "y" }], base));
    expect(e.code).toBe("missing-field");
    expect(e.message).toBe('readRecords: no record has fields "type", "lon", "lat" named in the mapping');
  });

  it("validates options before reading", () => {
    const cases: [Partial<ReadRecordsOptions>, RegExp][] = [
      [{ dateFormat: undefined }, /^readRecords: dateFormat must be a date pattern/],
      [{ dateFormat: "YYYY-MM-DD" }, /^readRecords: dateFormat must be made of the tokens/],
      [{ zone: "Nowhere/City" }, /^readRecords: zone must be a valid IANA time zone name, got "Nowhere\/City"/],
      [{ bounds: [1, 2, 0, 3] as unknown as [number, number, number, number] }, /^readRecords: bounds must be/],
      [{ maxDistanceKm: 0 }, /^readRecords: maxDistanceKm must be a positive number/],
      [{ dedupe: "last" as "first" }, /^readRecords: dedupe must be "none" or "first"/],
      [{ crs: "EPSG:4326" }, /^readRecords: crs must be/],
      [{ precision: "second" as never }, /^readRecords: precision must be one of/],
      [{ unknownCategory: "drop" as "keep" }, /^readRecords: unknownCategory must be "reject" or "keep"/],
      [{ suppressedWhen: { field: "x" } }, /^readRecords: suppressedWhen must be/],
      [{ columns: { ...base.columns, x: "x", y: "y" } }, /^readRecords: columns must be naming lon\/lat or x\/y, not both/],
      [{ columns: { ...base.columns, lat: undefined } }, /^readRecords: columns.lat must be given together with its pair/],
      [{ columns: { ...base.columns, dateParts: { year: "y" } } }, /^readRecords: columns.date must be given, or else columns.dateParts/],
      [{ columns: { date: "when", category: 3 as unknown as string } }, /^readRecords: columns.category must be a column name or \{ value: constant \}/],
      [{ columns: { ...base.columns, id: undefined }, dedupe: "first" }, /^readRecords: dedupe must be "none" unless columns.id is given/],
      [{ columns: { ...base.columns, lon: undefined, lat: undefined, x: "X", y: "Y" } }, /^readRecords: crs must be the CRS of columns.x\/columns.y/],
    ];
    for (const [patch, message] of cases) {
      const e = thrown(() => readRecords([], { ...base, ...patch } as ReadRecordsOptions));
      expect([e.code, e.message]).toEqual(["invalid-option", expect.stringMatching(message)]);
    }
    expect(thrown(() => readRecords("rows" as never, base)).code).toBe("invalid-input");
  });

  it("does not mutate records or options", () => {
    const records = [{ ref: "1", when: "2021-03-01 10:00", type: "x", lon: -1.2, lat: 52.7 }];
    const options: ReadRecordsOptions = { ...base, categoryMap: { x: "y" }, suppressedWhen: [{ field: "ref", in: ["9"] }] };
    const before = JSON.stringify([records, options]);
    readRecords(records, options);
    expect(JSON.stringify([records, options])).toBe(before);
  });
});
