import type { VegaLiteSpec } from "./to-svg.js";

/** One source's count in one month. */
export interface MonthlyBySourceRow {
  /** The month key (`"2021-04"`). */
  month: string;
  /** The source's label: one line per source. */
  source: string;
  n: number | null;
  /** The unbroken run of covered months the month belongs to: the line breaks between runs. Default 0 (one run). */
  run?: number;
}

/** Options for {@link monthlyBySourceFigure}. */
export interface MonthlyBySourceFigureOptions {
  /** The title. Default "Incidents per month by source". */
  title?: string;
}

/**
 * A Vega-Lite spec of incidents per month, one line per source, on a UTC time axis; a line
 * breaks between runs (`run`), so months the data do not cover are drawn as a gap, not as
 * zero (leave their rows out). Rows are drawn as given.
 *
 * @example
 * monthlyBySourceFigure([{ month: "2021-04", source: "Crime", n: 10 }]).encoding.detail.field; // => "run"
 */
export function monthlyBySourceFigure(rows: readonly MonthlyBySourceRow[], options: MonthlyBySourceFigureOptions = {}): VegaLiteSpec {
  return {
    title: options.title ?? "Incidents per month by source",
    width: 640,
    height: 220,
    data: { values: rows.map((r) => ({ month: r.month, source: r.source, n: r.n, run: r.run ?? 0 })) },
    mark: { type: "line", point: { size: 12 } },
    encoding: {
      x: { field: "month", type: "temporal", title: null, axis: { format: "%b %Y" }, scale: { type: "utc" } },
      y: { field: "n", type: "quantitative", title: "incidents" },
      color: { field: "source", type: "nominal", title: "source" },
      detail: { field: "run", type: "nominal" },
    },
  };
}
