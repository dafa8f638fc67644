import { checkConfLevel, checkCount, checkPositive } from "./check.js";
import { pnorm, qnorm } from "./distributions.js";
import { invalidOption } from "../errors.js";

/** Counts before and after an intervention: [pre, post]. */
export type PrePost = readonly [number, number];

/** The areas of a weighted displacement difference: each a [pre, post] pair of counts. */
export interface WddCounts {
  /** The treated (target) area. */
  treated: PrePost;
  /** The control area for the treated area. */
  control: PrePost;
  /** The displacement (buffer) area around the treated one. Default [0, 0] (no displacement area). */
  displacement?: PrePost;
  /** The control area for the displacement area. Default [0, 0]. */
  displacementControl?: PrePost;
}

/** Options for {@link weightedDisplacementDifference}. */
export interface WddOptions {
  /**
   * Lengths of the [pre, post] periods, each positive (e.g. [2, 1] for two years before and
   * one after): counts are divided by them, so the estimate is a change per unit time.
   * Default [1, 1].
   */
  timeWeights?: readonly [number, number];
  /**
   * Sizes of the [treated, control, displacement, displacementControl] areas, each positive:
   * counts are divided by them (a change per unit area). Default [1, 1, 1, 1].
   */
  areaWeights?: readonly [number, number, number, number];
  /** Confidence level of the interval, strictly between 0 and 1. Default 0.95. */
  confLevel?: number;
}

/** An estimate with its Poisson variance. */
export interface WddPart {
  estimate: number;
  variance: number;
  se: number;
}

/** Result of {@link weightedDisplacementDifference}. */
export interface WddResult {
  /** The local part, ΔT − ΔC. */
  local: WddPart;
  /** The displacement part, ΔD − ΔDC (0 with variance 0 when no displacement areas are given). */
  displacement: WddPart;
  /** WDD = (ΔT − ΔC) + (ΔD − ΔDC): negative is a crime reduction net of displacement. */
  estimate: number;
  /** Σ count ÷ weight² over all eight counts (Poisson variance). */
  variance: number;
  /** √variance. */
  se: number;
  /** estimate ÷ se; `null` when the variance is 0 (every count is 0). */
  z: number | null;
  /** Two-sided normal p-value 2Φ(−|z|); `null` with `z`. */
  pValue: number | null;
  /** estimate − z₍₁₊L₎/₂ · se. */
  lower: number;
  /** estimate + z₍₁₊L₎/₂ · se. */
  upper: number;
  confLevel: number;
  method: "weighted displacement difference (Wheeler & Ratcliffe 2018)";
  /** Why fields are `null`, else `null`. */
  reason: string | null;
}

/**
 * The weighted displacement difference (WDD) of Bowers & Johnson (2003, "Measuring the
 * geographical displacement and diffusion of benefit effects of crime prevention activity",
 * J. Quantitative Criminology 19:275–301), with the standard error and normal test of
 * Wheeler & Ratcliffe (2018, "A simple weighted displacement difference test to evaluate
 * place based crime interventions", Crime Science 7:11).
 *
 * WDD = ΔT − ΔC + ΔD − ΔDC, each Δ = post − pre for the treated, control, displacement and
 * displacement-control areas. Treating the eight counts as independent Poisson,
 * Var(WDD) = Σ counts; with time and area weights (Wheeler's 2021 extension, as ptools'
 * `wdd`) each count is divided by (period length × area size) and Var = Σ count ÷ weight².
 * Z = WDD ÷ SE is compared with the standard normal (two-sided p), and the interval is
 * WDD ± z·SE. (The ptools `wdd` source read for this mis-parenthesises the displacement-control
 * variance as post·(1/w² + pre/w²); this follows the paper's formula. Note also that ptools
 * orders area weights control-first; here they are [treated, control, displacement,
 * displacementControl].)
 *
 * All counts 0: `z` and `pValue` are `null` with a `reason`.
 *
 * @throws InputError `invalid-option` when a count is not a non-negative integer, a pair is
 *   not two counts, a weight is not positive and finite, or `confLevel` ∉ (0, 1).
 * @example
 * const w = weightedDisplacementDifference({
 *   control: [308, 318], treated: [207, 110],
 *   displacementControl: [150, 140], displacement: [178, 157],
 * });
 * w.estimate; // => -118
 * w.variance; // => 1568
 * w.z; // => -2.98 (to 2 dp)
 */
export function weightedDisplacementDifference(counts: WddCounts, options: WddOptions = {}): WddResult {
  const fn = "weightedDisplacementDifference";
  const confLevel = checkConfLevel(fn, options.confLevel);
  const tw = options.timeWeights ?? [1, 1];
  const aw = options.areaWeights ?? [1, 1, 1, 1];
  if (!Array.isArray(tw) || tw.length !== 2) invalidOption(fn, "timeWeights", "a pair [pre, post] of positive numbers", tw);
  if (!Array.isArray(aw) || aw.length !== 4) invalidOption(fn, "areaWeights", "four positive numbers [treated, control, displacement, displacementControl]", aw);
  tw.forEach((w, i) => checkPositive(fn, `timeWeights[${i}]`, w));
  aw.forEach((w, i) => checkPositive(fn, `areaWeights[${i}]`, w));
  if (counts === null || typeof counts !== "object") invalidOption(fn, "counts", "an object of [pre, post] pairs", counts);
  const pair = (name: keyof WddCounts, required: boolean): PrePost => {
    const v = counts[name];
    if (v === undefined && !required) return [0, 0];
    if (!Array.isArray(v) || v.length !== 2) invalidOption(fn, name, "a pair [pre, post] of counts", v);
    checkCount(fn, `${name}[0]`, v[0]);
    checkCount(fn, `${name}[1]`, v[1]);
    return v;
  };
  const treated = pair("treated", true);
  const control = pair("control", true);
  const displacement = pair("displacement", false);
  const displacementControl = pair("displacementControl", false);
  const part = (t: PrePost, c: PrePost, wt: number, wc: number): WddPart => {
    const [tPre, tPost] = [tw[0] * wt, tw[1] * wt];
    const [cPre, cPost] = [tw[0] * wc, tw[1] * wc];
    const estimate = t[1] / tPost - t[0] / tPre - (c[1] / cPost - c[0] / cPre);
    const variance = t[1] / (tPost * tPost) + t[0] / (tPre * tPre) + c[1] / (cPost * cPost) + c[0] / (cPre * cPre);
    return { estimate, variance, se: Math.sqrt(variance) };
  };
  const local = part(treated, control, aw[0], aw[1]);
  const disp = part(displacement, displacementControl, aw[2], aw[3]);
  const estimate = local.estimate + disp.estimate;
  const variance = local.variance + disp.variance;
  const se = Math.sqrt(variance);
  const q = qnorm((1 + confLevel) / 2, true);
  const base = { local, displacement: disp, estimate, variance, se, lower: estimate - q * se, upper: estimate + q * se, confLevel, method: "weighted displacement difference (Wheeler & Ratcliffe 2018)" as const };
  if (variance === 0) return { ...base, z: null, pValue: null, reason: "every count is zero: the WDD has no variance" };
  const z = estimate / se;
  return { ...base, z, pValue: Math.min(1, 2 * pnorm(-Math.abs(z), true)), reason: null };
}
