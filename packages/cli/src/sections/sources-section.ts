import { countSeries } from "@community-safety/trends";
import { rankCorrelation, selectRows, type IncidentTable, type Period } from "@community-safety/core";
import { assignAreas, type PolygonFeatureCollection } from "@community-safety/geo";
import { fmtInt, escapeHtml, type Section, upperFirst } from "../report/html.js";
import { renderSvg } from "../report/figures.js";
import { sourceIndexFigure, type SourceIndexRow } from "@community-safety/figures";
import type { OutputFile } from "./output.js";
import { DisclosureContext } from "../report/public-outputs.js";
import type { CountsDisclosure } from "../report/public-rows.js";
import { sourceLabel } from "./levels-section.js";
import type { Finding } from "./summary-section.js";
import { firstOrder, tallyCodes } from "./row-tally.js";

/** sources-by-area.csv: each source's incidents per area (ward, beat or district) in the headline period. */
export const SOURCES_BY_AREA_SPEC: CountsDisclosure = {
  kind: "counts",
  counts: ["count"],
  dimensions: ["area", "source"],
  // A source's total over areas is published (levels); an area's total over sources is not.
  margins: ["area"],
  other: { areaLevel: "what the areas are (ward, beat, district)" },
};

/** sources-monthly.csv: each source's incidents per covered month. */
export const SOURCES_MONTHLY_SPEC: CountsDisclosure = {
  kind: "counts",
  counts: ["count"],
  dimensions: ["month", "source"],
  margins: ["month"],
};

/** sources-correlation.csv: rank correlations between sources, by month and by area (statistics over many cells). */
const CORRELATION_SPEC = {
  kind: "not-disclosive" as const,
  reason: "Spearman rank correlations between sources' monthly and area counts, each over 12 or more months or 5 or more areas: statistics that give no count back",
};

/** Where each row is: the areas layer's polygons (wards, beats) when given, else the table's ward, beat or district column. */
function areasOf(table: IncidentTable, areas?: { featureCollection: PolygonFeatureCollection; key: string; label: string }): { label: string; of: (i: number) => string | null } | null {
  if (areas) {
    const a = assignAreas(table, areas.featureCollection, { key: areas.key });
    return { label: areas.label, of: (i) => (a.area[i] >= 0 ? a.keys[a.area[i]] : null) };
  }
  for (const [column, label] of [["ward", "ward"], ["beat", "beat"], ["district", "district"]] as const) {
    const col = table[column];
    if (col.values.filter((v) => v !== null).length >= 5) return { label, of: (i) => col.values[col.codes[i]] };
  }
  return null;
}

const fmtRho = (r: number) => r.toFixed(2).replace("-", "−");
const fmtP = (p: number | null) => (p === null ? "–" : p < 0.001 ? "p < 0.001" : `p = ${p.toFixed(3)}`);

/**
 * The partnership picture: how the sources (police recorded crime, ASB, deliberate fires,
 * ambulance call-outs, hospital admissions…) compare — records per source in the headline
 * period, whether their monthly counts rise and fall together (Spearman's ρ over the months
 * every pair covers: both may simply share a season, which the note says), and whether the
 * areas (wards, beats) with more of one have more of the other (ρ over areas), naming the areas
 * in the top quarter for both. Only for two or more sources.
 */
export async function sourcesSection(
  table: IncidentTable,
  areaName: string,
  period: Period | null,
  areas: { featureCollection: PolygonFeatureCollection; key: string; label: string } | undefined,
  dc: DisclosureContext = new DisclosureContext(null),
): Promise<{ section: Section; files: OutputFile[]; findings: Finding[] } | null> {
  // In order of first row; a dictionary's values are distinct, so no set is needed.
  const sources = firstOrder(tallyCodes(table.source.codes, table.source.values.length))
    .map((c) => table.source.values[c])
    .filter((s): s is string => s !== null);
  if (sources.length < 2 || !period) return null;
  const files: OutputFile[] = [];
  const findings: Finding[] = [];
  const candidates: Finding[] = [];
  const bySource = new Map(sources.map((s) => [s, selectRows(table, (i) => table.source.values[table.source.codes[i]] === s)]));
  let html = `<p class="lead">${escapeHtml(`${upperFirst(areaName)}'s ${sources.length} sources side by side: whether they rise and fall together month by month, and whether the same ${areas?.label ?? "area"}s have more of each.`)}</p>`;

  // ---- Monthly: each source over the months it covers ------------------------------------
  const months = countSeries(table, { unit: "month" }).periods;
  const series = new Map(sources.map((s) => [s, countSeries(bySource.get(s)!, { unit: "month", from: months[0].key, to: months[months.length - 1].key }).series[0]?.counts ?? new Float64Array(months.length).fill(NaN)]));
  const monthlyName = "sources-monthly.csv";
  const monthlyRows = dc.protect(
    monthlyName,
    sources.flatMap((s) => months.map((m, k) => ({ month: m.key, source: s, count: series.get(s)![k] })).filter((r) => Number.isFinite(r.count))),
    SOURCES_MONTHLY_SPEC,
  );
  files.push({ name: monthlyName, rows: monthlyRows, disclosure: SOURCES_MONTHLY_SPEC });
  const shown = new Map<string, Float64Array>();
  for (const s of sources) shown.set(s, Float64Array.from(months, () => NaN));
  const monthIndex = new Map(months.map((m, k) => [m.key, k]));
  for (const r of monthlyRows) if (typeof r.count === "number") shown.get(r.source)![monthIndex.get(r.month)!] = r.count;
  const correlations: Record<string, unknown>[] = [];
  const monthLines: string[] = [];
  for (let a = 0; a < sources.length; ++a) {
    for (let b = a + 1; b < sources.length; ++b) {
      const r = rankCorrelation(shown.get(sources[a])!, shown.get(sources[b])!);
      if (r.n < 12 || r.pValue === null) continue;
      correlations.push({ by: "month", first: sources[a], second: sources[b], n: r.n, rho: r.rho, pValue: r.pValue });
      const together = r.pValue < 0.05 ? (r.rho > 0 ? "rise and fall together" : "move in opposite directions") : "do not clearly move together";
      monthLines.push(`${sourceLabel(sources[a])} and ${sourceLabel(sources[b]).toLowerCase()} ${together} month by month (Spearman ρ = ${fmtRho(r.rho)} over ${r.n} months, ${fmtP(r.pValue)}).`);
    }
  }
  html += `<h3>Month by month</h3>`;
  html += monthLines.length ? `<ul>${monthLines.map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul>` : `<p>${escapeHtml("No two sources cover 12 months in common, so their monthly patterns are not compared.")}</p>`;
  // Figure: each source indexed to its own average month (100), so sources of very different size share an axis.
  const values: SourceIndexRow[] = [];
  for (const s of sources) {
    const v = shown.get(s)!;
    const finite = Array.from(v).filter(Number.isFinite);
    const mean = finite.reduce((x, y) => x + y, 0) / (finite.length || 1);
    if (!(mean > 0)) continue;
    months.forEach((m, k) => {
      if (Number.isFinite(v[k])) values.push({ month: `${m.key}-15`, source: sourceLabel(s), index: Math.round((1000 * v[k]) / mean) / 10 });
    });
  }
  if (values.length) {
    const svg = await renderSvg(sourceIndexFigure(values, { title: `${upperFirst(areaName)}: each source's monthly count against its own average month` }));
    html += `<figure${dc.figure([])}>${svg}<figcaption>Each source's count per month as an index of its own average month (100), so a source of a few dozen a month and one of thousands share one axis. Months a source does not cover are left out.</figcaption></figure>`;
  }
  html += `<p class="note">Sources that share a season (summer evenings, bonfire night) rise and fall together whether or not one drives the other: a monthly correlation says the patterns match, not why.</p>`;

  // ---- By area ------------------------------------------------------------------------------
  const where = areasOf(table, areas);
  if (where) {
    const inPeriod = (i: number) => table.start[i] >= period.start && table.start[i] < period.end;
    const counts = new Map<string, Map<string, number>>();
    for (let i = 0; i < table.length; ++i) {
      if (!inPeriod(i)) continue;
      const area = where.of(i);
      const s = table.source.values[table.source.codes[i]];
      if (area === null || s === null) continue;
      let m = counts.get(area);
      if (!m) counts.set(area, (m = new Map()));
      m.set(s, (m.get(s) ?? 0) + 1);
    }
    const areaList = [...counts.keys()].sort();
    if (areaList.length >= 5) {
      const areaName_ = "sources-by-area.csv";
      const rows = dc.protect(
        areaName_,
        areaList.flatMap((a) => sources.map((s) => ({ area: a, areaLevel: where.label, source: s, count: counts.get(a)!.get(s) ?? 0 }))),
        SOURCES_BY_AREA_SPEC,
      );
      files.push({ name: areaName_, rows, disclosure: SOURCES_BY_AREA_SPEC });
      const shownCount = new Map(rows.map((r) => [`${r.area}\u0000${r.source}`, r.count]));
      const col = (s: string) => Float64Array.from(areaList, (a) => shownCount.get(`${a}\u0000${s}`) ?? NaN);
      const lines: string[] = [];
      for (let a = 0; a < sources.length; ++a) {
        for (let b = a + 1; b < sources.length; ++b) {
          const x = col(sources[a]);
          const y = col(sources[b]);
          const r = rankCorrelation(x, y);
          if (r.n < 5 || r.pValue === null) continue;
          correlations.push({ by: where.label, first: sources[a], second: sources[b], n: r.n, rho: r.rho, pValue: r.pValue });
          // The areas in the top quarter for both (by published counts).
          const q = (v: Float64Array) => {
            const sorted = Array.from(v).filter(Number.isFinite).sort((p, w) => w - p);
            return sorted[Math.max(0, Math.ceil(sorted.length / 4) - 1)] ?? Infinity;
          };
          const qx = q(x);
          const qy = q(y);
          const both = areaList.filter((_, k) => x[k] >= qx && y[k] >= qy && x[k] > 0 && y[k] > 0);
          const same = r.pValue < 0.05 && r.rho > 0;
          const text = `${upperFirst(where.label)}s with more ${sourceLabel(sources[a]).toLowerCase()} ${same ? "tend to have more" : r.pValue < 0.05 ? "tend to have less" : "do not clearly have more"} ${sourceLabel(sources[b]).toLowerCase()} in ${period.key} (Spearman ρ = ${fmtRho(r.rho)} over ${r.n} ${where.label}s, ${fmtP(r.pValue)})${both.length ? `; in the busiest quarter for both: ${both.slice(0, 6).join(", ")}${both.length > 6 ? ` and ${both.length - 6} more` : ""}` : ""}.`;
          lines.push(text);
          if (same && both.length) candidates.push({ section: "sources", text: `${sourceLabel(sources[a])} and ${sourceLabel(sources[b]).toLowerCase()} concentrate in the same ${where.label}s: ${both.slice(0, 4).join(", ")}${both.length > 4 ? " and others" : ""} are in the busiest quarter for both (${period.key}).`, order: 42, weight: r.rho });
        }
      }
      html += `<h3>${escapeHtml(`By ${where.label}, ${period.key}`)}</h3>`;
      html += lines.length ? `<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul>` : "";
      const totals = sources.map((s) => `${sourceLabel(s)} ${fmtInt(rows.filter((r) => r.source === s).reduce((t, r) => t + (r.count ?? 0), 0))}`);
      html += `<p class="note">${escapeHtml(`Incidents placed in a ${where.label} in ${period.key}: ${totals.join("; ")}${dc.active ? " (published counts only)" : ""}. ${areas ? `Placed by point in polygon in the ${where.label}s supplied; records with no point are not placed.` : `From each record's ${where.label} as the source gives it.`} sources-by-area.csv has every ${where.label} × source count.`)}</p>`;
      if (dc.active) html += dc.note(areaName_);
    }
  }
  // The summary names one pair: deliberate fires with ASB where both are present (the classic
  // partnership question), else the pair most alike by area.
  const fireAsb = candidates.find((f) => /deliberate fires/i.test(f.text) && /anti-social/i.test(f.text));
  const best = fireAsb ?? [...candidates].sort((a, b) => (b.weight ?? 0) - (a.weight ?? 0))[0];
  if (best) findings.push(best);
  if (correlations.length) files.push({ name: "sources-correlation.csv", rows: correlations, disclosure: CORRELATION_SPEC });
  return { section: { id: "sources", title: "Across the partnership's sources", html }, files, findings };
}
