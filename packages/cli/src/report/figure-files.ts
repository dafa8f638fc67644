import type { Section } from "./html.js";
import { fileNameWord, type OutputFile } from "../sections/output.js";

/** One figure of the report written as its own file. */
export interface FigureFile {
  /** File name inside the output folder ("figure-03-levels-incidents-by-category.svg"). */
  readonly name: string;
  /** The section the figure is in. */
  readonly section: string;
  /** Its title (the chart's own title, else the first words of its caption). */
  readonly title: string;
  /** A standalone SVG document. */
  readonly svg: string;
}

/**
 * Each `<figure …>` whose first child is an `<svg>`, as the pieces around it: `attrs` (the
 * figure tag's attributes), `space` (white space before the SVG), `svg` (to the first `</svg>`),
 * `rest` (to the next `</figure>`). Found with `indexOf` rather than a regular expression: the
 * lazy `[\s\S]*?` over a report's ~1 MB of SVG text was ~3% of an `--all-areas` run.
 */
function replaceFigures(html: string, f: (attrs: string, space: string, svg: string, rest: string) => string): string {
  let out = "";
  let copied = 0;
  let from = 0;
  for (;;) {
    const open = html.indexOf("<figure", from);
    if (open < 0) break;
    from = open + 1;
    const gt = html.indexOf(">", open + 7);
    if (gt < 0) break;
    let p = gt + 1;
    while (p < html.length && /\s/.test(html[p])) p += 1;
    if (!html.startsWith("<svg", p)) continue;
    const svgEnd = html.indexOf("</svg>", p + 4);
    if (svgEnd < 0) break;
    const close = html.indexOf("</figure>", svgEnd + 6);
    if (close < 0) break;
    out += html.slice(copied, open) + f(html.slice(open + 7, gt), html.slice(gt + 1, p), html.slice(p, svgEnd + 6), html.slice(svgEnd + 6, close));
    copied = from = close + 9;
  }
  return copied === 0 ? html : out + html.slice(copied);
}

/**
 * Every figure of the report as its own SVG file, for pasting into Word or a slide: the figures
 * are numbered in report order and named by section and title; each figure's caption gets a
 * link to its file ("SVG", and "PNG" with `png`: the PNGs are rendered by `figurePngs`). Returns the sections with the links added (the inputs are not
 * modified) and the files. The SVG is the one drawn in the report (under `--public`, from the
 * protected tables), with an XML declaration so it opens on its own.
 *
 * @example
 * figureFiles([{ id: "levels", title: "Levels", html: "<figure><svg …>…</svg><figcaption>Crimes by month.</figcaption></figure>" }]).figures[0].name
 * // => "figure-01-levels-crimes-by-month.svg"
 */
export function figureFiles(sections: readonly Section[], options: { png?: boolean } = {}): { sections: Section[]; figures: FigureFile[] } {
  const figures: FigureFile[] = [];
  const out = sections.map((s) => ({
    ...s,
    html: replaceFigures(s.html, (attrs, space, svg, rest) => {
      const n = figures.length + 1;
      const title = figureTitle(svg, rest);
      const name = `figure-${String(n).padStart(2, "0")}-${fileNameWord(s.id, "section")}-${fileNameWord(title, "figure").toLowerCase()}.svg`;
      figures.push({ name, section: s.id, title, svg: `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n` });
      const link = ` <a class="figure-file" href="${name}" download>SVG</a>${options.png ? ` <a class="figure-file" href="${name.replace(/\.svg$/, ".png")}" download>PNG</a>` : ""}`;
      const withLink = /<\/figcaption>/.test(rest) ? rest.replace(/<\/figcaption>/, `${link}</figcaption>`) : `${rest}<figcaption>${link}</figcaption>`;
      return `<figure${attrs}>${space}${svg}${withLink}</figure>`;
    }),
  }));
  return { sections: out, figures };
}

/** The chart's title (Vega's "Title text '…'" aria label), else its caption's first sentence, else "figure". */
function figureTitle(svg: string, rest: string): string {
  const own = /aria-label="Title text '([^']*)'/.exec(svg)?.[1];
  if (own) return unescape(own);
  const caption = /<figcaption>([\s\S]*?)<\/figcaption>/.exec(rest)?.[1]?.replace(/<[^>]+>/g, "") ?? "";
  const first = unescape(caption).split(/[.:;(]/)[0].trim();
  return first || "figure";
}

function unescape(s: string): string {
  return s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** The figure files as outputs `assess` writes (a figure is drawn from the report's tables, protected under `--public` like them). */
export function figureOutputs(figures: readonly FigureFile[]): OutputFile[] {
  return figures.map((f) => ({
    name: f.name,
    rows: [],
    text: f.svg,
    disclosure: { kind: "not-disclosive", reason: "a figure of the report, drawn from the report's tables (protected under --public before it was drawn)" },
  }));
}
