import type { VegaLiteSpec } from "./to-svg.js";

/** One row of core's `change`: its readable label, the change in incidents and whether it is more than chance. */
export interface ChangeFigureRow {
  label: string;
  change: number;
  significant: boolean;
}

/** Options for {@link changeFigure}. */
export interface ChangeFigureOptions {
  /** The title. Default none. */
  title?: string;
  /** Width in pixels. Default 480. */
  width?: number;
}

/** Bar colours: a change more than chance (the test's `significant`) and one within chance. */
export const CHANGE_COLOURS = { "more than chance": "#b5523b", "within chance": "#9e9e9e" } as const;

/**
 * The change between two periods as a bar chart (a Vega-Lite spec): one bar per row (its
 * `label`, usually the category's) of the change in incidents, sorted by the change, coloured
 * by whether the change is more than chance (`significant`, core's exact conditional Poisson
 * test at its `alpha`) or within chance. No rows gives a spec with no data.
 *
 * @example
 * const ch = change(table, "2020/21", "2021/22");
 * await toSvg(changeFigure(ch.rows, { title: "Change from 2020/21 to 2021/22" })); // => "<svg …"
 */
export function changeFigure(rows: readonly ChangeFigureRow[], options: ChangeFigureOptions = {}): VegaLiteSpec & { data: { values: Record<string, unknown>[] } } {
  const { title, width = 480 } = options;
  return {
    ...(title === undefined ? {} : { title }),
    width,
    data: { values: rows.map((r) => ({ category: r.label, change: r.change, real: r.significant ? "more than chance" : "within chance" })) },
    mark: "bar",
    encoding: {
      y: { field: "category", type: "nominal", sort: "x", title: null },
      x: { field: "change", type: "quantitative", title: "change in incidents" },
      color: { field: "real", type: "nominal", title: null, scale: { domain: Object.keys(CHANGE_COLOURS), range: Object.values(CHANGE_COLOURS) } },
    },
  };
}
