import {
  InputError,
  categoryLabel,
  chiSquareCdf,
  daysInMonth,
  invalidOption,
  selectRows,
  whereTest,
  type CategoryGroups,
  type DictColumnName,
  type IncidentTable,
} from "@community-safety/core";
import { countSeries } from "./count-series.js";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** Options for {@link seasonalProfile}. */
export interface SeasonalProfileOptions {
  /** Category keys counted. Default every category (or every group with `groups`). */
  categories?: readonly string[];
  /** One profile per value of this column (e.g. `"category"`, `"district"`); omit for one profile. */
  by?: DictColumnName;
  /** With `by: "category"`: one profile per group. */
  groups?: CategoryGroups;
  /** Years the profile is built from: `"financial"` (April–March, default) or `"calendar"`. Only complete years are used. */
  years?: "financial" | "calendar";
  /** First month of the financial year (1–12). Default 4. */
  fyStartMonth?: number;
  /**
   * Compare months by their daily rate (count ÷ days in the month), so February is not "quiet"
   * for having fewer days. Default true.
   */
  perDay?: boolean;
}

/** Year-to-year consistency of a month-of-year profile. */
export interface SeasonalConsistency {
  /** Kendall's coefficient of concordance W of the years' rankings of the months (0 = none, 1 = identical order). */
  kendallW: number;
  /** Friedman's rank-sum statistic (tie-corrected, R `friedman.test`), years as blocks. */
  statistic: number;
  df: number;
  /** Upper χ² tail: the chance of this much agreement between years if the months did not differ. */
  pValue: number;
  /** Mean Spearman correlation between pairs of years' profiles, (mW − 1)/(m − 1). */
  meanSpearman: number;
}

/** The month-of-year profile of one series. */
export interface SeasonalProfile {
  /** The column value or group (`"all"` without `by`). */
  key: string | null;
  /** Counts per year (rows, in `years` order) × month (columns, in `months` order), row-major. */
  counts: Float64Array;
  /** Mean count per month across the years. */
  meanCount: Float64Array;
  /** Mean incidents per day in each month across the years. */
  meanDailyRate: Float64Array;
  /** Seasonal index: the month's mean (daily rate with `perDay`) ÷ the mean over months; 1 = average. */
  index: Float64Array;
  /** Months by index, busiest first (month numbers 1–12). */
  ranking: number[];
  /** Months that are local maxima of the circular profile with index above 1, busiest first (the sentence names a second one as "a second, smaller peak in November"). */
  peaks: number[];
  /** Consistency of the pattern across years; `null` with fewer than two complete years. */
  consistency: SeasonalConsistency | null;
  total: number;
  sentence: string;
}

/** Result of {@link seasonalProfile}. */
export interface SeasonalProfileResult {
  /** Complete years used, e.g. ["2020/21", "2021/22"] or ["2020", "2021"]. */
  readonly years: string[];
  /** The calendar month (1–12) of each column: April first for financial years. */
  readonly months: number[];
  /** Incidents outside the complete, wholly covered years (a part year at either end, or one reaching into a gap), not used. */
  readonly outside: number;
  readonly profiles: SeasonalProfile[];
}

const FN = "seasonalProfile";

/**
 * The month-of-year profile of incidents across complete years: mean counts and daily rates per
 * month, a seasonal index (1 = an average month), the busiest and quietest months, the peaks,
 * and how consistent the pattern is from year to year — Kendall's W of the years' rankings of
 * the months with Friedman's test (R `friedman.test(counts)`, years as blocks, months as
 * treatments, tie-corrected), and the mean Spearman correlation between years.
 *
 * Sentences read "Anti-social behaviour: busiest in August and October (index 1.15 and 1.12);
 * quietest in February (0.81). The pattern is very similar year on year (Kendall's W = 0.74 over
 * 3 years, p < 0.001)." Wording: W ≥ 0.7 "very similar", ≥ 0.5 "similar", otherwise "only
 * loosely similar"; a Friedman p ≥ 0.05 reads "not consistent".
 *
 * @throws InputError `invalid-option` for bad options; `precision-too-coarse` when records are
 *   coarser than a month.
 */
export function seasonalProfile(table: IncidentTable, options: SeasonalProfileOptions = {}): SeasonalProfileResult {
  const yearsKind = options.years ?? "financial";
  if (yearsKind !== "financial" && yearsKind !== "calendar") invalidOption(FN, "years", '"financial" or "calendar"', yearsKind);
  const perDay = options.perDay ?? true;
  if (typeof perDay !== "boolean") invalidOption(FN, "perDay", "a boolean", perDay);
  const fy = yearsKind === "calendar" ? 1 : (options.fyStartMonth ?? 4);
  let t = table;
  if (options.categories !== undefined) {
    if (!Array.isArray(options.categories) || options.categories.length === 0) invalidOption(FN, "categories", "a non-empty array of category keys", options.categories);
    for (const c of options.categories) if (!table.category.values.includes(c)) throw new InputError("unknown-category", `${FN}: categories must name categories in the table, got "${c}"`);
    t = selectRows(table, whereTest(table, { category: options.categories }));
  }
  const months = Array.from({ length: 12 }, (_, k) => ((fy - 1 + k) % 12) + 1);
  if (t.length === 0) return { years: [], months, outside: 0, profiles: [] };
  const series = countSeries(t, { unit: "month", by: options.by, groups: options.groups });
  // Complete years: all twelve months present and wholly covered by the data for every series
  // (a year that reaches into a gap between downloads, or a part year at either end, is left out).
  const keys = series.periods.map((p) => p.key);
  const firstFull = keys.findIndex((k) => Number(k.slice(5, 7)) === fy);
  const years: string[] = [];
  const yearStart: number[] = [];
  const allCounts = countSeries(t, { unit: "month" }).series[0]?.counts ?? new Float64Array(0);
  const coveredYear = (start: number) => {
    for (let j = start; j < start + 12; ++j) if (Number.isNaN(allCounts[j]) || series.series.some((x) => Number.isNaN(x.counts[j]))) return false;
    return true;
  };
  if (firstFull >= 0) {
    for (let s = firstFull; s + 12 <= keys.length; s += 12) {
      if (!coveredYear(s)) continue;
      const y = Number(keys[s].slice(0, 4));
      years.push(yearsKind === "calendar" ? String(y) : fy === 1 ? String(y) : `${y}/${String((y + 1) % 100).padStart(2, "0")}`);
      yearStart.push(s);
    }
  }
  // Incidents outside the years used (counted once, from the total series).
  let inYears = 0;
  for (const s of yearStart) for (let j = s; j < s + 12; ++j) inYears += allCounts[j];
  const outside = t.length - inYears;
  const m = years.length;
  const days = (k: number) => daysInMonth(Number(keys[k].slice(0, 4)), Number(keys[k].slice(5, 7)));

  const profiles: SeasonalProfile[] = series.series.map((s) => {
    const counts = new Float64Array(m * 12);
    const rates = new Float64Array(m * 12);
    yearStart.forEach((start, y) => {
      for (let j = 0; j < 12; ++j) {
        counts[y * 12 + j] = s.counts[start + j];
        rates[y * 12 + j] = s.counts[start + j] / days(start + j);
      }
    });
    const meanCount = new Float64Array(12);
    const meanDailyRate = new Float64Array(12);
    for (let j = 0; j < 12; ++j) {
      let c = 0;
      let r = 0;
      for (let y = 0; y < m; ++y) {
        c += counts[y * 12 + j];
        r += rates[y * 12 + j];
      }
      meanCount[j] = m ? c / m : NaN;
      meanDailyRate[j] = m ? r / m : NaN;
    }
    const basis = perDay ? meanDailyRate : meanCount;
    const avg = basis.reduce((a, b) => a + b, 0) / 12;
    const index = basis.map((v) => (avg > 0 ? v / avg : NaN));
    const order = Array.from({ length: 12 }, (_, j) => j).sort((a, b) => index[b] - index[a] || a - b);
    const ranking = order.map((j) => months[j]);
    const peaks = order.filter((j) => index[j] > 1 && index[j] >= index[(j + 11) % 12] && index[j] >= index[(j + 1) % 12]).map((j) => months[j]);
    const consistency = m >= 2 ? friedman(perDay ? rates : counts, m, 12) : null;
    const total = counts.reduce((a, b) => a + b, 0);
    const profile: SeasonalProfile = { key: s.key, counts, meanCount, meanDailyRate, index, ranking, peaks, consistency, total, sentence: "" };
    profile.sentence = sentence(profile, options.by, months, m, options.categories);
    return profile;
  });
  return { years, months, outside, profiles };
}

/**
 * Friedman's test with years as blocks and months as treatments, ranks within each year
 * (average ranks for ties) — R `friedman.test(y)` with `y` a years × months matrix — and
 * Kendall's W = X² / (m(k − 1)).
 */
export function friedman(values: ArrayLike<number>, blocks: number, treatments: number): SeasonalConsistency {
  const k = treatments;
  const m = blocks;
  const rankSums = new Float64Array(k);
  let tieSum = 0;
  const idx = Array.from({ length: k }, (_, j) => j);
  for (let b = 0; b < m; ++b) {
    const row = (j: number) => values[b * k + j];
    idx.sort((p, q) => row(p) - row(q));
    for (let a = 0; a < k; ) {
      let e = a + 1;
      while (e < k && row(idx[e]) === row(idx[a])) ++e;
      const rank = (a + 1 + e) / 2; // average of ranks a+1 … e
      for (let q = a; q < e; ++q) rankSums[idx[q]] += rank;
      const tsize = e - a;
      tieSum += tsize * tsize * tsize - tsize;
      a = e;
    }
  }
  let ss = 0;
  for (let j = 0; j < k; ++j) ss += (rankSums[j] - (m * (k + 1)) / 2) ** 2;
  const denom = m * k * (k + 1) - tieSum / (k - 1);
  const statistic = denom > 0 ? (12 * ss) / denom : 0;
  const df = k - 1;
  const kendallW = statistic / (m * (k - 1));
  return { kendallW, statistic, df, pValue: chiSquareCdf(statistic, df, { lowerTail: false }), meanSpearman: (m * kendallW - 1) / (m - 1) };
}

function sentence(p: SeasonalProfile, by: DictColumnName | undefined, months: number[], years: number, categories?: readonly string[]): string {
  const what = categories && categories.length === 1 ? categoryLabel(categories[0]) : "Incidents";
  const name = by === undefined ? what : by === "category" ? (p.key === null ? "(no category)" : categoryLabel(p.key)) : `${what} in ${p.key ?? "(none)"}`;
  if (years === 0 || p.total === 0) return `${name}: no complete year of data to profile.`;
  const at = (mon: number) => p.index[months.indexOf(mon)];
  const [a, b] = p.ranking;
  const quiet = p.ranking[11];
  let s = `${name}: busiest in ${MONTHS[a - 1]} and ${MONTHS[b - 1]} (index ${at(a).toFixed(2)} and ${at(b).toFixed(2)}); quietest in ${MONTHS[quiet - 1]} (${at(quiet).toFixed(2)}).`;
  // The busiest month is the main peak; a second local peak that is not already named as the
  // second-busiest month is a separate, smaller one ("busiest in June and July …; a second,
  // smaller peak in April"), never a contradicting "peaks in April and again in June".
  const second = p.peaks.find((m) => m !== a);
  if (second !== undefined && second !== b) s += ` A second, smaller peak in ${MONTHS[second - 1]} (${at(second).toFixed(2)}).`;
  const c = p.consistency;
  if (c === null) return `${s} One complete year only, so its consistency cannot be judged.`;
  const p_ = c.pValue < 0.001 ? "p < 0.001" : `p = ${c.pValue.toFixed(c.pValue < 0.01 ? 3 : 2)}`;
  const word = c.pValue >= 0.05 ? "not consistent" : c.kendallW >= 0.7 ? "very similar" : c.kendallW >= 0.5 ? "similar" : "only loosely similar";
  return `${s} The pattern is ${word} year on year (Kendall's W = ${c.kendallW.toFixed(2)} over ${years} years, Friedman ${p_}).`;
}
