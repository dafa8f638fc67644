import { funnelLimits, InputError, type PeerOverdispersion } from "@community-safety/core";
import { placeLabels, type LabelSlot, type PlacedLabel } from "./label-placement.js";
import type { VegaLiteSpec } from "./to-svg.js";

/** One area of the funnel: a `PeerRow` of core's `peerComparison`, or the row as published (under disclosure control a rate and its position may be withheld: `null`, and the dot is not drawn). */
export interface FunnelRow {
  area: string;
  population: number;
  rate: number | null;
  position: string | null;
}

/** What {@link funnelFigure} draws: core's `PeerComparisonResult`, or its group rate, `per`, over-dispersion and (protected) rows. */
export interface FunnelPeers {
  /** The pooled group rate per `per`. */
  groupRate: number | null;
  /** Rates per this many residents. */
  per: number;
  overdispersion: PeerOverdispersion;
  rows: readonly FunnelRow[];
}

/** Options for {@link funnelFigure} and {@link funnelLabels}. */
export interface FunnelFigureOptions {
  /** The assessed area: labelled first. Default none. */
  area?: string;
  /** The period's key for the title ("2021/22"). Default none (the title names no period). */
  period?: string;
  /** What is counted, for the title and axis. Default "recorded crime". */
  what?: string;
  /** Plot width and height in pixels. Defaults 520 and 300. */
  width?: number;
  height?: number;
}

/** The names {@link funnelFigure} draws beside their dots, and the areas left unnamed. */
export interface FunnelLabels {
  /** The labels drawn, in pixels of the plot area (`index` is the position among the drawn dots). */
  labels: PlacedLabel[];
  /** Areas drawn without a name (no room beside their dot). */
  unlabelled: string[];
}

const POINT_SIZE = 60; // area in px², so a radius of √(60/π) ≈ 4.4 px
const FOCUS_RING_SIZE = 200; // the assessed area's ring: radius ≈ 8 px, clear of its dot
const DASH = { domain: ["95%", "99.8%"], range: [[4, 3], [1, 0]] };
/** Dot colours by position against the widest limits. */
export const FUNNEL_COLOURS = { above: "#b5523b", within: "#1f5fa8", below: "#3a9d5d" } as const;

/**
 * The peer funnel plot as a Vega-Lite spec: each area's rate against its residents, the group
 * rate (red rule), the control limits that allow for the usual variation between areas
 * (Spiegelhalter 2005 additive random effects, when `overdispersion.randomEffects`; else exact
 * Poisson limits, Spiegelhalter's interpolation, from core's `funnelLimits`) at 95% (dashed)
 * and 99.8% (solid) and, fainter, the limits for chance alone when they differ. The limits are
 * drawn over 60 log-spaced populations from half the smallest area to 1.15 × the largest; the
 * scales are explicit, so names sit beside their dots without overlapping (see
 * {@link placeLabels}): the assessed area first, then areas outside the limits, then the rest.
 * Rows whose rate is `null` (withheld) are not drawn.
 *
 * @throws {InputError} `"invalid-option"` when there is no positive group rate or no row.
 * @example
 * const spec = funnelFigure(peerComparison(table, { population, period: "2021/22" }), { area: "Charnwood", period: "2021/22" });
 * await toSvg(spec); // => "<svg …"
 */
export function funnelFigure(peers: FunnelPeers, options: FunnelFigureOptions = {}): VegaLiteSpec {
  return funnelPlot(peers, options).spec;
}

/**
 * {@link funnelFigure}'s spec and {@link funnelLabels}' names from one layout (the limits and the
 * label placement computed once), for a caller that draws the funnel and captions it.
 *
 * @throws {InputError} `"invalid-option"` as {@link funnelFigure}.
 */
export function funnelPlot(peers: FunnelPeers, options: FunnelFigureOptions = {}): FunnelLabels & { spec: VegaLiteSpec } {
  const g = layout(peers, options);
  return { spec: funnelSpec(peers, options, g), labels: g.labels, unlabelled: g.unlabelled };
}

function funnelSpec(peers: FunnelPeers, options: FunnelFigureOptions, g: ReturnType<typeof layout>): VegaLiteSpec {
  const { what = "recorded crime", period } = options;
  const { groupRate, per } = peers;
  const perWords = `per ${per.toLocaleString("en-GB")} residents`;
  // One text layer per slot used (Vega-Lite's align, baseline and offsets are mark properties).
  const slotKey = (s: LabelSlot) => `${s.align}|${s.baseline}|${s.dx}|${s.dy}`;
  const bySlot = new Map<string, { slot: LabelSlot; values: Record<string, unknown>[] }>();
  let focusLabel: { slot: LabelSlot; value: Record<string, unknown> } | null = null;
  for (const l of g.labels) {
    const r = g.shown[l.index];
    if (options.area !== undefined && r.area === options.area) {
      focusLabel = { slot: l, value: { district: r.area, population: r.population, rate: r.rate } };
      continue;
    }
    const k = slotKey(l);
    if (!bySlot.has(k)) bySlot.set(k, { slot: l, values: [] });
    bySlot.get(k)!.values.push({ district: r.area, population: r.population, rate: r.rate });
  }
  const x = { field: "population", type: "quantitative", scale: { domain: [g.lo, g.hi], nice: false, zero: false } };
  const y = { field: "rate", type: "quantitative", scale: { domain: [g.y0, g.y1], nice: false, zero: false } };
  return {
    title: `Funnel plot: ${what} ${perWords}${period === undefined ? "" : `, ${period}`}`,
    width: g.width,
    height: g.height,
    layer: [
      ...(g.faint.length
        ? [{
            data: { values: g.faint },
            mark: { type: "line", strokeWidth: 1, color: "#cfcfcf" },
            encoding: { x, y, detail: { field: "limit" }, strokeDash: { field: "level", type: "nominal", legend: null, scale: DASH } },
          }]
        : []),
      {
        data: { values: g.lines },
        mark: { type: "line", strokeWidth: 1.2, color: "#666" },
        encoding: {
          x: { ...x, title: "residents", axis: { format: "~s" } },
          y: { ...y, title: `${what} ${perWords}` },
          detail: { field: "limit" },
          strokeDash: { field: "level", type: "nominal", legend: null, scale: DASH },
        },
      },
      { data: { values: [{ rate: groupRate }] }, mark: { type: "rule", color: FUNNEL_COLOURS.above }, encoding: { y } },
      {
        data: { values: g.shown.map((r) => ({ district: r.area, population: r.population, rate: r.rate, position: r.position })) },
        mark: { type: "point", filled: true, size: POINT_SIZE, opacity: 1 },
        encoding: {
          x,
          y,
          color: { field: "position", type: "nominal", scale: { domain: ["above", "within", "below"], range: [FUNNEL_COLOURS.above, FUNNEL_COLOURS.within, FUNNEL_COLOURS.below] }, title: "vs 99.8% limits" },
        },
      },
      ...[...bySlot.values()].map(({ slot, values }) => ({
        data: { values },
        mark: { type: "text", fontSize: 10, align: slot.align, baseline: slot.baseline, dx: slot.dx, dy: slot.dy },
        encoding: { x, y, text: { field: "district" } },
      })),
      // The assessed area: its dot ringed, its name in bold on a white halo (it may lie over other dots).
      ...g.shown
        .filter((r) => options.area !== undefined && r.area === options.area)
        .map((r) => ({ data: { values: [{ population: r.population, rate: r.rate }] }, mark: { type: "point", filled: false, size: FOCUS_RING_SIZE, stroke: "#111", strokeWidth: 1.5, opacity: 1 }, encoding: { x, y } })),
      ...(focusLabel
        ? [{
            data: { values: [focusLabel.value] },
            mark: { type: "text", fontSize: 10, fontWeight: "bold", stroke: "#fff", strokeWidth: 3, align: focusLabel.slot.align, baseline: focusLabel.slot.baseline, dx: focusLabel.slot.dx, dy: focusLabel.slot.dy },
            encoding: { x, y, text: { field: "district" } },
          }]
        : []),
    ],
  };
}

/**
 * The names {@link funnelFigure} draws beside their dots (pixels of the plot area) and the areas
 * it leaves unnamed for want of room, for a caption that lists them.
 *
 * @throws {InputError} `"invalid-option"` as {@link funnelFigure}.
 */
export function funnelLabels(peers: FunnelPeers, options: FunnelFigureOptions = {}): FunnelLabels {
  const { labels, unlabelled } = funnelPlot(peers, options);
  return { labels, unlabelled };
}

type Shown = FunnelRow & { rate: number };

function layout(peers: FunnelPeers, options: FunnelFigureOptions) {
  const { groupRate, per, overdispersion: od, rows } = peers;
  const { area, width = 520, height = 300 } = options;
  if (!(typeof groupRate === "number" && groupRate > 0)) throw new InputError("invalid-option", `funnelFigure: groupRate must be a positive number, got ${groupRate}`);
  if (rows.length === 0) throw new InputError("invalid-option", "funnelFigure: rows must hold at least one area, got 0");
  if (!(width > 0) || !(height > 0)) throw new InputError("invalid-option", `funnelFigure: width and height must be positive, got ${width} × ${height}`);
  const shown = rows.filter((r): r is Shown => r.rate !== null);
  const pops = rows.map((r) => r.population);
  const lo = Math.min(...pops) * 0.5;
  const hi = Math.max(...pops) * 1.15;
  const grid = Array.from({ length: 60 }, (_, k) => lo * Math.pow(hi / lo, k / 59));
  const zeros = grid.map(() => 0);
  const re = od.randomEffects;
  // The limits drawn (random effects when they apply), and the plain Poisson ones beside them.
  const band = funnelLimits(zeros, grid, { groupRate, per, ...(re ? { tau2: od.tau2 } : { overdispersion: "none" as const }) });
  const poisson = re ? funnelLimits(zeros, grid, { groupRate, per, overdispersion: "none" }) : null;
  const linesOf = (f: typeof band, kind: string) =>
    f.areas.flatMap((a) => a.limits.flatMap((l) => [
      { population: a.population, rate: l.lower, limit: `${kind} ${l.level} lower`, level: l.level === 0.95 ? "95%" : `${(100 * l.level).toFixed(1)}%` },
      { population: a.population, rate: l.upper, limit: `${kind} ${l.level} upper`, level: l.level === 0.95 ? "95%" : `${(100 * l.level).toFixed(1)}%` },
    ]));
  const lines = linesOf(band, "drawn");
  const faint = poisson ? linesOf(poisson, "poisson") : [];
  // Explicit scales, so the labels can be placed in pixels before the chart is drawn.
  const ys = [groupRate, ...lines.map((l) => l.rate), ...faint.map((l) => l.rate), ...shown.map((r) => r.rate)];
  const yMin0 = Math.min(...ys);
  const yMax0 = Math.max(...ys);
  const pad = (yMax0 - yMin0) * 0.05 || 1;
  const y0 = Math.max(0, yMin0 - pad);
  const y1 = yMax0 + pad;
  const px = (p: number) => ((p - lo) / (hi - lo)) * width;
  const py = (r: number) => height - ((r - y0) / (y1 - y0)) * height;
  const rank = (r: FunnelRow) => (r.area === area ? 0 : r.position === "above" || r.position === "below" ? 1 : 2);
  const labels = placeLabels(
    shown.map((r) => ({ x: px(r.population), y: py(r.rate), text: r.area, priority: rank(r), overPoints: r.area === area })),
    { width, height, fontSize: 10, pointRadius: Math.sqrt(POINT_SIZE / Math.PI) + 1 },
  );
  const placedIndex = new Set(labels.map((l) => l.index));
  const unlabelled = shown.filter((_, i) => !placedIndex.has(i)).map((r) => r.area);
  return { shown, lines, faint, lo, hi, y0, y1, width, height, labels, unlabelled };
}
