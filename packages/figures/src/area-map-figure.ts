import type { MetreFeature } from "./map-frame.js";
import { contextLayers, type MapContext } from "./map-context-layers.js";
import type { VegaLiteSpec } from "./to-svg.js";

/** Options of {@link areaMapFigure}. */
export interface AreaMapFigureOptions {
  /** The figure's title. Default none. */
  title?: string;
  /** What colours the areas: `"count"` (`properties.count`, incidents) or `"rate"` (`properties.rate`, per 1,000 residents). Default `"count"`. */
  measure?: "count" | "rate";
  /** What the areas are, for the tooltip ("ward", "beat"). Default `"area"`. */
  areaLabel?: string;
}

/**
 * A choropleth of areas (wards, beats) as a Vega-Lite spec: `features` (MultiPolygons in metres
 * on the context's frame, with `properties.area`, `properties.count` and, for rates,
 * `properties.rate`) in reds by count or rate; an area whose value is null (withheld, or no
 * residents) is grey. The context's area outlines (white), edge and labels go on top.
 *
 * @example
 * toSvg(areaMapFigure(ctx, metreFeatures(layer, keep, (f) => ({ area, count })), { areaLabel: "ward" }))
 */
export function areaMapFigure(ctx: MapContext, features: readonly MetreFeature[], options: AreaMapFigureOptions = {}): VegaLiteSpec {
  const { title, measure = "count", areaLabel = "area" } = options;
  if (measure !== "count" && measure !== "rate") throw new Error(`areaMapFigure: measure must be "count" or "rate", got ${String(measure)}`);
  const { frame } = ctx;
  const byRate = measure === "rate";
  const c = contextLayers(ctx, { base: false, areaStroke: "#fff" });
  return {
    title,
    width: frame.width,
    height: frame.height,
    config: { legend: { orient: "bottom", direction: "horizontal", gradientLength: Math.min(300, frame.width - 40) } },
    layer: [
      { data: { values: features }, mark: { type: "geoshape", fill: "#d9d9d9", stroke: null, clip: false, aria: false }, projection: frame.projection },
      {
        data: { values: features },
        mark: { type: "geoshape", stroke: "#fff", strokeWidth: 0.6, clip: false },
        projection: frame.projection,
        encoding: {
          color: byRate ? { field: "properties.rate", type: "quantitative", title: "per 1,000 residents", scale: { scheme: "reds" } } : { field: "properties.count", type: "quantitative", title: "incidents", scale: { scheme: "reds" } },
          tooltip: [{ field: "properties.area", title: areaLabel }, { field: "properties.count", title: "incidents" }, ...(byRate ? [{ field: "properties.rate", title: "per 1,000 residents", format: ".1f" }] : [])],
        },
      },
      ...c.above,
    ],
  };
}
