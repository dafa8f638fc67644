import { describe, it, expect } from "vitest";
import { projector, type InputError } from "@community-safety/core";
import { polygonLayer, type PolygonFeatureCollection } from "@community-safety/geo";
import { threeAreas } from "../fixtures/geo/three-areas.js";
import { thrownCodeAndMessage as thrown } from "../helpers/errors.js";

const square = (lon: number, lat: number, d = 0.01) => [
  [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]],
];

describe("polygonLayer", () => {
  it("polygonLayer(fc, { target }) flattens Polygon and MultiPolygon features into CSR rings", () => {
    const layer = polygonLayer(threeAreas(), { target: "EPSG:27700" });
    // Counted by hand from the fixture: A 1 part/1 ring, B 1/1, C 2 parts with 2 + 1 rings; 5 vertices per ring.
    expect(Array.from(layer.rings.featureOffsets)).toEqual([0, 1, 2, 4]);
    expect(Array.from(layer.rings.partOffsets)).toEqual([0, 1, 2, 4, 5]);
    expect(Array.from(layer.rings.ringOffsets)).toEqual([0, 5, 10, 15, 20, 25]);
    expect(Array.from(layer.rings.coords.subarray(30, 34))).toEqual([450400, 319400, 450600, 319400]); // the hole, as written
    expect(layer.properties.map((p) => p.name)).toEqual(["A", "B", "C"]);
    expect([layer.crs, layer.sourceCrs]).toEqual(["EPSG:27700", "EPSG:27700"]); // read from the legacy crs member
  });

  it("polygonLayer(fc, { target }) projects lon/lat once with core's projector", () => {
    const fc = { type: "FeatureCollection", features: [{ type: "Feature", properties: null, geometry: { type: "Polygon", coordinates: square(-1.2, 52.77) } }] };
    const layer = polygonLayer(fc as PolygonFeatureCollection, { target: "EPSG:27700" });
    const [x, y] = projector("EPSG:27700").forward(-1.19, 52.78); // third vertex
    expect([layer.rings.coords[4], layer.rings.coords[5]]).toEqual([x, y]);
    // Loughborough is near BNG (454000, 319000): a sanity check that this is metres, not degrees.
    expect(Math.abs(x - 454_000) < 5_000 && Math.abs(y - 319_000) < 5_000).toBe(true);
    expect([layer.sourceCrs, layer.properties[0]]).toEqual(["EPSG:4326", {}]);
  });

  it("polygonLayer(fc, { target }) honours a CRS84 crs member and the crs option", () => {
    const fc = {
      type: "FeatureCollection",
      crs: { type: "name", properties: { name: "urn:ogc:def:crs:OGC:1.3:CRS84" } },
      features: [{ type: "Feature", properties: {}, geometry: { type: "Polygon", coordinates: square(-1.2, 52.77) } }],
    } as PolygonFeatureCollection;
    expect(polygonLayer(fc, { target: "EPSG:27700" }).sourceCrs).toBe("EPSG:4326");
    // The option overrides the member (here wrongly: the same numbers read as metres).
    expect(polygonLayer(fc, { target: "EPSG:27700", crs: "EPSG:27700" }).rings.coords[0]).toBe(-1.2);
  });

  it("polygonLayer(fc) on an empty collection gives an empty layer", () => {
    const layer = polygonLayer({ type: "FeatureCollection", features: [] }, { target: "EPSG:27700" });
    expect([layer.rings.coords.length, Array.from(layer.rings.featureOffsets), layer.properties]).toEqual([0, [0], []]);
  });

  it("polygonLayer(fc) throws invalid-input naming the feature for non-polygon or malformed geometry", () => {
    const fc = (geometry: unknown, extra: unknown[] = []) =>
      ({ type: "FeatureCollection", features: [{ type: "Feature", properties: {}, geometry: { type: "Polygon", coordinates: square(0, 0) } }, { type: "Feature", properties: {}, geometry }, ...extra] }) as unknown as PolygonFeatureCollection;
    const opts = { target: "EPSG:27700" };
    expect(thrown(() => polygonLayer(fc({ type: "Point", coordinates: [0, 0] }), opts))).toEqual([
      "invalid-input",
      'polygonLayer: features[1].geometry.type must be "Polygon" or "MultiPolygon", got "Point"',
    ]);
    expect(thrown(() => polygonLayer(fc(null), opts))).toEqual(["invalid-input", "polygonLayer: features[1].geometry must be a Polygon or MultiPolygon, got null"]);
    expect(thrown(() => polygonLayer(fc({ type: "Polygon", coordinates: [[[0, 0], [1, 1]]] }), opts))?.[1]).toMatch(/^polygonLayer: features\[1\] ring must be an array of at least 3 positions/);
    expect(thrown(() => polygonLayer(fc({ type: "MultiPolygon", coordinates: [] }), opts))?.[0]).toBe("invalid-input");
    expect(thrown(() => polygonLayer(fc({ type: "Polygon", coordinates: [[[0, 0], [1, "a"], [1, 1]]] }), opts))).toEqual([
      "invalid-coordinate",
      'polygonLayer: features[1] positions must be [x, y] pairs of finite numbers, got [1,"a"]',
    ]);
    const notFeature = { type: "FeatureCollection", features: [{ type: "Polygon", coordinates: square(0, 0) }] } as unknown as PolygonFeatureCollection;
    expect(thrown(() => polygonLayer(notFeature, opts))).toEqual(["invalid-input", 'polygonLayer: features[0] must be a GeoJSON Feature, got {"type":"Polygon"}']);
  });

  it("polygonLayer(x) throws invalid-input when x is not a FeatureCollection", () => {
    for (const x of [null, [], { type: "Feature" }, { type: "FeatureCollection" }]) {
      expect(thrown(() => polygonLayer(x as unknown as PolygonFeatureCollection, { target: "EPSG:27700" }))?.[0]).toBe("invalid-input");
    }
    expect(thrown(() => polygonLayer({ type: "Feature" } as unknown as PolygonFeatureCollection, { target: "EPSG:27700" }))?.[1]).toBe(
      'polygonLayer: featureCollection must be a GeoJSON FeatureCollection, got {"type":"Feature"}',
    );
  });

  it("polygonLayer(fc) throws invalid-coordinate for metres read as lon/lat", () => {
    const fc = threeAreas();
    delete fc.crs;
    expect(thrown(() => polygonLayer(fc, { target: "EPSG:27700" }))).toEqual([
      "invalid-coordinate",
      'polygonLayer: features[0] positions must be lon/lat degrees for crs "EPSG:4326", got [450000,318000] (a projected file? pass its crs)',
    ]);
  });

  it("polygonLayer(fc, options) throws invalid-option for a missing target or an unusable crs", () => {
    expect(thrown(() => polygonLayer(threeAreas(), {} as never))?.[0]).toBe("invalid-option");
    expect(thrown(() => polygonLayer(threeAreas(), { target: "EPSG:32630" }))).toEqual([
      "invalid-option",
      'polygonLayer: crs must be "EPSG:4326" or the target CRS "EPSG:32630", got "EPSG:27700"',
    ]);
    expect(thrown(() => polygonLayer(threeAreas(), { target: "EPSG:4326", crs: "CRS84" }))?.[0]).toBe("invalid-option");
    const odd = { ...threeAreas(), crs: { type: "link", properties: {} } };
    expect(thrown(() => polygonLayer(odd, { target: "EPSG:27700" }))?.[0]).toBe("invalid-input");
  });

  it("polygonLayer(fc) does not modify its input", () => {
    const fc = threeAreas();
    const before = JSON.stringify(fc);
    polygonLayer(fc, { target: "EPSG:27700" });
    expect(JSON.stringify(fc)).toBe(before);
  });
});
