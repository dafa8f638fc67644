export { assess, type AssessOptions, type AssessResult } from "./assess.js";
export { renderSvg, type VegaLiteSpec } from "./report/figures.js";
export { toCsv } from "./report/csv.js";
