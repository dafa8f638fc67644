import * as vega from "vega";
import { rewind } from "@turf/rewind";
import { compileVegaLite, parseCached } from "./compile-cached.js";
import { textWidth } from "./text-width.js";

/**
 * Text widths for Vega's layout without a browser: Vega measures text on a canvas when it has
 * one and otherwise guesses 0.8 em a character, which makes every title, legend and label box
 * about a third too wide (a long title widens the whole SVG, so the figure shows smaller on the
 * page). Through Vega's own hook for this (`textMetrics.width`, as vl-convert sets it) widths
 * come from {@link textWidth}'s per-character estimate instead; a `limit` caps the width, which
 * is what Vega's truncation and bounds need.
 */
const metrics = (vega as unknown as { textMetrics?: { width: (item: { fontSize?: number; fontWeight?: unknown; limit?: number }, text: unknown) => number } }).textMetrics;
if (metrics) {
  metrics.width = (item, text) => {
    const s = (Array.isArray(text) ? text.join(" ") : String(text ?? "")).trim();
    const size = item.fontSize != null ? +item.fontSize || 0 : 11;
    const weight = item.fontWeight;
    const w = textWidth(s, size, weight === "bold" || weight === "bolder" || (typeof weight === "number" && weight >= 600));
    return item.limit !== undefined && item.limit > 0 ? Math.min(w, item.limit) : w;
  };
}

/** A Vega-Lite spec (kept loose: the chart grammar validates it). */
export type VegaLiteSpec = Record<string, unknown>;

const CONFIG = {
  font: "system-ui, sans-serif",
  // labelSeparation: tick labels closer than 6 px are thinned out (where Vega-Lite checks label overlap).
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 280, labelSeparation: 6 },
  // x labels 4 px below their ticks: clear of the y axis's lowest label at the corner (whose glyph box reaches ~6.5 px below the axis).
  axisX: { labelPadding: 4 },
  // rowPadding 4: the glyph boxes of stacked legend labels (ascent + descent, ~1.17 em) do not touch.
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 280, rowPadding: 4 },
  view: { stroke: null },
};

/**
 * Renders a Vega-Lite spec to a standalone SVG string, headless (no browser, no DOM).
 *
 * The figure does not depend on the machine's time zone: every temporal encoding is drawn on a
 * UTC scale (and every time unit is a UTC one), see {@link utcTemporal}. Dates are given as
 * ISO date strings (`"2021-04"`, `"2021-04-15"`, which JavaScript reads as UTC midnight) or
 * UTC timestamps, so an April month key sits on 1 April and is labelled "Apr 2021" everywhere.
 *
 * The same chart drawn again with other rows reuses its Vega-Lite compilation and Vega's parse
 * of it ({@link parseCached}); `cache: false` compiles and parses afresh (the SVG is the same
 * either way).
 */
export async function toSvg(spec: VegaLiteSpec, options: { cache?: boolean } = {}): Promise<string> {
  const { config, ...rest } = rendererWinding(utcTemporal(spec)) as VegaLiteSpec & { config?: Record<string, Record<string, unknown> | unknown> };
  // A spec's own config is merged into the report's, key by key (a legend placement keeps the report's font sizes).
  const merged: Record<string, unknown> = { ...CONFIG };
  for (const [k, v] of Object.entries(config ?? {})) {
    const base = (CONFIG as Record<string, unknown>)[k];
    merged[k] = typeof v === "object" && v !== null && typeof base === "object" && base !== null ? { ...base, ...v } : v;
  }
  const full = { config: merged, ...rest };
  const runtime = options.cache ?? true ? parseCached(full) : vega.parse(compileVegaLite(full) as vega.Spec);
  const view = new vega.View(runtime, { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return standaloneSvg(svg);
}

/**
 * A copy of GeoJSON (a geometry, a Feature, a FeatureCollection, an array of features, or a
 * Vega-Lite spec holding any of them as inline `values`) with every Polygon and MultiPolygon
 * wound as d3-geo, and so Vega's `geoshape`, expects: outer rings clockwise, holes
 * anticlockwise (turf's `rewind` with `reverse: true`). RFC 7946 asks for the opposite
 * (anticlockwise outer rings), and d3-geo's spherical polygons read such a ring as "the whole
 * sphere except this shape": the map then draws as one filled rectangle. Other geometries and
 * other values are left as they are; the input is not mutated. {@link toSvg} applies it to
 * every spec, so no caller has to.
 *
 * @example
 * const ccw = { type: "Polygon", coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] };
 * rendererWinding(ccw).coordinates[0][1]; // => [0, 1]
 */
export function rendererWinding<T>(value: T): T {
  return windAny(value) as T;
}

function windAny(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(windAny);
  if (typeof v !== "object" || v === null) return v;
  const o = v as Record<string, unknown>;
  if (o.type === "Polygon" || o.type === "MultiPolygon") return Array.isArray(o.coordinates) ? rewind(o as never, { reverse: true }) : o;
  if (o.type === "GeometryCollection" && Array.isArray(o.geometries)) return { ...o, geometries: o.geometries.map(windAny) };
  if (o.type === "Feature") return { ...o, geometry: windAny(o.geometry) };
  if (o.type === "FeatureCollection" && Array.isArray(o.features)) return { ...o, features: o.features.map(windAny) };
  // A spec: walk everything but the values of non-geographic data (rows are not GeoJSON).
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = k === "values" && !holdsGeoJson(x) ? x : windAny(x);
  return out;
}

/** Whether inline `values` hold GeoJSON (a FeatureCollection, a geometry, or features in an array). */
function holdsGeoJson(values: unknown): boolean {
  const first = Array.isArray(values) ? values[0] : values;
  const type = typeof first === "object" && first !== null ? (first as { type?: unknown }).type : undefined;
  return typeof type === "string" && /^(Feature|FeatureCollection|Polygon|MultiPolygon|GeometryCollection)$/.test(type);
}

let svgSerial = 0;

/**
 * Vega's SVG made safe to place beside others in one HTML page, and to open on its own:
 * its `id`s (clip paths, gradients) get a per-figure prefix (two inline SVGs each with
 * `id="clip1"` would clip each other's marks), and a text mark drawn with a stroke gets
 * `paint-order="stroke"`, so the stroke is a halo under the letters (map labels over colour).
 */
function standaloneSvg(svg: string): string {
  const prefix = `f${(svgSerial += 1).toString(36)}-`;
  // One pass over the SVG text for the three rewrites.
  return svg.replace(STANDALONE, (_, id: string | undefined, url: string | undefined) =>
    id !== undefined ? `id="${prefix}${id}"` : url !== undefined ? `url(#${prefix}${url})` : '<text paint-order="stroke" stroke-linejoin="round"',
  );
}

/** An `id`, a `url(#…)` reference, or the start of a `<text` tag that has a `stroke` attribute. */
const STANDALONE = /\bid="([^"]+)"|url\(#([^)]+)\)|<text(?=[^>]*\bstroke=")/g;

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

/**
 * A panel title wrapped onto lines of at most `width` characters, joined by "|", for a facet
 * header made with {@link wrappedHeader} (facet on the wrapped value, and sort by wrapped values).
 */
export function wrapLabel(text: string, width = 48): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join("|");
}

/**
 * A facet header drawing a {@link wrapLabel}-wrapped title on several lines (Vega-Lite draws a
 * header label given as an array of strings line by line), so a target's full name shows
 * instead of "Reduce cycle theft against the 2006/07 b…".
 */
export function wrappedHeader(): Record<string, unknown> {
  return { labelFontSize: 12, labelLimit: 0, labelExpr: "split(datum.value, '|')" };
}
