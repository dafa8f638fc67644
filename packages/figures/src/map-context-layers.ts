import type { PolygonLayer } from "@community-safety/geo";
import { clipFeatures, featureLabelPoint, metreFeatures, ringLines, type Bounds, type MapFrame, type MetreFeature } from "./map-frame.js";
import { placeMapLabels, type Box, type MapLabelRequest } from "./map-labels.js";
import { textWidth } from "./text-width.js";

/** An area's name as a map labels it: the town it is in (null when not known) and its name without the town. */
export interface MapAreaName {
  readonly town: string | null;
  readonly short: string;
}

/** The areas layer of a map (wards, beats) in metres, with which belong to the assessed area. */
export interface MapAreas {
  readonly layer: PolygonLayer;
  /** The property naming each area. */
  readonly key: string;
  /** What the areas are ("ward", "beat"). */
  readonly label: string;
  /** 1 for an area of the assessed area (shaded, labelled, counted), per feature. */
  readonly keep: Uint8Array;
  /** How `keep` was decided, for a caption. */
  readonly rule: string;
  /** Each feature's label point (metres) and its clearance from the edge. */
  readonly labelPoints: readonly ({ x: number; y: number; clearance: number } | null)[];
  /** Each feature's name as labelled: its town and short name. */
  readonly names: readonly MapAreaName[];
}

/** What every map of an area shares: one frame, the areas, and the area's edge. */
export interface MapContext {
  readonly frame: MapFrame;
  readonly areas: MapAreas | null;
  /** The assessed area's edge: the boundary's polygons, or the outline of the areas kept. */
  readonly edge: { readonly feature: MetreFeature; readonly bounds: Bounds; readonly source: "boundary" | "areas" } | null;
  /** Bounds in metres of the polygons drawn (boundary, areas kept), for the figure's `data-map-extent`. */
  readonly drawn: Bounds | null;
}

/** A label on a map, in metres: feature labels (what the map is about) before towns before areas. */
export interface MapLabel {
  readonly x: number;
  readonly y: number;
  readonly text: string;
  /** `"feature"`: a hot spot's number or name, placed beside its symbol with a leader line when needed. */
  readonly kind: "feature" | "town" | "area";
  /** Within a kind, higher first. */
  readonly priority?: number;
  /** For features: the symbol's radius in pixels. */
  readonly radius?: number;
}

const LABEL_STYLE = {
  feature: { fontSize: 11, bold: true, color: "#111" },
  town: { fontSize: 11, bold: true, color: "#333" },
  area: { fontSize: 9, bold: false, color: "#555" },
} as const;

/** Options of {@link contextLayers}. */
export interface ContextLayersOptions {
  /** Labels of the map's own features (hot spots, streets). */
  labels?: readonly MapLabel[];
  /** Label the areas and towns. Default true. */
  areaLabels?: boolean;
  /** Boxes (pixels) labels must not cover, e.g. the map's circles. */
  obstacles?: readonly Box[];
  /** Fill the areas kept in light grey under everything (a base map). Default true. */
  base?: boolean;
  /** Stroke of the areas' outlines. Default grey. */
  areaStroke?: string;
  /** A frame showing part of the context's (an inset): polygons and lines are cut to it. Default the context's frame. */
  frame?: MapFrame;
}

/**
 * Vega-Lite layers that give a hot-spot map its context, in metres on the context's frame:
 * `below` (a light base of the areas kept) and `above` (the areas' outlines, the assessed area's
 * edge, leader lines and labels placed without overlaps: the map's own labels first, then
 * towns, then areas, largest first; a label that does not fit is left out). Also the labels
 * placed, so a caller can say which were left out.
 */
export function contextLayers(ctx: MapContext, options: ContextLayersOptions = {}): { below: object[]; above: object[]; placed: number; requested: number } {
  const { labels = [], areaLabels = true, obstacles = [], base = true, areaStroke = "#9e9e9e" } = options;
  const { areas } = ctx;
  const frame = options.frame ?? ctx.frame;
  // In an inset polygons are cut to the frame: fills as polygons, outlines as lines (so the cut adds no edge).
  const inset = options.frame !== undefined;
  const cut = (features: MetreFeature[]) => (inset ? clipFeatures(features, frame.bounds) : features);
  const whole = areas ? metreFeatures(areas.layer, (f) => areas.keep[f] === 1, (f) => ({ name: String(areas.layer.properties[f][areas.key] ?? ""), index: f }), 0.5 / frame.scale) : [];
  const kept = cut(whole);
  const outlines = inset ? cut(ringLines(whole)) : kept;
  const edge = ctx.edge ? cut(inset ? ringLines([ctx.edge.feature]) : [ctx.edge.feature]) : [];
  // An inset labels each area at the label point of the part it shows.
  const insetPoints = new Map<number, { x: number; y: number; clearance: number } | null>();
  if (inset) for (const f of kept) if (f.geometry.type === "MultiPolygon") insetPoints.set(f.properties.index as number, featureLabelPoint(f.geometry.coordinates.map((p) => p[0])));
  const requests: (MapLabelRequest & { kind: MapLabel["kind"] })[] = [];
  for (const l of labels) {
    const [px, py] = frame.toPixel(l.x, l.y);
    requests.push({ px, py, text: l.text, ...LABEL_STYLE.feature, priority: 3e6 + (l.priority ?? 0), mode: "around", radius: l.radius ?? 3, reach: 70, kind: "feature" });
  }
  if (areas && areaLabels) {
    // Towns: at the area-weighted mean of their kept areas' label points; areas by their short names, roomiest first.
    const towns = new Map<string, { x: number; y: number; w: number }>();
    areas.keep.forEach((k, f) => {
      const p = inset ? (insetPoints.get(f) ?? null) : areas.labelPoints[f];
      const town = areas.names[f]?.town;
      if (!k || !p) return;
      if (town) {
        const t = towns.get(town) ?? { x: 0, y: 0, w: 0 };
        const w = p.clearance * p.clearance;
        towns.set(town, { x: t.x + p.x * w, y: t.y + p.y * w, w: t.w + w });
      }
      const [px, py] = frame.toPixel(p.x, p.y);
      const text = areas.names[f].short;
      // Only a label that roughly fits its area (at most twice as wide as the area's widest inscribed circle).
      if (textWidth(text, LABEL_STYLE.area.fontSize) <= 4 * p.clearance * frame.scale) requests.push({ px, py, text, ...LABEL_STYLE.area, priority: 1e6 + p.clearance * frame.scale, mode: "centre", kind: "area" });
    });
    for (const [town, t] of towns) {
      const [px, py] = frame.toPixel(t.x / t.w, t.y / t.w);
      requests.push({ px, py, text: town, ...LABEL_STYLE.town, priority: 2e6 + t.w, mode: "centre", kind: "town" });
    }
  }
  const placed = placeMapLabels(requests, { frame: [0, 0, frame.width, frame.height], obstacles, gap: 1 });
  const text = (kind: MapLabel["kind"]) => {
    const values = placed.filter((p) => p.request.kind === kind).map((p) => {
      const [x, y] = frame.fromPixel(p.cx, p.cy);
      return { x, y, label: p.request.text };
    });
    const s = LABEL_STYLE[kind];
    return values.length
      ? [{
          data: { values },
          mark: { type: "text", align: "center", baseline: "middle", fontSize: s.fontSize, fontWeight: s.bold ? "bold" : "normal", color: s.color, stroke: "#fff", strokeWidth: 3, strokeOpacity: 0.85, aria: false },
          encoding: { x: frame.x("x"), y: frame.y("y"), text: { field: "label" } },
        }]
      : [];
  };
  // A leader runs from the symbol to the nearest point of its label's box.
  const leaders = placed.filter((p) => p.leader).map((p) => {
    const [x, y] = frame.fromPixel(p.request.px, p.request.py);
    const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
    const [x2, y2] = frame.fromPixel(clamp(p.request.px, p.box[0], p.box[2]), clamp(p.request.py, p.box[1], p.box[3]));
    return { x, y, x2, y2 };
  });
  const geo = (values: object[], mark: Record<string, unknown>) => (values.length ? [{ data: { values }, mark: { type: "geoshape", clip: false, aria: false, ...mark }, projection: frame.projection }] : []);
  const below = base ? geo(kept, { fill: "#f3f3f3", stroke: null }) : [];
  const above = [
    ...geo(outlines, { filled: false, stroke: areaStroke, strokeWidth: 0.6 }),
    ...geo(edge, { filled: false, stroke: "#222", strokeWidth: 1.6 }),
    ...(leaders.length ? [{ data: { values: leaders }, mark: { type: "rule", color: "#444", strokeWidth: 0.8, aria: false }, encoding: { x: frame.x("x"), y: frame.y("y"), x2: { field: "x2" }, y2: { field: "y2" } } }] : []),
    ...text("area"),
    ...text("town"),
    ...text("feature"),
  ];
  return { below, above, placed: placed.filter((p) => p.request.kind === "feature").length, requested: labels.length };
}
