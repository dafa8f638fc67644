import type { VegaLiteSpec } from "./to-svg.js";

/** One target's progress: a `TargetProgressRow` of core's `targetProgress`, or the row as published (a withheld value is `null`). */
export interface RagTableRow {
  /** The measure's name. */
  name: string;
  /** Count to date. */
  actual: number | null;
  /** Expected to date on the trajectory to the target. */
  expected: number | null;
  /** Probability of meeting the target by the end of the period (0–1). */
  probabilityMet: number | null;
  rag: "red" | "amber" | "green" | null;
}

/** Options for {@link ragTableFigure}. */
export interface RagTableFigureOptions {
  /** Width of the measure column in pixels (longer names are truncated with “…”). Default 260. */
  measureWidth?: number;
  /** Width of each value column in pixels. Default 90. */
  columnWidth?: number;
  /** Height of a row in pixels. Default 24. */
  rowHeight?: number;
  /** The title. Default none. */
  title?: string;
}

/** The RAG cell colours (the report's), and grey for a withheld status. */
export const RAG_COLOURS = { green: "#2e7d32", amber: "#c77700", red: "#b3261e", withheld: "#bdbdbd" } as const;

const COLUMNS = ["Actual to date", "Expected to date", "P(meet target)", "RAG"] as const;
const int = (v: number | null) => (v === null ? "–" : Math.round(v).toLocaleString("en-GB"));
const prob = (v: number | null) => (v === null ? "–" : v > 0 && v < 0.005 ? "< 1%" : v < 1 && v > 0.995 ? "> 99%" : `${Math.round(100 * v)}%`);

/**
 * The RAG table as a figure (a Vega-Lite spec): one line per measure, in the order given, with
 * its count to date, the count expected to date on the trajectory, the probability of meeting
 * the target (whole percentages; "< 1%" and "> 99%" at the ends) and its RAG status as a
 * coloured cell (green, amber, red; grey "withheld" when `rag` is `null`). Counts are rounded
 * to whole numbers with thousands separators; a withheld value shows "–". Text and rect marks
 * only, so it renders the same wherever {@link toSvg} runs. No rows gives a spec with no data.
 *
 * @example
 * ragTableFigure([{ name: "Burglary", actual: 310, expected: 342.6, probabilityMet: 0.91, rag: "green" }]).data.values[0];
 * // => { measure: "Burglary", order: 0, column: "Actual to date", text: "310", rag: "green" }
 */
export function ragTableFigure(rows: readonly RagTableRow[], options: RagTableFigureOptions = {}): VegaLiteSpec & { data: { values: Record<string, unknown>[] } } {
  const { measureWidth = 260, columnWidth = 90, rowHeight = 24, title } = options;
  const values = rows.flatMap((r, order) => {
    const rag = r.rag ?? "withheld";
    const texts = [int(r.actual), int(r.expected), prob(r.probabilityMet), rag.toUpperCase()];
    return COLUMNS.map((column, k) => ({ measure: r.name, order, column, text: texts[k], rag }));
  });
  const x = { field: "column", type: "ordinal", sort: [...COLUMNS], title: null, axis: { orient: "top", domain: false, ticks: false, labelAngle: 0, labelFontWeight: "bold" } };
  const y = { field: "measure", type: "ordinal", sort: rows.map((r) => r.name), title: null, axis: { domain: false, ticks: false, labelLimit: measureWidth } };
  return {
    ...(title === undefined ? {} : { title }),
    data: { values },
    width: columnWidth * COLUMNS.length,
    height: rowHeight * rows.length,
    layer: [
      {
        transform: [{ filter: "datum.column === 'RAG'" }],
        mark: { type: "rect", stroke: "white", strokeWidth: 2 },
        encoding: {
          x,
          y,
          color: { field: "rag", type: "nominal", legend: null, scale: { domain: Object.keys(RAG_COLOURS), range: Object.values(RAG_COLOURS) } },
        },
      },
      {
        transform: [{ filter: "datum.column !== 'RAG'" }],
        mark: { type: "text", fontSize: 11, color: "#222" },
        encoding: { x, y, text: { field: "text" } },
      },
      {
        transform: [{ filter: "datum.column === 'RAG'" }],
        mark: { type: "text", fontSize: 11, fontWeight: "bold", color: "white" },
        encoding: { x, y, text: { field: "text" } },
      },
    ],
  };
}
