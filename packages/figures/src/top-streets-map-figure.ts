import type { MapFrame } from "./map-frame.js";
import { contextLayers, type MapContext } from "./map-context-layers.js";
import type { VegaLiteSpec } from "./to-svg.js";

/** A street or place as the map draws it: its point in metres, count, rank and name. */
export interface TopStreet {
  readonly x: number;
  readonly y: number;
  readonly count: number;
  readonly rank: number;
  readonly name: string | null;
}

/** Options of {@link topStreetsMapFigure}. */
export interface TopStreetsMapFigureOptions {
  /** The figure's title. Default none. */
  title?: string;
  /** Cells drawn in grey under the circles (`{x, x2, y, y2}` in metres), e.g. the grid cells with an incident. Default none (no layer). */
  cells?: readonly object[];
  /** The count the largest circle stands for. Default the largest count of `streets`. */
  maxCount?: number;
  /** A frame showing part of the context's (an inset). Default the context's frame. */
  frame?: MapFrame;
  /** Label each circle with its rank and name ("3 High Street") rather than its rank alone. Default false. */
  names?: boolean;
}

/**
 * The radius in pixels of a street's circle on {@link topStreetsMapFigure}: circle areas run
 * from 30 to 600 px² on a scale from 0 to `maxCount`.
 */
export function streetCircleRadius(count: number, maxCount: number): number {
  return Math.sqrt((30 + (570 * count) / maxCount) / Math.PI);
}

/**
 * The top streets and places as circles (area ∝ count, from 0) at their points, numbered (or
 * named) beside them without overlaps, over the context's areas, as a Vega-Lite spec. Streets
 * are drawn as given, in priority order for their labels (the first labelled first).
 *
 * @example
 * toSvg(topStreetsMapFigure(ctx, streets.slice(0, 20), { title: "Violence: the top 20 streets" }))
 */
export function topStreetsMapFigure(ctx: MapContext, streets: readonly TopStreet[], options: TopStreetsMapFigureOptions = {}): VegaLiteSpec {
  const { title, cells, maxCount = Math.max(...streets.map((r) => r.count)), names = false } = options;
  const frame = options.frame ?? ctx.frame;
  const radius = (n: number) => streetCircleRadius(n, maxCount);
  const c = contextLayers(ctx, {
    ...(options.frame ? { frame } : {}),
    labels: streets.map((r, j) => ({ x: r.x, y: r.y, text: names ? `${r.rank} ${r.name ?? "(unnamed)"}` : String(r.rank), kind: "feature" as const, priority: -j, radius: radius(r.count) })),
    obstacles: streets.map((r) => {
      const [px, py] = frame.toPixel(r.x, r.y);
      const rad = radius(r.count);
      return [px - rad, py - rad, px + rad, py + rad] as const;
    }),
  });
  const isShape = (l: object) => (l as { mark: { type: string } }).mark.type === "geoshape";
  return {
    title,
    width: frame.width,
    height: frame.height,
    config: { legend: { orient: "bottom", direction: "horizontal" } },
    layer: [
      ...c.below,
      ...(cells ? [{ data: { values: cells }, mark: { type: "rect", color: "#dedede", aria: false }, encoding: { x: frame.x("x"), y: frame.y("y"), x2: { field: "x2" }, y2: { field: "y2" } } }] : []),
      ...c.above.filter(isShape),
      {
        data: { values: streets.map((r) => ({ x: r.x, y: r.y, count: r.count, name: `${r.rank}. ${r.name ?? "(unnamed)"}` })) },
        mark: { type: "circle", color: "#b3261e", opacity: 0.75, stroke: "#fff", strokeWidth: 0.5 },
        encoding: { x: frame.x("x"), y: frame.y("y"), size: { field: "count", type: "quantitative", title: "incidents", scale: { domain: [0, maxCount], range: [30, 600], zero: true } } },
      },
      ...c.above.filter((l) => !isShape(l)),
    ],
  };
}
