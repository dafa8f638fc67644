import type { VegaLiteSpec } from "./to-svg.js";

/** One cell of the strip: a source's month. */
export interface CoverageStripRow {
  /** The month key (`"2021-04"`); a January is labelled with its year. */
  month: string;
  /** The source's label: one row of cells per source. */
  source: string;
  count: number | null;
  /** `"covered"` (shaded by `count`), or `"not covered"`, `"partly covered"`, `"count withheld"` (shaded by status). */
  status: "covered" | "not covered" | "partly covered" | "count withheld";
}

/** Options for {@link coverageStripFigure}. */
export interface CoverageStripFigureOptions {
  /** Whether the legend lists "count withheld" (publication under disclosure control). Default false. */
  withheld?: boolean;
  /** The title. Default "Months covered by each source". */
  title?: string;
}

/**
 * A Vega-Lite spec of a coverage strip: one row per source, one cell per month, blue by the
 * month's count where the source covers it, grey where it does not or only partly, sand where
 * a covered month's count is withheld. Rows are drawn as given.
 *
 * @example
 * coverageStripFigure([{ month: "2021-04", source: "Crime", count: 12, status: "covered" }]).height; // => 40
 */
export function coverageStripFigure(rows: readonly CoverageStripRow[], options: CoverageStripFigureOptions = {}): VegaLiteSpec {
  const nSources = new Set(rows.map((c) => c.source)).size;
  return {
    title: options.title ?? "Months covered by each source",
    width: 640,
    height: Math.max(40, 28 * nSources),
    layer: [
      {
        data: { values: rows.filter((c) => c.status === "covered") },
        mark: { type: "rect" },
        encoding: {
          x: { field: "month", type: "ordinal", title: null, axis: { labelExpr: "substring(datum.value, 5) == '01' ? substring(datum.value, 0, 4) : ''", labelAngle: 0, ticks: false } },
          y: { field: "source", type: "nominal", title: null },
          color: { field: "count", type: "quantitative", title: "incidents", scale: { scheme: "blues" } },
        },
      },
      {
        data: { values: rows.filter((c) => c.status !== "covered") },
        mark: { type: "rect" },
        encoding: { x: { field: "month", type: "ordinal" }, y: { field: "source", type: "nominal" }, color: { field: "status", type: "nominal", title: null, scale: options.withheld ?? false ? { domain: ["not covered", "partly covered", "count withheld"], range: ["#cfcfcf", "#e8e8e8", "#f3d9a4"] } : { domain: ["not covered", "partly covered"], range: ["#cfcfcf", "#e8e8e8"] } } },
      },
    ],
    resolve: { scale: { color: "independent" } },
  };
}
