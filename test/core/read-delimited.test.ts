import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import {
  readDelimited,
  DelimitedReader,
  incidentRow,
  incidentRows,
  InputError,
  CINCINNATI_PDI,
  VANCOUVER_VPD,
  POLICE_UK_ASB_TAB,
  type ReadDelimitedOptions,
  type IngestResult,
} from "@community-safety/core";
import { readDelimitedFiles } from "@community-safety/core/node";
import { fixturePath } from "../helpers/data.js";
import { thrownInputError as thrown } from "../helpers/errors.js";

const path = (name: string) => fixturePath("generic", name);
const fixture = (name: string) => ({ name, text: readFileSync(path(name), "utf8") });

/** The mapping shared by the crafted `ref,occurred,type,lon,lat` fixtures. */
const MAPPING: ReadDelimitedOptions = {
  columns: { id: "ref", date: "occurred", category: "type", lon: "lon", lat: "lat" },
  dateFormat: "yyyy-MM-dd HH:mm",
  categoryMap: { Burglary: "burglary", Robbery: "robbery" },
};

const brief = (r: IngestResult) => r.rejected.map((x) => [x.row, x.line, x.field, x.value, x.reason]);

describe("readDelimited on crafted files", () => {
  it("reads BOM, CRLF, quoted fields, the On-or-near prefix, flags and clock changes", () => {
    const r = readDelimited([fixture("incidents-good.csv")], {
      ...MAPPING,
      columns: { ...MAPPING.columns, location: "street", ward: "ward", flags: { domestic: "domestic" } },
    });
    expect(r.rejected).toEqual([]);
    expect(r.summary).toMatchObject({ rows: 3, accepted: 3, rejected: 0 });
    expect(r.summary.notes).toEqual({ noLocation: 1, blankStreet: 1, dateWindow: 0, unmappedCategory: 0, coarserTime: 0, areaOnly: 0 });
    const rows = incidentRows(r.table);
    expect(rows.map((x) => [x.id, x.category, x.location, x.ward, x.domestic])).toEqual([
      ["INC-1", "burglary", "High Street, Loughborough", "Hastings", true],
      ["INC-2", "robbery", null, "Hastings", false],
      ["INC-3", "burglary", 'Quoted "name" place', null, false],
    ]);
    // 28 Mar 2021 00:30 is GMT (00:30Z); 01:30 does not exist (01:00 GMT → 02:00 BST) and is
    // read as 02:30 BST = 01:30Z; 31 Oct 01:30 happens twice, the earlier is BST = 00:30Z.
    expect(rows.map((x) => x.start)).toEqual(["2021-03-28T00:30:00.000Z", "2021-03-28T01:30:00.000Z", "2021-10-31T00:30:00.000Z"]);
    expect(rows[2]).toMatchObject({ x: null, y: null, lon: null, lat: null });
    expect(r.table.crs).toBe("EPSG:27700");
  });

  it("bad-dates.csv: each impossible or malformed date is rejected as invalid-date naming the column", () => {
    const r = readDelimited([fixture("bad-dates.csv")], MAPPING);
    expect(brief(r)).toEqual([
      [1, 2, "occurred", "2021-02-30 10:00", "invalid-date"],
      [2, 3, "occurred", "2021-03-01 25:00", "invalid-date"],
      [3, 4, "occurred", "01/03/2021 10:00", "invalid-date"],
      [4, 5, "occurred", null, "missing-value"],
      [5, 6, "occurred", "2021-03-01 10:60", "invalid-date"],
      [6, 7, "occurred", "2021-13-01 10:00", "invalid-date"],
    ]);
    expect(r.rejected.map((x) => x.message.split(": ").pop())).toEqual([
      "day 30 does not exist in February 2021",
      "hour 25 is not 0–23",
      "the year must have 4 digits",
      "occurred is blank",
      "minute 60 is not 0–59",
      "month 13 is not 1–12",
    ]);
    expect(r.rejected.every((x) => x.file === "bad-dates.csv")).toBe(true);
    expect(r.summary).toMatchObject({ rows: 7, accepted: 1, rejected: 6, byReason: { "invalid-date": 5, "missing-value": 1 } });
  });

  it("bad-coordinates.csv: non-numeric, out-of-range, 0,0, half-blank and out-of-bounds points", () => {
    const r = readDelimited([fixture("bad-coordinates.csv")], { ...MAPPING, bounds: [-8.7, 49.8, 1.9, 60.9] });
    expect(brief(r)).toEqual([
      [1, 2, "lon", "abc", "invalid-coordinate"],
      [2, 3, "lat", "95", "invalid-coordinate"],
      [3, 4, "lon", "0,0", "null-island"],
      [4, 5, "lat", null, "invalid-coordinate"],
      [5, 6, "lon", "2.35,48.85", "outside-bounds"],
    ]);
    expect(r.rejected[3].message).toBe("lat is blank but lon is not");
    expect(r.summary).toMatchObject({ rows: 7, accepted: 2, rejected: 5 });
    expect(r.summary.notes.noLocation).toBe(1); // C7: both blank, kept without a location
    const strict = readDelimited([fixture("bad-coordinates.csv")], { ...MAPPING, requireLocation: true, nullIsland: false });
    expect(brief(strict).slice(2)).toEqual([
      [4, 5, "lat", null, "invalid-coordinate"],
      [7, 8, "lon", null, "missing-value"],
    ]);
    // With nullIsland off, 0,0 is projected (far off in the Atlantic, but a point).
    expect(strict.summary.accepted).toBe(3);
  });

  it("ragged.csv: short, long and unterminated rows, counting physical lines across quoted line breaks", () => {
    const r = readDelimited([fixture("ragged.csv")], { ...MAPPING, categoryMap: undefined });
    expect(brief(r)).toEqual([
      [2, 3, null, "R2,2021-03-01 10:00,Burglary,-1.2", "ragged-row"],
      [3, 4, null, "R3,2021-03-01 10:00,Burglary,-1.2,52.77,extra", "ragged-row"],
      [6, 9, null, null, "unterminated-quote"],
    ]);
    expect(r.rejected.map((x) => x.message)).toEqual([
      "row has 4 fields, the header has 5",
      "row has 6 fields, the header has 5",
      "the file ends inside a quoted field that starts on line 9",
    ]);
    expect(r.summary).toMatchObject({ rows: 6, accepted: 3, rejected: 3, files: [{ blankLines: 1 }] });
    expect(incidentRows(r.table).map((x) => [x.id, x.category])).toEqual([
      ["R1", "Burglary"],
      ["R4", "Bur\nglary"],
      ["R5", "Burglary"],
    ]);
  });

  it("unknown-category.csv: unmapped and blank categories", () => {
    const r = readDelimited([fixture("unknown-category.csv")], MAPPING);
    expect(brief(r)).toEqual([
      [2, 3, "type", "Arson", "unknown-category"],
      [3, 4, "type", null, "missing-value"],
      [4, 5, "type", "burglary", "unknown-category"], // keys are matched exactly, case included
    ]);
    expect(r.rejected[0].message).toBe('type "Arson" is not in the categoryMap');
    const kept = readDelimited([fixture("unknown-category.csv")], { ...MAPPING, unknownCategory: "keep" });
    expect(incidentRows(kept.table).map((x) => x.category)).toEqual(["burglary", "Arson", "burglary"]);
    expect(kept.summary).toMatchObject({ rows: 4, accepted: 3, rejected: 1, notes: { unmappedCategory: 2 } });
  });

  it("missing-columns.csv: InputError missing-field naming every missing column", () => {
    const e = thrown(() => readDelimited([fixture("missing-columns.csv")], MAPPING));
    expect(e.code).toBe("missing-field");
    expect(e.message).toBe('readDelimited: "missing-columns.csv" is missing columns "occurred", "lon" named in the mapping (columns: ref, when, type, longitude, lat)');
  });

  it("empty.csv: InputError empty-input; a header alone is zero rows", () => {
    const e = thrown(() => readDelimited([fixture("empty.csv")], MAPPING));
    expect([e.code, e.message]).toEqual(["empty-input", 'readDelimited: file "empty.csv" is empty: expected a header row naming ref, type, occurred, lon, lat']);
    expect(thrown(() => readDelimited("", MAPPING)).code).toBe("empty-input");
    expect(thrown(() => readDelimited([], MAPPING)).code).toBe("empty-input");
    const header = readDelimited([fixture("header-only.csv")], MAPPING);
    expect([header.table.length, header.summary.rows, header.rejected.length]).toEqual([0, 0, 0]);
  });

  it("windows.csv: FIRST/LAST occurrence windows on a 12-hour clock, with bad ends rejected", () => {
    const r = readDelimited([fixture("windows.csv")], {
      columns: { id: "id", date: "first", endDate: "last", category: "cat", lon: "lon", lat: "lat" },
      dateFormat: "M/d/yyyy h:mm:ss a",
      zone: "America/Denver",
    });
    expect(brief(r)).toEqual([
      [3, 4, "last", "6/15/2016 11:30:00 PM", "invalid-date"],
      [4, 5, "last", "6/15/2016 13:30:00 PM", "invalid-date"],
      [5, 6, "first", "2/29/2019 9:00:00 AM", "invalid-date"],
    ]);
    expect(r.rejected[0].message).toBe('last "6/15/2016 11:30:00 PM" is before first (the window would be negative)');
    expect(r.rejected[1].message).toMatch(/hour 13 is not 1–12 on a 12-hour clock$/);
    expect(r.rejected[2].message).toMatch(/day 29 does not exist in February 2019$/);
    const rows = incidentRows(r.table);
    // W1: 4 Mar 2016 8 PM MST (UTC−7) = 5 Mar 03:00Z, to 25 Apr 8 AM MDT (UTC−6) = 14:00Z, +1 minute.
    expect([rows[0].start, rows[0].end, rows[0].precision]).toEqual(["2016-03-05T03:00:00.000Z", "2016-04-25T14:01:00.000Z", "minute"]);
    // W2: no LAST: the first minute alone. 11:31 PM MDT = 05:31Z next day.
    expect([rows[1].start, rows[1].end]).toEqual(["2016-06-16T05:31:00.000Z", "2016-06-16T05:32:00.000Z"]);
    // W6: 4 Nov 2018 1:30 and 1:45 AM happen twice (2 AM MDT → 1 AM MST); both take the earlier, MDT.
    expect([rows[2].start, rows[2].end]).toEqual(["2018-11-04T07:30:00.000Z", "2018-11-04T07:46:00.000Z"]);
    expect(r.summary.notes.dateWindow).toBe(2);
    expect(r.table.crs).toBe("EPSG:32613"); // −104.96° is in UTM zone 13 (−108° to −102°)
  });

  it("duplicates.csv (Cincinnati preset): keeps the first accepted row per id; far points rejected", () => {
    const r = readDelimited([fixture("duplicates.csv")], { ...CINCINNATI_PDI, maxDistanceKm: 100 });
    expect(brief(r)).toEqual([
      [2, 3, "incident_no", "1", "duplicate-id"],
      [4, 5, "offense_date", "2017-05-26", "invalid-date"],
      [6, 7, "incident_no", "1", "duplicate-id"],
      [7, 8, "longitude", "-80,39.14", "far-outside-area"],
      [8, 9, "incident_no", "2", "duplicate-id"],
    ]);
    expect(r.rejected[0].message).toBe('incident_no is also on row 1 (line 2) of "duplicates.csv"; the first row is kept');
    // −80.00 vs the median −84.49 at 39.14° N: 4.49° × 111.32 km × cos 39.14° ≈ 388 km.
    expect(r.rejected[3].message).toMatch(/lies 38\d km from the median point/);
    const rows = incidentRows(r.table);
    expect(rows.map((x) => [x.id, x.category, x.start])).toEqual([
      ["1", "burglary", "2017-05-25T04:00:00.000Z"], // the false Z: midnight EDT = 04:00Z
      ["2", "aggravated-burglary", "2017-05-26T16:00:00.000Z"],
      ["3", "burglary", "2017-05-26T16:30:00.000Z"], // the first *accepted* row with id 3
    ]);
    expect(rows[1].x).toBeNull(); // NA coordinates
    expect(r.summary).toMatchObject({ rows: 8, accepted: 3, rejected: 5, byReason: { "duplicate-id": 3, "invalid-date": 1, "far-outside-area": 1 } });
    // Notes describe accepted rows only: the duplicate with NA coordinates (row 8) is not counted.
    expect(r.summary.notes.noLocation).toBe(1);
  });

  it("vancouver-sample.csv (Vancouver preset): suppression, date parts, blank time and blank X/Y", () => {
    const r = readDelimited([fixture("vancouver-sample.csv")], VANCOUVER_VPD);
    expect(brief(r)).toEqual([
      [2, 3, "HUNDRED_BLOCK", "OFFSET TO PROTECT PRIVACY", "suppressed"],
      [4, 5, "DAY", "31", "invalid-date"],
      [7, 8, "TYPE", "Shoplifting", "unknown-category"],
      [8, 9, "TYPE", "Shoplifting", "unknown-category"],
    ]);
    expect(r.rejected[1].message).toBe("DAY 31: day 31 does not exist in 2020-06");
    const rows = incidentRows(r.table);
    expect(rows.map((x) => [x.category, x.start, x.end, x.precision])).toEqual([
      // 19 Jun 2020 03:40 PDT (UTC−7).
      ["break-and-enter-commercial", "2020-06-19T10:40:00.000Z", "2020-06-19T10:41:00.000Z", "minute"],
      ["vehicle-collision-injury", "2020-01-24T17:53:00.000Z", "2020-01-24T17:54:00.000Z", "minute"],
      // Blank HOUR/MINUTE: the whole of 1 Nov 2020, a 25-hour day (02:00 PDT → 01:00 PST).
      ["other-theft", "2020-11-01T07:00:00.000Z", "2020-11-02T08:00:00.000Z", "day"],
      // 8 Mar 2020 02:30 does not exist (02:00 PST → 03:00 PDT): 03:30 PDT = 10:30Z.
      ["theft-of-bicycle", "2020-03-08T10:30:00.000Z", "2020-03-08T10:31:00.000Z", "minute"],
    ]);
    expect(rows[1]).toMatchObject({ x: null, location: "KNIGHTST / E KING EDWARD AVE", district: null });
    // Row 8 also has a blank time but is rejected: notes count accepted rows only.
    expect(r.summary.notes).toMatchObject({ noLocation: 1, coarserTime: 1 });
    expect(r.table.crs).toBe("EPSG:32610");
  });

  it("asb-sample.tab (police.uk ASB preset): tab-separated, month windows", () => {
    const r = readDelimited([fixture("asb-sample.tab")], POLICE_UK_ASB_TAB);
    expect(brief(r)).toEqual([[4, 5, "month", "2022-13-01", "invalid-date"]]);
    const rows = incidentRows(r.table);
    expect(rows.map((x) => [x.start, x.end, x.precision, x.location, x.source, x.category])).toEqual([
      ["2022-01-01T00:00:00.000Z", "2022-02-01T00:00:00.000Z", "month", "Hazelwood Close", "asb-incident", "anti-social-behaviour"],
      // August is BST: local midnight on 1 Aug is 31 Jul 23:00Z.
      ["2022-07-31T23:00:00.000Z", "2022-08-31T23:00:00.000Z", "month", null, "asb-incident", "anti-social-behaviour"],
      ["2022-07-31T23:00:00.000Z", "2022-08-31T23:00:00.000Z", "month", "Peridot Close", "asb-incident", "anti-social-behaviour"],
    ]);
    expect(rows[0].lsoa).toBe("E01012607");
    expect(r.summary.notes.blankStreet).toBe(1);
    // Read as CSV, the tab-separated header is one column: every mapped column is missing.
    expect(thrown(() => readDelimited([fixture("asb-sample.tab")], { ...POLICE_UK_ASB_TAB, delimiter: "," })).code).toBe("missing-field");
  });

  it("several files: rows numbered per file, summary per file, header checked per file", () => {
    const r = readDelimited([fixture("bad-dates.csv"), fixture("unknown-category.csv")], MAPPING);
    expect(r.summary.files.map((f) => [f.file, f.rows, f.accepted, f.rejected])).toEqual([
      ["bad-dates.csv", 7, 1, 6],
      ["unknown-category.csv", 4, 1, 3],
    ]);
    expect(r.summary.rows).toBe(11);
    expect(r.summary.rows).toBe(r.summary.accepted + r.summary.rejected);
    expect(r.rejected.slice(5, 7).map((x) => [x.file, x.row])).toEqual([
      ["bad-dates.csv", 6],
      ["unknown-category.csv", 2],
    ]);
  });
});

describe("DelimitedReader", () => {
  it("gives the same result whatever the chunk boundaries", () => {
    const { name, text } = fixture("ragged.csv");
    const whole = readDelimited([{ name, text }], { ...MAPPING, categoryMap: undefined });
    for (const size of [1, 2, 3, 7, 16]) {
      const reader = new DelimitedReader({ ...MAPPING, categoryMap: undefined });
      reader.beginFile(name);
      for (let k = 0; k < text.length; k += size) reader.push(text.slice(k, k + size));
      reader.endFile();
      const r = reader.finish();
      expect([size, r.rejected, r.summary]).toEqual([size, whole.rejected, whole.summary]);
      expect(incidentRows(r.table)).toEqual(incidentRows(whole.table));
    }
  });

  it("validates options at construction", () => {
    const e = thrown(() => new DelimitedReader({ ...MAPPING, delimiter: ";;" }));
    expect([e.code, e.message]).toEqual(["invalid-option", 'readDelimited: delimiter must be one character other than a quote or line break, got ";;"']);
    expect(thrown(() => readDelimited("a,b", { ...MAPPING, dateFormat: "yyyy-MM-DD" })).code).toBe("invalid-option");
  });
});

describe("readDelimitedFiles (node)", () => {
  it("streams a file from disk like readDelimited", async () => {
    const fromDisk = await readDelimitedFiles(path("duplicates.csv"), CINCINNATI_PDI);
    const fromText = readDelimited([fixture("duplicates.csv")], CINCINNATI_PDI);
    expect(fromDisk.summary).toEqual(fromText.summary);
    expect(incidentRow(fromDisk.table, 0)).toEqual(incidentRow(fromText.table, 0));
  });
});
