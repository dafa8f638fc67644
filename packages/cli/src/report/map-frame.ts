// Moved to @community-safety/figures (browser-safe); re-exported for the CLI's imports.
export {
  type Bounds,
  type MetreFeature,
  type MapFrame,
  type MapFrameOptions,
  mapFrame,
  unionBounds,
  layerBounds,
  metreFeatures,
  outline,
  labelPoint,
  featureLabelPoint,
  ringLines,
  clipFeatures,
  intersectBounds,
} from "@community-safety/figures";
