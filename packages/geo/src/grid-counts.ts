import { type Period, failInput } from "@community-safety/core";
import { checkGrid, pointsPeriodMask, rowSpacing, type Grid, type GridPoints } from "./grid.js";

/** Options for {@link gridCounts}. */
export interface GridCountsOptions {
  /**
   * With an incident table as `points`: count only the incidents of this period — a key
   * (`"2021/22"`, `"2021-Q3"`, `"2021-07"`, a month range `"2021-04..2021-10"`) read in the table's
   * zone, or a core `Period`; incidents placed by the start of their occurrence window, as
   * `grid` and `streetCounts` place them (core's `periodMask`). Incidents of other periods get
   * cell -1 and are in none of `counted`, `noLocation` and `outside`. Default: every incident.
   */
  period?: Period | string;
  /** First month (1–12) of the financial year, for `period` keys such as `"2021/22"`. Default 4. */
  fyStartMonth?: number;
}

/** What {@link gridCounts} returns. */
export interface GridCountsResult {
  /** Points per cell, in cell order (`grid.length` values). */
  readonly counts: Float64Array;
  /** For each point, the index of its cell, or -1 (no location, outside the grid, or outside the `period`). */
  readonly cell: Int32Array;
  /** Points counted in some cell (the sum of `counts`). */
  readonly counted: number;
  /** Points without a location (`x` or `y` not finite, e.g. NaN in an incident table). */
  readonly noLocation: number;
  /** Points with a location outside the grid. */
  readonly outside: number;
}

const FN = "gridCounts";

/**
 * Returns the number of points in each cell of a {@link Grid}, and each point's cell.
 *
 * Every located point is counted in exactly one cell, or reported as `outside`.
 * - **Squares:** half-open cells, `col = ⌊(x − originX)/cellSize⌋`, `row = ⌊(y − originY)/cellSize⌋`
 *   in double precision exactly as written (the oracle grid of shared/oracles/grid_common.R),
 *   so a point on an internal edge belongs to the cell to its right (east) or above (north).
 *   sfhotspot instead counts such a point in every touching cell.
 * - **Hexagons:** the cell whose centre is nearest (the hexagon's Voronoi rule), found exactly:
 *   the nearest centre always lies in one of the two rows bracketing `y`, and in each of them
 *   the two centres bracketing `x` are compared by squared distance computed from the same
 *   centre co-ordinates as `grid.x`/`grid.y`. **Tie rule:** a point equidistant from several
 *   centres (on a shared side or vertex) goes to the cell with the largest index — the upper
 *   row, then the eastern cell — matching the squares' "right or above" rule. A point whose
 *   nearest lattice centre lies beyond the grid is `outside`.
 *
 * Points without a location (NaN or infinite `x` or `y`) are counted in `noLocation`. An empty
 * input gives all-zero counts.
 *
 * @param points An incident table, or `{ x, y }` arrays in the grid's metres.
 * @throws InputError `invalid-option` when `grid` is not a grid made by {@link grid}, or a
 *   `period` is given with plain arrays (it needs an incident table); `invalid-date` and
 *   `precision-too-coarse` for a `period` as core's `periodMask`.
 * @throws InputError `length-mismatch` when `x` and `y` differ in length.
 * @throws InputError `invalid-input` when `points` has no `x` and `y`.
 * @example
 * const g = grid([0, 0, 1999, 999], { cellSize: 1000 });
 * const r = gridCounts(g, { x: [10, 1000, 1999, NaN, 5000], y: [10, 0, 999, 0, 0] });
 * Array.from(r.counts); // => [1, 2]
 * [r.noLocation, r.outside]; // => [1, 1]
 * // One financial year of an incident table, on a grid laid out for that year:
 * const fy = grid(table, { cellSize: 500, period: "2021/22" });
 * gridCounts(fy, table, { period: "2021/22" }).counted; // => 15853 (Charnwood's police.uk rows of 2021/22)
 */
export function gridCounts(grid: Grid, points: GridPoints, options: GridCountsOptions = {}): GridCountsResult {
  checkGrid(FN, grid);
  if (points === null || typeof points !== "object" || points.x === undefined || points.y === undefined) {
    failInput("invalid-input", FN, "points", "an incident table or { x, y } arrays", points);
  }
  const xs = points.x, ys = points.y;
  if (xs.length !== ys.length) failInput("length-mismatch", FN, "x and y", "the same length", [xs.length, ys.length]);
  const { period, fyStartMonth } = options ?? {};
  const inPeriod = pointsPeriodMask(FN, points, period, fyStartMonth);
  const cell = new Int32Array(xs.length);
  if (grid.shape === "square") assignSquare(grid, xs, ys, cell);
  else assignHexagon(grid, xs, ys, cell);
  if (inPeriod !== null) for (let i = 0; i < cell.length; ++i) if (inPeriod[i] === 0) cell[i] = NOT_IN_PERIOD;
  const counts = new Float64Array(grid.length);
  let noLocation = 0, outside = 0, notInPeriod = 0;
  for (let i = 0; i < cell.length; ++i) {
    const c = cell[i];
    if (c >= 0) counts[c] += 1;
    else if (c === NO_LOCATION) ++noLocation;
    else if (c === NOT_IN_PERIOD) ++notInPeriod;
    else ++outside;
  }
  for (let i = 0; i < cell.length; ++i) if (cell[i] < 0) cell[i] = -1;
  return { counts, cell, counted: xs.length - noLocation - outside - notInPeriod, noLocation, outside };
}

const NO_LOCATION = -2;
const OUTSIDE = -1;
const NOT_IN_PERIOD = -3;

/** Writes each point's square cell (or NO_LOCATION / OUTSIDE) into `out`. */
function assignSquare(g: Grid, xs: ArrayLike<number>, ys: ArrayLike<number>, out: Int32Array): void {
  const { originX: x0, originY: y0, cellSize: s, columns, rows } = g;
  for (let i = 0; i < xs.length; ++i) {
    const x = xs[i], y = ys[i];
    if (!(Number.isFinite(x) && Number.isFinite(y))) {
      out[i] = NO_LOCATION;
      continue;
    }
    const col = Math.floor((x - x0) / s);
    const row = Math.floor((y - y0) / s);
    out[i] = col >= 0 && col < columns && row >= 0 && row < rows ? row * columns + col : OUTSIDE;
  }
}

/**
 * Writes each point's hexagon (nearest centre, ties to the largest index) into `out`.
 * Centres are computed with the formula grid() uses to fill `x`/`y`, so in-grid candidates
 * have exactly the stored co-ordinates.
 */
function assignHexagon(g: Grid, xs: ArrayLike<number>, ys: ArrayLike<number>, out: Int32Array): void {
  const { originX, originY, cellSize: w, columns, rows } = g;
  const dy = rowSpacing(g);
  for (let i = 0; i < xs.length; ++i) {
    const x = xs[i], y = ys[i];
    if (!(Number.isFinite(x) && Number.isFinite(y))) {
      out[i] = NO_LOCATION;
      continue;
    }
    const rLo = Math.floor((y - originY) / dy);
    let best = Infinity, bestRow = 0, bestCol = 0;
    for (let r = rLo; r <= rLo + 1; ++r) {
      const cy = originY + r * dy;
      const shift = (r & 1) * 0.5;
      const ddy = y - cy;
      const cLo = Math.floor((x - originX) / w - shift);
      for (let c = cLo; c <= cLo + 1; ++c) {
        const ddx = x - (originX + (c + shift) * w);
        const d2 = ddx * ddx + ddy * ddy;
        if (d2 <= best) {
          best = d2;
          bestRow = r;
          bestCol = c;
        }
      }
    }
    out[i] = bestCol >= 0 && bestCol < columns && bestRow >= 0 && bestRow < rows ? bestRow * columns + bestCol : OUTSIDE;
  }
}
