import { InputError, describeValue } from "./errors.js";
import type { IngestResult } from "./ingest-result.js";
import { RecordIngest, GEOMETRY_LON, GEOMETRY_LAT, type ReadRecordsOptions, type ColumnMapping } from "./read-records.js";

/** Options for {@link readGeoJsonPoints}: the mapping names feature properties; coordinates come from the geometry. */
export interface ReadGeoJsonPointsOptions extends Omit<ReadRecordsOptions, "columns"> {
  readonly columns: Omit<ColumnMapping, "lon" | "lat" | "x" | "y">;
}

const FN = "readGeoJsonPoints";

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * Reads a GeoJSON FeatureCollection of points (RFC 7946: WGS84 longitude, latitude) into an
 * {@link IncidentTable}, mapping feature `properties` to incident fields exactly as
 * `readRecords` maps object keys; points are projected to `crs` (default `"auto"`).
 *
 * Each feature is one row: `row` (and `line`) in a rejection is its 1-based position, so
 * `features[row - 1]` is the feature. A feature with `geometry: null` is kept without a
 * location (or rejected as `missing-value` with `requireLocation: "point"`, or with `true` when
 * it has no area property either). A feature that is not a `Feature` object, or whose
 * geometry is not a `Point` (MultiPoint, LineString, Polygon…), is
 * rejected as `invalid-value` (field `type` or `geometry`); coordinates that are not two
 * finite numbers as `invalid-coordinate` (field `geometry.coordinates`); out-of-range ones
 * as `invalid-coordinate` naming `geometry.coordinates[0]` or `[1]`. Projected-CRS GeoJSON
 * (the pre-2016 `crs` member) is not supported. `summary.rows = accepted + rejected` always;
 * an empty collection gives an empty table.
 *
 * @throws InputError `invalid-input` when the input is not a FeatureCollection;
 * `missing-field` naming every mapped property that no feature has; `invalid-option` for bad options.
 * @example
 * const fc = { type: "FeatureCollection", features: [
 *   { type: "Feature", geometry: { type: "Point", coordinates: [-87.6277, 41.7922] }, properties: { date: "2010-01-01 00:05" } } ] };
 * const { table } = readGeoJsonPoints(fc, { columns: { date: "date", category: { value: "aggravated-assault" } },
 *   dateFormat: "yyyy-MM-dd HH:mm", zone: "America/Chicago" });
 * [table.crs, table.lon[0]] // => ["EPSG:32616", -87.6277]
 */
export function readGeoJsonPoints(featureCollection: unknown, options: ReadGeoJsonPointsOptions): IngestResult {
  const fc = featureCollection;
  if (!isObject(fc) || fc.type !== "FeatureCollection" || !Array.isArray(fc.features)) {
    throw new InputError("invalid-input", `${FN}: input must be a GeoJSON FeatureCollection with a features array, got ${describeValue(fc)}`);
  }
  const engine = new RecordIngest(FN, options as ReadRecordsOptions, true);
  const features = fc.features as unknown[];
  const name = options.name ?? "features";
  engine.beginFile(name);
  const names = engine.names;
  if (features.length > 0) {
    const missing = names.filter((n) => !features.some((f) => isObject(f) && isObject(f.properties) && Object.hasOwn(f.properties, n)));
    if (missing.length) {
      throw new InputError("missing-field", `${FN}: no feature has ${missing.length > 1 ? "properties" : "property"} ${missing.map((m) => JSON.stringify(m)).join(", ")} named in the mapping`);
    }
  }
  const lonAt = names.length;
  engine.bind([...names, GEOMETRY_LON, GEOMETRY_LAT]);
  const values: unknown[] = new Array(names.length + 2);
  for (let k = 0; k < features.length; ++k) {
    const f = features[k];
    const row = k + 1;
    if (!isObject(f) || f.type !== "Feature") {
      engine.rejectRow(row, "type", isObject(f) ? describeValue(f.type) : describeValue(f), "invalid-value", `features[${k}] is not a GeoJSON Feature`);
      continue;
    }
    const g = f.geometry;
    if (g === null || g === undefined) {
      values[lonAt] = values[lonAt + 1] = null;
    } else if (!isObject(g) || g.type !== "Point") {
      const type = isObject(g) ? (typeof g.type === "string" ? g.type : describeValue(g.type)) : describeValue(g);
      engine.rejectRow(row, "geometry", type, "invalid-value", `features[${k}] has a ${type} geometry; only Point features are incidents`);
      continue;
    } else {
      const c = g.coordinates;
      if (!Array.isArray(c) || c.length < 2 || typeof c[0] !== "number" || typeof c[1] !== "number" || !Number.isFinite(c[0]) || !Number.isFinite(c[1])) {
        engine.rejectRow(row, "geometry.coordinates", describeValue(c), "invalid-coordinate", `features[${k}] coordinates must be [longitude, latitude] numbers, got ${describeValue(c)}`);
        continue;
      }
      values[lonAt] = c[0];
      values[lonAt + 1] = c[1];
    }
    const props = isObject(f.properties) ? f.properties : {};
    for (let p = 0; p < names.length; ++p) values[p] = props[names[p]];
    engine.row(values, row);
  }
  return engine.finish();
}
