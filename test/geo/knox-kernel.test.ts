/**
 * knoxTest's SIMD kernel (packages/geo/src/knox-kernel.ts, internal): eight arrangements of the
 * days counted in one pass must give, lane by lane, what a plain loop over the close pairs
 * gives, including a band of one event with more partners than a 16-bit lane can count (the
 * kernel adds its lane counters to memory every 65,535 pairs).
 */
import { describe, it, expect } from "vitest";
import { seededRandom } from "@community-safety/core";
import { LANES, bandCountsSimd } from "../../packages/geo/src/knox-kernel.js"; // internal, not in the index

/** out[(d * M + m) * 8 + p] by a plain loop: pairs in band d with |gap| < limits[m] in lane p. */
function plainCounts(offsets: Int32Array, partners: Int32Array, n: number, nd: number, limits: number[], days: number[][]): number[] {
  const M = limits.length;
  const out = new Array<number>(nd * M * LANES).fill(0);
  for (let a = 0; a < n; ++a) {
    for (let d = 0; d < nd; ++d) {
      for (let k = offsets[a * nd + d]; k < offsets[a * nd + d + 1]; ++k) {
        for (let p = 0; p < LANES; ++p) {
          const g = Math.abs(days[p][a] - days[p][partners[k]]);
          for (let m = 0; m < M; ++m) if (g < limits[m]) out[(d * M + m) * LANES + p] += 1;
        }
      }
    }
  }
  return out;
}

function run(offsets: Int32Array, partners: Int32Array, n: number, nd: number, limits: number[], days: number[][]): number[] {
  const simd = bandCountsSimd(offsets, partners, n, nd, limits);
  expect(simd, "WebAssembly SIMD available").not.toBeNull();
  for (let p = 0; p < LANES; ++p) for (let k = 0; k < n; ++k) simd!.times[k * LANES + p] = days[p][k];
  simd!.count();
  return Array.from(simd!.out);
}

describe("bandCountsSimd (knoxTest's eight-permutation kernel)", () => {
  it("bandCountsSimd(pairs, limits) counts gaps below each limit per band and lane as a plain loop does (random CSR pairs, empty bands, days up to 32,766)", () => {
    const rng = seededRandom(13);
    for (const [n, nd, limits, span] of [
      [200, 3, [7, 14, 21, 28, 35], 730],
      [50, 1, [1], 3],
      [300, 4, [3, 100, 5000, 32767], 32767],
      [120, 2, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 20],
    ] as const) {
      const offsets = new Int32Array(n * nd + 1);
      const partners: number[] = [];
      for (let a = 0; a < n; ++a) {
        for (let d = 0; d < nd; ++d) {
          offsets[a * nd + d] = partners.length;
          const many = rng.uniform() < 0.2 ? 0 : rng.int(30); // some bands empty
          for (let q = 0; q < many && a + 1 < n; ++q) partners.push(a + 1 + rng.int(n - a - 1));
        }
      }
      offsets[n * nd] = partners.length;
      const days = Array.from({ length: LANES }, () => Array.from({ length: n }, () => rng.int(span)));
      const P = Int32Array.from(partners);
      expect(run(offsets, P, n, nd, [...limits], days), `n = ${n}`).toEqual(plainCounts(offsets, P, n, nd, [...limits], days));
    }
  });

  it("bandCountsSimd(pairs, limits) counts past 65,535 pairs in one event's band (16-bit lane counters added to memory in chunks)", () => {
    const n = 150_001; // event 0 with 150,000 partners in band 0, none elsewhere
    const offsets = new Int32Array(n + 1).fill(150_000);
    offsets[0] = 0;
    const partners = Int32Array.from({ length: 150_000 }, (_, k) => k + 1);
    const days = Array.from({ length: LANES }, (_, p) => Array.from({ length: n }, (_, k) => (k === 0 ? 0 : (k * (p + 1)) % 10)));
    const out = run(offsets, partners, n, 1, [1, 5, 10], days);
    // Lane p: partner k has gap (k (p + 1)) mod 10; counted by hand per residue.
    for (let p = 0; p < LANES; ++p) {
      const below = [1, 5, 10].map((lim) => {
        let c = 0;
        for (let k = 1; k < n; ++k) if ((k * (p + 1)) % 10 < lim) ++c;
        return c;
      });
      expect([out[p], out[LANES + p], out[2 * LANES + p]], `lane ${p}`).toEqual(below);
    }
    expect(out[2 * LANES]).toBe(150_000);
  });
});
