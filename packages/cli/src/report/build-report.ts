import {
  InputError,
  periodOf,
  selectRows,
  lsoaNamePrefixTest,
  type DisclosurePolicy,
  type IncidentTable,
  type IngestResult,
  type TargetPlan,
} from "@community-safety/core";
import { filterByArea, type PolygonFeatureCollection } from "@community-safety/geo";
import { page, type Section } from "./html.js";
import { dataQualitySection, DISCLOSURE_SUMMARY_MARK, type AreaFilterInfo } from "../sections/data-quality.js";
import { DisclosureContext, publicOutputProblems, publicPolicy } from "./public-outputs.js";
import { levelsSection, type CountyPictureCache } from "../sections/levels-section.js";
import { changeSection } from "../sections/change-section.js";
import { performanceSection } from "../sections/performance-section.js";
import { trendsSection } from "../sections/trends-section.js";
import { hotspotsSection, type AreasLayer } from "../sections/hotspots-section.js";
import type { OutputFile } from "../sections/output.js";
import { defaultFyStart, reportTable } from "../sections/report-calendar.js";
import { summarySection, type Finding } from "../sections/summary-section.js";
import { sourcesSection } from "../sections/sources-section.js";
import { figureFiles, figureOutputs, type FigureFile } from "./figure-files.js";

/** What a report is built from: the ingested incidents and what came with them (all already read). */
export interface ReportInput {
  /** The incidents (several sources combined with core's `combineIngests`, police.uk rows first). */
  readonly ingest: IngestResult;
  /** Where the data come from, in words (with licences). */
  readonly sourceDescription: string;
  /** How many inputs were combined: two or more add the partnership section. Default 1. */
  readonly parts?: number;
  /** The first rows of `ingest.table` that are police.uk records (chosen by LSOA name with `area`). Default 0. */
  readonly policeUkRows?: number;
  /** The place a preset covers ("Denver"), for the default area name. */
  readonly place?: string;
  /** The seeded synthetic borough (its name, its partnership section). */
  readonly synthetic?: boolean;
  /** Residents per district, for rates and the county picture. */
  readonly population?: ReadonlyMap<string, number> | null;
  readonly populationNote?: string;
  /** The name of the whole input's area in the county picture. */
  readonly countyName?: string;
  /** The plan's targets, and where they come from in words. */
  readonly plan?: TargetPlan | null;
  readonly planSource?: string;
  /** Beats or wards for the hot spots section (with residents for rates). */
  readonly areas?: AreasLayer;
  /** A boundary holding the area (`area` names its polygon by `key`), and its file name for the words. */
  readonly boundary?: { readonly featureCollection: PolygonFeatureCollection; readonly key?: string; readonly name: string };
  /**
   * The area's rows already picked out of `ingest.table` (`assess --all-areas` partitions the
   * input once with core's `partitionRows`): the report uses them instead of selecting again.
   */
  readonly selected?: { readonly table: IncidentTable } & AreaFilterInfo;
  /** Results computed once from the whole input and shared by the reports of one run. */
  readonly shared?: SharedReportWork;
}

/** Whole-input work shared between the reports of one run: filled on first use (see `buildAllAreas`). */
export interface SharedReportWork {
  readonly countyPictures: CountyPictureCache;
  readonly sourceCounts: Map<string, Float64Array>;
}

/** An empty {@link SharedReportWork}. */
export function sharedReportWork(): SharedReportWork {
  return { countyPictures: new Map(), sourceCounts: new Map() };
}

/** Options of {@link buildReport} (the report's choices; see `AssessOptions`). */
export interface ReportOptions {
  area?: string;
  areaName?: string;
  title?: string;
  fyStartMonth?: number;
  asAt?: string;
  public?: boolean | DisclosurePolicy;
  /** Link a PNG beside each figure's SVG (the PNGs are rendered by the caller: `figurePngs`). */
  png?: boolean;
  /** Called with each step's name (progress). */
  onStep?: (message: string) => void;
}

/** A built report: its page, sections, tables and figures, ready to write (or to show in a browser). */
export interface BuiltReport {
  readonly title: string;
  readonly subtitle: string;
  /** The whole report.html page. */
  readonly html: string;
  readonly sections: Section[];
  /** Every table (CSV rows or GeoJSON text) and every figure's SVG file, in report order. */
  readonly files: OutputFile[];
  /** The names of the tables (not the figure files). */
  readonly tables: string[];
  readonly figures: FigureFile[];
  /** The projected CRS of the table's x/y (the CSVs' `crs` column). */
  readonly crs: string;
}

/**
 * Builds the strategic assessment from incidents already read: the area, the report's calendar,
 * every section (summary, data quality, levels, change, hot spots, the partnership's sources,
 * trends, targets), the tables and the figures — with no file or network access, so the same
 * report can be built in Node (`assess` reads and writes the files around it) or in a browser.
 *
 * @throws InputError `empty-input` for no incident (or none in the area), `invalid-option` for
 *   an area that matches nothing or a bad `fyStartMonth` / disclosure policy.
 */
export async function buildReport(input: ReportInput, options: ReportOptions = {}): Promise<BuiltReport> {
  const step = options.onStep ?? (() => undefined);
  const dc = new DisclosureContext(publicPolicy(options.public));
  const { ingest, sourceDescription, place, plan = null, planSource = "", population = null, populationNote = "" } = input;
  const parts = input.parts ?? 1;
  const policeUkRows = input.policeUkRows ?? 0;
  const synthetic = input.synthetic ?? false;
  const countyName = input.countyName ?? "All districts in the input";
  const areasLayer = input.areas;
  if (ingest.table.length === 0) {
    const s = ingest.summary;
    const read = `${s.rows.toLocaleString("en-GB")} data row${s.rows === 1 ? "" : "s"} in ${s.files.length} file${s.files.length === 1 ? "" : "s"}${s.rejected ? `, all rejected: ${Object.entries(s.byReason).map(([r, n]) => `${n} ${r}`).join(", ")}` : ""}`;
    throw new InputError("empty-input", `assess: the input must hold at least one incident, got none (${read}): there is nothing to assess`);
  }

  // The area being assessed.
  let table: IncidentTable = ingest.table;
  let area: AreaFilterInfo | null = null;
  // Unnamed (no --area-name, preset place or police.uk force), sentences say "the area" and the title names none.
  const named = options.areaName ?? options.area ?? (synthetic ? countyName : (place ?? forceArea(ingest.table)));
  const areaName = named ?? "the area";
  const title = options.title ?? (named === undefined ? "Strategic assessment" : `Strategic assessment: ${areaName}${synthetic ? " (synthetic)" : ""}`);
  if (input.selected) {
    const { table: rows, ...info } = input.selected;
    table = rows;
    area = info;
    if (table.length === 0) throw new InputError("empty-input", `assess: the area must hold at least one incident, got none in "${areaName}": there is nothing to assess`);
  } else if (input.boundary) {
    const fc = input.boundary.featureCollection;
    if (options.area !== undefined && input.boundary.key === undefined) {
      throw new InputError("invalid-option", "assess: --boundary-key must name the property holding area names when --area is given with --boundary, got undefined");
    }
    const res = filterByArea(ingest.table, fc, { key: input.boundary.key, value: options.area });
    table = res.table;
    if (table.length === 0) throw new InputError("empty-input", `assess: the area must hold at least one incident, got none inside ${options.area === undefined ? "the polygons" : `"${options.area}"`} in ${input.boundary.name}: there is nothing to assess`);
    area = {
      description: `Area “${options.area ?? input.boundary.name}” (incidents inside its polygon in ${input.boundary.name})`,
      inArea: res.kept,
      outside: res.outside,
      noLocation: res.noLocation,
    };
  } else if (options.area) {
    const all = ingest.table;
    // police.uk rows: an LSOA-name prefix. Partners' rows beside police.uk data are the
    // partnership's own extracts and are kept whole; on their own, their district column names the area.
    const prefix = policeUkRows ? lsoaNamePrefixTest(all, options.area) : null;
    const test = (i: number) => (i < policeUkRows ? prefix!(i) : policeUkRows ? true : all.district.values[all.district.codes[i]] === options.area);
    table = selectRows(all, test);
    if (table.length === 0) throw new InputError("invalid-option", `assess: --area must name an area in the input (an LSOA-name prefix such as "Charnwood"), got "${options.area}" which matches no incident`);
    let noLocation = 0;
    for (let i = 0; i < all.length; ++i) if (Number.isNaN(all.x[i])) noLocation += 1;
    area = { description: `Area “${options.area}” (${policeUkRows ? `police.uk incidents whose LSOA name starts with it${ingest.table.length > policeUkRows ? ", and every record of the partners' files" : ""}` : "incidents whose district is it"})`, inArea: table.length, outside: all.length - table.length - noLocation, noLocation };
  }

  // The reporting year and what the data cover: every section takes its periods from here.
  const fyStartMonth = options.fyStartMonth ?? defaultFyStart(table);
  if (!(Number.isInteger(fyStartMonth) && fyStartMonth >= 1 && fyStartMonth <= 12)) throw new InputError("invalid-option", `assess: --fy-start must be a month from 1 to 12 (or its name), got ${fyStartMonth}`);
  // Months with implausibly few records (an incomplete extract) are left out of the coverage.
  const prepared = reportTable(table, fyStartMonth);
  table = prepared.table;
  const calendar = prepared.calendar;

  const sections: Section[] = [];
  const files: OutputFile[] = [];
  const findings: Finding[] = [];
  step("Data quality section");
  const dq = await dataQualitySection({ summary: ingest.summary, rejected: ingest.rejected, table, sourceDescription, calendar, thin: prepared.thin }, area, dc);
  sections.push(dq.section);
  files.push(...dq.files);

  step("Levels section");
  const lv = await levelsSection({
    table,
    areaName,
    county: population ? { table: ingest.table, population, name: countyName, populationNote, picture: input.shared?.countyPictures } : undefined,
    areaPopulation: population && options.area ? population.get(options.area) : population ? [...population.values()].reduce((a, b) => a + b, 0) : undefined,
    calendar,
    disclosure: dc,
  });
  sections.push(lv.section);
  files.push(...lv.files);
  findings.push(...lv.findings);

  step("Change section");
  const ch = changeSection(table, areaName, calendar, dc);
  if (ch) {
    sections.push(ch.section);
    files.push(...ch.files);
    findings.push(...ch.findings);
  }

  step("Hot spots section");
  const hs = await hotspotsSection(table, areaName, lv.latest, areasLayer, dc, { boundary: input.boundary ? { featureCollection: input.boundary.featureCollection, key: input.boundary.key, value: options.area } : undefined, source: ingest.table, sourceCounts: input.shared?.sourceCounts });
  if (hs) {
    sections.push(hs.section);
    files.push(...hs.files);
    findings.push(...hs.findings);
  }

  // The partnership picture: when partners' sources come with police data (or the synthetic borough's five sources).
  if (parts > 1 || synthetic) {
    step("Partnership sources section");
    const so = await sourcesSection(table, areaName, lv.latest, areasLayer, dc);
    if (so) {
      sections.push(so.section);
      files.push(...so.files);
      findings.push(...so.findings);
    }
  }

  step("Trends section");
  const tr = await trendsSection(table, areaName, calendar, dc);
  if (tr) {
    sections.push(tr.section);
    files.push(...tr.files);
    findings.push(...tr.findings);
  }

  if (plan) {
    step("Performance section");
    // Default: the last month the data wholly cover.
    const lastRun = calendar.runs[calendar.runs.length - 1];
    if (!lastRun) throw new InputError("empty-input", "assess: the data cover no whole month to report progress on");
    const asAt = options.asAt ?? plan.asAt ?? periodOf(lastRun.end - 1, "month", { zone: table.zone }).key;
    const perf = await performanceSection(table, plan, asAt, planSource, calendar, dc);
    sections.push(perf.section);
    files.push(...perf.files);
    findings.push(...perf.findings);
  }

  if (dc.active) {
    // Every file is checked against its disclosure spec before anything is written: a column the
    // spec does not name, or a count the rule withholds, stops the run (a bug, never published).
    const problems = files.flatMap((f) => publicOutputProblems({ ...f, rows: f.rows }, dc.policy!));
    if (problems.length) throw new Error(`assess --public: refusing to write outputs that are not protected:\n${problems.slice(0, 20).join("\n")}`);
    dq.section.html = dq.section.html.replace(DISCLOSURE_SUMMARY_MARK, dc.summaryHtml());
  }
  // The executive summary opens the report: each finding links to its section.
  sections.unshift(summarySection(findings, new Map(sections.map((s) => [s.id, s.title]))));
  // Every figure also as its own SVG file, linked under it.
  const tables = files.map((f) => f.name);
  const fig = figureFiles(sections, { png: options.png });
  sections.splice(0, sections.length, ...fig.sections);
  files.push(...figureOutputs(fig.figures));
  const subtitle = `Generated ${new Date().toISOString().slice(0, 10)} by community-safety assess. Tables are also written as CSV (and maps as GeoJSON) beside this file: ${tables.join(", ")}; each figure also as its own SVG file, linked under it.${named === undefined ? " The area is not named: the data name no place or force, so the report says “the area” (give --area-name to name it)." : ""}${dc.active ? ` Protected for publication: ${dc.rule} (details under Data quality).` : ""}`;
  return { title, subtitle, html: page(title, subtitle, sections), sections, files, tables, figures: fig.figures, crs: table.crs };
}

/** "the Leicestershire Police area" when every located record names one force (police.uk), else `undefined`. */
function forceArea(table: IncidentTable): string | undefined {
  const forces = table.force.values.filter((v): v is string => v !== null && v !== "");
  return forces.length === 1 ? `the ${forces[0]} area` : undefined;
}
