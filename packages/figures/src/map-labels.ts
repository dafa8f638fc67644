/**
 * Map labels that do not overlap: a text-width estimate and a greedy placement pass (the
 * simple "first fit by priority" rule of cartographic label placement: Christensen, Marks &
 * Shieber 1995 call it greedy; it is what QGIS's PAL engine falls back to). Everything is in
 * pixels of the plot area, origin top left, y down.
 */

import { textWidth } from "./text-width.js";

/** A box in pixels: left, top, right, bottom. */
export type Box = readonly [number, number, number, number];

/** A label to place: its anchor point in pixels, text and style, and how much it matters. */
export interface MapLabelRequest {
  /** The anchor, in pixels of the plot area. */
  readonly px: number;
  readonly py: number;
  readonly text: string;
  /** Font size in pixels. */
  readonly fontSize: number;
  readonly bold?: boolean;
  /** Higher first. Ties keep the input order. */
  readonly priority: number;
  /**
   * `"centre"`: on the anchor or nudged a little (an area's label); `"around"`: beside the anchor, at
   * `radius` + 2 px in eight directions, then further out with a leader line (a point's label).
   * Default `"centre"`.
   */
  readonly mode?: "centre" | "around";
  /** For `"around"`: the radius of the anchor's symbol in pixels. Default 0. */
  readonly radius?: number;
  /** For `"around"`: the furthest a label may sit from its anchor (with a leader line), in pixels. Default 60. */
  readonly reach?: number;
}

/** A placed label: where its text's centre is and the box it occupies. */
export interface PlacedMapLabel<T extends MapLabelRequest = MapLabelRequest> {
  readonly request: T;
  /** Centre of the text, in pixels. */
  readonly cx: number;
  readonly cy: number;
  readonly box: Box;
  /** Whether the label sits away from its anchor (draw a leader line from the anchor to it). */
  readonly leader: boolean;
}

/** Options of {@link placeMapLabels}. */
export interface PlaceMapLabelsOptions {
  /** The plot area, `[0, 0, width, height]`: every label must fit inside. */
  readonly frame: Box;
  /** Boxes no label may cover (other text, a legend). Default none. */
  readonly obstacles?: readonly Box[];
  /** Space kept between two labels, in pixels. Default 1. */
  readonly gap?: number;
}

/** The box of a text of `width` × `height` centred on (cx, cy). */
function boxAt(cx: number, cy: number, w: number, h: number): Box {
  return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
}

/** Whether two boxes overlap by more than nothing (touching edges do not count), after growing `a` by `gap`. */
export function boxesOverlap(a: Box, b: Box, gap = 0): boolean {
  return a[0] - gap < b[2] && b[0] < a[2] + gap && a[1] - gap < b[3] && b[1] < a[3] + gap;
}

/**
 * Places labels greedily, most important first: each takes the first of its candidate
 * positions that lies inside the frame and overlaps no label already placed and no obstacle;
 * a label with no such position is left out. Candidates: the anchor itself for `"centre"`,
 * then nudged a line up or down or a third of its width sideways;
 * for `"around"`, eight positions just beyond the symbol (right, left, above, below, then the
 * diagonals), then the same directions at growing distances up to `reach`, with a leader line.
 * The text box is estimated by {@link textWidth} and 1.25 × the font size (ascent plus descent).
 * O(n² · candidates); n is a few hundred at most on a report map.
 *
 * @returns the labels placed, in priority order (the rest were left out).
 */
export function placeMapLabels<T extends MapLabelRequest>(requests: readonly T[], options: PlaceMapLabelsOptions): PlacedMapLabel<T>[] {
  const { frame, obstacles = [], gap = 1 } = options;
  const order = requests.map((r, i) => ({ r, i })).sort((a, b) => b.r.priority - a.r.priority || a.i - b.i);
  const placed: PlacedMapLabel<T>[] = [];
  const taken: Box[] = [...obstacles];
  const inside = (b: Box) => b[0] >= frame[0] && b[1] >= frame[1] && b[2] <= frame[2] && b[3] <= frame[3];
  for (const { r } of order) {
    const w = textWidth(r.text, r.fontSize, r.bold) + 2;
    const h = r.fontSize * 1.25;
    for (const [cx, cy, leader] of candidates(r, w, h)) {
      const box = boxAt(cx, cy, w, h);
      if (!inside(box) || taken.some((t) => boxesOverlap(box, t, gap))) continue;
      placed.push({ request: r, cx, cy, box, leader });
      taken.push(box);
      break;
    }
  }
  return placed;
}

/** Candidate centres for a label of w × h: [cx, cy, leader]. */
function* candidates(r: MapLabelRequest, w: number, h: number): Generator<[number, number, boolean]> {
  if ((r.mode ?? "centre") === "centre") {
    // On the anchor, else nudged by a line up or down, or a third of its width sideways.
    for (const [dx, dy] of [[0, 0], [0, -h], [0, h], [-w / 3, 0], [w / 3, 0]]) yield [r.px + dx, r.py + dy, false];
    return;
  }
  const radius = r.radius ?? 0;
  const reach = r.reach ?? 60;
  // Unit directions: right, left, up, down, then the diagonals (screen y down).
  const dirs: [number, number][] = [[1, 0], [-1, 0], [0, -1], [0, 1], [1, -1], [-1, -1], [1, 1], [-1, 1]];
  for (let d = radius + 2, ring = 0; d <= radius + 2 + reach; d += ring === 0 ? 8 : 10, ring += 1) {
    for (const [ux, uy] of dirs) {
      // The box's nearest edge (a corner, on a diagonal) sits at distance d from the anchor.
      const k = ux !== 0 && uy !== 0 ? d / Math.SQRT2 : d;
      const cx = r.px + ux * (k + w / 2);
      const cy = r.py + uy * (k + h / 2);
      yield [cx, cy, ring > 0];
    }
  }
}
