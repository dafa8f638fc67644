import { funnelLimits, type PeerOverdispersion } from "@community-safety/core";
import { escapeHtml } from "../report/html.js";
import { renderSvg } from "../report/figures.js";
import { placeLabels, type LabelSlot, type PlacedLabel } from "../report/label-placement.js";

/** One area as published (under `--public` a rate and its position may be withheld: `null`). */
export interface PeerFunnelRow {
  area: string;
  population: number;
  rate: number | null;
  position: string | null;
  poissonPosition: string | null;
}

/** What the funnel figure needs from `peerComparison`, and how to word it. */
export interface PeerFunnelInput {
  groupRate: number;
  /** Rates per this many residents. */
  per: number;
  overdispersion: PeerOverdispersion;
  rows: readonly PeerFunnelRow[];
  /** The assessed area: labelled first. */
  areaName: string;
  /** The period's key, for the title ("2021/22"). */
  period: string;
  /** The areas' plural ("districts"). Default "districts". */
  plural?: string;
  /** What is counted, for the title and axis. Default "recorded crime". */
  what?: string;
}

/** The funnel figure, its plain-English caption and the method note. */
export interface PeerFunnelFigure {
  svg: string;
  /** Plain English: what the dots and lines are, which limits and why (HTML-escaped). */
  caption: string;
  /** The method, for a note under the figure (HTML-escaped). */
  note: string;
  /** The labels drawn, in pixels of the plot area. */
  labels: PlacedLabel[];
  /** Areas drawn without a name (no room beside their dot). */
  unlabelled: string[];
}

const WIDTH = 520;
const HEIGHT = 300;
const POINT_SIZE = 60; // area in px², so a radius of √(60/π) ≈ 4.4 px

/**
 * The peer funnel plot: each area's rate against its residents, the group rate, the control
 * limits that allow for the usual variation between areas (Spiegelhalter 2005 random effects,
 * 95% dashed and 99.8% solid) and, fainter, the limits for chance alone (plain Poisson) when
 * they differ. Names sit beside their dots without overlapping (see `placeLabels`): the
 * assessed area first, then areas outside the limits, then the rest.
 */
export async function peerFunnelFigure(input: PeerFunnelInput): Promise<PeerFunnelFigure> {
  const { groupRate, per, overdispersion: od, rows, areaName, period } = input;
  const plural = input.plural ?? "districts";
  const what = input.what ?? "recorded crime";
  const perWords = `per ${per.toLocaleString("en-GB")} residents`;
  const shown = rows.filter((r): r is PeerFunnelRow & { rate: number } => r.rate !== null);
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
  const px = (p: number) => ((p - lo) / (hi - lo)) * WIDTH;
  const py = (r: number) => HEIGHT - ((r - y0) / (y1 - y0)) * HEIGHT;
  const rank = (r: PeerFunnelRow) => (r.area === areaName ? 0 : r.position === "above" || r.position === "below" ? 1 : 2);
  const labels = placeLabels(
    shown.map((r) => ({ x: px(r.population), y: py(r.rate), text: r.area, priority: rank(r) })),
    { width: WIDTH, height: HEIGHT, fontSize: 10, pointRadius: Math.sqrt(POINT_SIZE / Math.PI) + 1 },
  );
  const placedIndex = new Set(labels.map((l) => l.index));
  const unlabelled = shown.filter((_, i) => !placedIndex.has(i)).map((r) => r.area);
  // One text layer per slot used (Vega-Lite's align, baseline and offsets are mark properties).
  const slotKey = (s: LabelSlot) => `${s.align}|${s.baseline}|${s.dx}|${s.dy}`;
  const bySlot = new Map<string, { slot: LabelSlot; values: Record<string, unknown>[] }>();
  for (const l of labels) {
    const r = shown[l.index];
    const k = slotKey(l);
    if (!bySlot.has(k)) bySlot.set(k, { slot: l, values: [] });
    bySlot.get(k)!.values.push({ district: r.area, population: r.population, rate: r.rate });
  }
  const x = { field: "population", type: "quantitative", scale: { domain: [lo, hi], nice: false, zero: false } };
  const y = { field: "rate", type: "quantitative", scale: { domain: [y0, y1], nice: false, zero: false } };
  const svg = await renderSvg({
    title: `Funnel plot: ${what} ${perWords}, ${period}`,
    width: WIDTH,
    height: HEIGHT,
    layer: [
      ...(faint.length
        ? [{
            data: { values: faint },
            mark: { type: "line", strokeWidth: 1, color: "#cfcfcf" },
            encoding: { x, y, detail: { field: "limit" }, strokeDash: { field: "level", type: "nominal", legend: null, scale: { domain: ["95%", "99.8%"], range: [[4, 3], [1, 0]] } } },
          }]
        : []),
      {
        data: { values: lines },
        mark: { type: "line", strokeWidth: 1.2, color: "#666" },
        encoding: {
          x: { ...x, title: "residents", axis: { format: "~s" } },
          y: { ...y, title: `${what} ${perWords}` },
          detail: { field: "limit" },
          strokeDash: { field: "level", type: "nominal", legend: null, scale: { domain: ["95%", "99.8%"], range: [[4, 3], [1, 0]] } },
        },
      },
      { data: { values: [{ rate: groupRate }] }, mark: { type: "rule", color: "#b5523b" }, encoding: { y } },
      {
        data: { values: shown.map((r) => ({ district: r.area, population: r.population, rate: r.rate, position: r.position })) },
        mark: { type: "point", filled: true, size: POINT_SIZE, opacity: 1 },
        encoding: {
          x,
          y,
          color: { field: "position", type: "nominal", scale: { domain: ["above", "within", "below"], range: ["#b5523b", "#1f5fa8", "#3a9d5d"] }, title: "vs 99.8% limits" },
        },
      },
      ...[...bySlot.values()].map(({ slot, values }) => ({
        data: { values },
        mark: { type: "text", fontSize: 10, align: slot.align, baseline: slot.baseline, dx: slot.dx, dy: slot.dy },
        encoding: { x, y, text: { field: "district" } },
      })),
    ],
  });

  const n = rows.length;
  const poissonOut = rows.filter((r) => r.poissonPosition === "above" || r.poissonPosition === "below").length;
  const levelsWords = "dashed lines 95%, solid lines 99.8%";
  let caption = `Each dot is one of the ${n} ${plural}: ${what} ${perWords} in ${period} against its number of residents. The red line is the rate of all ${n} ${plural} together (${groupRate.toFixed(1)}). `;
  if (re) {
    caption += `${cap(plural)} differ for reasons that have nothing to do with chance (housing, town centres, roads, how busy they are), so the grey funnel allows for the usual variation between ${plural} as well as for chance (${levelsWords}): a dot outside the solid lines is unusual even among ${plural}. The faint lines are the limits for chance alone; ${poissonOut} of the ${n} ${plural} lie outside those simply because ${plural} differ.`;
  } else if (od.method === "random-effects" && od.overdispersed) {
    caption += `The grey funnel shows how far a rate can sit from that line by chance alone (${levelsWords}). With only ${n} ${plural} the usual variation between them cannot be told apart from a real difference, so no allowance is made for it: read dots outside the lines with that in mind.`;
  } else if (od.method === "random-effects") {
    caption += `The grey funnel shows how far a rate can sit from that line by chance alone (${levelsWords}); the ${plural} vary no more than chance gives, so no allowance for other variation is needed. A dot outside the solid lines differs by more than chance allows for its size.`;
  } else {
    caption += `The grey funnel shows how far a rate can sit from that line by chance alone (${levelsWords}).${od.overdispersed ? ` The ${plural} vary more than chance gives, so with counts this large many fall outside these limits by construction.` : ""}`;
  }
  if (unlabelled.length) caption += ` Unnamed dots (no room for the name): ${unlabelled.join(", ")}; all are in the table.`;
  const phi = od.phi === null ? "" : ` Over-dispersion φ = ${od.phi.toFixed(1)} (I·φ = ${od.statistic!.toFixed(1)} against I − 1 = ${od.df}${od.pValue === null ? "" : `, p ${od.pValue < 0.001 ? "< 0.001" : `= ${od.pValue.toFixed(3)}`}`}; z-scores winsorised at the ${Math.round(100 * od.winsorise)}th and ${Math.round(100 * (1 - od.winsorise))}th percentiles).`;
  const note = re
    ? `Method: Spiegelhalter (2005) additive random-effects funnel limits. Each ${singular(plural)}'s z-score is 2(√O − √E), O recorded and E expected at the group rate.${phi} Between-${singular(plural)} variance τ² = ${od.tau2.toPrecision(3)} (τ = ${od.tau.toFixed(3)}) on the square-root scale; limits E(1 ± z √(1/(4E) + τ²))² for z = 1.96 (95%) and 3.09 (99.8%), as rates. Faint lines: exact Poisson limits (Spiegelhalter's interpolation), which assume every ${singular(plural)}'s true rate is the group rate.`
    : `Method: exact Poisson control limits (Spiegelhalter 2005 interpolation), which assume every ${singular(plural)}'s true rate is the group rate.${phi}${od.method === "random-effects" && od.overdispersed ? ` Random-effects limits need at least ${od.minAreas} ${plural}.` : ""}`;
  return { svg, caption: escapeHtml(caption), note: escapeHtml(note), labels, unlabelled };
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const singular = (plural: string) => (plural === "LSOAs" ? "LSOA" : plural.replace(/s$/, ""));
