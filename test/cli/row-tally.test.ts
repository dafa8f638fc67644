// The report's row kernels (packages/cli/src/sections/row-tally.ts), against hand-worked tallies,
// and the sections that use them against what the loops they replaced gave (Map filled row by row).
import { describe, expect, it } from "vitest";
import { codesWhere, countFinite, firstOrder, quarterCellCounts, tallyCodes } from "../../packages/cli/src/sections/row-tally.js";

describe("tallyCodes / firstOrder", () => {
  it("counts each code and lists codes in the order of their first rows", () => {
    // rows: 2 0 2 3 0 2 → code 2 ×3 (first row 0), 0 ×2 (first 1), 3 ×1 (first 3); code 1 none.
    const t = tallyCodes(Uint8Array.of(2, 0, 2, 3, 0, 2), 5);
    expect([...t.counts]).toEqual([2, 0, 3, 1, 0]);
    expect([...t.first]).toEqual([1, -1, 0, 3, -1]);
    expect(firstOrder(t)).toEqual([2, 0, 3]);
  });
  it("gives the same order and counts as a Map filled row by row", () => {
    const codes = Uint16Array.from({ length: 500 }, (_, i) => (i * 7919) % 13);
    const m = new Map<number, number>();
    for (const c of codes) m.set(c, (m.get(c) ?? 0) + 1);
    const t = tallyCodes(codes, 13);
    expect(firstOrder(t).map((c) => [c, t.counts[c]])).toEqual([...m]);
  });
  it("with `finite`, counts only the rows with a finite value there (first rows among those)", () => {
    const t = tallyCodes(Uint8Array.of(1, 2, 1, 2), 3, Float64Array.of(NaN, 5, 3, Infinity));
    expect([...t.counts]).toEqual([0, 1, 1]);
    expect([...t.first]).toEqual([-1, 2, 1]);
    expect(firstOrder(t)).toEqual([2, 1]);
  });
  it("an empty table tallies nothing", () => {
    const t = tallyCodes(new Uint8Array(0), 3);
    expect(firstOrder(t)).toEqual([]);
    expect([...t.counts]).toEqual([0, 0, 0]);
  });
});

describe("codesWhere", () => {
  it("collects the codes on rows where the other column holds the code asked for", () => {
    // category codes 1 4 2 4 3, source codes 1 1 2 1 2 → with source 1: categories {1, 4}; with 2: {2, 3}.
    const cat = Uint8Array.of(1, 4, 2, 4, 3);
    const src = Uint8Array.of(1, 1, 2, 1, 2);
    expect([...codesWhere(cat, src, 1, 5)]).toEqual([1, 4]);
    expect([...codesWhere(cat, src, 2, 5)]).toEqual([2, 3]);
    expect([...codesWhere(cat, src, 3, 5)]).toEqual([]);
  });
});

describe("countFinite", () => {
  it("counts finite numbers only", () => {
    expect(countFinite(Float64Array.of(0, NaN, -1.5, Infinity, -Infinity, 2))).toBe(3);
    expect(countFinite(new Float64Array(0))).toBe(0);
  });
});

describe("quarterCellCounts", () => {
  it("counts rows per step and cell, leaving out rows outside the steps or with no cell", () => {
    // ordinals 5 6 6 7 9 4 with from = 5, 3 steps: steps 0 1 1 2 (out) (out); cells 0 1 1 -1 0 1.
    const out = quarterCellCounts(Int32Array.of(5, 6, 6, 7, 9, 4), 5, 3, Int32Array.of(0, 1, 1, -1, 0, 1), 2);
    expect(out.map((a) => [...a])).toEqual([
      [1, 0],
      [0, 2],
      [0, 0],
    ]);
  });
});
