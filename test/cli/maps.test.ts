import { describe, it, expect } from "vitest";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IncidentTableBuilder, projector, seededRandom } from "@community-safety/core";
import { polygonLayer } from "@community-safety/geo";
import { charnwoodAssessOptions, dataPath } from "../helpers/data.js";
import { assess, areaNames, boxesOverlap, hotClusters, mapFrame, outline, PlaceNamer, placeMapLabels, renderSvg, rendererWinding, textWidth, type MapLabelRequest } from "@community-safety/cli";

/** Every subpath's bounds of an SVG path's `d` (M/L/H/V/Z with absolute coordinates, as Vega writes them). */
function subpathBounds(d: string): number[][] {
  const out: number[][] = [];
  let cur: number[] | null = null;
  let x = 0;
  let y = 0;
  const add = () => {
    if (!cur) return;
    cur[0] = Math.min(cur[0], x);
    cur[1] = Math.min(cur[1], y);
    cur[2] = Math.max(cur[2], x);
    cur[3] = Math.max(cur[3], y);
  };
  for (const [, cmd, args] of d.matchAll(/([MLHVZmlhvz])([^MLHVZmlhvz]*)/g)) {
    const n = args.split(/[ ,]+/).filter(Boolean).map(Number);
    if (cmd === "M") {
      [x, y] = n;
      cur = [x, y, x, y];
      out.push(cur);
    } else if (cmd === "L") for (let i = 0; i < n.length; i += 2) [x, y] = [n[i], n[i + 1]], add();
    else if (cmd === "H") (x = n[0]), add();
    else if (cmd === "V") (y = n[0]), add();
  }
  return out;
}

const union = (boxes: number[][]) => boxes.reduce((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])]);

describe("rendererWinding", () => {
  // RFC 7946: exterior rings anticlockwise. Two small squares far apart (lon/lat).
  const square = (lon: number, lat: number) => ({
    type: "Feature" as const,
    properties: { name: `${lon}` },
    geometry: { type: "Polygon" as const, coordinates: [[[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]]] },
  });

  it("rendererWinding(feature) winds outer rings clockwise (d3-geo's sense) without mutating its input", () => {
    const f = square(-1.2, 52.7);
    const copy = JSON.parse(JSON.stringify(f));
    const wound = rendererWinding(f);
    expect(wound.geometry.coordinates[0]).toEqual([[-1.2, 52.7], [-1.2, 52.71], [-1.19, 52.71], [-1.19, 52.7], [-1.2, 52.7]]);
    expect(f).toEqual(copy);
    // Non-polygons and plain rows are left alone.
    expect(rendererWinding({ values: [{ a: 1 }], mark: "bar" })).toEqual({ values: [{ a: 1 }], mark: "bar" });
  });

  it("renderSvg draws each RFC 7946 polygon as itself, not as the sphere minus it (a map filled as one rectangle)", async () => {
    const svg = await renderSvg({
      width: 300,
      height: 300,
      data: { values: [square(-1.3, 52.6), square(-1.1, 52.8)] },
      mark: { type: "geoshape", fill: "#c00", stroke: "#fff" },
      projection: { type: "mercator" },
    });
    const paths = [...svg.matchAll(/<path[^>]* d="([^"]+)"[^>]*fill="#c00"/g)].map((m) => union(subpathBounds(m[1])));
    expect(paths.length).toBe(2);
    // Fitted to the view, the two squares sit in opposite corners: each fills under a tenth of it, and they do not meet.
    for (const b of paths) expect((b[2] - b[0]) * (b[3] - b[1])).toBeLessThan(0.1 * 300 * 300);
    expect(boxesOverlap(paths[0] as [number, number, number, number], paths[1] as [number, number, number, number])).toBe(false);
  });

  it("renderSvg gives every id in a figure its own prefix, so inline figures do not share clip paths", async () => {
    const spec = { width: 50, height: 50, data: { values: [square(0, 0)] }, mark: { type: "geoshape", clip: true }, projection: { type: "mercator" } };
    const [a, b] = [await renderSvg(spec), await renderSvg(spec)];
    const ids = (s: string) => [...s.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids(a).length).toBeGreaterThan(0);
    expect(ids(a).filter((id) => ids(b).includes(id))).toEqual([]);
    for (const s of [a, b]) for (const m of s.matchAll(/url\(#([^)]+)\)/g)) expect(ids(s)).toContain(m[1]);
  });
});

describe("placeMapLabels", () => {
  it("placeMapLabels(requests) places labels inside the frame that overlap neither each other nor obstacles", () => {
    const rng = seededRandom(42);
    const random = () => rng.uniform();
    const requests: MapLabelRequest[] = Array.from({ length: 200 }, (_, i) => ({
      px: random() * 600,
      py: random() * 400,
      text: `Label ${i}`,
      fontSize: 9 + Math.floor(random() * 4),
      bold: random() < 0.3,
      priority: random(),
      mode: random() < 0.5 ? "centre" : "around",
      radius: 4,
    }));
    const obstacle = [250, 150, 350, 250] as const;
    const placed = placeMapLabels(requests, { frame: [0, 0, 600, 400], obstacles: [obstacle] });
    expect(placed.length).toBeGreaterThan(30);
    expect(placed.length).toBeLessThan(200);
    for (let i = 0; i < placed.length; ++i) {
      const b = placed[i].box;
      expect(b[0] >= 0 && b[1] >= 0 && b[2] <= 600 && b[3] <= 400).toBe(true);
      expect(boxesOverlap(b, obstacle)).toBe(false);
      for (let j = i + 1; j < placed.length; ++j) expect(boxesOverlap(b, placed[j].box), `${placed[i].request.text} / ${placed[j].request.text}`).toBe(false);
    }
    // Most important first: the top request always gets its first choice.
    const top = [...requests].sort((a, b) => b.priority - a.priority)[0];
    expect(placed[0].request).toBe(top);
  });

  it("placeMapLabels puts a crowded point's label further out with a leader line, and leaves out what cannot fit", () => {
    const point = (text: string, priority: number): MapLabelRequest => ({ px: 100, py: 100, text, fontSize: 10, priority, mode: "around", radius: 5, reach: 30 });
    const placed = placeMapLabels(Array.from({ length: 40 }, (_, i) => point(String(i + 1), -i)), { frame: [0, 0, 200, 200] });
    expect(placed[0].leader).toBe(false);
    expect(placed.some((p) => p.leader)).toBe(true);
    expect(placed.length).toBeLessThan(40);
  });

  it("textWidth(text, size) is generous for DejaVu Sans and wider in bold", () => {
    // DejaVu Sans advances (2,048 units per em): "Loughborough" is 14,834 units, 72.4 px at 10 px.
    expect(textWidth("Loughborough", 10)).toBeGreaterThanOrEqual(72.4);
    expect(textWidth("Loughborough", 10)).toBeLessThan(80);
    expect(textWidth("Syston", 11, true)).toBeGreaterThan(textWidth("Syston", 11));
  });
});

describe("mapFrame", () => {
  it("mapFrame(bounds, crs) maps metres to pixels at one scale, north up, and back", () => {
    const f = mapFrame([440000, 300000, 460000, 310000], "EPSG:27700", { width: 600, margin: 0 });
    expect([f.width, f.height, f.scale]).toEqual([600, 300, 0.03]);
    expect(f.toPixel(440000, 310000)).toEqual([0, 0]);
    expect(f.toPixel(460000, 300000)).toEqual([600, 300]);
    expect(f.fromPixel(300, 150)).toEqual([450000, 305000]);
    // The geoshape projection is the same transform: identity, y reflected, scale and translate given.
    expect(f.projection).toEqual({ type: "identity", reflectY: true, scale: 0.03, translate: [-440000 * 0.03, 310000 * 0.03] });
    expect(f.figureAttributes([445000, 302000, 450000, 306000])).toBe(' data-map-frame="EPSG:27700 440000 310000 0.03" data-map-extent="150.00 120.00 300.00 240.00"');
  });

  it("mapFrame draws a tall area narrower than the width asked for", () => {
    const f = mapFrame([0, 0, 1000, 4000], "EPSG:27700", { width: 600, maxHeight: 400, margin: 0 });
    expect([f.width, f.height]).toEqual([100, 400]);
  });
});

describe("outline", () => {
  const bng = projector("EPSG:27700").inverse;
  const sq = (x: number, y: number, s: number) => ({
    type: "Feature" as const,
    properties: { name: `${x},${y}` },
    geometry: { type: "Polygon" as const, coordinates: [[[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]].map(([a, b]) => bng(a, b))] },
  });

  it("outline(layer, keep) is the edges one kept area uses: two neighbours give a 2 × 1 rectangle's outline", () => {
    const layer = polygonLayer({ type: "FeatureCollection", features: [sq(450000, 300000, 1000), sq(451000, 300000, 1000), sq(460000, 300000, 1000)] }, { target: "EPSG:27700" });
    const line = outline(layer, (f) => f < 2)!;
    expect(line.geometry.type).toBe("MultiLineString");
    const coords = line.geometry.coordinates as number[][][];
    let length = 0;
    for (const l of coords) for (let i = 1; i < l.length; ++i) length += Math.hypot(l[i][0] - l[i - 1][0], l[i][1] - l[i - 1][1]);
    // Perimeter 6 km (the shared 1 km edge is inside), to the projection's round trip.
    expect(length).toBeCloseTo(6000, 0);
    expect(coords.length).toBe(1);
    expect(outline(layer, () => false)).toBeNull();
  });
});

describe("areaNames", () => {
  it("areaNames(names) takes the town from the words names share, and invents none", () => {
    const names = [
      "Loughborough Ashby", "Loughborough Lemyngton", "Syston East", "Syston West", "Thurmaston", "Forest", "Forest Bradgate",
      "Market Harborough-Logan", "Market Harborough-Welland", "Oakham North East", "Oakham North West", "Oakham South East", "Normanton", "Normanton",
    ];
    expect(areaNames(names).map((a) => [a.town, a.short])).toEqual([
      ["Loughborough", "Ashby"], ["Loughborough", "Lemyngton"], ["Syston", "East"], ["Syston", "West"], [null, "Thurmaston"], [null, "Forest"], [null, "Forest Bradgate"],
      ["Market Harborough", "Logan"], ["Market Harborough", "Welland"], ["Oakham", "North East"], ["Oakham", "North West"], ["Oakham", "South East"], [null, "Normanton"], [null, "Normanton"],
    ]);
  });

  it("areaNames(names, towns) uses a town the data give when it starts the name", () => {
    expect(areaNames(["Wreford North West", "Thistleby", "Elsewhere"], ["Wreford", "Thistleby", "Wreford"]).map((a) => [a.town, a.short])).toEqual([["Wreford", "North West"], [null, "Thistleby"], [null, "Elsewhere"]]);
  });
});

describe("PlaceNamer", () => {
  const bng = projector("EPSG:27700").inverse;
  const ward = (name: string, x: number) => ({
    type: "Feature" as const,
    properties: { name },
    geometry: { type: "Polygon" as const, coordinates: [[[x, 300000], [x + 1000, 300000], [x + 1000, 301000], [x, 301000], [x, 300000]].map(([a, b]) => bng(a, b))] },
  });
  const fc = { type: "FeatureCollection" as const, features: [ward("Loughborough Lemyngton", 450000), ward("Loughborough Hastings", 451000), ward("Sileby", 452000)] };
  const table = (() => {
    const b = new IncidentTableBuilder("Europe/London", "EPSG:27700");
    const rows: [string, number][] = [["On or near Swan Street", 450500], ["On or near Swan Street", 450600], ["On or near Supermarket", 450700], ["On or near Baxter Gate", 451500], ["On or near Supermarket", 452500]];
    for (const [loc, x] of rows) {
      const i = b.addRow();
      b.x[i] = x;
      b.y[i] = 300500;
      b.dict.location.set(i, loc);
      b.dict.category.set(i, "violent-crime");
    }
    return b.finish();
  })();
  const namer = new PlaceNamer(polygonLayer(fc, { target: "EPSG:27700" }), "name", "ward");
  const area = namer.assign(table);

  it("names a place by its commonest ward, that ward's town and its commonest street there", () => {
    expect(Array.from(area)).toEqual([0, 0, 0, 1, 2]);
    expect(namer.describe(table, area, [0, 1, 2, 3]).phrase).toBe("Swan Street, Loughborough (Lemyngton ward)");
    // A place category only when no street is named; a ward without a town is named whole.
    expect(namer.describe(table, area, [4]).phrase).toBe("the supermarket (Sileby ward)");
    expect(namer.describe(table, area, [], { fallbackArea: 1 }).phrase).toBe("Loughborough, Hastings ward");
    expect(namer.describe(table, area, [0, 3], { street: "Baxter Gate" }).phrase).toBe("Baxter Gate, Loughborough (Hastings ward)");
  });

  it("a given street that is a police.uk place reads as the place, as the commonest place does, with or without areas", () => {
    // (The densest square names its commonest location; police.uk's "Supermarket" is a place, not a street.)
    expect(namer.describe(table, area, [4], { street: "Supermarket" }).phrase).toBe("the supermarket (Sileby ward)");
    const byStreet = new PlaceNamer(null, "name", "ward");
    expect(byStreet.describe(table, byStreet.assign(table), [2, 4], { street: "Supermarket" }).phrase).toBe("the supermarket");
    expect(byStreet.describe(table, byStreet.assign(table), [0, 1], { street: "Swan Street" }).phrase).toBe("Swan Street");
  });
});

describe("hotClusters", () => {
  it("hotClusters(grid, hot, counts) groups touching hot cells (corners too), most incidents first", () => {
    // 4 × 3 grid, rows south to north:   row 2: . H . .
    //                                    row 1: H . . H
    //                                    row 0: . . . H
    const hot = new Set([4, 9, 7, 3]);
    const counts = [0, 0, 0, 5, 2, 0, 0, 9, 0, 1, 0, 0];
    expect(hotClusters({ columns: 4, rows: 3, length: 12 }, (k) => hot.has(k), counts)).toEqual([
      { cells: [3, 7], count: 14, peak: 7 },
      { cells: [4, 9], count: 3, peak: 4 },
    ]);
  });
});

const charnwoodData = dataPath("policeuk-leicestershire", "county-2019-12_2022-10");

describe.skipIf(!existsSync(charnwoodData))(`Charnwood's hot spots named by place — needs ${charnwoodData}`, () => {
  it("names every hot spot by street, town and ward (never an LSOA code or coordinates), and shades only Charnwood's wards", async () => {
    const out = mkdtempSync(join(tmpdir(), "cs-maps-"));
    const result = await assess({ ...charnwoodAssessOptions(), out, quiet: true });
    const html = readFileSync(result.report, "utf8");
    const section = html.slice(html.indexOf('<section id="hotspots"'), html.indexOf("</section>", html.indexOf('<section id="hotspots"')));
    const words = section.replace(/<svg[\s\S]*?<\/svg>/g, "").replace(/<[^>]+>/g, " ");
    // No "Charnwood 004A" (LSOA) or "Charnwood 004" (MSOA-like locality), no grid coordinates.
    expect(words.match(/\b[A-Z][a-z]+ \d{3}[A-Z]?\b/g)?.filter((w) => !/^Each /.test(w)) ?? []).toEqual([]);
    expect(words).not.toMatch(/centred at \d/);
    // The densest square, the Gi* hot spots and the emerging ones: "<street>, <town> (<ward> ward)" or "<street> (<ward> ward)".
    const place = String.raw`[A-Z][\w' .-]+(?:, [A-Z][\w .-]+)? \([A-Z][\w' ,.-]+ ward\)`;
    expect(words).toMatch(new RegExp(String.raw`fell within a 1 km square around Swan Street, Loughborough \([A-Z]\w+ ward\)\.`));
    const clusters = [...section.matchAll(/<li>(around [^<]*?): [\d,]+ incidents in/g)].map((m) => m[1]);
    expect(clusters.length).toBe(5);
    for (const c of clusters) expect(c).toMatch(new RegExp(`^around ${place}$`));
    const emerging = [...section.matchAll(/<li>(?:New|Consecutive|Intensifying) Hot Spot around ([^<]*?) \(\d+ incidents? in the last two quarters\)<\/li>/g)].map((m) => m[1]);
    expect(emerging.length).toBeGreaterThan(0);
    for (const e of emerging) expect(e.replace(/&#39;/g, "'")).toMatch(new RegExp(`^${place}$`));
    // The wards shaded are Charnwood's 28 (the ward file says which district each is in; the report does not read that).
    const wards = JSON.parse(readFileSync(join(out, "hotspots-wards.geojson"), "utf8")) as { features: { properties: { lad11nm: string } }[] };
    const all = JSON.parse(readFileSync(dataPath("geography-leicestershire", "leicestershire-census-merged-wards-2011.geojson"), "utf8")) as { features: { properties: { lad11nm: string } }[] };
    expect(new Set(wards.features.map((f) => f.properties.lad11nm))).toEqual(new Set(["Charnwood"]));
    expect(wards.features.length).toBe(all.features.filter((f) => f.properties.lad11nm === "Charnwood").length);
  }, 120_000);
});
