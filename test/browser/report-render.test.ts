// The report as a reader sees it: the synthetic borough's and Charnwood's reports rendered in
// headless Chromium (Debian's `chromium`, driven by puppeteer-core) on a desktop (1366 px) and
// a phone (390 px). Checks what a board member would notice: console errors, maps that fill
// more than their polygons (the RFC 7946 winding bug draws a whole map as one rectangle),
// labels written over each other, and a page that scrolls sideways on a phone.
//
// Needs a Chromium binary: /usr/bin/chromium, or the path in CHROMIUM_PATH. Without one the
// suite is skipped, and its title says so.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer, { type Browser } from "puppeteer-core";
import { assess } from "@community-safety/cli";
import { projector } from "@community-safety/core";
import { makeNational } from "../../bench/make-national.js";
import { charnwoodAssessOptions, dataPath } from "../helpers/data.js";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasBrowser = existsSync(chromium);
const charnwoodData = dataPath("policeuk-leicestershire", "county-2019-12_2022-10");
const hasCharnwood = existsSync(charnwoodData);
// A national run's report: 317 districts in the county picture and on the funnel (a seeded
// extract of real Leicestershire rows resampled over England's LSOAs, bench/make-national.ts).
const england = dataPath("lsoa-population-imd-england", "File_6_-_IoD2019_Population_Denominators.csv.gz");
const hasNational = hasCharnwood && existsSync(england);
const WIDTHS = [1366, 390] as const;

/** What one rendered page showed. */
interface PageReport {
  errors: string[];
  scrollWidth: number;
  innerWidth: number;
  figures: number;
  maps: { title: string; extent: number[]; frame: string; shapes: number; filled: number[][]; outside: string[] }[];
  overlaps: string[];
  wideFigures: string[];
}

/** Loads `file` at `width` px and measures it in the page. */
async function inspect(browser: Browser, file: string, width: number): Promise<PageReport> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warn") errors.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`page error: ${(e as Error).message}`));
  page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
  await page.setViewport({ width, height: 900, isMobile: width < 500, hasTouch: width < 500, deviceScaleFactor: 1 });
  await page.goto(`file://${file}`, { waitUntil: "load" });
  const measured = await page.evaluate(() => {
    const overlaps: string[] = [];
    const maps: PageReport["maps"] = [];
    const wideFigures: string[] = [];
    const figures = [...document.querySelectorAll("figure")];
    for (const fig of figures) {
      const svg = fig.querySelector("svg");
      if (!svg) continue;
      const title = svg.querySelector(".role-title-text")?.textContent ?? "(untitled)";
      if (svg.getBoundingClientRect().right > fig.getBoundingClientRect().right + 0.5) wideFigures.push(title);
      // Every visible text in the figure (titles, labels, legends, axes): no two may overlap. Each
      // text is its own box (getBBox: the glyph cells) turned by its transform, so rotated axis
      // labels are compared as the slanted boxes they are (their upright bounding boxes would
      // overlap where the letters do not); the test is the separating-axis test for two convex
      // quadrilaterals, measured in the figure's own units (a phone shows it scaled down).
      const scale = svg.getBoundingClientRect().width / (svg.viewBox.baseVal?.width || svg.getBoundingClientRect().width);
      const texts = [...svg.querySelectorAll("text")].filter((t) => (t.textContent ?? "").trim() !== "" && getComputedStyle(t).visibility !== "hidden" && Number(getComputedStyle(t).opacity) > 0);
      const quads = texts.map((t) => {
        const b = t.getBBox();
        const m = t.getScreenCTM()!;
        const corner = (x: number, y: number) => {
          const p = new DOMPoint(x, y).matrixTransform(m);
          return [p.x / scale, p.y / scale];
        };
        return { text: t.textContent!.trim(), quad: [corner(b.x, b.y), corner(b.x + b.width, b.y), corner(b.x + b.width, b.y + b.height), corner(b.x, b.y + b.height)] };
      });
      // The depth two convex polygons overlap by along the axis that separates them best (≤ 0: apart).
      const depth = (p: number[][], q: number[][]) => {
        let least = Infinity;
        for (const poly of [p, q]) {
          for (let i = 0; i < poly.length; ++i) {
            const [x1, y1] = poly[i];
            const [x2, y2] = poly[(i + 1) % poly.length];
            const len = Math.hypot(x2 - x1, y2 - y1);
            if (len === 0) continue;
            const [nx, ny] = [(y1 - y2) / len, (x2 - x1) / len];
            const proj = (r: number[][]) => r.map(([x, y]) => x * nx + y * ny);
            const a = proj(p);
            const c = proj(q);
            least = Math.min(least, Math.min(Math.max(...a), Math.max(...c)) - Math.max(Math.min(...a), Math.min(...c)));
          }
        }
        return least;
      };
      for (let i = 0; i < quads.length; ++i) {
        for (let j = i + 1; j < quads.length; ++j) {
          const d = depth(quads[i].quad, quads[j].quad);
          // More than half a unit (glyph cells of neighbouring lines may touch).
          if (d > 0.5) overlaps.push(`"${title}": "${quads[i].text}" and "${quads[j].text}" overlap by ${d.toFixed(1)} units`);
        }
      }
      // Maps: every filled shape (geoshape path) inside the polygons' bounds, in the plot's own units.
      const extentAttr = fig.getAttribute("data-map-extent");
      if (extentAttr === null) continue;
      const extent = extentAttr.split(" ").map(Number);
      const outside: string[] = [];
      const filled: number[][] = [];
      const paths = [...svg.querySelectorAll<SVGPathElement>("g.mark-shape path")];
      for (const p of paths) {
        const fill = getComputedStyle(p).fill;
        if (!fill || fill === "none") continue;
        const b = p.getBBox();
        const box = [b.x, b.y, b.x + b.width, b.y + b.height];
        filled.push(box);
        if (box[0] < extent[0] - 1 || box[1] < extent[1] - 1 || box[2] > extent[2] + 1 || box[3] > extent[3] + 1) outside.push(`[${box.map((v) => v.toFixed(1)).join(", ")}]`);
      }
      maps.push({ title, extent, frame: fig.getAttribute("data-map-frame") ?? "", shapes: paths.length, filled, outside });
    }
    return { overlaps, maps, wideFigures, figures: figures.length, scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth };
  });
  await page.close();
  return { errors, ...measured };
}

/** The pixel bounds of a GeoJSON file's polygons on a map whose figure says `data-map-frame="crs x0 y1 scale"`. */
function projectedBounds(file: string, frame: string): number[] {
  const [crs, x0, y1, scale] = frame.split(" ");
  const forward = projector(crs).forward;
  const fc = JSON.parse(readFileSync(file, "utf8")) as { features: { geometry: { coordinates: unknown } }[] };
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (v: unknown): void => {
    if (Array.isArray(v) && typeof v[0] === "number") {
      const [x, y] = forward(v[0] as number, v[1] as number);
      const px = (x - Number(x0)) * Number(scale);
      const py = (Number(y1) - y) * Number(scale);
      b[0] = Math.min(b[0], px);
      b[1] = Math.min(b[1], py);
      b[2] = Math.max(b[2], px);
      b[3] = Math.max(b[3], py);
    } else if (Array.isArray(v)) v.forEach(walk);
  };
  for (const f of fc.features) walk(f.geometry.coordinates);
  return b;
}

const union = (boxes: number[][]) => boxes.reduce((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])], [Infinity, Infinity, -Infinity, -Infinity]);

const reason = hasBrowser ? `Chromium at ${chromium}` : `SKIPPED: no Chromium at ${chromium} (install Debian's chromium or set CHROMIUM_PATH)`;
// The default reporter does not print a skipped suite's title: say it on the console too.
if (!hasBrowser) console.warn(`test/browser/report-render.test.ts: ${reason}`);

describe.skipIf(!hasBrowser)(`the report in headless Chromium at 1366 and 390 px — ${reason}`, () => {
  let browser: Browser;
  // areasFile: the beats or wards its area map draws (null: the national report, checked for text
  // over text and sideways scrolling — its 317-district funnel and ranking — not for maps).
  const reports: { name: string; dir: string; areasFile: string | null }[] = [];
  const pages = new Map<string, PageReport>();

  beforeAll(async () => {
    const synthetic = mkdtempSync(join(tmpdir(), "cs-browser-synthetic-"));
    await assess({ out: synthetic, quiet: true });
    reports.push({ name: "synthetic borough", dir: synthetic, areasFile: "hotspots-beats.geojson" });
    if (hasCharnwood) {
      const charnwood = mkdtempSync(join(tmpdir(), "cs-browser-charnwood-"));
      await assess({
        ...charnwoodAssessOptions(),
        boundary: dataPath("geography-leicestershire", "leicestershire-csp-2021.geojson"),
        boundaryKey: "AREANM",
        out: charnwood,
        quiet: true,
      });
      reports.push({ name: "Charnwood", dir: charnwood, areasFile: "hotspots-wards.geojson" });
    }
    if (hasNational) {
      const national = mkdtempSync(join(tmpdir(), "cs-browser-national-"));
      const { dir } = makeNational(40_000, { seed: 7, out: join(national, "input"), log: () => undefined });
      await assess({ policeUk: [join(dir, "street")], population: join(dir, "population.csv"), area: "Adur", out: join(national, "adur"), quiet: true });
      reports.push({ name: "Adur among 317 districts", dir: join(national, "adur"), areasFile: null });
    }
    browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
    for (const r of reports) for (const w of WIDTHS) pages.set(`${r.name} ${w}`, await inspect(browser, join(r.dir, "report.html"), w));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it(`renders the synthetic borough${hasCharnwood ? " and Charnwood" : ` (Charnwood skipped: no data at ${charnwoodData})`}${hasNational ? " and a national run's report" : ` (the national report skipped: needs ${charnwoodData} and ${england})`} without console errors`, () => {
    expect(pages.size).toBe(reports.length * WIDTHS.length);
    for (const [name, p] of pages) {
      expect(p.errors, name).toEqual([]);
      expect(p.figures, name).toBeGreaterThan(8);
    }
  });

  it("draws every map's filled shapes inside its polygons' bounds (no map filled as one rectangle)", () => {
    for (const r of reports) {
      // (The national report's district has ~100 rows in the 40,000-row extract: too few for hot-spot maps.)
      if (r.areasFile === null) continue;
      const p = pages.get(`${r.name} 1366`)!;
      // The Gi*, density, emerging, top-streets (and its close-up where the streets crowd) and area maps.
      expect(p.maps.length, r.name).toBeGreaterThanOrEqual(5);
      for (const m of p.maps) {
        expect(m.filled.length, `${r.name}: ${m.title}`).toBeGreaterThan(0);
        expect(m.outside, `${r.name}: ${m.title}`).toEqual([]);
        // The polygons' bounds are a real part of the plot, not the whole sphere fitted into it.
        expect(m.extent[2] - m.extent[0], m.title).toBeGreaterThan(100);
      }
      // Independently of the report's own numbers: the area map's filled shapes span exactly the
      // areas written to GeoJSON (lon/lat), projected here with the map's stated frame.
      const areaMaps = p.maps.filter((m) => / incidents (per 1,000 residents )?by (beat|ward)$/.test(m.title));
      expect(areaMaps.map((m) => m.title), r.name).toHaveLength(1);
      const areaMap = areaMaps[0];
      const expected = projectedBounds(join(r.dir, r.areasFile), areaMap.frame);
      const drawn = union(areaMap.filled);
      drawn.forEach((v, i) => expect(Math.abs(v - expected[i]), `${r.name} area map bound ${i}: drawn ${v}, polygons ${expected[i]}`).toBeLessThan(1.5));
    }
  });

  it("writes no text over other text in any figure, at either width", () => {
    for (const [name, p] of pages) expect(p.overlaps, name).toEqual([]);
  });

  it("does not scroll sideways at 390 px, and every figure fits its column", () => {
    for (const r of reports) {
      for (const w of WIDTHS) {
        const p = pages.get(`${r.name} ${w}`)!;
        // Against the device's width, not innerWidth: a phone (mobile emulation) widens its layout
        // viewport to fit a page that is too wide, so innerWidth grows with the fault.
        expect(p.scrollWidth, `${r.name} at ${w} px`).toBeLessThanOrEqual(w);
        expect(p.innerWidth, `${r.name} at ${w} px`).toBe(w);
        expect(p.wideFigures, `${r.name} at ${w} px`).toEqual([]);
      }
    }
  });

  it("fails a page made to fail: overlapping labels, a map filled beyond its polygons, a wide page", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cs-browser-control-"));
    const file = join(dir, "control.html");
    writeFileSync(
      file,
      `<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1"><body>
<figure><svg viewBox="0 0 300 150" width="300" height="150" font-size="16px"><text x="20" y="30">Loughborough</text><text x="30" y="32">Shepshed</text>
<text transform="translate(150,120) rotate(-60)">2021-04</text><text transform="translate(176,120) rotate(-60)">2021-05</text></svg></figure>
<figure data-map-extent="10 10 50 50"><svg viewBox="0 0 200 200" width="200" height="200"><g class="mark-shape"><path d="M0,0H200V200H0Z" fill="red"/></g></svg></figure>
<div style="width:800px">wide</div></body>`,
    );
    const p = await inspect(browser, file, 390);
    // The two names overlap; the slanted month labels (26 units apart, whose upright boxes overlap) do not.
    expect(p.overlaps.map((o) => o.replace(/ by .*/, ""))).toEqual(['"(untitled)": "Loughborough" and "Shepshed" overlap']);
    expect(p.maps[0].outside).toEqual(["[0.0, 0.0, 200.0, 200.0]"]);
    expect(p.scrollWidth).toBeGreaterThan(390);
  });

  it("writes every output it links to", () => {
    // (The report links each figure's SVG; a broken link would show as a failed request only when followed.)
    for (const r of reports) {
      const html = readFileSync(join(r.dir, "report.html"), "utf8");
      const files = new Set(readdirSync(r.dir));
      for (const m of html.matchAll(/href="([^"#:]+)"/g)) expect(files.has(decodeURIComponent(m[1])), `${r.name}: ${m[1]}`).toBe(true);
    }
  });
});

// The all-areas index page: eight Leicestershire partnerships from the 11-month 2014 extract, protected for publication.
const county2014 = dataPath("policeuk-leicestershire", "county-2014-01_2014-11");
const indexReason = !hasBrowser ? reason : existsSync(county2014) ? `Chromium at ${chromium}` : `SKIPPED: no data at ${county2014}`;
if (hasBrowser && !existsSync(county2014)) console.warn(`test/browser/report-render.test.ts: ${indexReason}`);

describe.skipIf(!hasBrowser || !existsSync(county2014))(`the --all-areas index page in headless Chromium at 1366 and 390 px — ${indexReason}`, () => {
  let browser: Browser;
  const indexDir = mkdtempSync(join(tmpdir(), "cs-browser-index-"));
  const pages = new Map<number, PageReport>();

  beforeAll(async () => {
    await assess({ policeUk: [county2014], population: dataPath("geography-leicestershire", "leicestershire-lsoa-population-imd.csv"), allAreas: true, workers: 1, public: true, out: indexDir, quiet: true });
    browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
    for (const w of WIDTHS) pages.set(w, await inspect(browser, join(indexDir, "index.html"), w));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("shows no errors, no text over text and no sideways scroll, and writes every link", () => {
    for (const w of WIDTHS) {
      const p = pages.get(w)!;
      expect(p.errors, `index at ${w} px`).toEqual([]);
      // One figure: the funnel of the eight districts.
      expect(p.figures, `index at ${w} px`).toBe(1);
      expect(p.overlaps, `index at ${w} px`).toEqual([]);
      expect(p.scrollWidth, `index at ${w} px`).toBeLessThanOrEqual(w);
      expect(p.innerWidth, `index at ${w} px`).toBe(w);
      expect(p.wideFigures, `index at ${w} px`).toEqual([]);
    }
    const html = readFileSync(join(indexDir, "index.html"), "utf8");
    const links = [...html.matchAll(/href="([^"#:]+)"/g)].map((m) => decodeURIComponent(m[1]));
    expect(links.filter((l) => l.endsWith("/report.html"))).toHaveLength(8);
    for (const l of links) expect(existsSync(join(indexDir, l)), l).toBe(true);
  });
});
