import type { FigureFile } from "./figure-files.js";

/** A figure as PNG: its name (`.svg` → `.png`) and bytes. */
export interface FigurePng {
  readonly name: string;
  readonly png: Uint8Array;
}

/**
 * Renders figures to PNG at `scale` × their SVG size (default 2, for print and slides) with
 * resvg (a Rust SVG renderer with prebuilt Node binaries; no browser, no canvas), using the
 * machine's fonts ("DejaVu Sans" where the chart's system-ui font is not found). Node only:
 * resvg is loaded on first use, so the rest of the package stays usable in a browser.
 */
export async function figurePngs(figures: readonly FigureFile[], scale = 2): Promise<FigurePng[]> {
  const { Resvg } = await import("@resvg/resvg-js");
  return figures.map((f) => {
    const r = new Resvg(f.svg, { fitTo: { mode: "zoom", value: scale }, font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } });
    return { name: f.name.replace(/\.svg$/, ".png"), png: r.render().asPng() };
  });
}
