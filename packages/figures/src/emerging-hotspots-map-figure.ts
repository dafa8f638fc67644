import { contextLayers, type MapContext } from "./map-context-layers.js";
import type { VegaLiteSpec } from "./to-svg.js";

/** The emerging hot spot patterns a map shows, in legend order (ESRI's names, the rest grouped). */
export const EMERGING_MAP_PATTERNS = ["Intensifying Hot Spot", "Consecutive Hot Spot", "New Hot Spot", "Persistent Hot Spot", "Other hot spot pattern", "Cold spot pattern"] as const;
const PATTERN_COLOURS = ["#67000d", "#cb181d", "#fb6a4a", "#fcae91", "#fde0d2", "#c6dbef"];

/** A cell with a pattern: its edges in metres and its pattern (one of {@link EMERGING_MAP_PATTERNS}). */
export interface EmergingMapCell {
  readonly x: number;
  readonly x2: number;
  readonly y: number;
  readonly y2: number;
  readonly pattern: string;
}

/** A cell to outline and name: its centre in metres and its label. */
export interface EmergingMapListed {
  readonly x: number;
  readonly y: number;
  readonly label: string;
}

/** Options of {@link emergingHotspotsMapFigure}. */
export interface EmergingHotspotsMapFigureOptions {
  /** The figure's title. Default none. */
  title?: string;
  /** The cells' side in metres (for the outlines of `listed`). Default 400. */
  cellSize?: number;
  /** The cells to outline in black and label, most important first. Default none. */
  listed?: readonly EmergingMapListed[];
}

/**
 * An emerging hot spot map as a Vega-Lite spec: every cell with a pattern (`cells`), coloured
 * by pattern, the `listed` cells outlined in black and labelled beside them (no label covers a
 * listed cell), over the context's areas.
 *
 * @example
 * toSvg(emergingHotspotsMapFigure(ctx, cells, { listed: [{ x, y, label: "High Street" }] }))
 */
export function emergingHotspotsMapFigure(ctx: MapContext, cells: readonly EmergingMapCell[], options: EmergingHotspotsMapFigureOptions = {}): VegaLiteSpec {
  const { title, cellSize = 400, listed = [] } = options;
  if (!(cellSize > 0)) throw new Error(`emergingHotspotsMapFigure: cellSize must be a positive number, got ${cellSize}`);
  const { frame } = ctx;
  const half = (cellSize / 2) * frame.scale;
  const c = contextLayers(ctx, {
    labels: listed.map((f, j) => ({ x: f.x, y: f.y, text: f.label, kind: "feature" as const, priority: -j, radius: half * Math.SQRT2 })),
    obstacles: listed.map((f) => {
      const [px, py] = frame.toPixel(f.x, f.y);
      return [px - half, py - half, px + half, py + half] as const;
    }),
  });
  const enc = { x: frame.x("x"), y: frame.y("y"), x2: { field: "x2" }, y2: { field: "y2" } };
  return {
    title,
    width: frame.width,
    height: frame.height,
    config: { legend: { orient: "bottom", direction: "horizontal", columns: 3 } },
    layer: [
      ...c.below,
      {
        data: { values: cells },
        // Hidden from assistive technology like the grid maps' cells (gridMapFigure says why): the
        // report lists the emerging hot spots in words above the map, and the GeoJSON holds each cell.
        mark: { type: "rect", stroke: "#fff", strokeWidth: 0.3, aria: false },
        encoding: { ...enc, color: { field: "pattern", type: "nominal", title: "Pattern", scale: { domain: [...EMERGING_MAP_PATTERNS], range: PATTERN_COLOURS } } },
      },
      {
        data: { values: listed.map((f) => ({ x: f.x - cellSize / 2, x2: f.x + cellSize / 2, y: f.y - cellSize / 2, y2: f.y + cellSize / 2 })) },
        mark: { type: "rect", filled: false, stroke: "#000", strokeWidth: 1.5, aria: false },
        encoding: enc,
      },
      ...c.above,
    ],
  };
}
