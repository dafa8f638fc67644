export { type PolygonRings, PolygonIndex } from "./polygon-index.js";
export {
  type PolygonFeature,
  type PolygonFeatureCollection,
  type PolygonLayerOptions,
  type PolygonLayer,
  polygonLayer,
} from "./polygon-layer.js";
export { type AssignAreasOptions, type AssignAreasResult, assignAreas } from "./assign-areas.js";
export { type AreaColumnName, withAreaColumn } from "./with-area-column.js";
export { type FilterByAreaOptions, type FilterByAreaResult, filterByArea } from "./filter-by-area.js";
export {
  type StreetLocality,
  type StreetCountsOptions,
  type StreetCountRow,
  type StreetCountsGroup,
  type StreetCountsResult,
  type TopShareSentenceOptions,
  type StreetCountFeature,
  POLICE_UK_PLACE_NAMES,
  streetCounts,
  topShareSentence,
  streetCountsGeoJson,
} from "./street-counts.js";
export { type ConcentrationOptions, type ConcentrationShare, type ConcentrationResult, concentration } from "./concentration.js";
export { type PredictiveAccuracyRow, type PredictiveAccuracyResult, predictiveAccuracy } from "./predictive-accuracy.js";
export {
  type RepeatKey,
  type RepeatVictimisationOptions,
  type RepeatCountRow,
  type TimeToRepeat,
  type RepeatRate,
  type RepeatRefusal,
  type RepeatVictimisationResult,
  repeatVictimisation,
} from "./repeat-victimisation.js";
export { type Neighbours, type DistanceBandSpec, type DistanceBandOptions, distanceBandNeighbours } from "./distance-band.js";
export { type PermutationAlternative } from "./local-permutation.js";
export { type GetisOrdGiStarOptions, type GetisOrdGiStarResult, getisOrdGiStar } from "./getis-ord.js";
export { type LocalMoranOptions, type LocalMoranResult, type MoranQuadrant, localMoran } from "./local-moran.js";
export { type PAdjustMethod, pAdjust } from "./p-adjust.js";
export {
  type EmergingHotspotCategory,
  type EmergingHotspotCategoryOptions,
  type EmergingHotspotCategoryResult,
  type EmergingHotspotsOptions,
  type EmergingHotspotsResult,
  EMERGING_HOTSPOT_LABELS,
  emergingHotspotCategory,
  emergingHotspots,
} from "./emerging-hotspots.js";
export {
  type HotspotTransition,
  type HotspotSignificanceOptions,
  type PeriodGiStar,
  type HotspotChangeResult,
  type HotspotPersistenceCategory,
  type HotspotPersistenceThresholds,
  type HotspotPersistenceCategoryResult,
  type HotspotPersistenceOptions,
  type HotspotPersistenceResult,
  hotspotChange,
  hotspotPersistence,
  hotspotPersistenceCategory,
} from "./hotspot-change.js";
export { type GridShape, type Grid, type GridBounds, type GridPoints, type GridOptions, grid, automaticCellSize } from "./grid.js";
export { type GridCountsOptions, type GridCountsResult, gridCounts } from "./grid-counts.js";
export { type BandwidthRule, type KernelDensityOptions, type KernelDensityResult, kernelDensity } from "./kernel-density.js";
export { type KernelDensityMethod } from "./kernel-density.js";
export { type GridGeoJSONOptions, type GridCellFeature, type GridFeatureCollection, gridGeoJSON } from "./grid-geojson.js";
export { type WindowPoints, type DensestWindowOptions, type DensestWindowFeature, type DensestWindowResult, CIRCLE_TOLERANCE, densestWindow } from "./densest-window.js";
export { type KnoxEvents, type KnoxTestOptions, type KnoxCell, type KnoxTestResult, knoxTest } from "./knox-test.js";
