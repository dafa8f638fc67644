import type { VegaLiteSpec } from "./to-svg.js";

/** One source's index in one month. */
export interface SourceIndexRow {
  /** The month as an ISO date (`"2021-04-15"`: mid-month). */
  month: string;
  /** The source's label: one line per source. */
  source: string;
  /** The month's count as an index of the source's own average month (= 100). */
  index: number;
}

/** Options for {@link sourceIndexFigure}. */
export interface SourceIndexFigureOptions {
  /** The title. Default "Each source's monthly count against its own average month". */
  title?: string;
}

/**
 * A Vega-Lite spec of each source's monthly index (its own average month = 100) on one axis,
 * one line per source, so a source of a few dozen a month and one of thousands can be
 * compared. Months a source does not cover: leave their rows out.
 *
 * @example
 * sourceIndexFigure([{ month: "2021-04-15", source: "Crime", index: 104.2 }]).encoding.y.field; // => "index"
 */
export function sourceIndexFigure(rows: readonly SourceIndexRow[], options: SourceIndexFigureOptions = {}): VegaLiteSpec {
  return {
    title: options.title ?? "Each source's monthly count against its own average month",
    width: 640,
    height: 220,
    data: { values: rows.map((r) => ({ month: r.month, source: r.source, index: r.index })) },
    mark: { type: "line" },
    encoding: {
      x: { field: "month", type: "temporal", title: null, axis: { format: "%b %Y" }, scale: { type: "utc" } },
      y: { field: "index", type: "quantitative", title: "index (average month = 100)", scale: { zero: false } },
      color: { field: "source", type: "nominal", title: null, legend: { orient: "bottom", columns: 2, labelLimit: 320 } },
    },
  };
}
