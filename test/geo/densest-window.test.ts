/**
 * densestWindow: exact densest square / disc, against brute force (in R and here), the
 * synthetic borough's planted town-centre square, and Charnwood police.uk violence.
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { InputError, clockFor, dictValue, lsoaNamePrefixTest, projector, seededRandom, selectRows, syntheticBorough } from "@community-safety/core";
import { readPoliceUkFiles } from "@community-safety/core/node";
import { densestWindow } from "@community-safety/geo";
import { dataPath, fixturePath } from "../helpers/data.js";

interface SmallCase {
  seed: number;
  x: number[];
  y: number[];
  sides: number[];
  squareCounts: number[];
  radii: number[];
  circleCounts: number[];
}
const oracle = JSON.parse(readFileSync(fixturePath("geo", "densest_window.json"), "utf8")) as {
  small: SmallCase[];
  charnwood: {
    rows: number;
    located: number;
    square: { side: number; count: number; share: number; x0: number; y0: number; topLocation: string; topLocationCount: number };
    circle: { radius: number; count: number; x: number; y: number };
  };
};

/** Brute force: every left edge at a point's x, bottom edge at a point's y (O(n³)). */
function bruteSquare(x: ArrayLike<number>, y: ArrayLike<number>, s: number): number {
  let best = 0;
  for (let a = 0; a < x.length; ++a) {
    for (let b = 0; b < y.length; ++b) {
      const x0 = x[a], y0 = y[b];
      let c = 0;
      for (let i = 0; i < x.length; ++i) if (x[i] >= x0 && x[i] < x0 + s && y[i] >= y0 && y[i] < y0 + s) ++c;
      best = Math.max(best, c);
    }
  }
  return best;
}

/** Brute force: discs centred on each point and on the two centres through each pair (O(n³)). */
function bruteCircle(x: ArrayLike<number>, y: ArrayLike<number>, r: number): number {
  const cand: [number, number][] = [];
  for (let i = 0; i < x.length; ++i) cand.push([x[i], y[i]]);
  for (let i = 0; i < x.length; ++i) {
    for (let j = i + 1; j < x.length; ++j) {
      const dx = x[j] - x[i], dy = y[j] - y[i], d = Math.hypot(dx, dy);
      if (d === 0 || d > 2 * r) continue;
      const mx = (x[i] + x[j]) / 2, my = (y[i] + y[j]) / 2, h = Math.sqrt(Math.max(0, r * r - (d * d) / 4));
      cand.push([mx - (dy / d) * h, my + (dx / d) * h], [mx + (dy / d) * h, my - (dx / d) * h]);
    }
  }
  const r2 = r * r * (1 + 1e-9) ** 2;
  let best = 0;
  for (const [cx, cy] of cand) {
    let c = 0;
    for (let i = 0; i < x.length; ++i) if ((x[i] - cx) ** 2 + (y[i] - cy) ** 2 <= r2) ++c;
    best = Math.max(best, c);
  }
  return best;
}

function countSquare(x: ArrayLike<number>, y: ArrayLike<number>, x0: number, y0: number, s: number, keep: (i: number) => boolean = () => true): number {
  let c = 0;
  for (let i = 0; i < x.length; ++i) if (keep(i) && x[i] >= x0 && x[i] < x0 + s && y[i] >= y0 && y[i] < y0 + s) ++c;
  return c;
}

describe("densestWindow(points, options) against brute force", () => {
  it("matches the R brute force (densest_window.R) on 12 seeded sets with duplicates and lattice ties", () => {
    for (const c of oracle.small) {
      c.sides.forEach((side, k) => {
        // R 4.2.2, densest_window.R best_square(x, y, side)
        expect(densestWindow({ x: c.x, y: c.y }, { shape: "square", side }).count, `seed ${c.seed} side ${side}`).toBe(c.squareCounts[k]);
      });
      c.radii.forEach((radius, k) => {
        // R 4.2.2, densest_window.R best_circle(x, y, radius)
        expect(densestWindow({ x: c.x, y: c.y }, { shape: "circle", radius }).count, `seed ${c.seed} radius ${radius}`).toBe(c.circleCounts[k]);
      });
    }
  });

  it("matches an O(n³) brute force on 120 seeded sets, and the reported window holds exactly `count` points", () => {
    for (let seed = 1; seed <= 120; ++seed) {
      const rng = seededRandom(seed);
      const n = 3 + rng.int(50);
      const lattice = seed % 2 === 0;
      const x: number[] = [], y: number[] = [];
      for (let i = 0; i < n; ++i) {
        let a = rng.range(0, 100), b = rng.range(0, 100);
        if (lattice) [a, b] = [Math.round(a / 5) * 5, Math.round(b / 5) * 5];
        x.push(a);
        y.push(b);
      }
      const side = 5 + rng.int(40);
      const sq = densestWindow({ x, y }, { shape: "square", side });
      expect(sq.count, `square seed ${seed}`).toBe(bruteSquare(x, y, side));
      const [x0, y0] = sq.bounds!;
      expect(countSquare(x, y, x0, y0, side)).toBe(sq.count);
      expect(sq.x! - x0).toBeCloseTo(side / 2, 9);
      const ci = densestWindow({ x, y }, { shape: "circle", radius: side / 2 });
      expect(ci.count, `circle seed ${seed}`).toBe(bruteCircle(x, y, side / 2));
      const r2 = (side / 2) ** 2 * (1 + 1e-9) ** 2;
      expect(x.filter((_, i) => (x[i] - ci.x!) ** 2 + (y[i] - ci.y!) ** 2 <= r2).length).toBe(ci.count);
      expect([...ci.indices]).toEqual(x.map((_, i) => i).filter((i) => (x[i] - ci.x!) ** 2 + (y[i] - ci.y!) ** 2 <= r2));
    }
  });

  it("uses half-open square edges [x, x + side) × [y, y + side), as grid cells (hand-worked)", () => {
    const pts = { x: [0, 10, 0], y: [0, 0, 10] };
    // Any side-10 square holding (0,0) has x0 ≤ 0, so (10,0) at x0 + 10 ≤ 10 is outside: best is 1.
    expect(densestWindow(pts, { shape: "square", side: 10 }).count).toBe(1);
    expect(densestWindow(pts, { shape: "square", side: 10.001 }).count).toBe(3);
  });

  it("uses closed discs: two points 10 apart fit a radius-5 disc (hand-worked)", () => {
    const pts = { x: [0, 10, 40], y: [0, 0, 0] };
    const w = densestWindow(pts, { shape: "circle", radius: 5 });
    expect(w.count).toBe(2);
    expect(w.x).toBeCloseTo(5, 9);
    expect(w.y).toBeCloseTo(0, 9);
    expect(densestWindow(pts, { shape: "circle", radius: 4.99 }).count).toBe(1);
  });

  it("names the window by its most common location, and skips points without coordinates", () => {
    const w = densestWindow(
      { x: [0, 1, 2, 50, NaN], y: [0, 1, 2, 50, 3], location: ["Mill Lane", "High Street", "High Street", "Far Road", "High Street"], crs: "EPSG:27700" },
      { shape: "square", side: 10 },
    );
    expect(w.count).toBe(3);
    expect(w.total).toBe(4);
    expect(w.unlocated).toBe(1);
    expect(w.share).toBe(0.75);
    expect(w.place).toBe("High Street");
    expect([...w.indices]).toEqual([0, 1, 2]);
    expect(w.sentence).toBe("75% of incidents (3 of 4 located incidents) fell within a 10 m square around High Street.");
    // Without a location the sentence gives the grid reference of the centre (1, 1).
    const v = densestWindow({ x: [0, 1, 2, 50], y: [0, 1, 2, 50], crs: "EPSG:27700" }, { shape: "square", side: 10 });
    expect(v.sentence).toContain("around grid reference E 1 N 1.");
  });

  it("gives an empty result with a reason when nothing is located", () => {
    const w = densestWindow({ x: [NaN], y: [NaN] }, { shape: "circle", radius: 100 });
    expect(w).toMatchObject({ count: 0, total: 0, unlocated: 1, share: null, x: null, y: null, lon: null, geojson: null, reason: "no located incidents" });
    expect(densestWindow({ x: [], y: [] }, { shape: "square", side: 1 }).count).toBe(0);
  });

  it("does not mutate its input", () => {
    const x = [5, 1, 3, 1], y = [2, 8, 1, 8];
    densestWindow({ x, y }, { shape: "square", side: 3 });
    densestWindow({ x, y }, { shape: "circle", radius: 3 });
    expect(x).toEqual([5, 1, 3, 1]);
    expect(y).toEqual([2, 8, 1, 8]);
  });

  it("throws InputError with codes for bad options", () => {
    const pts = { x: [0], y: [0] };
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return [(e as InputError).code, (e as Error).message];
      }
      return null;
    };
    expect(code(() => densestWindow(pts, { shape: "hexagon" as "square", side: 1 }))).toEqual(["invalid-option", 'densestWindow: shape must be "square" or "circle", got "hexagon"']);
    expect(code(() => densestWindow(pts, { shape: "square" }))).toEqual(["invalid-option", "densestWindow: side must be a positive number of metres, got undefined"]);
    expect(code(() => densestWindow(pts, { shape: "square", side: 1, radius: 1 }))?.[0]).toBe("invalid-option");
    expect(code(() => densestWindow(pts, { shape: "circle", side: 1 }))?.[0]).toBe("invalid-option");
    expect(code(() => densestWindow(pts, { shape: "circle", radius: -1 }))?.[0]).toBe("invalid-option");
    expect(code(() => densestWindow(pts, { shape: "circle", radius: 1, categories: ["burglary"] }))?.[0]).toBe("invalid-option");
    expect(code(() => densestWindow({ x: [0, 1], y: [0] }, { shape: "circle", radius: 1 }))?.[0]).toBe("length-mismatch");
    const { table } = syntheticBorough({ seed: 3, scale: 200, years: 1 });
    expect(code(() => densestWindow(table, { shape: "circle", radius: 1, categories: [] }))?.[0]).toBe("unknown-category");
  });
});

describe("densestWindow on the synthetic borough", () => {
  const { table, truths } = syntheticBorough({ seed: 1 });
  const violent = (i: number) => dictValue(table.category, i) === "violent-crime" && !Number.isNaN(table.x[i]);

  it("finds a 1 km square over the planted town-centre square holding at least its 21% of violence", () => {
    const w = densestWindow(table, { shape: "square", side: 1000, categories: ["violent-crime"] });
    let total = 0;
    for (let i = 0; i < table.length; ++i) if (violent(i)) ++total;
    // Planted truth (SYNTHETIC_BOROUGH.md): 21% of violent crime in [455000, 456000) × [318000, 319000).
    const planted = countSquare(table.x, table.y, 455000, 318000, 1000, violent);
    const share = truths.violenceCentre.share;
    expect(share).toBe(0.21);
    expect(Math.abs(planted / total - share)).toBeLessThan(3 * Math.sqrt((share * (1 - share)) / total));
    expect(w.total).toBe(total);
    expect(w.count).toBeGreaterThanOrEqual(planted);
    expect(countSquare(table.x, table.y, w.bounds![0], w.bounds![1], 1000, violent)).toBe(w.count);
    // It lies over the planted square: centre inside it and most of its area shared.
    const [x0, y0, x1, y1] = w.bounds!;
    expect(w.x! >= 455000 && w.x! < 456000 && w.y! >= 318000 && w.y! < 319000).toBe(true);
    const overlap = (Math.min(x1, 456000) - Math.max(x0, 455000)) * (Math.min(y1, 319000) - Math.max(y0, 318000));
    expect(overlap / 1e6).toBeGreaterThan(0.8);
    expect(w.sentence).toMatch(/^2\d% of violent crime \([\d,]+ of [\d,]+ located incidents\) fell within a 1 km square around .+\.$/);
    expect(w.place).not.toBeNull();
  });

  it("finds a 500 m radius disc in the town centre, and returns GeoJSON in lon/lat", () => {
    const w = densestWindow(table, { shape: "circle", radius: 500, categories: ["violent-crime"] });
    let inside = 0;
    for (let i = 0; i < table.length; ++i) if (violent(i) && Math.hypot(table.x[i] - w.x!, table.y[i] - w.y!) <= 500 * (1 + 1e-9)) ++inside;
    expect(inside).toBe(w.count);
    expect(w.x! > 455000 && w.x! < 456000 && w.y! > 318000 && w.y! < 319000).toBe(true);
    const fc = w.geojson!;
    expect(fc.features.map((f) => f.properties.role)).toEqual(["window", "centre"]);
    const ring = (fc.features[0].geometry as { coordinates: number[][][] }).coordinates[0];
    expect(ring.length).toBe(65);
    expect(ring[0]).toEqual(ring[64]);
    const { forward } = projector("EPSG:27700");
    for (const [lon, lat] of ring) {
      const [px, py] = forward(lon, lat);
      expect(Math.hypot(px - w.x!, py - w.y!)).toBeCloseTo(500, 2); // proj4 round trip (Helmert) is good to ~1 mm
    }
    expect(fc.features[1].geometry.coordinates).toEqual([w.lon, w.lat]);
    const [cx, cy] = forward(w.lon!, w.lat!);
    expect(cx).toBeCloseTo(w.x!, 2);
    expect(cy).toBeCloseTo(w.y!, 2);
  });
});

describe("densestWindow on Charnwood police.uk violence, 2021/22", async () => {
  const { table: all } = await readPoliceUkFiles(dataPath("policeuk-leicestershire", "county-2019-12_2022-10"));
  const charnwood = lsoaNamePrefixTest(all, "Charnwood");
  const clock = clockFor("Europe/London");
  const from = clock.fromLocal(2021, 4, 1);
  const to = clock.fromLocal(2022, 4, 1);
  const table = selectRows(all, (i) => charnwood(i) && all.start[i] >= from && all.start[i] < to);

  it("finds the densest 1 km square in Loughborough town centre: 18% of violence (R brute force: 1,014 of 5,734)", () => {
    const w = densestWindow(table, { shape: "square", side: 1000, categories: ["violent-crime"] });
    // R 4.2.2 + sf 1.0-9 (PROJ 9.1.0), densest_window.R: best 1 km square over the raw CSVs.
    expect(w.total).toBe(oracle.charnwood.located);
    expect(w.count).toBe(oracle.charnwood.square.count);
    expect(w.share).toBeCloseTo(oracle.charnwood.square.share, 12);
    // Brute-force recount around the reported centre.
    const isViolent = (i: number) => dictValue(table.category, i) === "violent-crime";
    expect(countSquare(table.x, table.y, w.x! - 500, w.y! - 500, 1000, isViolent)).toBe(w.count);
    // Same points as R's (anchored) square, so the same most common street.
    expect(countSquare(table.x, table.y, oracle.charnwood.square.x0, oracle.charnwood.square.y0, 1000, isViolent)).toBe(w.count);
    expect(w.place).toBe(oracle.charnwood.square.topLocation);
    // Loughborough town centre (Market Place is near 52.7723 N, 1.2062 W).
    expect(Math.abs(w.lat! - 52.7723)).toBeLessThan(0.008);
    expect(Math.abs(w.lon! + 1.2062)).toBeLessThan(0.012);
    expect(w.sentence).toBe(`18% of violent crime (1,014 of 5,734 located incidents) fell within a 1 km square around ${oracle.charnwood.square.topLocation}.`);
  });

  it("finds the densest 500 m radius disc (R brute force over pair-circle centres)", () => {
    const w = densestWindow(table, { shape: "circle", radius: 500, categories: ["violent-crime"] });
    // R 4.2.2, densest_window.R best_circle(x, y, 500)
    expect(w.count).toBe(oracle.charnwood.circle.count);
    let inside = 0;
    for (let i = 0; i < table.length; ++i) {
      if (dictValue(table.category, i) === "violent-crime" && Math.hypot(table.x[i] - w.x!, table.y[i] - w.y!) <= 500 * (1 + 1e-9)) ++inside;
    }
    expect(inside).toBe(w.count);
    expect(Math.hypot(w.x! - oracle.charnwood.circle.x, w.y! - oracle.charnwood.circle.y)).toBeLessThan(1000);
  });
});
