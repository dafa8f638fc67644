import proj4 from "proj4";
import { invalidOption } from "./errors.js";

/** proj4 definition of British National Grid (OSGB36 / EPSG:27700), with the 7-parameter
 * Helmert shift from WGS84 published by Ordnance Survey (accurate to a few metres, ample
 * for police.uk snap points; OSTN15 would add sub-metre accuracy). */
export const BNG_DEFINITION =
  "+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy +towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs";

/** Converts between WGS84 lon/lat and a projected CRS in metres. */
export interface Projector {
  /** `EPSG:27700`, `EPSG:326zz` (UTM north) or `EPSG:327zz` (UTM south). */
  readonly crs: string;
  /** lon/lat degrees → [x, y] metres. */
  forward(lon: number, lat: number): [number, number];
  /** [x, y] metres → [lon, lat] degrees. */
  inverse(x: number, y: number): [number, number];
}

/** The UTM zone (1–60) and hemisphere for a lon/lat, as an EPSG code (326zz north, 327zz south). */
export function utmCrsFor(lon: number, lat: number): string {
  if (!(lon >= -180 && lon <= 180) || !(lat >= -80 && lat <= 84)) invalidOption("utmCrsFor", "lon/lat", "within UTM's range (lat −80 to 84)", [lon, lat]);
  const zone = Math.min(60, Math.floor((lon + 180) / 6) + 1);
  return `EPSG:${lat >= 0 ? 326 : 327}${zone < 10 ? "0" : ""}${zone}`;
}

/**
 * The box `[minX, minY, maxX, maxY]` in metres inside which coordinates in `crs` are
 * plausible — outside it a point is not in the CRS's area of use, whatever its lon/lat —
 * or `null` for a CRS without a built-in box (one given by a proj4 definition).
 *
 * - British National Grid (`EPSG:27700`): the National Grid's 700 × 1,300 km, easting
 *   0–700,000 and northing 0–1,300,000, widened 10 km west: western Fermanagh (Northern
 *   Ireland, inside police.uk's area) lies at easting −0.7 km.
 * - UTM (`EPSG:326zz`/`EPSG:327zz`): easting 100,000–900,000 (a zone is 6° wide: at most
 *   ±334 km from its 500,000 m central meridian at the equator), northing 0–10,000,000.
 *
 * @example
 * projectedBounds("EPSG:32616") // => [100000, 0, 900000, 10000000]
 */
export function projectedBounds(crs: string): readonly [number, number, number, number] | null {
  if (crs === "EPSG:27700") return BNG_BOUNDS;
  const m = /^EPSG:32[67](\d{2})$/.exec(crs);
  return m && +m[1] >= 1 && +m[1] <= 60 ? UTM_BOUNDS : null;
}

/**
 * "easting a to b km, northing c to d km" for {@link projectedBounds}, in messages.
 * @internal Used by the readers in this package; not exported from the index.
 */
export function projectedBoundsText(box: readonly [number, number, number, number]): string {
  const km = (m: number) => (m / 1000).toLocaleString("en-GB").replace("-", "−");
  return `easting ${km(box[0])} to ${km(box[2])} km, northing ${km(box[1])} to ${km(box[3])} km`;
}

const BNG_BOUNDS = [-10_000, 0, 700_000, 1_300_000] as const;
const UTM_BOUNDS = [100_000, 0, 900_000, 10_000_000] as const;

/**
 * A projector for `EPSG:27700` (British National Grid), `EPSG:4326`-to-UTM codes
 * `EPSG:326zz`/`EPSG:327zz`, or any proj4 definition string given with its CRS name.
 */
export function projector(crs: string, definition?: string): Projector {
  let def = definition;
  if (def === undefined) {
    if (crs === "EPSG:27700") def = BNG_DEFINITION;
    else {
      const m = /^EPSG:32([67])(\d{2})$/.exec(crs);
      if (!m || +m[2] < 1 || +m[2] > 60) {
        invalidOption("projector", "crs", 'EPSG:27700, a UTM code EPSG:326zz/327zz, or a name with a proj4 definition', crs);
      }
      def = `+proj=utm +zone=${+m[2]}${m[1] === "7" ? " +south" : ""} +datum=WGS84 +units=m +no_defs`;
    }
  }
  const conv = proj4("EPSG:4326", def);
  return {
    crs,
    forward: (lon, lat) => conv.forward([lon, lat]) as [number, number],
    inverse: (x, y) => conv.inverse([x, y]) as [number, number],
  };
}
