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
