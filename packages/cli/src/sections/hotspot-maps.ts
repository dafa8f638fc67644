import { selectRows, type IncidentTable, type Period } from "@community-safety/core";
import { PolygonIndex, polygonLayer, type PolygonFeatureCollection, type PolygonLayer } from "@community-safety/geo";
import { labelPoint, layerBounds, mapFrame, metreFeatures, outline, unionBounds, type Bounds, type MapAreas, type MapContext as FigureMapContext, type MetreFeature } from "@community-safety/figures";
import { PlaceNamer } from "../report/place-names.js";

/** The assessed area's boundary: polygons (lon/lat), and which of them are the area. */
export interface BoundaryLayer {
  featureCollection: PolygonFeatureCollection;
  /** The property naming areas in the file (with `value`: only the features whose `key` is `value` are the area). */
  key?: string;
  value?: string;
}

/** What the hot-spot maps draw for context, besides the incidents. */
export interface HotspotMapOptions {
  /** The assessed area's boundary (`--boundary`); without it the outline of the areas shown is drawn. */
  boundary?: BoundaryLayer;
  /**
   * The whole input before the assessed area was selected. With it an area (ward, beat) is the
   * assessed area's when at least half of the input's located incidents in it, in the period
   * mapped, are the area's: a neighbouring district's ward that holds a few incidents on the
   * border is left out. Without it: when a boundary is given, the areas whose label point lies
   * inside it; else every area holding an incident.
   */
  source?: IncidentTable;
  /**
   * The whole input's located incidents per area of the `--areas` layer, by period key (and
   * `""` for no period): filled on first use and shared between the reports of one run
   * (`assess --all-areas`), so each area's map does not assign the whole input again.
   */
  sourceCounts?: Map<string, Float64Array>;
}

export type { MapAreas };

/**
 * Located incidents of `table` in `period` (all of them for `null`) per area of the layer:
 * the whole input's counts that decide which areas a report's maps show as the area's.
 */
export function areaLayerCounts(table: IncidentTable, period: Period | null, layer: PlaceNamer | { featureCollection: PolygonFeatureCollection; key: string; label: string; nameKey?: string }): Float64Array {
  const namer = layer instanceof PlaceNamer ? layer : (() => {
    const l = polygonLayer(layer.featureCollection, { target: table.crs });
    return new PlaceNamer(l, layer.nameKey ?? layer.key, layer.label);
  })();
  const s = period ? selectRows(table, (i) => table.start[i] >= period.start && table.start[i] < period.end) : table;
  const all = new Float64Array(namer.names.length);
  const b = namer.assign(s);
  for (let i = 0; i < b.length; ++i) if (b[i] >= 0) all[b[i]] += 1;
  return all;
}

/** Everything the hot-spot maps share: one frame, the areas, the outline, and place names. */
export interface MapContext extends FigureMapContext {
  readonly namer: PlaceNamer;
}

/**
 * The maps' shared context for `table` (the assessed area) in `period`, with `areas` (the
 * `--areas` layer) and `options`: which areas are the area's, its edge, and a frame showing the
 * edge, the areas kept and `incidents` (the extent of the incidents mapped).
 */
export function mapContext(
  table: IncidentTable,
  period: Period | null,
  areas: { featureCollection: PolygonFeatureCollection; key: string; label: string; nameKey?: string } | undefined,
  options: HotspotMapOptions,
  incidents: Bounds,
): MapContext {
  const crs = table.crs;
  const inPeriod = (t: IncidentTable) => (period ? selectRows(t, (i) => t.start[i] >= period.start && t.start[i] < period.end) : t);
  let mapAreas: MapAreas | null = null;
  let namer = new PlaceNamer(null, "", "area");
  let boundary: PolygonLayer | null = null;
  if (options.boundary) {
    const { featureCollection, key, value } = options.boundary;
    const features = key !== undefined && value !== undefined ? featureCollection.features.filter((f) => String(f.properties?.[key]) === value) : featureCollection.features;
    if (features.length) boundary = polygonLayer({ ...featureCollection, features }, { target: crs });
  }
  if (areas) {
    const layer = polygonLayer(areas.featureCollection, { target: crs });
    namer = new PlaceNamer(layer, areas.nameKey ?? areas.key, areas.label);
    const n = layer.properties.length;
    const own = new Float64Array(n);
    const t = inPeriod(table);
    const a = namer.assign(t);
    for (let i = 0; i < a.length; ++i) if (a[i] >= 0) own[a[i]] += 1;
    const labelPoints = Array.from({ length: n }, (_, f) => labelPoint(layer, f));
    const keep = new Uint8Array(n);
    let rule: string;
    if (options.source) {
      const cacheKey = period?.key ?? "";
      let all = options.sourceCounts?.get(cacheKey);
      if (!all || all.length !== n) {
        all = areaLayerCounts(options.source, period, namer);
        options.sourceCounts?.set(cacheKey, all);
      }
      for (let f = 0; f < n; ++f) keep[f] = own[f] > 0 && own[f] >= 0.5 * all[f] ? 1 : 0;
      rule = `a ${areas.label} is shown when at least half of the input's located incidents in it are the area's`;
    } else if (boundary) {
      const index = new PolygonIndex(boundary.rings);
      for (let f = 0; f < n; ++f) keep[f] = labelPoints[f] && index.find(labelPoints[f]!.x, labelPoints[f]!.y) >= 0 ? 1 : 0;
      rule = `a ${areas.label} is shown when its centre lies inside the boundary`;
    } else {
      for (let f = 0; f < n; ++f) keep[f] = own[f] > 0 ? 1 : 0;
      rule = `every ${areas.label} holding an incident is shown`;
    }
    mapAreas = { layer, key: areas.nameKey ?? areas.key, label: areas.label, keep, rule, labelPoints, names: namer.names };
  }
  const keptBounds = mapAreas ? layerBounds(mapAreas.layer, (f) => mapAreas!.keep[f] === 1) : null;
  let edge: MapContext["edge"] = null;
  let edgeOf: ((tolerance: number) => MetreFeature) | null = null;
  let edgeBounds: Bounds | null = null;
  if (boundary) {
    const b = boundary;
    edgeBounds = layerBounds(b);
    edgeOf = (tolerance) => ({ type: "Feature", properties: {}, geometry: mergeParts(metreFeatures(b, () => true, () => ({}), tolerance)) });
  } else if (mapAreas && keptBounds) {
    const line = outline(mapAreas.layer, (f) => mapAreas!.keep[f] === 1);
    if (line) {
      edgeBounds = keptBounds;
      edgeOf = () => line;
    }
  }
  const frame = mapFrame(unionBounds(edgeBounds, keptBounds, incidents)!, crs);
  if (edgeOf && edgeBounds) edge = { feature: edgeOf(0.5 / frame.scale), bounds: edgeBounds, source: boundary ? "boundary" : "areas" };
  const drawn = unionBounds(edge?.bounds, keptBounds);
  return { frame, areas: mapAreas, namer, edge, drawn };
}

/** Every polygon of several MultiPolygon features as one MultiPolygon geometry. */
function mergeParts(features: MetreFeature[]): MetreFeature["geometry"] {
  return { type: "MultiPolygon", coordinates: features.flatMap((f) => (f.geometry.type === "MultiPolygon" ? f.geometry.coordinates : [])) };
}

export { type MapLabel, type ContextLayersOptions, contextLayers } from "@community-safety/figures";
