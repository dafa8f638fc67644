import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { combineIngests, readDelimited, readMapping, readPoliceUk, idValue, dictValue, projector, FLAG } from "@community-safety/core";
import { fixturePath } from "../helpers/data.js";
import { expectInputError } from "../helpers/errors.js";

const crime = () => readPoliceUk([{ name: "2021-03-good.csv", text: readFileSync(fixturePath("police-uk", "2021-03-good.csv"), "utf8") }]);
const asb = () => readDelimited([{ name: "council-asb.csv", text: readFileSync(fixturePath("generic", "area-only-asb.csv"), "utf8") }], readMapping(readFileSync(fixturePath("generic", "area-only-asb.mapping.json"), "utf8")));

describe("combineIngests", () => {
  it("concatenates the tables, lists the rejections together and adds up the reconciliation", () => {
    const a = crime();
    const b = asb();
    const c = combineIngests([a, b]);
    expect(c.table.length).toBe(a.table.length + b.table.length);
    expect(c.summary.rows).toBe(a.summary.rows + b.summary.rows);
    expect(c.summary.accepted + c.summary.rejected).toBe(c.summary.rows);
    expect(c.summary.files.map((f) => f.file)).toEqual([...a.summary.files, ...b.summary.files].map((f) => f.file));
    expect(c.rejected.length).toBe(a.rejected.length + b.rejected.length);
    for (const [k, v] of Object.entries(b.summary.notes)) expect(c.summary.notes[k]).toBe(v + (a.summary.notes[k] ?? 0));
    // Every row reads back as it was, ids and dictionary values included.
    const row = (t: typeof a.table, i: number) => [idValue(t.id, i), dictValue(t.source, i), dictValue(t.category, i), dictValue(t.ward, i), dictValue(t.district, i), t.start[i], t.end[i], t.precision[i], t.lon[i], t.lat[i]];
    for (let i = 0; i < a.table.length; ++i) expect(row(c.table, i)).toEqual(row(a.table, i));
    for (let i = 0; i < b.table.length; ++i) expect(row(c.table, a.table.length + i)).toEqual(row(b.table, i));
    expect(c.table.coverage).toEqual([...a.table.coverage, ...b.table.coverage]);
    expect(c.table.crs).toBe("EPSG:27700");
  });

  it("projects the points of an input in another CRS again from lon/lat", () => {
    const a = asb();
    const wgs = readDelimited([{ name: "fires.csv", text: "Ref,When,Lon,Lat\nF1,2021-07-20 21:00,-1.2,52.77\n" }], {
      columns: { id: "Ref", source: { value: "deliberate-fire" }, category: { value: "deliberate-secondary-fire" }, date: "When", lon: "Lon", lat: "Lat" },
      dateFormat: "yyyy-MM-dd HH:mm",
      zone: "Europe/London",
      crs: "EPSG:32630",
    });
    expect(wgs.table.crs).toBe("EPSG:32630");
    const c = combineIngests([a, wgs]);
    const [x, y] = projector("EPSG:27700").forward(-1.2, 52.77);
    const i = c.table.length - 1;
    expect([c.table.x[i], c.table.y[i]]).toEqual([x, y]);
    // Checked against the OS grid: 52.77 N, 1.2 W lies near SK 54 20 (about 454,000 E, 319,000 N).
    expect(Math.abs(x - 454000) < 2000 && Math.abs(y - 319000) < 2000).toBe(true);
  });

  it("keeps flags only where every input records them, and refuses inputs in different zones", () => {
    const flagged = readDelimited([{ name: "violence.csv", text: "Ref,When,Lon,Lat,DV\n1,2021-07-01 10:00,-1.2,52.77,Y\n" }], {
      columns: { id: "Ref", category: { value: "violence" }, date: "When", lon: "Lon", lat: "Lat", flags: { domestic: { field: "DV", values: ["Y"] } } },
      dateFormat: "yyyy-MM-dd HH:mm",
      zone: "Europe/London",
      crs: "EPSG:27700",
    });
    expect(flagged.table.flagsRecorded & FLAG.domestic).toBe(FLAG.domestic);
    expect(combineIngests([flagged, asb()]).table.flagsRecorded & FLAG.domestic).toBe(0);
    const ny = readDelimited([{ name: "ny.csv", text: "Ref,When,Lon,Lat\n1,2021-07-01 10:00,-74,40.7\n" }], { columns: { id: "Ref", category: { value: "robbery" }, date: "When", lon: "Lon", lat: "Lat" }, dateFormat: "yyyy-MM-dd HH:mm", zone: "America/New_York" });
    expectInputError(() => combineIngests([asb(), ny]), "invalid-option", "combineIngests: every input must reckon periods in one zone, got Europe/London and America/New_York");
    expectInputError(() => combineIngests([]), "invalid-option", "combineIngests: results must be a non-empty list of ingestion results, got []");
  });
});
