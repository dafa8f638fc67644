import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { csvParse } from "d3-dsv";
import { readdirSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import {
  readPoliceUk,
  incidentRow,
  incidentRows,
  InputError,
  projector,
  levels,
  selectRows,
  lsoaNamePrefixTest,
  tableBytes,
  parsePeriod,
} from "@community-safety/core";
import { readPoliceUkFiles } from "@community-safety/core/node";
import { dataPath, fixturePath } from "../helpers/data.js";

const fixture = (name: string) => ({ name, text: readFileSync(fixturePath("police-uk", name), "utf8") });

describe("readPoliceUk on crafted files", () => {
  it("reads BOM, CRLF, quoted fields, blank ASB ids, No Location and a blank street", () => {
    const { table, rejected, summary } = readPoliceUk([fixture("2021-03-good.csv")]);
    expect(rejected).toEqual([]);
    expect(summary).toMatchObject({ rows: 4, accepted: 4, rejected: 0 });
    expect(summary.notes).toEqual({ noLocation: 1, blankStreet: 1, blankCrimeId: 0 });
    const rows = incidentRows(table);
    expect(rows.map((r) => r.category)).toEqual(["anti-social-behaviour", "burglary", "violent-crime", "shoplifting"]);
    expect(rows.map((r) => r.source)).toEqual(["asb-incident", "police-recorded-crime", "police-recorded-crime", "police-recorded-crime"]);
    expect(rows[0].id).toBeNull();
    expect(rows[1].id).toBe("a".repeat(64));
    expect(rows[1].location).toBe("Ellis Park, Glenfield");
    expect(rows[3].location).toBeNull(); // "On or near " with no name
    expect(rows[2]).toMatchObject({ x: null, y: null, lsoa: null, district: null, location: null });
    expect(rows[0]).toMatchObject({ lsoa: "E01025670", district: "Charnwood", location: "Market Place", precision: "month" });
    expect(table.areaNames.get("E01025670")).toBe("Charnwood 022A");
    // March 2021: local midnight 1 March (GMT) to local midnight 1 April (BST) — hand-worked instants.
    expect(rows[0].start).toBe("2021-03-01T00:00:00.000Z");
    expect(rows[0].end).toBe("2021-03-31T23:00:00.000Z");
  });

  it("keeps the latest month of a Crime ID seen in two files and rejects the earlier copy", () => {
    const { table, rejected, summary } = readPoliceUk([fixture("2021-03-good.csv"), fixture("2021-04-repeat.csv")]);
    expect(summary).toMatchObject({ rows: 5, accepted: 4, rejected: 1, byReason: { "duplicate-id": 1 } });
    expect(rejected[0]).toMatchObject({ file: "2021-03-good.csv", row: 2, line: 3, field: "Crime ID", value: "a".repeat(64), reason: "duplicate-id" });
    expect(rejected[0].message).toContain("2021-04 at line 2 of 2021-04-repeat.csv");
    const burglary = incidentRows(table).find((r) => r.category === "burglary")!;
    expect(burglary.outcome).toBe("Offender given a caution");
    // Same rule whatever the file order.
    const reversed = readPoliceUk([fixture("2021-04-repeat.csv"), fixture("2021-03-good.csv")]);
    expect(incidentRows(reversed.table).find((r) => r.category === "burglary")!.outcome).toBe("Offender given a caution");
    expect(reversed.rejected[0].file).toBe("2021-03-good.csv");
    // dedupe: "none" keeps both copies.
    expect(readPoliceUk([fixture("2021-03-good.csv"), fixture("2021-04-repeat.csv")], { dedupe: "none" }).summary.accepted).toBe(5);
  });

  it("rejects each bad row with its row, line, field and reason, and accounts for every row", () => {
    const { rejected, summary } = readPoliceUk([fixture("2021-05-bad-rows.csv")]);
    expect(summary).toMatchObject({ rows: 8, accepted: 1, rejected: 7 });
    expect(rejected.map((r) => [r.row, r.line, r.field, r.reason])).toEqual([
      [1, 2, "Month", "invalid-date"],
      [2, 3, "Longitude", "invalid-coordinate"],
      [3, 4, "Latitude", "invalid-coordinate"],
      [4, 5, "Longitude", "null-island"],
      [5, 6, null, "ragged-row"],
      [6, 7, "Crime type", "unknown-category"],
      [7, 8, "Longitude", "outside-bounds"],
    ]);
    expect(rejected[0].message).toBe('Month must be YYYY-MM, got "2021-13"');
    expect(rejected[1].value).toBe("west");
    expect(rejected[4].message).toBe("row has 9 fields, the header has 12");
    expect(rejected[5].value).toBe("Joyriding");
    expect(summary.files).toEqual([{ file: "2021-05-bad-rows.csv", rows: 8, accepted: 1, rejected: 7, blankLines: 0 }]);
  });

  it("fails at once naming every missing required column", () => {
    try {
      readPoliceUk([fixture("missing-columns.csv")]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).code).toBe("missing-field");
      expect((e as Error).message).toMatch(/^readPoliceUk: file "missing-columns.csv" is missing required columns "LSOA code", "Crime type" \(header: /);
    }
  });

  it("fails on an empty file with empty-input", () => {
    expect(() => readPoliceUk([fixture("empty.csv")])).toThrow(expect.objectContaining({ code: "empty-input" }));
  });

  it("rejects a point far from the rest of its force as far-outside-area", () => {
    const H = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n";
    const near = Array.from({ length: 9 }, (_, k) => `,2021-05,F,F,-1.${20 + k},52.7,On or near A,E01,Charnwood 001A,Drugs,,\n`).join("");
    // Wandsworth (London) is about 150 km from Loughborough.
    const far = ",2021-05,F,F,-0.165967,51.456466,On or near Z,E02,Wandsworth 001A,Drugs,,\n";
    const { rejected, summary } = readPoliceUk(H + near + far);
    expect(summary).toMatchObject({ rows: 10, accepted: 9, rejected: 1 });
    expect(rejected[0]).toMatchObject({ row: 10, line: 11, reason: "far-outside-area" });
    expect(readPoliceUk(H + near + far, { maxDistanceKm: Infinity }).summary.accepted).toBe(10);
  });

  it("validates options", () => {
    expect(() => readPoliceUk("", { dedupe: "first" as never })).toThrow('readPoliceUk: dedupe must be "latest" or "none", got "first"');
    expect(() => readPoliceUk("", { maxDistanceKm: 0 })).toThrow(/maxDistanceKm must be a positive number/);
    expect(() => readPoliceUk("", { bounds: [1, 2, 0, 3] })).toThrow(/bounds must be/);
  });
});

describe("British National Grid projection", () => {
  it("matches Ordnance Survey's worked example to within the 7-parameter Helmert's few metres", () => {
    // OS "A guide to coordinate systems in Great Britain" / OSTN15 worked example (Caister water tower):
    // ETRS89 52°39'28.8282"N 1°42'57.8663"E -> OSGB36 National Grid E 651409.903, N 313177.270.
    const lat = 52 + 39 / 60 + 28.8282 / 3600;
    const lon = 1 + 42 / 60 + 57.8663 / 3600;
    const [x, y] = projector("EPSG:27700").forward(lon, lat);
    expect(Math.hypot(x - 651409.903, y - 313177.27)).toBeLessThan(5);
  });
});

// Exact counts of the raw files made independently in R (read.csv, sf/PROJ for the 100 km
// rule): test/fixtures/police-uk/leicestershire-counts.R → leicestershire-counts.json.
interface RawCounts {
  files: number;
  rows: number;
  perFile: Record<string, number>;
  /** Over the accepted rows (IngestSummary.notes), and over every row for reference. */
  notes: { noLocation: number; blankStreet: number; blankCrimeId: number };
  notesAllRows: { noLocation: number; blankStreet: number; blankCrimeId: number };
  duplicateIds: number;
  duplicateCopiesRejected: number;
  farOutsideArea: number;
  farDistanceGapKm: [number, number | null];
  accepted: number;
  rejected: number;
  charnwood: number;
  charnwoodByFinancialYear: Record<string, number>;
}
const rawCounts = JSON.parse(readFileSync(fixturePath("police-uk", "leicestershire-counts.json"), "utf8")) as { county: RawCounts; forceWide2022_10: RawCounts };

describe("readPoliceUkFiles on real Leicestershire data", () => {
  const folder = dataPath("policeuk-leicestershire", "county-2019-12_2022-10");

  it("accounts for every row of the 35 county files", async () => {
    const { table, rejected, summary } = await readPoliceUkFiles(folder);
    const R = rawCounts.county;
    // Published in the data README: 160,246 rows in 35 files; 7,463 "No Location" rows force-wide
    // in 2019-22, all kept in the county subset (blank LSOA name). R counts the same.
    expect(summary.files.length).toBe(35);
    expect(summary.rows).toBe(160246);
    expect(R.rows).toBe(160246);
    expect(summary.files.map((f) => [f.file, f.rows])).toEqual(Object.entries(R.perFile));
    // Notes count accepted rows (IngestSummary.notes): 5 of the 2,937 blank-street rows are among
    // the far-away points rejected, so 2,932 remain (R).
    expect(summary.notes).toEqual(R.notes);
    expect(R.notes.noLocation).toBe(7463);
    expect([R.notesAllRows.blankStreet, R.notes.blankStreet]).toEqual([2937, 2932]);
    // R: 5 repeated Crime IDs (one in 4 months, four in 2) → 7 earlier copies rejected; 68 points more than
    // 100 km from the force's median point (none between 97.7 and 115.2 km, so the count does
    // not hang on how the median is taken).
    expect(summary.byReason).toEqual({ "duplicate-id": R.duplicateCopiesRejected, "far-outside-area": R.farOutsideArea });
    expect([R.duplicateCopiesRejected, R.farOutsideArea]).toEqual([7, 68]);
    expect(R.farDistanceGapKm[0]).toBeLessThan(99);
    expect(R.farDistanceGapKm[1]).toBeGreaterThan(101);
    expect(new Set(rejected.filter((r) => r.reason === "duplicate-id").map((r) => r.value)).size).toBe(R.duplicateIds);
    expect([summary.accepted, summary.rejected]).toEqual([R.accepted, R.rejected]);
    expect(summary.accepted + summary.rejected).toBe(summary.rows);
    expect(rejected.length).toBe(summary.rejected);
    expect(table.length).toBe(summary.accepted);
    // Far points are the geocoding errors the README describes (London, York, Barrow…), all > 100 km away.
    for (const r of rejected.filter((r) => r.reason === "far-outside-area")) {
      const [lon, lat] = r.value!.split(",").map(Number);
      expect(Math.abs(lon + 1.1) > 0.9 || Math.abs(lat - 52.65) > 0.9).toBe(true);
    }
    expect(tableBytes(table) / table.length).toBeLessThan(100);
  });

  it("Charnwood counts by financial year × crime type equal an independent count of the raw files", async () => {
    // Independent count: d3-dsv parses each gunzipped file; a row is Charnwood when its
    // LSOA name starts with "Charnwood "; the financial year comes from the Month string
    // (April onwards → that year); a Crime ID seen in several months counts once, in its
    // latest month (our documented rule); ASB rows (blank ID) always count.
    const latest = new Map<string, { month: string; type: string; charnwood: boolean }>();
    const asb: { month: string; type: string; charnwood: boolean }[] = [];
    let rawFy2021 = 0;
    let rawAsb2021 = 0;
    for (const f of readdirSync(folder).sort()) {
      for (const r of csvParse(gunzipSync(readFileSync(`${folder}/${f}`)).toString("utf8"))) {
        const rec = { month: r["Month"]!, type: r["Crime type"]!, charnwood: (r["LSOA name"] ?? "").startsWith("Charnwood ") };
        if (rec.charnwood && rec.month >= "2020-04" && rec.month <= "2021-03") {
          rawFy2021 += 1;
          if (rec.type === "Anti-social behaviour") rawAsb2021 += 1;
        }
        const id = r["Crime ID"]!;
        if (id === "") asb.push(rec);
        else if (!latest.has(id) || latest.get(id)!.month <= rec.month) latest.set(id, rec);
      }
    }
    // The data README publishes Charnwood FY2020/21 = 13,848 rows, of which ASB 2,176.
    expect(rawFy2021).toBe(13848);
    expect(rawAsb2021).toBe(2176);
    const expected = new Map<string, number>();
    for (const rec of [...asb, ...latest.values()]) {
      if (!rec.charnwood) continue;
      const [y, m] = rec.month.split("-").map(Number);
      const fy = m >= 4 ? y : y - 1;
      const key = `${fy}/${String((fy + 1) % 100).padStart(2, "0")}|${rec.type}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }

    const { table } = await readPoliceUkFiles(folder);
    const charnwood = selectRows(table, lsoaNamePrefixTest(table, "Charnwood"));
    const result = levels(charnwood, { by: ["period", "category"], periods: "financialYear" });
    const labels = new Map([
      ["anti-social-behaviour", "Anti-social behaviour"], ["bicycle-theft", "Bicycle theft"], ["burglary", "Burglary"],
      ["criminal-damage-arson", "Criminal damage and arson"], ["drugs", "Drugs"], ["other-crime", "Other crime"],
      ["other-theft", "Other theft"], ["possession-of-weapons", "Possession of weapons"], ["public-order", "Public order"],
      ["robbery", "Robbery"], ["shoplifting", "Shoplifting"], ["theft-from-the-person", "Theft from the person"],
      ["vehicle-crime", "Vehicle crime"], ["violent-crime", "Violence and sexual offences"],
    ]);
    const ours = new Map(result.rows.map((r) => [`${r.period}|${labels.get(r.category as string)}`, r.count]));
    expect(result.rows.length).toBe(4 * 14); // 2019/20 (Dec–Mar) … 2022/23 (Apr–Oct), zero-filled
    for (const [key, n] of expected) expect(ours.get(key), key).toBe(n);
    expect(result.total).toBe(charnwood.length);
    expect([...expected.values()].reduce((a, b) => a + b, 0)).toBe(charnwood.length);
    // FY2021/22: the data README publishes 15,854 raw rows; one of them (Charnwood 002G, 2021-10)
    // is an earlier copy of a Crime ID repeated in 2022-01, so 15,853 remain (R,
    // leicestershire-counts.R, and the d3-dsv count above).
    const byFy = new Map<string, number>();
    for (const r of result.rows) byFy.set(r.period as string, (byFy.get(r.period as string) ?? 0) + r.count);
    expect(Object.fromEntries(byFy)).toEqual(rawCounts.county.charnwoodByFinancialYear);
    expect(byFy.get("2021/22")).toBe(15853);
    expect(byFy.get("2020/21")).toBe(13848); // as published: no repeated ID falls in FY2020/21
    expect(charnwood.length).toBe(rawCounts.county.charnwood);
    expect(parsePeriod("2021/22").key).toBe("2021/22");
  });

  it("incidentRow of a real record keeps month precision (no day or hour invented)", async () => {
    const { table, summary } = await readPoliceUkFiles(dataPath("policeuk-leicestershire", "raw-force-wide-sample", "2022-10-leicestershire-street.csv.gz"));
    // Data README: 9,802 rows; R (leicestershire-counts.R): no repeated ID, no point beyond 100 km.
    expect(summary.rows).toBe(9802);
    expect(table.length).toBe(rawCounts.forceWide2022_10.accepted);
    expect(rawCounts.forceWide2022_10.accepted).toBe(9802);
    expect(summary.notes).toEqual(rawCounts.forceWide2022_10.notes);
    const r = incidentRow(table, 0);
    expect(r.precision).toBe("month");
    expect(r.start).toBe("2022-09-30T23:00:00.000Z"); // midnight BST, 1 October 2022
    expect(r.end).toBe("2022-11-01T00:00:00.000Z"); // midnight GMT, 1 November 2022
  });
});
