export { type VegaLiteSpec, toSvg, rendererWinding, utcTemporal, wrapLabel, wrappedHeader } from "./to-svg.js";
export { textWidth } from "./text-width.js";
export { type LabelPoint, type LabelSlot, type PlacedLabel, type PlaceLabelsOptions, placeLabels, overlaps } from "./label-placement.js";
export { type FunnelRow, type FunnelPeers, type FunnelFigureOptions, type FunnelLabels, FUNNEL_COLOURS, funnelFigure, funnelLabels } from "./funnel.js";
export { type TrajectorySeriesRow, type TrajectoryTarget, type TrajectoryFigureOptions, TRAJECTORY_LINES, trajectoryFigure } from "./trajectory.js";
export { type RagTableRow, type RagTableFigureOptions, RAG_COLOURS, ragTableFigure } from "./rag-table.js";
export { type ChangeFigureRow, type ChangeFigureOptions, CHANGE_COLOURS, changeFigure } from "./change.js";
