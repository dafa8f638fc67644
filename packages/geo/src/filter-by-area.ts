import { selectRows, type IncidentTable, describeValue, failInput } from "@community-safety/core";
import { checkKey, featureKeys } from "./assign-areas.js";
import { PolygonIndex, type PolygonRings } from "./polygon-index.js";
import { polygonLayer, type PolygonFeatureCollection } from "./polygon-layer.js";

/** Options for {@link filterByArea}. */
export interface FilterByAreaOptions {
  /**
   * The feature property naming areas. Required with `value`; ignored without it.
   */
  key?: string;
  /**
   * Keep rows inside the features whose `key` property equals this (compared as strings;
   * several features with one key form one area). Default: keep rows inside any feature
   * (a boundary file holding just the area).
   */
  value?: string;
  /** CRS of the GeoJSON coordinates, as in {@link AssignAreasOptions.crs}. */
  crs?: string;
}

/** What {@link filterByArea} returns. */
export interface FilterByAreaResult {
  /** A new table of the rows inside the area, in their original order. */
  readonly table: IncidentTable;
  /** Rows kept (`table.length`). */
  readonly kept: number;
  /** Rows with a location outside the area. */
  readonly outside: number;
  /** Rows without a location (dropped: they cannot be placed in the area). */
  readonly noLocation: number;
}

/**
 * Returns the rows of `table` inside one named area of a boundary file (or inside any of its
 * features), as a new table, with counts of the rows dropped — the `--area <boundary file>`
 * filter. Containment follows {@link PolygonIndex}: even–odd with holes, half-open edges (a
 * point on the area's left or bottom boundary is in, on its right or top boundary out). The
 * input table is not modified. An empty table gives an empty table.
 *
 * @throws InputError `invalid-option` when `value` is given without a `key`, or no feature
 *   has `key` equal to `value` (the message lists some that do exist).
 * @throws InputError `missing-field`, `invalid-input`, `invalid-coordinate` for malformed
 *   GeoJSON, naming the feature index (as {@link assignAreas}).
 * @example
 * const { table: charnwood, kept, outside } = filterByArea(table, csps, { key: "AREANM", value: "Charnwood" });
 * kept === charnwood.length; // => true
 */
export function filterByArea(table: IncidentTable, featureCollection: PolygonFeatureCollection, options: FilterByAreaOptions = {}): FilterByAreaResult {
  const fn = "filterByArea";
  const { key, value, crs } = options ?? {};
  if (value !== undefined) {
    if (typeof value !== "string") failInput("invalid-option", fn, "value", "a string", value);
    checkKey(fn, key);
  }
  const layer = polygonLayer(featureCollection, { target: table.crs, crs, caller: fn });
  const nf = layer.properties.length;
  let selected: number[];
  if (value === undefined) selected = Array.from({ length: nf }, (_, f) => f);
  else {
    const keys = featureKeys(fn, layer, key as string);
    selected = [];
    for (let f = 0; f < nf; ++f) if (keys[f] === value) selected.push(f);
    if (selected.length === 0) {
      const known = [...new Set(keys)].slice(0, 8).map((k) => describeValue(k)).join(", ");
      failInput("invalid-option", fn, "value", `the ${key} of some feature (${known}${new Set(keys).size > 8 ? ", …" : ""})`, value);
    }
  }
  const index = new PolygonIndex(subsetRings(layer.rings, selected));
  const { x, y } = table;
  const keep: number[] = [];
  let outside = 0;
  let noLocation = 0;
  for (let i = 0; i < table.length; ++i) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) ++noLocation;
    else if (index.find(x[i], y[i]) >= 0) keep.push(i);
    else ++outside;
  }
  return { table: selectRows(table, Uint32Array.from(keep)), kept: keep.length, outside, noLocation };
}

/** The rings of the listed features only, re-based (feature k of the result is `features[k]`). */
function subsetRings(rings: PolygonRings, features: readonly number[]): PolygonRings {
  const { coords, ringOffsets, partOffsets, featureOffsets } = rings;
  const xy: number[] = [];
  const ro: number[] = [0];
  const po: number[] = [0];
  const fo: number[] = [0];
  for (const f of features) {
    for (let p = featureOffsets[f]; p < featureOffsets[f + 1]; ++p) {
      for (let r = partOffsets[p]; r < partOffsets[p + 1]; ++r) {
        for (let v = ringOffsets[r]; v < ringOffsets[r + 1]; ++v) xy.push(coords[2 * v], coords[2 * v + 1]);
        ro.push(xy.length / 2);
      }
      po.push(ro.length - 1);
    }
    fo.push(po.length - 1);
  }
  return {
    coords: Float64Array.from(xy),
    ringOffsets: Uint32Array.from(ro),
    partOffsets: Uint32Array.from(po),
    featureOffsets: Uint32Array.from(fo),
  };
}
