import type { PeerOverdispersion } from "@community-safety/core";
import { funnelPlot, type PlacedLabel } from "@community-safety/figures";
import { escapeHtml, upperFirst } from "../report/html.js";
import { renderSvg } from "../report/figures.js";

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

/**
 * The peer funnel plot: each area's rate against its residents, the group rate, the control
 * limits that allow for the usual variation between areas (Spiegelhalter 2005 random effects,
 * 95% dashed and 99.8% solid) and, fainter, the limits for chance alone (plain Poisson) when
 * they differ. Names sit beside their dots without overlapping (see `placeLabels`): the
 * assessed area first, then areas outside the limits, then the rest. Drawn by
 * `@community-safety/figures`' `funnelFigure`; this adds the caption and the method note.
 */
export async function peerFunnelFigure(input: PeerFunnelInput): Promise<PeerFunnelFigure> {
  const { groupRate, per, overdispersion: od, rows, areaName, period } = input;
  const plural = input.plural ?? "districts";
  const what = input.what ?? "recorded crime";
  const perWords = `per ${per.toLocaleString("en-GB")} residents`;
  const re = od.randomEffects;
  const options = { area: areaName, period, what };
  const { spec, labels, unlabelled } = funnelPlot(input, options);
  const svg = await renderSvg(spec);

  const n = rows.length;
  const poissonOut = rows.filter((r) => r.poissonPosition === "above" || r.poissonPosition === "below").length;
  const levelsWords = "dashed lines 95%, solid lines 99.8%";
  let caption = `Each dot is one of the ${n} ${plural}: ${what} ${perWords} in ${period} against its number of residents. The red line is the rate of all ${n} ${plural} together (${groupRate.toFixed(1)}). `;
  if (re) {
    caption += `${upperFirst(plural)} differ for reasons that have nothing to do with chance (housing, town centres, roads, how busy they are), so the grey funnel allows for the usual variation between ${plural} as well as for chance (${levelsWords}): a dot outside the solid lines is unusual even among ${plural}. The faint lines are the limits for chance alone; ${poissonOut} of the ${n} ${plural} lie outside those simply because ${plural} differ.`;
  } else if (od.method === "random-effects" && od.overdispersed) {
    caption += `The grey funnel shows how far a rate can sit from that line by chance alone (${levelsWords}). With only ${n} ${plural} the usual variation between them cannot be told apart from a real difference, so no allowance is made for it: read dots outside the lines with that in mind.`;
  } else if (od.method === "random-effects") {
    caption += `The grey funnel shows how far a rate can sit from that line by chance alone (${levelsWords}); the ${plural} vary no more than chance gives, so no allowance for other variation is needed. A dot outside the solid lines differs by more than chance allows for its size.`;
  } else {
    caption += `The grey funnel shows how far a rate can sit from that line by chance alone (${levelsWords}).${od.overdispersed ? ` The ${plural} vary more than chance gives, so with counts this large many fall outside these limits by construction.` : ""}`;
  }
  if (rows.some((r) => r.area === areaName && r.rate !== null)) caption += ` ${upperFirst(areaName)} is ringed.`;
  // A long list of unnamed dots (a national run has 300) is not read: it is counted instead.
  if (unlabelled.length > UNNAMED_LISTED) caption += ` ${unlabelled.length} of the ${n} dots are unnamed for want of room; every ${singular(plural)} is in peer-funnel.csv.`;
  else if (unlabelled.length) caption += ` Unnamed dots (no room for the name): ${unlabelled.join(", ")}; all are in the table.`;
  const phi = od.phi === null ? "" : ` Over-dispersion φ = ${od.phi.toFixed(1)} (I·φ = ${od.statistic!.toFixed(1)} against I − 1 = ${od.df}${od.pValue === null ? "" : `, p ${od.pValue < 0.001 ? "< 0.001" : `= ${od.pValue.toFixed(3)}`}`}; z-scores winsorised at the ${Math.round(100 * od.winsorise)}th and ${Math.round(100 * (1 - od.winsorise))}th percentiles).`;
  const note = re
    ? `Method: Spiegelhalter (2005) additive random-effects funnel limits. Each ${singular(plural)}'s z-score is 2(√O − √E), O recorded and E expected at the group rate.${phi} Between-${singular(plural)} variance τ² = ${od.tau2.toPrecision(3)} (τ = ${od.tau.toFixed(3)}) on the square-root scale; limits E(1 ± z √(1/(4E) + τ²))² for z = 1.96 (95%) and 3.09 (99.8%), as rates. Faint lines: exact Poisson limits (Spiegelhalter's interpolation), which assume every ${singular(plural)}'s true rate is the group rate.`
    : `Method: exact Poisson control limits (Spiegelhalter 2005 interpolation), which assume every ${singular(plural)}'s true rate is the group rate.${phi}${od.method === "random-effects" && od.overdispersed ? ` Random-effects limits need at least ${od.minAreas} ${plural}.` : ""}`;
  return { svg, caption: escapeHtml(caption), note: escapeHtml(note), labels, unlabelled };
}

/** Up to this many unnamed dots are listed by name in the caption. */
const UNNAMED_LISTED = 20;

const singular = (plural: string) => (plural === "LSOAs" ? "LSOA" : plural.replace(/s$/, ""));
