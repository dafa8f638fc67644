import {
  funnelLimits,
  peerComparison,
  levels,
  categoryLabel,
  periodsBetween,
  periodOf,
  periodIndex,
  timeExtent,
  ALL,
  type IncidentTable,
  type LevelRow,
  type Period,
} from "@community-safety/core";
import { htmlTable, fmtInt, fmtPct, fmtNum, escapeHtml, type Section } from "../report/html.js";
import { renderSvg } from "../report/figures.js";
import type { OutputFile } from "./output.js";

export interface LevelsInput {
  /** Incidents in the area being assessed. */
  table: IncidentTable;
  /** Name of the area ("Charnwood", "Wreford borough"). */
  areaName: string;
  /** The whole input (for the county picture), with residents per district. */
  county?: { table: IncidentTable; population: ReadonlyMap<string, number>; name: string; populationNote: string };
  /** Residents of the assessed area, when known. */
  areaPopulation?: number;
}

const SOURCE_LABELS: Record<string, string> = {
  "police-recorded-crime": "Police recorded crime",
  "asb-incident": "Anti-social behaviour incidents",
  "deliberate-fire": "Deliberate fires",
  "ambulance-callout": "Ambulance call-outs (assault)",
  "hospital-admission": "Hospital admissions (assault)",
};
/** A readable label for a source key. */
export function sourceLabel(key: string | null): string {
  return key === null ? "(unknown source)" : (SOURCE_LABELS[key] ?? key);
}

/** Category keys whose incidents are police recorded crime (the denominator of "all recorded crime"). */
export function crimeCategories(table: IncidentTable): string[] {
  const crimeSource = table.source.values.indexOf("police-recorded-crime");
  const seen = new Set<number>();
  for (let i = 0; i < table.length; ++i) if (table.source.codes[i] === crimeSource) seen.add(table.category.codes[i]);
  return [...seen].map((c) => table.category.values[c]!).sort();
}

/** The span of months the data covers, and the financial years inside it, with completeness. */
export function financialYears(table: IncidentTable): { periods: Period[]; complete: boolean[]; covered: string[] } {
  const extent = timeExtent(table);
  if (extent === null) return { periods: [], complete: [], covered: [] };
  const lo = extent.firstStart;
  const hi = extent.lastEnd;
  const opts = { zone: table.zone };
  const periods = periodsBetween(periodOf(lo, "financialYear", opts), periodOf(hi - 1, "financialYear", opts), "financialYear", opts);
  // A year is complete when the data has incidents in each of its 12 months.
  const months = new Set<string>();
  const idx = periodIndex(table, "month", { ...opts, coarse: "exclude" }); // the fast kernel: one ordinal per row
  const seen = new Uint8Array(idx.periods.length);
  for (let i = 0; i < table.length; ++i) if (idx.ordinal[i] >= 0) seen[idx.ordinal[i] - idx.offset] = 1;
  idx.periods.forEach((p, k) => seen[k] && months.add(p.key));
  const monthsOf = (fy: Period) => periodsBetween(periodOf(fy.start, "month", opts), periodOf(fy.end - 1, "month", opts), "month", opts);
  const complete = periods.map((fy) => monthsOf(fy).every((m) => months.has(m.key)));
  const covered = periods.map((fy) => {
    const have = monthsOf(fy).filter((m) => months.has(m.key));
    return have.length ? `${have[0].label} – ${have[have.length - 1].label}` : "no data";
  });
  return { periods, complete, covered };
}

export async function levelsSection(input: LevelsInput): Promise<{ section: Section; files: OutputFile[]; latest: string | null }> {
  const { table, areaName } = input;
  const files: OutputFile[] = [];
  const fys = financialYears(table);
  const completeYears = fys.periods.filter((_, k) => fys.complete[k]);
  const latest = completeYears.at(-1) ?? fys.periods.at(-1);
  const previous = completeYears.length >= 2 ? completeYears.at(-2) : undefined;
  if (!latest) return { section: { id: "levels", title: "Levels", html: "<p>No incidents.</p>" }, files, latest: null };
  const crimes = crimeCategories(table);
  const partial = (p: Period) => {
    if (fys.complete[fys.periods.indexOf(p)]) return p.key;
    const covered = fys.covered[fys.periods.indexOf(p)];
    return `${p.key} (part: ${covered})`;
  };

  // Counts by financial year × source × category.
  const byFy = levels(table, { by: ["period", "source", "category"], periods: fys.periods, zeroFill: false });
  const countOf = new Map<string, number>();
  for (const r of byFy.rows) countOf.set(`${r.period}|${r.source}|${r.category}`, r.count);
  const count = (period: string, category: string, source = "police-recorded-crime") => countOf.get(`${period}|${source}|${category}`) ?? 0;

  // Shares of all recorded crime in the latest complete year.
  let html = "";
  const sentences: string[] = [];
  let crimeShares: LevelRow[] = [];
  if (crimes.length) {
    crimeShares = levels(table, { by: ["category"], categories: crimes, periods: [latest] }).rows.sort((a, b) => b.count - a.count);
    const totalCrime = crimeShares.reduce((s, r) => s + r.count, 0);
    const asb = count(latest.key, "anti-social-behaviour", "asb-incident");
    sentences.push(
      `In ${latest.key} (${latest.label}) ${areaName} recorded ${fmtInt(totalCrime)} crimes` +
        (asb ? ` and ${fmtInt(asb)} incidents of anti-social behaviour.` : "."),
    );
    const [top, second] = crimeShares;
    if (top && top.count > 0) {
      sentences.push(
        `${categoryLabel(top.category as string)} accounts for ${fmtPct(top.share)} of all recorded crime` +
          (second && second.count > 0 ? `, ${categoryLabel(second.category as string).toLowerCase()} for ${fmtPct(second.share)}.` : "."),
      );
    }
    if (input.areaPopulation) {
      sentences.push(`That is ${fmtNum((totalCrime / input.areaPopulation) * 1000, 1)} crimes per 1,000 residents (${fmtInt(input.areaPopulation)} residents).`);
    }
  }
  html += `<p class="lead">${escapeHtml(sentences.join(" "))}</p>`;

  // Table: category × financial year, one row per source and category.
  const pairs = [...new Set(byFy.rows.map((r) => `${r.source}|${r.category}`))].map((k) => k.split("|"));
  const yearKeys = fys.periods.map((p) => p.key);
  const tableRows = pairs
    .map(([source, category]) => ({
      source,
      category,
      label: categoryLabel(category),
      counts: yearKeys.map((y) => count(y, category, source)),
      share: source === "police-recorded-crime" ? (crimeShares.find((r) => r.category === category)?.share ?? null) : null,
    }))
    .sort((a, b) => b.counts[yearKeys.indexOf(latest.key)] - a.counts[yearKeys.indexOf(latest.key)]);
  // CSV: every (source, category) present in the data, zero-filled across every financial year.
  files.push({
    name: "levels-financial-year-category.csv",
    rows: tableRows.flatMap((r) => yearKeys.map((period, k) => ({ period, source: r.source, category: r.category, label: r.label, count: r.counts[k], complete: fys.complete[k] }))),
  });
  html += htmlTable(tableRows, [
    { header: "Category", value: (r) => r.label },
    { header: "Source", value: (r) => sourceLabel(r.source) },
    ...fys.periods.map((p, k) => ({ header: partial(p), value: (r: (typeof tableRows)[number]) => r.counts[k], format: fmtInt, numeric: true })),
    { header: `Share of recorded crime ${latest.key}`, value: (r) => r.share, format: (v) => (v === null ? "–" : fmtPct(v)), numeric: true },
  ], `Incidents by category and financial year, ${areaName}`);

  // Figure: latest vs previous complete year by category.
  if (previous) {
    const label = (r: (typeof tableRows)[number]) => (r.source === "police-recorded-crime" || r.source === "asb-incident" ? r.label : `${r.label} (${sourceLabel(r.source).toLowerCase()})`);
    const values = tableRows.flatMap((r) => [
      { category: label(r), year: previous.key, n: count(previous.key, r.category, r.source) },
      { category: label(r), year: latest.key, n: count(latest.key, r.category, r.source) },
    ]);
    const svg = await renderSvg({
      title: `${areaName}: incidents by category, ${previous.key} and ${latest.key}`,
      width: 520,
      data: { values },
      mark: "bar",
      encoding: {
        y: { field: "category", type: "nominal", sort: tableRows.map(label), title: null },
        yOffset: { field: "year" },
        x: { field: "n", type: "quantitative", title: "incidents" },
        color: { field: "year", type: "nominal", scale: { range: ["#9bbbe0", "#1f5fa8"] }, title: "financial year" },
      },
    });
    html += `<figure>${svg}<figcaption>Incidents by category in the two latest complete financial years (April–March).</figcaption></figure>`;
  }

  // Figure: monthly counts of crime and ASB.
  const monthly = levels(table, { by: ["period", "source"], periods: "month", coarse: "exclude" });
  files.push({ name: "levels-month-source.csv", rows: monthly.rows });
  const monthSvg = await renderSvg({
    title: `${areaName}: incidents per month by source`,
    width: 640,
    height: 220,
    data: { values: monthly.rows.map((r) => ({ month: r.period, source: sourceLabel(r.source as string | null), n: r.count })) },
    mark: { type: "line", point: { size: 12 } },
    encoding: {
      x: { field: "month", type: "temporal", title: null, axis: { format: "%b %Y" } },
      y: { field: "n", type: "quantitative", title: "incidents" },
      color: { field: "source", type: "nominal", title: "source" },
    },
  });
  html += `<figure>${monthSvg}<figcaption>Incidents per calendar month by source; zero-filled.</figcaption></figure>`;

  // County picture: rate per 1,000 by district, rolled up.
  if (input.county) {
    const { table: all, population, name, populationNote } = input.county;
    const countyCrimes = crimeCategories(all);
    const rates = levels(all, { by: ["district"], categories: countyCrimes, periods: [latest], population, totals: ["district"] });
    const rows = rates.rows.filter((r) => r.district === ALL || (r.district !== null && population.has(r.district as string)));
    const outside = rates.rows.filter((r) => r.district !== ALL && (r.district === null || !population.has(r.district as string))).reduce((s, r) => s + r.count, 0);
    files.push({ name: "levels-district-rates.csv", rows: rates.rows });
    const countyRow = rows.find((r) => r.district === ALL)!;
    const named = rows.filter((r) => r.district !== ALL).sort((a, b) => (b.rate ?? 0) - (a.rate ?? 0));
    const countyRate = rows.length > 1 ? named.reduce((s, r) => s + r.count, 0) / named.reduce((s, r) => s + (r.population ?? 0), 0) * 1000 : NaN;
    html += `<h3>${escapeHtml(name)}: the county picture</h3>`;
    html += `<p>Recorded crime per 1,000 residents in ${latest.key}, by district. ${escapeHtml(populationNote)} ${outside ? `${fmtInt(outside)} crimes snapped to areas outside these districts or with no location are excluded from the rates.` : ""}</p>`;
    html += htmlTable([...named, { ...countyRow, district: name, count: named.reduce((s, r) => s + r.count, 0), population: named.reduce((s, r) => s + (r.population ?? 0), 0), rate: countyRate }], [
      { header: "District", value: (r) => r.district },
      { header: "Crimes", value: (r) => r.count, format: fmtInt, numeric: true },
      { header: "Residents", value: (r) => r.population, format: fmtInt, numeric: true },
      { header: "Per 1,000", value: (r) => r.rate, format: (v) => fmtNum(v, 1), numeric: true },
    ]);
    const svg = await renderSvg({
      title: `Recorded crime per 1,000 residents, ${latest.key}`,
      width: 460,
      layer: [
        {
          data: { values: named.map((r) => ({ district: r.district, rate: r.rate, focus: r.district === areaName })) },
          mark: "bar",
          encoding: {
            y: { field: "district", type: "nominal", sort: "-x", title: null },
            x: { field: "rate", type: "quantitative", title: "crimes per 1,000 residents" },
            color: { field: "focus", type: "nominal", scale: { domain: [false, true], range: ["#9bbbe0", "#1f5fa8"] }, legend: null },
          },
        },
        { data: { values: [{ rate: countyRate }] }, mark: { type: "rule", color: "#b5523b", strokeDash: [4, 3] }, encoding: { x: { field: "rate", type: "quantitative" } } },
      ],
    });
    html += `<figure>${svg}<figcaption>Bars: districts (the assessed area darker). Dashed line: ${escapeHtml(name)} as a whole.</figcaption></figure>`;

    // Funnel plot: is any district's rate beyond what chance allows for its size?
    // Peers: districts with residents that appear in the input (an extract may leave some out,
    // as the Leicestershire county files leave out Leicester City).
    const present = new Set(all.district.values.filter((v): v is string => v !== null));
    const peerPopulation = new Map([...population].filter(([d]) => present.has(d)));
    const peers = peerComparison(all, { population: peerPopulation, period: latest, categories: countyCrimes });
    if (peers.groupRate !== null && peers.rows.length >= 3) {
      const pops = peers.rows.map((r) => r.population);
      const lo = Math.min(...pops) * 0.5;
      const hi = Math.max(...pops) * 1.15;
      const grid = Array.from({ length: 60 }, (_, k) => lo * Math.pow(hi / lo, k / 59));
      const band = funnelLimits(grid.map(() => 0), grid, { groupRate: peers.groupRate });
      const lines = band.areas.flatMap((a) => a.limits.flatMap((l) => [
        { population: a.population, rate: l.lower, limit: `${(100 * l.level).toFixed(1)}% lower` },
        { population: a.population, rate: l.upper, limit: `${(100 * l.level).toFixed(1)}% upper` },
      ]));
      const funnelSvg = await renderSvg({
        title: `Funnel plot: recorded crime per 1,000 residents, ${latest.key}`,
        width: 520,
        height: 300,
        layer: [
          {
            data: { values: lines },
            mark: { type: "line", strokeWidth: 1 },
            encoding: {
              x: { field: "population", type: "quantitative", title: "residents" },
              y: { field: "rate", type: "quantitative", title: "crimes per 1,000 residents", scale: { zero: false } },
              detail: { field: "limit" },
              strokeDash: { field: "limit", type: "nominal", legend: null, scale: { range: [[4, 3], [4, 3], [1, 0], [1, 0]] } },
              color: { value: "#888" },
            },
          },
          { data: { values: [{ rate: peers.groupRate }] }, mark: { type: "rule", color: "#b5523b" }, encoding: { y: { field: "rate", type: "quantitative" } } },
          {
            data: { values: peers.rows.map((r) => ({ district: r.area, population: r.population, rate: r.rate, position: r.position })) },
            mark: { type: "point", filled: true, size: 60 },
            encoding: {
              x: { field: "population", type: "quantitative" },
              y: { field: "rate", type: "quantitative" },
              color: { field: "position", type: "nominal", scale: { domain: ["above", "within", "below"], range: ["#b5523b", "#1f5fa8", "#3a9d5d"] }, title: "vs 99.8% limits" },
            },
          },
          {
            data: { values: peers.rows.map((r) => ({ district: r.area, population: r.population, rate: r.rate })) },
            mark: { type: "text", align: "left", dx: 6, fontSize: 10 },
            encoding: { x: { field: "population", type: "quantitative" }, y: { field: "rate", type: "quantitative" }, text: { field: "district" } },
          },
        ],
      });
      html += `<figure>${funnelSvg}<figcaption>Each district's rate against the all-district rate (red line). Dashed: 95% control limits; solid: 99.8% (exact Poisson, Spiegelhalter 2005). Points outside the solid lines differ by more than chance allows for their size.</figcaption></figure>`;
      html += `<ul>${peers.rows.filter((r) => r.position !== "within").map((r) => `<li>${escapeHtml(r.sentence)}</li>`).join("")}</ul>`;
      files.push({ name: "peer-funnel.csv", rows: peers.rows.map(({ limits, ...r }) => ({ ...r, lower998: limits.at(-1)?.lower, upper998: limits.at(-1)?.upper })) });
    }
  }
  return { section: { id: "levels", title: "Levels: how much, and of what", html }, files, latest: latest.key };
}
