import { describe, it, expect } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assess, figureFiles } from "@community-safety/cli";
import { repoRoot } from "../helpers/data.js";

describe("figureFiles", () => {
  it("numbers the figures in report order, names them by section and title, and links each from its caption", () => {
    const svg = (title: string) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><g aria-label="Title text '${title}'"></g></svg>`;
    const { sections, figures } = figureFiles([
      { id: "levels", title: "Levels", html: `<p>x</p><figure data-count-fields="incidents">${svg("Charnwood: incidents by category, 2020/21 and 2021/22")}<figcaption>Incidents by category.</figcaption></figure>` },
      { id: "trends", title: "Trends", html: `<figure><svg viewBox="0 0 1 1"></svg><figcaption>Each year's monthly counts.</figcaption></figure><figure>${svg("O&#39;Brien Street")}</figure>` },
    ]);
    expect(figures.map((f) => f.name)).toEqual(["figure-01-levels-charnwood-incidents-by-category-2020-21-and-2021-22.svg", "figure-02-trends-each-year-s-monthly-counts.svg", "figure-03-trends-o-brien-street.svg"]);
    expect(figures[2].title).toBe("O'Brien Street");
    expect(figures[0].svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')).toBe(true);
    expect(sections[0].html).toContain(`<figure data-count-fields="incidents">`);
    expect(sections[0].html).toContain(`<figcaption>Incidents by category. <a class="figure-file" href="figure-01-levels-charnwood-incidents-by-category-2020-21-and-2021-22.svg" download>SVG</a></figcaption>`);
    expect(sections[1].html).toContain(`<figcaption> <a class="figure-file" href="figure-03-trends-o-brien-street.svg" download>SVG</a></figcaption>`);
  });

  it("assess writes every figure of the report as an SVG file identical to the one drawn in the report", async () => {
    const out = mkdtempSync(join(tmpdir(), "cs-figures-"));
    const result = await assess({ out, quiet: true });
    const html = readFileSync(result.report, "utf8");
    const drawn = [...html.matchAll(/<figure[^>]*>\s*(<svg[\s\S]*?<\/svg>)/g)].map((m) => m[1]);
    const files = result.files.filter((f) => f.endsWith(".svg"));
    expect(files.length).toBe(drawn.length);
    expect(drawn.length).toBeGreaterThan(10);
    files.forEach((f, k) => {
      expect(readFileSync(join(out, f), "utf8")).toBe(`<?xml version="1.0" encoding="UTF-8"?>\n${drawn[k]}\n`);
      expect(html).toContain(`href="${f}"`);
    });
  }, 60_000);
});

describe("assess with png", () => {
  it("renders every figure as a PNG twice its SVG size, linked beside the SVG", async () => {
    const out = mkdtempSync(join(tmpdir(), "cs-png-"));
    const result = await assess({ policeUk: ["2021-03-good.csv", "2021-04-repeat.csv"].map((f) => join(repoRoot, "test", "fixtures", "police-uk", f)), png: true, out, quiet: true });
    const svgs = result.files.filter((f) => f.endsWith(".svg"));
    const pngs = result.files.filter((f) => f.endsWith(".png"));
    expect(pngs).toEqual(svgs.map((f) => f.replace(/\.svg$/, ".png")));
    const html = readFileSync(result.report, "utf8");
    for (const [k, f] of pngs.entries()) {
      const bytes = readFileSync(join(out, f));
      // PNG signature, then the IHDR chunk's width and height (big-endian) at bytes 16–23.
      expect([...bytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
      const svg = readFileSync(join(out, svgs[k]), "utf8");
      const [, w, h] = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg)!;
      expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([2 * Number(w), 2 * Number(h)]);
      expect(html).toContain(`href="${f}" download>PNG</a>`);
    }
  }, 60_000);
});
