import { failInput } from "@community-safety/core";
import type { IncidentTable } from "@community-safety/core";
import { PolygonIndex } from "./polygon-index.js";
import { polygonLayer, type PolygonFeatureCollection, type PolygonLayer } from "./polygon-layer.js";

/** Options for {@link assignAreas}. */
export interface AssignAreasOptions {
  /** The feature property that names each area (`"Name"`, `"cmwd11cd"`, `"LSOA11CD"`). Required. */
  key: string;
  /**
   * CRS of the GeoJSON coordinates. Default: the file's legacy `crs` member, else
   * `"EPSG:4326"` (RFC 7946). Lon/lat is projected once to `table.crs`; a file already in
   * `table.crs` (e.g. ONS boundaries in `"EPSG:27700"`) is used as is.
   */
  crs?: string;
}

/** What {@link assignAreas} returns. */
export interface AssignAreasResult {
  /** For each row, the index of the feature containing it, or -1 (no location, or no polygon). */
  readonly area: Int32Array;
  /** For each feature, its `key` property as a string; several features may share a key (a multi-part area). */
  readonly keys: string[];
  /** Rows with a location that fell in no polygon. */
  readonly unassigned: number;
  /** Rows without a location (`x` or `y` NaN). */
  readonly noLocation: number;
}

/**
 * Returns, for each incident, the polygon (beat, ward, LSOA, district) containing it, by
 * indexed point-in-polygon on the table's projected `x`/`y` ({@link PolygonIndex}: flatbush
 * over parts, even–odd ray casting with holes, and the half-open edge rule — a point on an
 * edge shared by two polygons goes to exactly one, the polygon to its right, or above a
 * horizontal edge). Where polygons overlap, the lowest feature index wins. Rows in no polygon
 * are counted in `unassigned`, rows without coordinates in `noLocation`; neither is an error.
 * An empty table gives an empty `area`; an empty collection assigns nothing.
 *
 * Write the result into a column with {@link withAreaColumn}; count per area by
 * looping over `area`.
 *
 * @throws InputError `invalid-option` when `key` is not a non-empty string (or for the CRS
 *   rules of {@link polygonLayer}).
 * @throws InputError `missing-field` when a feature (named by its index) lacks the `key` property.
 * @throws InputError `invalid-input` / `invalid-coordinate` for malformed GeoJSON, naming the
 *   feature index (see {@link polygonLayer}).
 * @example
 * const { area, keys, unassigned } = assignAreas(table, districts, { key: "Name" });
 * keys[area[0]]; // => "12"
 */
export function assignAreas(table: IncidentTable, featureCollection: PolygonFeatureCollection, options: AssignAreasOptions): AssignAreasResult {
  const fn = "assignAreas";
  const { key, crs } = options ?? ({} as AssignAreasOptions);
  checkKey(fn, key);
  const layer = polygonLayer(featureCollection, { target: table.crs, crs, caller: fn });
  const keys = featureKeys(fn, layer, key);
  const index = new PolygonIndex(layer.rings);
  const area = index.findEach(table.x, table.y);
  let unassigned = 0;
  let noLocation = 0;
  const { x, y } = table;
  for (let i = 0; i < area.length; ++i) {
    if (area[i] >= 0) continue;
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) ++noLocation;
    else ++unassigned;
  }
  return { area, keys, unassigned, noLocation };
}

/** @internal Validates a `key` option. */
export function checkKey(fn: string, key: unknown): asserts key is string {
  if (typeof key !== "string" || key === "") failInput("invalid-option", fn, "key", "a non-empty property name", key);
}

/** @internal Each feature's `key` property as a string; throws `missing-field` naming the first feature without one. */
export function featureKeys(fn: string, layer: PolygonLayer, key: string): string[] {
  const keys = new Array<string>(layer.properties.length);
  for (let f = 0; f < keys.length; ++f) {
    const v = layer.properties[f][key];
    if (v === undefined || v === null || v === "") failInput("missing-field", fn, `features[${f}].properties.${key}`, "present (the key option)", v ?? null);
    keys[f] = String(v);
  }
  return keys;
}
