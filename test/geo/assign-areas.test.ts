import { describe, it, expect } from "vitest";
import { IncidentTableBuilder, projector, type InputError } from "@community-safety/core";
import { assignAreas, type PolygonFeatureCollection } from "@community-safety/geo";
import { ROWS, threeAreas, threeAreaTable } from "../fixtures/geo/three-areas.js";
import { thrownCodeAndMessage as thrown } from "../helpers/errors.js";

/** The fixture re-expressed in lon/lat (inverse BNG), with no crs member. */
function threeAreasLonLat(): PolygonFeatureCollection {
  const { inverse } = projector("EPSG:27700");
  const fc = threeAreas();
  delete fc.crs;
  const ring = (r: number[][]) => r.map(([x, y]) => inverse(x, y));
  for (const f of fc.features) {
    if (f.geometry.type === "Polygon") f.geometry.coordinates = f.geometry.coordinates.map(ring);
    else f.geometry.coordinates = f.geometry.coordinates.map((p) => p.map(ring));
  }
  return fc;
}

describe("assignAreas", () => {
  it("assignAreas(table, fc, { key }) gives each row its polygon by hand-worked position", () => {
    const r = assignAreas(threeAreaTable(), threeAreas(), { key: "name" });
    expect(Array.from(r.area)).toEqual(ROWS.map((row) => row[3]));
    expect(r.keys).toEqual(["A", "B", "C"]);
    // r3 (east of everything) and r5 (in C's hole) have a location but no polygon; r4 has no location.
    expect([r.unassigned, r.noLocation]).toEqual([2, 1]);
  });

  it("assignAreas(table, fc) projects a lon/lat file to the table's CRS", () => {
    const r = assignAreas(threeAreaTable(), threeAreasLonLat(), { key: "name" });
    // Points off the edges land as in metres (the round trip moves vertices by far less than a mm);
    // the edge points r1 and r8 are left out because a round trip may move an edge by an ulp.
    const want = ROWS.map((row) => row[3]);
    for (const i of [0, 2, 3, 4, 5, 6, 7]) expect([i, r.area[i]]).toEqual([i, want[i]]);
  });

  it("assignAreas(table, fc, { key }) turns numeric keys into strings and lets features share a key", () => {
    const fc = threeAreas();
    fc.features[0].properties = { name: 7 };
    fc.features[1].properties = { name: 7 };
    expect(assignAreas(threeAreaTable(), fc, { key: "name" }).keys).toEqual(["7", "7", "C"]);
  });

  it("assignAreas on an empty table or an empty collection", () => {
    const empty = new IncidentTableBuilder("Europe/London", "EPSG:27700").finish();
    const r = assignAreas(empty, threeAreas(), { key: "name" });
    expect([r.area.length, r.unassigned, r.noLocation]).toEqual([0, 0, 0]);
    const none = assignAreas(threeAreaTable(), { type: "FeatureCollection", features: [] }, { key: "name" });
    expect([Array.from(none.area), none.keys, none.unassigned, none.noLocation]).toEqual([ROWS.map(() => -1), [], 8, 1]);
  });

  it("assignAreas throws missing-field naming the feature without the key", () => {
    const fc = threeAreas();
    fc.features[2].properties = { district: "South" };
    expect(thrown(() => assignAreas(threeAreaTable(), fc, { key: "name" }))).toEqual([
      "missing-field",
      "assignAreas: features[2].properties.name must be present (the key option), got null",
    ]);
  });

  it("assignAreas throws invalid-option for a bad key and invalid-input for bad GeoJSON", () => {
    expect(thrown(() => assignAreas(threeAreaTable(), threeAreas(), { key: "" }))?.[0]).toBe("invalid-option");
    expect(thrown(() => assignAreas(threeAreaTable(), threeAreas(), {} as never))?.[1]).toBe("assignAreas: key must be a non-empty property name, got undefined");
    const fc = threeAreas() as unknown as { features: { geometry: unknown }[] };
    fc.features[1].geometry = { type: "LineString", coordinates: [[0, 0], [1, 1]] };
    expect(thrown(() => assignAreas(threeAreaTable(), fc as unknown as PolygonFeatureCollection, { key: "name" }))).toEqual([
      "invalid-input",
      'assignAreas: features[1].geometry.type must be "Polygon" or "MultiPolygon", got "LineString"',
    ]);
    expect(thrown(() => assignAreas(threeAreaTable(), { type: "Topology" } as unknown as PolygonFeatureCollection, { key: "name" }))?.[0]).toBe("invalid-input");
  });

  it("assignAreas does not modify the table or the collection", () => {
    const table = threeAreaTable();
    const fc = threeAreas();
    const before = [JSON.stringify(fc), Array.from(table.x), Array.from(table.beat.codes), [...table.beat.values]];
    assignAreas(table, fc, { key: "name" });
    expect([JSON.stringify(fc), Array.from(table.x), Array.from(table.beat.codes), [...table.beat.values]]).toEqual(before);
  });
});
