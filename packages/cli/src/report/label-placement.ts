// Label placement moved to @community-safety/figures (the funnel plot's builder uses it); the CLI's imports keep working.
export { type LabelPoint, type LabelSlot, type PlacedLabel, type PlaceLabelsOptions, placeLabels, overlaps } from "@community-safety/figures";
