export { countSeries, type CountSeriesOptions, type CountSeriesResult, type Series } from "./count-series.js";
export { type StlOptions, type StlResult, stl } from "./stl.js";
export { type DecomposeOptions, type DecomposeResult, decompose } from "./decompose.js";
export { type SeasonalProfileOptions, type SeasonalProfile, type SeasonalConsistency, type SeasonalProfileResult, seasonalProfile, friedman } from "./seasonal-profile.js";
export { type CompareSeasonalProfilesOptions, type CompareSeasonalProfilesResult, compareSeasonalProfiles } from "./compare-seasonal-profiles.js";
export { type ControlChartType, type ControlChartOptions, type ControlChartPhase, type ControlChartResult, controlChart } from "./control-chart.js";
export { type RunRule, type RunRulesOptions, type RunSignal, type RunRulesResult, runRules } from "./run-rules.js";
export { type DailyCounts, type MonthDay, type ExceptionalPeriodOptions, type ExceptionalPeriodYear, type ExceptionalPeriodResult, exceptionalPeriod } from "./exceptional-period.js";
