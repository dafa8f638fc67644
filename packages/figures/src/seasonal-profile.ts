import type { VegaLiteSpec } from "./to-svg.js";
import { smallMultiples } from "./small-multiples.js";

/** One month of one year of a series' seasonal profile (the counts of `seasonalProfile` in `@community-safety/trends`). */
export interface SeasonalProfileRow {
  series: string;
  /** The year's key (`"2021/22"`, `"2021"`): one line per year. */
  year: string | number;
  /** The month of the year as a short name (`"Apr"`), one of `options.months`. */
  month: string;
  count: number | null;
}

/** Options for {@link seasonalProfileFigure}. */
export interface SeasonalProfileFigureOptions {
  /** The months along the x axis, in order. Default January to December (`"Jan"` … `"Dec"`); start at April for financial years. */
  months?: readonly string[];
  /** The panels' order by series name. Default: the order the series first appear in the rows. */
  order?: readonly string[];
  /** Panels per row. Default 2. */
  columns?: number;
}

const MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * A Vega-Lite spec of seasonal profiles by year as small multiples: one panel per series, one
 * line per year (darker blue later) of its counts by month of the year, each panel with its
 * own y scale (not from zero). Rows are drawn as given. No rows: a spec with no panels.
 *
 * @example
 * seasonalProfileFigure(rows, { months: ["Apr", "May", …, "Mar"] }).spec.encoding.x.sort[0]; // => "Apr"
 */
export function seasonalProfileFigure(rows: readonly SeasonalProfileRow[], options: SeasonalProfileFigureOptions = {}): VegaLiteSpec {
  const months = options.months ?? MONTH_ABBR;
  return smallMultiples(
    rows,
    {
      width: 330,
      height: 150,
      mark: { type: "line", point: { size: 14 } },
      encoding: {
        x: { field: "month", type: "ordinal", sort: [...months], title: null },
        y: { field: "count", type: "quantitative", title: "per month", scale: { zero: false } },
        color: { field: "year", type: "ordinal", title: "year", scale: { scheme: "blues" } },
      },
    },
    { order: options.order, columns: options.columns },
  );
}
