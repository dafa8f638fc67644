import { InputError, describeValue, invalidOption } from "@community-safety/core";
import type { TimeOfWeekResult } from "./time-of-week.js";

/** Options for {@link peakWindow}. */
export interface PeakWindowOptions {
  /** Hours per day in the block, 1–24. Default: every length from 1 to 24 is searched. */
  hours?: number;
  /**
   * The days of the block: a number of consecutive days (1–7, searched over every start day),
   * or a fixed list of rows (0 = Monday … 6 = Sunday, in the matrix's shifted days). Default:
   * every run of 1 to 7 consecutive days is searched.
   */
  days?: number | readonly number[];
  /**
   * Find the smallest block holding at least this share of the weight (0 < target ≤ 1); ties
   * go to the larger share. Default: none (see the criteria in {@link peakWindow}).
   */
  target?: number;
  /** Largest block the scan criterion considers, as a share of the week (of `expected`). Default 0.5. */
  maxWeekShare?: number;
  /**
   * Baseline per cell (168 non-negative numbers, e.g. minutes from `weekHourMinutes`), giving
   * each block's share of the week. Default: every cell 1/168.
   */
  expected?: ArrayLike<number>;
  /**
   * Day start of a plain 168-array's layout (as `timeOfWeek`'s `dayStartHour`), used for the
   * labels. Ignored for a `timeOfWeek` result, which carries its own. Default 0.
   */
  dayStartHour?: number;
  /** What the weights count, for the sentence. Default `"incidents"`. */
  noun?: string;
}

/** Result of {@link peakWindow}: one block of day × hour cells. */
export interface PeakWindowResult {
  /** `"share"` (both sizes fixed), `"target"` or `"scan"` (see {@link peakWindow}). */
  readonly criterion: "share" | "target" | "scan";
  /** The block's rows (0 = Monday … 6 = Sunday, shifted days with a day start), first day first. */
  readonly days: number[];
  /** Clock hour at which the block starts each day. */
  readonly startHour: number;
  /** Hours per day. */
  readonly hours: number;
  /** Matrix indices (`day * 24 + column`) of the block's cells. */
  readonly cells: number[];
  /** Weight in the block. */
  readonly weight: number;
  /** Total weight of the matrix. */
  readonly total: number;
  /** weight / total. */
  readonly share: number;
  /** The block's share of the week: cells / 168, or its share of `expected`. */
  readonly weekShare: number;
  /** share / weekShare: how many times the average density the block holds. */
  readonly ratio: number;
  /** Kulldorff's log-likelihood ratio of the block against the rest (0 when it is not above average). */
  readonly logLikelihoodRatio: number;
  /** For example "Thu–Sat 00:00–04:00". */
  readonly label: string;
  /** For example "Thu–Sat 00:00–04:00 (days starting 06:00) holds 31% of incidents in 7.1% of the week (4.3 times the average)." */
  readonly sentence: string;
}

const FN = "peakWindow";
const SHORT = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** Percentages as people write them: whole numbers from 10%, one decimal below. */
function percent(x: number): string {
  const p = x * 100;
  if (p >= 10 || p === 0) return `${Math.round(p)}%`;
  return `${Number(p.toFixed(1))}%`;
}

const hhmm = (h: number) => `${String(h).padStart(2, "0")}:00`;

/** "Thu–Sat" for consecutive days, "Mon, Wed" otherwise, "Mon–Sun" for the whole week. */
function daysLabel(days: readonly number[]): string {
  if (days.length === 1) return SHORT[days[0]];
  const consecutive = days.every((d, k) => k === 0 || d === (days[k - 1] + 1) % 7);
  return consecutive ? `${SHORT[days[0]]}–${SHORT[days[days.length - 1]]}` : days.map((d) => SHORT[d]).join(", ");
}

/** Kulldorff's Poisson log-likelihood ratio of `n` of `total` in a block with expected share `q`. */
function llr(n: number, total: number, q: number): number {
  const e = total * q;
  if (!(n > e) || q <= 0) return 0;
  const inside = n * Math.log(n / e);
  const rest = total - n;
  const outside = rest > 0 ? rest * Math.log(rest / (total - e)) : 0;
  return inside + outside;
}

/**
 * The block of consecutive day × hour cells holding the most incidents for its size — "Thu–Sat
 * 00:00–04:00 holds 31% of offences in 7% of the week" — in a `timeOfWeek` matrix (or any
 * 168 weights, Monday first).
 *
 * **Blocks.** A block is a start hour and a length of H hours (1–24) on each of a set of days:
 * D consecutive days (1–7, wrapping from Sunday to Monday) or a fixed list. Each day's stretch
 * runs through the matrix's columns in time order and carries on into the next day's first
 * columns when it passes the end of the day, so "Fri 22:00–02:00" includes Saturday's 00:00 and
 * 01:00 hours (wrapping at the end of the week too). The days name the day on which each
 * stretch starts; with a day start of 06:00, "Thu–Sat 00:00–04:00" means the early hours after
 * Thursday, Friday and Saturday evenings.
 *
 * **Criteria.**
 * - `"share"` — when both `hours` and a number or list of `days` are given: the block of that
 *   size with the largest weight (ties: earliest day, then earliest hour).
 * - `"target"` — with `target`: the block with the fewest cells whose share is at least
 *   `target`, searching the sizes left free (ties: larger share, then earliest).
 * - `"scan"` — otherwise: the block with the largest log-likelihood ratio of Kulldorff's
 *   Poisson scan statistic (M. Kulldorff, "A spatial scan statistic", Communications in
 *   Statistics – Theory and Methods 26, 1997, 1481–1496), LLR = n ln(n/E) + (N − n) ln((N − n)/(N −
 *   E)) when n > E (else 0), with E = N × the block's share of the week, among blocks covering at
 *   most `maxWeekShare` of the week — the "most likely cluster", which trades share against
 *   size instead of always growing to the whole week (ties: fewer cells, then earliest). It is
 *   descriptive here: no p-value is given, and aoristic weights are not counts.
 *
 * @returns The block, or `null` when the matrix sums to 0 or no block reaches `target`.
 * @throws InputError `invalid-option` for bad options or a matrix that is not 168 non-negative
 *   finite numbers; `length-mismatch` when `expected` does not have 168 entries.
 * @example
 * peakWindow(timeOfWeek(table, { dayStartHour: 6 }), { hours: 4, days: 3 }).sentence;
 * // => "Thu–Sat 00:00–04:00 (days starting 06:00) holds 31% of incidents in 7.1% of the week (4.3 times the average)."
 */
export function peakWindow(input: TimeOfWeekResult | ArrayLike<number>, options: PeakWindowOptions = {}): PeakWindowResult | null {
  const isResult = input !== null && typeof input === "object" && "matrix" in input && "dayStartHour" in input;
  const m: ArrayLike<number> = isResult ? (input as TimeOfWeekResult).matrix : (input as ArrayLike<number>);
  if (m === null || typeof m !== "object" || m.length !== 168) invalidOption(FN, "matrix", "168 numbers (7 days × 24 hours)", m);
  let total = 0;
  for (let k = 0; k < 168; ++k) {
    const v = m[k];
    if (!(typeof v === "number" && v >= 0 && Number.isFinite(v))) invalidOption(FN, `matrix[${k}]`, "a non-negative finite number", v);
    total += v;
  }
  const dayStart = isResult ? (input as TimeOfWeekResult).dayStartHour : (options.dayStartHour ?? 0);
  if (!(Number.isInteger(dayStart) && dayStart >= 0 && dayStart <= 23)) invalidOption(FN, "dayStartHour", "an integer from 0 to 23", dayStart);
  const { hours, days, target } = options;
  if (hours !== undefined && !(Number.isInteger(hours) && hours >= 1 && hours <= 24)) invalidOption(FN, "hours", "an integer from 1 to 24", hours);
  let fixedDays: number[] | null = null;
  if (Array.isArray(days)) {
    if (days.length === 0 || days.length > 7 || new Set(days).size !== days.length || !days.every((d) => Number.isInteger(d) && d >= 0 && d <= 6)) {
      invalidOption(FN, "days", "a number of days from 1 to 7 or a list of distinct rows from 0 (Monday) to 6 (Sunday)", days);
    }
    fixedDays = [...days];
  } else if (days !== undefined && !(Number.isInteger(days) && (days as number) >= 1 && (days as number) <= 7)) {
    invalidOption(FN, "days", "a number of days from 1 to 7 or a list of distinct rows from 0 (Monday) to 6 (Sunday)", days);
  }
  if (target !== undefined && !(typeof target === "number" && target > 0 && target <= 1)) invalidOption(FN, "target", "a share greater than 0 and at most 1", target);
  const maxWeekShare = options.maxWeekShare ?? 0.5;
  if (!(typeof maxWeekShare === "number" && maxWeekShare > 0 && maxWeekShare <= 1)) invalidOption(FN, "maxWeekShare", "a share greater than 0 and at most 1", maxWeekShare);
  const noun = options.noun ?? "incidents";
  if (typeof noun !== "string") invalidOption(FN, "noun", "a string", noun);
  // Baseline shares per cell.
  const base = new Float64Array(168);
  if (options.expected !== undefined) {
    const ex = options.expected;
    if (ex === null || typeof ex !== "object" || typeof ex.length !== "number") invalidOption(FN, "expected", "168 non-negative numbers", ex);
    if (ex.length !== 168) throw new InputError("length-mismatch", `${FN}: expected must have 168 entries (7 days × 24 hours), got ${describeValue(ex.length)}`);
    let sum = 0;
    for (let k = 0; k < 168; ++k) {
      const v = ex[k];
      if (!(typeof v === "number" && v >= 0 && Number.isFinite(v))) invalidOption(FN, `expected[${k}]`, "a non-negative finite number", v);
      sum += v;
    }
    if (!(sum > 0)) invalidOption(FN, "expected", "168 numbers with a positive sum", Array.from(ex));
    for (let k = 0; k < 168; ++k) base[k] = ex[k] / sum;
  } else base.fill(1 / 168);
  if (!(total > 0)) return null;

  const criterion: PeakWindowResult["criterion"] = target !== undefined ? "target" : hours !== undefined && days !== undefined ? "share" : "scan";
  // Cyclic prefix sums over the week in time order (index = day * 24 + column).
  const cw = new Float64Array(337);
  const cb = new Float64Array(337);
  for (let k = 0; k < 336; ++k) {
    cw[k + 1] = cw[k] + m[k % 168];
    cb[k + 1] = cb[k] + base[k % 168];
  }
  const run = (c: Float64Array, from: number, len: number) => c[from + len] - c[from];

  const dayLists: number[][] = [];
  if (fixedDays) dayLists.push(fixedDays);
  else {
    const lengths = days !== undefined ? [days as number] : [1, 2, 3, 4, 5, 6, 7];
    for (const len of lengths) for (let d0 = 0; d0 < (len === 7 ? 1 : 7); ++d0) dayLists.push(Array.from({ length: len }, (_, k) => (d0 + k) % 7));
  }
  const hourLengths = hours !== undefined ? [hours] : Array.from({ length: 24 }, (_, k) => k + 1);

  let best: { list: number[]; col: number; h: number; w: number; q: number; llr: number } | null = null;
  for (const list of dayLists) {
    for (const h of hourLengths) {
      for (let col = 0; col < 24; ++col) {
        let w = 0;
        let q = 0;
        for (const d of list) {
          w += run(cw, d * 24 + col, h);
          q += run(cb, d * 24 + col, h);
        }
        const cells = list.length * h;
        const score = llr(w, total, q);
        // Eligible blocks: those reaching the target, or (scan) not larger than maxWeekShare.
        if (criterion === "target" && !(w >= target! * total * (1 - 1e-12))) continue;
        if (criterion === "scan" && q > maxWeekShare * (1 + 1e-12)) continue;
        let better: boolean;
        if (best === null) better = true;
        else {
          const bestCells = best.list.length * best.h;
          if (criterion === "share") better = w > best.w * (1 + 1e-12);
          else if (criterion === "target") better = cells < bestCells || (cells === bestCells && w > best.w * (1 + 1e-12));
          else better = score > best.llr * (1 + 1e-12) || (score >= best.llr * (1 - 1e-12) && cells < bestCells);
        }
        if (better) best = { list, col, h, w, q, llr: score };
      }
    }
  }
  if (best === null) return null;
  const cells: number[] = [];
  for (const d of best.list) for (let k = 0; k < best.h; ++k) cells.push((d * 24 + best.col + k) % 168);
  const startHour = (best.col + dayStart) % 24;
  const hoursLabel = best.h === 24 ? `${hhmm(startHour)}–${hhmm(startHour)} (24 hours)` : `${hhmm(startHour)}–${hhmm((startHour + best.h) % 24)}`;
  const label = `${daysLabel(best.list)} ${hoursLabel}`;
  const share = best.w / total;
  const ratio = best.q > 0 ? share / best.q : Infinity;
  const dayNote = dayStart === 0 ? "" : ` (days starting ${hhmm(dayStart)})`;
  const times = Number.isFinite(ratio) ? ` (${ratio.toFixed(1)} times the average)` : "";
  const sentence = `${label}${dayNote} holds ${percent(share)} of ${noun} in ${percent(best.q)} of the week${times}.`;
  return {
    criterion,
    days: best.list,
    startHour,
    hours: best.h,
    cells,
    weight: best.w,
    total,
    share,
    weekShare: best.q,
    ratio,
    logLikelihoodRatio: best.llr,
    label,
    sentence,
  };
}
