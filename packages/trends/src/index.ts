export { countSeries, type CountSeriesOptions, type CountSeriesResult, type Series } from "./count-series.js";
