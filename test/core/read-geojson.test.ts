import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { readGeoJsonPoints, incidentRows, projector, InputError, type ReadGeoJsonPointsOptions } from "@community-safety/core";
import { fixturePath } from "../helpers/data.js";
import { thrownInputError as thrown } from "../helpers/errors.js";

const points = () => JSON.parse(readFileSync(fixturePath("generic", "points.geojson"), "utf8")) as { type: string; features: unknown[] };

const OPTIONS: ReadGeoJsonPointsOptions = {
  columns: { date: "date", category: { value: "aggravated-assault" }, subcategory: "place", district: "district" },
  dateFormat: "yyyy-MM-dd HH:mm",
  zone: "America/Chicago",
};

describe("readGeoJsonPoints", () => {
  it("readGeoJsonPoints(fc, options) keeps Point features and rejects the rest by feature position", () => {
    const { table, rejected, summary } = readGeoJsonPoints(points(), OPTIONS);
    // row = 1-based feature position: features[row - 1].
    expect(rejected.map((r) => [r.file, r.row, r.line, r.field, r.value, r.reason])).toEqual([
      ["features", 2, 2, "geometry", "LineString", "invalid-value"],
      ["features", 4, 4, "geometry.coordinates", '["-87.6683","41.7513"]', "invalid-coordinate"],
      ["features", 5, 5, "geometry.coordinates[0]", "200", "invalid-coordinate"],
      ["features", 6, 6, "type", '"Point"', "invalid-value"],
      ["features", 7, 7, "date", "2010-13-01 00:30", "invalid-date"],
      ["features", 8, 8, "geometry.coordinates[0]", "0,0", "null-island"],
    ]);
    expect(rejected[0].message).toBe("features[1] has a LineString geometry; only Point features are incidents");
    expect(summary).toMatchObject({ rows: 9, accepted: 3, rejected: 6, notes: { noLocation: 1 } });
    const rows = incidentRows(table);
    expect(rows.map((r) => [r.start, r.subcategory, r.district, r.lon, r.lat])).toEqual([
      // 1 Jan 2010 00:05 CST (UTC−6) = 06:05Z; the numeric district property reads as text.
      ["2010-01-01T06:05:00.000Z", "residence", "2", -87.6277, 41.7922],
      ["2010-01-01T06:12:00.000Z", "street", "6", null, null],
      // 14 Mar 2010 02:30 does not exist (02:00 CST → 03:00 CDT): 03:30 CDT = 08:30Z. Altitude ignored.
      ["2010-03-14T08:30:00.000Z", "hotel", "1", -87.6242, 41.8727],
    ]);
    // −87.63° is in UTM zone 16 (−90° to −84°).
    expect(table.crs).toBe("EPSG:32616");
    const [x, y] = projector("EPSG:32616").forward(-87.6277, 41.7922);
    expect([table.x[0], table.y[0]]).toEqual([x, y]);
  });

  it("requireLocation rejects features with a null geometry", () => {
    const { rejected } = readGeoJsonPoints(points(), { ...OPTIONS, requireLocation: "point" });
    expect(rejected.filter((r) => r.reason === "missing-value").map((r) => [r.row, r.field])).toEqual([[3, "geometry.coordinates[0]"]]);
    // requireLocation: true keeps it: its district property locates it (an area-only row).
    const located = readGeoJsonPoints(points(), { ...OPTIONS, requireLocation: true });
    expect([located.rejected.some((r) => r.reason === "missing-value"), located.summary.notes.areaOnly]).toEqual([false, 1]);
  });

  it("an empty collection gives an empty table", () => {
    const { table, summary } = readGeoJsonPoints({ type: "FeatureCollection", features: [] }, OPTIONS);
    expect([table.length, summary.rows]).toEqual([0, 0]);
  });

  it("throws invalid-input for a non-collection, missing-field for unknown properties, invalid-option for coordinate columns", () => {
    expect(thrown(() => readGeoJsonPoints({ type: "Feature" }, OPTIONS)).code).toBe("invalid-input");
    const e = thrown(() => readGeoJsonPoints(points(), { ...OPTIONS, columns: { ...OPTIONS.columns, beat: "beat", ward: "ward" } }));
    expect([e.code, e.message]).toEqual(["missing-field", 'readGeoJsonPoints: no feature has properties "ward", "beat" named in the mapping']);
    const o = thrown(() => readGeoJsonPoints(points(), { ...OPTIONS, columns: { ...OPTIONS.columns, lon: "lon" } as never }));
    expect([o.code, o.message]).toEqual(["invalid-option", 'readGeoJsonPoints: columns.lon must be absent: GeoJSON points take their coordinates from the geometry, got "lon"']);
  });

  it("does not mutate the collection", () => {
    const fc = points();
    const before = JSON.stringify(fc);
    readGeoJsonPoints(fc, OPTIONS);
    expect(JSON.stringify(fc)).toBe(before);
  });
});
