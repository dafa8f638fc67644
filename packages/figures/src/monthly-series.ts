import type { VegaLiteSpec } from "./to-svg.js";
import { smallMultiples } from "./small-multiples.js";

/** One point of a monthly series: the month's count, or the series' STL trend at that month. */
export interface MonthlySeriesRow {
  /** The series' name (a panel). */
  series: string;
  /** The month as an ISO date (`"2021-04-15"`: mid-month, so the point sits in the middle of its month). */
  month: string;
  value: number;
  /** `"monthly count"` or `"trend (STL)"` (the trend of `stl(counts, { period: 12 })` in `@community-safety/trends`). */
  line: "monthly count" | "trend (STL)";
}

/** Options for {@link monthlySeriesFigure}. */
export interface MonthlySeriesFigureOptions {
  /** The panels' order by series name. Default: the order the series first appear in the rows. */
  order?: readonly string[];
  /** Panels per row. Default 2. */
  columns?: number;
}

/**
 * A Vega-Lite spec of monthly series as small multiples, one panel per series, each with its
 * monthly counts (blue) and, where given, the trend of an STL decomposition (red); each panel
 * has its own y scale (not from zero). Rows are drawn as given (withhold a series by leaving
 * its rows out). No rows: a spec with no panels.
 *
 * @example
 * monthlySeriesFigure([{ series: "All crime", month: "2021-04-15", value: 120, line: "monthly count" }]).columns; // => 2
 */
export function monthlySeriesFigure(rows: readonly MonthlySeriesRow[], options: MonthlySeriesFigureOptions = {}): VegaLiteSpec {
  return smallMultiples(
    rows,
    {
      width: 330,
      height: 150,
      mark: { type: "line" },
      encoding: {
        x: { field: "month", type: "temporal", title: null, axis: { format: "%b %Y", labelFontSize: 9 }, scale: { type: "utc" } },
        y: { field: "value", type: "quantitative", title: "per month", scale: { zero: false } },
        color: { field: "line", type: "nominal", title: null, scale: { domain: ["monthly count", "trend (STL)"], range: ["#1f5fa8", "#b5523b"] }, legend: { orient: "top" } },
      },
    },
    { order: options.order, columns: options.columns },
  );
}
