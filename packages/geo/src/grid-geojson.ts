import { failInput, invalidOption, projector } from "@community-safety/core";
import { checkGrid, type Grid } from "./grid.js";

/** Options for {@link gridGeoJSON}. */
export interface GridGeoJSONOptions {
  /**
   * Per-cell values to attach as feature properties, by property name (e.g.
   * `{ count: counts.counts, density: kde.densityPerKm2 }`); each of `grid.length` values.
   * NaN and ±Infinity become `null`. Default none.
   */
  values?: Record<string, ArrayLike<number>>;
  /** Leave out cells whose values are all 0 (e.g. empty cells of a count layer). Default `false`; ignored without `values`. */
  skipZero?: boolean;
  /** Decimal places kept in lon/lat. Default 7 (about 1 cm). */
  digits?: number;
  /**
   * The cells to write, by index, in the order given (e.g. the cells that hold an incident, a
   * density or a significant Gi* value, as a report's grid CSV lists them). Default every cell.
   * Combines with `skipZero`.
   */
  cells?: ArrayLike<number>;
}

/** A grid cell as a GeoJSON Feature: a lon/lat polygon with the cell's index, column, row and values. */
export interface GridCellFeature {
  type: "Feature";
  /** The cell index (`row * columns + col`). */
  id: number;
  properties: { cell: number; col: number; row: number; [value: string]: number | null };
  geometry: { type: "Polygon"; coordinates: number[][][] };
}

/** What {@link gridGeoJSON} returns. */
export interface GridFeatureCollection {
  type: "FeatureCollection";
  features: GridCellFeature[];
}

const FN = "gridGeoJSON";
const RESERVED = new Set(["cell", "col", "row"]);

/**
 * Returns the cells of a {@link Grid} as a GeoJSON FeatureCollection of polygons in WGS84
 * lon/lat (RFC 7946), for QGIS or Leaflet. Each feature carries `id` = the cell index and the
 * properties `cell`, `col`, `row` and each of `values`. Vertices are computed on the lattice
 * (square corners `originX + k·cellSize`; hexagon vertices on multiples of half the width and
 * of half the side) and converted with core's `projector(grid.crs).inverse`, so neighbouring
 * cells share identical vertices. Exterior rings run counter-clockwise and are closed; hexagons
 * are pointy-topped. Cells come in cell order, or in the order `cells` lists them.
 *
 * @throws InputError `invalid-option` when `grid` is not a grid from {@link grid}, a value name is
 *   `cell`, `col` or `row`, `digits` is not an integer from 0 to 15, `cells` holds anything but
 *   cell indices of the grid, or the grid's CRS is not one core's `projector` knows.
 * @throws InputError `length-mismatch` when a `values` array is not one value per cell.
 * @example
 * const g = grid([455000, 318000, 456999, 318999], { cellSize: 1000 });
 * const fc = gridGeoJSON(g, { values: { count: [3, 0] }, skipZero: true });
 * fc.features.length; // => 1
 * fc.features[0].properties; // => { cell: 0, col: 0, row: 0, count: 3 }
 * fc.features[0].geometry.coordinates[0].length; // => 5 (closed square ring)
 */
export function gridGeoJSON(grid: Grid, options: GridGeoJSONOptions = {}): GridFeatureCollection {
  const { values = {}, skipZero = false, digits = 7, cells } = options ?? {};
  checkGrid(FN, grid);
  if (values === null || typeof values !== "object") invalidOption(FN, "values", "an object of per-cell number arrays", values);
  const names = Object.keys(values);
  for (const name of names) {
    if (RESERVED.has(name)) invalidOption(FN, "values", "named other than cell, col or row", name);
    const v = values[name];
    if (v === null || typeof v !== "object" || typeof v.length !== "number") invalidOption(FN, `values.${name}`, "an array of numbers, one per cell", v);
    if (v.length !== grid.length) failInput("length-mismatch", FN, `values.${name}`, `one value per cell (${grid.length})`, v.length);
  }
  if (!(Number.isInteger(digits) && digits >= 0 && digits <= 15)) invalidOption(FN, "digits", "an integer from 0 to 15", digits);
  if (cells !== undefined) {
    if (cells === null || typeof cells !== "object" || typeof cells.length !== "number") invalidOption(FN, "cells", "an array of cell indices", cells);
    for (let k = 0; k < cells.length; ++k) {
      const i = cells[k];
      if (!(Number.isInteger(i) && i >= 0 && i < grid.length)) invalidOption(FN, `cells[${k}]`, `a cell index from 0 to ${grid.length - 1}`, i);
    }
  }
  const { inverse } = projector(grid.crs);
  const scale = 10 ** digits;
  const lonLat = (x: number, y: number): number[] => {
    const [lon, lat] = inverse(x, y);
    return [Math.round(lon * scale) / scale, Math.round(lat * scale) / scale];
  };
  const arrays = names.map((nm) => values[nm]);
  const skip = skipZero && arrays.length > 0;
  const features: GridCellFeature[] = [];
  const { columns, originX, originY, cellSize: s } = grid;
  // Square corners are shared by up to four cells: project each corner once (lazily).
  const cornerCache = grid.shape === "square" ? new Map<number, number[]>() : null;
  const corner = (c: number, r: number): number[] => {
    const key = r * (columns + 1) + c;
    let p = cornerCache!.get(key);
    if (p === undefined) {
      p = lonLat(originX + c * s, originY + r * s);
      cornerCache!.set(key, p);
    }
    return p;
  };
  const halfW = s / 2;
  const halfSide = s / (2 * Math.sqrt(3));
  const add = (i: number) => {
    if (skip && arrays.every((a) => a[i] === 0)) return;
    const c = i % columns;
    const r = (i - c) / columns;
    const properties: GridCellFeature["properties"] = { cell: i, col: c, row: r };
    for (let k = 0; k < names.length; ++k) {
      const v = arrays[k][i];
      properties[names[k]] = Number.isFinite(v) ? v : null;
    }
    let ring: number[][];
    if (cornerCache !== null) {
      const a = corner(c, r);
      ring = [a, corner(c + 1, r), corner(c + 1, r + 1), corner(c, r + 1), a];
    } else {
      // Pointy-topped hexagon: centre x = originX + (2c + p)·(s/2), centre y = originY + 3r·(s/(2√3)).
      const kx = 2 * c + (r & 1);
      const ky = 3 * r;
      const vx = (k: number) => originX + k * halfW;
      const vy = (k: number) => originY + k * halfSide;
      const first = lonLat(vx(kx + 1), vy(ky - 1));
      ring = [
        first,
        lonLat(vx(kx + 1), vy(ky + 1)),
        lonLat(vx(kx), vy(ky + 2)),
        lonLat(vx(kx - 1), vy(ky + 1)),
        lonLat(vx(kx - 1), vy(ky - 1)),
        lonLat(vx(kx), vy(ky - 2)),
        first,
      ];
    }
    features.push({ type: "Feature", id: i, properties, geometry: { type: "Polygon", coordinates: [ring] } });
  };
  if (cells !== undefined) for (let k = 0; k < cells.length; ++k) add(cells[k]);
  else for (let i = 0; i < grid.length; ++i) add(i);
  return { type: "FeatureCollection", features };
}
