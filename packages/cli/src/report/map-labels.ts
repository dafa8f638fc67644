// Moved to @community-safety/figures (browser-safe); re-exported for the CLI's imports.
export { type Box, type MapLabelRequest, type PlacedMapLabel, type PlaceMapLabelsOptions, boxesOverlap, placeMapLabels, textWidth } from "@community-safety/figures";
