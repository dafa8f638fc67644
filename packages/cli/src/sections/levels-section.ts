import {
  funnelLimits,
  peerComparison,
  levels,
  categoryLabel,
  ALL,
  type IncidentTable,
  type LevelRow,
  type Period,
} from "@community-safety/core";
import { htmlTable, fmtInt, fmtPct, fmtNum, escapeHtml, type Section } from "../report/html.js";
import { renderSvg } from "../report/figures.js";
import type { OutputFile } from "./output.js";
import { headlineWords, type ReportCalendar } from "./report-calendar.js";

export interface LevelsInput {
  /** Incidents in the area being assessed. */
  table: IncidentTable;
  /** Name of the area ("Charnwood", "Wreford borough"). */
  areaName: string;
  /** The whole input (for the county picture), with residents per district. */
  county?: { table: IncidentTable; population: ReadonlyMap<string, number>; name: string; populationNote: string };
  /** Residents of the assessed area, when known. */
  areaPopulation?: number;
  /** The report's time frame. */
  calendar: ReportCalendar;
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

export async function levelsSection(input: LevelsInput): Promise<{ section: Section; files: OutputFile[]; latest: Period | null }> {
  const { table, areaName, calendar: cal } = input;
  const files: OutputFile[] = [];
  const latest = cal.headline;
  if (!latest) return { section: { id: "levels", title: "Levels", html: "<p>No incidents in any covered month.</p>" }, files, latest: null };
  const fyStartMonth = cal.fyStartMonth;
  // The year columns: each reporting year with any coverage, and the headline period when it is not a year.
  const columns = cal.headlineKind === "year" ? cal.years.map((y) => y.period) : [...cal.years.map((y) => y.period), latest];
  const previous = cal.headlineKind === "year" && cal.complete.length >= 2 ? cal.complete[cal.complete.length - 2] : undefined;
  const crimes = crimeCategories(table);
  const partial = (p: Period) => {
    const y = cal.years.find((x) => x.period.key === p.key);
    if (!y) return p.label;
    return y.coverage >= 1 ? p.key : `${p.key} (part: ${y.covered})`;
  };
  const when = headlineWords(cal);

  // Counts by reporting year (and the headline period) × source × category.
  const byFy = levels(table, { by: ["period", "source", "category"], periods: columns, zeroFill: false, fyStartMonth });
  const countOf = new Map<string, number>();
  for (const r of byFy.rows) countOf.set(`${r.period}|${r.source}|${r.category}`, r.count);
  const count = (period: string, category: string, source = "police-recorded-crime") => countOf.get(`${period}|${source}|${category}`) ?? 0;

  // Shares of all recorded crime in the headline period (the latest whole year, else the latest 12 covered months).
  let html = "";
  const sentences: string[] = [];
  let crimeShares: LevelRow[] = [];
  if (crimes.length) {
    crimeShares = levels(table, { by: ["category"], categories: crimes, periods: [latest] }).rows.sort((a, b) => b.count - a.count);
    const totalCrime = crimeShares.reduce((s, r) => s + r.count, 0);
    const asb = count(latest.key, "anti-social-behaviour", "asb-incident");
    sentences.push(
      `In ${when} ${areaName} recorded ${fmtInt(totalCrime)} crimes` +
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
  if (!crimes.length) {
    const incidents = byFy.rows.filter((r) => r.period === latest.key).reduce((a, r) => a + r.count, 0);
    const asbOnly = table.category.values.every((v) => v === null || v === "anti-social-behaviour");
    sentences.push(`In ${when} ${areaName} recorded ${fmtInt(incidents)} ${asbOnly ? "incidents of anti-social behaviour" : "incidents"}.`);
  }
  html += `<p class="lead">${escapeHtml(sentences.join(" "))}</p>`;

  // Table: category × reporting year, one row per source and category.
  const pairs = [...new Set(byFy.rows.map((r) => `${r.source}|${r.category}`))].map((k) => k.split("|"));
  const yearKeys = columns.map((p) => p.key);
  const tableRows = pairs
    .map(([source, category]) => ({
      source,
      category,
      label: categoryLabel(category),
      counts: yearKeys.map((y) => count(y, category, source)),
      share: source === "police-recorded-crime" ? (crimeShares.find((r) => r.category === category)?.share ?? null) : null,
    }))
    .sort((a, b) => b.counts[yearKeys.indexOf(latest.key)] - a.counts[yearKeys.indexOf(latest.key)]);
  // CSV: every (source, category) present in the data, zero-filled across every covered year.
  const coverageOf = (p: Period) => cal.years.find((y) => y.period.key === p.key)?.coverage ?? 1;
  files.push({
    name: "levels-financial-year-category.csv",
    rows: tableRows.flatMap((r) => columns.map((period, k) => ({ period: period.key, source: r.source, category: r.category, label: r.label, count: r.counts[k], complete: coverageOf(period) >= 1, coverage: coverageOf(period) }))),
  });
  html += htmlTable(tableRows, [
    { header: "Category", value: (r) => r.label },
    { header: "Source", value: (r) => sourceLabel(r.source) },
    ...columns.map((p, k) => ({ header: partial(p), value: (r: (typeof tableRows)[number]) => r.counts[k], format: fmtInt, numeric: true })),
    { header: `Share of recorded crime ${latest.unit === "range" ? latest.label : latest.key}`, value: (r) => r.share, format: (v) => (v === null ? "–" : fmtPct(v)), numeric: true },
  ], `Incidents by category and ${cal.yearWord}, ${areaName}`);
  const partYears = cal.years.filter((y) => y.coverage < 1);
  if (partYears.length) {
    html += `<p class="note">${escapeHtml(`Years marked “part” are only partly covered by the data (${partYears.map((y) => `${y.period.key}: ${y.covered}`).join("; ")}): their counts are for those months only and are not compared with whole years. ${cal.headlineKind === "year" ? "" : `No ${cal.yearWord} is wholly covered, so the headline figures are for ${when}.`}`)}</p>`;
  }

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
        color: { field: "year", type: "nominal", scale: { range: ["#9bbbe0", "#1f5fa8"] }, title: cal.yearWord },
      },
    });
    html += `<figure>${svg}<figcaption>Incidents by category in the two latest wholly covered ${cal.yearWord}s (${cal.yearMonths}).</figcaption></figure>`;
  }

  // Figure: monthly counts of crime and ASB, broken where the data do not cover a month.
  const monthly = levels(table, { by: ["period", "source"], periods: "month", coarse: "exclude" });
  files.push({ name: "levels-month-source.csv", rows: monthly.rows.map((r) => ({ ...r, count: r.coverage !== null && r.coverage >= 1 ? r.count : null })) });
  const runOf = new Map<string, number>();
  let run = 0;
  let gap = false;
  for (const r of monthly.rows) {
    if (runOf.has(String(r.period))) continue;
    const covered = r.coverage !== null && r.coverage >= 1;
    if (!covered) gap = true;
    else {
      if (gap) run += 1;
      gap = false;
      runOf.set(String(r.period), run);
    }
  }
  const monthSvg = await renderSvg({
    title: `${areaName}: incidents per month by source`,
    width: 640,
    height: 220,
    data: { values: monthly.rows.filter((r) => runOf.has(String(r.period))).map((r) => ({ month: r.period, source: sourceLabel(r.source as string | null), n: r.count, run: runOf.get(String(r.period)) })) },
    mark: { type: "line", point: { size: 12 } },
    encoding: {
      x: { field: "month", type: "temporal", title: null, axis: { format: "%b %Y" }, scale: { type: "utc" } },
      y: { field: "n", type: "quantitative", title: "incidents" },
      color: { field: "source", type: "nominal", title: "source" },
      detail: { field: "run", type: "nominal" },
    },
  });
  html += `<figure>${monthSvg}<figcaption>Incidents per calendar month by source. ${run > 0 ? "The line breaks where the data do not cover a month (see the data quality section); those months are unknown, not zero." : "A month with no incident shows as zero."}</figcaption></figure>`;

  // County picture: rate per 1,000 by district, rolled up.
  if (input.county) {
    const { table: all, population, name, populationNote } = input.county;
    const countyCrimes = crimeCategories(all);
    const rates = levels(all, { by: ["district"], categories: countyCrimes, periods: [latest], population, totals: ["district"], fyStartMonth });
    const rows = rates.rows.filter((r) => r.district === ALL || (r.district !== null && population.has(r.district as string)));
    const outside = rates.rows.filter((r) => r.district !== ALL && (r.district === null || !population.has(r.district as string))).reduce((s, r) => s + r.count, 0);
    files.push({ name: "levels-district-rates.csv", rows: rates.rows });
    const countyRow = rows.find((r) => r.district === ALL)!;
    const named = rows.filter((r) => r.district !== ALL).sort((a, b) => (b.rate ?? 0) - (a.rate ?? 0));
    const countyRate = rows.length > 1 ? named.reduce((s, r) => s + r.count, 0) / named.reduce((s, r) => s + (r.population ?? 0), 0) * 1000 : NaN;
    html += `<h3>${escapeHtml(name)}: the county picture</h3>`;
    html += `<p>Recorded crime per 1,000 residents in ${when}, by district. ${escapeHtml(populationNote)} ${outside ? `${fmtInt(outside)} crimes snapped to areas outside these districts or with no location are excluded from the rates.` : ""}</p>`;
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

    // Funnel plot: is any district's rate beyond what chance allows for its size? Districts with
    // residents but no row in the input (the Leicestershire county files leave out Leicester
    // City) are not peers: peerComparison leaves them out of the group rate and lists them.
    const peers = peerComparison(all, { population, period: latest, categories: countyCrimes, fyStartMonth });
    if (peers.excluded.length) {
      html += `<p class="note">${escapeHtml(`Not compared (residents but no incident in the input, so the extract does not hold them): ${peers.excluded.map((e) => `${e.area} (${fmtInt(e.population)} residents)`).join(", ")}.`)}</p>`;
    }
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
  return { section: { id: "levels", title: "Levels: how much, and of what", html }, files, latest };
}
