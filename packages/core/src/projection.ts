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
