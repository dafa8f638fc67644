/**
 * Point-in-polygon benchmark: PolygonIndex (flatbush + y-slab edge lists, half-open
 * even–odd rule) against turf's `tag` (booleanPointInPolygon for every point × polygon,
 * with its bbox pre-check) on one seeded layer of ~100 polygons and N seeded points.
 *
 * A second part does the same on the real Chicago police-district layer (25 polygons,
 * ~30,000 vertices, lon/lat) with points seeded over the city's bounding box.
 *
 * Run: npx tsx --conditions=community-safety-source bench/pip.ts [points=1000000] [turfPoints=points]
 * Figures go in bench/PIP_RESULTS.md.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import * as turf from "@turf/turf";
import { projector, utmCrsFor } from "@community-safety/core";
import { PolygonIndex, polygonLayer, type PolygonFeatureCollection } from "@community-safety/geo";

const N = Number(process.argv[2] ?? 1_000_000);
const TURF_N = Number(process.argv[3] ?? N);
const GRID = 10; // 10 × 10 = 100 polygons
const SIDE = 40; // vertices per polygon side (so ~160 vertices per polygon, shared with neighbours)
const CELL = 1000; // metres

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

// A wiggly tiling: grid corners jittered, sides subdivided with jittered interior vertices,
// every side shared exactly (same vertices) by the two polygons it separates.
const rand = mulberry32(42);
const X0 = 500_000, Y0 = 200_000;
const corner: [number, number][][] = [];
for (let i = 0; i <= GRID; ++i) {
  corner.push([]);
  for (let j = 0; j <= GRID; ++j) {
    const edge = i === 0 || j === 0 || i === GRID || j === GRID;
    corner[i].push([X0 + i * CELL + (edge ? 0 : (rand() - 0.5) * 300), Y0 + j * CELL + (edge ? 0 : (rand() - 0.5) * 300)]);
  }
}
const sideCache = new Map<string, [number, number][]>();
function side(a: [number, number], b: [number, number], key: string): [number, number][] {
  let s = sideCache.get(key);
  if (!s) {
    s = [];
    for (let k = 1; k < SIDE; ++k) {
      const t = k / SIDE;
      s.push([a[0] + (b[0] - a[0]) * t + (rand() - 0.5) * 40, a[1] + (b[1] - a[1]) * t + (rand() - 0.5) * 40]);
    }
    sideCache.set(key, s);
  }
  return s;
}
function path(i0: number, j0: number, i1: number, j1: number): [number, number][] {
  const forward = i0 < i1 || (i0 === i1 && j0 < j1);
  const key = forward ? `${i0},${j0}-${i1},${j1}` : `${i1},${j1}-${i0},${j0}`;
  const s = forward ? side(corner[i0][j0], corner[i1][j1], key) : side(corner[i1][j1], corner[i0][j0], key);
  return forward ? s : [...s].reverse();
}
const features: PolygonFeatureCollection["features"][number][] = [];
for (let i = 0; i < GRID; ++i) {
  for (let j = 0; j < GRID; ++j) {
    const ring: [number, number][] = [
      corner[i][j], ...path(i, j, i + 1, j),
      corner[i + 1][j], ...path(i + 1, j, i + 1, j + 1),
      corner[i + 1][j + 1], ...path(i + 1, j + 1, i, j + 1),
      corner[i][j + 1], ...path(i, j + 1, i, j),
      corner[i][j],
    ];
    features.push({ type: "Feature", properties: { id: `${i}-${j}` }, geometry: { type: "Polygon", coordinates: [ring] } });
  }
}
const fc: PolygonFeatureCollection = { type: "FeatureCollection", features };

const xs = new Float64Array(N), ys = new Float64Array(N);
for (let i = 0; i < N; ++i) {
  xs[i] = X0 - 200 + rand() * (GRID * CELL + 400);
  ys[i] = Y0 - 200 + rand() * (GRID * CELL + 400);
}

function time(label: string, runs: number, fn: () => number, warm: () => number = fn): number[] {
  warm(); // warm-up
  const t: number[] = [];
  let sink = 0;
  for (let r = 0; r < runs; ++r) {
    const t0 = performance.now();
    sink += fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  console.log(`${label}: min ${t[0].toFixed(1)} ms, median ${t[t.length >> 1].toFixed(1)} ms over ${runs} run(s) (sink ${sink})`);
  return t;
}

const vertices = features.reduce((s, f) => s + (f.geometry.coordinates as number[][][])[0].length, 0);
console.log(`node ${process.version}, ${features.length} polygons, ${vertices} vertices, ${N} points`);

const layer = polygonLayer(fc, { target: "EPSG:27700", crs: "EPSG:27700" });
let index = new PolygonIndex(layer.rings);
time("PolygonIndex build", 10, () => (index = new PolygonIndex(layer.rings)).features);
const out = new Int32Array(N);
time(`PolygonIndex.findEach ${N}`, 10, () => {
  index.findEach(xs, ys, out);
  let s = 0;
  for (let i = 0; i < N; ++i) s += out[i];
  return s;
});

// turf works in whatever planar units it is given; metres here, so both see the same geometry.
type TurfPolygons = Parameters<typeof turf.pointsWithinPolygon>[1];
const polys = fc as unknown as TurfPolygons & Parameters<typeof turf.tag>[1];
const points = (n: number) => turf.featureCollection(Array.from({ length: n }, (_, i) => turf.point([xs[i], ys[i]])));
const pts = points(TURF_N);
const warmPts = points(Math.min(TURF_N, 10_000));
const featureOf = new Map(features.map((f, k) => [f.properties!.id as string, k]));
let disagreements = 0;
time(
  `turf.tag ${TURF_N}`,
  1,
  () => {
    const tagged = turf.tag(pts, polys, "id", "area");
    let s = 0;
    for (let i = 0; i < TURF_N; ++i) {
      const a = tagged.features[i].properties?.area as string | undefined;
      if ((a === undefined ? -1 : featureOf.get(a)) !== out[i]) ++disagreements;
      s += a === undefined ? 0 : 1;
    }
    return s;
  },
  () => turf.tag(warmPts, polys, "id", "area").features.length,
);
console.log(`turf.tag vs PolygonIndex: ${disagreements} of ${TURF_N} points differ`);
time(
  `turf.pointsWithinPolygon ${TURF_N}`,
  1,
  () => turf.pointsWithinPolygon(pts, polys).features.length,
  () => turf.pointsWithinPolygon(warmPts, polys).features.length,
);

// Part 2: Chicago police districts (real boundaries, lon/lat; the index works in UTM 16N).
const dataDir = process.env.COMMUNITY_SAFETY_DATA ?? join(resolve(dirname(fileURLToPath(import.meta.url)), ".."), "..", "shared", "data");
const districtsPath = join(dataDir, "chicago-aggravated-assaults-2010-2019", "chicago_police_districts.geojson");
if (existsSync(districtsPath)) {
  const districts = JSON.parse(readFileSync(districtsPath, "utf8")) as PolygonFeatureCollection;
  const crs = utmCrsFor(-87.7, 41.85);
  const { forward } = projector(crs);
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity, nv = 0;
  for (const f of districts.features) {
    for (const ring of f.geometry.coordinates as number[][][]) {
      nv += ring.length;
      for (const [lon, lat] of ring) {
        w = Math.min(w, lon); e = Math.max(e, lon); s = Math.min(s, lat); n = Math.max(n, lat);
      }
    }
  }
  const lons = new Float64Array(N), lats = new Float64Array(N), cx = new Float64Array(N), cy = new Float64Array(N);
  for (let i = 0; i < N; ++i) {
    lons[i] = w + rand() * (e - w);
    lats[i] = s + rand() * (n - s);
    [cx[i], cy[i]] = forward(lons[i], lats[i]);
  }
  console.log(`\nChicago: ${districts.features.length} district polygons, ${nv} vertices, ${N} points over the bounding box (${crs})`);
  let chicago = new PolygonIndex(polygonLayer(districts, { target: crs }).rings);
  time("polygonLayer + PolygonIndex build", 10, () => (chicago = new PolygonIndex(polygonLayer(districts, { target: crs }).rings)).features);
  const got = new Int32Array(N);
  time(`PolygonIndex.findEach ${N}`, 10, () => {
    chicago.findEach(cx, cy, got);
    let sum = 0;
    for (let i = 0; i < N; ++i) sum += got[i];
    return sum;
  });
  const tagged = districts.features.map((f, k) => ({ ...f, properties: { k } }));
  const cpolys = { type: "FeatureCollection", features: tagged } as unknown as Parameters<typeof turf.tag>[1];
  const cpts = turf.featureCollection(Array.from({ length: TURF_N }, (_, i) => turf.point([lons[i], lats[i]])));
  const cwarm = turf.featureCollection(Array.from({ length: Math.min(TURF_N, 10_000) }, (_, i) => turf.point([lons[i], lats[i]])));
  let differ = 0;
  time(
    `turf.tag ${TURF_N} (lon/lat)`,
    1,
    () => {
      const t = turf.tag(cpts, cpolys, "k", "k");
      for (let i = 0; i < TURF_N; ++i) if (((t.features[i].properties?.k as number | undefined) ?? -1) !== got[i]) ++differ;
      return t.features.length;
    },
    () => turf.tag(cwarm, cpolys, "k", "k").features.length,
  );
  console.log(`turf.tag vs PolygonIndex: ${differ} of ${TURF_N} points differ (turf's edges are straight in degrees, ours in metres)`);
}
