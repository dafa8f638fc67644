export { InputError, type InputErrorCode } from "./errors.js";
export { type DictColumn, dictValue, dictCode } from "./dictionary.js";
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
export { DelimitedParser, parseDelimited, type DelimitedOptions, type RowHandler } from "./delimited.js";
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
  periodIndex,
  periodOrdinalOf,
  clockFor,
} from "./periods.js";
export { type Projector, projector, utmCrsFor, BNG_DEFINITION } from "./projection.js";
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
export { selectRows, lsoaNamePrefixTest } from "./select-rows.js";
export { type PopulationOptions, type PopulationResult, readPopulation } from "./population.js";
