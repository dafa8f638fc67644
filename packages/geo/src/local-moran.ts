import { invalidOption } from "@community-safety/core";
import { finiteValues, resolveNeighbours, type DistanceBandSpec, type Neighbours } from "./distance-band.js";
import { normalP } from "./getis-ord.js";
import {
  checkPermutationAlternative,
  checkPermutations,
  checkSeed,
  conditionalPermutationP,
  type PermutationAlternative,
} from "./local-permutation.js";

/** Options for {@link localMoran}. */
export interface LocalMoranOptions {
  /**
   * Moments of I_i under randomisation: `true` (default) for the conditional moments of
   * Sokal, Oden & Thomson (1998) that spdep ≥ 1.2 uses by default; `false` for the total
   * randomisation moments of Anselin (1995) (`localmoran(conditional = FALSE)`, GeoDa's).
   */
  conditional?: boolean;
  /** Number of conditional permutations for `pSim`; 0 skips them. Default 0. */
  permutations?: number;
  /** Seed of the permutations (core's `seededRandom`). Default 1. */
  seed?: number;
  /** Alternative of `p` and `pSim` (see {@link PermutationAlternative}). Default `"two.sided"`. */
  alternative?: PermutationAlternative;
}

/** Quadrant of a cell in the Moran scatterplot: its value, then its neighbours' mean, each High or Low against the mean. */
export type MoranQuadrant = "HH" | "LL" | "HL" | "LH";

/** Result of {@link localMoran}. Arrays are indexed by cell. */
export interface LocalMoranResult {
  /** Local Moran's I_i. 0 for a cell without neighbours. */
  readonly ii: Float64Array;
  /** E[I_i] under the randomisation assumption chosen by `conditional`. */
  readonly expected: Float64Array;
  /** Var[I_i] under the same assumption. */
  readonly variance: Float64Array;
  /** (I_i − E[I_i]) / √Var[I_i]; `NaN` where the variance is 0 (a cell without neighbours, or all values equal). */
  readonly z: Float64Array;
  /** Analytic normal p-value of z for `alternative`; `NaN` where z is. */
  readonly p: Float64Array;
  /** Pseudo p-values from conditional permutations, or `null` when `permutations` is 0 (`NaN` for a cell without neighbours). */
  readonly pSim: Float64Array | null;
  /**
   * Moran-scatterplot quadrant (spdep's `attr(, "quadr")$mean`): first letter H when
   * x_i > mean(x) (else L), second letter H when the spatial lag of x_i > mean of the lags.
   */
  readonly quadrant: MoranQuadrant[];
  /** Spatial lag of the values: the mean of the neighbours' values (0 without neighbours). */
  readonly lag: Float64Array;
  /** Number of neighbours of each cell, self excluded. */
  readonly neighbourCount: Int32Array;
  /** The neighbour list used (built from the band when one was given). */
  readonly neighbours: Neighbours;
  readonly n: number;
  readonly conditional: boolean;
  readonly permutations: number;
  readonly seed: number;
  readonly alternative: PermutationAlternative;
  /** Why some z are `NaN` (`null` when all are defined). */
  readonly reason: string | null;
}

const FN = "localMoran";

/**
 * Returns Local Moran's I (Anselin 1995) for each cell, with its expectation, variance,
 * z-score and analytic p-value under randomisation, the Moran-scatterplot quadrant, and
 * optionally seeded conditional-permutation pseudo p-values.
 *
 * Variant: as `spdep::localmoran(x, nb2listw(nb, style = "W"))` in spdep 1.2-7 — the cell
 * itself **excluded** (a prebuilt list that names it is read without it), weights
 * **row-standardised** (w_ij = 1/k_i over the k_i neighbours), z = x − x̄,
 * m2 = Σ z²/n (`mlvar = TRUE`), I_i = (z_i/m2) Σ_j w_ij z_j. With W_i = Σ_j w_ij (1, or 0
 * without neighbours) and W2_i = Σ_j w_ij² (= 1/k_i):
 *
 * - conditional (default; Sokal et al. 1998): E = −z_i² W_i / ((n − 1) m2),
 *   Var = (z_i/m2)² · n/(n − 2) · (W2_i − W_i²/(n − 1)) · (m2 − z_i²/(n − 1));
 * - total (`conditional: false`; Anselin 1995): E = −W_i/(n − 1), b2 = (Σ z⁴/n)/m2²,
 *   Var = W2_i (n − b2)/(n − 1) + (W_i² − W2_i)(2 b2 − n)/((n − 1)(n − 2)) − E².
 *
 * z = (I − E)/√Var, p = 2Φ(−|z|) (or one tail). Checked against spdep 1.2-7 `localmoran`
 * (both variants) on a 500 m grid of Charnwood violent crime. A cell without neighbours has
 * I = 0, E = 0, Var = 0 and z = `NaN`, as spdep with `zero.policy = TRUE`.
 *
 * `pSim` holds x_i fixed and draws the neighbours' values from the other n − 1 cells
 * (conditional randomisation; esda `Moran_Local.p_sim`, `spdep::localmoran_perm`), with the
 * p-value convention of {@link PermutationAlternative}.
 *
 * @param values One value per cell, finite.
 * @param neighbours A CSR neighbour list or a distance band `{ x, y, distance }` in metres.
 * @throws InputError `invalid-input` for a non-finite value or a malformed neighbour list;
 *   `length-mismatch` when the list or the centres do not match `values`; `invalid-option` for
 *   `conditional`, `permutations`, `seed`, `alternative` or the band.
 * @example
 * // a 1 × 4 row of cells 100 m apart, rook neighbours
 * const r = localMoran([1, 2, 3, 10], { x: [0, 100, 200, 300], y: [0, 0, 0, 0], distance: 100 });
 * r.quadrant; // => ["LL", "LL", "LH", "HL"]
 */
export function localMoran(values: ArrayLike<number>, neighbours: Neighbours | DistanceBandSpec, options: LocalMoranOptions = {}): LocalMoranResult {
  if (options === null || typeof options !== "object") invalidOption(FN, "options", "an object", options);
  const conditional = options.conditional ?? true;
  if (typeof conditional !== "boolean") invalidOption(FN, "conditional", "a boolean", conditional);
  const permutations = checkPermutations(FN, options.permutations);
  const seed = checkSeed(FN, options.seed);
  const alternative = checkPermutationAlternative(FN, options.alternative);
  const x = finiteValues(FN, values);
  const nb = resolveNeighbours(FN, neighbours, x.length);
  const n = x.length;
  const { offsets, indices } = nb;

  let mean = 0;
  for (let i = 0; i < n; ++i) mean += x[i];
  mean /= n;
  const zc = new Float64Array(n);
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; ++i) {
    const d = x[i] - mean;
    zc[i] = d;
    m2 += d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  const b2 = m4 / n / (m2 * m2);

  const k = new Int32Array(n);
  const lag = new Float64Array(n);
  const lagZ = new Float64Array(n);
  let lagMean = 0;
  for (let i = 0; i < n; ++i) {
    let c = 0;
    let sx = 0;
    let sz = 0;
    for (let e = offsets[i]; e < offsets[i + 1]; ++e) {
      const j = indices[e];
      if (j === i) continue;
      ++c;
      sx += x[j];
      sz += zc[j];
    }
    k[i] = c;
    lag[i] = c > 0 ? sx / c : 0;
    lagZ[i] = c > 0 ? sz / c : 0;
    lagMean += lag[i];
  }
  lagMean /= n;

  const ii = new Float64Array(n);
  const expected = new Float64Array(n);
  const variance = new Float64Array(n);
  const z = new Float64Array(n);
  const p = new Float64Array(n);
  const quadrant = new Array<MoranQuadrant>(n);
  let undefinedCells = 0;
  for (let i = 0; i < n; ++i) {
    const zi = zc[i];
    const wi = k[i] > 0 ? 1 : 0;
    const wi2 = k[i] > 0 ? 1 / k[i] : 0;
    const I = (zi / m2) * lagZ[i];
    let E: number;
    let V: number;
    if (conditional) {
      E = -(zi * zi * wi) / ((n - 1) * m2);
      V = (zi / m2) ** 2 * (n / (n - 2)) * (wi2 - (wi * wi) / (n - 1)) * (m2 - (zi * zi) / (n - 1));
    } else {
      E = -wi / (n - 1);
      V = ((n - b2) / (n - 1)) * wi2 + ((2 * b2 - n) / ((n - 1) * (n - 2))) * (wi * wi - wi2) - E * E;
    }
    ii[i] = k[i] > 0 ? I : 0;
    expected[i] = E;
    variance[i] = V;
    const zz = V > 0 ? (ii[i] - E) / Math.sqrt(V) : Number.NaN;
    z[i] = zz;
    if (Number.isNaN(zz)) {
      p[i] = Number.NaN;
      ++undefinedCells;
    } else p[i] = normalP(zz, alternative);
    quadrant[i] = ((x[i] > mean ? "H" : "L") + (lag[i] > lagMean ? "H" : "L")) as MoranQuadrant;
  }

  let pSim: Float64Array | null = null;
  if (permutations > 0) {
    const scale = new Float64Array(n);
    for (let i = 0; i < n; ++i) scale[i] = k[i] > 0 ? zc[i] / m2 / k[i] : 0;
    pSim = conditionalPermutationP(zc, nb, scale, new Float64Array(n), permutations, seed, alternative);
    for (let i = 0; i < n; ++i) if (k[i] === 0 || !(m2 > 0)) pSim[i] = Number.NaN;
  }
  let reason: string | null = null;
  if (n > 0 && !(m2 > 0)) reason = "all values are equal: local Moran's I is undefined";
  else if (undefinedCells > 0) reason = `${undefinedCells} cell(s) have zero variance (no neighbours, or n < 3): z is undefined there`;
  return { ii, expected, variance, z, p, pSim, quadrant, lag, neighbourCount: k, neighbours: nb, n, conditional, permutations, seed, alternative, reason };
}
