export { InputError, type InputErrorCode, describeValue, failInput, invalidOption } from "./errors.js";
export { type DictColumn, dictValue, dictCode, valueMask } from "./dictionary.js";
export { type IdColumn, idValue } from "./id-column.js";
export {
  type IncidentTable,
  type IncidentRow,
  type Precision,
  type Flag,
  type DictColumnName,
  PRECISION,
  PRECISIONS,
  FLAG,
  SOURCES,
  DICT_COLUMNS,
  IncidentTableBuilder,
  incidentRow,
  incidentRows,
  incidentColumns,
  tableBytes,
} from "./incident-table.js";
export { DelimitedParser, MAX_ROW_CHARS, parseDelimited, type DelimitedOptions, type RowHandler, type OpenQuote } from "./delimited.js";
export { type LocalParts, LocalClock, daysFromCivil, civilFromDays } from "./local-time.js";
export {
  type Period,
  type PeriodUnit,
  type PeriodOptions,
  type PeriodPair,
  type PeriodIndexOptions,
  type PeriodIndexResult,
  periodOf,
  parsePeriod,
  shiftPeriod,
  periodsBetween,
  samePeriodLastYear,
  financialYearToDate,
  rollingTwelveMonths,
  financialYearKey,
  MONTH_ABBREVIATIONS,
  MONTH_NAMES,
  periodIndex,
  periodOrdinalOf,
  clockFor,
} from "./periods.js";
export { type Projector, projector, utmCrsFor, projectedBounds, BNG_DEFINITION } from "./projection.js";
export { type IngestResult, type IngestSummary, type FileSummary, type Rejection, type RejectionReason } from "./ingest-result.js";
export {
  type CategoryGroups,
  POLICE_UK_CATEGORIES,
  POLICE_UK_LEGACY_CATEGORIES,
  POLICE_UK_CRIME_KEYS,
  COMMON_GROUPS,
  policeUkCategoryKey,
  categoryLabel,
  groupMembership,
} from "./categories.js";
export { type PoliceUkOptions, PoliceUkReader, readPoliceUk, districtOfLsoaName } from "./police-uk.js";
export { type LevelDimension, type LevelsOptions, type LevelRow, type LevelsResult, ALL, levels } from "./levels.js";
export { selectRows, lsoaNamePrefixTest, whereTest } from "./select-rows.js";
export { type SelectAreaOptions, selectArea } from "./select-area.js";
export { type RowPartition, partitionRows, rowsOf } from "./partition-rows.js";
export { type PeriodMaskRows, type PeriodMaskOptions, periodMask } from "./period-mask.js";
export { type TimeExtent, timeExtent } from "./time-extent.js";
export { type Span, mergeSpans, intersectSpans, subtractSpans, coveredMinutes, spansContain } from "./span-set.js";
export {
  type CoverageBasis,
  type SourceCoverage,
  type ExtractWindow,
  type DeclaredCoverageOptions,
  type CoveredSpansOptions,
  type LabelledSpan,
  type SourceCoverageReport,
  type CoverageResult,
  coverage,
  coveredSpans,
  declaredCoverage,
  excludeCoverage,
  sourcesOf,
  spanLabel,
  labelled,
  monthAligned,
} from "./coverage.js";
export { type PopulationLevel, type PopulationOptions, type PopulationResult, POPULATION_LEVELS, readPopulation } from "./population.js";
export {
  type DatePart,
  type DateReading,
  type DateFormat,
  type DateFormatOptions,
  compileDateFormat,
  compileTimeFormat,
  parseDateWindow,
  dateReading,
  daysInMonth,
  ZoneResolver,
  zoneResolver,
} from "./date-format.js";
export {
  type FieldSpec,
  type DatePartColumns,
  type FlagColumn,
  type ColumnMapping,
  type SuppressionRule,
  type ReadRecordsOptions,
  readRecords,
} from "./read-records.js";
export { type ReadDelimitedOptions, DelimitedReader, readDelimited } from "./read-delimited.js";
export { type ReadMappingOptions, MAX_MAPPING_DEPTH, readMapping } from "./read-mapping.js";
export { postcodeDistrict } from "./postcode-district.js";
export { type ReadGeoJsonPointsOptions, readGeoJsonPoints } from "./read-geojson.js";
export { CHICAGO_CODE, VANCOUVER_VPD, VANCOUVER_VPD_CATEGORIES, MEMPHIS_CODE, CINCINNATI_PDI, DENVER_PD, POLICE_UK_ASB_TAB } from "./dataset-presets.js";
export { type Random, POISSON_PTRS_CUTOFF, seededRandom, weightedSampler, xoshiroSeedState } from "./random.js";
export {
  type SyntheticTown,
  type SyntheticBoroughOptions,
  type SyntheticArea,
  type SyntheticStreet,
  type SyntheticBoundaryProperties,
  type SyntheticBoundaryFeature,
  type SyntheticBoroughTruths,
  type SyntheticBoroughResult,
  SYNTHETIC_TOWNS,
  syntheticBorough,
  syntheticBoroughPoliceUkCsv,
} from "./synthetic-borough.js";
export {
  type TailOptions,
  type GammaOptions,
  logGamma,
  normalCdf,
  normalQuantile,
  gammaCdf,
  gammaQuantile,
  chiSquareCdf,
  chiSquareQuantile,
  betaCdf,
  betaQuantile,
  poissonPmf,
  poissonCdf,
  poissonQuantile,
  binomialPmf,
  binomialCdf,
  negativeBinomialCdf,
  negativeBinomialQuantile,
} from "./stats/distributions.js";
export { type PoissonTestOptions, type PoissonTestResult, poissonTest } from "./stats/poisson-test.js";
export { type Alternative } from "./stats/check.js";
export { type BinomialTestOptions, type BinomialTestResult, binomialTest } from "./stats/binomial-test.js";
export { type PoissonRateTestOptions, type PoissonRateTestResult, poissonRateTest } from "./stats/poisson-rate-test.js";
export { type PoissonETestOptions, type PoissonETestResult, poissonETest } from "./stats/poisson-e-test.js";
export { type PoissonZOptions, type PoissonZResult, poissonZ } from "./stats/poisson-z.js";
export { type PoissonIntervalOptions, type PoissonIntervalResult, poissonInterval } from "./stats/poisson-interval.js";
export { type WilsonIntervalOptions, type WilsonIntervalResult, wilsonInterval } from "./stats/wilson-interval.js";
export { type ProportionTestOptions, type ProportionTestResult, proportionTest } from "./stats/proportion-test.js";
export {
  type FunnelMethod,
  type FunnelOverdispersion,
  type FunnelPosition,
  type FunnelLimitsOptions,
  type FunnelLimit,
  type FunnelArea,
  type FunnelLimitsResult,
  funnelLimits,
  poissonControlLimit,
} from "./stats/funnel-limits.js";
export { type FunnelOverdispersionOptions, type FunnelOverdispersionResult, funnelOverdispersion } from "./stats/funnel-overdispersion.js";
export { type PrePost, type WddCounts, type WddOptions, type WddPart, type WddResult, weightedDisplacementDifference } from "./stats/weighted-displacement.js";
export { type PartialPeriods, type ComparisonWindow, type ComparisonWindowsOptions, PARTIAL_PERIODS, comparisonWindows, describeCoverage } from "./comparison-windows.js";
export { type KnownBreak, type KnownBreaksOptions, type KnownBreakHit, KNOWN_BREAKS, knownBreaks } from "./known-breaks.js";
export { type ChangeOptions, type ChangeRow, type ChangeResult, change, yearOnYear, financialYearToDateChange, rollingTwelveMonthsChange } from "./change.js";
export { type ComparePreviousOptions, type ComparePreviousRow, type ComparePreviousResult, comparePrevious } from "./compare-previous.js";
export { type PeerComparisonOptions, type PeerRow, type PeerOverdispersion, type PeerComparisonResult, peerComparison } from "./peer-comparison.js";
export { type ProportionsOptions, type ProportionRow, type ProportionComparison, type ProportionsResult, proportions } from "./proportions.js";
export { type Target, type TargetPlan, type TargetWhereDimension, readTargets } from "./targets.js";
export { type TargetProgressOptions, type TargetProgressRow, type TargetSeriesRow, type TargetProgressResult, type Rag, targetProgress } from "./target-progress.js";
export { type AreaSelector, type InterventionOptions, type AreaChange, type InterventionCategoryRow, type InterventionResult, evaluateIntervention } from "./intervention.js";
export { type DisclosureMethod, type DisclosurePolicy, type DisclosureControlOptions, type DisclosureControlResult, disclosureControl, disclosureRule } from "./disclosure-control.js";
export { type PseudonymiseOptions, type PseudonymiseResult, type WebCryptoKey, pseudonymise, hmacSha256Hex } from "./pseudonymise.js";
export { combineIngests, type CombineIngestsOptions } from "./combine-ingests.js";
export { type RankCorrelationResult, rankCorrelation, averageRanks } from "./stats/rank-correlation.js";
export { jsonDepth } from "./json-depth.js";
