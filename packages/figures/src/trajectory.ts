import { wrapLabel, wrappedHeader, type VegaLiteSpec } from "./to-svg.js";

/** One month of a target: a `TargetSeriesRow` of core's `targetProgress`, or the row as published (a withheld value is `null`). */
export interface TrajectorySeriesRow {
  id: string;
  /** Month key, e.g. "2022-04". */
  month: string;
  trajectory: number | null;
  baseline: number | null;
  cumulativeActual?: number | null;
  projected?: number | null;
  projectedLower?: number | null;
  projectedUpper?: number | null;
}

/** A target's id and name (a `TargetProgressRow`): the panels' titles and order. */
export interface TrajectoryTarget {
  id: string;
  name: string;
}

/** Options for {@link trajectoryFigure}. */
export interface TrajectoryFigureOptions {
  /** Width and height of each panel in pixels. Defaults 340 and 180. */
  width?: number;
  height?: number;
  /** Panels per row. Default 2. */
  columns?: number;
}

/** Line colours and dashes, in legend order. */
export const TRAJECTORY_LINES = {
  domain: ["Actual", "Trajectory to target", "Baseline", "Projected"],
  colours: ["#1f5fa8", "#b5523b", "#999999", "#555555"],
  dashes: [[1, 0], [6, 3], [2, 2], [3, 3]],
} as const;

/**
 * Progress against targets as small multiples (a Vega-Lite spec): one panel per target, in the
 * order of `targets`, with the cumulative count since the start of the target period (blue)
 * against the trajectory to the target (red, dashed) and the baseline (grey, dotted), and from
 * the month reported at the run-rate projection with its 95% prediction band (shaded). Each
 * panel has its own y scale. Months of a target not in `targets` are not drawn; `null` values
 * (after the month reported, or withheld) are left out. No series gives a spec with no data.
 *
 * @example
 * const p = targetProgress(table, plan.targets, { asAt: "2022-10" });
 * await toSvg(trajectoryFigure(p.series, p.rows)); // => "<svg …"
 */
export function trajectoryFigure(series: readonly TrajectorySeriesRow[], targets: readonly TrajectoryTarget[], options: TrajectoryFigureOptions = {}): VegaLiteSpec {
  const { width = 340, height = 180, columns = 2 } = options;
  const names = new Map(targets.map((t) => [t.id, t.name]));
  const values = series.filter((s) => names.has(s.id)).flatMap((s) => {
    const name = wrapLabel(names.get(s.id)!);
    const out: Record<string, unknown>[] = [
      { name, month: s.month, line: "Trajectory to target", value: s.trajectory },
      { name, month: s.month, line: "Baseline", value: s.baseline },
    ];
    if (s.cumulativeActual !== null && s.cumulativeActual !== undefined) out.push({ name, month: s.month, line: "Actual", value: s.cumulativeActual });
    if (s.projected !== null && s.projected !== undefined) out.push({ name, month: s.month, line: "Projected", value: s.projected, lower: s.projectedLower, upper: s.projectedUpper });
    return out;
  });
  const legend = { orient: "top", direction: "horizontal" };
  return {
    data: { values },
    facet: { field: "name", type: "nominal", title: null, sort: targets.map((t) => wrapLabel(t.name)), header: wrappedHeader() },
    columns,
    resolve: { scale: { y: "independent" } },
    spec: {
      width,
      height,
      layer: [
        {
          transform: [{ filter: "datum.line === 'Projected'" }],
          mark: { type: "area", opacity: 0.18, color: "#555" },
          encoding: { x: { field: "month", type: "ordinal", title: null }, y: { field: "lower", type: "quantitative" }, y2: { field: "upper" } },
        },
        {
          mark: { type: "line", point: false },
          encoding: {
            x: { field: "month", type: "ordinal", title: null, axis: { labelAngle: -60, labelFontSize: 9 } },
            y: { field: "value", type: "quantitative", title: "cumulative count" },
            color: { field: "line", type: "nominal", title: null, legend, scale: { domain: [...TRAJECTORY_LINES.domain], range: [...TRAJECTORY_LINES.colours] } },
            strokeDash: { field: "line", type: "nominal", title: null, legend, scale: { domain: [...TRAJECTORY_LINES.domain], range: TRAJECTORY_LINES.dashes.map((d) => [...d]) } },
          },
        },
      ],
    },
  };
}
