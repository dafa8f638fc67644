/** A point to label, in pixels of the plot area (x to the right, y down). */
export interface LabelPoint {
  x: number;
  y: number;
  text: string;
  /** Lower goes first (placed while there is most room). Default 0; ties keep input order. */
  priority?: number;
  /**
   * The label may cover other points (never another label, nor its own point): for the one name
   * a chart must show, such as the assessed area's among hundreds of dots. Default false.
   */
  overPoints?: boolean;
}

/** Where a label sits relative to its point: the Vega text mark's align, baseline and offset. */
export interface LabelSlot {
  align: "left" | "right" | "center";
  baseline: "middle" | "bottom" | "top";
  dx: number;
  dy: number;
}

/** A placed label: its point, slot and box (pixels). */
export interface PlacedLabel extends LabelSlot {
  /** Position of the point in the input. */
  index: number;
  text: string;
  box: { x0: number; y0: number; x1: number; y1: number };
}

/** Options for {@link placeLabels}. */
export interface PlaceLabelsOptions {
  /** Plot width and height in pixels: labels stay inside. Required. */
  width: number;
  height: number;
  /** Font size in pixels. Default 10. */
  fontSize?: number;
  /** Estimated advance per character as a share of the font size (generous for sans-serif). Default 0.62. */
  charWidth?: number;
  /** Gap between a point and its label in pixels. Default 6. */
  offset?: number;
  /** Radius of the drawn points in pixels, which labels must not cover. Default 5. */
  pointRadius?: number;
}

/**
 * Labels for points on a chart that overlap neither each other nor any point: a greedy pass in
 * priority order tries eight slots around each point (right, left, above-right, below-right,
 * above, below, above-left, below-left) and takes the first whose box stays inside the plot
 * and clear of every placed label and every point. A label with no free slot is left off (the
 * caller says so, and the data are in the table). Text width is estimated from the character
 * count (`charWidth` × font size per character), so the boxes are deliberately generous.
 *
 * @example
 * const labels = placeLabels([{ x: 50, y: 50, text: "Melton" }, { x: 60, y: 50, text: "Rutland" }], { width: 300, height: 100 });
 * labels.map((l) => [l.text, l.align, l.baseline]);
 * // => [["Melton", "right", "middle"], ["Rutland", "left", "middle"]] (Melton's right is Rutland's point)
 */
export function placeLabels(points: readonly LabelPoint[], options: PlaceLabelsOptions): PlacedLabel[] {
  const { width, height } = options;
  const fontSize = options.fontSize ?? 10;
  const charWidth = options.charWidth ?? 0.62;
  const offset = options.offset ?? 6;
  const r = options.pointRadius ?? 5;
  const textHeight = fontSize * 1.2;
  const pointBoxes = points.map((p) => ({ x0: p.x - r, y0: p.y - r, x1: p.x + r, y1: p.y + r }));
  const order = points.map((p, i) => i).sort((a, b) => (points[a].priority ?? 0) - (points[b].priority ?? 0) || a - b);
  const placed: PlacedLabel[] = [];
  for (const i of order) {
    const p = points[i];
    const w = p.text.length * charWidth * fontSize;
    const diag = offset * 0.7;
    const slots: LabelSlot[] = [
      { align: "left", baseline: "middle", dx: offset, dy: 0 },
      { align: "right", baseline: "middle", dx: -offset, dy: 0 },
      { align: "left", baseline: "bottom", dx: diag, dy: -diag },
      { align: "left", baseline: "top", dx: diag, dy: diag },
      { align: "center", baseline: "bottom", dx: 0, dy: -offset },
      { align: "center", baseline: "top", dx: 0, dy: offset },
      { align: "right", baseline: "bottom", dx: -diag, dy: -diag },
      { align: "right", baseline: "top", dx: -diag, dy: diag },
    ];
    for (const s of slots) {
      const ax = p.x + s.dx;
      const ay = p.y + s.dy;
      const x0 = s.align === "left" ? ax : s.align === "right" ? ax - w : ax - w / 2;
      const y0 = s.baseline === "top" ? ay : s.baseline === "bottom" ? ay - textHeight : ay - textHeight / 2;
      const box = { x0, y0, x1: x0 + w, y1: y0 + textHeight };
      if (box.x0 < 0 || box.y0 < 0 || box.x1 > width || box.y1 > height) continue;
      if (placed.some((l) => overlaps(l.box, box)) || (p.overPoints ? overlaps(pointBoxes[i], box) : pointBoxes.some((b) => overlaps(b, box)))) continue;
      placed.push({ index: i, text: p.text, ...s, box });
      break;
    }
  }
  return placed.sort((a, b) => a.index - b.index);
}

/** Whether two boxes share any area. */
export function overlaps(a: PlacedLabel["box"], b: PlacedLabel["box"]): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}
