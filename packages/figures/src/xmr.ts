import { InputError, describeValue } from "@community-safety/core";
import type { VegaLiteSpec } from "./to-svg.js";

/** An XmR chart's series and limits: `controlChart(counts, { type: "xmr" })` of `@community-safety/trends`, or the same arrays. */
export interface XmrChart {
  value: ArrayLike<number>;
  centre: ArrayLike<number>;
  lower: ArrayLike<number>;
  upper: ArrayLike<number>;
}

/** The special-cause signals: `runRules(chart)` of `@community-safety/trends` (`special[k]` is 1 where point k signals). */
export interface XmrRules {
  special: ArrayLike<number>;
}

/** Options for {@link xmrFigure}. */
export interface XmrFigureOptions {
  /** The month key of each point (`"2021-04"`), as many as the chart's values. Required. */
  months: readonly string[];
  /** The title. Default "XmR chart of monthly counts". */
  title?: string;
}

/**
 * A Vega-Lite spec of an XmR (individuals) chart: the monthly counts (blue line and points),
 * the centre line and the natural process limits (grey, dashed), and the points with a
 * special-cause signal (red). Each month is drawn mid-month on a UTC time axis.
 *
 * @throws {InputError} `invalid-option` when `months` is not an array; `length-mismatch` when
 * `months`, the chart's arrays and `rules.special` differ in length.
 * @example
 * const chart = controlChart(counts, { type: "xmr" });
 * xmrFigure(chart, runRules(chart), { months }).layer.length; // => 3
 */
export function xmrFigure(chart: XmrChart, rules: XmrRules, options: XmrFigureOptions): VegaLiteSpec {
  const { months, title = "XmR chart of monthly counts" } = options ?? ({} as XmrFigureOptions);
  if (!Array.isArray(months)) throw new InputError("invalid-option", `xmrFigure: months must be an array of month keys, got ${describeValue(months)}`);
  const n = months.length;
  for (const [name, a] of [["value", chart.value], ["centre", chart.centre], ["lower", chart.lower], ["upper", chart.upper], ["special", rules.special]] as const) {
    if (a.length !== n) throw new InputError("length-mismatch", `xmrFigure: ${name} must have one entry per month (${n}), got ${a.length}`);
  }
  const values = months.flatMap((m, k) => [
    { month: `${m}-15`, value: chart.value[k], line: "count", special: rules.special[k] ? "signal" : "common" },
    { month: `${m}-15`, value: chart.centre[k], line: "centre" },
    { month: `${m}-15`, value: chart.lower[k], line: "limits" },
    { month: `${m}-15`, value: chart.upper[k], line: "limits2" },
  ]);
  return {
    title,
    width: 640,
    height: 220,
    layer: [
      {
        data: { values: values.filter((v) => v.line !== "count") },
        mark: { type: "line", strokeDash: [5, 3] },
        encoding: {
          x: { field: "month", type: "temporal", title: null, axis: { format: "%b %Y" }, scale: { type: "utc" } },
          y: { field: "value", type: "quantitative" },
          detail: { field: "line" },
          color: { value: "#888" },
        },
      },
      {
        data: { values: values.filter((v) => v.line === "count") },
        mark: { type: "line", point: { filled: true, size: 30 }, color: "#1f5fa8" },
        encoding: {
          x: { field: "month", type: "temporal", scale: { type: "utc" } },
          y: { field: "value", type: "quantitative", title: "incidents per month", scale: { zero: false } },
        },
      },
      {
        data: { values: values.filter((v) => v.line === "count" && v.special === "signal") },
        mark: { type: "point", filled: true, size: 70, color: "#b3261e" },
        encoding: { x: { field: "month", type: "temporal", scale: { type: "utc" } }, y: { field: "value", type: "quantitative" } },
      },
    ],
  };
}
