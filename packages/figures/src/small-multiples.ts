import type { VegaLiteSpec } from "./to-svg.js";
import { withSortRank } from "./sort-rank.js";

/**
 * A Vega-Lite small-multiples spec: one panel per value of `series` (in `order`), `columns`
 * across, each panel with its own y scale and drawn by `panel` (the inner spec: size, mark and
 * encodings). The monthly series and the seasonal profile share it.
 */
export function smallMultiples(rows: readonly { series: string }[], panel: VegaLiteSpec, options: { order?: readonly string[]; columns?: number } = {}): VegaLiteSpec {
  const { values, sort } = withSortRank(rows, "series", options.order ?? [], "seriesRank");
  return {
    data: { values },
    facet: { field: "series", type: "nominal", title: null, sort, header: { labelFontSize: 12 } },
    columns: options.columns ?? 2,
    resolve: { scale: { y: "independent" } },
    spec: panel,
  };
}
