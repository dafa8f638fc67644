import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import {
  CHICAGO_CODE,
  VANCOUVER_VPD,
  MEMPHIS_CODE,
  CINCINNATI_PDI,
  DENVER_PD,
  POLICE_UK_ASB_TAB,
  PRECISION,
  incidentRow,
  dictCode,
  type IngestResult,
} from "@community-safety/core";
import { readDelimitedFiles } from "@community-safety/core/node";
import { dataPath } from "../helpers/data.js";

// Every timestamped dataset in the shared data folder, read through the generic adapter.
// Independent values come from the data README (quoted) or from counting the raw text with a
// plain split in the test; instants are hand-converted with the zone's published offsets.

const CHICAGO = dataPath("chicago-aggravated-assaults-2010-2019", "chicago_aggravated_assaults.csv.gz");
const VANCOUVER = dataPath("vancouver-vpd-2020", "crimedata_csv_AllNeighbourhoods_2020.csv");
const MEMPHIS = dataPath("memphis-robberies-2019", "memphis_robberies_2019.csv");
const CINCINNATI = dataPath("cincinnati-burglary-2016-2018", "cincinnati_burglary.csv.gz");
const DENVER = dataPath("denver-crime-sample", "denver_crime_sample_non_traffic.csv.gz");
const LANCASHIRE = dataPath("policeuk-lancashire-asb-2022", "lancashire_asb.tab");

/** The raw lines of a file (gunzipped), without the header and without the empty last line. */
function rawLines(path: string): string[] {
  const buf = readFileSync(path);
  const text = (path.endsWith(".gz") ? gunzipSync(buf) : buf).toString("utf8");
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.slice(1);
}

const iso = (minute: number) => new Date(minute * 60_000).toISOString();
const min = (text: string) => Date.parse(text) / 60_000;

function reconciles(r: IngestResult, rows: number): void {
  expect(r.summary.rows).toBe(rows);
  expect(r.summary.rows).toBe(r.summary.accepted + r.summary.rejected);
  expect(r.table.length).toBe(r.summary.accepted);
  expect(r.rejected.length).toBe(r.summary.rejected);
  const byReason = Object.values(r.summary.byReason).reduce((s, n) => s + (n ?? 0), 0);
  expect(byReason).toBe(r.summary.rejected);
}

function countWhere(a: ArrayLike<number>, test: (v: number, i: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < a.length; ++i) if (test(a[i], i)) ++n;
  return n;
}

describe("Chicago aggravated assaults 2010–2019 (CHICAGO_CODE)", async () => {
  const r = await readDelimitedFiles(CHICAGO, CHICAGO_CODE);
  const lines = rawLines(CHICAGO);

  it("reconciles: 148,636 rows (README), all accepted", () => {
    expect(lines.length).toBe(148_636);
    reconciles(r, 148_636);
    expect(r.summary.accepted).toBe(148_636);
    expect(r.table.crs).toBe("EPSG:32616");
    expect(countWhere(r.table.precision, (p) => p === PRECISION.minute)).toBe(148_636);
  });

  it("puts 17,324 rows in local 2010 (README), counted from the text", () => {
    const raw2010 = lines.filter((l) => l.startsWith("2010-")).length;
    expect(raw2010).toBe(17_324);
    // Chicago's year 2010 runs from 1 Jan 00:00 CST (06:00Z) to 1 Jan 2011 00:00 CST.
    const a = min("2010-01-01T06:00Z");
    const b = min("2011-01-01T06:00Z");
    expect(countWhere(r.table.start, (s) => s >= a && s < b)).toBe(raw2010);
  });

  it("17.8 % of times fall on the hour (README)", () => {
    // Chicago's offsets are whole hours, so a local :00 is a UTC :00.
    const share = countWhere(r.table.start, (s) => s % 60 === 0) / r.table.length;
    expect(share).toBeCloseTo(0.178, 3);
  });

  it("converts rows at the clock changes by hand", () => {
    // Data row k is table row k − 1 (nothing rejected); line = row + 1.
    expect(lines[15_364]).toBe("2010-11-07 01:30,residence,-87.7729,41.8667,15"); // line 15,366
    // 7 Nov 2010 02:00 CDT → 01:00 CST: 01:30 happens twice; the earlier is CDT (UTC−5) = 06:30Z.
    expect(incidentRow(r.table, 15_364)).toMatchObject({ start: "2010-11-07T06:30:00.000Z", subcategory: "residence", district: "15", lon: -87.7729 });
    expect(lines[76_043]).toBe("2015-03-08 01:50,street,-87.6119,41.7742,3");
    expect(lines[76_044]).toBe("2015-03-08 03:35,street,-87.7211,41.856,10");
    // 8 Mar 2015: 01:50 CST (UTC−6) = 07:50Z; 03:35 CDT (UTC−5) = 08:35Z — 45 minutes apart on the clock, 45 in fact.
    expect(iso(r.table.start[76_043])).toBe("2015-03-08T07:50:00.000Z");
    expect(iso(r.table.start[76_044])).toBe("2015-03-08T08:35:00.000Z");
    // First row: 1 Jan 2010 00:05 CST = 06:05Z.
    expect(incidentRow(r.table, 0)).toMatchObject({ start: "2010-01-01T06:05:00.000Z", end: "2010-01-01T06:06:00.000Z", category: "aggravated-assault", source: "police-recorded-crime" });
  });
});

describe("Vancouver PD 2020 (VANCOUVER_VPD)", async () => {
  const r = await readDelimitedFiles(VANCOUVER, VANCOUVER_VPD);
  const lines = rawLines(VANCOUVER);

  it("reconciles: 37,512 rows (README), the 3,750 suppressed rows reported, not analysed", () => {
    expect(lines.length).toBe(37_512);
    reconciles(r, 37_512);
    const suppressedRaw = lines.filter((l) => l.includes(",OFFSET TO PROTECT PRIVACY,")).length;
    expect(suppressedRaw).toBe(3_750);
    expect(r.summary.byReason).toEqual({ suppressed: 3_750 });
    expect(r.summary.accepted).toBe(37_512 - 3_750);
    // README: Offence Against a Person 3,731 + Homicide 19 = 3,750 — none reach the table.
    expect(dictCode(r.table.category, "offence-against-a-person")).toBe(-1);
    expect(dictCode(r.table.category, "homicide")).toBe(-1);
    expect(countWhere(r.table.x, (x) => x === 0)).toBe(0);
  });

  it("keeps the README's type counts and the one row without X/Y", () => {
    const code = dictCode(r.table.category, "theft-from-vehicle");
    expect(countWhere(r.table.category.codes, (c) => c === code)).toBe(10_428);
    const blankXY = lines.filter((l) => l.endsWith(",,")).length; // blank NEIGHBOURHOOD, X and Y
    expect(blankXY).toBe(1);
    expect(r.summary.notes.noLocation).toBe(blankXY);
  });

  it("39 % of the remaining times have MINUTE=0 (README)", () => {
    const share = countWhere(r.table.start, (s) => s % 60 === 0) / r.table.length;
    expect(Math.round(share * 100)).toBe(39);
  });

  it("converts the first row by hand and inverse-projects UTM 10N", () => {
    expect(lines[0]).toBe("Break and Enter Commercial,2020,6,19,3,40,10XX ALBERNI ST,West End,491059.4824,5459122.4178");
    const row = incidentRow(r.table, 0);
    // 19 Jun 2020 03:40 PDT (UTC−7) = 10:40Z.
    expect(row).toMatchObject({ start: "2020-06-19T10:40:00.000Z", category: "break-and-enter-commercial", location: "10XX ALBERNI ST", district: "West End", x: 491059.4824 });
    // 8,940.5 m west of −123° at 49.28° N: 8940.5 / (111 320 × cos 49.28°) ≈ 0.1229° → −123.1229.
    expect(row.lon!).toBeCloseTo(-123.1229, 3);
    expect(row.lat!).toBeCloseTo(49.2848, 3);
  });
});

describe("Memphis robberies 2019 (MEMPHIS_CODE)", async () => {
  const r = await readDelimitedFiles(MEMPHIS, MEMPHIS_CODE);
  const lines = rawLines(MEMPHIS);

  it("reconciles: 2,245 rows (README), all accepted", () => {
    expect(lines.length).toBe(2_245);
    reconciles(r, 2_245);
    expect(r.summary.accepted).toBe(2_245);
  });

  it("runs 2019-01-01 01:30 to 2019-12-31 15:30 local (README)", () => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of r.table.start) {
      lo = Math.min(lo, s);
      hi = Math.max(hi, s);
    }
    // Both dates are CST (UTC−6).
    expect([iso(lo), iso(hi)]).toEqual(["2019-01-01T07:30:00.000Z", "2019-12-31T21:30:00.000Z"]);
    expect(incidentRow(r.table, 0)).toMatchObject({ id: "15213800", category: "personal-robbery", start: "2019-01-01T07:30:00.000Z" });
  });

  it("24 % of times are on the hour (README)", () => {
    const share = countWhere(r.table.start, (s) => s % 60 === 0) / r.table.length;
    expect(Math.round(share * 100)).toBe(24);
  });
});

describe("Cincinnati burglaries 2016–2018 (CINCINNATI_PDI)", async () => {
  const r = await readDelimitedFiles(CINCINNATI, CINCINNATI_PDI);
  const lines = rawLines(CINCINNATI);

  it("reconciles: 8,723 rows (README); 1,774 duplicate incident_no rejected, the first row kept", () => {
    expect(lines.length).toBe(8_723);
    reconciles(r, 8_723);
    const distinct = new Set(lines.map((l) => l.split(",")[0])).size;
    expect(lines.length - distinct).toBe(1_774);
    expect(r.summary.byReason).toEqual({ "duplicate-id": 1_774 });
    expect(r.summary.accepted).toBe(distinct);
  });

  it("keeps the NA coordinates of first rows without a location", () => {
    const seen = new Set<string>();
    let na = 0;
    for (const l of lines) {
      const [id, , , lon] = l.split(",");
      if (seen.has(id)) continue;
      seen.add(id);
      if (lon === "NA") ++na;
    }
    expect(r.summary.notes.noLocation).toBe(na);
  });

  it("reads the false Z as local time: row 1 is 25 May 2017 00:00 EDT = 04:00Z", () => {
    expect(lines[0]).toBe("219027252,2017-05-25T00:00:00Z,BURGLARY,-84.4897306,39.1431856100598");
    expect(incidentRow(r.table, 0)).toMatchObject({ id: "219027252", start: "2017-05-25T04:00:00.000Z", category: "burglary" });
    expect(r.rejected[0]).toMatchObject({ row: 2, line: 3, field: "incident_no", value: "219027252", reason: "duplicate-id" });
    // README range 2016-01-01 to 2018-12-31 (local: EST midnights are 05:00Z).
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of r.table.start) {
      lo = Math.min(lo, s);
      hi = Math.max(hi, s);
    }
    expect(lo).toBeGreaterThanOrEqual(min("2016-01-01T05:00Z"));
    expect(hi).toBeLessThan(min("2019-01-01T05:00Z"));
  });
});

describe("Denver offences sample (DENVER_PD)", async () => {
  const r = await readDelimitedFiles(DENVER, DENVER_PD);
  const lines = rawLines(DENVER);
  const fields = lines.map((l) => l.slice(1, -1).split('","'));

  it("reconciles: 36,701 rows (README); 14,991 FIRST–LAST windows; 469 rows without coordinates", () => {
    expect(lines.length).toBe(36_701);
    reconciles(r, 36_701);
    expect(fields.filter((f) => f[7] !== "").length).toBe(14_991);
    expect(r.summary.notes.dateWindow).toBe(14_991);
    expect(r.summary.notes.noLocation).toBe(469);
    // "No window is negative": nothing is rejected for dates. Points at ~0,0 are null-island.
    const nearZero = fields.filter((f) => f[12] !== "" && Math.abs(+f[12]) < 0.001 && Math.abs(+f[13]) < 0.001).length;
    expect(nearZero).toBe(6);
    expect(r.summary.byReason).toEqual({ "null-island": nearZero });
  });

  it("windows have the README's median of 7 h and 90th percentile of 101 h", () => {
    // Table rows are the raw rows minus the 6 null-island rows, in order.
    const kept = fields.filter((f) => !(f[12] !== "" && Math.abs(+f[12]) < 0.001 && Math.abs(+f[13]) < 0.001));
    expect(kept.length).toBe(r.table.length);
    const hours: number[] = [];
    kept.forEach((f, i) => {
      if (f[7] !== "") hours.push((r.table.end[i] - r.table.start[i] - 1) / 60); // [FIRST, LAST + 1 min)
    });
    hours.sort((a, b) => a - b);
    expect(hours.length).toBe(14_991 - 0); // none of the 6 null-island rows has a LAST
    expect(Math.round(hours[(hours.length - 1) / 2])).toBe(7);
    expect(Math.round(hours[Math.floor(0.9 * (hours.length - 1))])).toBe(101);
    expect(hours[0]).toBeGreaterThanOrEqual(0);
  });

  it("converts 12-hour windows by hand, across a clock change", () => {
    expect(fields[1].slice(6, 8)).toEqual(["10/11/2017 12:30:00 PM", "10/11/2017 4:55:00 PM"]);
    // 11 Oct 2017 is MDT (UTC−6): 12:30 → 18:30Z, 4:55 PM → 22:55Z, +1 minute.
    expect(incidentRow(r.table, 1)).toMatchObject({ start: "2017-10-11T18:30:00.000Z", end: "2017-10-11T22:56:00.000Z", category: "larceny", subcategory: "theft-other" });
    expect(fields[2].slice(6, 8)).toEqual(["3/4/2016 8:00:00 PM", "4/25/2016 8:00:00 AM"]);
    // 4 Mar 2016 8 PM MST (UTC−7) = 5 Mar 03:00Z; 25 Apr 8 AM MDT (UTC−6) = 14:00Z.
    expect(incidentRow(r.table, 2)).toMatchObject({ start: "2016-03-05T03:00:00.000Z", end: "2016-04-25T14:01:00.000Z", location: "2932 S JOSEPHINE ST", district: "3", beat: "314", ward: "wellshire" });
  });
});

describe("Lancashire ASB 2022 (POLICE_UK_ASB_TAB)", async () => {
  const r = await readDelimitedFiles(LANCASHIRE, POLICE_UK_ASB_TAB);
  const lines = rawLines(LANCASHIRE);

  it("reconciles: 56,434 rows (README), month precision, British National Grid", () => {
    expect(lines.length).toBe(56_434);
    reconciles(r, 56_434);
    expect(r.summary.accepted).toBe(56_434);
    expect(countWhere(r.table.precision, (p) => p === PRECISION.month)).toBe(56_434);
    expect(r.table.crs).toBe("EPSG:27700");
  });

  it("counts each month as the text does, in London month windows", () => {
    const aug = lines.filter((l) => l.startsWith("2022-08-01\t")).length;
    const jan = lines.filter((l) => l.startsWith("2022-01-01\t")).length;
    // August is BST: local midnight 1 Aug = 31 Jul 23:00Z; January is GMT.
    expect(countWhere(r.table.start, (s, i) => s === min("2022-07-31T23:00Z") && r.table.end[i] === min("2022-08-31T23:00Z"))).toBe(aug);
    expect(countWhere(r.table.start, (s, i) => s === min("2022-01-01T00:00Z") && r.table.end[i] === min("2022-02-01T00:00Z"))).toBe(jan);
    expect([jan, aug]).toEqual([4_415, 5_672]);
  });

  it("3,597 locations read just 'On or near' (README) and become null", () => {
    expect(lines.filter((l) => l.split("\t")[3] === "On or near").length).toBe(3_597);
    expect(r.summary.notes.blankStreet).toBe(3_597);
    expect(countWhere(r.table.location.codes, (c) => c === 0)).toBe(3_597);
  });
});
