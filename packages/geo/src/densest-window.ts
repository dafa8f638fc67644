import KDBush from "kdbush";
import { type IncidentTable, InputError, categoryLabel, describeValue, invalidOption, projector, valueMask } from "@community-safety/core";

/** Points for {@link densestWindow} without an incident table. */
export interface WindowPoints {
  /** Projected x in metres (`NaN` = no location, skipped). */
  readonly x: ArrayLike<number>;
  /** Projected y in metres, same length as `x`. */
  readonly y: ArrayLike<number>;
  /** Optional place text per point, used to name the window (the most common value inside). */
  readonly location?: ArrayLike<string | null>;
  /** Projected CRS of `x`/`y` (e.g. `"EPSG:27700"`); without it `lon`/`lat` and `geojson` are `null`. */
  readonly crs?: string;
}

/** Options for {@link densestWindow}. */
export interface DensestWindowOptions {
  /** `"square"` (axis-aligned, half-open `[x, x + side) × [y, y + side)`) or `"circle"` (closed disc). Required. */
  shape: "square" | "circle";
  /** Side of the square in metres (required with `shape: "square"`, not allowed with a circle). */
  side?: number;
  /** Radius of the circle in metres (required with `shape: "circle"`, not allowed with a square). */
  radius?: number;
  /**
   * Category keys to count (incident tables only), e.g. `["violent-crime"]`. Default: every
   * incident. A key absent from the table matches nothing (as in core's `levels`).
   */
  categories?: readonly string[];
}

/** A GeoJSON Feature of a {@link DensestWindowResult} (lon/lat WGS84). */
export interface DensestWindowFeature {
  type: "Feature";
  properties: Record<string, string | number | null>;
  geometry: { type: "Polygon"; coordinates: number[][][] } | { type: "Point"; coordinates: number[] };
}

/** What {@link densestWindow} returns. */
export interface DensestWindowResult {
  readonly shape: "square" | "circle";
  /** Square side in metres (`null` for a circle). */
  readonly side: number | null;
  /** Circle radius in metres (`null` for a square). */
  readonly radius: number | null;
  /** Centre of the window in the data's projected metres (`null` when there are no located incidents). */
  readonly x: number | null;
  readonly y: number | null;
  /** Centre in WGS84 degrees (`null` without a CRS or without located incidents). */
  readonly lon: number | null;
  readonly lat: number | null;
  /**
   * Bounding box `[minX, minY, maxX, maxY]` in metres: for a square its half-open extent
   * `[minX, maxX) × [minY, maxY)`, for a circle the disc's box.
   */
  readonly bounds: readonly [number, number, number, number] | null;
  /** Incidents inside the window. */
  readonly count: number;
  /** Located incidents considered (after the category filter). */
  readonly total: number;
  /** Incidents considered but without a location (not placed). */
  readonly unlocated: number;
  /** `count / total`; `null` when `total` is 0. */
  readonly share: number | null;
  /** The most common `location` value among the incidents inside (ties: the first in row order), or `null`. */
  readonly place: string | null;
  /** Row indices (into the input) of the incidents inside, ascending. */
  readonly indices: Uint32Array;
  /** E.g. "18% of violent crime (1,014 of 5,734 located incidents) fell within a 1 km square around Swan Street." (the square is named by `place`, or by the grid reference of its centre when no location text is inside) */
  readonly sentence: string;
  /** The search method and its exactness. */
  readonly method: string;
  /** Why the centre is `null` (no located incidents), otherwise `null`. */
  readonly reason: string | null;
  /** The window (polygon) and its centre (point) as a FeatureCollection in lon/lat; `null` without a CRS or incidents. */
  readonly geojson: { type: "FeatureCollection"; features: DensestWindowFeature[] } | null;
}

/** Relative rounding tolerance of the closed disc: a point at distance ≤ r·(1 + 1e-9) counts as inside. */
export const CIRCLE_TOLERANCE = 1e-9;

const FN = "densestWindow";
const CIRCLE_VERTICES = 64;

/**
 * Finds the window of a given shape and size that holds the most incidents: the densest
 * axis-aligned square of side `side` or disc of radius `radius`, anywhere (not snapped to a
 * grid), with its centre, count, share of all located incidents, the most common place inside
 * and a sentence for a board paper.
 *
 * **Squares** are half-open `[x, x + side) × [y, y + side)`, like grid cells. The search is
 * exact: some optimal square has a point on its left edge and one on its bottom edge, so a
 * sweep over left edges at point x's with a max segment tree over bottom edges at point y's
 * (range add, global max) finds it in O(n log n) (the classic rectangle-stabbing sweep,
 * e.g. Imai & Asano 1983). The reported square is then centred on the bounding box of the
 * points it holds, which keeps every one of them and so is also optimal.
 *
 * **Circles** are closed discs (with a relative rounding tolerance {@link CIRCLE_TOLERANCE}).
 * The search is exact: some optimal disc has a point on its boundary, so for every distinct
 * location p the discs through p are swept by angle, each neighbour q within 2r being inside
 * for the arc of centre angles atan2(q − p) ± acos(|pq| / 2r) (the angular sweep of the
 * circle placement problem; Chazelle & Lee 1986 give an O(n²) refinement). Neighbours come from a kdbush index and duplicate locations are merged with
 * weights. A branch and bound prunes the sweeps: on a grid of candidate centre cells (side
 * r/4) the weight within r of a cell bounds every disc centred there; cells are visited best
 * bound first, sweeping each location within r of the cell once, until no cell can beat the
 * best disc. Peaked data (a town centre) needs few sweeps; the worst case (a large area of
 * even density) is O(m k log k) for m distinct locations with up to k within 2r, i.e.
 * O(n² log n). The reported centre lies in the middle of the best arc, so rounding does not
 * put boundary points out.
 *
 * Ties between equally dense windows go to the first found (squares: smallest left edge, then
 * bottom edge; circles: the first location visited). With no located incidents the centre is
 * `null` with a `reason` and the count 0.
 *
 * @param data An incident table (its `x`, `y`, `location`, `category`, `crs`) or {@link WindowPoints}.
 * @throws InputError `invalid-option` for a bad `shape`, a missing, non-positive or misplaced
 *   `side`/`radius`, or `categories` with plain points; `unknown-category` for an empty
 *   `categories` list; `length-mismatch` when point arrays differ in length.
 * @example
 * const { table } = syntheticBorough({ seed: 1 });
 * densestWindow(table, { shape: "square", side: 1000, categories: ["violent-crime"] }).sentence;
 * // => "22% of violent crime (3,223 of 14,887 located incidents) fell within a 1 km square around Hazel Drive."
 * densestWindow({ x: [0, 1, 5], y: [0, 1, 5] }, { shape: "circle", radius: 1 }).count; // => 2
 */
export function densestWindow(data: IncidentTable | WindowPoints, options: DensestWindowOptions): DensestWindowResult {
  const { shape, side, radius, categories } = options ?? ({} as DensestWindowOptions);
  if (shape !== "square" && shape !== "circle") invalidOption(FN, "shape", '"square" or "circle"', shape);
  let size: number;
  if (shape === "square") {
    if (radius !== undefined) invalidOption(FN, "radius", "omitted for a square (give side)", radius);
    if (typeof side !== "number" || !(side > 0) || !Number.isFinite(side)) invalidOption(FN, "side", "a positive number of metres", side);
    size = side;
  } else {
    if (side !== undefined) invalidOption(FN, "side", "omitted for a circle (give radius)", side);
    if (typeof radius !== "number" || !(radius > 0) || !Number.isFinite(radius)) invalidOption(FN, "radius", "a positive number of metres", radius);
    size = radius;
  }
  const { rows, xs, ys, unlocated, location, crs } = extractPoints(data, categories);
  const n = rows.length;

  let count = 0;
  let cx = NaN;
  let cy = NaN;
  let inside: Uint32Array = new Uint32Array(0);
  let bounds: readonly [number, number, number, number] | null = null;
  if (n > 0) {
    if (shape === "square") {
      const best = densestSquareKernel(xs, ys, size);
      const refined = centredSquare(xs, ys, size, best.x0, best.y0, best.count);
      cx = refined.x0 + size / 2;
      cy = refined.y0 + size / 2;
      inside = refined.members;
      bounds = [refined.x0, refined.y0, refined.x0 + size, refined.y0 + size];
    } else {
      const best = densestCircleKernel(xs, ys, size);
      cx = best.x;
      cy = best.y;
      inside = circleMembers(xs, ys, cx, cy, size);
      bounds = [cx - size, cy - size, cx + size, cy + size];
    }
    count = inside.length;
  }
  const indices = new Uint32Array(count);
  for (let k = 0; k < count; ++k) indices[k] = rows[inside[k]];
  indices.sort();

  const place = location ? mostCommon(location, indices) : null;
  const share = n > 0 ? count / n : null;
  let lon: number | null = null;
  let lat: number | null = null;
  let inverse: ((x: number, y: number) => [number, number]) | null = null;
  if (crs !== undefined && n > 0) {
    inverse = projector(crs).inverse;
    [lon, lat] = inverse(cx, cy);
  }
  const what = subjectOf(categories);
  const sizeText = metres(size);
  let sentence: string;
  if (n === 0) sentence = `No located ${what === "incidents" ? "incidents" : what} to search.`;
  else {
    const where = place !== null ? place : coordinatesText(cx, cy, crs);
    const window = shape === "square" ? `within a ${sizeText} square around ${where}` : `within ${sizeText} of a point near ${where}`;
    sentence = `${percent(share!)} of ${what} (${count.toLocaleString("en-GB")} of ${n.toLocaleString("en-GB")} located incidents) fell ${window}.`;
  }
  const method =
    shape === "square"
      ? "exact densest axis-aligned half-open square: sweep over left edges at point x's with a max segment tree over bottom edges at point y's, O(n log n); centred on its points' bounding box"
      : "exact densest closed disc (relative tolerance 1e-9): angular sweep of the discs through each distinct location over its neighbours within 2r (kdbush), pruned by a branch and bound on a grid of centre cells; worst case O(n² log n)";

  let geojson: DensestWindowResult["geojson"] = null;
  if (inverse && n > 0) {
    const ring: number[][] = [];
    if (shape === "square") {
      const [x0, y0, x1, y1] = bounds!;
      for (const [px, py] of [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]) ring.push(inverse(px, py));
    } else {
      for (let k = 0; k <= CIRCLE_VERTICES; ++k) {
        const a = ((k % CIRCLE_VERTICES) / CIRCLE_VERTICES) * 2 * Math.PI;
        ring.push(inverse(cx + size * Math.cos(a), cy + size * Math.sin(a)));
      }
    }
    const properties = { shape, side: side ?? null, radius: radius ?? null, count, total: n, share, place, sentence };
    geojson = {
      type: "FeatureCollection",
      features: [
        { type: "Feature", properties: { ...properties, role: "window" }, geometry: { type: "Polygon", coordinates: [ring] } },
        { type: "Feature", properties: { ...properties, role: "centre" }, geometry: { type: "Point", coordinates: [lon!, lat!] } },
      ],
    };
  }

  return {
    shape,
    side: shape === "square" ? size : null,
    radius: shape === "circle" ? size : null,
    x: n > 0 ? cx : null,
    y: n > 0 ? cy : null,
    lon,
    lat,
    bounds,
    count,
    total: n,
    unlocated,
    share,
    place,
    indices,
    sentence,
    method,
    reason: n > 0 ? null : "no located incidents",
    geojson,
  };
}

// ---------------------------------------------------------------------------------------
// Kernels on typed arrays (no NaN coordinates).

/**
 * The densest half-open square `[x0, x0 + side) × [y0, y0 + side)` over the points, with
 * `x0` one of the x's and `y0` one of the y's (some optimal square has both).
 * @internal
 */
export function densestSquareKernel(xs: Float64Array, ys: Float64Array, side: number): { x0: number; y0: number; count: number } {
  const n = xs.length;
  if (n === 0) return { x0: NaN, y0: NaN, count: 0 };
  // Distinct sorted y's: the candidate bottom edges.
  const ySorted = Float64Array.from(ys).sort();
  let m = 0;
  for (let k = 0; k < n; ++k) if (k === 0 || ySorted[k] !== ySorted[m - 1]) ySorted[m++] = ySorted[k];
  const Y = ySorted.subarray(0, m);
  // For each point, the candidate bottom edges y0 = Y[c] with Y[c] ≤ y < Y[c] + side: c in [lo, hi].
  const cLo = new Int32Array(n);
  const cHi = new Int32Array(n);
  for (let i = 0; i < n; ++i) {
    const y = ys[i];
    cHi[i] = lastAtMost(Y, y);
    let a = 0;
    let b = cHi[i]; // Y[cHi] + side > y always holds
    while (a < b) {
      const mid = (a + b) >> 1;
      if (y < Y[mid] + side) b = mid;
      else a = mid + 1;
    }
    cLo[i] = a;
  }
  const order = sortedIndex(xs);
  const tree = new MaxSegmentTree(m);
  let best = -1;
  let bestX0 = NaN;
  let bestY0 = NaN;
  let hi = 0;
  let lo = 0;
  for (let k = 0; k < n; ++k) {
    const x0 = xs[order[k]];
    if (k > 0 && x0 === xs[order[k - 1]]) continue;
    while (hi < n && xs[order[hi]] < x0 + side) {
      const i = order[hi++];
      tree.add(cLo[i], cHi[i], 1);
    }
    while (lo < k) {
      const i = order[lo++];
      tree.add(cLo[i], cHi[i], -1);
    }
    const c = tree.max();
    if (c > best) {
      best = c;
      bestX0 = x0;
      bestY0 = Y[tree.argmax()];
    }
  }
  return { x0: bestX0, y0: bestY0, count: best };
}

/**
 * The centre of the densest closed disc of radius `r` (exact up to {@link CIRCLE_TOLERANCE}),
 * and the weight the sweep found inside.
 *
 * Branch and bound over a grid of centre cells (side r/4): the weight within r of a cell
 * bounds every disc centred in it. Cells are visited in decreasing order of that bound; for
 * each, every location within r of the cell gets the angular sweep of the discs through it
 * (once), until no cell's bound beats the best disc. This is exact: the best disc, centred in
 * some cell C, can be slid until a location p it holds is on its boundary, and p is within r
 * of C, so p's sweep finds a disc at least as full.
 * @internal
 */
export function densestCircleKernel(xs: Float64Array, ys: Float64Array, r: number): { x: number; y: number; count: number } {
  const n = xs.length;
  if (n === 0) return { x: NaN, y: NaN, count: 0 };
  // Merge duplicate locations (police.uk snap points repeat a lot) into weighted points.
  const order = sortedIndex(xs, ys);
  const px: number[] = [];
  const py: number[] = [];
  const pw: number[] = [];
  for (let k = 0; k < n; ++k) {
    const i = order[k];
    const m = px.length;
    if (m > 0 && px[m - 1] === xs[i] && py[m - 1] === ys[i]) pw[m - 1] += 1;
    else {
      px.push(xs[i]);
      py.push(ys[i]);
      pw.push(1);
    }
  }
  const m = px.length;
  const index = new KDBush(m);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let k = 0; k < m; ++k) {
    index.add(px[k], py[k]);
    minX = Math.min(minX, px[k]);
    maxX = Math.max(maxX, px[k]);
    minY = Math.min(minY, py[k]);
    maxY = Math.max(maxY, py[k]);
  }
  index.finish();
  const rr = r * (1 + CIRCLE_TOLERANCE);

  // Grid of candidate centre cells over the points' box grown by r (at most ~4M cells).
  const width = maxX - minX + 2 * rr;
  const height = maxY - minY + 2 * rr;
  let g = r / 4;
  if ((width / g) * (height / g) > 4e6) g = Math.sqrt((width * height) / 4e6);
  const X0 = minX - rr;
  const Y0 = minY - rr;
  const nx = Math.max(1, Math.ceil(width / g) + 1);
  const ny = Math.max(1, Math.ceil(height / g) + 1);
  // Row prefix sums of the weights binned into the same grid.
  const prefix = new Float64Array(ny * (nx + 1));
  for (let k = 0; k < m; ++k) {
    const i = Math.min(nx - 1, Math.max(0, Math.floor((px[k] - X0) / g)));
    const j = Math.min(ny - 1, Math.max(0, Math.floor((py[k] - Y0) / g)));
    prefix[j * (nx + 1) + i + 1] += pw[k];
  }
  for (let j = 0; j < ny; ++j) for (let i = 0; i < nx; ++i) prefix[j * (nx + 1) + i + 1] += prefix[j * (nx + 1) + i];
  // Upper bound per cell: weight in the cells within rr of it (rectangle gaps; a small
  // margin covers floating-point binning at cell edges).
  const reach = rr + 1e-6 * g;
  const span = Math.ceil(reach / g) + 1;
  const bound = new Float64Array(nx * ny);
  for (let j = 0; j < ny; ++j) {
    for (let i = 0; i < nx; ++i) {
      let s = 0;
      for (let jj = Math.max(0, j - span); jj <= Math.min(ny - 1, j + span); ++jj) {
        const gapY = Math.max(0, (Math.abs(jj - j) - 1) * g);
        if (gapY > reach) continue;
        const h = Math.sqrt(reach * reach - gapY * gapY);
        const di = Math.floor(h / g) + 1; // columns whose gap (|ii − i| − 1)·g ≤ h
        const lo = Math.max(0, i - di);
        const hi = Math.min(nx - 1, i + di);
        s += prefix[jj * (nx + 1) + hi + 1] - prefix[jj * (nx + 1) + lo];
      }
      bound[j * nx + i] = s;
    }
  }
  let cells = 0;
  for (let c = 0; c < nx * ny; ++c) if (bound[c] > 0) ++cells;
  const cellOrder = new Uint32Array(cells);
  for (let c = 0, k = 0; c < nx * ny; ++c) if (bound[c] > 0) cellOrder[k++] = c;
  cellOrder.sort((a, b) => bound[b] - bound[a] || a - b);

  const best = { count: 0, x: px[0], y: py[0] };
  const swept = new Uint8Array(m);
  const sweep = angularSweep(px, py, pw, index, r);
  const buf: number[] = [];
  for (const c of cellOrder) {
    if (bound[c] <= best.count) break;
    const i = c % nx;
    const j = (c - i) / nx;
    const x0 = X0 + i * g;
    const y0 = Y0 + j * g;
    buf.length = 0;
    for (const p of index.range(x0 - reach, y0 - reach, x0 + g + reach, y0 + g + reach)) {
      if (swept[p]) continue;
      const dx = Math.max(0, x0 - px[p], px[p] - (x0 + g));
      const dy = Math.max(0, y0 - py[p], py[p] - (y0 + g));
      if (dx * dx + dy * dy > reach * reach) continue;
      swept[p] = 1;
      sweep(p, best);
    }
  }
  return best;
}

/**
 * The angular sweep of the discs of radius r through location p: updates `best` when one
 * holds more weight than `best.count`, putting the centre mid-way along the best arc.
 */
function angularSweep(px: number[], py: number[], pw: number[], index: KDBush, r: number): (p: number, best: { count: number; x: number; y: number }) => void {
  const reach = 2 * r * (1 + CIRCLE_TOLERANCE);
  const found: number[] = [];
  let angles = new Float64Array(64);
  let weights = new Float64Array(64);
  let eventOrder = new Uint32Array(64);
  return (p, best) => {
    found.length = 0;
    const k = index.withinInto(px[p], py[p], reach, found);
    let total = 0;
    for (let q = 0; q < k; ++q) total += pw[found[q]];
    if (total <= best.count) return; // not even everything within 2r beats the best
    if (2 * k > angles.length) {
      angles = new Float64Array(4 * k);
      weights = new Float64Array(4 * k);
      eventOrder = new Uint32Array(4 * k);
    }
    let events = 0;
    let current = pw[p];
    for (let f = 0; f < k; ++f) {
      const q = found[f];
      if (q === p) continue;
      const dx = px[q] - px[p];
      const dy = py[q] - py[p];
      const d = Math.sqrt(dx * dx + dy * dy);
      const alpha = Math.atan2(dy, dx);
      const beta = Math.acos(Math.min(1, d / (2 * r)));
      let a = alpha - beta;
      if (a < 0) a += 2 * Math.PI;
      if (a >= 2 * Math.PI) a -= 2 * Math.PI;
      let e = a + 2 * beta;
      if (e >= 2 * Math.PI) {
        e -= 2 * Math.PI; // the arc wraps past angle 0: it is active at the start
        current += pw[q];
      }
      angles[events] = a;
      weights[events++] = pw[q]; // enter
      angles[events] = e;
      weights[events++] = -pw[q]; // leave
    }
    if (events === 0) {
      if (current > best.count) {
        best.count = current;
        best.x = px[p];
        best.y = py[p];
      }
      return;
    }
    for (let v = 0; v < events; ++v) eventOrder[v] = v;
    // By angle; at equal angles enters first (closed arcs).
    const ord = eventOrder.subarray(0, events).sort((u, v) => angles[u] - angles[v] || weights[v] - weights[u]);
    for (let v = 0; v < events; ++v) {
      const ev = ord[v];
      current += weights[ev];
      if (weights[ev] > 0 && current > best.count && (v + 1 === events || weights[ord[v + 1]] < 0)) {
        best.count = current;
        // Middle of the arc where this set is inside: up to the next event (or the first, wrapped).
        const next = v + 1 < events ? angles[ord[v + 1]] : angles[ord[0]] + 2 * Math.PI;
        const theta = (angles[ev] + next) / 2;
        best.x = px[p] + r * Math.cos(theta);
        best.y = py[p] + r * Math.sin(theta);
      }
    }
  };
}

/** Indices of the points within `r` (closed, with {@link CIRCLE_TOLERANCE}) of (cx, cy). */
function circleMembers(xs: Float64Array, ys: Float64Array, cx: number, cy: number, r: number): Uint32Array {
  const r2 = r * r * (1 + CIRCLE_TOLERANCE) * (1 + CIRCLE_TOLERANCE);
  const out: number[] = [];
  for (let i = 0; i < xs.length; ++i) {
    const dx = xs[i] - cx;
    const dy = ys[i] - cy;
    if (dx * dx + dy * dy <= r2) out.push(i);
  }
  return Uint32Array.from(out);
}

/** Members of the square at (x0, y0), then the same square centred on their bounding box when that keeps exactly them. */
function centredSquare(xs: Float64Array, ys: Float64Array, side: number, x0: number, y0: number, count: number): { x0: number; y0: number; members: Uint32Array } {
  const members = squareMembers(xs, ys, x0, y0, side);
  if (members.length !== count) throw new Error(`${FN}: internal error: sweep count ${count} but ${members.length} inside`);
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (const i of members) {
    minX = Math.min(minX, xs[i]);
    maxX = Math.max(maxX, xs[i]);
    minY = Math.min(minY, ys[i]);
    maxY = Math.max(maxY, ys[i]);
  }
  const cx0 = (minX + maxX) / 2 - side / 2;
  const cy0 = (minY + maxY) / 2 - side / 2;
  const centred = squareMembers(xs, ys, cx0, cy0, side);
  if (centred.length === count && members.every((v, k) => centred[k] === v)) return { x0: cx0, y0: cy0, members: centred };
  return { x0, y0, members };
}

function squareMembers(xs: Float64Array, ys: Float64Array, x0: number, y0: number, side: number): Uint32Array {
  const out: number[] = [];
  const x1 = x0 + side;
  const y1 = y0 + side;
  for (let i = 0; i < xs.length; ++i) if (xs[i] >= x0 && xs[i] < x1 && ys[i] >= y0 && ys[i] < y1) out.push(i);
  return Uint32Array.from(out);
}

/**
 * Max segment tree over `m` slots with range add: `mx[node]` is the max over the node's
 * slots of the adds applied at or below the node; padding slots stay at −∞.
 */
class MaxSegmentTree {
  private readonly size: number;
  private readonly mx: Float64Array;
  private readonly add_: Float64Array;
  constructor(m: number) {
    let size = 1;
    while (size < m) size *= 2;
    this.size = size;
    this.mx = new Float64Array(2 * size);
    this.add_ = new Float64Array(2 * size);
    for (let k = m; k < size; ++k) this.mx[size + k] = -Infinity;
    for (let node = size - 1; node >= 1; --node) this.mx[node] = Math.max(this.mx[2 * node], this.mx[2 * node + 1]);
  }
  /** Adds `v` to slots `l…r` (inclusive). */
  add(l: number, r: number, v: number): void {
    this.update(1, 0, this.size - 1, l, r, v);
  }
  private update(node: number, nl: number, nr: number, l: number, r: number, v: number): void {
    if (r < nl || nr < l) return;
    if (l <= nl && nr <= r) {
      this.mx[node] += v;
      this.add_[node] += v;
      return;
    }
    const mid = (nl + nr) >> 1;
    this.update(2 * node, nl, mid, l, r, v);
    this.update(2 * node + 1, mid + 1, nr, l, r, v);
    this.mx[node] = Math.max(this.mx[2 * node], this.mx[2 * node + 1]) + this.add_[node];
  }
  max(): number {
    return this.mx[1];
  }
  /** The first slot holding the max. */
  argmax(): number {
    let node = 1;
    while (node < this.size) {
      const target = this.mx[node] - this.add_[node];
      node = this.mx[2 * node] === target ? 2 * node : 2 * node + 1;
    }
    return node - this.size;
  }
}

// ---------------------------------------------------------------------------------------
// Wrapper helpers.

function isTable(data: IncidentTable | WindowPoints): data is IncidentTable {
  return typeof (data as IncidentTable).length === "number" && (data as IncidentTable).category !== undefined && (data as IncidentTable).start instanceof Int32Array;
}

/** Located rows (after the category filter) and their coordinates. */
function extractPoints(
  data: IncidentTable | WindowPoints,
  categories: readonly string[] | undefined,
): { rows: Uint32Array; xs: Float64Array; ys: Float64Array; unlocated: number; location: ((i: number) => string | null) | null; crs: string | undefined } {
  if (data === null || typeof data !== "object") invalidOption(FN, "data", "an incident table or {x, y} arrays", data);
  let keep: ((i: number) => boolean) | null = null;
  let location: ((i: number) => string | null) | null = null;
  let crs: string | undefined;
  const x = data.x;
  const y = data.y;
  let n: number;
  if (isTable(data)) {
    n = data.length;
    crs = data.crs;
    const loc = data.location;
    location = (i) => loc.values[loc.codes[i]];
    if (categories !== undefined) {
      if (!Array.isArray(categories) || categories.length === 0) {
        throw new InputError("unknown-category", `${FN}: categories must be a non-empty list of category keys, got ${describeValue(categories)}`);
      }
      const codeOk = valueMask(data.category, categories);
      const codes = data.category.codes;
      keep = (i) => codeOk[codes[i]] === 1;
    }
  } else {
    if (categories !== undefined) invalidOption(FN, "categories", "omitted for plain points (filter them first)", categories);
    if (!x || !y || typeof x.length !== "number" || typeof y.length !== "number") invalidOption(FN, "data", "an incident table or {x, y} arrays", data);
    if (x.length !== y.length) throw new InputError("length-mismatch", `${FN}: x and y must have the same length, got ${x.length} and ${y.length}`);
    n = x.length;
    if (data.location !== undefined) {
      if (data.location.length !== n) throw new InputError("length-mismatch", `${FN}: location must have the length of x (${n}), got ${data.location.length}`);
      const loc = data.location;
      location = (i) => loc[i] ?? null;
    }
    crs = data.crs;
  }
  const rows: number[] = [];
  let unlocated = 0;
  for (let i = 0; i < n; ++i) {
    if (keep && !keep(i)) continue;
    const xi = +x[i];
    const yi = +y[i];
    if (Number.isFinite(xi) && Number.isFinite(yi)) rows.push(i);
    else ++unlocated;
  }
  const r = Uint32Array.from(rows);
  const xs = new Float64Array(r.length);
  const ys = new Float64Array(r.length);
  for (let k = 0; k < r.length; ++k) {
    xs[k] = +x[r[k]];
    ys[k] = +y[r[k]];
  }
  return { rows: r, xs, ys, unlocated, location, crs };
}

/** The most common non-null value among the given rows (ties: first seen in row order). */
function mostCommon(location: (i: number) => string | null, rows: Uint32Array): string | null {
  const counts = new Map<string, number>();
  let best: string | null = null;
  let bestCount = 0;
  for (const i of rows) {
    const v = location(i);
    if (v === null || v === "") continue;
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > bestCount) {
      bestCount = c;
      best = v;
    }
  }
  return best;
}

/** Index order sorting by x (then y). */
function sortedIndex(xs: Float64Array, ys?: Float64Array): Uint32Array {
  const idx = Uint32Array.from({ length: xs.length }, (_, k) => k);
  return ys ? idx.sort((a, b) => xs[a] - xs[b] || ys[a] - ys[b] || a - b) : idx.sort((a, b) => xs[a] - xs[b] || a - b);
}

/** The index of the last element ≤ v in sorted `a` (−1 if none). */
function lastAtMost(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function subjectOf(categories: readonly string[] | undefined): string {
  if (categories === undefined) return "incidents";
  if (categories.length === 1) {
    const label = categoryLabel(categories[0]);
    return categories[0] === "violent-crime" ? "violent crime" : label.charAt(0).toLowerCase() + label.slice(1);
  }
  return "the selected categories";
}

/** "1 km", "500 m", "1.5 km". */
function metres(m: number): string {
  if (m >= 1000) return `${+(m / 1000).toFixed(3)} km`;
  return `${+m.toFixed(1)} m`;
}

function percent(share: number): string {
  const p = share * 100;
  return p >= 9.5 || p === 0 ? `${Math.round(p)}%` : `${+p.toFixed(1)}%`;
}

function coordinatesText(x: number, y: number, crs: string | undefined): string {
  if (crs === "EPSG:27700") return `grid reference E ${Math.round(x)} N ${Math.round(y)}`;
  return `x ${Math.round(x)}, y ${Math.round(y)}${crs ? ` (${crs})` : ""}`;
}
