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
      // Seen once, a chart is compiled as it is; its template is made when it comes again.
      compileCached(first);
      compileCached(first);
      const before = compileCacheStats();
      const cached = compileCached(second);
      const after = compileCacheStats();
      expect(after.hits).toBe(before.hits + 1);
      expect(JSON.stringify(cached)).toBe(JSON.stringify(compileVegaLite(second)));
      // Vega's parse reused too: the same runtime description as parsing Vega-Lite's compilation afresh.
      parseCached(first);
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
    compileCached(spec);
    const out = compileCached(spec) as { data: { values?: unknown }[] };
    expect(out.data.some((d) => d.values === rows)).toBe(true);
    expect(spec).toEqual(copy);
  });

  it("parseCached gives a fresh runtime description each time, the rows by reference", () => {
    const spec = districtRatesFigure(rates(4), { overall: 42 });
    const rows = (spec as { layer: { data: { values: unknown[] } }[] }).layer[0].data.values;
    parseCached(spec);
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

  it("does not reuse a chart whose encoding differs", () => {
    const a = districtRatesFigure(rates(1), { overall: 40, title: "A" });
    const b = JSON.parse(JSON.stringify(a)) as { layer: { encoding: { x?: { title?: string } } }[] };
    b.layer[0].encoding.x = { ...b.layer[0].encoding.x, title: "other axis title" };
    compileCached(a);
    compileCached(a);
    const out = compileCached(b as unknown as VegaLiteSpec);
    expect(compileCacheStats()).toMatchObject({ hits: 0, misses: 3 });
    expect(JSON.stringify(out)).toBe(JSON.stringify(compileVegaLite(b as unknown as VegaLiteSpec)));
  });

  // A map-like chart: two layers on one frame (scale domain and range numbers, width and height)
  // and a title, all differing from area to area as a report's maps do.
  const frameChart = (title: string, x0: number, x1: number, y0: number, y1: number, height: number, seed: number): VegaLiteSpec => {
    const x = { field: "x", type: "quantitative", scale: { domain: [x0, x1], range: [0, 400] }, axis: null };
    const y = { field: "y", type: "quantitative", scale: { domain: [y0, y1], range: [height, 0] }, axis: null };
    const pts = (n: number) => Array.from({ length: n }, (_, k) => ({ x: x0 + ((k * 37 + seed) % 100) * (x1 - x0) / 100, y: y0 + ((k * 61 + seed) % 100) * (y1 - y0) / 100, n: k + seed }));
    return {
      title,
      width: 400,
      height,
      layer: [
        { data: { values: pts(5) }, mark: { type: "rect", width: 6, height: 6 }, encoding: { x, y, color: { field: "n", type: "quantitative" } } },
        { data: { values: pts(3) }, mark: "circle", encoding: { x, y } },
      ],
    };
  };

  it("reuses a chart whose title, size or frame differs (the values are put back), as Vega-Lite and Vega would draw it", async () => {
    const a = frameChart("Adur: hot spots", 512000, 530000, 101000, 112000, 244, 1);
    const b = frameChart("Barnsley: \"hot\" spots – l'été\u2028", 427868.58, 453359.13, 58217.8, 81711.58, 367, 2);
    // The first sight compiles a as it is (no template: a chart drawn once costs one compilation).
    expect(JSON.stringify(compileCached(a))).toBe(JSON.stringify(compileVegaLite(a)));
    expect(compileCacheStats()).toMatchObject({ hits: 0, misses: 1, size: 1 });
    compileCached(a);
    const cached = compileCached(b);
    expect(compileCacheStats()).toMatchObject({ hits: 1, misses: 2 });
    // Vega-Lite's own compilation of b, b's title, height and domains included.
    expect(JSON.stringify(cached)).toBe(JSON.stringify(compileVegaLite(b)));
    expect(cached).toMatchObject({ title: { text: "Barnsley: \"hot\" spots – l'été\u2028" } });
    expect(JSON.stringify(cached)).toContain("453359.13");
    expect(JSON.stringify(cached)).not.toContain("Adur");
    parseCached(a);
    parseCached(a);
    expect(JSON.stringify(parseCached(b))).toBe(JSON.stringify(vega.parse(compileVegaLite(b) as vega.Spec)));
    await toSvg(a);
    expect(serials(await toSvg(b))).toBe(serials(await toSvg(b, { cache: false })));
  });

  it("does not reuse a compilation where Vega-Lite writes a value into an expression (a temporal scale's domain)", async () => {
    const spec = (t0: number, t1: number) => ({ data: { values: [{ t: t0, v: 1 }, { t: t1, v: 2 }] }, mark: "line", encoding: { x: { field: "t", type: "temporal", scale: { domain: [t0, t1] } }, y: { field: "v", type: "quantitative" } } });
    const first = spec(Date.UTC(2021, 3, 1), Date.UTC(2022, 2, 1));
    const second = spec(Date.UTC(2019, 3, 1), Date.UTC(2020, 2, 1));
    expect(JSON.stringify(compileCached(first))).toBe(JSON.stringify(compileVegaLite(first)));
    expect(JSON.stringify(compileCached(second))).toBe(JSON.stringify(compileVegaLite(second)));
    // Vega names the data sets its expressions make with a per-process counter ("_:vega:_0"), so two parses differ there only.
    const anonymous = (r: unknown) => JSON.stringify(r).replace(/_:vega:_\d+/g, "_:vega:_N");
    expect(anonymous(parseCached(second))).toBe(anonymous(vega.parse(compileVegaLite(second) as vega.Spec)));
    expect(anonymous(parseCached(second))).toContain(String(Date.UTC(2019, 3, 1)));
    expect(serials(await toSvg(second))).toBe(serials(await toSvg(second, { cache: false })));
  });
});
