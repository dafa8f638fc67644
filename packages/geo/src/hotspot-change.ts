import { failInput, invalidOption } from "@community-safety/core";
import { finiteValues, resolveNeighbours, type DistanceBandSpec, type Neighbours } from "./distance-band.js";
import { checkAdjust, checkLevel, checkSteps } from "./emerging-hotspots.js";
import { giStarKernel } from "./getis-ord.js";
import { pAdjust, type PAdjustMethod } from "./p-adjust.js";

/** How a cell's Gi* significance changed between two periods. */
export type HotspotTransition =
  | "persistent-hot-spot"
  | "new-hot-spot"
  | "former-hot-spot"
  | "persistent-cold-spot"
  | "new-cold-spot"
  | "former-cold-spot"
  | "cold-to-hot"
  | "hot-to-cold"
  | "not-significant";

const TRANSITIONS: readonly HotspotTransition[] = [
  "persistent-hot-spot",
  "new-hot-spot",
  "former-hot-spot",
  "persistent-cold-spot",
  "new-cold-spot",
  "former-cold-spot",
  "cold-to-hot",
  "hot-to-cold",
  "not-significant",
];

/** Significance settings shared by {@link hotspotChange} and {@link hotspotPersistence}. */
export interface HotspotSignificanceOptions {
  /** A cell is a significant hot (cold) spot in a period when its Gi* z > 0 (< 0) and p < `alpha`. Default 0.05. */
  alpha?: number;
  /** Adjustment of each period's two-sided Gi* p-values across cells ({@link pAdjust}). Default `"none"`. */
  adjust?: "none" | PAdjustMethod;
}

/** Gi* of one period. */
export interface PeriodGiStar {
  /** Gi* z-score per cell (`NaN` when the period's values are all equal). */
  readonly z: Float64Array;
  /** Two-sided p-value per cell after `adjust`. */
  readonly p: Float64Array;
  /** 1 significant hot spot, −1 significant cold spot, 0 neither. */
  readonly state: Int8Array;
}

/** Result of {@link hotspotChange}. */
export interface HotspotChangeResult {
  readonly before: PeriodGiStar;
  readonly after: PeriodGiStar;
  /** after − before, per cell (the count change of sfhotspot's `hotspot_change`). */
  readonly change: Float64Array;
  /** The transition of each cell. */
  readonly transition: HotspotTransition[];
  /** Number of cells per transition (all keys present). */
  readonly counts: Readonly<Record<HotspotTransition, number>>;
  readonly neighbours: Neighbours;
  readonly alpha: number;
  readonly adjust: "none" | PAdjustMethod;
}

const FN_CHANGE = "hotspotChange";

/**
 * Returns how the hot and cold spots of a grid changed between two periods: the Gi* of each
 * period ({@link getisOrdGiStar}: binary weights, self included, each period standardised on
 * its own), the change in value per cell (after − before), and each cell's transition:
 *
 * | before \ after | hot | neither | cold |
 * | --- | --- | --- | --- |
 * | **hot** | persistent-hot-spot | former-hot-spot | hot-to-cold |
 * | **neither** | new-hot-spot | not-significant | new-cold-spot |
 * | **cold** | cold-to-hot | former-cold-spot | persistent-cold-spot |
 *
 * A cell is a significant hot (cold) spot in a period when z > 0 (z < 0) and its p-value,
 * adjusted within the period by `adjust`, is below `alpha`. Use equal-length periods (two
 * financial years, two 12-month windows): Gi* standardises each period separately, so the
 * classification compares *relative* clustering, not volumes — `change` carries the volumes.
 *
 * @param before Values per cell in the earlier period.
 * @param after Values per cell in the later period, in the same cell order.
 * @param neighbours A CSR neighbour list or a distance band `{ x, y, distance }` in metres.
 * @throws InputError `length-mismatch` when `after` or the neighbours do not match `before`;
 *   `invalid-input` for a non-finite value or a malformed list; `invalid-option` for `alpha`,
 *   `adjust` or the band.
 * @example
 * const r = hotspotChange(counts2020, counts2021, { x, y, distance: 750 });
 * r.transition[cell]; // => "new-hot-spot"
 * r.counts["persistent-hot-spot"]; // => 12
 */
export function hotspotChange(
  before: ArrayLike<number>,
  after: ArrayLike<number>,
  neighbours: Neighbours | DistanceBandSpec,
  options: HotspotSignificanceOptions = {},
): HotspotChangeResult {
  if (options === null || typeof options !== "object") invalidOption(FN_CHANGE, "options", "an object", options);
  const alpha = checkLevel(FN_CHANGE, "alpha", options.alpha);
  const adjust = checkAdjust(FN_CHANGE, options.adjust);
  const b = finiteValues(FN_CHANGE, before, "before");
  const a = finiteValues(FN_CHANGE, after, "after");
  if (a.length !== b.length) failInput("length-mismatch", FN_CHANGE, "after", `one value per cell, like before (${b.length})`, a.length);
  const nb = resolveNeighbours(FN_CHANGE, neighbours, b.length);
  const gb = periodGiStar(b, nb, alpha, adjust);
  const ga = periodGiStar(a, nb, alpha, adjust);
  const n = b.length;
  const change = new Float64Array(n);
  const transition = new Array<HotspotTransition>(n);
  const counts = Object.fromEntries(TRANSITIONS.map((c) => [c, 0])) as Record<HotspotTransition, number>;
  for (let i = 0; i < n; ++i) {
    change[i] = a[i] - b[i];
    const t = transitionOf(gb.state[i], ga.state[i]);
    transition[i] = t;
    ++counts[t];
  }
  return { before: gb, after: ga, change, transition, counts, neighbours: nb, alpha, adjust };
}

function transitionOf(b: number, a: number): HotspotTransition {
  if (b > 0) return a > 0 ? "persistent-hot-spot" : a < 0 ? "hot-to-cold" : "former-hot-spot";
  if (b < 0) return a < 0 ? "persistent-cold-spot" : a > 0 ? "cold-to-hot" : "former-cold-spot";
  return a > 0 ? "new-hot-spot" : a < 0 ? "new-cold-spot" : "not-significant";
}

/** Gi*, adjusted p and significance state of one period. */
function periodGiStar(x: Float64Array, nb: Neighbours, alpha: number, adjust: "none" | PAdjustMethod): PeriodGiStar {
  const g = giStarKernel(x, nb, 0, 1, "two.sided");
  const p = adjust === "none" ? g.p : pAdjust(g.p, adjust, nb);
  const state = new Int8Array(x.length);
  for (let i = 0; i < x.length; ++i) state[i] = p[i] < alpha ? (g.z[i] > 0 ? 1 : g.z[i] < 0 ? -1 : 0) : 0;
  return { z: g.z, p, state };
}

// ---- hot spot persistence (persistent / emerging / former / intermittent) ----------------------

/** A cell's class in {@link hotspotPersistence}. */
export type HotspotPersistenceCategory =
  | "persistent-hot-spot"
  | "emerging-hot-spot"
  | "former-hot-spot"
  | "intermittent-hot-spot"
  | "persistent-cold-spot"
  | "emerging-cold-spot"
  | "former-cold-spot"
  | "intermittent-cold-spot"
  | "mixed"
  | "no-pattern";

const PERSISTENCE: readonly HotspotPersistenceCategory[] = [
  "persistent-hot-spot",
  "emerging-hot-spot",
  "former-hot-spot",
  "intermittent-hot-spot",
  "persistent-cold-spot",
  "emerging-cold-spot",
  "former-cold-spot",
  "intermittent-cold-spot",
  "mixed",
  "no-pattern",
];

/** Thresholds of {@link hotspotPersistenceCategory} (the defaults are sfhotspot's `hotspot_classify_params()`). */
export interface HotspotPersistenceThresholds {
  /** Minimum share of periods (overall, or within a window) that makes a cell a hot spot of any kind. Default 0.1. */
  hotspotShare?: number;
  /** Minimum share of all periods for a persistent hot spot. Default 0.8. */
  persistentShare?: number;
  /** Share of the periods that are "recent": the last R = floor(recentShare · T) periods, at least 1 and at most T − 1. Default 0.2. */
  recentShare?: number;
}

/** Result of {@link hotspotPersistenceCategory}. */
export interface HotspotPersistenceCategoryResult {
  readonly category: HotspotPersistenceCategory;
  /** Number of periods in the recent window (the last ones) and in the older window (the rest). */
  readonly recentPeriods: number;
  readonly olderPeriods: number;
  /** Hot-spot periods overall, in the recent window and in the older window. */
  readonly hot: number;
  readonly recentHot: number;
  readonly olderHot: number;
  /** The same for cold spots. */
  readonly cold: number;
  readonly recentCold: number;
  readonly olderCold: number;
}

const FN_CAT = "hotspotPersistenceCategory";

/**
 * Returns the hot-spot persistence class of one cell from whether it was a significant hot
 * and/or cold spot in each of T periods (oldest first): persistent, emerging, former or
 * intermittent hot (or cold) spot. The typology is the one used in crime analysis for hot-spot
 * persistence (attributed to Chainey); the rules and default thresholds here are those of
 * sfhotspot's `hotspot_classify()` (M. Ashby, R/hotspot_classify.R), read from its code — no
 * Chainey text was available to check them against.
 *
 * Windows: the recent window is the last R = floor(recentShare · T) periods (round-off
 * guarded; clamped to 1 … T − 1), the older window the first T − R periods — they do not
 * overlap and together cover every period once. (sfhotspot 1.0 selects periods
 * `(T − R):T` as recent, i.e. R + 1 periods divided by R, and `1:(T − R)` as older, so period
 * T − R is counted in both; it also compares the recent share with `recent_prop` instead of
 * `hotspot_prop`. Both are corrected here.) With shares s_all = hot/T, s_recent = recentHot/R,
 * s_older = olderHot/(T − R), the first rule that holds wins:
 *
 * 1. persistent — s_all ≥ persistentShare;
 * 2. emerging — s_older < hotspotShare and s_recent ≥ hotspotShare;
 * 3. former — s_older ≥ hotspotShare and s_recent < hotspotShare;
 * 4. intermittent — s_all ≥ hotspotShare.
 *
 * The same rules on the cold periods give the cold classes; a cell with both a hot and a cold
 * class is `"mixed"`, with neither `"no-pattern"`.
 *
 * @param hot Whether the cell was a significant hot spot in each period.
 * @param cold Whether it was a significant cold spot in each period (same length).
 * @throws InputError `length-mismatch` when `cold` differs in length from `hot`;
 *   `invalid-input` with fewer than 2 periods; `invalid-option` for a share outside (0, 1).
 * @example
 * // 10 periods: recent = last 2, older = first 8
 * hotspotPersistenceCategory(
 *   [false, false, false, false, false, false, false, false, true, true],
 *   new Array(10).fill(false),
 * ).category; // => "emerging-hot-spot"
 */
export function hotspotPersistenceCategory(hot: ArrayLike<boolean>, cold: ArrayLike<boolean>, options: HotspotPersistenceThresholds = {}): HotspotPersistenceCategoryResult {
  const th = checkThresholds(FN_CAT, options);
  if (hot === null || typeof hot !== "object" || typeof hot.length !== "number") failInput("invalid-input", FN_CAT, "hot", "an array of booleans", hot);
  if (cold === null || typeof cold !== "object" || typeof cold.length !== "number") failInput("invalid-input", FN_CAT, "cold", "an array of booleans", cold);
  if (cold.length !== hot.length) failInput("length-mismatch", FN_CAT, "cold", `the same length as hot (${hot.length})`, cold.length);
  const T = hot.length;
  if (T < 2) failInput("invalid-input", FN_CAT, "hot", "at least 2 periods (one recent, one older)", T);
  const state = new Int8Array(T);
  for (let t = 0; t < T; ++t) state[t] = hot[t] ? 1 : cold[t] ? -1 : 0;
  return persistenceOf(state, 0, 1, T, windows(T, th.recentShare), th);
}

/** Recent-window length R for T periods. */
function windows(T: number, recentShare: number): number {
  const r = Math.floor(recentShare * T + 1e-9);
  return Math.min(Math.max(r, 1), T - 1);
}

/** Classifies the state series state[start + t·stride], t = 0 … T − 1. */
function persistenceOf(state: Int8Array, start: number, stride: number, T: number, R: number, th: Required<HotspotPersistenceThresholds>): HotspotPersistenceCategoryResult {
  let hot = 0;
  let cold = 0;
  let recentHot = 0;
  let recentCold = 0;
  for (let t = 0; t < T; ++t) {
    const s = state[start + t * stride];
    const recent = t >= T - R;
    if (s > 0) {
      ++hot;
      if (recent) ++recentHot;
    } else if (s < 0) {
      ++cold;
      if (recent) ++recentCold;
    }
  }
  const older = T - R;
  const h = sideClass(hot / T, recentHot / R, (hot - recentHot) / older, th);
  const c = sideClass(cold / T, recentCold / R, (cold - recentCold) / older, th);
  const category: HotspotPersistenceCategory =
    h !== null && c !== null ? "mixed" : h !== null ? `${h}-hot-spot` : c !== null ? `${c}-cold-spot` : "no-pattern";
  return { category, recentPeriods: R, olderPeriods: older, hot, recentHot, olderHot: hot - recentHot, cold, recentCold, olderCold: cold - recentCold };
}

function sideClass(all: number, recent: number, older: number, th: Required<HotspotPersistenceThresholds>): "persistent" | "emerging" | "former" | "intermittent" | null {
  if (all >= th.persistentShare) return "persistent";
  if (older < th.hotspotShare && recent >= th.hotspotShare) return "emerging";
  if (older >= th.hotspotShare && recent < th.hotspotShare) return "former";
  if (all >= th.hotspotShare) return "intermittent";
  return null;
}

function checkThresholds(fn: string, options: HotspotPersistenceThresholds): Required<HotspotPersistenceThresholds> {
  if (options === null || typeof options !== "object") invalidOption(fn, "options", "an object", options);
  const share = (name: keyof HotspotPersistenceThresholds, dflt: number): number => {
    const v = options[name] ?? dflt;
    if (!(typeof v === "number" && v > 0 && v < 1)) invalidOption(fn, name, "a number in (0, 1)", v);
    return v;
  };
  return { hotspotShare: share("hotspotShare", 0.1), persistentShare: share("persistentShare", 0.8), recentShare: share("recentShare", 0.2) };
}

/** Options for {@link hotspotPersistence}. */
export interface HotspotPersistenceOptions extends HotspotSignificanceOptions, HotspotPersistenceThresholds {}

/** Result of {@link hotspotPersistence}. */
export interface HotspotPersistenceResult {
  /** The class of each cell. */
  readonly category: HotspotPersistenceCategory[];
  /** Number of periods in which each cell was a significant hot / cold spot. */
  readonly hotPeriods: Int32Array;
  readonly coldPeriods: Int32Array;
  /** Hot / cold periods within the recent window, per cell. */
  readonly recentHotPeriods: Int32Array;
  readonly recentColdPeriods: Int32Array;
  /** Gi* z-scores and (adjusted) p-values, one array per period. */
  readonly z: Float64Array[];
  readonly p: Float64Array[];
  /** Number of cells per class (all keys present). */
  readonly counts: Readonly<Record<HotspotPersistenceCategory, number>>;
  /** T, R = recent periods (the last R), T − R older periods. */
  readonly periods: number;
  readonly recentPeriods: number;
  readonly olderPeriods: number;
  readonly neighbours: Neighbours;
  readonly alpha: number;
  readonly adjust: "none" | PAdjustMethod;
}

const FN_PERSIST = "hotspotPersistence";

/**
 * Returns the hot-spot persistence class of every cell over T periods: Gi* per period
 * ({@link getisOrdGiStar}, binary weights with self; significant when z ≠ 0 and the p-value,
 * adjusted within the period by `adjust`, is below `alpha`), then the rules of
 * {@link hotspotPersistenceCategory} — persistent, emerging, former and intermittent hot and
 * cold spots (the typology attributed to Chainey, with the rules of sfhotspot's
 * `hotspot_classify` and its window arithmetic corrected: recent = the last
 * floor(recentShare · T) periods, older = the rest, no overlap). sfhotspot (in the version
 * read) also adjusts each cell's p-values across periods with `p.adjust` (Holm when
 * `p_adjust_method` is NULL); here adjustment, if any, is across cells within a period.
 *
 * @param valuesByPeriod One array per period (oldest first), each with one value per cell.
 * @param neighbours A CSR neighbour list or a distance band `{ x, y, distance }` in metres.
 * @throws InputError `invalid-input` with fewer than 2 periods, a non-finite value or a
 *   malformed list; `length-mismatch` when periods differ in length or the neighbours do not
 *   match; `invalid-option` for `alpha`, `adjust`, a share, or the band.
 * @example
 * const r = hotspotPersistence(yearlyCounts, { x, y, distance: 750 }); // 5 years
 * r.recentPeriods; // => 1 (floor(0.2 · 5))
 * r.category[cell]; // => "emerging-hot-spot"
 */
export function hotspotPersistence(
  valuesByPeriod: readonly ArrayLike<number>[],
  neighbours: Neighbours | DistanceBandSpec,
  options: HotspotPersistenceOptions = {},
): HotspotPersistenceResult {
  if (options === null || typeof options !== "object") invalidOption(FN_PERSIST, "options", "an object", options);
  const alpha = checkLevel(FN_PERSIST, "alpha", options.alpha);
  const adjust = checkAdjust(FN_PERSIST, options.adjust);
  const th = checkThresholds(FN_PERSIST, options);
  const periods = checkSteps(FN_PERSIST, valuesByPeriod, "valuesByPeriod", 2, "periods");
  const n = periods[0].length;
  const T = periods.length;
  const nb = resolveNeighbours(FN_PERSIST, neighbours, n);
  const R = windows(T, th.recentShare);
  const z: Float64Array[] = [];
  const p: Float64Array[] = [];
  const state = new Int8Array(n * T); // [cell][period]
  for (let t = 0; t < T; ++t) {
    const g = periodGiStar(periods[t], nb, alpha, adjust);
    z.push(g.z);
    p.push(g.p);
    for (let i = 0; i < n; ++i) state[i * T + t] = g.state[i];
  }
  const category = new Array<HotspotPersistenceCategory>(n);
  const hotPeriods = new Int32Array(n);
  const coldPeriods = new Int32Array(n);
  const recentHotPeriods = new Int32Array(n);
  const recentColdPeriods = new Int32Array(n);
  const counts = Object.fromEntries(PERSISTENCE.map((c) => [c, 0])) as Record<HotspotPersistenceCategory, number>;
  for (let i = 0; i < n; ++i) {
    const r = persistenceOf(state, i * T, 1, T, R, th);
    category[i] = r.category;
    hotPeriods[i] = r.hot;
    coldPeriods[i] = r.cold;
    recentHotPeriods[i] = r.recentHot;
    recentColdPeriods[i] = r.recentCold;
    ++counts[r.category];
  }
  return { category, hotPeriods, coldPeriods, recentHotPeriods, recentColdPeriods, z, p, counts, periods: T, recentPeriods: R, olderPeriods: T - R, neighbours: nb, alpha, adjust };
}
