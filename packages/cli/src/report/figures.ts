// The report's figures are drawn by @community-safety/figures (browser-safe); the CLI's old name stays.
export { toSvg as renderSvg, rendererWinding, utcTemporal, wrapLabel, wrappedHeader, type VegaLiteSpec } from "@community-safety/figures";
