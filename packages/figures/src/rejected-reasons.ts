import type { VegaLiteSpec } from "./to-svg.js";

/** The rows rejected for one reason. */
export interface RejectedReasonRow {
  /** The rejection's reason (`"invalid-date"`). */
  reason: string;
  n: number;
}

/** Options for {@link rejectedReasonsFigure}. */
export interface RejectedReasonsFigureOptions {
  /** The title. Default "Rejected rows by reason". */
  title?: string;
}

/**
 * A Vega-Lite spec of horizontal bars of rejected rows by reason, the most frequent first.
 *
 * @example
 * rejectedReasonsFigure([{ reason: "invalid-date", n: 3 }]).data.values; // => [{ reason: "invalid-date", n: 3 }]
 */
export function rejectedReasonsFigure(rows: readonly RejectedReasonRow[], options: RejectedReasonsFigureOptions = {}): VegaLiteSpec {
  return {
    title: options.title ?? "Rejected rows by reason",
    width: 420,
    data: { values: rows.map((r) => ({ reason: r.reason, n: r.n })) },
    mark: { type: "bar", color: "#b5523b" },
    encoding: { y: { field: "reason", type: "nominal", sort: "-x", title: null }, x: { field: "n", type: "quantitative", title: "rows" } },
  };
}
