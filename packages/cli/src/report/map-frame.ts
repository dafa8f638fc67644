import { escapeHtml } from "./html.js";
import type { PolygonLayer } from "@community-safety/geo";

/** A bounding box in projected metres: `[minX, minY, maxX, maxY]`. */
export type Bounds = readonly [number, number, number, number];

/** A GeoJSON feature in projected metres (the frame's CRS), ready to draw with {@link MapFrame.projection}. */
export interface MetreFeature {
  type: "Feature";
  properties: Record<string, unknown>;
  geometry: { type: "MultiPolygon"; coordinates: number[][][][] } | { type: "MultiLineString"; coordinates: number[][][] };
}

/**
 * A map drawn in projected metres (British National Grid for UK data, UTM elsewhere) at a
 * known scale: `px = (x − x0) · scale`, `py = (y1 − y) · scale` over a plot of
 * `width` × `height` pixels. Polygons are drawn as `geoshape` with {@link projection} (Vega's
 * planar identity projection, y reflected, scale and translate given so nothing is fitted);
 * points, cells, labels and leader lines as ordinary marks on {@link x} / {@link y}, whose
 * scales are pinned to the same transform. Knowing the transform before rendering is what lets
 * labels be placed without overlaps ({@link placeMapLabels}) and a test check every filled shape
 * against the polygons' bounds.
 */
export interface MapFrame {
  readonly crs: string;
  /** The metres shown: `[x0, y0, x1, y1]`. */
  readonly bounds: Bounds;
  /** Plot width and height in pixels. */
  readonly width: number;
  readonly height: number;
  /** Pixels per metre. */
  readonly scale: number;
  toPixel(x: number, y: number): [number, number];
  fromPixel(px: number, py: number): [number, number];
  /** The Vega-Lite `projection` for geoshape layers in metres. */
  readonly projection: Record<string, unknown>;
  /** A quantitative x encoding on `field` (metres), pinned to the frame, no axis. */
  x(field: string, extra?: Record<string, unknown>): Record<string, unknown>;
  /** A quantitative y encoding on `field` (metres), pinned to the frame, no axis. */
  y(field: string, extra?: Record<string, unknown>): Record<string, unknown>;
  /**
   * Attributes for the map's `<figure>`: `data-map-frame="crs x0 y1 scale"` (the transform)
   * and `data-map-extent="left top right bottom"`, the pixel bounds of the polygons drawn
   * (no filled shape may reach beyond them; checked in test/browser).
   */
  figureAttributes(drawn: Bounds | null): string;
}

/** Options of {@link mapFrame}. */
export interface MapFrameOptions {
  /** Plot width in pixels. Default 600. */
  width?: number;
  /** Tallest plot in pixels: a tall area is drawn narrower. Default 640. */
  maxHeight?: number;
  /** Space around `bounds`, as a share of the larger side. Default 0.02. */
  margin?: number;
}

/**
 * The frame that shows `bounds` (metres in `crs`) at `width` pixels wide (narrower when the
 * area is taller than `maxHeight` allows), with a small margin.
 *
 * @throws Error when `bounds` is empty or not finite.
 */
export function mapFrame(bounds: Bounds, crs: string, options: MapFrameOptions = {}): MapFrame {
  const { width: maxWidth = 600, maxHeight = 640, margin = 0.02 } = options;
  const [bx0, by0, bx1, by1] = bounds;
  if (!(bx1 > bx0 && by1 > by0)) throw new Error(`mapFrame: bounds must be a non-empty box, got [${bounds.join(", ")}]`);
  const pad = margin * Math.max(bx1 - bx0, by1 - by0);
  const x0 = bx0 - pad;
  const y0 = by0 - pad;
  const x1 = bx1 + pad;
  const y1 = by1 + pad;
  const scale = Math.min(maxWidth / (x1 - x0), maxHeight / (y1 - y0));
  const width = Math.round((x1 - x0) * scale);
  const height = Math.round((y1 - y0) * scale);
  const xs = { domain: [x0, x0 + width / scale], range: [0, width], nice: false, zero: false };
  const ys = { domain: [y1 - height / scale, y1], range: [height, 0], nice: false, zero: false };
  return {
    crs,
    bounds: [x0, y1 - height / scale, x0 + width / scale, y1],
    width,
    height,
    scale,
    toPixel: (x, y) => [(x - x0) * scale, (y1 - y) * scale],
    fromPixel: (px, py) => [x0 + px / scale, y1 - py / scale],
    projection: { type: "identity", reflectY: true, scale, translate: [-x0 * scale, y1 * scale] },
    x: (field, extra = {}) => ({ field, type: "quantitative", scale: xs, axis: null, ...extra }),
    y: (field, extra = {}) => ({ field, type: "quantitative", scale: ys, axis: null, ...extra }),
    figureAttributes(drawn) {
      const frame = ` data-map-frame="${escapeHtml(`${crs} ${x0} ${y1} ${scale}`)}"`;
      if (!drawn) return frame;
      const [l, t] = [(drawn[0] - x0) * scale, (y1 - drawn[3]) * scale];
      const [r, b] = [(drawn[2] - x0) * scale, (y1 - drawn[1]) * scale];
      return `${frame} data-map-extent="${[l, t, r, b].map((v) => v.toFixed(2)).join(" ")}"`;
    },
  };
}

/** The union of boxes (null ones skipped); null when there is none. */
export function unionBounds(...boxes: (Bounds | null | undefined)[]): Bounds | null {
  let out: [number, number, number, number] | null = null;
  for (const b of boxes) {
    if (!b) continue;
    if (!out) out = [b[0], b[1], b[2], b[3]];
    else out = [Math.min(out[0], b[0]), Math.min(out[1], b[1]), Math.max(out[2], b[2]), Math.max(out[3], b[3])];
  }
  return out;
}

/** The bounds in metres of the features `keep` selects (all by default); null when none is kept. */
export function layerBounds(layer: PolygonLayer, keep: (f: number) => boolean = () => true): Bounds | null {
  const { coords, ringOffsets, partOffsets, featureOffsets } = layer.rings;
  let b: [number, number, number, number] | null = null;
  for (let f = 0; f + 1 < featureOffsets.length; ++f) {
    if (!keep(f)) continue;
    const v0 = ringOffsets[partOffsets[featureOffsets[f]]];
    const v1 = ringOffsets[partOffsets[featureOffsets[f + 1]]];
    for (let v = v0; v < v1; ++v) {
      const x = coords[2 * v];
      const y = coords[2 * v + 1];
      if (!b) b = [x, y, x, y];
      else {
        if (x < b[0]) b[0] = x;
        if (y < b[1]) b[1] = y;
        if (x > b[2]) b[2] = x;
        if (y > b[3]) b[3] = y;
      }
    }
  }
  return b;
}

/**
 * The features `keep` selects as MultiPolygons in metres, each with `properties(f)`; rings are
 * thinned for drawing (a vertex closer than `tolerance` metres to the last one kept is dropped,
 * never a ring's first or last), so a map holds no detail finer than about a pixel.
 */
export function metreFeatures(layer: PolygonLayer, keep: (f: number) => boolean, properties: (f: number) => Record<string, unknown>, tolerance = 0): MetreFeature[] {
  const { coords, ringOffsets, partOffsets, featureOffsets } = layer.rings;
  const out: MetreFeature[] = [];
  for (let f = 0; f + 1 < featureOffsets.length; ++f) {
    if (!keep(f)) continue;
    const parts: number[][][][] = [];
    for (let p = featureOffsets[f]; p < featureOffsets[f + 1]; ++p) {
      const rings: number[][][] = [];
      for (let r = partOffsets[p]; r < partOffsets[p + 1]; ++r) rings.push(thin(coords, ringOffsets[r], ringOffsets[r + 1], tolerance));
      parts.push(rings);
    }
    out.push({ type: "Feature", properties: properties(f), geometry: { type: "MultiPolygon", coordinates: parts } });
  }
  return out;
}

/** Vertices v0..v1 of a flat coordinate array as positions, dropping those within `tol` of the last kept (the last vertex always kept). */
function thin(coords: Float64Array, v0: number, v1: number, tol: number): number[][] {
  const ring: number[][] = [];
  let lx = NaN;
  let ly = NaN;
  for (let v = v0; v < v1; ++v) {
    const x = coords[2 * v];
    const y = coords[2 * v + 1];
    if (v === v0 || v === v1 - 1 || Math.hypot(x - lx, y - ly) >= tol) {
      ring.push([x, y]);
      lx = x;
      ly = y;
    }
  }
  return ring;
}

/**
 * The outline of the union of the features `keep` selects, as a MultiLineString in metres: the
 * ring edges that only one kept feature uses (an edge two neighbours share is inside the
 * union), chained into lines. Exact for a tiling from one source, whose neighbours repeat the
 * same vertices along a shared edge (as ONS and police boundary files do); where they do not,
 * the shared edge shows as a line. Null when nothing is kept.
 */
export function outline(layer: PolygonLayer, keep: (f: number) => boolean): MetreFeature | null {
  const { coords, ringOffsets, partOffsets, featureOffsets } = layer.rings;
  const key = (v: number) => `${coords[2 * v]},${coords[2 * v + 1]}`;
  const uses = new Map<string, number>();
  const edges: [number, number][] = [];
  for (let f = 0; f + 1 < featureOffsets.length; ++f) {
    if (!keep(f)) continue;
    for (let r = partOffsets[featureOffsets[f]]; r < partOffsets[featureOffsets[f + 1]]; ++r) {
      const v0 = ringOffsets[r];
      const v1 = ringOffsets[r + 1];
      const closed = key(v0) === key(v1 - 1);
      const last = closed ? v1 - 1 : v1;
      for (let v = v0; v < last; ++v) {
        const w = v + 1 < last ? v + 1 : v0;
        const a = key(v);
        const b = key(w);
        if (a === b) continue;
        const k = a < b ? `${a};${b}` : `${b};${a}`;
        uses.set(k, (uses.get(k) ?? 0) + 1);
        edges.push([v, w]);
      }
    }
  }
  if (!edges.length) return null;
  // Outline edges, then chained end to start into lines.
  const pending: [string, string, number[], number[]][] = [];
  for (const [v, w] of edges) {
    const a = key(v);
    const b = key(w);
    if (uses.get(a < b ? `${a};${b}` : `${b};${a}`) !== 1) continue;
    pending.push([a, b, [coords[2 * v], coords[2 * v + 1]], [coords[2 * w], coords[2 * w + 1]]]);
  }
  const byStart = new Map<string, number[]>();
  pending.forEach(([a], i) => {
    const list = byStart.get(a);
    if (list) list.push(i);
    else byStart.set(a, [i]);
  });
  const used = new Uint8Array(pending.length);
  const lines: number[][][] = [];
  for (let i = 0; i < pending.length; ++i) {
    if (used[i]) continue;
    used[i] = 1;
    const line = [pending[i][2], pending[i][3]];
    let end = pending[i][1];
    for (;;) {
      const j = byStart.get(end)?.find((k) => !used[k]);
      if (j === undefined) break;
      used[j] = 1;
      line.push(pending[j][3]);
      end = pending[j][1];
    }
    lines.push(line);
  }
  return { type: "Feature", properties: {}, geometry: { type: "MultiLineString", coordinates: lines } };
}

/**
 * A good point for a polygon's label: inside its largest part, as far as a grid search finds
 * from the part's outer ring (a coarse "pole of inaccessibility", as Mapbox's polylabel
 * seeks exactly). Returns the point and its distance to the ring (metres).
 */
export function labelPoint(layer: PolygonLayer, f: number): { x: number; y: number; clearance: number } | null {
  const { coords, ringOffsets, partOffsets, featureOffsets } = layer.rings;
  let best: { v0: number; v1: number; area: number } | null = null;
  for (let p = featureOffsets[f]; p < featureOffsets[f + 1]; ++p) {
    const r = partOffsets[p];
    const v0 = ringOffsets[r];
    const v1 = ringOffsets[r + 1];
    let a = 0;
    for (let v = v0, u = v1 - 1; v < v1; u = v++) a += coords[2 * u] * coords[2 * v + 1] - coords[2 * v] * coords[2 * u + 1];
    if (!best || Math.abs(a) > best.area) best = { v0, v1, area: Math.abs(a) };
  }
  if (!best) return null;
  const { v0, v1 } = best;
  let [bx0, by0, bx1, by1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let v = v0; v < v1; ++v) {
    bx0 = Math.min(bx0, coords[2 * v]);
    bx1 = Math.max(bx1, coords[2 * v]);
    by0 = Math.min(by0, coords[2 * v + 1]);
    by1 = Math.max(by1, coords[2 * v + 1]);
  }
  const inside = (x: number, y: number) => {
    let c = false;
    for (let v = v0, u = v1 - 1; v < v1; u = v++) {
      const xi = coords[2 * v], yi = coords[2 * v + 1], xj = coords[2 * u], yj = coords[2 * u + 1];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
    }
    return c;
  };
  const clearance = (x: number, y: number) => {
    let d = Infinity;
    for (let v = v0, u = v1 - 1; v < v1; u = v++) d = Math.min(d, segmentDistance(x, y, coords[2 * u], coords[2 * u + 1], coords[2 * v], coords[2 * v + 1]));
    return d;
  };
  let out = { x: (bx0 + bx1) / 2, y: (by0 + by1) / 2, clearance: -Infinity };
  const search = (cx0: number, cy0: number, cx1: number, cy1: number, n: number) => {
    for (let i = 0; i < n; ++i) {
      for (let j = 0; j < n; ++j) {
        const x = cx0 + ((i + 0.5) * (cx1 - cx0)) / n;
        const y = cy0 + ((j + 0.5) * (cy1 - cy0)) / n;
        if (!inside(x, y)) continue;
        const d = clearance(x, y);
        if (d > out.clearance) out = { x, y, clearance: d };
      }
    }
  };
  search(bx0, by0, bx1, by1, 16);
  if (out.clearance === -Infinity) return { x: coords[2 * v0], y: coords[2 * v0 + 1], clearance: 0 };
  const sx = (bx1 - bx0) / 16;
  const sy = (by1 - by0) / 16;
  search(out.x - sx, out.y - sy, out.x + sx, out.y + sy, 8);
  return out;
}

function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const l2 = dx * dx + dy * dy;
  const t = l2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / l2)) : 0;
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}
