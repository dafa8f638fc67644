import Flatbush from "flatbush";
import { InputError, failInput } from "@community-safety/core";

/**
 * Polygons as flat typed arrays in CSR form (metres, one projected CRS), the input of
 * {@link PolygonIndex}. Feature `f` owns parts `featureOffsets[f]`..`featureOffsets[f + 1]`;
 * part `p` owns rings `partOffsets[p]`..`partOffsets[p + 1]` (the first its exterior, the
 * rest its holes; orientation is ignored); ring `r` owns vertices
 * `ringOffsets[r]`..`ringOffsets[r + 1]`, vertex `v` being `(coords[2v], coords[2v + 1])`.
 * Rings may repeat their first vertex at the end (GeoJSON) or not: an edge always joins the
 * last vertex back to the first.
 */
export interface PolygonRings {
  readonly coords: Float64Array;
  readonly ringOffsets: Uint32Array;
  readonly partOffsets: Uint32Array;
  readonly featureOffsets: Uint32Array;
}

const FN = "PolygonIndex";
const BOUNDARY = -2;
const MAX_CELLS = 1 << 21;

/**
 * A static index answering "which polygon contains this point?" for many points and
 * polygons (beats, wards, LSOAs, districts), in the manner of flatbush: built once from
 * typed arrays, queries return feature indices and allocate nothing.
 *
 * Method: a uniform grid of about two cells per edge covers the layer. A cell that no
 * edge's bounding box reaches lies wholly inside one answer, stored once (the answer at its
 * centre), so most points are answered by one array read. Every other cell lists the parts
 * whose bounding boxes meet it (found with a flatbush index at build time), and each part
 * keeps its non-horizontal edges in equal-height horizontal slabs (CSR), so a candidate
 * part is tested only against the few edges near the point's `y`. The test is the even–odd
 * (crossing-number) rule of a ray cast towards +x, so holes need no orientation.
 *
 * **Edge rule (half-open).** An edge counts as crossed when the point's `y` lies in the
 * edge's half-open interval `[y0, y1)` and the point lies strictly left of the edge —
 * the rule of W. R. Franklin's `pnpoly`, evaluated on each edge with its endpoints ordered
 * by `y` (`y0 < y1`) as `(x1 − x0)(y − y0) > (x − x0)(y1 − y0)`, so two polygons sharing an
 * edge take exactly the same decision for it, bit for bit. The result is
 * that of moving the point an infinitesimal step in +x and then an even smaller one in
 * +y: a point on a polygon's left or bottom boundary is inside it, on its right or top
 * boundary outside. So a point on an edge shared by two polygons of a tiling belongs to
 * exactly one of them — the one to its right (above, for a horizontal edge) — and a vertex
 * shared by several belongs to the one lying just above the +x direction from it (of four
 * squares meeting at a corner, the upper right). A point on the outer top or right
 * boundary of a layer is in no polygon. Shared edges must repeat the same vertices in both
 * polygons (as GeoJSON from one source does) for the one-polygon guarantee to hold.
 * Parts of one feature form a union (a point in any part is in the feature); where
 * features overlap, the lowest feature index wins.
 *
 * An empty index (no features) answers -1 everywhere.
 *
 * @throws InputError `invalid-input` when the offsets are not monotone or point outside
 *   `coords`, or a coordinate is not finite.
 * @example
 * // two unit squares side by side: [0,1]×[0,1] and [1,2]×[0,1]
 * const index = new PolygonIndex({
 *   coords: Float64Array.of(0, 0, 1, 0, 1, 1, 0, 1, 1, 0, 2, 0, 2, 1, 1, 1),
 *   ringOffsets: Uint32Array.of(0, 4, 8),
 *   partOffsets: Uint32Array.of(0, 1, 2),
 *   featureOffsets: Uint32Array.of(0, 1, 2),
 * });
 * index.find(0.5, 0.5); // => 0
 * index.find(1, 0.5); // => 1 (a shared edge belongs to the polygon on its right)
 * index.find(3, 0.5); // => -1
 */
export class PolygonIndex {
  /** Number of features. */
  readonly features: number;
  /** Number of polygon parts. */
  readonly parts: number;
  private readonly partFeature: Uint32Array;
  /** Per part: minX, minY, maxX, maxY. */
  private readonly bbox: Float64Array;
  /** Per part: first slab (into slabOffsets), slab count, and y scale. */
  private readonly slabBase: Uint32Array;
  private readonly slabCount: Uint32Array;
  private readonly slabScale: Float64Array;
  private readonly slabOffsets: Uint32Array;
  private readonly slabEdges: Uint32Array;
  /** Per edge: x0, y0, x1, y1 with y0 < y1. */
  private readonly edges: Float64Array;
  /** Grid over all parts: origin, cells per metre, size. */
  private readonly gx0: number;
  private readonly gy0: number;
  private readonly gx1: number;
  private readonly gy1: number;
  private readonly sx: number;
  private readonly sy: number;
  private readonly nx: number;
  private readonly ny: number;
  /** Per cell: the feature covering the whole cell, -1 (none), or BOUNDARY. */
  private readonly cellState: Int32Array;
  /** Per boundary cell: candidate parts (ascending) in CSR. */
  private readonly cellOffsets: Uint32Array;
  private readonly cellParts: Uint32Array;

  constructor(rings: PolygonRings) {
    const { coords, ringOffsets, partOffsets, featureOffsets } = checkRings(rings);
    const nf = featureOffsets.length - 1;
    const np = partOffsets.length - 1;
    this.features = nf;
    this.parts = np;

    const partFeature = new Uint32Array(np);
    for (let f = 0; f < nf; ++f) for (let p = featureOffsets[f]; p < featureOffsets[f + 1]; ++p) partFeature[p] = f;
    this.partFeature = partFeature;

    // Pass 1: bounding boxes and edge counts (horizontal edges never count as crossed).
    const bbox = new Float64Array(4 * np);
    const partEdges = new Uint32Array(np + 1);
    for (let p = 0; p < np; ++p) {
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      let count = 0;
      for (let r = partOffsets[p]; r < partOffsets[p + 1]; ++r) {
        const a = ringOffsets[r], b = ringOffsets[r + 1];
        for (let v = a; v < b; ++v) {
          const x = coords[2 * v], y = coords[2 * v + 1];
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
          const w = v + 1 < b ? v + 1 : a;
          if (coords[2 * w + 1] !== y) ++count;
        }
      }
      bbox[4 * p] = x0; bbox[4 * p + 1] = y0; bbox[4 * p + 2] = x1; bbox[4 * p + 3] = y1;
      partEdges[p + 1] = partEdges[p] + count;
    }
    this.bbox = bbox;

    // Pass 2: edges in canonical order (lower endpoint first) and slab sizes per part.
    const ne = partEdges[np];
    const edges = new Float64Array(4 * ne);
    const slabBase = new Uint32Array(np + 1);
    const slabCount = new Uint32Array(np);
    const slabScale = new Float64Array(np);
    for (let p = 0; p < np; ++p) {
      const n = partEdges[p + 1] - partEdges[p];
      const k = Math.max(1, Math.ceil(n / 4));
      const h = bbox[4 * p + 3] - bbox[4 * p + 1];
      slabCount[p] = k;
      slabScale[p] = h > 0 ? k / h : 0;
      slabBase[p + 1] = slabBase[p] + k;
    }
    let e = 0;
    for (let p = 0; p < np; ++p) {
      for (let r = partOffsets[p]; r < partOffsets[p + 1]; ++r) {
        const a = ringOffsets[r], b = ringOffsets[r + 1];
        for (let v = a; v < b; ++v) {
          const w = v + 1 < b ? v + 1 : a;
          const ya = coords[2 * v + 1], yb = coords[2 * w + 1];
          if (ya === yb) continue;
          const lo = ya < yb ? v : w, hi = ya < yb ? w : v;
          edges[4 * e] = coords[2 * lo];
          edges[4 * e + 1] = coords[2 * lo + 1];
          edges[4 * e + 2] = coords[2 * hi];
          edges[4 * e + 3] = coords[2 * hi + 1];
          ++e;
        }
      }
    }
    this.edges = edges;

    // Pass 3: slab membership in CSR (count, prefix sum, fill). An edge joins every slab
    // its closed y-range maps to, with the same arithmetic as the query, so any y in
    // [y0, y1) finds it.
    const slabOffsets = new Uint32Array(slabBase[np] + 1);
    const forEachMembership = (visit: (slab: number, edge: number) => void) => {
      for (let p = 0; p < np; ++p) {
        const ymin = bbox[4 * p + 1], scale = slabScale[p], last = slabCount[p] - 1, base = slabBase[p];
        for (let j = partEdges[p]; j < partEdges[p + 1]; ++j) {
          const s0 = slabOf(edges[4 * j + 1], ymin, scale, last);
          const s1 = slabOf(edges[4 * j + 3], ymin, scale, last);
          for (let s = s0; s <= s1; ++s) visit(base + s, j);
        }
      }
    };
    forEachMembership((slab) => ++slabOffsets[slab + 1]);
    for (let s = 0; s < slabBase[np]; ++s) slabOffsets[s + 1] += slabOffsets[s];
    const slabEdges = new Uint32Array(slabOffsets[slabBase[np]]);
    const fill = slabOffsets.slice(0, slabBase[np]);
    forEachMembership((slab, edge) => (slabEdges[fill[slab]++] = edge));
    this.slabBase = slabBase;
    this.slabCount = slabCount;
    this.slabScale = slabScale;
    this.slabOffsets = slabOffsets;
    this.slabEdges = slabEdges;

    // The grid. Cells no edge touches lie wholly inside one answer: their state is the
    // answer at their centre. Other cells keep the parts whose boxes meet them (found with
    // flatbush), sorted, so the first part containing a point gives the lowest feature.
    let gx0 = Infinity, gy0 = Infinity, gx1 = -Infinity, gy1 = -Infinity;
    for (let p = 0; p < np; ++p) {
      gx0 = Math.min(gx0, bbox[4 * p]); gy0 = Math.min(gy0, bbox[4 * p + 1]);
      gx1 = Math.max(gx1, bbox[4 * p + 2]); gy1 = Math.max(gy1, bbox[4 * p + 3]);
    }
    const w = np > 0 ? gx1 - gx0 : 0, h = np > 0 ? gy1 - gy0 : 0;
    const cells = Math.max(1, Math.min(MAX_CELLS, 2 * ne));
    const nx = w > 0 && h > 0 ? Math.max(1, Math.round(Math.sqrt((cells * w) / h))) : w > 0 ? cells : 1;
    const ny = w > 0 && h > 0 ? Math.max(1, Math.round(cells / nx)) : h > 0 ? cells : 1;
    this.gx0 = gx0; this.gy0 = gy0; this.gx1 = gx1; this.gy1 = gy1;
    this.nx = nx; this.ny = ny;
    this.sx = w > 0 ? nx / w : 0;
    this.sy = h > 0 ? ny / h : 0;
    const cellState = new Int32Array(nx * ny).fill(-1);
    // Mark every cell an edge's box reaches (with the query's own arithmetic) as a boundary cell.
    for (let p = 0; p < np; ++p) {
      for (let r = partOffsets[p]; r < partOffsets[p + 1]; ++r) {
        const a = ringOffsets[r], b = ringOffsets[r + 1];
        for (let v = a; v < b; ++v) {
          const u = v + 1 < b ? v + 1 : a;
          const i0 = this.cellX(Math.min(coords[2 * v], coords[2 * u])), i1 = this.cellX(Math.max(coords[2 * v], coords[2 * u]));
          const j0 = this.cellY(Math.min(coords[2 * v + 1], coords[2 * u + 1])), j1 = this.cellY(Math.max(coords[2 * v + 1], coords[2 * u + 1]));
          for (let j = j0; j <= j1; ++j) for (let i = i0; i <= i1; ++i) cellState[j * nx + i] = BOUNDARY;
        }
      }
    }
    const cellOffsets = new Uint32Array(nx * ny + 1);
    const cellParts: number[] = [];
    if (np > 0) {
      const tree = new Flatbush(np);
      for (let p = 0; p < np; ++p) tree.add(bbox[4 * p], bbox[4 * p + 1], bbox[4 * p + 2], bbox[4 * p + 3]);
      tree.finish();
      // Cell rectangles are widened by a tenth of a cell, so rounding never drops a part.
      const cw = w > 0 ? w / nx : 0, ch = h > 0 ? h / ny : 0;
      for (let j = 0; j < ny; ++j) {
        for (let i = 0; i < nx; ++i) {
          const c = j * nx + i;
          const x0 = gx0 + i * cw, y0 = gy0 + j * ch;
          const found = tree.search(x0 - cw / 10, y0 - ch / 10, x0 + cw * 1.1, y0 + ch * 1.1).sort((a, b) => a - b);
          if (cellState[c] === BOUNDARY) {
            for (const part of found) cellParts.push(part);
          } else {
            const cx = x0 + cw / 2, cy = y0 + ch / 2;
            if (this.cellX(cx) !== i || this.cellY(cy) !== j) {
              cellState[c] = BOUNDARY; // centre rounds into a neighbour: test points one by one
              for (const part of found) cellParts.push(part);
            } else cellState[c] = this.firstContaining(found, 0, found.length, cx, cy);
          }
          cellOffsets[c + 1] = cellParts.length;
        }
      }
    }
    this.cellState = cellState;
    this.cellOffsets = cellOffsets;
    this.cellParts = Uint32Array.from(cellParts);
  }

  /**
   * Returns the index of the feature containing `(x, y)`, or -1 when none does (or a
   * coordinate is NaN). See the class documentation for the edge rule.
   */
  find(x: number, y: number): number {
    // Outside the grid (or NaN): outside every part's box.
    if (!(x >= this.gx0 && x <= this.gx1 && y >= this.gy0 && y <= this.gy1)) return -1;
    const c = this.cellY(y) * this.nx + this.cellX(x);
    const state = this.cellState[c];
    if (state !== BOUNDARY) return state;
    return this.firstContaining(this.cellParts, this.cellOffsets[c], this.cellOffsets[c + 1], x, y);
  }

  /**
   * Returns, for each point `i` of the parallel arrays `x` and `y`, the index of the
   * feature containing it, or -1 (no polygon, or a NaN coordinate). Written into `out`
   * when given (which must have the points' length).
   *
   * @throws InputError `length-mismatch` when `x`, `y` (and `out`) differ in length.
   */
  findEach(x: ArrayLike<number>, y: ArrayLike<number>, out?: Int32Array): Int32Array {
    const n = x.length;
    if (y.length !== n || (out !== undefined && out.length !== n)) {
      throw new InputError("length-mismatch", `${FN}.findEach: x, y and out must have one length, got ${n}, ${y.length}${out ? ", " + out.length : ""}`);
    }
    const result = out ?? new Int32Array(n);
    for (let i = 0; i < n; ++i) result[i] = this.find(x[i], y[i]);
    return result;
  }

  /** The feature of the first of `parts[from..to)` containing (x, y), or -1. */
  private firstContaining(parts: ArrayLike<number>, from: number, to: number, x: number, y: number): number {
    for (let k = from; k < to; ++k) if (this.partContains(parts[k], x, y)) return this.partFeature[parts[k]];
    return -1;
  }

  private cellX(x: number): number {
    const i = Math.floor((x - this.gx0) * this.sx);
    return i < 0 ? 0 : i >= this.nx ? this.nx - 1 : i;
  }

  private cellY(y: number): number {
    const j = Math.floor((y - this.gy0) * this.sy);
    return j < 0 ? 0 : j >= this.ny ? this.ny - 1 : j;
  }

  /** True when part `p` contains `(x, y)` by the half-open even–odd rule. */
  private partContains(p: number, x: number, y: number): boolean {
    const b = this.bbox;
    // Half-open box: on the right or top of the box nothing is left of or below an edge.
    if (x < b[4 * p] || x >= b[4 * p + 2] || y < b[4 * p + 1] || y >= b[4 * p + 3]) return false;
    const s = this.slabBase[p] + slabOf(y, b[4 * p + 1], this.slabScale[p], this.slabCount[p] - 1);
    const edges = this.edges, list = this.slabEdges;
    let inside = false;
    for (let k = this.slabOffsets[s], end = this.slabOffsets[s + 1]; k < end; ++k) {
      const e = 4 * list[k];
      const y0 = edges[e + 1], y1 = edges[e + 3];
      if (y < y0 || y >= y1) continue;
      const x0 = edges[e], x1 = edges[e + 2];
      // Strictly left of the upward edge (x0,y0)→(x1,y1): the ray towards +x crosses it.
      if ((x1 - x0) * (y - y0) > (x - x0) * (y1 - y0)) inside = !inside;
    }
    return inside;
  }
}

function slabOf(y: number, ymin: number, scale: number, last: number): number {
  const s = Math.floor((y - ymin) * scale);
  return s < 0 ? 0 : s > last ? last : s;
}

function checkRings(rings: PolygonRings): PolygonRings {
  if (rings === null || typeof rings !== "object") failInput("invalid-input", FN, "rings", "a PolygonRings object", rings);
  const { coords, ringOffsets, partOffsets, featureOffsets } = rings;
  if (!(coords instanceof Float64Array)) failInput("invalid-input", FN, "coords", "a Float64Array", coords);
  for (const [name, a] of [["ringOffsets", ringOffsets], ["partOffsets", partOffsets], ["featureOffsets", featureOffsets]] as const) {
    if (!(a instanceof Uint32Array) || a.length < 1 || a[0] !== 0) failInput("invalid-input", FN, name, "a Uint32Array starting at 0", a);
    for (let i = 1; i < a.length; ++i) {
      if (a[i] < a[i - 1]) throw new InputError("invalid-input", `${FN}: ${name} must not decrease, got ${a[i - 1]} then ${a[i]} at ${i}`);
    }
  }
  const check = (name: string, a: Uint32Array, limit: number, what: string) => {
    if (a[a.length - 1] !== limit) throw new InputError("invalid-input", `${FN}: ${name} must end at the number of ${what} (${limit}), got ${a[a.length - 1]}`);
  };
  if (coords.length % 2 !== 0) throw new InputError("invalid-input", `${FN}: coords must hold x, y pairs, got length ${coords.length}`);
  check("ringOffsets", ringOffsets, coords.length / 2, "vertices");
  check("partOffsets", partOffsets, ringOffsets.length - 1, "rings");
  check("featureOffsets", featureOffsets, partOffsets.length - 1, "parts");
  for (let i = 0; i < coords.length; ++i) {
    if (!Number.isFinite(coords[i])) {
      throw new InputError("invalid-coordinate", `${FN}: coords must be finite, got ${coords[i]} at vertex ${i >> 1}`);
    }
  }
  return rings;
}
