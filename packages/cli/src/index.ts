export { assess, type AssessOptions, type AssessResult } from "./assess.js";
export { renderSvg, type VegaLiteSpec } from "./report/figures.js";
export { toCsv } from "./report/csv.js";
export { reportCalendar, defaultFyStart, headlineWords, type ReportCalendar, type YearCoverage } from "./sections/report-calendar.js";
export { plannedComparisons, type PlannedComparisons } from "./sections/change-section.js";
export { trendVerdict } from "./sections/trends-section.js";
