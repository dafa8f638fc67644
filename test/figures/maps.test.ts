import { describe, it, expect } from "vitest";
import { polygonLayer } from "@community-safety/geo";
import {
  areaMapFigure,
  emergingHotspotsMapFigure,
  gridMapFigure,
  labelPoint,
  layerBounds,
  mapFrame,
  metreFeatures,
  outline,
  streetCircleRadius,
  toSvg,
  topStreetsMapFigure,
  EMERGING_MAP_PATTERNS,
  GISTAR_CLASSES,
  type MapContext,
  type VegaLiteSpec,
} from "@community-safety/figures";

// Two wards side by side near Loughborough (lon/lat), sharing an edge; drawn in British National Grid metres.
const square = (name: string, lon: number) => ({
  type: "Feature" as const,
  properties: { name },
  geometry: { type: "Polygon" as const, coordinates: [[[lon, 52.76], [lon + 0.02, 52.76], [lon + 0.02, 52.78], [lon, 52.78], [lon, 52.76]]] },
});
const layer = polygonLayer({ type: "FeatureCollection", features: [square("Loughborough Lemyngton", -1.22), square("Loughborough Storer", -1.2)] }, { target: "EPSG:27700" });
const keep = Uint8Array.of(1, 1);
const frame = mapFrame(layerBounds(layer)!, "EPSG:27700");
const ctx: MapContext = {
  frame,
  areas: {
    layer,
    key: "name",
    label: "ward",
    keep,
    rule: "every ward",
    labelPoints: [labelPoint(layer, 0), labelPoint(layer, 1)],
    names: [{ town: "Loughborough", short: "Lemyngton" }, { town: "Loughborough", short: "Storer" }],
  },
  edge: { feature: outline(layer, () => true)!, bounds: layerBounds(layer)!, source: "areas" },
  drawn: layerBounds(layer),
};
const [x0, y0, x1, y1] = layerBounds(layer)!;
const cx = (x0 + x1) / 2;
const cy = (y0 + y1) / 2;

type Layer = { data?: { values: Record<string, unknown>[] }; mark: { type: string; [k: string]: unknown }; encoding?: Record<string, Record<string, unknown>> };
const layers = (spec: VegaLiteSpec) => spec.layer as Layer[];
const texts = (spec: VegaLiteSpec) => layers(spec).filter((l) => l.mark.type === "text").flatMap((l) => l.data!.values.map((v) => v.label));

describe("gridMapFigure", () => {
  const cells = [
    { x: cx - 250, x2: cx, y: cy - 250, y2: cy, count: 7, cls: "hot (q < 0.01)", kde: 12.5 },
    { x: cx, x2: cx + 250, y: cy, y2: cy + 250, count: 2, cls: "not significant", kde: 3.25 },
  ];

  it("gridMapFigure(ctx, cells) draws the cells given, coloured by Gi* class, with the hot spots' numbers and the areas' names", async () => {
    const spec = gridMapFigure(ctx, cells, { title: "Gi*", labels: [{ x: cx - 125, y: cy - 125, text: "1", kind: "feature", radius: 4 }] });
    const rect = layers(spec).find((l) => l.mark.type === "rect")!;
    expect(rect.data!.values).toEqual(cells);
    expect(rect.encoding!.color).toMatchObject({ field: "cls", type: "nominal", scale: { domain: [...GISTAR_CLASSES] } });
    expect(spec).toMatchObject({ title: "Gi*", width: frame.width, height: frame.height });
    expect(texts(spec)).toEqual(expect.arrayContaining(["1", "Loughborough"]));
    const svg = await toSvg(spec);
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain("Gi*");
  });

  it("gridMapFigure(ctx, cells, {measure: \"kde\", box}) colours by density and outlines the box dashed", async () => {
    const box = [cx - 500, cy - 500, cx + 500, cy + 500] as const;
    const spec = gridMapFigure(ctx, cells, { measure: "kde", box });
    const rects = layers(spec).filter((l) => l.mark.type === "rect");
    expect(rects[0].encoding!.color).toMatchObject({ field: "kde", type: "quantitative" });
    expect(rects[1].data!.values).toEqual([{ x: box[0], x2: box[2], y: box[1], y2: box[3] }]);
    expect(rects[1].mark.strokeDash).toEqual([4, 3]);
    expect(await toSvg(spec)).toMatch(/^<svg/);
  });

  it("gridMapFigure hides its cells from assistive technology (no per-cell aria-label) but draws each one", async () => {
    // Four cells, one per Gi* class colour used; each is drawn (its fill is in the SVG) and none is labelled.
    const four = [
      { x: cx - 500, x2: cx - 250, y: cy, y2: cy + 250, cls: "hot (q < 0.001)" },
      { x: cx - 250, x2: cx, y: cy, y2: cy + 250, cls: "hot (q < 0.01)" },
      { x: cx, x2: cx + 250, y: cy, y2: cy + 250, cls: "hot (q < 0.05)" },
      { x: cx + 250, x2: cx + 500, y: cy, y2: cy + 250, cls: "cold (q < 0.05)" },
    ];
    const svg = await toSvg(gridMapFigure(ctx, four, { title: "Gi* cells" }));
    expect(svg).not.toMatch(/aria-roledescription="rect mark"/);
    expect(svg).not.toMatch(/aria-label="x: /);
    // The four classes' colours (GISTAR_COLOURS), each on a drawn cell path; the title stays readable.
    for (const colour of ["#a50f15", "#de2d26", "#fc9272", "#3182bd"]) expect(svg).toMatch(new RegExp(`<path[^>]*fill="${colour}"`));
    expect(svg).toContain("aria-label=\"Title text 'Gi* cells'\"");
    // The same cells with labels (as before this choice) would give one "rect mark" per cell.
    const labelled = gridMapFigure(ctx, four);
    for (const l of layers(labelled)) if (l.mark.type === "rect") l.mark.aria = true;
    expect((await toSvg(labelled)).match(/aria-roledescription="rect mark"/g)).toHaveLength(4);
  });

  it("gridMapFigure throws on an unknown measure", () => {
    expect(() => gridMapFigure(ctx, cells, { measure: "z" as "kde" })).toThrow(/measure must be/);
  });
});

describe("topStreetsMapFigure", () => {
  const streets = [
    { x: cx, y: cy, count: 40, rank: 1, name: "Market Place" },
    { x: cx + 300, y: cy - 200, count: 10, rank: 2, name: null },
  ];

  it("topStreetsMapFigure(ctx, streets) draws a circle per street (area from 0 to the largest count), numbered by rank, over the cells given", async () => {
    const cells = [{ x: cx - 125, x2: cx + 125, y: cy - 125, y2: cy + 125 }];
    const spec = topStreetsMapFigure(ctx, streets, { title: "Top streets", cells });
    const circle = layers(spec).find((l) => l.mark.type === "circle")!;
    expect(circle.data!.values).toEqual([
      { x: cx, y: cy, count: 40, name: "1. Market Place" },
      { x: cx + 300, y: cy - 200, count: 10, name: "2. (unnamed)" },
    ]);
    expect(circle.encoding!.size.scale).toEqual({ domain: [0, 40], range: [30, 600], zero: true });
    expect(layers(spec).find((l) => l.mark.type === "rect")!.data!.values).toEqual(cells);
    expect(texts(spec)).toEqual(expect.arrayContaining(["1", "2"]));
    expect(await toSvg(spec)).toContain("Top streets");
  });

  it("topStreetsMapFigure(ctx, streets, {frame, names, maxCount}) draws an inset with names, scaled to the whole map's largest count", () => {
    const inset = mapFrame([cx - 600, cy - 400, cx + 600, cy + 400], "EPSG:27700", { width: 400, margin: 0 });
    const spec = topStreetsMapFigure(ctx, streets, { frame: inset, names: true, maxCount: 80 });
    expect(spec).toMatchObject({ width: inset.width, height: inset.height });
    expect(layers(spec).some((l) => l.mark.type === "rect")).toBe(false);
    expect(layers(spec).find((l) => l.mark.type === "circle")!.encoding!.size.scale).toMatchObject({ domain: [0, 80] });
    expect(texts(spec)).toEqual(expect.arrayContaining(["1 Market Place"]));
  });

  it("streetCircleRadius(count, maxCount) gives circle areas from 30 to 600 px²", () => {
    expect(Math.PI * streetCircleRadius(0, 40) ** 2).toBeCloseTo(30, 10);
    expect(Math.PI * streetCircleRadius(40, 40) ** 2).toBeCloseTo(600, 10);
  });
});

describe("areaMapFigure", () => {
  const features = metreFeatures(layer, () => true, (f) => ({ area: f === 0 ? "Lemyngton" : "Storer", count: f === 0 ? 12 : null, rate: f === 0 ? 4.5 : null }));

  it("areaMapFigure(ctx, features) draws the features given, grey beneath, coloured by count", async () => {
    const spec = areaMapFigure(ctx, features, { title: "By ward", areaLabel: "ward" });
    const [base, fill] = layers(spec);
    expect(base.data!.values).toEqual(features);
    expect(fill.data!.values).toEqual(features);
    expect(fill.encoding!.color).toMatchObject({ field: "properties.count" });
    expect(fill.encoding!.tooltip).toEqual([{ field: "properties.area", title: "ward" }, { field: "properties.count", title: "incidents" }]);
    expect(await toSvg(spec)).toContain("By ward");
  });

  it("areaMapFigure(ctx, features, {measure: \"rate\"}) colours by rate per 1,000 residents", () => {
    const fill = layers(areaMapFigure(ctx, features, { measure: "rate" }))[1];
    expect(fill.encoding!.color).toMatchObject({ field: "properties.rate", title: "per 1,000 residents" });
    expect(() => areaMapFigure(ctx, features, { measure: "share" as "rate" })).toThrow(/measure must be/);
  });
});

describe("emergingHotspotsMapFigure", () => {
  it("emergingHotspotsMapFigure(ctx, cells, {listed}) draws the cells by pattern and outlines and names the listed ones", async () => {
    const cells = [
      { x: cx - 200, x2: cx + 200, y: cy - 200, y2: cy + 200, pattern: "New Hot Spot" },
      { x: cx + 200, x2: cx + 600, y: cy - 200, y2: cy + 200, pattern: "Cold spot pattern" },
    ];
    const spec = emergingHotspotsMapFigure(ctx, cells, { title: "Emerging", cellSize: 400, listed: [{ x: cx, y: cy, label: "Market Place" }] });
    const [patterns, outlined] = layers(spec).filter((l) => l.mark.type === "rect");
    expect(patterns.data!.values).toEqual(cells);
    expect(patterns.encoding!.color.scale).toMatchObject({ domain: [...EMERGING_MAP_PATTERNS] });
    expect(outlined.data!.values).toEqual([{ x: cx - 200, x2: cx + 200, y: cy - 200, y2: cy + 200 }]);
    expect(texts(spec)).toContain("Market Place");
    const svg = await toSvg(spec);
    expect(svg).toContain("Emerging");
    // The cells are hidden from assistive technology (gridMapFigure says why), the place name is not.
    expect(patterns.mark.aria).toBe(false);
    expect(svg).not.toMatch(/aria-roledescription="rect mark"/);
  });

  it("emergingHotspotsMapFigure throws on a cellSize that is not positive", () => {
    expect(() => emergingHotspotsMapFigure(ctx, [], { cellSize: 0 })).toThrow(/cellSize must be/);
  });
});
