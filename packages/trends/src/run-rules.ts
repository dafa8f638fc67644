import { InputError, invalidOption } from "@community-safety/core";
import type { ControlChartResult } from "./control-chart.js";

/** The special-cause tests {@link runRules} applies. */
export type RunRule = "beyondLimits" | "shift" | "trend" | "twoOfThree";

/** Options for {@link runRules}. */
export interface RunRulesOptions {
  /**
   * Points in a row strictly on one side of the centre line that signal a shift, an integer
   * ≥ 2. Default 8 (Western Electric; Montgomery's sensitizing rules). NHS "Making Data
   * Count" uses 7; Nelson (1984) uses 9.
   */
  shift?: number;
  /**
   * Points in a row each strictly above (or below) the one before that signal a trend, an
   * integer ≥ 3. The run counts points, not steps: 6 points = 5 rises. Default 6 (Nelson
   * 1984 rule 3; Montgomery's sensitizing rules). NHS "Making Data Count" uses 7.
   */
  trend?: number;
  /** Also flag 2 of 3 consecutive points more than 2σ from the centre line on the same side (Western Electric). Default false. */
  twoOfThree?: boolean;
  /**
   * Arrays form only: how many standard errors the given limits lie from the centre line, so
   * that σ = (upper − centre) ÷ limitSigma for the 2σ zone. Default 3. (A chart carries its own.)
   */
  limitSigma?: number;
  /** Arrays form only: indices where a new phase starts; no run crosses one. Default `[]`. (A chart carries its own phases.) */
  breaks?: readonly number[];
  /** A label per point (e.g. period keys `"2021-07"`) used in the sentences; default "point i" counted from 1. */
  labels?: readonly string[];
}

/** One special-cause signal: a rule met by the points `start`…`end` (inclusive indices). */
export interface RunSignal {
  rule: RunRule;
  /** First index of the run or window. */
  start: number;
  /** Last index, inclusive. */
  end: number;
  /** Points that meet the rule (for `twoOfThree`, those beyond 2σ; otherwise end − start + 1). */
  points: number;
  /** `"up"`: above the limit or centre line, or rising; `"down"`: below, or falling. */
  direction: "up" | "down";
  sentence: string;
}

/** Result of {@link runRules}. */
export interface RunRulesResult {
  /** Signals ordered by start, then rule (beyondLimits, shift, trend, twoOfThree). */
  readonly signals: RunSignal[];
  /** Per point, 1 where the point is part of a signal of that rule. */
  readonly flags: { readonly beyondLimits: Uint8Array; readonly shift: Uint8Array; readonly trend: Uint8Array; readonly twoOfThree: Uint8Array };
  /** Per point, 1 where any rule flags it (special-cause variation). */
  readonly special: Uint8Array;
  /** The rule settings used. */
  readonly rules: { readonly shift: number; readonly trend: number; readonly twoOfThree: boolean };
  /** One plain-English sentence summarising the signals. */
  readonly sentence: string;
}

const FN = "runRules";
const RULE_ORDER: Record<RunRule, number> = { beyondLimits: 0, shift: 1, trend: 2, twoOfThree: 3 };

type Line = ArrayLike<number> | number;

function column(name: string, x: Line, n: number): ArrayLike<number> {
  if (typeof x === "number") return new Float64Array(n).fill(x);
  if (x === null || typeof x !== "object" || typeof x.length !== "number") invalidOption(FN, name, "an array of numbers or one number", x);
  if (x.length !== n) throw new InputError("length-mismatch", `${FN}: ${name} must have one entry per value (${n}), got ${x.length}`);
  return x;
}

function isChart(x: unknown): x is ControlChartResult {
  return x !== null && typeof x === "object" && "value" in x && "centre" in x && "phase" in x && "sd" in x;
}

/**
 * Maximal runs of equal non-zero keys that do not cross a phase start: calls
 * `emit(first, last, key)` for each run of at least `min` entries.
 */
function eachRun(key: Int8Array, newPhase: Uint8Array, min: number, emit: (a: number, b: number, k: number) => void): void {
  const n = key.length;
  let a = 0;
  for (let i = 1; i <= n; ++i) {
    if (i < n && !newPhase[i] && key[i] === key[a]) continue;
    if (key[a] !== 0 && i - a >= min) emit(a, i - 1, key[a]);
    a = i;
  }
}

/**
 * Tests a control chart for special-cause variation with the classic run rules and returns
 * every signal (rule, index range, direction, sentence) and a per-point flag for each rule.
 *
 * Rules (Western Electric Statistical Quality Control Handbook, 1956; Nelson, "The Shewhart
 * control chart — tests for special causes", J. Quality Technology 16, 1984; Montgomery,
 * *Introduction to Statistical Quality Control*, ch. 5, sensitizing rules):
 *
 * - **beyondLimits**: a point strictly above the upper or below the lower control limit
 *   (consecutive points beyond the same limit form one signal);
 * - **shift**: `shift` (default 8) or more points in a row strictly on one side of the centre
 *   line. A point exactly on the centre line breaks the run (as in NHSRplotthedots, where its
 *   side is sign(0) = 0);
 * - **trend**: `trend` (default 6) or more points in a row, each strictly higher (lower) than
 *   the one before. The run counts points, so 6 points = 5 consecutive rises (Nelson's and
 *   NHS "Making Data Count"'s convention; Duncan counts steps). Two equal neighbours (a tie)
 *   break the run;
 * - **twoOfThree** (optional): 2 or 3 of 3 consecutive points more than 2σ from the centre
 *   line on the same side — Nelson's rule 5, in which a point beyond the limits counts too;
 *   flagged points at most two apart form one signal. Montgomery's table and NHS "Making Data
 *   Count" (NHSRplotthedots) count only points between 2σ and 3σ, and NHSRplotthedots also
 *   needs all three points on the same side of the centre line.
 *
 * The NHS "Making Data Count" rule set is `{ shift: 7, trend: 7, twoOfThree: true }`. No run
 * crosses a phase start (a chart's `breaks`), as NHSRplotthedots computes rules per rebase
 * group. A point whose value or limits are not finite (missing) is never flagged and breaks
 * every run. Empty input gives no signals.
 *
 * Call with a {@link controlChart} result (its values, limits, σ per point and phases), or
 * with plain arrays (or single numbers for constant lines): `runRules(values, centre, lower,
 * upper, options)`.
 *
 * @throws InputError `invalid-option` for a bad `shift`, `trend`, `twoOfThree`, `limitSigma`,
 *   `breaks` or `labels` (or `limitSigma`/`breaks` given with a chart); `length-mismatch` when
 *   the arrays differ in length.
 * @example
 * const chart = controlChart([5, 6, 5, 7, 6, 5, 6, 14, 5, 6], { type: "xmr" });
 * runRules(chart).signals.map((s) => [s.rule, s.start, s.end]); // => [["beyondLimits", 7, 7]]
 * runRules([1, 2, 3, 4, 5, 6], 3.5, 0, 7).signals[0].sentence; // => "6 points in a row rising (points 1–6)"
 */
export function runRules(chart: ControlChartResult, options?: RunRulesOptions): RunRulesResult;
export function runRules(values: ArrayLike<number>, centre: Line, lower: Line, upper: Line, options?: RunRulesOptions): RunRulesResult;
export function runRules(first: ControlChartResult | ArrayLike<number>, ...rest: unknown[]): RunRulesResult {
  let value: ArrayLike<number>;
  let centre: ArrayLike<number>;
  let lower: ArrayLike<number>;
  let upper: ArrayLike<number>;
  let sdAt: (i: number) => number;
  let newPhase: Uint8Array;
  let options: RunRulesOptions;
  if (isChart(first)) {
    options = (rest[0] as RunRulesOptions | undefined) ?? {};
    if (options === null || typeof options !== "object") invalidOption(FN, "options", "an object", options);
    if (options.limitSigma !== undefined) invalidOption(FN, "limitSigma", "omitted when a chart is given (the chart carries its sigma)", options.limitSigma);
    if (options.breaks !== undefined) invalidOption(FN, "breaks", "omitted when a chart is given (the chart carries its phases)", options.breaks);
    ({ value, centre, lower, upper } = first);
    const sd = first.sd;
    sdAt = (i) => sd[i];
    const n = value.length;
    newPhase = new Uint8Array(n);
    for (let i = 1; i < n; ++i) newPhase[i] = first.phase[i] !== first.phase[i - 1] ? 1 : 0;
  } else {
    if (first === null || typeof first !== "object" || typeof (first as ArrayLike<number>).length !== "number") {
      invalidOption(FN, "values", "a controlChart result or an array of numbers", first);
    }
    value = first;
    const n = value.length;
    centre = column("centre", rest[0] as Line, n);
    lower = column("lower", rest[1] as Line, n);
    upper = column("upper", rest[2] as Line, n);
    options = (rest[3] as RunRulesOptions | undefined) ?? {};
    if (options === null || typeof options !== "object") invalidOption(FN, "options", "an object", options);
    const k = options.limitSigma ?? 3;
    if (!(typeof k === "number" && k > 0 && Number.isFinite(k))) invalidOption(FN, "limitSigma", "a positive finite number", k);
    sdAt = (i) => (upper[i] - centre[i]) / k;
    const breaks = options.breaks ?? [];
    if (!Array.isArray(breaks)) invalidOption(FN, "breaks", "an array of indices", breaks);
    newPhase = new Uint8Array(n);
    breaks.forEach((b, j) => {
      if (!Number.isInteger(b) || b < 1 || b > n - 1 || (j > 0 && b <= breaks[j - 1])) invalidOption(FN, "breaks", `strictly increasing integers from 1 to ${n - 1}`, breaks);
      newPhase[b] = 1;
    });
  }
  const n = value.length;
  const shift = options.shift ?? 8;
  if (!Number.isInteger(shift) || shift < 2) invalidOption(FN, "shift", "an integer of at least 2", shift);
  const trend = options.trend ?? 6;
  if (!Number.isInteger(trend) || trend < 3) invalidOption(FN, "trend", "an integer of at least 3", trend);
  const twoOfThree = options.twoOfThree ?? false;
  if (typeof twoOfThree !== "boolean") invalidOption(FN, "twoOfThree", "true or false", twoOfThree);
  const labels = options.labels;
  if (labels !== undefined && (!Array.isArray(labels) || labels.length !== n || labels.some((l) => typeof l !== "string"))) {
    invalidOption(FN, "labels", `an array of ${n} strings`, labels);
  }
  const span = (a: number, b: number) => (labels ? (a === b ? labels[a] : `${labels[a]} to ${labels[b]}`) : a === b ? `point ${a + 1}` : `points ${a + 1}–${b + 1}`);

  const flags = { beyondLimits: new Uint8Array(n), shift: new Uint8Array(n), trend: new Uint8Array(n), twoOfThree: new Uint8Array(n) };
  const signals: RunSignal[] = [];
  const add = (rule: RunRule, a: number, b: number, k: number, points: number, sentence: string) => {
    signals.push({ rule, start: a, end: b, points, direction: k > 0 ? "up" : "down", sentence });
  };
  const ok = (i: number) => Number.isFinite(value[i]) && Number.isFinite(centre[i]);

  // Beyond the limits.
  const key = new Int8Array(n);
  for (let i = 0; i < n; ++i) key[i] = !ok(i) ? 0 : value[i] > upper[i] ? 1 : value[i] < lower[i] ? -1 : 0;
  eachRun(key, newPhase, 1, (a, b, k) => {
    flags.beyondLimits.fill(1, a, b + 1);
    const m = b - a + 1;
    add("beyondLimits", a, b, k, m, `${m === 1 ? "1 point" : `${m} consecutive points`} ${k > 0 ? "above the upper" : "below the lower"} control limit (${span(a, b)})`);
  });

  // Shift: points strictly on one side of the centre line.
  for (let i = 0; i < n; ++i) key[i] = !ok(i) ? 0 : Math.sign(value[i] - centre[i]);
  eachRun(key, newPhase, shift, (a, b, k) => {
    flags.shift.fill(1, a, b + 1);
    add("shift", a, b, k, b - a + 1, `${b - a + 1} points in a row ${k > 0 ? "above" : "below"} the centre line (${span(a, b)})`);
  });

  // Trend: key[i] is the direction of the step from i − 1 to i (0 at a phase start or a tie).
  key[0] = 0;
  for (let i = 1; i < n; ++i) key[i] = newPhase[i] || !Number.isFinite(value[i]) || !Number.isFinite(value[i - 1]) ? 0 : Math.sign(value[i] - value[i - 1]);
  eachRun(key, newPhase, trend - 1, (a, b, k) => {
    // Steps a…b join points a − 1 … b.
    flags.trend.fill(1, a - 1, b + 1);
    add("trend", a - 1, b, k, b - a + 2, `${b - a + 2} points in a row ${k > 0 ? "rising" : "falling"} (${span(a - 1, b)})`);
  });

  // Two of three consecutive points beyond 2σ on the same side.
  if (twoOfThree) {
    const phaseOf = new Int32Array(n);
    for (let i = 1; i < n; ++i) phaseOf[i] = phaseOf[i - 1] + newPhase[i];
    for (const k of [1, -1]) {
      const beyond = new Uint8Array(n);
      for (let i = 0; i < n; ++i) {
        const s = sdAt(i);
        beyond[i] = ok(i) && Number.isFinite(s) && k * (value[i] - centre[i]) > 2 * s ? 1 : 0;
      }
      const hit = new Uint8Array(n);
      for (let w = 0; w + 2 < n; ++w) {
        if (phaseOf[w] !== phaseOf[w + 2] || beyond[w] + beyond[w + 1] + beyond[w + 2] < 2) continue;
        for (let j = w; j <= w + 2; ++j) if (beyond[j]) hit[j] = 1;
      }
      let a = -1;
      let last = -1;
      let count = 0;
      const flush = () => {
        if (a < 0) return;
        add("twoOfThree", a, last, k, count, `${count} points more than 2σ ${k > 0 ? "above" : "below"} the centre line, at least 2 in every 3 in a row (${span(a, last)})`);
      };
      for (let i = 0; i < n; ++i) {
        if (!hit[i]) continue;
        flags.twoOfThree[i] = 1;
        if (a >= 0 && i - last <= 2 && phaseOf[i] === phaseOf[last]) {
          last = i;
          count += 1;
        } else {
          flush();
          a = last = i;
          count = 1;
        }
      }
      flush();
    }
  }

  signals.sort((x, y) => x.start - y.start || RULE_ORDER[x.rule] - RULE_ORDER[y.rule] || x.end - y.end);
  const special = new Uint8Array(n);
  for (let i = 0; i < n; ++i) special[i] = flags.beyondLimits[i] | flags.shift[i] | flags.trend[i] | flags.twoOfThree[i];
  const sentence =
    signals.length === 0
      ? "No special-cause variation: no point is beyond the control limits and no run rule is met."
      : `${signals.length} special-cause signal${signals.length === 1 ? "" : "s"}: ${signals.map((s) => s.sentence).join("; ")}.`;
  return { signals, flags, special, rules: { shift, trend, twoOfThree }, sentence };
}
