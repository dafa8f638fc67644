import { invalidOption, seededRandom } from "@community-safety/core";
import type { Neighbours } from "./distance-band.js";

/**
 * The alternative hypothesis of a pseudo p-value from conditional permutations, in R's words
 * plus esda's `"folded"`. With R permutations and the simulated statistics `sim`:
 *
 * - `"two.sided"` — 2 (min(#{sim ≥ obs}, #{sim ≤ obs}) + 1) / (R + 1), capped at 1
 *   (esda ≥ 2.6 `alternative = "two-sided"`, `esda.significance.calculate_significance`);
 * - `"greater"` — (#{sim ≥ obs} + 1) / (R + 1) (a hot spot / positive association);
 * - `"less"` — (#{sim ≤ obs} + 1) / (R + 1) (esda `"lesser"`);
 * - `"folded"` — (#{|sim − m| ≥ |obs − m|} + 1) / (R + 1), m = the mean of the simulations
 *   (esda `"folded"`; spdep's `Pr(folded) Sim`).
 *
 * For the analytic (normal) p-values `"folded"` means two-sided.
 */
export type PermutationAlternative = "two.sided" | "greater" | "less" | "folded";

const ALTERNATIVES: readonly PermutationAlternative[] = ["two.sided", "greater", "less", "folded"];

/** @internal Validates `permutations` (default 0 = none): an integer from 0 to 1,000,000. */
export function checkPermutations(fn: string, permutations: unknown): number {
  const r = permutations ?? 0;
  if (!(typeof r === "number" && Number.isInteger(r) && r >= 0 && r <= 1_000_000)) invalidOption(fn, "permutations", "an integer from 0 to 1,000,000", r);
  return r;
}

/** @internal Validates `seed` (default 1): an integer from 0 to 2³² − 1. */
export function checkSeed(fn: string, seed: unknown): number {
  const s = seed ?? 1;
  if (!(typeof s === "number" && Number.isInteger(s) && s >= 0 && s <= 0xffffffff)) invalidOption(fn, "seed", "an integer from 0 to 2^32 - 1", s);
  return s;
}

/** @internal Validates `alternative` (default `"two.sided"`). */
export function checkPermutationAlternative(fn: string, alternative: unknown): PermutationAlternative {
  const a = alternative ?? "two.sided";
  if (!ALTERNATIVES.includes(a as PermutationAlternative)) invalidOption(fn, "alternative", '"two.sided", "greater", "less" or "folded"', a);
  return a as PermutationAlternative;
}

/**
 * @internal Pseudo p-values by conditional randomisation (Anselin 1995): for each cell i, the
 * value at i is held fixed and its k_i other neighbours (row i without i itself) are replaced
 * by k_i values drawn without replacement from the other n − 1 cells. The statistic must be
 * an affine function of the neighbours' sum, stat_i = scale[i] · Σ values[sample] + shift[i];
 * the observed statistic is evaluated by the same formula on the real neighbours, so ties
 * between observed and simulated sums are exact ties of the statistic.
 *
 * As esda's `crand`: one table of R rows, each holding maxK distinct ids drawn from
 * 0 … n − 2 in random order, is shared by every cell; cell i uses the first k_i ids of each
 * row, mapping id j to j when j < i and to j + 1 otherwise (so i is never drawn). The random
 * stream is core's `seededRandom(seed)` (xoshiro128**), not numpy's, so p-values agree with
 * esda's in distribution, not digit for digit.
 */
export function conditionalPermutationP(
  values: Float64Array,
  neighbours: Neighbours,
  scale: Float64Array,
  shift: Float64Array,
  permutations: number,
  seed: number,
  alternative: PermutationAlternative,
): Float64Array {
  const n = values.length;
  const { offsets, indices } = neighbours;
  const p = new Float64Array(n);
  const others = new Int32Array(n);
  const observedSum = new Float64Array(n);
  let maxK = 0;
  for (let i = 0; i < n; ++i) {
    let k = 0;
    let s = 0;
    for (let e = offsets[i]; e < offsets[i + 1]; ++e) {
      const j = indices[e];
      if (j === i) continue;
      s += values[j];
      ++k;
    }
    others[i] = k;
    observedSum[i] = s;
    if (k > maxK) maxK = k;
  }
  const R = permutations;
  const table = drawTable(n - 1, maxK, R, seed);
  const sims = new Float64Array(R);
  for (let i = 0; i < n; ++i) {
    const k = others[i];
    const a = scale[i];
    const b = shift[i];
    const obs = a * observedSum[i] + b;
    let mean = 0;
    for (let r = 0; r < R; ++r) {
      let s = 0;
      const row = r * maxK;
      for (let m = 0; m < k; ++m) {
        const id = table[row + m];
        s += values[id < i ? id : id + 1];
      }
      const stat = a * s + b;
      sims[r] = stat;
      mean += stat;
    }
    mean /= R;
    let ge = 0;
    let le = 0;
    let folded = 0;
    const dObs = Math.abs(obs - mean);
    for (let r = 0; r < R; ++r) {
      const v = sims[r];
      if (v >= obs) ++ge;
      if (v <= obs) ++le;
      if (Math.abs(v - mean) >= dObs) ++folded;
    }
    if (alternative === "greater") p[i] = (ge + 1) / (R + 1);
    else if (alternative === "less") p[i] = (le + 1) / (R + 1);
    else if (alternative === "folded") p[i] = (folded + 1) / (R + 1);
    else p[i] = Math.min((2 * (Math.min(ge, le) + 1)) / (R + 1), 1);
  }
  return p;
}

/** R rows of k distinct ids from 0 … m − 1 each, in random order (rejection, or a partial Fisher–Yates when k > m/2). */
function drawTable(m: number, k: number, R: number, seed: number): Int32Array {
  const table = new Int32Array(R * k);
  if (k === 0 || R === 0) return table;
  const rng = seededRandom(seed);
  if (2 * k <= m) {
    const stamp = new Int32Array(m);
    for (let r = 0; r < R; ++r) {
      const row = r * k;
      for (let c = 0; c < k; ) {
        const j = rng.int(m);
        if (stamp[j] === r + 1) continue;
        stamp[j] = r + 1;
        table[row + c++] = j;
      }
    }
  } else {
    const deck = new Int32Array(m);
    for (let r = 0; r < R; ++r) {
      for (let j = 0; j < m; ++j) deck[j] = j;
      const row = r * k;
      for (let c = 0; c < k; ++c) {
        const j = c + rng.int(m - c);
        const t = deck[j];
        deck[j] = deck[c];
        deck[c] = t;
        table[row + c] = t;
      }
    }
  }
  return table;
}
