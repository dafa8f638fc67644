import type { VegaLiteSpec } from "./to-svg.js";
import { withSortRank } from "./sort-rank.js";

/** One bar: a category's count in a year. */
export interface CategoryBarsRow {
  /** The category's label (a bar group). */
  category: string;
  /** The year's key (`"2021/22"`): one bar per year within each category. */
  year: string;
  n: number | null;
}

/** Options for {@link categoryBarsFigure}. */
export interface CategoryBarsFigureOptions {
  /** The categories down the y axis, in order. Default: the order they first appear in the rows. */
  order?: readonly string[];
  /** The title. Default "Incidents by category". */
  title?: string;
  /** The colour legend's title. Default "year". */
  yearWord?: string;
  /** Plot width in pixels. Default 520. */
  width?: number;
}

/**
 * A Vega-Lite spec of grouped horizontal bars: incidents by category for two (or more) years,
 * the years side by side within each category (the earlier lighter, the later darker blue).
 * Rows are drawn as given.
 *
 * @example
 * categoryBarsFigure([{ category: "Burglary", year: "2021/22", n: 40 }, { category: "Burglary", year: "2022/23", n: 35 }]).encoding.yOffset.field; // => "year"
 */
export function categoryBarsFigure(rows: readonly CategoryBarsRow[], options: CategoryBarsFigureOptions = {}): VegaLiteSpec {
  const { values, sort } = withSortRank(rows, "category", options.order ?? [], "categoryRank");
  return {
    title: options.title ?? "Incidents by category",
    width: options.width ?? 520,
    data: { values },
    mark: "bar",
    encoding: {
      y: { field: "category", type: "nominal", sort, title: null },
      yOffset: { field: "year" },
      x: { field: "n", type: "quantitative", title: "incidents" },
      color: { field: "year", type: "nominal", scale: { range: ["#9bbbe0", "#1f5fa8"] }, title: options.yearWord ?? "year" },
    },
  };
}
