import KDBush from "kdbush";
import { InputError, describeValue, failInput, invalidOption } from "@community-safety/core";

/**
 * Neighbour lists in compressed sparse row (CSR) form, as {@link distanceBandNeighbours}
 * returns them: the neighbours of cell `i` are `indices[offsets[i]]` … `indices[offsets[i + 1] - 1]`.
 * Weights are binary (every listed neighbour has weight 1); there is no weights array.
 */
export interface Neighbours {
  /** Row pointers, length n + 1, `offsets[0] = 0`, non-decreasing, `offsets[n] = indices.length`. */
  readonly offsets: Int32Array;
  /** Neighbour cell indices, each in `0 … n − 1`, no repeats within a row. */
  readonly indices: Int32Array;
}

/**
 * A distance band given instead of a prebuilt {@link Neighbours} list: cell centres `x`, `y`
 * (projected metres) and the band `distance` (metres). Functions that accept it call
 * {@link distanceBandNeighbours} with `tolerance`.
 */
export interface DistanceBandSpec {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  /** Band radius in metres: j is a neighbour of i when d(i, j) ≤ distance · (1 + tolerance). */
  readonly distance: number;
  /** Relative tolerance on the band. Default 1e-9 (see {@link DistanceBandOptions.tolerance}). */
  readonly tolerance?: number;
}

/** Options for {@link distanceBandNeighbours}. */
export interface DistanceBandOptions {
  /** List each cell among its own neighbours (`spdep::include.self`). Default `false`. */
  includeSelf?: boolean;
  /**
   * Relative tolerance on the band: j is a neighbour of i when d(i, j) ≤ distance · (1 + tolerance).
   * Default 1e-9, as the repository's oracle (`/work/shared/oracles/grid_common.R`:
   * `dnearneigh(centres, 0, band * (1 + 1e-9))`), so that a band equal to a lattice distance
   * (a cell side, its diagonal c·√2, 2c) keeps those cells despite round-off in the centres.
   * 0 gives `spdep::dnearneigh(centres, 0, distance)` exactly.
   */
  tolerance?: number;
}

const FN = "distanceBandNeighbours";

/**
 * Returns the binary distance-band neighbours of points (typically grid-cell centres) in CSR
 * form: j ≠ i is a neighbour of i when the Euclidean distance between them is at most
 * `distance · (1 + tolerance)`, as `spdep::dnearneigh(cbind(x, y), 0, distance · (1 + tolerance))`
 * (spdep's default bounds `c("GE", "LE")`, so two distinct points at the same place are
 * neighbours) and libpysal's `DistanceBand(binary = True)`. With `includeSelf` each cell is also
 * listed as its own neighbour (`spdep::include.self`). Each row is sorted ascending. No edge
 * correction: cells at the edge of the study area simply have fewer neighbours.
 *
 * Built with a static k-d tree (kdbush) — one radius query per point — so a 10⁶-cell grid
 * takes about a second. Coordinates must be projected (metres); lon/lat degrees are not
 * distances. Empty input gives `offsets = [0]` and no indices.
 *
 * @param x Cell-centre eastings (metres).
 * @param y Cell-centre northings (metres), the same length as `x`.
 * @param distance Band radius in metres, positive and finite.
 * @throws InputError `length-mismatch` when `x` and `y` differ in length; `invalid-coordinate`
 *   for a coordinate that is not a finite number; `invalid-option` for a `distance` that is not
 *   positive and finite, a `tolerance` that is not a non-negative finite number, or a
 *   non-boolean `includeSelf`.
 * @example
 * // the six points of the PySAL esda G_Local example, band 15
 * const nb = distanceBandNeighbours([10, 20, 40, 15, 30, 30], [10, 10, 10, 20, 20, 30], 15);
 * nb.offsets; // => Int32Array [0, 2, 5, 6, 9, 13, 14]
 * nb.indices; // => Int32Array [1, 3, 0, 3, 4, 4, 0, 1, 4, 1, 2, 3, 5, 4]
 */
export function distanceBandNeighbours(x: ArrayLike<number>, y: ArrayLike<number>, distance: number, options: DistanceBandOptions = {}): Neighbours {
  if (options === null || typeof options !== "object") invalidOption(FN, "options", "an object", options);
  const includeSelf = options.includeSelf ?? false;
  if (typeof includeSelf !== "boolean") invalidOption(FN, "includeSelf", "a boolean", includeSelf);
  const tolerance = checkTolerance(FN, options.tolerance);
  checkDistance(FN, distance);
  const n = checkCoordinates(FN, x, y);
  return bandKernel(x, y, n, distance * (1 + tolerance), includeSelf);
}

/** The CSR build: one kdbush radius query per point, rows sorted ascending. */
function bandKernel(x: ArrayLike<number>, y: ArrayLike<number>, n: number, radius: number, includeSelf: boolean): Neighbours {
  const offsets = new Int32Array(n + 1);
  if (n === 0) return { offsets, indices: new Int32Array(0) };
  const tree = new KDBush(n, 16, Float64Array); // node size 16: ~30% faster radius queries than the default 64 on grids
  for (let i = 0; i < n; ++i) tree.add(x[i], y[i]);
  tree.finish();
  let buffer = new Int32Array(64);
  let indices = new Int32Array(Math.max(16, n * 9));
  let nnz = 0;
  for (let i = 0; i < n; ++i) {
    let count = tree.withinInto(x[i], y[i], radius, buffer);
    if (count > buffer.length) {
      // typed-array writes past the end are dropped: grow and query again
      buffer = new Int32Array(count * 2);
      count = tree.withinInto(x[i], y[i], radius, buffer);
    }
    if (nnz + count > indices.length) {
      const grown = new Int32Array(Math.max(indices.length * 2, nnz + count));
      grown.set(indices.subarray(0, nnz));
      indices = grown;
    }
    const rowStart = nnz;
    for (let k = 0; k < count; ++k) {
      const j = buffer[k];
      if (j === i && !includeSelf) continue;
      // insertion sort: rows are short
      let p = nnz++;
      while (p > rowStart && indices[p - 1] > j) {
        indices[p] = indices[p - 1];
        --p;
      }
      indices[p] = j;
    }
    offsets[i + 1] = nnz;
  }
  return { offsets, indices: indices.slice(0, nnz) };
}

// ---- shared validation (used by getis-ord, local-moran, p-adjust, emerging-hotspots, hotspot-change) ----

/** @internal Validates a positive finite band distance. */
export function checkDistance(fn: string, distance: unknown): asserts distance is number {
  if (!(typeof distance === "number" && distance > 0 && Number.isFinite(distance))) invalidOption(fn, "distance", "a positive finite number of metres", distance);
}

/** @internal Validates the relative band tolerance (default 1e-9). */
export function checkTolerance(fn: string, tolerance: unknown): number {
  const t = tolerance ?? 1e-9;
  if (!(typeof t === "number" && t >= 0 && Number.isFinite(t))) invalidOption(fn, "tolerance", "a non-negative finite number", t);
  return t;
}

/** @internal Validates parallel coordinate arrays and returns their length. */
export function checkCoordinates(fn: string, x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (!isArrayLike(x)) failInput("invalid-input", fn, "x", "an array of numbers", x);
  if (!isArrayLike(y)) failInput("invalid-input", fn, "y", "an array of numbers", y);
  const n = x.length;
  if (y.length !== n) failInput("length-mismatch", fn, "y", `the same length as x (${n})`, y.length);
  for (let i = 0; i < n; ++i) {
    const a = x[i];
    const b = y[i];
    if (typeof a !== "number" || !Number.isFinite(a)) throw new InputError("invalid-coordinate", `${fn}: x[${i}] must be a finite number, got ${show(a)}`);
    if (typeof b !== "number" || !Number.isFinite(b)) throw new InputError("invalid-coordinate", `${fn}: y[${i}] must be a finite number, got ${show(b)}`);
  }
  return n;
}

/**
 * @internal Validates a CSR neighbour list for `n` cells: offsets of length n + 1 from 0,
 * non-decreasing, ending at `indices.length`; indices integers in range, no repeat within a row.
 */
export function checkNeighbours(fn: string, neighbours: Neighbours, n: number, name = "neighbours"): void {
  if (neighbours === null || typeof neighbours !== "object") failInput("invalid-input", fn, name, "a neighbour list { offsets, indices }", neighbours);
  const { offsets, indices } = neighbours;
  if (!isArrayLike(offsets) || !isArrayLike(indices)) failInput("invalid-input", fn, name, "a neighbour list { offsets, indices } of integer arrays", neighbours);
  if (offsets.length !== n + 1) failInput("length-mismatch", fn, `${name}.offsets`, `of length n + 1 = ${n + 1} (one row per cell)`, offsets.length);
  if (offsets[0] !== 0) failInput("invalid-input", fn, `${name}.offsets[0]`, "0", offsets[0]);
  if (offsets[n] !== indices.length) failInput("invalid-input", fn, `${name}.offsets[${n}]`, `indices.length (${indices.length})`, offsets[n]);
  const seen = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; ++i) {
    const a = offsets[i];
    const b = offsets[i + 1];
    if (!Number.isInteger(b) || b < a) failInput("invalid-input", fn, `${name}.offsets[${i + 1}]`, `an integer ≥ offsets[${i}] (${a})`, b);
    for (let k = a; k < b; ++k) {
      const j = indices[k];
      if (!Number.isInteger(j) || j < 0 || j >= n) failInput("invalid-input", fn, `${name}.indices[${k}]`, `a cell index in 0 … ${n - 1}`, j);
      if (seen[j] === i) failInput("invalid-input", fn, `${name}.indices[${k}]`, `listed once in row ${i}`, j);
      seen[j] = i;
    }
  }
}

/**
 * @internal Resolves the `neighbours` argument of the local statistics: a prebuilt CSR list
 * (validated for `n` cells) or a {@link DistanceBandSpec} built here (without self).
 */
export function resolveNeighbours(fn: string, spec: Neighbours | DistanceBandSpec, n: number): Neighbours {
  if (spec === null || typeof spec !== "object") failInput("invalid-input", fn, "neighbours", "a neighbour list { offsets, indices } or a band { x, y, distance }", spec);
  if ("offsets" in spec) {
    checkNeighbours(fn, spec, n);
    return spec;
  }
  if (!("distance" in spec) || !("x" in spec) || !("y" in spec)) failInput("invalid-input", fn, "neighbours", "a neighbour list { offsets, indices } or a band { x, y, distance }", spec);
  checkDistance(fn, spec.distance);
  const tolerance = checkTolerance(fn, spec.tolerance);
  const m = checkCoordinates(fn, spec.x, spec.y);
  if (m !== n) failInput("length-mismatch", fn, "neighbours.x", `one centre per value (${n})`, m);
  return bandKernel(spec.x, spec.y, m, spec.distance * (1 + tolerance), false);
}

/** @internal Copies `values` into a Float64Array, throwing `invalid-input` on a non-finite value. */
export function finiteValues(fn: string, values: ArrayLike<number>, name = "values"): Float64Array {
  if (!isArrayLike(values)) failInput("invalid-input", fn, name, "an array of finite numbers", values);
  const n = values.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; ++i) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new InputError("invalid-input", `${fn}: ${name}[${i}] must be a finite number, got ${show(v)}`);
    out[i] = v;
  }
  return out;
}

/** A value for an error message: numbers as JavaScript prints them (NaN, Infinity). */
function show(v: unknown): string {
  return typeof v === "number" ? String(v) : describeValue(v);
}

function isArrayLike(v: unknown): v is ArrayLike<number> {
  return v !== null && v !== undefined && typeof v === "object" && typeof (v as { length?: unknown }).length === "number";
}
