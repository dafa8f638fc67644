import { invalidOption, normalCdf } from "@community-safety/core";
import { checkDistance, finiteValues, resolveNeighbours, type DistanceBandSpec, type Neighbours } from "./distance-band.js";
import { checkGrid, type Grid } from "./grid.js";
import {
  checkPermutationAlternative,
  checkPermutations,
  checkSeed,
  conditionalPermutationP,
  type PermutationAlternative,
} from "./local-permutation.js";

/** Options for {@link getisOrdGiStar}. */
export interface GetisOrdGiStarOptions {
  /** Number of conditional permutations for the pseudo p-values `pSim`; 0 skips them. Default 0 (esda uses 999). */
  permutations?: number;
  /** Seed of the permutations (core's `seededRandom`), an integer from 0 to 2³² − 1. Default 1. */
  seed?: number;
  /**
   * Alternative of `p` and `pSim`: `"two.sided"` (default), `"greater"` (hot spots only),
   * `"less"` (cold spots only), or `"folded"` (`pSim` folded about the simulated mean; `p`
   * two-sided). See {@link PermutationAlternative}.
   */
  alternative?: PermutationAlternative;
  /**
   * With a {@link Grid} as `neighbours`: the distance band in metres between cell centres.
   * Default `1.5 × cellSize`, each cell with the cells touching it: the 8 around a square (queen
   * contiguity: sides at s, corners at s√2 ≈ 1.41 s, the next ring from 2 s) or the 6 around a
   * hexagon (at s; the next ring from s√3 ≈ 1.73 s). Only with a Grid.
   */
  distance?: number;
}

/** Result of {@link getisOrdGiStar}. Arrays are indexed by cell, in the order of `values`. */
export interface GetisOrdGiStarResult {
  /** The Gi* z-score of each cell (positive = hot, negative = cold); `NaN` where undefined (see `reason`). */
  readonly z: Float64Array;
  /** Analytic p-value of z under the normal approximation, for `alternative` (two-sided by default); `NaN` where z is. */
  readonly p: Float64Array;
  /** Pseudo p-values from conditional permutations, or `null` when `permutations` is 0. */
  readonly pSim: Float64Array | null;
  /** Neighbourhood size |N_i ∪ {i}| of each cell = W_i, the number of cells in its Gi* sum (used by local Bonferroni). */
  readonly neighbourCount: Int32Array;
  /** The neighbour list used (built from the band when one was given; self not listed). */
  readonly neighbours: Neighbours;
  /** Number of cells. */
  readonly n: number;
  /** Mean of the values over all cells. */
  readonly mean: number;
  /** Population standard deviation of the values (divisor n). */
  readonly sd: number;
  readonly permutations: number;
  readonly seed: number;
  readonly alternative: PermutationAlternative;
  /** Why z is `NaN` everywhere or somewhere (`null` when every z is defined). */
  readonly reason: string | null;
}

const FN = "getisOrdGiStar";

/**
 * Returns the Getis–Ord Gi* z-score of each cell (Getis & Ord 1992; Ord & Getis 1995), with
 * its analytic p-value and, optionally, seeded conditional-permutation pseudo p-values.
 *
 * Variant: binary weights **including the cell itself** (w_ii = 1, w_ij = 1 for each
 * neighbour j), not row-standardised. With x̄ the mean and s the population standard
 * deviation (divisor n) of all n values, W_i = |N_i ∪ {i}| (= S1_i for binary weights):
 *
 *   z_i = (Σ_{j ∈ N_i ∪ {i}} x_j − x̄ W_i) / (s √((n W_i − W_i²)/(n − 1)))
 *
 * This is exactly `spdep::localG(x, nb2listw(include.self(nb), style = "B"))` (checked to
 * ~1e-15 against spdep 1.2-7 on a 500 m grid of Charnwood violent crime), PySAL esda's
 * `G_Local(y, w, transform = "B", star = True).Zs` (the six-point example of its docs), and
 * sfhotspot's `gistar` column. Whether a prebuilt list names the cell itself or not makes no
 * difference: the cell is always counted once. With a band `{ x, y, distance }` the list is
 * built by {@link distanceBandNeighbours}. Grid cells with zero counts are values like any
 * other (they enter n, x̄ and s), as in spdep and ArcGIS.
 *
 * `p` is 2Φ(−|z|) (or one tail for `"greater"`/`"less"`), with no multiple-testing
 * adjustment (see {@link pAdjust}). `pSim` (when `permutations` > 0) holds each cell's value
 * fixed and draws its other neighbours' values without replacement from the remaining cells
 * (conditional randomisation, as esda's `crand` and `spdep::localG_perm`); the p-value
 * convention is esda's for the given alternative — by default esda ≥ 2.6's two-sided
 * 2(min(#{sim ≥ obs}, #{sim ≤ obs}) + 1)/(R + 1), capped at 1 (see {@link PermutationAlternative};
 * esda's legacy `"directed"` default was half that). The random numbers are core's seeded
 * xoshiro128**, so the same seed gives the same pSim on every platform.
 *
 * z is `NaN` everywhere when all values are equal (s = 0) and for a cell whose neighbourhood
 * holds every cell (n W_i = W_i²); `reason` says so. No cells give empty arrays.
 *
 * @param values One value per cell (typically counts), finite.
 * @param neighbours A CSR neighbour list, a distance band `{ x, y, distance }` in metres, or a
 *   {@link Grid} (its cell centres with the band `options.distance`, by default the touching cells).
 * @throws InputError `invalid-input` for a non-finite value or a malformed neighbour list;
 *   `length-mismatch` when the list or the centres do not match `values`; `invalid-coordinate`
 *   for a non-finite centre; `invalid-option` for `permutations`, `seed`, `alternative` or the
 *   band `distance`/`tolerance`, a malformed Grid, or `options.distance` without a Grid.
 * @example
 * // PySAL esda G_Local docs: points (10,10) (20,10) (40,10) (15,20) (30,20) (30,30), band 15
 * const r = getisOrdGiStar(new Float64Array([2, 3, 3.2, 5, 8, 7]), {
 *   x: [10, 20, 40, 15, 30, 30], y: [10, 10, 10, 20, 20, 30], distance: 15,
 * });
 * r.z; // => [-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331] (to 8 dp)
 * // On a grid: the counts of its cells, each cell with the cells touching it.
 * const g = grid(table, { cellSize: 250 });
 * getisOrdGiStar(gridCounts(g, table).counts, g).z;
 */
export function getisOrdGiStar(
  values: ArrayLike<number>,
  neighbours: Neighbours | DistanceBandSpec | Grid,
  options: GetisOrdGiStarOptions = {},
): GetisOrdGiStarResult {
  if (options === null || typeof options !== "object") invalidOption(FN, "options", "an object", options);
  const permutations = checkPermutations(FN, options.permutations);
  const seed = checkSeed(FN, options.seed);
  const alternative = checkPermutationAlternative(FN, options.alternative);
  const x = finiteValues(FN, values);
  let spec: Neighbours | DistanceBandSpec = neighbours as Neighbours | DistanceBandSpec;
  if (isGrid(neighbours)) {
    checkGrid(FN, neighbours);
    const distance = options.distance ?? 1.5 * neighbours.cellSize;
    checkDistance(FN, distance);
    spec = { x: neighbours.x, y: neighbours.y, distance };
  } else if (options.distance !== undefined) invalidOption(FN, "distance", "given only with a Grid as neighbours (a band carries its own distance)", options.distance);
  const nb = resolveNeighbours(FN, spec, x.length);
  return giStarKernel(x, nb, permutations, seed, alternative);
}

/**
 * Whether `v` is meant as a {@link Grid} (then validated by checkGrid): it has a shape and a cell
 * size, and neither a neighbour list's `offsets` nor a band's `distance` (`{ ...grid, distance }` is a band).
 */
function isGrid(v: unknown): v is Grid {
  return v !== null && typeof v === "object" && "shape" in v && "cellSize" in v && !("offsets" in v) && !("distance" in v);
}

/** @internal The Gi* kernel on validated input (used by emergingHotspots and hotspotChange). */
export function giStarKernel(x: Float64Array, nb: Neighbours, permutations: number, seed: number, alternative: PermutationAlternative): GetisOrdGiStarResult {
  const n = x.length;
  const { offsets, indices } = nb;
  const z = new Float64Array(n);
  const p = new Float64Array(n);
  const count = new Int32Array(n);
  let mean = 0;
  for (let i = 0; i < n; ++i) mean += x[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; ++i) ss += (x[i] - mean) * (x[i] - mean);
  const s2 = ss / n;
  const sd = Math.sqrt(s2);
  let undefinedCells = 0;
  for (let i = 0; i < n; ++i) {
    let sum = x[i];
    let w = 1;
    for (let e = offsets[i]; e < offsets[i + 1]; ++e) {
      const j = indices[e];
      if (j === i) continue;
      sum += x[j];
      ++w;
    }
    count[i] = w;
    const v = s2 * ((n * w - w * w) / (n - 1));
    const zi = v > 0 ? (sum - w * mean) / Math.sqrt(v) : Number.NaN;
    z[i] = zi;
    if (Number.isNaN(zi)) {
      p[i] = Number.NaN;
      ++undefinedCells;
    } else p[i] = normalP(zi, alternative);
  }
  let reason: string | null = null;
  if (n > 0 && !(s2 > 0)) reason = "all values are equal (standard deviation 0): Gi* is undefined";
  else if (undefinedCells > 0) reason = `${undefinedCells} cell(s) have every cell in their neighbourhood: Gi* is undefined there`;
  let pSim: Float64Array | null = null;
  if (permutations > 0) {
    const scale = new Float64Array(n).fill(1);
    pSim = conditionalPermutationP(x, nb, scale, x, permutations, seed, alternative);
    for (let i = 0; i < n; ++i) if (Number.isNaN(z[i])) pSim[i] = Number.NaN;
  }
  return { z, p, pSim, neighbourCount: count, neighbours: nb, n, mean: n > 0 ? mean : Number.NaN, sd: n > 0 ? sd : Number.NaN, permutations, seed, alternative, reason };
}

/** @internal Normal p-value of a z-score for an alternative (`"folded"` = two-sided). */
export function normalP(z: number, alternative: PermutationAlternative): number {
  if (alternative === "greater") return normalCdf(z, { lowerTail: false });
  if (alternative === "less") return normalCdf(z);
  return 2 * normalCdf(-Math.abs(z));
}
