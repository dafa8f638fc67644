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

/**
 * Renders a Vega-Lite spec to a standalone SVG string, headless (no browser, no DOM).
 *
 * The figure does not depend on the machine's time zone: every temporal encoding is drawn on a
 * UTC scale (and every time unit is a UTC one), see {@link utcTemporal}. Dates are given as
 * ISO date strings (`"2021-04"`, `"2021-04-15"`, which JavaScript reads as UTC midnight) or
 * UTC timestamps, so an April month key sits on 1 April and is labelled "Apr 2021" everywhere.
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const compiled = vl.compile({ config: CONFIG, ...(utcTemporal(spec) as VegaLiteSpec) } as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** Encoding channels that take a scale (a temporal field anywhere else, e.g. a tooltip, has none). */
const SCALE_CHANNELS = new Set(["x", "y", "xOffset", "yOffset", "color", "fill", "stroke", "opacity", "fillOpacity", "strokeOpacity", "strokeWidth", "strokeDash", "size", "shape", "angle", "radius", "theta"]);

/**
 * A copy of a Vega-Lite spec in which every temporal field on a scaled channel has a UTC scale
 * (`scale.type` `"time"` or unset becomes `"utc"`) and every `timeUnit` is a UTC time unit
 * (`"yearmonth"` → `"utcyearmonth"`, `{ unit }` → `{ unit, utc: true }`). Vega-Lite reads a
 * temporal axis, its ticks, labels and `format` in local time unless the scale is UTC, so
 * without this the same report drawn in São Paulo and in London puts "2021-04" on 31 March.
 * Inline data (`values`) is not walked; the input is not mutated.
 */
export function utcTemporal(spec: unknown, channel?: string): unknown {
  if (Array.isArray(spec)) return spec.map((x) => utcTemporal(x, channel));
  if (typeof spec !== "object" || spec === null) return spec;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec as Record<string, unknown>)) out[k] = k === "values" ? v : utcTemporal(v, k);
  if (typeof out.timeUnit === "string" && !out.timeUnit.startsWith("utc")) out.timeUnit = `utc${out.timeUnit}`;
  else if (typeof out.timeUnit === "object" && out.timeUnit !== null) out.timeUnit = { ...(out.timeUnit as object), utc: true };
  if (out.type === "temporal" && channel !== undefined && SCALE_CHANNELS.has(channel)) {
    const scale = out.scale;
    if (scale === undefined) out.scale = { type: "utc" };
    else if (typeof scale === "object" && scale !== null) {
      const t = (scale as { type?: unknown }).type;
      if (t === undefined || t === "time") out.scale = { ...scale, type: "utc" };
    }
  }
  return out;
}
