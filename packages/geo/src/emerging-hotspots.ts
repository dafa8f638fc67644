import { failInput, invalidOption } from "@community-safety/core";
import { mannKendall, type MannKendallResult } from "@community-safety/trends";
import { finiteValues, resolveNeighbours, type DistanceBandSpec, type Neighbours } from "./distance-band.js";
import { giStarKernel } from "./getis-ord.js";
import { pAdjust, type PAdjustMethod } from "./p-adjust.js";

/**
 * The 17 Emerging Hot Spot Analysis categories of ArcGIS (8 hot, 8 cold, no pattern), as
 * stable kebab-case keys; {@link EMERGING_HOTSPOT_LABELS} gives ESRI's names.
 */
export type EmergingHotspotCategory =
  | "new-hot-spot"
  | "consecutive-hot-spot"
  | "intensifying-hot-spot"
  | "persistent-hot-spot"
  | "diminishing-hot-spot"
  | "sporadic-hot-spot"
  | "oscillating-hot-spot"
  | "historical-hot-spot"
  | "new-cold-spot"
  | "consecutive-cold-spot"
  | "intensifying-cold-spot"
  | "persistent-cold-spot"
  | "diminishing-cold-spot"
  | "sporadic-cold-spot"
  | "oscillating-cold-spot"
  | "historical-cold-spot"
  | "no-pattern";

/** ESRI's display name of each {@link EmergingHotspotCategory}. */
export const EMERGING_HOTSPOT_LABELS: Readonly<Record<EmergingHotspotCategory, string>> = {
  "new-hot-spot": "New Hot Spot",
  "consecutive-hot-spot": "Consecutive Hot Spot",
  "intensifying-hot-spot": "Intensifying Hot Spot",
  "persistent-hot-spot": "Persistent Hot Spot",
  "diminishing-hot-spot": "Diminishing Hot Spot",
  "sporadic-hot-spot": "Sporadic Hot Spot",
  "oscillating-hot-spot": "Oscillating Hot Spot",
  "historical-hot-spot": "Historical Hot Spot",
  "new-cold-spot": "New Cold Spot",
  "consecutive-cold-spot": "Consecutive Cold Spot",
  "intensifying-cold-spot": "Intensifying Cold Spot",
  "persistent-cold-spot": "Persistent Cold Spot",
  "diminishing-cold-spot": "Diminishing Cold Spot",
  "sporadic-cold-spot": "Sporadic Cold Spot",
  "oscillating-cold-spot": "Oscillating Cold Spot",
  "historical-cold-spot": "Historical Cold Spot",
  "no-pattern": "No Pattern Detected",
};

const CATEGORIES = Object.keys(EMERGING_HOTSPOT_LABELS) as EmergingHotspotCategory[];

/** Options for {@link emergingHotspotCategory}. */
export interface EmergingHotspotCategoryOptions {
  /** A bin is significant when its p-value is below `alpha`. Default 0.05 (ArcGIS's bins count from the 90% level: use 0.1 to mimic). */
  alpha?: number;
  /** Significance level of the Mann–Kendall trend of the z-scores. Default 0.05. */
  trendAlpha?: number;
}

/** Result of {@link emergingHotspotCategory}. */
export interface EmergingHotspotCategoryResult {
  readonly category: EmergingHotspotCategory;
  /** Number of time steps that are significant hot spots (z > 0, p < alpha). */
  readonly hotSteps: number;
  /** Number of time steps that are significant cold spots (z < 0, p < alpha). */
  readonly coldSteps: number;
  /** Mann–Kendall test of the z-score series (`@community-safety/trends`), or `null` with fewer than 3 defined z-scores. */
  readonly trend: MannKendallResult | null;
}

const FN_CAT = "emergingHotspotCategory";

/**
 * Returns the Emerging Hot Spot Analysis category of one location from its series of Gi*
 * z-scores and p-values (one per time step, oldest first), following ESRI's "How Emerging Hot
 * Spot Analysis works" (ArcGIS Pro). A step is a **hot** bin when z > 0 and p < `alpha`, a
 * **cold** bin when z < 0 and p < `alpha`; T is the number of steps, H/C the numbers of hot/cold
 * bins; "≥ 90%" means 10·H ≥ 9·T taken literally (11 of 12 steps, not `floor(0.9 T)` = 10 as
 * some ports do); the trend is the Mann–Kendall test of the z-scores (tie-corrected, continuity
 * corrected, two-sided, significant when p < `trendAlpha`; `NaN` z-scores skipped). Hot rules,
 * in ESRI's table order:
 *
 * 1. **new** — the final step is hot and no earlier step is (H = 1);
 * 2. **consecutive** — the hot bins are one uninterrupted run of at least two steps ending at
 *    the final step (never hot before the run) and 10·H < 9·T;
 * 3. **intensifying** — 10·H ≥ 9·T, the final step hot, significant increasing trend;
 * 4. **persistent** — 10·H ≥ 9·T, the final step hot, no significant trend;
 * 5. **diminishing** — 10·H ≥ 9·T, the final step hot, significant decreasing trend;
 * 6. **sporadic** — the final step hot, 10·H < 9·T, never a cold bin (and not new/consecutive:
 *    the hot bins come on and off);
 * 7. **oscillating** — the final step hot, 10·H < 9·T, at least one earlier cold bin;
 * 8. **historical** — the final step not hot, 10·H ≥ 9·T.
 *
 * Cold rules mirror them (hot ↔ cold; intensifying = significantly *decreasing* z). Where
 * ESRI's text is ambiguous this implementation decides as follows, and says so:
 * - *persistent* requires the final step to be hot — ESRI's sentence omits it, but otherwise
 *   "historical" (final step not hot, ≥ 90% hot) could only occur with a significant trend;
 * - a final-step hot (cold) pattern that also matches a later rule takes the first rule in the
 *   table: hot only in the final step after earlier cold bins is **new** (not oscillating), a
 *   final hot run after earlier cold bins is **consecutive**;
 * - rules 1–7 of either side (decided by the final step) come before rule 8 of the other side:
 *   hot in 9 of 10 steps but cold in the last is a **new cold spot**, not a historical hot spot.
 * sfdep's `classify_hotspot` (R/emerging-hostpot-classifications.R) reads the text
 * differently: it omits "final step hot" from sporadic and "at least two" from consecutive,
 * counts cold bins against "new", and tests historical with z < 0 in the final step.
 *
 * @param z The Gi* z-score of each time step (`NaN` = not significant, skipped by the trend test).
 * @param p The p-value of each time step (already adjusted if wanted).
 * @throws InputError `length-mismatch` when `p` differs in length from `z`; `invalid-input`
 *   when there are no steps; `invalid-option` for `alpha` or `trendAlpha` outside (0, 1).
 * @example
 * emergingHotspotCategory([0.1, -0.3, 0.2, 2.5, 3.1], [0.9, 0.7, 0.8, 0.01, 0.002]).category;
 * // => "consecutive-hot-spot"
 */
export function emergingHotspotCategory(z: ArrayLike<number>, p: ArrayLike<number>, options: EmergingHotspotCategoryOptions = {}): EmergingHotspotCategoryResult {
  if (options === null || typeof options !== "object") invalidOption(FN_CAT, "options", "an object", options);
  const alpha = checkLevel(FN_CAT, "alpha", options.alpha);
  const trendAlpha = checkLevel(FN_CAT, "trendAlpha", options.trendAlpha);
  if (z === null || typeof z !== "object" || typeof z.length !== "number") failInput("invalid-input", FN_CAT, "z", "an array of z-scores", z);
  if (p === null || typeof p !== "object" || typeof p.length !== "number") failInput("invalid-input", FN_CAT, "p", "an array of p-values", p);
  if (p.length !== z.length) failInput("length-mismatch", FN_CAT, "p", `the same length as z (${z.length})`, p.length);
  if (z.length === 0) failInput("invalid-input", FN_CAT, "z", "at least one time step", 0);
  const T = z.length;
  const state = new Int8Array(T);
  const zs = new Float64Array(T);
  for (let t = 0; t < T; ++t) {
    const zt = Number(z[t]);
    const pt = Number(p[t]);
    zs[t] = zt;
    state[t] = pt < alpha ? (zt > 0 ? 1 : zt < 0 ? -1 : 0) : 0;
  }
  const trend = trendOf(zs);
  const direction = trend !== null && trend.pValue < trendAlpha && trend.s !== 0 ? Math.sign(trend.s) : 0;
  return { ...classifyStates(state, direction), trend };
}

/** Mann–Kendall of the z series, or null when fewer than 3 are defined. */
function trendOf(z: Float64Array): MannKendallResult | null {
  let defined = 0;
  for (let t = 0; t < z.length; ++t) if (!Number.isNaN(z[t])) ++defined;
  return defined >= 3 ? mannKendall(z) : null;
}

/**
 * @internal The ESRI rules on a state series (1 hot, −1 cold, 0 neither) and the trend
 * direction (+1 significant increase of z, −1 decrease, 0 none).
 */
export function classifyStates(state: Int8Array, direction: number): { category: EmergingHotspotCategory; hotSteps: number; coldSteps: number } {
  const T = state.length;
  let hot = 0;
  let cold = 0;
  for (let t = 0; t < T; ++t) {
    if (state[t] > 0) ++hot;
    else if (state[t] < 0) ++cold;
  }
  const final = state[T - 1];
  let category: EmergingHotspotCategory = "no-pattern";
  if (final > 0) category = finalSide(state, hot, cold, direction, 1);
  else if (final < 0) category = finalSide(state, cold, hot, -direction, -1);
  else if (10 * hot >= 9 * T) category = "historical-hot-spot";
  else if (10 * cold >= 9 * T) category = "historical-cold-spot";
  return { category, hotSteps: hot, coldSteps: cold };
}

/** Rules 1–7 for the side of the final step (`sign` 1 hot, −1 cold); `own`/`other` count bins; `dir` > 0 = intensifying. */
function finalSide(state: Int8Array, own: number, other: number, dir: number, sign: 1 | -1): EmergingHotspotCategory {
  const T = state.length;
  const side: "hot" | "cold" = sign > 0 ? "hot" : "cold";
  if (own === 1) return `new-${side}-spot` as const;
  let run = 0;
  for (let t = T - 1; t >= 0 && state[t] === sign; --t) ++run;
  const ninety = 10 * own >= 9 * T;
  if (run >= 2 && run === own && !ninety) return `consecutive-${side}-spot` as const;
  if (ninety) {
    if (dir > 0) return `intensifying-${side}-spot` as const;
    if (dir < 0) return `diminishing-${side}-spot` as const;
    return `persistent-${side}-spot` as const;
  }
  return other === 0 ? (`sporadic-${side}-spot` as const) : (`oscillating-${side}-spot` as const);
}

/** Options for {@link emergingHotspots}. */
export interface EmergingHotspotsOptions extends EmergingHotspotCategoryOptions {
  /**
   * Multiple-testing adjustment of each time step's Gi* p-values before comparing them with
   * `alpha` (see {@link pAdjust}), applied within each step across cells. Default `"none"`.
   * ArcGIS Pro applies an FDR correction: `"BH"` mimics it.
   */
  adjust?: "none" | PAdjustMethod;
}

/** Result of {@link emergingHotspots}. Per-cell arrays are indexed by cell. */
export interface EmergingHotspotsResult {
  /** The category of each cell. */
  readonly category: EmergingHotspotCategory[];
  /** Gi* z-scores, one Float64Array per time step. */
  readonly z: Float64Array[];
  /** Gi* two-sided p-values (after `adjust`), one Float64Array per time step. */
  readonly p: Float64Array[];
  /** Number of significant hot / cold time steps per cell. */
  readonly hotSteps: Int32Array;
  readonly coldSteps: Int32Array;
  /** Mann–Kendall S, z and two-sided p of each cell's z-score series (`NaN` with fewer than 3 defined z-scores). */
  readonly trendS: Float64Array;
  readonly trendZ: Float64Array;
  readonly trendP: Float64Array;
  /** Number of cells in each category (all 17 keys present). */
  readonly counts: Readonly<Record<EmergingHotspotCategory, number>>;
  /** The neighbour list used. */
  readonly neighbours: Neighbours;
  readonly steps: number;
  readonly n: number;
  readonly alpha: number;
  readonly trendAlpha: number;
  readonly adjust: "none" | PAdjustMethod;
  /** Time steps whose Gi* is undefined (all values equal, e.g. no incidents at all), or `null`. */
  readonly reason: string | null;
}

const FN = "emergingHotspots";

/**
 * Returns the Emerging Hot Spot Analysis (EHSA) of a space–time cube of cell values: the Gi*
 * z-score of every cell at every time step ({@link getisOrdGiStar}: binary weights, self
 * included, each step standardised by its own mean and standard deviation), a Mann–Kendall
 * trend test on each cell's z-score series (`mannKendall` from `@community-safety/trends`), and
 * one of ESRI's 17 categories per cell by the rules of {@link emergingHotspotCategory}.
 *
 * Differences from ArcGIS's tool, which works on a netCDF space–time cube: ArcGIS's Gi* for a
 * bin also counts the bins of the previous *Neighborhood Time Step* steps (default 1) and is
 * standardised over the whole cube (sfdep's `emerging_hotspot_analysis` similarly adds
 * k = 1 time lags by default); here each step is a separate spatial Gi*, so a cell is
 * compared with the rest of the map at the same time. ArcGIS also applies an FDR correction and counts bins from the
 * 90% level (`{ alpha: 0.1, adjust: "BH" }` mimics both). ESRI requires at least 10 time steps
 * for the cube; this function needs 3 (the Mann–Kendall minimum).
 *
 * Because each step is standardised on its own, z measures *relative* clustering: a single
 * cell whose count keeps growing raises the step's standard deviation with it, its z levels
 * off, and it shows as persistent rather than intensifying; a cluster intensifies when its
 * share of the map grows. Sparse steps (a few incidents per cell, e.g. monthly counts in a
 * village) make chance single-incident bins significant and turn emerging patterns into
 * sporadic ones: prefer steps long enough for several incidents per hot cell (quarters), or a
 * smaller `alpha` with `adjust`.
 *
 * A step in which every value is equal (say, no incidents anywhere) has undefined Gi*: its
 * z-scores are `NaN`, never significant and skipped by the trend test; `reason` names it.
 *
 * @param valuesByTime One array per time step (oldest first), each with one value per cell in
 *   the same cell order.
 * @param neighbours A CSR neighbour list or a distance band `{ x, y, distance }` in metres.
 * @throws InputError `invalid-input` with fewer than 3 time steps, a non-finite value or a
 *   malformed neighbour list; `length-mismatch` when steps differ in length or the neighbours
 *   do not match; `invalid-option` for `alpha`, `trendAlpha`, `adjust` or the band.
 * @example
 * const r = emergingHotspots(monthlyCounts, { x: centresX, y: centresY, distance: 600 });
 * r.category[cell]; // => "intensifying-hot-spot"
 * r.counts["new-hot-spot"]; // => 3
 */
export function emergingHotspots(
  valuesByTime: readonly ArrayLike<number>[],
  neighbours: Neighbours | DistanceBandSpec,
  options: EmergingHotspotsOptions = {},
): EmergingHotspotsResult {
  if (options === null || typeof options !== "object") invalidOption(FN, "options", "an object", options);
  const alpha = checkLevel(FN, "alpha", options.alpha);
  const trendAlpha = checkLevel(FN, "trendAlpha", options.trendAlpha);
  const adjust = checkAdjust(FN, options.adjust);
  const steps = checkSteps(FN, valuesByTime, "valuesByTime", 3);
  const n = steps[0].length;
  const nb = resolveNeighbours(FN, neighbours, n);
  const T = steps.length;
  const z: Float64Array[] = [];
  const p: Float64Array[] = [];
  const undefinedSteps: number[] = [];
  for (let t = 0; t < T; ++t) {
    const g = giStarKernel(steps[t], nb, 0, 1, "two.sided");
    z.push(g.z);
    p.push(adjust === "none" ? g.p : pAdjust(g.p, adjust, nb));
    if (n > 0 && g.reason !== null && !(g.sd > 0)) undefinedSteps.push(t);
  }
  const category = new Array<EmergingHotspotCategory>(n);
  const hotSteps = new Int32Array(n);
  const coldSteps = new Int32Array(n);
  const trendS = new Float64Array(n);
  const trendZ = new Float64Array(n);
  const trendP = new Float64Array(n);
  const counts = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<EmergingHotspotCategory, number>;
  const series = new Float64Array(T);
  const state = new Int8Array(T);
  for (let i = 0; i < n; ++i) {
    for (let t = 0; t < T; ++t) {
      const zt = z[t][i];
      series[t] = zt;
      state[t] = p[t][i] < alpha ? (zt > 0 ? 1 : zt < 0 ? -1 : 0) : 0;
    }
    const trend = trendOf(series);
    trendS[i] = trend === null ? Number.NaN : trend.s;
    trendZ[i] = trend === null ? Number.NaN : trend.z;
    trendP[i] = trend === null ? Number.NaN : trend.pValue;
    const direction = trend !== null && trend.pValue < trendAlpha && trend.s !== 0 ? Math.sign(trend.s) : 0;
    const c = classifyStates(state, direction);
    category[i] = c.category;
    hotSteps[i] = c.hotSteps;
    coldSteps[i] = c.coldSteps;
    ++counts[c.category];
  }
  const reason = undefinedSteps.length > 0 ? `Gi* is undefined (all values equal) at time step(s) ${undefinedSteps.join(", ")}` : null;
  return { category, z, p, hotSteps, coldSteps, trendS, trendZ, trendP, counts, neighbours: nb, steps: T, n, alpha, trendAlpha, adjust, reason };
}

// ---- helpers shared with hotspot-change.ts ----------------------------------------------------

/** @internal Validates a significance level in (0, 1) (default 0.05). */
export function checkLevel(fn: string, name: string, value: unknown): number {
  const v = value ?? 0.05;
  if (!(typeof v === "number" && v > 0 && v < 1)) invalidOption(fn, name, "a number in (0, 1)", v);
  return v;
}

/** @internal Validates the `adjust` option (default "none"). */
export function checkAdjust(fn: string, value: unknown): "none" | PAdjustMethod {
  const v = value ?? "none";
  if (v !== "none" && v !== "BH" && v !== "bonferroni" && v !== "local-bonferroni") invalidOption(fn, "adjust", '"none", "BH", "bonferroni" or "local-bonferroni"', v);
  return v;
}

/** @internal Validates a list of per-period value arrays of equal length (at least `min`) and copies them. */
export function checkSteps(fn: string, list: readonly ArrayLike<number>[], name: string, min: number, noun = "time steps"): Float64Array[] {
  if (!Array.isArray(list)) failInput("invalid-input", fn, name, "an array of value arrays (one per period)", list);
  if (list.length < min) failInput("invalid-input", fn, name, `at least ${min} ${noun}`, list.length);
  const n = list[0]?.length;
  return list.map((v, t) => {
    const x = finiteValues(fn, v, `${name}[${t}]`);
    if (x.length !== n) failInput("length-mismatch", fn, `${name}[${t}]`, `one value per cell, like ${name}[0] (${n})`, x.length);
    return x;
  });
}
