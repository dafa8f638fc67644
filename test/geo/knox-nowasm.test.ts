/**
 * knoxTest without WebAssembly (a page whose Content-Security-Policy forbids compiling it, or
 * a runtime without it): the whole-day gap histogram runs in JavaScript and must give exactly
 * what the WebAssembly kernel gives (values recorded in knox-counting.test.ts from the
 * previous implementation, commit 5c52714).
 */
import { afterAll, beforeAll, describe, it, expect, vi } from "vitest";
import { seededRandom } from "@community-safety/core";
import { knoxTest } from "@community-safety/geo";

describe("knoxTest without WebAssembly", () => {
  // The kernel module is compiled on first use, so no knoxTest may run in this file before this.
  beforeAll(() => vi.stubGlobal("WebAssembly", undefined));
  afterAll(() => vi.unstubAllGlobals());

  it("knoxTest(events) counts whole-day gaps in JavaScript with the same results as before (same seed, same p-values)", () => {
    const rng = seededRandom(1); // case 1 of knox-counting.test.ts
    const n = 30 + rng.int(400);
    const x: number[] = [], y: number[] = [], t: number[] = [];
    for (let i = 0; i < n; ++i) {
      x.push(Math.round(rng.range(0, 2000)));
      y.push(Math.round(rng.range(0, 2000)));
      t.push(rng.int(100) + 18000);
    }
    const r = knoxTest({ x, y, t }, { distanceBands: [0, 100, 200, 400], timeBands: [0, 3, 7, 14, 30], permutations: 199, seed: 1 });
    expect(r.method).toContain("whole-day gaps (JavaScript)");
    expect(r.cells.map((c) => c.observed)).toEqual([12, 32, 44, 70, 53, 78, 145, 208, 171, 242, 445, 797]);
    expect(r.cells.map((c) => c.pValue)).toEqual([0.93, 0.15, 0.355, 0.74, 0.295, 0.36, 0.005, 0.7, 0.72, 0.97, 0.17, 0.14]);
    expect(r.cells[11].meanPermuted).toBe(768.4472361809045);
  });
});
