import type { VegaLiteSpec } from "./to-svg.js";

/** One district's rate. */
export interface DistrictRateRow {
  district: string;
  /** Incidents per 1,000 residents (or per `options.per`). */
  rate: number | null;
  /** Whether this is the assessed area (drawn darker). Default false. */
  focus?: boolean;
}

/** Options for {@link districtRatesFigure}. */
export interface DistrictRatesFigureOptions {
  /** The rate of all the districts together: a dashed line. Default none (`null`). */
  overall?: number | null;
  /** The title. Default "Recorded crime per 1,000 residents". */
  title?: string;
  /** The x axis title. Default "crimes per 1,000 residents". */
  axisTitle?: string;
}

/**
 * A Vega-Lite spec of horizontal bars of districts' rates, highest first, the assessed area
 * (`focus`) darker, with the overall rate as a dashed red line. Rows are drawn as given (leave
 * out withheld rates).
 *
 * @example
 * districtRatesFigure([{ district: "Charnwood", rate: 61.2, focus: true }], { overall: 58 }).layer[1].data.values; // => [{ rate: 58 }]
 */
export function districtRatesFigure(rows: readonly DistrictRateRow[], options: DistrictRatesFigureOptions = {}): VegaLiteSpec {
  const overall = options.overall ?? null;
  return {
    title: options.title ?? "Recorded crime per 1,000 residents",
    width: 460,
    layer: [
      {
        data: { values: rows.map((r) => ({ district: r.district, rate: r.rate, focus: r.focus ?? false })) },
        mark: "bar",
        encoding: {
          y: { field: "district", type: "nominal", sort: "-x", title: null },
          x: { field: "rate", type: "quantitative", title: options.axisTitle ?? "crimes per 1,000 residents" },
          color: { field: "focus", type: "nominal", scale: { domain: [false, true], range: ["#9bbbe0", "#1f5fa8"] }, legend: null },
        },
      },
      { data: { values: overall === null ? [] : [{ rate: overall }] }, mark: { type: "rule", color: "#b5523b", strokeDash: [4, 3] }, encoding: { x: { field: "rate", type: "quantitative" } } },
    ],
  };
}
