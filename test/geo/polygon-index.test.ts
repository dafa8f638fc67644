import { describe, it, expect } from "vitest";
import { InputError } from "@community-safety/core";
import { PolygonIndex, type PolygonRings } from "@community-safety/geo";

type Ring = [number, number][];
/** Features in MultiPolygon form: feature → parts → rings → positions. */
type Layer = Ring[][][];

/** Builds the CSR typed arrays by hand (independently of polygonLayer). */
function rings(layer: Layer): PolygonRings {
  const xy: number[] = [], ro = [0], po = [0], fo = [0];
  for (const parts of layer) {
    for (const part of parts) {
      for (const ring of part) {
        for (const [x, y] of ring) xy.push(x, y);
        ro.push(xy.length / 2);
      }
      po.push(ro.length - 1);
    }
    fo.push(po.length - 1);
  }
  return { coords: Float64Array.from(xy), ringOffsets: Uint32Array.from(ro), partOffsets: Uint32Array.from(po), featureOffsets: Uint32Array.from(fo) };
}

const box = (x0: number, y0: number, x1: number, y1: number): Ring => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];

/**
 * The oracle: pnpoly (Franklin) over every ring of every part, no index, no slabs, no
 * grid — with the documented edge predicate: endpoints ordered by y, y in [y0, y1), and
 * "strictly left" as (x1 − x0)(y − y0) > (x − x0)(y1 − y0) (the division form
 * x < x0 + (x1 − x0)(y − y0)/(y1 − y0) rounds differently for points within an ulp of an edge).
 */
function naiveContains(parts: Ring[][], x: number, y: number): boolean {
  for (const part of parts) {
    let inside = false;
    for (const ring of part) {
      for (let a = 0; a < ring.length; ++a) {
        let [x0, y0] = ring[a];
        let [x1, y1] = ring[(a + 1) % ring.length];
        if (y0 === y1) continue;
        if (y0 > y1) [x0, y0, x1, y1] = [x1, y1, x0, y0];
        if (y >= y0 && y < y1 && (x1 - x0) * (y - y0) > (x - x0) * (y1 - y0)) inside = !inside;
      }
    }
    if (inside) return true;
  }
  return false;
}
const naiveAll = (layer: Layer, x: number, y: number) => layer.flatMap((f, k) => (naiveContains(f, x, y) ? [k] : []));

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("PolygonIndex", () => {
  it("find(x, y) on a unit square: half-open, left and bottom edges in, right and top out", () => {
    const index = new PolygonIndex(rings([[[box(0, 0, 1, 1)]]]));
    // Hand-worked from the rule: the point moves +x, then +y, by an infinitesimal step.
    const cases: [number, number, number][] = [
      [0.5, 0.5, 0],
      [0, 0.5, 0], // left edge
      [0.5, 0, 0], // bottom edge
      [1, 0.5, -1], // right edge
      [0.5, 1, -1], // top edge
      [0, 0, 0], // bottom-left corner
      [1, 0, -1],
      [0, 1, -1],
      [1, 1, -1],
      [-1e-9, 0.5, -1],
      [0.5, -1e-9, -1],
      [2, 2, -1],
    ];
    for (const [x, y, want] of cases) expect([x, y, index.find(x, y)]).toEqual([x, y, want]);
  });

  it("find(x, y) gives a point on an edge shared by two squares to exactly one: the right-hand one", () => {
    const index = new PolygonIndex(rings([[[box(0, 0, 1, 1)]], [[box(1, 0, 2, 1)]]]));
    expect(index.find(1, 0.5)).toBe(1); // shared edge
    expect(index.find(1, 0)).toBe(1); // shared bottom vertex: the bottom-left corner of the right square
    expect(index.find(1, 1)).toBe(-1); // shared top vertex: top of both squares, outer boundary of the layer
    expect(index.find(1 - 1e-12, 0.5)).toBe(0);
    expect(index.find(2, 0.5)).toBe(-1); // outer right boundary
  });

  it("find(x, y) gives a vertex shared by four squares to the upper-right one", () => {
    // features 0: lower-left, 1: lower-right, 2: upper-left, 3: upper-right
    const index = new PolygonIndex(rings([[[box(0, 0, 1, 1)]], [[box(1, 0, 2, 1)]], [[box(0, 1, 1, 2)]], [[box(1, 1, 2, 2)]]]));
    expect(index.find(1, 1)).toBe(3);
    expect(index.find(1, 0.5)).toBe(1); // vertical edge: the square to the right
    expect(index.find(1, 1.5)).toBe(3);
    expect(index.find(0.5, 1)).toBe(2); // horizontal edge: the square above
    expect(index.find(1.5, 1)).toBe(3);
    expect(index.find(0, 1)).toBe(2); // outer left boundary, on the horizontal edge: above
  });

  it("find(x, y) puts points on a shared diagonal in the triangle to their right", () => {
    // Square [0,10]² cut along y = x: A lower-right, B upper-left (B's ring runs the other way).
    const A: Ring = [[0, 0], [10, 0], [10, 10], [0, 0]];
    const B: Ring = [[0, 0], [0, 10], [10, 10], [0, 0]];
    const index = new PolygonIndex(rings([[[A]], [[B]]]));
    for (const t of [0.1, 1 / 3, 2.5, Math.PI, 9.999]) expect(index.find(t, t)).toBe(0); // moving +x enters A
    expect(index.find(0, 0)).toBe(0); // shared bottom-left vertex: +x runs along A's bottom edge, just above it is A
    expect(index.find(3, 3.0000001)).toBe(1);
    expect(index.find(3.0000001, 3)).toBe(0);
  });

  it("find(x, y) respects holes, and an island filling the hole takes the hole's left and bottom edges", () => {
    const donut: Ring[] = [box(0, 0, 10, 10), box(3, 3, 7, 7)];
    const alone = new PolygonIndex(rings([[donut]]));
    expect(alone.find(5, 5)).toBe(-1);
    expect(alone.find(1, 1)).toBe(0);
    expect(alone.find(3, 5)).toBe(-1); // hole's left edge: moving +x enters the hole
    expect(alone.find(7, 5)).toBe(0); // hole's right edge: moving +x re-enters the ring
    expect(alone.find(5, 3)).toBe(-1); // hole's bottom edge: moving +y enters the hole
    expect(alone.find(5, 7)).toBe(0);
    const withIsland = new PolygonIndex(rings([[donut], [[box(3, 3, 7, 7)]]]));
    expect([withIsland.find(3, 5), withIsland.find(5, 3), withIsland.find(5, 5), withIsland.find(7, 5), withIsland.find(5, 7)]).toEqual([1, 1, 1, 0, 0]);
  });

  it("find(x, y) treats multipolygon parts as one feature, each with its own holes", () => {
    const multi: Ring[][] = [[box(0, 0, 1, 1)], [box(5, 0, 9, 4), box(6, 1, 8, 3)]];
    const index = new PolygonIndex(rings([multi, [[box(2, 0, 3, 1)]]]));
    expect(index.find(0.5, 0.5)).toBe(0);
    expect(index.find(5.5, 0.5)).toBe(0);
    expect(index.find(7, 2)).toBe(-1); // in the second part's hole
    expect(index.find(2.5, 0.5)).toBe(1);
    expect(index.find(4, 0.5)).toBe(-1); // between the parts
    expect(index.features).toBe(2);
    expect(index.parts).toBe(3);
  });

  it("find(x, y) gives overlapping features to the lowest index, whatever the part order", () => {
    const a = new PolygonIndex(rings([[[box(0, 0, 4, 4)]], [[box(2, 2, 6, 6)]]]));
    expect([a.find(3, 3), a.find(1, 1), a.find(5, 5)]).toEqual([0, 0, 1]);
    const b = new PolygonIndex(rings([[[box(2, 2, 6, 6)]], [[box(0, 0, 4, 4)]]]));
    expect([b.find(3, 3), b.find(1, 1), b.find(5, 5)]).toEqual([0, 1, 0]);
  });

  it("find(x, y) reads rings the same closed or open, clockwise or not", () => {
    const open: Ring = [[0, 0], [4, 0], [4, 4], [0, 4]];
    const clockwise: Ring = [[0, 0], [0, 4], [4, 4], [4, 0], [0, 0]];
    for (const ring of [open, clockwise]) {
      const index = new PolygonIndex(rings([[[ring]]]));
      expect([index.find(2, 2), index.find(0, 2), index.find(4, 2), index.find(2, 4), index.find(5, 2)]).toEqual([0, 0, -1, -1, -1]);
    }
  });

  it("find(x, y) is -1 for NaN and on an empty index", () => {
    const index = new PolygonIndex(rings([[[box(0, 0, 1, 1)]]]));
    expect([index.find(NaN, 0.5), index.find(0.5, NaN)]).toEqual([-1, -1]);
    const empty = new PolygonIndex(rings([]));
    expect([empty.features, empty.find(0, 0)]).toEqual([0, -1]);
  });

  it("find(x, y) agrees with the naive oracle on a 2,000-vertex star with holes", () => {
    const rand = mulberry32(7);
    const star: Ring = [];
    for (let k = 0; k < 2000; ++k) {
      const t = (2 * Math.PI * k) / 2000;
      const r = 100 + 40 * Math.sin(17 * t) + 10 * rand();
      star.push([500 + r * Math.cos(t), 500 + r * Math.sin(t)]);
    }
    const holes = [box(480, 480, 500, 520), box(520, 470, 530, 480)];
    const layer: Layer = [[[star, ...holes]], [[box(485, 490, 495, 500)]]];
    const index = new PolygonIndex(rings(layer));
    let inStar = 0;
    for (let k = 0; k < 10_000; ++k) {
      const x = 340 + rand() * 320, y = 340 + rand() * 320;
      const want = naiveAll(layer, x, y);
      expect(index.find(x, y)).toBe(want.length ? want[0] : -1);
      if (want[0] === 0) ++inStar;
    }
    // π(100²+40²/2)/320² ≈ 0.33 of the box is star, so the test does exercise both outcomes.
    expect(inStar).toBeGreaterThan(2500);
    expect(inStar).toBeLessThan(4000);
  });

  it("find(x, y) assigns every point of a jittered tiling to exactly one tile, vertices and edges included", () => {
    // 12 × 12 quadrilaterals whose jittered corners and wiggly sides are shared exactly
    // (corners ±20 on a 100 grid, side vertices every ≥10 with ±3 wiggle: simple polygons).
    const rand = mulberry32(2024);
    const G = 12, S = 6;
    const corner = Array.from({ length: G + 1 }, (_, i) =>
      Array.from({ length: G + 1 }, (_, j): [number, number] => {
        const rim = i === 0 || j === 0 || i === G || j === G;
        return [i * 100 + (rim ? 0 : (rand() - 0.5) * 40), j * 100 + (rim ? 0 : (rand() - 0.5) * 40)];
      }),
    );
    const sides = new Map<string, Ring>();
    const side = (i0: number, j0: number, i1: number, j1: number): Ring => {
      const key = [i0, j0, i1, j1].join();
      const back = [i1, j1, i0, j0].join();
      if (sides.has(back)) return [...sides.get(back)!].reverse();
      const [a, b] = [corner[i0][j0], corner[i1][j1]];
      const rim = (i0 === i1 && (i0 === 0 || i0 === G)) || (j0 === j1 && (j0 === 0 || j0 === G));
      const s: Ring = [];
      for (let k = 1; k < S; ++k) {
        const t = k / S;
        s.push([a[0] + (b[0] - a[0]) * t + (rim ? 0 : (rand() - 0.5) * 6), a[1] + (b[1] - a[1]) * t + (rim ? 0 : (rand() - 0.5) * 6)]);
      }
      sides.set(key, s);
      return s;
    };
    const layer: Layer = [];
    for (let i = 0; i < G; ++i) {
      for (let j = 0; j < G; ++j) {
        const ring: Ring = [
          corner[i][j], ...side(i, j, i + 1, j), corner[i + 1][j], ...side(i + 1, j, i + 1, j + 1),
          corner[i + 1][j + 1], ...side(i + 1, j + 1, i, j + 1), corner[i][j + 1], ...side(i, j + 1, i, j), corner[i][j],
        ];
        layer.push([[ring]]);
      }
    }
    const index = new PolygonIndex(rings(layer));
    // Test points: random ones, every vertex, and points on edges (as near as floats get).
    const points: [number, number][] = [];
    for (let k = 0; k < 3000; ++k) points.push([rand() * G * 100, rand() * G * 100]);
    for (const f of layer) {
      const ring = f[0][0];
      for (let v = 0; v + 1 < ring.length; ++v) {
        points.push(ring[v]);
        const t = rand();
        points.push([ring[v][0] + (ring[v + 1][0] - ring[v][0]) * t, ring[v][1] + (ring[v + 1][1] - ring[v][1]) * t]);
      }
    }
    let shared = 0;
    for (const [x, y] of points) {
      const want = naiveAll(layer, x, y);
      const inner = x < G * 100 && y < G * 100; // the tiling's outer top and right edges belong to nobody
      if (inner) expect(want.length).toBe(1); // the partition guarantee, checked by the oracle
      expect(index.find(x, y)).toBe(want.length ? want[0] : -1);
      if (inner && want.length === 1) ++shared;
    }
    expect(shared).toBeGreaterThan(8_000);
  });

  it("findEach(x, y) answers every point, into out when given", () => {
    const index = new PolygonIndex(rings([[[box(0, 0, 1, 1)]], [[box(1, 0, 2, 1)]]]));
    const x = Float64Array.of(0.5, 1.5, 3, NaN, 1);
    const y = Float64Array.of(0.5, 0.5, 0.5, 0.5, 0.5);
    expect(Array.from(index.findEach(x, y))).toEqual([0, 1, -1, -1, 1]);
    const out = new Int32Array(5);
    expect(index.findEach(x, y, out)).toBe(out);
    expect(Array.from(out)).toEqual([0, 1, -1, -1, 1]);
    expect(Array.from(index.findEach([], []))).toEqual([]);
  });

  it("findEach(x, y) throws length-mismatch", () => {
    const index = new PolygonIndex(rings([[[box(0, 0, 1, 1)]]]));
    expect(() => index.findEach([1, 2], [1])).toThrowError(expect.objectContaining({ code: "length-mismatch" }));
    expect(() => index.findEach([1], [1], new Int32Array(2))).toThrowError(InputError);
  });

  it("new PolygonIndex(rings) rejects bad offsets and non-finite coordinates", () => {
    const good = rings([[[box(0, 0, 1, 1)]]]);
    const err = (r: PolygonRings) => {
      try {
        new PolygonIndex(r);
      } catch (e) {
        return [(e as InputError).code, (e as Error).message];
      }
      return null;
    };
    expect(err({ ...good, ringOffsets: Uint32Array.of(0, 4) })).toEqual([
      "invalid-input",
      "PolygonIndex: ringOffsets must end at the number of vertices (5), got 4",
    ]);
    expect(err({ ...good, featureOffsets: Uint32Array.of(1, 1) })?.[0]).toBe("invalid-input");
    expect(err({ ...good, coords: Float64Array.of(0, 0, 1, 0, 1, NaN, 0, 1, 0, 0) })).toEqual([
      "invalid-coordinate",
      "PolygonIndex: coords must be finite, got NaN at vertex 2",
    ]);
    expect(err({ ...good, coords: [0, 0] as unknown as Float64Array })?.[0]).toBe("invalid-input");
  });

  it("new PolygonIndex(rings) does not modify its input", () => {
    const r = rings([[[box(0, 0, 1, 1)], [box(3, 3, 5, 5)]]]);
    const copy = { coords: r.coords.slice(), ringOffsets: r.ringOffsets.slice(), partOffsets: r.partOffsets.slice(), featureOffsets: r.featureOffsets.slice() };
    new PolygonIndex(r).find(0.5, 0.5);
    expect(r).toEqual(copy);
  });
});
