import { type IncidentTable, PRECISION, PRECISIONS, invalidOption, valueMask } from "@community-safety/core";
import { categoryMask } from "./street-counts.js";

const FN = "repeatVictimisation";
const MINUTES_PER_DAY = 1440;

/** What identifies a target in {@link repeatVictimisation}. */
export type RepeatKey = "place" | "victim" | "location";

/** Options for {@link repeatVictimisation}. */
export interface RepeatVictimisationOptions {
  /**
   * The target: `"victim"` (the `victim` column), `"place"` (the `place` column: a house,
   * shop or premises) or `"location"` (the location name at its exact x/y — police.uk's snap
   * point, the finest location police.uk gives; with unsnapped coordinates almost every
   * incident is its own location). Required.
   */
  key: RepeatKey;
  /** Category keys to count. Default: every category. */
  categories?: readonly string[];
  /** Subcategory keys to count (e.g. `["residential"]` burglary). Default: every subcategory. */
  subcategories?: readonly string[];
  /**
   * Targets at risk (households, premises, residents) for `prevalence` and `incidence`.
   * Default: none (both `null`).
   */
  targets?: number;
  /**
   * The repeat window in days for `repeatRate`: the share of victims whose next incident
   * follows their first within this many days. Default 42 (six weeks, the usual near-repeat
   * window for burglary).
   */
  withinDays?: number;
  /** Day counts for `timeToRepeat.within` (gap ≤ days). Default `[7, 14, 30, 42]`. */
  thresholds?: readonly number[];
}

/** One entry of {@link RepeatVictimisationResult.distribution}. */
export interface RepeatCountRow {
  /** Incidents per target. */
  incidents: number;
  /** Targets with exactly that many incidents. */
  targets: number;
  /** Those targets' share of all victims (targets with ≥ 1); for `incidents: 0`, of `targets` given. */
  share: number;
}

/** Time between consecutive incidents at the same target. */
export interface TimeToRepeat {
  /** Number of gaps (= repeats). */
  gaps: number;
  /** Median and mean gap in days (record starts); `null` without repeats. */
  medianDays: number | null;
  meanDays: number | null;
  /** For each threshold, the gaps of at most that many days and their share of all gaps (`null` share without repeats). */
  within: { days: number; count: number; share: number | null }[];
}

/** The share of victims repeated within the window, counting only victims observed long enough. */
export interface RepeatRate {
  withinDays: number;
  /** The end of observation: the latest record `end` counted (ISO instant, UTC). */
  observedUntil: string;
  /** Victims whose first incident starts at least `withinDays` before `observedUntil`. */
  eligibleVictims: number;
  /** Of those, victims whose next incident starts within `withinDays` of the first. */
  repeatVictims: number;
  /** `repeatVictims ÷ eligibleVictims`; `null` with no eligible victim. */
  rate: number | null;
}

/** A value that could not be computed, with the reason as an error code and a sentence. */
export interface RepeatRefusal {
  code: "precision-too-coarse" | "no-targets";
  message: string;
}

/** What {@link repeatVictimisation} returns. */
export interface RepeatVictimisationResult {
  key: RepeatKey;
  /** Selected incidents with a key (counted). */
  incidents: number;
  /** Selected incidents without a key (not counted). */
  unkeyed: number;
  /** Targets with at least one incident. */
  victims: number;
  /** Targets with at least two incidents. */
  repeatVictims: number;
  /** Incidents after a target's first (`incidents − victims`). */
  repeats: number;
  /** `repeats ÷ incidents`: the share of incidents that are repeats; `null` without incidents. */
  repeatShare: number | null;
  /** `repeatVictims ÷ victims`; `null` without victims. */
  repeatVictimShare: number | null;
  /** Concentration: incidents per victim (`incidents ÷ victims`); `null` without victims. */
  concentration: number | null;
  /** Prevalence `victims ÷ targets` and incidence `incidents ÷ targets`; `null` without `targets` (see `targetsReason`). */
  prevalence: number | null;
  incidence: number | null;
  targetsReason: RepeatRefusal | null;
  /** Targets by number of incidents (1, 2, …; with `targets`, also 0), only counts that occur. */
  distribution: RepeatCountRow[];
  /** Days between consecutive incidents at a target; `null` when refused (see `timeReason`). */
  timeToRepeat: TimeToRepeat | null;
  /** Share of eligible victims repeated within `withinDays`; `null` when refused (see `timeReason`). */
  repeatRate: RepeatRate | null;
  /** Why `timeToRepeat` and `repeatRate` are `null` (records known only to the month), else `null`. */
  timeReason: RepeatRefusal | null;
}

/**
 * Returns repeat victimisation measures for one kind of target: prevalence (victims ÷ targets
 * at risk), incidence (incidents ÷ targets), concentration (incidents per victim), the share of
 * incidents that are repeats, the distribution of incidents per target, the time between
 * consecutive incidents at the same target (median, mean, share within 7/14/30/42 days), and
 * the share of victims repeated within a window.
 *
 * Measures follow the Crime Survey for England and Wales usage (prevalence = proportion
 * victimised; incidence = incidents per head; concentration = incidents per victim; Farrell &
 * Pease's repeats = incidents beyond each victim's first). Times are record starts (`start`:
 * the beginning of a from/to window); gaps are in days of 1,440 minutes. A gap of at most d days
 * counts as "within d days".
 *
 * **Repeat rate and censoring.** A victim first hit near the end of the data has had less time to
 * be hit again, so `repeatRate` counts only victims whose first incident started at least
 * `withinDays` before the end of observation (the latest `end` among the counted records), and
 * asks whether their *second* incident followed within `withinDays` of the first.
 *
 * **Precision.** Days between incidents need records known at least to the day. If any counted
 * target with two or more incidents has a record coarser than a day (police.uk's month), the
 * time-to-repeat measures are refused — `timeToRepeat` and `repeatRate` are `null` with a
 * `precision-too-coarse` reason — while every count is still given.
 *
 * Empty selection: zero counts and `null` ratios. The table is not modified.
 *
 * @throws InputError `invalid-option` for a missing or unknown `key`, `targets` not a positive
 *   number, `withinDays` not positive, `thresholds` not a list of positive numbers, or
 *   `subcategories` not a non-empty list of strings.
 * @throws InputError `unknown-category` when `categories` is empty or not a list of strings.
 * @example
 * const r = repeatVictimisation(table, { key: "victim", categories: ["burglary"], subcategories: ["residential"] });
 * // The synthetic borough (seed 1), which plants an 8% repeat rate within 1–40 days:
 * r.repeatRate?.rate; // => 0.0798 (140 of 1,755 eligible victims)
 * r.timeToRepeat?.medianDays; // => 20.42
 */
export function repeatVictimisation(table: IncidentTable, options: RepeatVictimisationOptions): RepeatVictimisationResult {
  const { key, categories, subcategories, targets, withinDays = 42, thresholds = [7, 14, 30, 42] } = options ?? ({} as RepeatVictimisationOptions);
  if (key !== "place" && key !== "victim" && key !== "location") invalidOption(FN, "key", '"place", "victim" or "location"', key);
  if (targets !== undefined && !(typeof targets === "number" && targets > 0 && Number.isFinite(targets))) invalidOption(FN, "targets", "a positive number of targets at risk", targets);
  if (!(typeof withinDays === "number" && withinDays > 0 && Number.isFinite(withinDays))) invalidOption(FN, "withinDays", "a positive number of days", withinDays);
  if (!Array.isArray(thresholds) || thresholds.some((d) => typeof d !== "number" || !(d > 0) || !Number.isFinite(d))) invalidOption(FN, "thresholds", "a list of positive numbers of days", thresholds);
  if (subcategories !== undefined && (!Array.isArray(subcategories) || subcategories.length === 0 || subcategories.some((s) => typeof s !== "string"))) {
    invalidOption(FN, "subcategories", "a non-empty list of subcategory keys", subcategories);
  }
  const catMask = categoryMask(FN, table, categories);
  const subMask = subcategories ? valueMask(table.subcategory, subcategories) : new Uint8Array(table.subcategory.values.length).fill(1);

  // Key code per selected row (0 = no key).
  const n = table.length;
  const keyOf = new Int32Array(n);
  if (key === "location") {
    const points = new Map<string, number>();
    const loc = table.location.codes;
    for (let i = 0; i < n; ++i) {
      if (!Number.isFinite(table.x[i]) || !Number.isFinite(table.y[i])) continue;
      const k = `${loc[i]}|${table.x[i]}|${table.y[i]}`;
      let code = points.get(k);
      if (code === undefined) points.set(k, (code = points.size + 1));
      keyOf[i] = code;
    }
  } else keyOf.set(table[key].codes);

  const rows: number[] = [];
  let unkeyed = 0;
  const catCodes = table.category.codes;
  const subCodes = table.subcategory.codes;
  for (let i = 0; i < n; ++i) {
    if (catMask[catCodes[i]] === 0 || subMask[subCodes[i]] === 0) continue;
    if (keyOf[i] === 0) ++unkeyed;
    else rows.push(i);
  }
  const start = table.start;
  const order = Uint32Array.from(rows).sort((a, b) => keyOf[a] - keyOf[b] || start[a] - start[b] || a - b);

  // One pass over targets in key order.
  const m = order.length;
  let observedUntil = -Infinity;
  for (let k = 0; k < m; ++k) if (table.end[order[k]] > observedUntil) observedUntil = table.end[order[k]];
  let victims = 0;
  let repeatVictims = 0;
  const perTarget = new Map<number, number>();
  const gaps: number[] = [];
  let coarse = 0;
  let coarseExample = -1;
  let eligible = 0;
  let repeatedInWindow = 0;
  const windowMinutes = withinDays * MINUTES_PER_DAY;
  for (let a = 0; a < m; ) {
    let b = a + 1;
    while (b < m && keyOf[order[b]] === keyOf[order[a]]) ++b;
    const count = b - a;
    ++victims;
    if (count > 1) {
      ++repeatVictims;
      for (let k = a; k < b; ++k) {
        if (table.precision[order[k]] > PRECISION.day) {
          ++coarse;
          if (coarseExample < 0) coarseExample = order[k];
        }
      }
      for (let k = a + 1; k < b; ++k) gaps.push(start[order[k]] - start[order[k - 1]]); // minutes
    }
    const first = start[order[a]];
    if (first <= observedUntil - windowMinutes) {
      ++eligible;
      if (count > 1 && start[order[a + 1]] - first <= windowMinutes) ++repeatedInWindow;
    }
    perTarget.set(count, (perTarget.get(count) ?? 0) + 1);
    a = b;
  }

  const distribution: RepeatCountRow[] = [];
  if (targets !== undefined) {
    const zero = Math.max(0, targets - victims);
    distribution.push({ incidents: 0, targets: zero, share: zero / targets });
  }
  for (const c of [...perTarget.keys()].sort((p, q) => p - q)) distribution.push({ incidents: c, targets: perTarget.get(c)!, share: perTarget.get(c)! / victims });

  let timeToRepeat: TimeToRepeat | null = null;
  let repeatRate: RepeatRate | null = null;
  let timeReason: RepeatRefusal | null = null;
  if (coarse > 0) {
    timeReason = {
      code: "precision-too-coarse",
      message: `${FN}: time to repeat needs records known at least to the day; ${coarse} record(s) of repeated targets are known only to the ${PRECISIONS[table.precision[coarseExample]]} (e.g. row ${coarseExample})`,
    };
  } else {
    const sorted = Float64Array.from(gaps).sort(); // minutes, ascending
    const g = sorted.length;
    let sum = 0;
    for (const v of sorted) sum += v;
    const median = g === 0 ? null : g % 2 === 1 ? sorted[(g - 1) / 2] : (sorted[g / 2 - 1] + sorted[g / 2]) / 2;
    timeToRepeat = {
      gaps: g,
      medianDays: median === null ? null : median / MINUTES_PER_DAY,
      meanDays: g === 0 ? null : sum / g / MINUTES_PER_DAY,
      within: thresholds.map((days) => {
        let count = 0;
        while (count < g && sorted[count] <= days * MINUTES_PER_DAY) ++count;
        return { days, count, share: g === 0 ? null : count / g };
      }),
    };
    if (m > 0) {
      repeatRate = {
        withinDays,
        observedUntil: new Date(observedUntil * 60_000).toISOString(),
        eligibleVictims: eligible,
        repeatVictims: repeatedInWindow,
        rate: eligible === 0 ? null : repeatedInWindow / eligible,
      };
    }
  }

  const incidents = m;
  return {
    key,
    incidents,
    unkeyed,
    victims,
    repeatVictims,
    repeats: incidents - victims,
    repeatShare: incidents === 0 ? null : (incidents - victims) / incidents,
    repeatVictimShare: victims === 0 ? null : repeatVictims / victims,
    concentration: victims === 0 ? null : incidents / victims,
    prevalence: targets === undefined ? null : victims / targets,
    incidence: targets === undefined ? null : incidents / targets,
    targetsReason: targets === undefined ? { code: "no-targets", message: `${FN}: prevalence and incidence need targets (the number at risk)` } : null,
    distribution,
    timeToRepeat,
    repeatRate,
    timeReason,
  };
}
