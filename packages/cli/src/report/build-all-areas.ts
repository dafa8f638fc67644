/**
 * Every partnership's assessment from one read (`assess --all-areas`): the input is partitioned
 * once by district (core's `partitionRows`), each area's report is built from its own rows, and
 * an index page compares the areas (rates, change, the funnel with overdispersion). The whole
 * input is scanned a fixed number of times however many areas there are: the county picture
 * (rates and the peer comparison) is computed once and shared with every report.
 *
 * Browser-safe: no file access (the CLI writes the files; see `assess`).
 */
import {
  InputError,
  change,
  partitionRows,
  selectRows,
  type IncidentTable,
  type IngestResult,
  type Period,
  type Rejection,
} from "@community-safety/core";
import { buildReport, sharedReportWork, type BuiltReport, type ReportInput, type ReportOptions, type SharedReportWork } from "./build-report.js";
import { escapeHtml, fmtInt, fmtNum, fmtPct, page, type Section } from "./html.js";
import { DisclosureContext, publicPolicy } from "./public-outputs.js";
import { crimeCategories, countyPicture, LEVELS_DISTRICT_SPEC, PEER_FUNNEL_SPEC, type CountyPicture } from "../sections/levels-section.js";
import { peerFunnelFigure } from "../sections/peer-funnel.js";
import { defaultFyStart, headlineWords, reportTable, type ReportCalendar } from "../sections/report-calendar.js";
import type { OutputFile } from "../sections/output.js";
import type { CountsDisclosure } from "./public-rows.js";

/** One area of an {@link AllAreasPlan}. */
export interface AreaPlan {
  /** The district as the data name it ("Charnwood"). */
  readonly name: string;
  /** Its folder under the output folder: a plain, unique file name ("charnwood"). */
  readonly folder: string;
  /** Its rows of the input table, ascending. */
  readonly rows: Uint32Array;
}

/** The areas of one input: see {@link planAllAreas}. */
export interface AllAreasPlan {
  readonly areas: AreaPlan[];
  /** Rows that name no district (no location, or a partner's record without one): in no area's report, counted on the index. */
  readonly noArea: number;
  /**
   * Districts left out (name and rows): not in the population file when one is given, else
   * holding under 5% of the largest district's rows — police.uk snaps some records into
   * neighbouring forces' districts, which are not partnerships of this input.
   */
  readonly small: { readonly name: string; readonly rows: number }[];
}

/**
 * The areas to assess: one per district value (police.uk tables hold the LSOA name's district,
 * e.g. "Charnwood"; partners' tables their district column), from one counting-sort pass.
 * Areas are in name order; folders are lower-case names with runs of other characters as "-",
 * made unique. `include` decides which districts are partnerships of the input (default: at
 * least 5% of the largest district's rows; `prepareAllAreas` uses the population's districts
 * when there is a population).
 *
 * @throws InputError `empty-input` when no row names a district.
 */
export function planAllAreas(table: IncidentTable, options: { include?: (name: string, rows: number, largest: number) => boolean } = {}): AllAreasPlan {
  const include = options.include ?? ((_: string, rows: number, largest: number) => rows >= 0.05 * largest);
  const p = partitionRows(table, { column: "district" });
  let largest = 0;
  for (let c = 1; c < p.values.length; ++c) largest = Math.max(largest, p.offsets[c + 1] - p.offsets[c]);
  const areas: AreaPlan[] = [];
  const small: { name: string; rows: number }[] = [];
  const used = new Set<string>();
  const order = p.values.map((v, c) => ({ v, c })).filter((e): e is { v: string; c: number } => e.v !== null && e.v !== "").sort((a, b) => (a.v < b.v ? -1 : a.v > b.v ? 1 : 0));
  for (const { v, c } of order) {
    const rows = p.rows.subarray(p.offsets[c], p.offsets[c + 1]);
    if (rows.length === 0) continue;
    if (!include(v, rows.length, largest)) {
      small.push({ name: v, rows: rows.length });
      continue;
    }
    const base = v.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80) || "area";
    let folder = base;
    for (let k = 2; used.has(folder); ++k) folder = `${base}-${k}`;
    used.add(folder);
    areas.push({ name: v, folder, rows });
  }
  const noArea = p.offsets[1] - p.offsets[0];
  if (areas.length === 0) throw new InputError("empty-input", `assess --all-areas: the input must hold rows that name a district (police.uk LSOA names, or a mapped district column), got none of ${table.length.toLocaleString("en-GB")} rows`);
  return { areas, noArea, small };
}

/** What the index needs of each area's report (returned by the worker that built it). */
export interface AreaSummary {
  readonly area: string;
  readonly folder: string;
  /** Incidents of every source in the area, and recorded crimes in the previous and headline periods. */
  readonly incidents: number;
  readonly crimes: number | null;
  readonly previousCrimes: number | null;
  readonly percentChange: number | null;
  readonly pValue: number | null;
  readonly significant: boolean | null;
  /** The report's headline period ("2021/22") and the one it was compared with. */
  readonly period: string | null;
  readonly previousPeriod: string | null;
  readonly sections: number;
  readonly files: number;
}

/** The whole-input facts every area's report and the index share: computed once in {@link prepareAllAreas}. */
export interface AllAreasContext {
  readonly plan: AllAreasPlan;
  readonly calendar: ReportCalendar;
  readonly fyStartMonth: number;
  /** The headline period of the whole input, and the year before it when wholly covered. */
  readonly latest: Period | null;
  readonly previous: Period | null;
  /** Recorded crime categories of the whole input. */
  readonly crimes: string[];
  /** The county picture of the headline period (with a population). */
  readonly picture: CountyPicture | null;
  readonly shared: SharedReportWork;
}

/**
 * Partitions the input and computes what every report shares: the whole input's calendar and,
 * with a population, the county picture of its headline period (rates and peers).
 */
export function prepareAllAreas(input: ReportInput, options: Pick<ReportOptions, "fyStartMonth"> = {}): AllAreasContext {
  const all = input.ingest.table;
  const pop = input.population;
  const plan = planAllAreas(all, pop ? { include: (name) => pop.has(name) } : {});
  const fyStartMonth = options.fyStartMonth ?? defaultFyStart(all);
  const { calendar } = reportTable(all, fyStartMonth);
  const latest = calendar.headline;
  const previous = calendar.headlineKind === "year" && calendar.complete.length >= 2 ? calendar.complete[calendar.complete.length - 2] : null;
  const crimes = crimeCategories(all);
  const shared = sharedReportWork();
  let picture: CountyPicture | null = null;
  if (input.population && latest) {
    picture = countyPicture(all, input.population, latest, fyStartMonth);
    shared.countyPictures.set(latest.key, picture);
  }
  return { plan, calendar, fyStartMonth, latest, previous, crimes, picture, shared };
}

/** The rejected rows whose area (police.uk's LSOA name, a mapped district) belongs to `area`. */
export function rejectedOf(rejected: readonly Rejection[], area: string): Rejection[] {
  const prefix = area + " ";
  return rejected.filter((r) => r.area !== null && (r.area === area || r.area.startsWith(prefix)));
}

/**
 * The report input of one area: its rows (taken by index, no scan of the whole table), the
 * input's reading summary with the area's own rejected rows, and the shared whole-input work.
 */
export function areaReportInput(input: ReportInput, ctx: AllAreasContext, area: AreaPlan): ReportInput {
  const all = input.ingest.table;
  const table = selectRows(all, area.rows);
  let noLocation = 0;
  for (let i = 0; i < table.length; ++i) if (Number.isNaN(table.x[i])) noLocation += 1;
  const ingest: IngestResult = { ...input.ingest, table, rejected: rejectedOf(input.ingest.rejected, area.name) };
  return {
    ...input,
    ingest,
    policeUkRows: Math.min(input.policeUkRows ?? 0, table.length),
    selected: {
      table,
      description: `Area “${area.name}” (one of ${ctx.plan.areas.length} partnership areas assessed from one read of the input: the records whose district is “${area.name}”${(input.policeUkRows ?? 0) > 0 ? ", from police.uk LSOA names" : ""})`,
      inArea: table.length,
      outside: all.length - table.length,
      noLocation,
    },
    shared: ctx.shared,
  };
}

/** What {@link summariseArea} needs of the run (plain data: it goes to worker threads). */
export type SummaryContext = Pick<AllAreasContext, "latest" | "previous" | "crimes" | "fyStartMonth">;

/** The index's facts about one built report (counts and change from the area's rows). */
export function summariseArea(area: Pick<AreaPlan, "name" | "folder">, report: Pick<BuiltReport, "sections" | "files">, table: IncidentTable, ctx: SummaryContext): AreaSummary {
  let crimes: number | null = null;
  let previousCrimes: number | null = null;
  let percentChange: number | null = null;
  let pValue: number | null = null;
  let significant: boolean | null = null;
  if (ctx.latest && ctx.previous && ctx.crimes.length) {
    const c = change(table, ctx.previous, ctx.latest, { groups: { "all-recorded-crime": ctx.crimes }, fyStartMonth: ctx.fyStartMonth });
    const row = c.rows[0];
    if (row) {
      crimes = row.current;
      previousCrimes = row.previous;
      percentChange = row.percentChange;
      pValue = row.pValue;
      significant = row.significant;
    }
  } else if (ctx.latest && ctx.crimes.length) {
    const set = new Set(ctx.crimes);
    const cat = table.category;
    let n = 0;
    for (let i = 0; i < table.length; ++i) if (table.start[i] >= ctx.latest.start && table.start[i] < ctx.latest.end && set.has(cat.values[cat.codes[i]] ?? "")) n += 1;
    crimes = n;
  }
  return {
    area: area.name,
    folder: area.folder,
    incidents: table.length,
    crimes,
    previousCrimes,
    percentChange,
    pValue,
    significant,
    period: ctx.latest?.key ?? null,
    previousPeriod: ctx.previous?.key ?? null,
    sections: report.sections.length,
    files: report.files.length,
  };
}

/** Every area's report, built one after another (the browser-safe path; `assess` spreads them over worker threads). */
export async function* buildAllAreas(input: ReportInput, ctx: AllAreasContext, options: Omit<ReportOptions, "area" | "areaName" | "title"> = {}): AsyncGenerator<{ area: AreaPlan; report: BuiltReport; summary: AreaSummary }> {
  for (const area of ctx.plan.areas) {
    const areaInput = areaReportInput(input, ctx, area);
    const report = await buildReport(areaInput, { ...options, area: area.name, areaName: area.name });
    yield { area, report, summary: summariseArea(area, report, areaInput.selected!.table, ctx) };
  }
}

/** index-areas.csv: one row per area. */
export const INDEX_AREAS_SPEC: CountsDisclosure = {
  kind: "counts",
  counts: ["incidents", "crimes", "previousCrimes"],
  dimensions: ["area"],
  margins: [],
  derived: ["percentChange", "pValue", "significant", "rate", "position", "poissonPosition"],
  other: {
    folder: "the folder of the area's report",
    period: "the headline period",
    previousPeriod: "the period compared with",
    population: "residents (the population file, published estimates)",
    sections: "sections in the area's report",
    files: "files in the area's folder",
  },
};

/**
 * The index page: one row per area (incidents, recorded crime in the headline period and the
 * year before, the change and its significance, residents, the rate and the funnel position),
 * linked to each area's report, and the funnel plot of every area's rate with random-effects
 * limits (Spiegelhalter 2005) when a population is given.
 */
export async function allAreasIndex(input: ReportInput, ctx: AllAreasContext, summaries: readonly AreaSummary[], options: Pick<ReportOptions, "public" | "title"> & { seconds?: number } = {}): Promise<{ html: string; files: OutputFile[]; sections: Section[] }> {
  const dc = new DisclosureContext(publicPolicy(options.public));
  const when = ctx.latest ? headlineWords(ctx.calendar) : "the data";
  const peers = new Map((ctx.picture?.peers.rows ?? []).map((r) => [r.area, r]));
  const rows = summaries.map((s) => {
    const p = peers.get(s.area);
    return { ...s, population: input.population?.get(s.area) ?? null, rate: p ? p.rate : null, position: p ? p.position : null, poissonPosition: p ? p.poissonPosition : null };
  });
  const name = "index-areas.csv";
  const published = dc.protect(name, rows, INDEX_AREAS_SPEC);
  const files: OutputFile[] = [{ name, rows: published, disclosure: INDEX_AREAS_SPEC }];
  const s = input.ingest.summary;
  const sections: Section[] = [];
  let html = `<p>${escapeHtml(`${fmtInt(s.rows)} input rows were read once from ${s.files.length} file${s.files.length === 1 ? "" : "s"} (${fmtInt(s.accepted)} accepted, ${fmtInt(s.rejected)} rejected) and split by district into ${summaries.length} partnership area${summaries.length === 1 ? "" : "s"}; each has its own report (linked below).`)}`;
  if (ctx.plan.noArea) html += escapeHtml(` ${fmtInt(ctx.plan.noArea)} records name no district (no location) and are in no area's report.`);
  if (ctx.plan.small.length) {
    const n = ctx.plan.small.reduce((t, a) => t + a.rows, 0);
    html += escapeHtml(` ${fmtInt(n)} records in ${ctx.plan.small.length} other district${ctx.plan.small.length === 1 ? "" : "s"} are not assessed (${input.population ? "not in the population file" : "under 5% of the largest district's records: police.uk snaps some records across force boundaries"}): ${ctx.plan.small.slice(0, 12).map((a) => `${a.name} (${fmtInt(a.rows)})`).join(", ")}${ctx.plan.small.length > 12 ? ", …" : ""}.`);
  }
  if (options.seconds !== undefined) html += escapeHtml(` Built in ${options.seconds.toFixed(1)} s.`);
  html += "</p>";
  const changeWords = ctx.previous ? `from ${periodWords(ctx.previous)} to ${periodWords(ctx.latest!)}` : null;
  html += dc.table(name, published, [
    { header: "Partnership area", value: (r) => r.area, href: (r) => `${r.folder}/report.html` },
    { header: `Recorded crime, ${ctx.latest ? periodWords(ctx.latest) : "headline period"}`, value: (r) => r.crimes, format: fmtInt, numeric: true, kind: "count" },
    ...(changeWords
      ? [
          { header: `Previous year (${periodWords(ctx.previous!)})`, value: (r: (typeof published)[number]) => r.previousCrimes, format: fmtInt, numeric: true, kind: "count" as const },
          { header: "Change", value: (r: (typeof published)[number]) => r.percentChange, format: (v: unknown, r: (typeof published)[number]) => (typeof v === "number" ? `${v > 0 ? "+" : ""}${fmtPct(v)}${r.significant ? " *" : ""}` : "–"), numeric: true, kind: "derived" as const },
        ]
      : []),
    ...(ctx.picture
      ? [
          { header: "Residents", value: (r: (typeof published)[number]) => r.population, format: fmtInt, numeric: true, kind: "other" as const },
          { header: "Per 1,000", value: (r: (typeof published)[number]) => r.rate, format: (v: unknown) => fmtNum(v, 1), numeric: true, kind: "derived" as const },
          { header: "Against peers (99.8%, random effects)", value: (r: (typeof published)[number]) => r.position ?? "–" },
        ]
      : []),
    { header: "All incidents in the data", value: (r) => r.incidents, format: fmtInt, numeric: true, kind: "count" },
  ]);
  if (changeWords) html += `<p class="note">${escapeHtml(`Change ${changeWords} in recorded crime; * marks a change unlikely to be chance alone (exact Poisson test of equal rates, p < 0.05).`)}</p>`;
  sections.push({ id: "areas", title: "Partnership areas", html });

  if (ctx.picture && ctx.latest) {
    const pr = ctx.picture.peers;
    const funnelName = "index-peer-funnel.csv";
    const peerRows = dc.protect(funnelName, pr.rows.map(({ limits, ...r }) => ({ ...r, lower998: limits.at(-1)?.lower, upper998: limits.at(-1)?.upper })), PEER_FUNNEL_SPEC);
    files.push({ name: funnelName, rows: peerRows, disclosure: PEER_FUNNEL_SPEC });
    const ratesName = "index-district-rates.csv";
    files.push({ name: ratesName, rows: dc.protect(ratesName, ctx.picture.rates, LEVELS_DISTRICT_SPEC), disclosure: LEVELS_DISTRICT_SPEC });
    let fh = "";
    if (pr.groupRate !== null && pr.rows.length >= 3) {
      const funnel = await peerFunnelFigure({ groupRate: pr.groupRate, per: pr.per, overdispersion: pr.overdispersion, rows: peerRows, areaName: "", period: periodWords(ctx.latest) });
      const above = peerRows.filter((r) => r.position === "above").map((r) => r.area);
      const below = peerRows.filter((r) => r.position === "below").map((r) => r.area);
      fh += `<figure${dc.figure([])}>${funnel.svg}<figcaption>${funnel.caption}</figcaption></figure><p class="note">${funnel.note}</p>`;
      fh += `<ul><li>${escapeHtml(above.length ? `Above the 99.8% limits in ${when}: ${above.join(", ")}.` : `No area is above the 99.8% limits in ${when}.`)}</li><li>${escapeHtml(below.length ? `Below them: ${below.join(", ")}.` : "No area is below them.")}</li></ul>`;
      if (pr.excluded.length) fh += `<p class="note">${escapeHtml(`Not compared (residents but no incident in the input): ${pr.excluded.length} areas, e.g. ${pr.excluded.slice(0, 5).map((e) => e.area).join(", ")}.`)}</p>`;
      if (dc.active) fh += dc.note(funnelName);
      sections.push({ id: "funnel", title: "Rates against peers", html: fh });
    }
  }
  const title = options.title ?? `Strategic assessments: ${summaries.length} partnership areas`;
  const subtitle = `Generated ${new Date().toISOString().slice(0, 10)} by community-safety assess --all-areas. ${escapeHtml(input.sourceDescription)}`;
  return { html: page(title, subtitle, sections), files, sections };
}

/** A period as the index's words: a year by its key ("2021/22"), a run of months by its label ("Jan 2014 – Nov 2014"), never a raw range key. */
function periodWords(p: Period): string {
  return p.unit === "range" ? p.label : p.key;
}
