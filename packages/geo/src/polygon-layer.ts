import { InputError, projector, describeValue, failInput } from "@community-safety/core";
import type { PolygonRings } from "./polygon-index.js";

/** A GeoJSON Feature with a Polygon or MultiPolygon geometry (RFC 7946). */
export interface PolygonFeature {
  type: "Feature";
  properties: Record<string, unknown> | null;
  geometry:
    | { type: "Polygon"; coordinates: number[][][] }
    | { type: "MultiPolygon"; coordinates: number[][][][] };
}

/** A GeoJSON FeatureCollection of polygon features; a legacy `crs` member is honoured. */
export interface PolygonFeatureCollection {
  type: "FeatureCollection";
  features: readonly PolygonFeature[];
  crs?: { type: string; properties?: { name?: string } };
}

/** Options for {@link polygonLayer}. */
export interface PolygonLayerOptions {
  /**
   * The projected CRS (metres) to build the rings in, e.g. an incident table's `crs`
   * (`"EPSG:27700"`). Required: geo never works in degrees.
   */
  target: string;
  /**
   * The CRS of the file's coordinates. Default: the file's legacy `crs` member when it has
   * one (`urn:ogc:def:crs:OGC:1.3:CRS84` → `"EPSG:4326"`, `urn:ogc:def:crs:EPSG::27700` →
   * `"EPSG:27700"`), otherwise `"EPSG:4326"` (lon/lat, as RFC 7946 requires). Must be
   * `"EPSG:4326"` (projected once to `target` with core's `projector`) or equal `target`
   * (used as is).
   */
  crs?: string;
  /** Function name used in error messages (for wrappers). Default `"polygonLayer"`. */
  caller?: string;
}

/** Polygons read from GeoJSON: rings in metres for {@link PolygonIndex}, and each feature's properties. */
export interface PolygonLayer {
  /** Rings in CSR form, feature `f` being `features[f]` of the input. */
  readonly rings: PolygonRings;
  /** `properties` of each feature (`{}` when the feature had none). */
  readonly properties: ReadonlyArray<Readonly<Record<string, unknown>>>;
  /** The CRS of `rings` (the `target` option). */
  readonly crs: string;
  /** The CRS the file's coordinates were read in. */
  readonly sourceCrs: string;
}

const LONLAT = "EPSG:4326";

/**
 * Returns the polygons of a GeoJSON FeatureCollection as flat typed arrays in metres
 * (projected once, vertex by vertex, with core's `projector(target).forward`), with each
 * feature's properties, ready for `new PolygonIndex(layer.rings)`. Polygon and
 * MultiPolygon features are accepted; a MultiPolygon's polygons become parts of one
 * feature. Rings may be closed (GeoJSON) or not; orientation is ignored. An empty
 * collection gives an empty layer.
 *
 * @throws InputError `invalid-input` when the input is not a FeatureCollection, or a feature
 *   (named by its index) is not a Feature, has no geometry, a geometry other than Polygon or
 *   MultiPolygon, or a ring of fewer than 3 positions; or the legacy `crs` member is not
 *   recognised.
 * @throws InputError `invalid-coordinate` when a position is not two finite numbers, or
 *   lon/lat is out of range (the usual sign of a projected file read as lon/lat).
 * @throws InputError `invalid-option` when `target` is not a CRS core's `projector` knows,
 *   or `crs` is neither `"EPSG:4326"` nor `target`.
 * @example
 * const layer = polygonLayer(wards, { target: "EPSG:27700" });
 * layer.rings.featureOffsets.length - 1; // => wards.features.length
 */
export function polygonLayer(featureCollection: PolygonFeatureCollection, options: PolygonLayerOptions): PolygonLayer {
  const fn = options?.caller ?? "polygonLayer";
  const target = options?.target;
  if (typeof target !== "string" || target === "") failInput("invalid-option", fn, "target", "a projected CRS name such as \"EPSG:27700\"", target);
  const fc = featureCollection as unknown as Record<string, unknown> | null;
  if (fc === null || typeof fc !== "object" || fc.type !== "FeatureCollection" || !Array.isArray(fc.features)) {
    failInput("invalid-input", fn, "featureCollection", "a GeoJSON FeatureCollection", fc === null || typeof fc !== "object" ? fc : { type: fc.type });
  }
  const sourceCrs = normaliseCrs(options.crs ?? legacyCrs(fc, fn) ?? LONLAT);
  let forward: ((x: number, y: number) => [number, number]) | null = null;
  if (sourceCrs === LONLAT) {
    if (normaliseCrs(target) === LONLAT) failInput("invalid-option", fn, "target", "a projected CRS in metres, not lon/lat", target);
    forward = projector(target).forward;
  } else if (sourceCrs !== target) {
    failInput("invalid-option", fn, "crs", `"EPSG:4326" or the target CRS ${JSON.stringify(target)}`, options.crs ?? sourceCrs);
  }

  const features = fc.features as unknown[];
  const coords: number[] = [];
  const ringOffsets: number[] = [0];
  const partOffsets: number[] = [0];
  const featureOffsets: number[] = [0];
  const properties: Record<string, unknown>[] = [];
  for (let f = 0; f < features.length; ++f) {
    const feature = features[f] as Record<string, unknown> | null;
    const at = `features[${f}]`;
    if (feature === null || typeof feature !== "object" || feature.type !== "Feature") {
      failInput("invalid-input", fn, at, "a GeoJSON Feature", feature === null || typeof feature !== "object" ? feature : { type: feature.type });
    }
    const props = feature.properties;
    properties.push(props !== null && typeof props === "object" ? (props as Record<string, unknown>) : {});
    const geometry = feature.geometry as Record<string, unknown> | null;
    if (geometry === null || typeof geometry !== "object") failInput("invalid-input", fn, `${at}.geometry`, "a Polygon or MultiPolygon", geometry ?? null);
    const polygons =
      geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : null;
    if (polygons === null) failInput("invalid-input", fn, `${at}.geometry.type`, '"Polygon" or "MultiPolygon"', geometry.type);
    if (!Array.isArray(polygons) || polygons.length === 0) failInput("invalid-input", fn, `${at}.geometry.coordinates`, "a non-empty array of polygons", polygons);
    for (let q = 0; q < polygons.length; ++q) {
      const rings = polygons[q] as unknown;
      if (!Array.isArray(rings) || rings.length === 0) failInput("invalid-input", fn, `${at}.geometry.coordinates`, "arrays of rings, each polygon with an exterior ring", rings);
      for (const ring of rings as unknown[]) {
        if (!Array.isArray(ring) || ring.length < 3) failInput("invalid-input", fn, `${at} ring`, "an array of at least 3 positions", ring);
        for (const pos of ring as unknown[]) {
          const x = Array.isArray(pos) ? pos[0] : undefined;
          const y = Array.isArray(pos) ? pos[1] : undefined;
          if (typeof x !== "number" || typeof y !== "number" || !Number.isFinite(x) || !Number.isFinite(y)) {
            failInput("invalid-coordinate", fn, `${at} positions`, "[x, y] pairs of finite numbers", pos);
          }
          if (forward !== null) {
            if (!(x >= -180 && x <= 180 && y >= -90 && y <= 90)) {
              throw new InputError(
                "invalid-coordinate",
                `${fn}: ${at} positions must be lon/lat degrees for crs "EPSG:4326", got ${describeValue(pos)} (a projected file? pass its crs)`,
              );
            }
            const [px, py] = forward(x, y);
            coords.push(px, py);
          } else coords.push(x, y);
        }
        ringOffsets.push(coords.length / 2);
      }
      partOffsets.push(ringOffsets.length - 1);
    }
    featureOffsets.push(partOffsets.length - 1);
  }
  return {
    rings: {
      coords: Float64Array.from(coords),
      ringOffsets: Uint32Array.from(ringOffsets),
      partOffsets: Uint32Array.from(partOffsets),
      featureOffsets: Uint32Array.from(featureOffsets),
    },
    properties,
    crs: target,
    sourceCrs,
  };
}

/** "CRS84", "OGC:CRS84", "EPSG:4326" → "EPSG:4326"; other names unchanged. */
function normaliseCrs(crs: string): string {
  return /(^|:)CRS84$/i.test(crs) || /^EPSG:4326$/i.test(crs) ? LONLAT : crs;
}

/** The CRS named by a legacy (2008 GeoJSON) `crs` member, or undefined when there is none. */
function legacyCrs(fc: Record<string, unknown>, fn: string): string | undefined {
  const member = fc.crs as { properties?: { name?: unknown } } | null | undefined;
  if (member === undefined || member === null) return undefined;
  const name = member.properties?.name;
  if (typeof name === "string") {
    if (/CRS84$/i.test(name)) return LONLAT;
    const m = /EPSG:{1,2}(\d+)$/i.exec(name);
    if (m) return `EPSG:${m[1]}`;
  }
  return failInput("invalid-input", fn, "featureCollection.crs", "a named CRS84 or EPSG code (or pass the crs option)", member);
}
