export { type VegaLiteSpec, toSvg, rendererWinding, utcTemporal, wrapLabel, wrappedHeader } from "./to-svg.js";
export { textWidth } from "./text-width.js";
