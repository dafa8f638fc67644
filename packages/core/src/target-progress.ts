import { COMMON_GROUPS, categoryLabel, type CategoryGroups } from "./categories.js";
import { InputError, failInput, invalidOption } from "./errors.js";
import type { IncidentTable } from "./incident-table.js";
import { levels } from "./levels.js";
import { parsePeriod, periodOf, periodsBetween, type Period, type PeriodOptions } from "./periods.js";
import { selectRows, whereTest } from "./select-rows.js";
import { pnbinom, qnbinom } from "./stats/distributions.js";
import { poissonRateTest } from "./stats/poisson-rate-test.js";
import { poissonPValue } from "./stats/poisson-test.js";
import { checkTarget, type Target } from "./targets.js";
import { daysInMonth } from "./date-format.js";
import { coveredSpans, spanLabel } from "./coverage.js";
import { coveredMinutes, spansContain } from "./span-set.js";

/** Options for {@link targetProgress}. */
export interface TargetProgressOptions {
  /** The month end progress is reported at, e.g. `"2022-10"` (the end of October 2022). Required. */
  asAt: string | Period;
  /** Category groups a target's `group` may name. Default {@link COMMON_GROUPS}. */
  groups?: CategoryGroups;
  /** First month of the financial year (1–12). Default 4. */
  fyStartMonth?: number;
  /** Level of the projected outturn's prediction interval. Default 0.95. */
  confLevel?: number;
  /** Significance level of the change against the baseline to date. Default 0.05. */
  alpha?: number;
  /**
   * RAG thresholds: on the one-sided p-value of being behind the trajectory, Red below `red`
   * and Amber below `amber`; on the probability of meeting the target, Amber below `meet`
   * (so Green needs P(meet) ≥ `meet`). Default `{ red: 0.05, amber: 0.2, meet: 0.5 }`.
   */
  rag?: { red?: number; amber?: number; meet?: number };
  /** With `profile` unset, a seasonal profile needs at least this many incidents in `profileFrom`. Default 100. */
  minSeasonalCount?: number;
  /**
   * A baseline period the data cover only in part: `"refuse"` (default) throws
   * `partial-period`, naming the covered months; `"rate"` counts the covered months and scales
   * them up to the whole period by the profile's weights (a flat profile: by days), and the
   * baseline to date is then profiled. The months to date, and a seasonal profile, must always
   * be covered.
   */
  partial?: "refuse" | "rate";
}

/** RAG status of a target (rules in {@link targetProgress}). */
export type Rag = "green" | "amber" | "red";

/** Progress of one target as at a month end. */
export interface TargetProgressRow {
  id: string;
  name: string;
  /** Categories counted, comma-separated keys. */
  categories: string;
  /** The `where` restriction as `dimension=value|value; …`, or `null`. */
  where: string | null;
  /** Baseline label: the period key or the given label. */
  baselineLabel: string;
  /** Baseline count (the whole baseline period; scaled up from its covered months with `partial: "rate"`). */
  baseline: number;
  /** How the baseline was found: counted over the whole period, scaled up from its covered part, or given as a number. */
  baselineMethod: "counted" | "scaled" | "given";
  /** Share of the baseline period the data cover (1 for a whole or a given baseline). */
  baselineCoverage: number;
  direction: "reduce" | "increase";
  /** Size as a fraction (0.1 = 10%). */
  size: number;
  /** Target count for the whole period: baseline × (1 − size) or × (1 + size). */
  target: number;
  period: string;
  asAt: string;
  /** Months of the target period up to and including `asAt`. */
  monthsElapsed: number;
  monthsInPeriod: number;
  profile: "seasonal" | "flat";
  /** The period the seasonal profile came from, or `null` for a flat profile. */
  profileFrom: string | null;
  /** Incidents counted in the target period to date. */
  actual: number;
  /** The target's trajectory to date: target × the profile's cumulative share. */
  expected: number;
  /** The baseline over the same months: counted when the baseline is a period of the same length, else profiled. */
  baselineToDate: number;
  baselineToDateMethod: "counted" | "profiled";
  /** (actual − baselineToDate) ÷ baselineToDate; `null` when that is 0. */
  percentVsBaseline: number | null;
  /** Two-sided exact test of actual against the baseline to date (two-sample `poisson.test` when counted, one-sample when profiled). */
  changePValue: number | null;
  changeSignificant: boolean;
  /** Actual is on the wrong side of the trajectory (above it for a reduction). */
  behind: boolean;
  /** One-sided exact Poisson p-value of being behind the trajectory (P(X ≥ actual | expected) for a reduction). */
  behindPValue: number;
  /** Year-end projection at the run rate: actual ÷ the profile's cumulative share. */
  projected: number;
  /** Prediction interval of the outturn (negative binomial, see {@link targetProgress}). */
  projectedLower: number;
  projectedUpper: number;
  /** Probability that the outturn meets the target under the same model (0 or 1 once the period is over). */
  probabilityMet: number;
  /** RAG status (rules in {@link targetProgress}): Green needs both the trajectory test and P(meet) ≥ ½. */
  rag: Rag;
  /** The period is over (`asAt` is its last month or later). */
  complete: boolean;
  /** Whether the target was met; `null` until the period is over. */
  met: boolean | null;
  sentence: string;
}

/** One month of a target's progress, for a trajectory figure. */
export interface TargetSeriesRow {
  id: string;
  /** Month key, e.g. "2022-04". */
  month: string;
  /** 1-based position of the month in the target period. */
  monthIndex: number;
  /** Incidents in the month; `null` after `asAt`. */
  actual: number | null;
  /** Cumulative incidents since the start of the period; `null` after `asAt`. */
  cumulativeActual: number | null;
  /** Cumulative trajectory to the target. */
  trajectory: number;
  /** Cumulative baseline (counted months when the baseline is counted, else profiled). */
  baseline: number;
  /** Cumulative projection from `asAt` onwards (equal to the actual at `asAt`); `null` before it. */
  projected: number | null;
  projectedLower: number | null;
  projectedUpper: number | null;
}

/** Result of {@link targetProgress}. */
export interface TargetProgressResult {
  readonly asAt: Period;
  readonly rows: TargetProgressRow[];
  readonly series: TargetSeriesRow[];
  /** The rules the RAG statuses follow, in words (for reports). */
  readonly rules: string;
}

const FN = "targetProgress";
const fmt = (n: number) => Math.round(n).toLocaleString("en-GB");
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const fmtP = (p: number) => (p < 0.001 ? "p < 0.001" : `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`);

/**
 * Progress against a plan's targets as at a month end — one row per target and a monthly
 * series for a trajectory figure.
 *
 * **Trajectory.** The target (baseline × (1 ∓ size)) is spread over the months of its period
 * in proportion to a profile: seasonal — each month's weight is the daily rate of that month
 * of the year in `profileFrom` times its days — or flat (days only). Expected to date is the
 * target times the cumulative share through `asAt`.
 *
 * **Change against the baseline to date.** When the baseline is a period of the same number
 * of months as the target period, its first months are counted (April–October 2021 for
 * 2022/23 as at October 2022) and compared with the exact two-sample test of equal rates,
 * exposures in days (R `poisson.test(c(actual, base), c(t1, t0))`); otherwise the baseline is
 * profiled and actual is tested against it as a fixed expectation (one-sample `poisson.test`).
 *
 * **Projection.** The remaining months are assumed to run at the year-to-date ratio to the
 * profile. The point projection is actual ÷ S (S = the cumulative profile share). Its
 * prediction interval and the probability of meeting the target come from the Poisson–gamma
 * predictive distribution: with a Jeffreys prior the rate per unit of profile is
 * Gamma(actual + ½, S), so the count still to come is negative binomial with size actual + ½
 * and probability S. Counts are assumed Poisson: clustered (over-dispersed) series vary
 * more, so read the interval as a lower bound on the uncertainty.
 *
 * **RAG**, in probability terms. Two numbers: p, the one-sided exact Poisson p-value of actual
 * against expected to date as a fixed expectation — the chance of being at least this far
 * behind if the true pace were exactly on the trajectory ("behind" = above it for a
 * reduction, below it for an increase); and P(meet), the probability of meeting the target
 * from the projection above.
 * - Red — significantly behind: p < 0.05 (a gap this large would arise by chance less than one
 *   time in 20).
 * - Amber — behind with weak evidence (p < 0.20), or not significantly behind but less likely
 *   than not to meet the target (P(meet) < ½).
 * - Green — on or ahead of the trajectory, or behind by no more than chance often gives
 *   (p ≥ 0.20), **and** at least as likely as not to meet the target (P(meet) ≥ ½).
 *
 * So a measure with P(meet) below one half is never Green: the trajectory test alone would
 * call a measure "Green" that is behind by less than chance often gives yet projected to miss
 * (behind with p = 0.35 and P(meet) = 21%); we rate it Amber, and its sentence says why
 * ("Amber: behind the trajectory by no more than chance often gives (one-sided p = 0.35), but
 * less likely than not to meet the target (P = 21%)"). Once the period is over P(meet) is 1
 * or 0, so a missed target is Amber (or Red when significantly behind). Thresholds are options.
 *
 * @example
 * const plan = readTargets(json);
 * targetProgress(table, plan.targets, { asAt: "2022-10" }).rows[0].rag // => "green"
 * @throws InputError `invalid-option` for bad options or a target whose periods do not fit
 *   (not month-aligned, `asAt` before the period starts, a profile that misses a month of
 *   the year); `unknown-category` for a category or group the table does not have;
 *   `partial-period` when the data do not cover the months to date, a seasonal profile year,
 *   or (without `partial: "rate"`) the whole baseline period.
 */
export function targetProgress(table: IncidentTable, targets: readonly Target[], options: TargetProgressOptions): TargetProgressResult {
  if (!Array.isArray(targets) || targets.length === 0) invalidOption(FN, "targets", "a non-empty array of targets", targets);
  if (options === null || typeof options !== "object") invalidOption(FN, "options", "an object with asAt", options);
  const popts: PeriodOptions = { zone: table.zone, fyStartMonth: options.fyStartMonth };
  const asAtP = typeof options.asAt === "string" ? parsePeriod(options.asAt, popts) : options.asAt;
  if (!asAtP || asAtP.unit !== "month") invalidOption(FN, "asAt", 'a month such as "2022-10"', typeof options.asAt === "string" ? options.asAt : asAtP?.key);
  const confLevel = options.confLevel ?? 0.95;
  if (!(confLevel > 0 && confLevel < 1)) invalidOption(FN, "confLevel", "a number between 0 and 1", confLevel);
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) invalidOption(FN, "alpha", "a number between 0 and 1", alpha);
  const red = options.rag?.red ?? 0.05;
  const amber = options.rag?.amber ?? 0.2;
  if (!(red > 0 && red <= amber && amber < 1)) invalidOption(FN, "rag", "thresholds with 0 < red ≤ amber < 1", options.rag);
  const meet = options.rag?.meet ?? 0.5;
  if (!(typeof meet === "number" && meet >= 0 && meet <= 1)) invalidOption(FN, "rag.meet", "a probability from 0 to 1", meet);
  const minSeasonal = options.minSeasonalCount ?? 100;
  const groups = options.groups ?? COMMON_GROUPS;
  const pctWords = (v: number) => `${Math.round(100 * v * 10) / 10}%`;
  const rules = `RAG in probability terms. Green: on track — not significantly behind the target's trajectory and at least as likely as not to meet the target (P(meet) ≥ ${pctWords(meet)}). Amber: at risk — behind with weak evidence (p < ${amber}), or less likely than not to meet the target (P(meet) < ${pctWords(meet)}). Red: significantly behind the trajectory (p < ${red}: a gap this large would arise by chance less than ${red === 0.05 ? "one time in 20" : `${pctWords(red)} of the time`} if the true pace were on the trajectory). Here p is the one-sided exact Poisson test of the count to date against the profiled trajectory to date, and P(meet) the probability that the period's total meets the target if the rest of the period runs at the year-to-date ratio to the profile (negative-binomial prediction; ${Math.round(confLevel * 100)}% prediction intervals). A measure less likely than not to meet its target is never Green.`;

  const partial = options.partial ?? "refuse";
  if (partial !== "refuse" && partial !== "rate") invalidOption(FN, "partial", '"refuse" or "rate"', partial);
  if (table.length === 0) invalidOption(FN, "table", "a table with incidents", "an empty table");

  const rows: TargetProgressRow[] = [];
  const series: TargetSeriesRow[] = [];
  targets.forEach((raw, ti) => {
    const at = `targets[${ti}]`;
    const t = checkTarget(raw, at, FN);
    const size = t.size as number;
    const cats = resolveCategories(table, t, groups, at);
    const sub = t.where ? selectRows(table, whereTest(table, t.where)) : table;

    const period = parseTargetPeriod(t.period, popts, `${at}.period`);
    const months = monthsOf(period, popts, `${at}.period`);
    const n = months.length;
    const asAtIndex = months.findIndex((m) => m.key === asAtP.key);
    if (asAtIndex < 0 && asAtP.start < period.start) invalidOption(FN, "asAt", `a month within or after ${at}.period (${period.key})`, asAtP.key);
    const m = asAtIndex < 0 ? n : asAtIndex + 1;

    const baselinePeriod = typeof t.baseline === "string" ? parseTargetPeriod(t.baseline, popts, `${at}.baseline`) : null;
    const baselineMonths = baselinePeriod ? monthsOf(baselinePeriod, popts, `${at}.baseline`) : null;
    const profileFromKey = t.profileFrom ?? (baselinePeriod ? baselinePeriod.key : null);
    const profilePeriod = profileFromKey === null ? null : t.profileFrom ? parseTargetPeriod(t.profileFrom, popts, `${at}.profileFrom`) : baselinePeriod;
    const profileMonths = profilePeriod ? monthsOf(profilePeriod, popts, `${at}.profileFrom`) : null;
    if (t.profile === "seasonal" && !profileMonths) invalidOption(FN, `${at}.profileFrom`, "a period to take the seasonal profile from (the baseline is a given number)", t.profileFrom);

    // The months the data cover: a count outside them would be a zero that means "no data".
    const spans = coveredSpans(sub, { categories: cats });
    const isCovered = (p: Period) => spansContain(spans, p.start, p.end);
    const uncovered = (list: readonly Period[]) => list.filter((p) => !isCovered(p));
    const refuse = (what: string, list: readonly Period[], missing: readonly Period[], advice: string) => {
      const cover = spans.length ? spans.map((q) => spanLabel(q, table.zone)).join(", ") : "no time";
      throw new InputError("partial-period", `${FN}: ${what} needs ${list.length === 1 ? list[0].label : `${list[0].label} – ${list[list.length - 1].label}`} covered by the data, but ${missing.map((q) => q.label).join(", ")} ${missing.length === 1 ? "is" : "are"} not (the data cover ${cover}); ${advice}`);
    };
    const toDate = months.slice(0, m);
    const missingToDate = uncovered(toDate);
    if (missingToDate.length) refuse(`${at} (${t.name}) as at ${asAtP.key}`, toDate, missingToDate, "report progress as at a month the data cover (asAt)");
    const missingBaseline = baselineMonths ? uncovered(baselineMonths) : [];
    if (missingBaseline.length && (partial === "refuse" || missingBaseline.length === baselineMonths!.length)) {
      refuse(`${at}.baseline ${baselinePeriod!.key}`, baselineMonths!, missingBaseline, missingBaseline.length === baselineMonths!.length ? 'give the baseline as a number ({ "count": …, "label": … })' : 'scale the covered months up with partial: "rate", or give the baseline as a number ({ "count": …, "label": … })');
    }
    const missingProfile = profileMonths ? uncovered(profileMonths) : [];
    if (missingProfile.length && t.profile === "seasonal") refuse(`${at}.profileFrom ${profilePeriod!.key}`, profileMonths!, missingProfile, 'take the profile from a covered year (profileFrom) or use profile: "flat"');

    // One count per month of every period involved.
    const wanted = new Map<string, Period>();
    for (const list of [months.slice(0, m), baselineMonths ?? [], profileMonths ?? []]) for (const p of list) wanted.set(p.key, p);
    const counts = new Map<string, number>();
    if (wanted.size) {
      const lv = levels(sub, { by: ["period"], periods: [...wanted.values()], categories: cats, fyStartMonth: options.fyStartMonth });
      for (const r of lv.rows) counts.set(String(r.period), r.count);
    }
    const count = (p: Period) => counts.get(p.key) ?? 0;
    // Elapsed days (a clock change makes a 743-hour March) for the tests' exposures, as change();
    // calendar days for the profile, which spreads a target over the calendar.
    const days = (p: Period) => (p.end - p.start) / 1440;
    const calendarDays = (p: Period) => daysInMonth(Number(p.key.slice(0, 4)), Number(p.key.slice(5, 7)));
    const moy = (p: Period) => Number(p.key.slice(5, 7)) - 1;

    // The profile: a weight per month of the target period.
    const profileTotal = profileMonths ? profileMonths.reduce((s, p) => s + count(p), 0) : 0;
    // A profile year the data do not wholly cover cannot give a seasonal profile.
    const profile: "seasonal" | "flat" = t.profile ?? (profileMonths && missingProfile.length === 0 && profileTotal >= minSeasonal ? "seasonal" : "flat");
    // Each month's profile weight, by month of the year (seasonal: daily rate × days; flat: days).
    const rateOfMonth = new Float64Array(12).fill(1);
    if (profile === "seasonal") {
      const c = new Float64Array(12);
      const d = new Float64Array(12);
      for (const p of profileMonths!) {
        c[moy(p)] += count(p);
        d[moy(p)] += calendarDays(p);
      }
      for (let j = 0; j < 12; ++j) rateOfMonth[j] = d[j] > 0 ? c[j] / d[j] : NaN;
    }
    const weightOf = (p: Period) => rateOfMonth[moy(p)] * calendarDays(p);
    const weights = new Float64Array(n);
    months.forEach((p, k) => {
      if (Number.isNaN(rateOfMonth[moy(p)])) invalidOption(FN, `${at}.profileFrom`, `a period covering every month of the year in ${period.key}`, profilePeriod!.key);
      weights[k] = weightOf(p);
    });
    if (profile === "seasonal" && weights.every((w) => w === 0)) invalidOption(FN, `${at}.profileFrom`, "a period with incidents to profile", profilePeriod!.key);
    const totalW = weights.reduce((s, w) => s + w, 0);
    const cum = new Float64Array(n + 1);
    for (let k = 0; k < n; ++k) cum[k + 1] = cum[k] + weights[k] / totalW;
    cum[n] = 1;
    const S = cum[m];

    const scaled = missingBaseline.length > 0;
    let baselineCoverage = 1;
    let baseline: number;
    if (!baselinePeriod) baseline = (t.baseline as { count: number }).count;
    else if (!scaled) baseline = baselineMonths!.reduce((s, p) => s + count(p), 0);
    else {
      const coveredMonths = baselineMonths!.filter(isCovered);
      const wAll = baselineMonths!.reduce((s, p) => s + weightOf(p), 0);
      const wCovered = coveredMonths.reduce((s, p) => s + weightOf(p), 0);
      baseline = (coveredMonths.reduce((s, p) => s + count(p), 0) * wAll) / wCovered;
      baselineCoverage = coveredMinutes(spans, baselinePeriod.start, baselinePeriod.end) / (baselinePeriod.end - baselinePeriod.start);
    }
    const baselineLabel = baselinePeriod ? baselinePeriod.key : ((t.baseline as { label?: string }).label ?? "baseline");
    if (baseline === 0) invalidOption(FN, `${at}.baseline`, "a period with incidents (a zero baseline gives no target)", baselineLabel);
    const target = baseline * (t.direction === "reduce" ? 1 - size : 1 + size);
    const actualMonths = months.slice(0, m).map(count);
    const actual = actualMonths.reduce((s, v) => s + v, 0);
    const expected = target * S;

    const counted = baselineMonths !== null && baselineMonths.length === n && !scaled;
    const baseCum = new Float64Array(n + 1);
    for (let k = 0; k < n; ++k) baseCum[k + 1] = counted ? baseCum[k] + count(baselineMonths![k]) : baseline * cum[k + 1];
    const baselineToDate = baseCum[m];
    let changePValue: number | null;
    if (counted) {
      const t1 = months.slice(0, m).reduce((s, p) => s + days(p), 0);
      const t0 = baselineMonths!.slice(0, m).reduce((s, p) => s + days(p), 0);
      changePValue = poissonRateTest(actual, baselineToDate, { exposures: [t1, t0] }).pValue;
    } else changePValue = poissonPValue(actual, baselineToDate, "two.sided");
    const percentVsBaseline = baselineToDate > 0 ? (actual - baselineToDate) / baselineToDate : null;

    const reduce = t.direction === "reduce";
    const behind = reduce ? actual > expected : actual < expected;
    const behindPValue = poissonPValue(actual, expected, reduce ? "greater" : "less");
    const complete = m === n;
    let projected = actual;
    let projectedLower = actual;
    let projectedUpper = actual;
    let probabilityMet: number;
    const meets = (outturn: number) => (reduce ? outturn <= target : outturn >= target);
    if (complete) probabilityMet = meets(actual) ? 1 : 0;
    else {
      const shape = actual + 0.5;
      projected = actual / S;
      projectedLower = actual + qnbinom((1 - confLevel) / 2, shape, S);
      projectedUpper = actual + qnbinom((1 + confLevel) / 2, shape, S);
      probabilityMet = reduce
        ? target < actual
          ? 0
          : pnbinom(Math.floor(target + 1e-9) - actual, shape, S, true)
        : target <= actual
          ? 1
          : pnbinom(Math.ceil(target - 1e-9) - actual - 1, shape, S, false);
    }

    // Red: significantly behind; Amber: behind with weak evidence, or less likely than not to meet the target.
    const rag: Rag = behind && behindPValue < red ? "red" : (behind && behindPValue < amber) || probabilityMet < meet ? "amber" : "green";

    const row: TargetProgressRow = {
      id: t.id!,
      name: t.name,
      categories: cats.join(", "),
      where: t.where ? Object.entries(t.where).map(([k, v]) => `${k}=${typeof v === "string" ? v : v!.join("|")}`).join("; ") : null,
      baselineLabel,
      baseline,
      baselineMethod: !baselinePeriod ? "given" : scaled ? "scaled" : "counted",
      baselineCoverage,
      direction: t.direction,
      size,
      target,
      period: period.key,
      asAt: asAtP.key,
      monthsElapsed: m,
      monthsInPeriod: n,
      profile,
      profileFrom: profile === "seasonal" ? profilePeriod!.key : null,
      actual,
      expected,
      baselineToDate,
      baselineToDateMethod: counted ? "counted" : "profiled",
      percentVsBaseline,
      changePValue,
      changeSignificant: changePValue !== null && changePValue < alpha,
      behind,
      behindPValue,
      projected,
      projectedLower,
      projectedUpper,
      probabilityMet,
      rag,
      complete,
      met: complete ? meets(actual) : null,
      sentence: "",
    };
    row.sentence = sentence(row, months[m - 1], confLevel, amber);
    rows.push(row);

    for (let k = 0; k < n; ++k) {
      const after = k + 1 >= m;
      const share = cum[k + 1];
      const future = k + 1 > m && !complete;
      const q = future ? S / share : 1;
      series.push({
        id: row.id,
        month: months[k].key,
        monthIndex: k + 1,
        actual: k < m ? actualMonths[k] : null,
        cumulativeActual: k < m ? actualMonths.slice(0, k + 1).reduce((s, v) => s + v, 0) : null,
        trajectory: target * share,
        baseline: baseCum[k + 1],
        projected: after ? (future ? actual * (share / S) : actual) : null,
        projectedLower: after ? (future ? actual + qnbinom((1 - confLevel) / 2, actual + 0.5, q) : actual) : null,
        projectedUpper: after ? (future ? actual + qnbinom((1 + confLevel) / 2, actual + 0.5, q) : actual) : null,
      });
    }
  });
  return { asAt: asAtP, rows, series, rules };
}

function sentence(r: TargetProgressRow, last: Period, confLevel: number, amber: number): string {
  const size = pct(r.size).replace(/\.0%$/, "%");
  // "an 8% …", "an 11% …", "an 18% …", "an 80% …": the article follows the spoken number.
  const article = /^(8|11(?![0-9])|18(?![0-9])|11\.|18\.)/.test(size) ? "an" : "a";
  const base = r.baselineMethod === "scaled" ? `${fmt(r.baseline)}, scaled up from the ${pct(r.baselineCoverage)} of it the data cover` : fmt(r.baseline);
  const goal = `${article} ${size} ${r.direction === "reduce" ? "reduction" : "increase"} on ${r.baselineLabel} (${base}), i.e. ${r.direction === "reduce" ? "at most" : "at least"} ${fmt(r.target)} in ${r.period}`;
  const vs =
    r.percentVsBaseline === null
      ? ""
      : ` That is ${pct(Math.abs(r.percentVsBaseline))} ${r.percentVsBaseline >= 0 ? "above" : "below"} ${r.baselineLabel} over the same months (${fmt(r.baselineToDate)}${r.baselineToDateMethod === "profiled" ? ", profiled" : ""}; ${r.changeSignificant ? "statistically significant" : "not statistically significant"}, ${fmtP(r.changePValue ?? 1)}).`;
  const p = r.behind ? ` (one-sided ${fmtP(r.behindPValue)})` : "";
  const weak = r.behind && r.behindPValue < amber;
  const unlikely = ` less likely than not to meet the target (P = ${pctRound(r.probabilityMet)})`;
  const status =
    r.rag === "red"
      ? `Red: significantly behind the trajectory${p}`
      : r.rag === "amber" && weak
        ? `Amber: behind the trajectory${p}`
        : r.rag === "amber"
          ? `Amber: ${r.behind ? `behind the trajectory by no more than chance often gives${p}` : "on or ahead of the trajectory so far"}, but${unlikely}`
          : r.behind
            ? `Green: behind the trajectory by no more than chance${p}`
            : "Green: on or ahead of the trajectory";
  if (r.complete) {
    const outcome = r.met ? "met" : r.rag === "red" ? `missed by more than chance allows${p}: Red` : `missed, by no more than chance often gives${p}: Amber`;
    return `${r.name}: ${fmt(r.actual)} in ${r.period} against a target of ${goal}; the target was ${outcome}.${vs}`;
  }
  return `${r.name}: ${fmt(r.actual)} to the end of ${last.label} against ${fmt(r.expected)} expected on the ${r.profile} trajectory to ${goal}.${vs} Projected ${fmt(r.projected)} (${Math.round(confLevel * 100)}% prediction interval ${fmt(r.projectedLower)}–${fmt(r.projectedUpper)}); probability of meeting the target ${pctRound(r.probabilityMet)}. ${status}.`;
}

/** A probability as a whole percentage that never rounds a possibility to 0% or 100%. */
function pctRound(p: number): string {
  if (p > 0 && p < 0.005) return "below 1%";
  if (p < 1 && p > 0.995) return "above 99%";
  return `${Math.round(100 * p)}%`;
}

function parseTargetPeriod(key: string, popts: PeriodOptions, at: string): Period {
  try {
    return parsePeriod(key, popts);
  } catch (e) {
    if (e instanceof InputError) failInput("invalid-option", FN, at, "a period key such as 2022/23, 2022, 2022-Q3 or 2022-04..2022-09", key);
    throw e;
  }
}

/** The months of a month-aligned period. */
function monthsOf(period: Period, popts: PeriodOptions, at: string): Period[] {
  const first = periodOf(period.start, "month", popts);
  const last = periodOf(period.end - 1, "month", popts);
  const months = periodsBetween(first, last, "month", popts);
  if (months[0].start !== period.start || months[months.length - 1].end !== period.end) invalidOption(FN, at, "a whole number of months", period.key);
  return months;
}

function resolveCategories(table: IncidentTable, t: Target, groups: CategoryGroups, at: string): string[] {
  const present = new Set(table.category.values.filter((v): v is string => v !== null));
  let cats: string[];
  if (t.group !== undefined) {
    if (!Object.hasOwn(groups, t.group)) throw new InputError("unknown-category", `${FN}: ${at}.group must name a group (${Object.keys(groups).join(", ")}), got "${t.group}"`);
    cats = [...new Set(groups[t.group])];
  } else if (t.categories) cats = [...new Set(t.categories)];
  else return [...present];
  for (const c of cats) {
    if (!present.has(c) && t.group === undefined) {
      throw new InputError("unknown-category", `${FN}: ${at}.categories must name categories in the table, got "${c}" (${categoryLabel(c)}), which no incident has`);
    }
  }
  return cats;
}
