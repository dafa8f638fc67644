import { type Period, type PeriodMaskRows, failInput, invalidOption, periodMask } from "@community-safety/core";

/** The two cell shapes of a {@link Grid}. */
export type GridShape = "square" | "hexagon";

/**
 * A regular grid of square or hexagonal cells in projected metres: a plain object that grid
 * counts, kernel density, Getis–Ord Gi* and local Moran's I all consume. Cells are numbered
 * `id = row * columns + col` (0-based): `col` grows eastwards (x fastest), `row` northwards
 * from the southernmost row, as in the oracles' grid (shared/oracles/README.md).
 *
 * **Square cells** (`shape: "square"`): cell `(col, row)` is the half-open square
 * `[originX + col·s, originX + (col + 1)·s) × [originY + row·s, originY + (row + 1)·s)` with
 * `s = cellSize`; its centre is `(originX + (col + 0.5)·s, originY + (row + 0.5)·s)`.
 *
 * **Hexagonal cells** (`shape: "hexagon"`): pointy-topped hexagons (a vertex due north and due
 * south, flat sides east and west), the default of `sf::st_make_grid(square = FALSE)` and so of
 * sfhotspot's `grid_type = "hex"`. `cellSize` is the **flat-to-flat width** — the distance
 * between opposite sides, which is also the distance between the centres of neighbouring
 * cells — as `st_make_grid`'s `cellsize` (and therefore sfhotspot's `cell_size`); the side
 * length is `cellSize / √3`. Rows are `cellSize·√3/2` apart; odd rows (1, 3, …) are shifted
 * east by half a cell. The centre of `(col, row)` is
 * `(originX + (col + 0.5·(row mod 2))·cellSize, originY + row·cellSize·√3/2)`, so for
 * hexagons `(originX, originY)` is the centre of cell 0 (for squares it is cell 0's
 * south-west corner). A point belongs to the cell whose centre is nearest (see
 * {@link gridCounts} for ties).
 */
export interface Grid {
  /** `"square"` or `"hexagon"` (pointy-topped). */
  readonly shape: GridShape;
  /** Metres: a square's side, or a hexagon's flat-to-flat width (= centre spacing; as sf/sfhotspot). */
  readonly cellSize: number;
  /** Square: x of the grid's west edge (cell 0's south-west corner). Hexagon: x of cell 0's centre. */
  readonly originX: number;
  /** Square: y of the grid's south edge. Hexagon: y of cell 0's centre. */
  readonly originY: number;
  /** Cells per row (west to east). */
  readonly columns: number;
  /** Rows (south to north). */
  readonly rows: number;
  /** `columns * rows`, the number of cells. */
  readonly length: number;
  /** Cell centres' x (metres), one per cell, in cell order. */
  readonly x: Float64Array;
  /** Cell centres' y (metres), one per cell, in cell order. */
  readonly y: Float64Array;
  /** The projected CRS of the coordinates, e.g. `"EPSG:27700"`. */
  readonly crs: string;
  /** Area of one cell in m²: `cellSize²`, or `(√3/2)·cellSize²` for hexagons. */
  readonly area: number;
}

/** A bounding box in projected metres, `[minX, minY, maxX, maxY]` (the GeoJSON `bbox` order). */
export type GridBounds = readonly [number, number, number, number];

/** Point coordinates in metres: an incident table (uses `x`, `y`, `crs`) or plain arrays. NaN marks "no location". */
export interface GridPoints {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly crs?: string;
}

/** Options for {@link grid}. */
export interface GridOptions {
  /**
   * Cell size in metres (square side; hexagon flat-to-flat width). Default: automatic — the
   * shorter side of the bounding box (before `margin`) divided by 50, then rounded **down**:
   * to a multiple of 100 m when that is at least 100 m (exactly sfhotspot 1.0.0's
   * `set_cell_size()`), otherwise to the largest of 1, 2, 2.5 or 5 × 10ᵏ m not above it
   * (sfhotspot would keep the unrounded value, e.g. 37.46 m; a round size keeps cell edges on
   * round co-ordinates and avoids distance-band round-off). When the box is a line the longer
   * side is used; a single point needs an explicit `cellSize`.
   */
  cellSize?: number;
  /** `"square"` (default) or `"hexagon"` (pointy-topped; see {@link Grid}). */
  shape?: GridShape;
  /**
   * A point of the lattice, `[x, y]` in metres. Default `[0, 0]`: square cell edges fall on
   * multiples of `cellSize` (so in British National Grid 1 km cells are the Ordnance Survey
   * 1 km squares), and for hexagons `(0, 0)` is a cell centre (on an even row).
   */
  align?: readonly [number, number];
  /**
   * Metres added on every side of the bounding box before the cells are laid out. Default 0.
   * Give a kernel-density bandwidth to let the surface taper off beyond the outermost points.
   */
  margin?: number;
  /** CRS of the coordinates. Default: the table's `crs`, else `"EPSG:27700"`. */
  crs?: string;
  /** Refuse grids with more cells than this (memory guard). Default 10,000,000. */
  maxCells?: number;
  /**
   * With an incident table as `source`: take the box from the located incidents of this period
   * only — a key (`"2021/22"`, `"2021-07"`, …) read in the table's zone, or a core `Period`;
   * incidents placed by the start of their occurrence window, as `gridCounts` and `streetCounts`
   * place them (core's `periodMask`). Default: every incident.
   */
  period?: Period | string;
  /** First month (1–12) of the financial year, for `period` keys such as `"2021/22"`. Default 4. */
  fyStartMonth?: number;
}

const FN = "grid";
const SQRT3 = Math.sqrt(3);
/** Relative slack when choosing hexagon rows/columns, so a point exactly on an outer vertex still has its cell. */
const HEX_SLACK = 1e-9;

/**
 * Returns a {@link Grid} of square or hexagonal cells covering a bounding box, or the located
 * points of an incident table (or `{ x, y }` arrays), with cell edges aligned to round
 * co-ordinates.
 *
 * **Extent.** Squares (the oracle grid of shared/oracles/grid_common.R when `align` and
 * `margin` are left at their defaults): `originX = ax + ⌊(minX − ax)/s⌋·s` (stepped one cell
 * west in the rare case round-off puts it east of `minX`), `columns = ⌊(maxX − originX)/s⌋ + 1`,
 * likewise for y; every point of the closed box `[minX, maxX] × [minY, maxY]` lies in a cell
 * under the half-open rule (a point on the east edge of the box falls in the last column).
 * Hexagons: the rows and columns whose cells can be nearest to a point of the box (centres
 * within a hexagon's half-width `s/2` in x and circumradius `s/√3` in y of it), the first
 * row kept even so odd rows are the shifted ones; this may add a row or column of empty
 * cells on the edges. The full rectangle of cells is kept, including empty ones — it is
 * the area of analysis for Gi* and local Moran's I — unlike sfhotspot, which keeps only cells
 * meeting the convex hull of the points.
 *
 * @param source `[minX, minY, maxX, maxY]` in metres, or points (an incident table) whose
 *   located rows (finite `x` and `y`) give the box.
 * @throws InputError `invalid-option` for a `cellSize`, `margin` or `maxCells` that is not a
 *   positive (margin: non-negative) finite number, an unknown `shape`, an `align` that is not
 *   two finite numbers, a `crs` differing from the table's, bounds that are not four finite
 *   numbers with min ≤ max, a box that is a single point with no `cellSize`, a grid of more
 *   than `maxCells` cells, or a `period` with bounds or plain arrays (it needs an incident table).
 * @throws InputError `length-mismatch` when `x` and `y` differ in length; `empty-input` when no
 *   point (of the `period`) has a location; `invalid-input` when `source` is neither bounds nor
 *   points; `invalid-date` and `precision-too-coarse` for a `period` as core's `periodMask`.
 * @example
 * const g = grid([455010, 318020, 456990, 319990], { cellSize: 1000 });
 * [g.originX, g.originY, g.columns, g.rows]; // => [455000, 318000, 2, 2]
 * [g.x[0], g.y[0], g.area]; // => [455500, 318500, 1000000]
 */
export function grid(source: GridBounds | GridPoints, options: GridOptions = {}): Grid {
  const { cellSize, shape = "square", align = [0, 0], margin = 0, crs, maxCells = 10_000_000, period, fyStartMonth } = options ?? {};
  if (shape !== "square" && shape !== "hexagon") invalidOption(FN, "shape", '"square" or "hexagon"', shape);
  if (cellSize !== undefined && !(typeof cellSize === "number" && cellSize > 0 && Number.isFinite(cellSize))) {
    invalidOption(FN, "cellSize", "a positive number of metres", cellSize);
  }
  if (!Array.isArray(align) || align.length !== 2 || !Number.isFinite(align[0]) || !Number.isFinite(align[1])) {
    invalidOption(FN, "align", "[x, y], two finite numbers of metres", align);
  }
  if (!(typeof margin === "number" && margin >= 0 && Number.isFinite(margin))) invalidOption(FN, "margin", "a non-negative number of metres", margin);
  if (!(typeof maxCells === "number" && maxCells >= 1 && Number.isFinite(maxCells))) invalidOption(FN, "maxCells", "a positive number", maxCells);
  if (crs !== undefined && (typeof crs !== "string" || crs === "")) invalidOption(FN, "crs", 'a CRS name such as "EPSG:27700"', crs);

  let minX: number, minY: number, maxX: number, maxY: number;
  let gridCrs: string;
  if (isBounds(source)) {
    if (period !== undefined) invalidOption(FN, "period", "given only with points (an incident table), not bounds", period);
    [minX, minY, maxX, maxY] = source as GridBounds;
    if (![minX, minY, maxX, maxY].every(Number.isFinite) || minX > maxX || minY > maxY) {
      invalidOption(FN, "bounds", "[minX, minY, maxX, maxY], finite metres with min ≤ max", source);
    }
    gridCrs = crs ?? "EPSG:27700";
  } else {
    const pts = source as GridPoints;
    if (pts === null || typeof pts !== "object" || pts.x === undefined || pts.y === undefined) {
      failInput("invalid-input", FN, "source", "[minX, minY, maxX, maxY] or points with x and y", pts);
    }
    if (pts.x.length !== pts.y.length) failInput("length-mismatch", FN, "x and y", "the same length", [pts.x.length, pts.y.length]);
    if (crs !== undefined && pts.crs !== undefined && crs !== pts.crs) invalidOption(FN, "crs", `the table's crs ${JSON.stringify(pts.crs)}`, crs);
    gridCrs = crs ?? pts.crs ?? "EPSG:27700";
    const inPeriod = pointsPeriodMask(FN, pts, period, fyStartMonth);
    const box = pointBounds(pts.x, pts.y, inPeriod);
    if (box === null) {
      if (inPeriod !== null) failInput("empty-input", FN, "points", `at least one point with finite x and y in period ${typeof period === "string" ? period : period!.key}`, `${pts.x.length} points, none located in it`);
      failInput("empty-input", FN, "points", "at least one point with finite x and y", `${pts.x.length} points, none located`);
    }
    [minX, minY, maxX, maxY] = box;
  }

  const s = cellSize ?? automaticCellSize(maxX - minX, maxY - minY);
  minX -= margin;
  minY -= margin;
  maxX += margin;
  maxY += margin;
  const [ax, ay] = align;
  return shape === "square"
    ? squareGrid(minX, minY, maxX, maxY, s, ax, ay, gridCrs, maxCells)
    : hexagonGrid(minX, minY, maxX, maxY, s, ax, ay, gridCrs, maxCells);
}

function isBounds(source: unknown): boolean {
  return Array.isArray(source) || (ArrayBuffer.isView(source) && !(source instanceof DataView));
}

/** [minX, minY, maxX, maxY] of the points with finite x and y (and `mask[i]` 1 when given), or null when there are none. */
function pointBounds(xs: ArrayLike<number>, ys: ArrayLike<number>, mask: Uint8Array | null = null): [number, number, number, number] | null {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < xs.length; ++i) {
    if (mask !== null && mask[i] === 0) continue;
    const x = xs[i], y = ys[i];
    if (!(Number.isFinite(x) && Number.isFinite(y))) continue;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return minX === Infinity ? null : [minX, minY, maxX, maxY];
}

/**
 * Returns the automatic cell size of {@link grid} (see {@link GridOptions.cellSize}) for a
 * `width × height` box in metres: the shorter side over 50, rounded down to a multiple of 100 m
 * from 100 m up (sfhotspot 1.0.0's `set_cell_size()`), or to 1, 2, 2.5 or 5 × 10ᵏ m below that.
 * A box that is a line uses its length.
 *
 * @throws InputError `invalid-option` (worded for `grid`'s `cellSize`) when both sides are 0.
 * @example
 * automaticCellSize(12_345, 30_000); // => 200 (246.9 rounded down to a multiple of 100)
 * automaticCellSize(1_875, 4_000); // => 25 (37.5 rounded down to 1-2-2.5-5)
 */
export function automaticCellSize(width: number, height: number): number {
  let side = Math.min(width, height);
  if (!(side > 0)) side = Math.max(width, height);
  if (!(side > 0)) invalidOption(FN, "cellSize", "given when the points span no distance (a single location)", undefined);
  const raw = side / 50;
  if (raw >= 100) return Math.floor(raw / 100) * 100;
  let k = Math.floor(Math.log10(raw));
  const pow = (e: number) => (e >= 0 ? 10 ** e : 1 / 10 ** -e);
  if (pow(k) > raw) k -= 1;
  if (pow(k + 1) <= raw) k += 1;
  const p = pow(k);
  for (const m of [5, 2.5, 2, 1]) if (m * p <= raw) return m * p;
  return p;
}

function checkSize(columns: number, rows: number, maxCells: number): void {
  if (columns * rows > maxCells) {
    invalidOption(FN, "cellSize", `large enough for at most maxCells (${maxCells}) cells`, `${columns} × ${rows} cells`);
  }
}

function squareGrid(minX: number, minY: number, maxX: number, maxY: number, s: number, ax: number, ay: number, crs: string, maxCells: number): Grid {
  let x0 = ax + Math.floor((minX - ax) / s) * s;
  if (x0 > minX) x0 -= s;
  let y0 = ay + Math.floor((minY - ay) / s) * s;
  if (y0 > minY) y0 -= s;
  const columns = Math.floor((maxX - x0) / s) + 1;
  const rows = Math.floor((maxY - y0) / s) + 1;
  checkSize(columns, rows, maxCells);
  const n = columns * rows;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const cx = new Float64Array(columns);
  for (let c = 0; c < columns; ++c) cx[c] = x0 + (c + 0.5) * s;
  for (let r = 0, i = 0; r < rows; ++r) {
    const cy = y0 + (r + 0.5) * s;
    for (let c = 0; c < columns; ++c, ++i) {
      x[i] = cx[c];
      y[i] = cy;
    }
  }
  return { shape: "square", cellSize: s, originX: x0, originY: y0, columns, rows, length: n, x, y, crs, area: s * s };
}

function hexagonGrid(minX: number, minY: number, maxX: number, maxY: number, w: number, ax: number, ay: number, crs: string, maxCells: number): Grid {
  const circum = w / SQRT3;
  const dy = (w * SQRT3) / 2;
  const slackX = w * (0.5 + HEX_SLACK);
  const slackY = circum * (1 + HEX_SLACK);
  let r0 = Math.ceil((minY - slackY - ay) / dy);
  const r1 = Math.floor((maxY + slackY - ay) / dy);
  if (r0 % 2 !== 0) r0 -= 1; // first row even: odd rows are the ones shifted east
  const evenLo = Math.ceil((minX - slackX - ax) / w);
  const evenHi = Math.floor((maxX + slackX - ax) / w);
  const oddLo = Math.ceil((minX - slackX - ax) / w - 0.5);
  const oddHi = Math.floor((maxX + slackX - ax) / w - 0.5);
  const k0 = Math.min(evenLo, oddLo);
  const columns = Math.max(evenHi, oddHi) - k0 + 1;
  const rows = r1 - r0 + 1;
  checkSize(columns, rows, maxCells);
  const originX = ax + k0 * w;
  const originY = ay + r0 * dy;
  const n = columns * rows;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let r = 0, i = 0; r < rows; ++r) {
    const cy = originY + r * dy;
    const shift = (r & 1) * 0.5;
    for (let c = 0; c < columns; ++c, ++i) {
      x[i] = originX + (c + shift) * w;
      y[i] = cy;
    }
  }
  return { shape: "hexagon", cellSize: w, originX, originY, columns, rows, length: n, x, y, crs, area: (SQRT3 / 2) * w * w };
}

/** Row spacing of a grid: `cellSize` for squares, `cellSize·√3/2` for hexagons. @internal */
export function rowSpacing(g: Grid): number {
  return g.shape === "square" ? g.cellSize : (g.cellSize * SQRT3) / 2;
}

/**
 * Checks that `g` is a {@link Grid} as {@link grid} makes it (shape, positive cell size,
 * integer columns and rows, centre arrays of `columns * rows`), throwing `invalid-option`
 * under `fn`'s name otherwise. @internal
 */
export function checkGrid(fn: string, g: Grid): void {
  const ok =
    g !== null &&
    typeof g === "object" &&
    (g.shape === "square" || g.shape === "hexagon") &&
    g.cellSize > 0 &&
    Number.isFinite(g.cellSize) &&
    Number.isFinite(g.originX) &&
    Number.isFinite(g.originY) &&
    Number.isInteger(g.columns) &&
    Number.isInteger(g.rows) &&
    g.columns >= 1 &&
    g.rows >= 1 &&
    g.x instanceof Float64Array &&
    g.y instanceof Float64Array &&
    g.x.length === g.columns * g.rows &&
    g.y.length === g.x.length &&
    typeof g.crs === "string";
  if (!ok) invalidOption(fn, "grid", "a Grid made by grid()", g === null || typeof g !== "object" ? g : { shape: g.shape, cellSize: g.cellSize, columns: g.columns, rows: g.rows });
}

/**
 * The 0/1 period mask of `points` for `fn`'s `period` option (core's `periodMask`), or `null`
 * without a period; `points` must then be an incident table. @internal
 */
export function pointsPeriodMask(fn: string, points: GridPoints, period: Period | string | undefined, fyStartMonth: number | undefined): Uint8Array | null {
  if (period === undefined) return null;
  const t = points as Partial<PeriodMaskRows>;
  const table = t.start instanceof Int32Array && t.end instanceof Int32Array && t.precision instanceof Uint8Array && typeof t.zone === "string" && t.start.length === points.x.length;
  if (!table) invalidOption(fn, "period", "given only with an incident table (points with start, end, precision and zone)", typeof period === "string" ? period : period?.key);
  return periodMask(t as PeriodMaskRows, period, { fyStartMonth, fn });
}
