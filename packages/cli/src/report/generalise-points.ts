import { invalidOption, projector } from "@community-safety/core";

/** Options for {@link generalisePoints}. */
export interface GeneralisePointsOptions {
  /** Projected CRS of the `x`/`y` columns (e.g. `"EPSG:27700"`, `"EPSG:32613"`). Required. */
  crs: string;
  /** Side of the grid cells in metres, aligned to the CRS's origin. Default 500. */
  cellSize?: number;
  /** Rows whose count is from 1 to `threshold − 1` are generalised. Default 5 (as core's `disclosureControl`). */
  threshold?: number;
  /** The count column deciding which rows are generalised. Default `"count"`. */
  count?: string;
  /** Projected coordinate columns (metres). Default `"x"` and `"y"`. */
  x?: string;
  y?: string;
  /** WGS84 columns recomputed from the cell centre; `null` to leave none. Default `"lon"` and `"lat"`. */
  lon?: string | null;
  lat?: string | null;
  /**
   * Columns that would place a generalised row as exactly as its point (a street name, an LSOA
   * code, the number of snap points): set to `null` in generalised rows. Default none.
   */
  withhold?: readonly string[];
}

/** Result of {@link generalisePoints}. */
export interface GeneralisePointsResult<T> {
  /** New rows (inputs are not modified) with a `position` column: `"exact"` or `"<cellSize> m cell centre"`. */
  readonly rows: (T & { position: string })[];
  /** Rows generalised. */
  readonly generalised: number;
}

const FN = "generalisePoints";

/**
 * The centre of the square grid cell of side `cellSize` metres holding `(x, y)`: cells are
 * half-open `[i·s, (i+1)·s) × [j·s, (j+1)·s)` aligned to the CRS's origin (so, on the British
 * National Grid, the OS 500 m squares).
 *
 * @example
 * cellCentre(452155.97, 320549.98, 500) // => [452250, 320750]
 */
export function cellCentre(x: number, y: number, cellSize = 500): [number, number] {
  return [Math.floor(x / cellSize) * cellSize + cellSize / 2, Math.floor(y / cellSize) * cellSize + cellSize / 2];
}

/**
 * Returns rows with the points of small counts generalised, for publication: a row whose count
 * is from 1 to `threshold − 1` has its projected point moved to the centre of its `cellSize`
 * grid cell (see {@link cellCentre}) and its lon/lat recomputed from that centre (core's
 * `projector`), and its `withhold` columns set to `null`; every other row keeps its exact point.
 * Each row gets a `position` column saying which. The count itself is left alone: withhold or
 * round it with `disclosureControl` (or {@link publicRows}, which calls this).
 *
 * This is the usual aggregation of small-count locations to a coarser grid (as the ONS and
 * police.uk snap points do): a reader learns that there were some incidents somewhere in a
 * 500 m square, not where. A row with no finite point is left as it is.
 *
 * @example
 * generalisePoints([{ name: "Oakham Close", x: 452155.97, y: 320549.98, lon: -1.2282, lat: 52.78, count: 1 }], { crs: "EPSG:27700", withhold: ["name"] }).rows[0]
 * // => { name: null, x: 452250, y: 320750, lon: -1.22679…, lat: 52.78181…, count: 1, position: "500 m cell centre" }
 * @throws InputError `invalid-option` for a bad cell size or threshold, or a CRS `projector` does not know.
 */
export function generalisePoints<T extends Record<string, unknown>>(rows: readonly T[], options: GeneralisePointsOptions): GeneralisePointsResult<T> {
  if (options === null || typeof options !== "object") invalidOption(FN, "options", "an object with a crs", options);
  const cellSize = options.cellSize ?? 500;
  if (!(typeof cellSize === "number" && cellSize > 0 && Number.isFinite(cellSize))) invalidOption(FN, "cellSize", "a positive number of metres", cellSize);
  const threshold = options.threshold ?? 5;
  if (!(Number.isInteger(threshold) && threshold >= 2 && threshold <= 1000)) invalidOption(FN, "threshold", "an integer from 2 to 1000", threshold);
  const count = options.count ?? "count";
  const xCol = options.x ?? "x";
  const yCol = options.y ?? "y";
  const lonCol = options.lon === undefined ? "lon" : options.lon;
  const latCol = options.lat === undefined ? "lat" : options.lat;
  const withhold = options.withhold ?? [];
  const inverse = lonCol !== null || latCol !== null ? projector(options.crs).inverse : null;
  const label = `${cellSize} m cell centre`;
  let generalised = 0;
  const out = rows.map((r) => {
    const row = { ...r, position: "exact" } as T & { position: string };
    const n = r[count];
    const x = r[xCol];
    const y = r[yCol];
    if (!(typeof n === "number" && n > 0 && n < threshold)) return row;
    if (!(typeof x === "number" && typeof y === "number" && Number.isFinite(x) && Number.isFinite(y))) return row;
    const [cx, cy] = cellCentre(x, y, cellSize);
    const w = row as Record<string, unknown>;
    w[xCol] = cx;
    w[yCol] = cy;
    if (inverse) {
      const [lon, lat] = inverse(cx, cy);
      if (lonCol !== null) w[lonCol] = lon;
      if (latCol !== null) w[latCol] = lat;
    }
    for (const c of withhold) if (c in w) w[c] = null;
    w.position = label;
    generalised += 1;
    return row;
  });
  return { rows: out, generalised };
}
