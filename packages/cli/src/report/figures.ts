import * as vega from "vega";
import * as vl from "vega-lite";

/** A Vega-Lite spec (kept loose: the chart grammar validates it). */
export type VegaLiteSpec = Record<string, unknown>;

const CONFIG = {
  font: "system-ui, sans-serif",
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 280 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 280 },
  view: { stroke: null },
};

/** Renders a Vega-Lite spec to a standalone SVG string, headless (no browser, no DOM). */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const compiled = vl.compile({ config: CONFIG, ...spec } as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
