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
      const frame = ` data-map-frame="${escapeAttribute(`${crs} ${x0} ${y1} ${scale}`)}"`;
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
  const rings: number[][][] = [];
  for (let p = featureOffsets[f]; p < featureOffsets[f + 1]; ++p) {
    const r = partOffsets[p];
    const ring: number[][] = [];
    for (let v = ringOffsets[r]; v < ringOffsets[r + 1]; ++v) ring.push([coords[2 * v], coords[2 * v + 1]]);
    rings.push(ring);
  }
  return featureLabelPoint(rings);
}

/** {@link labelPoint} for outer rings given as positions: inside the largest of them. */
export function featureLabelPoint(outerRings: readonly (readonly number[][])[]): { x: number; y: number; clearance: number } | null {
  let best: readonly number[][] | null = null;
  let bestArea = -1;
  for (const ring of outerRings) {
    let a = 0;
    for (let v = 0, u = ring.length - 1; v < ring.length; u = v++) a += ring[u][0] * ring[v][1] - ring[v][0] * ring[u][1];
    if (Math.abs(a) > bestArea) [best, bestArea] = [ring, Math.abs(a)];
  }
  if (!best || !best.length) return null;
  const ring = best;
  const n = ring.length;
  let [bx0, by0, bx1, by1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of ring) {
    bx0 = Math.min(bx0, x);
    bx1 = Math.max(bx1, x);
    by0 = Math.min(by0, y);
    by1 = Math.max(by1, y);
  }
  const inside = (x: number, y: number) => {
    let c = false;
    for (let v = 0, u = n - 1; v < n; u = v++) {
      const [xi, yi] = ring[v];
      const [xj, yj] = ring[u];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
    }
    return c;
  };
  const clearance = (x: number, y: number) => {
    let d = Infinity;
    for (let v = 0, u = n - 1; v < n; u = v++) d = Math.min(d, segmentDistance(x, y, ring[u][0], ring[u][1], ring[v][0], ring[v][1]));
    return d;
  };
  let out = { x: (bx0 + bx1) / 2, y: (by0 + by1) / 2, clearance: -Infinity };
  const search = (cx0: number, cy0: number, cx1: number, cy1: number, k: number) => {
    for (let i = 0; i < k; ++i) {
      for (let j = 0; j < k; ++j) {
        const x = cx0 + ((i + 0.5) * (cx1 - cx0)) / k;
        const y = cy0 + ((j + 0.5) * (cy1 - cy0)) / k;
        if (!inside(x, y)) continue;
        const d = clearance(x, y);
        if (d > out.clearance) out = { x, y, clearance: d };
      }
    }
  };
  search(bx0, by0, bx1, by1, 16);
  if (out.clearance === -Infinity) return { x: ring[0][0], y: ring[0][1], clearance: 0 };
  const sx = (bx1 - bx0) / 16;
  const sy = (by1 - by0) / 16;
  search(out.x - sx, out.y - sy, out.x + sx, out.y + sy, 8);
  return out;
}

/** Polygon features' rings as lines (for drawing outlines that a cut must not close along the cut). */
export function ringLines(features: readonly MetreFeature[]): MetreFeature[] {
  return features.map((f) => (f.geometry.type === "MultiPolygon" ? { ...f, geometry: { type: "MultiLineString", coordinates: f.geometry.coordinates.flat() } } : f));
}

function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const l2 = dx * dx + dy * dy;
  const t = l2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / l2)) : 0;
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/**
 * Features cut to a box (metres), for a map that shows part of them (an inset): polygon rings
 * by Sutherland–Hodgman against the box's four sides (a ring that leaves and re-enters keeps a
 * stretch along the box's edge, which a fill hides), lines segment by segment (Liang–Barsky).
 * Parts left with nothing are dropped, and so are features.
 */
export function clipFeatures(features: readonly MetreFeature[], box: Bounds): MetreFeature[] {
  const out: MetreFeature[] = [];
  for (const f of features) {
    if (f.geometry.type === "MultiPolygon") {
      const parts: number[][][][] = [];
      for (const part of f.geometry.coordinates) {
        const rings = part.map((r) => clipRing(r, box)).filter((r) => r.length >= 4);
        if (rings.length && clipRing(part[0], box).length >= 4) parts.push(rings);
      }
      if (parts.length) out.push({ ...f, geometry: { type: "MultiPolygon", coordinates: parts } });
    } else {
      const lines: number[][][] = [];
      for (const line of f.geometry.coordinates) {
        let current: number[][] | null = null;
        for (let i = 1; i < line.length; ++i) {
          const seg = clipSegment(line[i - 1], line[i], box);
          if (!seg) {
            current = null;
            continue;
          }
          const last = current?.[current.length - 1];
          if (current && last && last[0] === seg[0][0] && last[1] === seg[0][1]) current.push(seg[1]);
          else {
            current = [seg[0], seg[1]];
            lines.push(current);
          }
        }
      }
      if (lines.length) out.push({ ...f, geometry: { type: "MultiLineString", coordinates: lines } });
    }
  }
  return out;
}

/** A closed ring cut to a box (Sutherland–Hodgman); closed again, or empty. */
function clipRing(ring: readonly number[][], box: Bounds): number[][] {
  let pts = ring.slice(0, ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1] ? -1 : undefined);
  const sides: [number, number, boolean][] = [[0, box[0], true], [0, box[2], false], [1, box[1], true], [1, box[3], false]];
  for (const [axis, v, low] of sides) {
    const inside = (p: number[]) => (low ? p[axis] >= v : p[axis] <= v);
    const next: number[][] = [];
    for (let i = 0; i < pts.length; ++i) {
      const a = pts[i];
      const b = pts[(i + 1) % pts.length];
      const ia = inside(a);
      const ib = inside(b);
      if (ia) next.push(a);
      if (ia !== ib) {
        const t = (v - a[axis]) / (b[axis] - a[axis]);
        next.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
      }
    }
    pts = next;
    if (!pts.length) return [];
  }
  return pts.length >= 3 ? [...pts, pts[0]] : [];
}

/** A segment cut to a box (Liang–Barsky), or null when it misses it. */
function clipSegment(a: readonly number[], b: readonly number[], box: Bounds): [number[], number[]] | null {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  let t0 = 0;
  let t1 = 1;
  for (const [p, q] of [[-dx, a[0] - box[0]], [dx, box[2] - a[0]], [-dy, a[1] - box[1]], [dy, box[3] - a[1]]]) {
    if (p === 0) {
      if (q < 0) return null;
      continue;
    }
    const r = q / p;
    if (p < 0) t0 = Math.max(t0, r);
    else t1 = Math.min(t1, r);
    if (t0 > t1) return null;
  }
  return [[a[0] + t0 * dx, a[1] + t0 * dy], [a[0] + t1 * dx, a[1] + t1 * dy]];
}

/** The overlap of two boxes, or null. */
export function intersectBounds(a: Bounds | null, b: Bounds | null): Bounds | null {
  if (!a || !b) return null;
  const r: Bounds = [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])];
  return r[2] > r[0] && r[3] > r[1] ? r : null;
}

/** Text escaped for an HTML attribute value. */
function escapeAttribute(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
