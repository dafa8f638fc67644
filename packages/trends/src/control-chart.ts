import { InputError, failInput, invalidOption } from "@community-safety/core";
import { refuseGaps } from "./series-runs.js";

/** Kind of Shewhart chart drawn by {@link controlChart}. */
export type ControlChartType = "c" | "u" | "xmr";

/** Options for {@link controlChart}. */
export interface ControlChartOptions {
  /**
   * `"c"`: counts per period with a constant area of opportunity (Poisson limits c̄ ± k√c̄);
   * `"u"`: counts per unit of exposure (rates, limits widening where the exposure is small);
   * `"xmr"`: individuals and moving-range chart, limits from the data's own point-to-point
   * variation (the NHS "Making Data Count" default, safe when counts are over-dispersed).
   * Required.
   */
  type: ControlChartType;
  /**
   * u chart only (required there): the area of opportunity behind each count, positive —
   * e.g. days in the month, or residents ÷ 1,000. The plotted value is count ÷ exposure.
   */
  exposures?: ArrayLike<number>;
  /**
   * Indices where a new phase of the process starts (strictly increasing, each in 1…n − 1).
   * Each phase gets its own centre line and limits; moving ranges never cross a break.
   * Default `[]` (one phase).
   */
  breaks?: readonly number[];
  /** Width of the limits in standard errors (the "3" of 3-sigma limits), positive. Default 3. */
  sigma?: number;
  /**
   * Half-open index range `[from, to)` whose points alone set the centre line and limits of
   * the phase that contains it (limits "frozen" on a baseline, then extended). It must lie
   * inside one phase; other phases use all their points. Default: each whole phase.
   */
  baseline?: readonly [number, number];
  /**
   * XmR only: leave out moving ranges of 3.267 × MR̄ or more and recompute MR̄ once, so one
   * wild jump does not widen the limits (NHS "Making Data Count" screening; NHSRplotthedots
   * `screen_outliers`). Default false.
   */
  screenMovingRanges?: boolean;
}

/** One phase of a {@link controlChart}: its points, baseline and limits. */
export interface ControlChartPhase {
  /** First index of the phase. */
  start: number;
  /** One past the last index of the phase. */
  end: number;
  /** The `[from, to)` points that set the centre line and limits. */
  baseline: [number, number];
  /** Centre line: c̄, ū (Σc ÷ Σn) or x̄ over the baseline. */
  centre: number;
  /** Lower limit (c, XmR); `null` for a u chart, whose limits vary with the exposure (see the per-point arrays). */
  lower: number | null;
  /** Upper limit (c, XmR); `null` for a u chart. */
  upper: number | null;
  /** One standard error of a point: √c̄ (c), 2.66·MR̄/3 (XmR); `null` for a u chart. */
  sd: number | null;
  /** XmR: mean moving range over the baseline (after screening); `null` for c and u charts. */
  meanMovingRange: number | null;
  /** XmR: upper limit of the moving-range chart, 3.267·MR̄ at sigma 3; `null` for c and u charts. */
  movingRangeUpper: number | null;
  /** XmR with `screenMovingRanges`: moving ranges left out of MR̄; 0 otherwise. */
  screened: number;
}

/** Result of {@link controlChart}: per-point arrays (index = point) and a summary per phase. */
export interface ControlChartResult {
  readonly type: ControlChartType;
  readonly sigma: number;
  /** The plotted value: the count (c), count ÷ exposure (u) or the value itself (XmR). */
  readonly value: Float64Array;
  readonly centre: Float64Array;
  /** Lower control limit; clipped at 0 for c and u charts (a count cannot be negative), not for XmR. */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** One standard error at each point (the width of one sigma zone; run rules use it for 2σ zones). */
  readonly sd: Float64Array;
  /** Phase number (0, 1, …) of each point. */
  readonly phase: Int32Array;
  /** XmR: |xᵢ − xᵢ₋₁| within the phase, NaN at the first point of each phase; `null` for c and u. */
  readonly movingRange: Float64Array | null;
  /** XmR: upper limit of the moving-range chart at each point; `null` for c and u. */
  readonly movingRangeUpper: Float64Array | null;
  readonly phases: ControlChartPhase[];
  readonly method: string;
}

const FN = "controlChart";
/** Wheeler's XmR scaling factor 3/d₂ = 3/1.128, rounded as Wheeler and NHS "Making Data Count" print it. */
const E2 = 2.66;
/** D₄ for moving ranges of two points (Montgomery, Appendix VI; Wheeler prints 3.268). */
const D4 = 3.267;

const METHODS: Record<ControlChartType, string> = {
  c: "c chart: centre c̄ = mean count, limits c̄ ± k√c̄, lower limit clipped at 0 (Montgomery, Introduction to Statistical Quality Control, ch. 7)",
  u: "u chart: centre ū = Σc ÷ Σn, limits ū ± k√(ū/nᵢ) per point, lower limit clipped at 0 (Montgomery, Introduction to Statistical Quality Control, ch. 7)",
  xmr: "XmR chart: centre x̄, limits x̄ ± (k/3)·2.66·MR̄, moving-range limit (1 + (k/3)·2.267)·MR̄ (Wheeler, Understanding Variation; Montgomery, ch. 6)",
};

function checkIndexList(list: unknown, n: number): number[] {
  if (!Array.isArray(list)) invalidOption(FN, "breaks", "an array of indices", list);
  const out = list as number[];
  for (let k = 0; k < out.length; ++k) {
    const b = out[k];
    if (!Number.isInteger(b) || b < 1 || b > n - 1 || (k > 0 && b <= out[k - 1])) {
      invalidOption(FN, "breaks", `strictly increasing integers from 1 to ${n - 1}`, list);
    }
  }
  return out;
}

/**
 * Shewhart control chart of a series — the centre line and control limits per point, by
 * phase — for the three charts UK police and NHS analysts use on counts:
 *
 * - **c chart** (Montgomery, *Introduction to Statistical Quality Control*, ch. 7): counts
 *   with a constant area of opportunity; σ = √c̄ because a Poisson count's variance equals
 *   its mean. Lower limit max(0, c̄ − k√c̄).
 * - **u chart** (ibid.): counts per unit of exposure nᵢ; ū = Σc ÷ Σn over the baseline, limits
 *   ū ± k√(ū/nᵢ) for each point, lower limit clipped at 0. The plotted value is cᵢ/nᵢ.
 * - **XmR chart** (Wheeler, *Understanding Variation*; Montgomery ch. 6, individuals chart):
 *   moving ranges MRᵢ = |xᵢ − xᵢ₋₁| within the phase, σ̂ = MR̄/d₂ with Wheeler's rounded
 *   3/d₂ = 2.66, so limits x̄ ± (k/3)·2.66·MR̄ (x̄ ± 2.66·MR̄ at k = 3, the NHS "Making Data
 *   Count" limits) and the moving-range chart's upper limit D₄·MR̄ = 3.267·MR̄ (scaled as
 *   1 + (k/3)·2.267 for other k; its lower limit is 0). Limits are not clipped: XmR
 *   charts any measure.
 *
 * Crime counts are usually over-dispersed (variance above the mean), so a c or u chart flags
 * many points; the XmR chart estimates the spread from the data and is the safer default for
 * monthly crime. Empty input returns empty arrays and no phases.
 *
 * @throws InputError `invalid-option` for an unknown `type`, bad `sigma`, `breaks` or
 *   `baseline`, a missing or misplaced `exposures`, or too few points to estimate a moving
 *   range; `series-gap` for a missing value (`NaN`, `null`: split the series with
 *   `seriesRuns`, or chart each run as its own phase); `invalid-input` for a value that is
 *   infinite (or negative for c and u charts)
 *   or an exposure that is not positive; `length-mismatch` when `exposures` differs in length.
 * @example
 * const r = controlChart([3, 5, 2, 7, 4, 6, 9, 1, 5, 8], { type: "c" });
 * r.centre[0]; // => 5
 * r.upper[0]; // => 11.708 (5 + 3√5, to 3 dp)
 * r.lower[0]; // => 0 (5 − 3√5 < 0, clipped)
 * controlChart([10, 12, 11, 15], { type: "xmr" }).phases[0].meanMovingRange; // => 2.3333 (mean of 2, 1, 4)
 */
export function controlChart(values: ArrayLike<number>, options: ControlChartOptions): ControlChartResult {
  if (options === null || typeof options !== "object") invalidOption(FN, "options", "an object with a type", options);
  const type = options.type;
  if (type !== "c" && type !== "u" && type !== "xmr") invalidOption(FN, "type", '"c", "u" or "xmr"', type);
  const sigma = options.sigma ?? 3;
  if (!(typeof sigma === "number" && sigma > 0 && Number.isFinite(sigma))) invalidOption(FN, "sigma", "a positive finite number", sigma);
  const screen = options.screenMovingRanges ?? false;
  if (typeof screen !== "boolean") invalidOption(FN, "screenMovingRanges", "true or false", screen);
  if (screen && type !== "xmr") invalidOption(FN, "screenMovingRanges", 'used only with type "xmr"', screen);
  if (values === null || typeof values !== "object" || typeof values.length !== "number") {
    failInput("invalid-input", FN, "values", "an array of numbers", values);
  }
  const n = values.length;
  const breaks = checkIndexList(options.breaks ?? [], n);
  const exposures = options.exposures;
  if (type === "u") {
    if (exposures === undefined) invalidOption(FN, "exposures", 'given for type "u" (the area of opportunity of each count)', exposures);
    if (exposures === null || typeof exposures !== "object" || typeof exposures.length !== "number") invalidOption(FN, "exposures", "an array of positive numbers", exposures);
    if (exposures.length !== n) {
      throw new InputError("length-mismatch", `${FN}: exposures must have one entry per value (${n}), got ${exposures.length}`);
    }
  } else if (exposures !== undefined) invalidOption(FN, "exposures", 'given only for type "u"', exposures);

  // Phases, then the baseline (which must sit inside one of them).
  const starts = [0, ...breaks];
  const ends = [...breaks, n];
  let baselinePhase = -1;
  const baseline = options.baseline;
  if (baseline !== undefined) {
    if (!Array.isArray(baseline) || baseline.length !== 2 || !Number.isInteger(baseline[0]) || !Number.isInteger(baseline[1]) || baseline[0] < 0 || baseline[1] > n || baseline[0] >= baseline[1]) {
      invalidOption(FN, "baseline", `an index range [from, to) with 0 ≤ from < to ≤ ${n}`, baseline);
    }
    baselinePhase = starts.findIndex((s, p) => baseline[0] >= s && baseline[1] <= ends[p]);
    if (baselinePhase < 0) invalidOption(FN, "baseline", `a range inside one phase (phases start at ${starts.join(", ")})`, baseline);
  }
  if (type === "xmr") {
    for (let p = 0; p < starts.length; ++p) {
      const [a, b] = p === baselinePhase ? baseline! : [starts[p], ends[p]];
      if (b - a < 2) {
        invalidOption(FN, p === baselinePhase ? "baseline" : "breaks", "leaving at least 2 points to estimate a moving range in every phase of an XmR chart", p === baselinePhase ? baseline : breaks);
      }
    }
  }

  // Data.
  refuseGaps(FN, values, "a control chart");
  const value = new Float64Array(n);
  for (let i = 0; i < n; ++i) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v) || (type !== "xmr" && v < 0)) {
      failInput("invalid-input", FN, `values[${i}]`, type === "xmr" ? "a finite number" : "a non-negative finite count", v);
    }
    if (type === "u") {
      const e = exposures![i];
      if (typeof e !== "number" || !(e > 0) || !Number.isFinite(e)) failInput("invalid-input", FN, `exposures[${i}]`, "a positive finite number", e);
      value[i] = v / e;
    } else value[i] = v;
  }

  const centre = new Float64Array(n);
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  const sd = new Float64Array(n);
  const phase = new Int32Array(n);
  const movingRange = type === "xmr" ? new Float64Array(n) : null;
  const movingRangeUpper = type === "xmr" ? new Float64Array(n) : null;
  const phases: ControlChartPhase[] = [];
  const scale = sigma / 3;

  for (let p = 0; p < starts.length && n > 0; ++p) {
    const s = starts[p];
    const e = ends[p];
    const [from, to] = p === baselinePhase ? [baseline![0], baseline![1]] : [s, e];
    phase.fill(p, s, e);
    let cl: number;
    let lo: number | null = null;
    let hi: number | null = null;
    let sdP: number | null = null;
    let mrBar: number | null = null;
    let mrUpper: number | null = null;
    let screened = 0;
    if (type === "c") {
      let sum = 0;
      for (let i = from; i < to; ++i) sum += value[i];
      cl = sum / (to - from);
      sdP = Math.sqrt(cl);
      lo = Math.max(0, cl - sigma * sdP);
      hi = cl + sigma * sdP;
      centre.fill(cl, s, e);
      lower.fill(lo, s, e);
      upper.fill(hi, s, e);
      sd.fill(sdP, s, e);
    } else if (type === "u") {
      let sc = 0;
      let sn = 0;
      for (let i = from; i < to; ++i) {
        sc += values[i];
        sn += exposures![i];
      }
      cl = sc / sn;
      for (let i = s; i < e; ++i) {
        const se = Math.sqrt(cl / exposures![i]);
        centre[i] = cl;
        sd[i] = se;
        lower[i] = Math.max(0, cl - sigma * se);
        upper[i] = cl + sigma * se;
      }
    } else {
      const mr = movingRange!;
      mr[s] = NaN;
      for (let i = s + 1; i < e; ++i) mr[i] = Math.abs(value[i] - value[i - 1]);
      let sum = 0;
      for (let i = from; i < to; ++i) sum += value[i];
      cl = sum / (to - from);
      let mrSum = 0;
      for (let i = from + 1; i < to; ++i) mrSum += mr[i];
      mrBar = mrSum / (to - from - 1);
      if (screen && mrBar > 0) {
        const cut = D4 * mrBar;
        let kept = 0;
        mrSum = 0;
        for (let i = from + 1; i < to; ++i) {
          if (mr[i] < cut) {
            mrSum += mr[i];
            kept += 1;
          } else screened += 1;
        }
        mrBar = mrSum / kept; // kept > 0: not every range can reach 3.267 × their positive mean
      }
      sdP = (E2 / 3) * mrBar;
      lo = cl - sigma * sdP;
      hi = cl + sigma * sdP;
      mrUpper = (1 + scale * (D4 - 1)) * mrBar;
      centre.fill(cl, s, e);
      lower.fill(lo, s, e);
      upper.fill(hi, s, e);
      sd.fill(sdP, s, e);
      movingRangeUpper!.fill(mrUpper, s, e);
    }
    phases.push({ start: s, end: e, baseline: [from, to], centre: cl, lower: lo, upper: hi, sd: sdP, meanMovingRange: mrBar, movingRangeUpper: mrUpper, screened });
  }
  return { type, sigma, value, centre, lower, upper, sd, phase, movingRange, movingRangeUpper, phases, method: METHODS[type] };
}
