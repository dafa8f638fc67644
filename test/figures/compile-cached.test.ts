import { describe, it, expect, beforeEach } from "vitest";
import * as vega from "vega";
import {
  clearCompileCache,
  compileCacheStats,
  compileCached,
  compileVegaLite,
  parseCached,
  districtRatesFigure,
  monthlySeriesFigure,
  toSvg,
  xmrFigure,
  type VegaLiteSpec,
} from "@community-safety/figures";

// The reference is Vega-Lite itself: `compileVegaLite` (vl.compile on the whole spec, rows
// included). A cached compilation must be the same Vega spec, and draw the same SVG.

const months = (n: number, from = 2021) => Array.from({ length: n }, (_, k) => `${from + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, "0")}`);
/** Vega's per-process serials (figure id prefix, gradient numbers) differ between two renderings of one chart. */
const serials = (svg: string) => svg.replace(/\bf[0-9a-z]+-/g, "F-").replace(/gradient_\d+/g, "gradient_N");

const rates = (seed: number) =>
  ["Adur", "Arun", "Charnwood", "Melton", "Blaby"].map((district, k) => ({ district, rate: 20 + ((seed * 7 + k * 13) % 41), focus: k === seed % 5 }));
const series = (seed: number) =>
  ["Burglary", "Violence"].flatMap((name, j) => months(24).map((month, k) => ({ series: name, month: `${month}-15`, value: 100 + ((seed * 31 + k * 17 + j * 5) % 57), line: "monthly count" as const })));
const xmr = (seed: number) => {
  const m = months(18);
  const value = m.map((_, k) => 50 + ((seed * 11 + k * 5) % 23));
  const flat = (v: number) => m.map(() => v);
  return xmrFigure({ value, centre: flat(60), lower: flat(40), upper: flat(80) }, { special: value.map((v) => (v > 70 ? 1 : 0)) }, { months: m });
};

describe("compileCached: one compilation per chart, reused with other rows", () => {
  beforeEach(() => clearCompileCache());

  const cases: [string, (seed: number) => VegaLiteSpec][] = [
    ["district rates (two layers of rows)", (s) => districtRatesFigure(rates(s), { overall: 40 + s })],
    ["monthly series", (s) => monthlySeriesFigure(series(s))],
    ["XmR chart", xmr],
  ];

  for (const [name, make] of cases) {
    it(`${name}: the cached Vega spec is Vega-Lite's own, and the SVG the same`, async () => {
      const first = make(1);
      const second = make(2);
      // Same chart, other rows (the test is void if the two specs differ in more than rows).
      expect(JSON.stringify(first)).not.toBe(JSON.stringify(second));
      compileCached(first);
      const before = compileCacheStats();
      const cached = compileCached(second);
      const after = compileCacheStats();
      expect(after.hits).toBe(before.hits + 1);
      expect(JSON.stringify(cached)).toBe(JSON.stringify(compileVegaLite(second)));
      // Vega's parse reused too: the same runtime description as parsing Vega-Lite's compilation afresh.
      parseCached(first);
      expect(JSON.stringify(parseCached(second))).toBe(JSON.stringify(vega.parse(compileVegaLite(second) as vega.Spec)));
      // And through toSvg: the second rows drawn from the cache, against a fresh compilation.
      await toSvg(first);
      expect(serials(await toSvg(second))).toBe(serials(await toSvg(second, { cache: false })));
    });
  }

  it("puts the rows back by reference and does not mutate the input", () => {
    const spec = districtRatesFigure(rates(3), { overall: 41 });
    const copy = JSON.parse(JSON.stringify(spec));
    const rows = (spec as { layer: { data: { values: unknown[] } }[] }).layer[0].data.values;
    compileCached(spec);
    const out = compileCached(spec) as { data: { values?: unknown }[] };
    expect(out.data.some((d) => d.values === rows)).toBe(true);
    expect(spec).toEqual(copy);
  });

  it("parseCached gives a fresh runtime description each time, the rows by reference", () => {
    const spec = districtRatesFigure(rates(4), { overall: 42 });
    const rows = (spec as { layer: { data: { values: unknown[] } }[] }).layer[0].data.values;
    const a = parseCached(spec) as unknown as { operators: { value?: { $ingest?: unknown } }[] };
    const b = parseCached(spec) as unknown as { operators: { value?: { $ingest?: unknown } }[] };
    expect(a).not.toBe(b);
    expect(a.operators[0]).not.toBe(b.operators[0]);
    expect(b.operators.some((o) => o.value?.$ingest === rows)).toBe(true);
    // A View may change what it is given: changing one copy leaves the cache (and the next copy) as they were.
    a.operators.length = 0;
    expect(JSON.stringify(parseCached(spec))).toBe(JSON.stringify(b));
  });

  it("leaves primitive and empty rows in the skeleton (a different skeleton, no reuse)", () => {
    const spec = (values: unknown[]) => ({ data: { values }, mark: "bar", encoding: { x: { field: "data", type: "quantitative" } } });
    compileCached(spec([1, 2, 3]));
    compileCached(spec([4, 5]));
    compileCached(spec([]));
    expect(compileCacheStats().hits).toBe(0);
    expect(JSON.stringify(compileCached(spec([4, 5])))).toBe(JSON.stringify(compileVegaLite(spec([4, 5]))));
  });

  it("does not reuse a chart whose title or encoding differs", () => {
    const a = districtRatesFigure(rates(1), { overall: 40, title: "A" });
    const b = districtRatesFigure(rates(1), { overall: 40, title: "B" });
    compileCached(a);
    const out = compileCached(b) as { title?: { text?: unknown } };
    expect(compileCacheStats()).toMatchObject({ hits: 0, misses: 2 });
    expect(out.title?.text).toBe("B");
  });
});
