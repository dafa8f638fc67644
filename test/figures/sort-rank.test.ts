// Category bars and small multiples carry their order as a rank in the rows (withSortRank), not as
// a Vega-Lite sort array, so that each area's order is not a new chart to compile. The reference
// is Vega-Lite's own sort array (`sort: [...order]`, which it compiles into an index formula): the
// same spec with the array must draw the same SVG.
import { describe, it, expect, beforeEach } from "vitest";
import { categoryBarsFigure, clearCompileCache, compileCacheStats, monthlySeriesFigure, toSvg, type VegaLiteSpec } from "@community-safety/figures";

const serials = (svg: string) => svg.replace(/\bf[0-9a-z]+-/g, "F-").replace(/gradient_\d+/g, "gradient_N");
const CATS = ["Violence", "Burglary", "Drugs", "Shoplifting", "Criminal damage"];

const bars = (seed: number) => CATS.flatMap((category, k) => ["2020/21", "2021/22"].map((year, j) => ({ category, year, n: 10 + ((seed * 13 + k * 7 + j * 3) % 50) })));
/** The rows' categories by their later year's count, largest first (as the levels section orders them). */
const byCount = (rows: ReturnType<typeof bars>) => rows.filter((r) => r.year === "2021/22").sort((a, b) => b.n - a.n).map((r) => r.category);

/** The spec with Vega-Lite's sort array in place of the rank (and the rows without the rank). */
function withSortArray(spec: VegaLiteSpec, rankField: string, order: string[], at: (s: VegaLiteSpec) => Record<string, unknown>): VegaLiteSpec {
  const copy = structuredClone(spec) as VegaLiteSpec & { data: { values: Record<string, unknown>[] } };
  for (const r of copy.data.values) delete r[rankField];
  at(copy).sort = order;
  return copy;
}

describe("order as a rank in the rows (category bars, small multiples)", () => {
  beforeEach(() => clearCompileCache());

  it("category bars: the same SVG as Vega-Lite's sort array, for orders that differ by area", async () => {
    for (const seed of [1, 2, 3]) {
      const rows = bars(seed);
      const order = byCount(rows);
      const spec = categoryBarsFigure(rows, { order, title: `Area ${seed}: incidents by category` });
      expect((spec as { encoding: { y: { sort: unknown } } }).encoding.y.sort).toEqual({ field: "categoryRank", op: "min" });
      const reference = withSortArray(spec, "categoryRank", order, (s) => (s as unknown as { encoding: { y: Record<string, unknown> } }).encoding.y);
      expect(serials(await toSvg(spec))).toBe(serials(await toSvg(reference)));
      // The bars are drawn top to bottom in that order.
      const svg = await toSvg(spec);
      const labels = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).filter((t) => CATS.includes(t));
      expect(labels).toEqual(order);
    }
  });

  it("a category missing from the order comes after it, as with Vega-Lite's sort array", async () => {
    const rows = bars(4);
    const order = ["Drugs", "Violence"];
    const spec = categoryBarsFigure(rows, { order });
    const reference = withSortArray(spec, "categoryRank", order, (s) => (s as unknown as { encoding: { y: Record<string, unknown> } }).encoding.y);
    const labels = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).filter((t) => CATS.includes(t));
    const got = labels(await toSvg(spec));
    expect(got.slice(0, 2)).toEqual(order);
    expect(new Set(got)).toEqual(new Set(CATS));
    expect(labels(await toSvg(reference)).slice(0, 2)).toEqual(order);
  });

  it("small multiples: panels in the order given, the same SVG as a sort array", async () => {
    const months = Array.from({ length: 24 }, (_, k) => `${2021 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, "0")}-15`);
    const rows = ["Violence", "Burglary", "Drugs"].flatMap((series, j) => months.map((month, k) => ({ series, month, value: 40 + ((k * 7 + j * 11) % 30), line: "monthly count" as const })));
    const order = ["Drugs", "Violence", "Burglary"];
    const spec = monthlySeriesFigure(rows, { order });
    const reference = withSortArray(spec, "seriesRank", order, (s) => (s as unknown as { facet: Record<string, unknown> }).facet);
    expect(serials(await toSvg(spec))).toBe(serials(await toSvg(reference)));
  });

  it("two areas' different orders are one chart to compile", async () => {
    const a = bars(1);
    const b = bars(2);
    expect(byCount(a)).not.toEqual(byCount(b));
    await toSvg(categoryBarsFigure(a, { order: byCount(a), title: "Adur" })); // first sight: compiled as it is
    await toSvg(categoryBarsFigure(b, { order: byCount(b), title: "Arun" })); // second: the template is made
    const before = compileCacheStats();
    await toSvg(categoryBarsFigure(bars(3), { order: byCount(bars(3)), title: "Blaby" }));
    const after = compileCacheStats();
    expect(after.misses).toBe(before.misses);
    expect(after.hits).toBeGreaterThan(before.hits);
  });
});
