import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { seededRandom } from "@community-safety/core";
import { distanceBandNeighbours } from "@community-safety/geo";
import { fixturePath } from "../helpers/data.js";
import { thrownInputError } from "../helpers/errors.js";

// test/fixtures/geo/local-stats.json is written by local-stats.R (R 4.2.2, spdep 1.2-7):
// "six.nb" = spdep::dnearneigh(points, 0, 15) for the six points of PySAL esda's G_Local docs.
const fixture = JSON.parse(readFileSync(fixturePath("geo", "local-stats.json"), "utf8"));
const six = fixture.six as { x: number[]; y: number[]; band: number; nb: number[][] };

const rows = (nb: { offsets: Int32Array; indices: Int32Array }) =>
  Array.from({ length: nb.offsets.length - 1 }, (_, i) => Array.from(nb.indices.subarray(nb.offsets[i], nb.offsets[i + 1])));

/** Brute force: every pair within the band (the independent check). */
function bruteForce(x: Float64Array, y: Float64Array, band: number, self: boolean): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < x.length; ++i) {
    const r: number[] = [];
    for (let j = 0; j < x.length; ++j) {
      if (j === i && !self) continue;
      if (Math.hypot(x[i] - x[j], y[i] - y[j]) <= band) r.push(j);
    }
    out.push(r);
  }
  return out;
}

describe("distanceBandNeighbours", () => {
  it("distanceBandNeighbours(x, y, 15) equals spdep::dnearneigh(0, 15) on the esda six-point example", () => {
    const nb = distanceBandNeighbours(six.x, six.y, six.band);
    expect(rows(nb)).toEqual(six.nb); // R 4.2.2, spdep 1.2-7 (0-based here)
    expect(Array.from(nb.offsets)).toEqual([0, 2, 5, 6, 9, 13, 14]); // the TSDoc example
  });

  it("keeps a neighbour exactly on the band ((15,20)–(30,20) is 15 m) and includeSelf adds each cell once, in order", () => {
    const nb = distanceBandNeighbours(six.x, six.y, 15, { includeSelf: true, tolerance: 0 });
    expect(rows(nb)).toEqual(six.nb.map((r, i) => [...r, i].sort((a, b) => a - b)));
  });

  it("matches a brute-force pair search on 2,000 seeded points", () => {
    const rng = seededRandom(7);
    const n = 2000;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; ++i) {
      x[i] = 450000 + rng.uniform() * 5000;
      y[i] = 310000 + rng.uniform() * 5000;
    }
    // tolerance 0 so that both sides use the same rule (d ≤ band)
    expect(rows(distanceBandNeighbours(x, y, 180, { tolerance: 0 }))).toEqual(bruteForce(x, y, 180, false));
    expect(rows(distanceBandNeighbours(x, y, 180, { tolerance: 0, includeSelf: true }))).toEqual(bruteForce(x, y, 180, true));
  });

  it("the default tolerance keeps all 8 queen neighbours on a 99.9 m grid with band = c√2 (the oracle's round-off case)", () => {
    const c = 99.9;
    const nx = 30;
    const x: number[] = [];
    const y: number[] = [];
    for (let r = 0; r < nx; ++r) for (let k = 0; k < nx; ++k) {
      x.push(455000 + (k + 0.5) * c);
      y.push(318000 + (r + 0.5) * c);
    }
    const nb = distanceBandNeighbours(x, y, c * Math.SQRT2);
    for (let r = 1; r < nx - 1; ++r) for (let k = 1; k < nx - 1; ++k) {
      const i = r * nx + k;
      expect(nb.offsets[i + 1] - nb.offsets[i]).toBe(8);
    }
    // corners have 3
    expect(nb.offsets[1] - nb.offsets[0]).toBe(3);
  });

  it("treats two distinct points at the same place as neighbours (spdep bounds GE/LE)", () => {
    const nb = distanceBandNeighbours([0, 0, 50], [0, 0, 0], 10);
    expect(rows(nb)).toEqual([[1], [0], []]);
  });

  it("returns an empty list for no points and does not change its inputs", () => {
    const e = distanceBandNeighbours([], [], 100);
    expect(Array.from(e.offsets)).toEqual([0]);
    expect(e.indices.length).toBe(0);
    const x = new Float64Array(six.x);
    const y = new Float64Array(six.y);
    distanceBandNeighbours(x, y, 15);
    expect(Array.from(x)).toEqual(six.x);
    expect(Array.from(y)).toEqual(six.y);
  });

  it("throws InputError with a code for bad input", () => {
    expect(thrownInputError(() => distanceBandNeighbours([1, 2], [1], 10)).code).toBe("length-mismatch");
    const e = thrownInputError(() => distanceBandNeighbours([1, Number.NaN], [1, 2], 10));
    expect(e.code).toBe("invalid-coordinate");
    expect(e.message).toBe("distanceBandNeighbours: x[1] must be a finite number, got NaN");
    expect(thrownInputError(() => distanceBandNeighbours([1], [1], 0)).message).toBe(
      "distanceBandNeighbours: distance must be a positive finite number of metres, got 0",
    );
    expect(thrownInputError(() => distanceBandNeighbours([1], [1], 10, { tolerance: -1 })).code).toBe("invalid-option");
    expect(thrownInputError(() => distanceBandNeighbours([1], [1], 10, { includeSelf: 1 as unknown as boolean })).code).toBe("invalid-option");
  });
});
