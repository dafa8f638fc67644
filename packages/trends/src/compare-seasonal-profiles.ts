import { categoryLabel, chiSquareCdf, invalidOption } from "@community-safety/core";
import type { SeasonalProfile } from "./seasonal-profile.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Options for {@link compareSeasonalProfiles}. */
export interface CompareSeasonalProfilesOptions {
  /** The calendar month (1–12) of each column, from {@link SeasonalProfileResult.months}. Default January first. */
  months?: readonly number[];
  /** Significance level for `different` and the sentence. Default 0.05. */
  alpha?: number;
}

/** Result of {@link compareSeasonalProfiles}. */
export interface CompareSeasonalProfilesResult {
  /** Pearson's X² of the 2 × 12 table of counts per month (summed over the years). */
  statistic: number;
  df: number;
  pValue: number;
  different: boolean;
  /** Index of the second profile minus the first, per month column. */
  indexDifference: Float64Array;
  /** The month (1–12) where the two indices differ most. */
  largestDifference: number;
  sentence: string;
}

/**
 * Whether two areas (or categories) share one seasonal pattern: Pearson's chi-square test of
 * homogeneity on the 2 × 12 table of their counts per month over the same complete years (R
 * `chisq.test(rbind(a, b))`; no continuity correction beyond 2 × 2). A different overall level
 * does not count as a different pattern: only the spread over the months is tested. With
 * thousands of incidents small differences are significant; read `indexDifference` for size.
 *
 * @example
 * compareSeasonalProfiles(loughborough, southCharnwood).sentence
 * // => "The seasonal patterns of Loughborough and South differ (chi-square 41.2 on 11 df, p < 0.001); most in July (index 1.21 against 1.02)."
 * @throws InputError `invalid-option` when the profiles cover different numbers of years or a profile is empty.
 */
export function compareSeasonalProfiles(a: SeasonalProfile, b: SeasonalProfile, options: CompareSeasonalProfilesOptions = {}): CompareSeasonalProfilesResult {
  const fn = "compareSeasonalProfiles";
  const months = options.months ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  if (!Array.isArray(months) || months.length !== 12) invalidOption(fn, "months", "12 month numbers", months);
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) invalidOption(fn, "alpha", "a number between 0 and 1", alpha);
  if (a.counts.length !== b.counts.length) invalidOption(fn, "b", `a profile over the same years as a (${a.counts.length / 12})`, b.counts.length / 12);
  const sums = [a, b].map((p) => {
    const s = new Float64Array(12);
    for (let i = 0; i < p.counts.length; ++i) s[i % 12] += p.counts[i];
    return s;
  });
  const rowTotals = sums.map((s) => s.reduce((x, y) => x + y, 0));
  if (rowTotals[0] === 0 || rowTotals[1] === 0) invalidOption(fn, rowTotals[0] === 0 ? "a" : "b", "a profile with incidents", 0);
  const n = rowTotals[0] + rowTotals[1];
  let x2 = 0;
  let cols = 0;
  for (let j = 0; j < 12; ++j) {
    const colTotal = sums[0][j] + sums[1][j];
    if (colTotal === 0) continue; // an empty month carries no information (R gives NaN; we drop it and a df)
    cols += 1;
    for (let r = 0; r < 2; ++r) {
      const e = (rowTotals[r] * colTotal) / n;
      x2 += (sums[r][j] - e) ** 2 / e;
    }
  }
  const df = cols - 1;
  const pValue = df > 0 ? chiSquareCdf(x2, df, { lowerTail: false }) : 1;
  const indexDifference = new Float64Array(12);
  let largest = 0;
  for (let j = 0; j < 12; ++j) {
    indexDifference[j] = b.index[j] - a.index[j];
    if (Math.abs(indexDifference[j]) > Math.abs(indexDifference[largest])) largest = j;
  }
  const different = pValue < alpha;
  const p = pValue < 0.001 ? "p < 0.001" : `p = ${pValue.toFixed(pValue < 0.01 ? 3 : 2)}`;
  const sentence = `The seasonal patterns of ${categoryLabel(String(a.key))} and ${categoryLabel(String(b.key))} ${different ? "differ" : "do not differ significantly"} (chi-square ${x2.toFixed(1)} on ${df} df, ${p})${different ? `; most in ${MONTHS[months[largest] - 1]} (index ${a.index[largest].toFixed(2)} against ${b.index[largest].toFixed(2)})` : ""}.`;
  return { statistic: x2, df, pValue, different, indexDifference, largestDifference: months[largest], sentence };
}
