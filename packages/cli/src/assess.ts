import { mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { join, resolve, basename } from "node:path";
import { InputError, readPopulation, readTargets, type TargetPlan, type IngestResult, type ExtractWindow, type DisclosurePolicy } from "@community-safety/core";
import { readPoliceUkFiles, readDelimitedFiles } from "@community-safety/core/node";
import { CHICAGO_CODE, VANCOUVER_VPD, MEMPHIS_CODE, CINCINNATI_PDI, DENVER_PD, POLICE_UK_ASB_TAB, type ReadDelimitedOptions } from "@community-safety/core";
import type { PolygonFeatureCollection } from "@community-safety/geo";
import { combineIngests, jsonDepth, readMapping, tableBytes } from "@community-safety/core";
import { buildReport } from "./report/build-report.js";
import { Progress } from "./progress.js";
import { DisclosureContext, publicPolicy } from "./report/public-outputs.js";
import type { AreasLayer } from "./sections/hotspots-section.js";
import type { OutputFile } from "./sections/output.js";
import { figurePngs } from "./report/figure-png.js";
import { csvText, writeOutputs } from "./write-outputs.js";
import { loadSynthetic, SYNTHETIC_PLAN } from "./synthetic-input.js";
import { Profiler } from "./profile.js";
import { runAllAreas } from "./all-areas.js";

/** Options of `community-safety assess`. */
export interface AssessOptions {
  /** police.uk street-level files or folders; when absent the seeded synthetic borough is used. */
  policeUk?: string[];
  /** Other delimited incident files (partners' extracts, city open data), read with `preset` or `mapping`; may be combined with `policeUk`. */
  input?: string[];
  /** The column mapping of `input`: one of {@link PRESETS}' keys (chicago, vancouver, memphis, cincinnati, denver, police-uk-asb-tab). */
  preset?: string;
  /**
   * Mapping files (JSON, core's `readMapping`; examples in examples/mappings/) for `input`: one
   * for every input file (paired in order: one source each), or a single one for all of them.
   */
  mapping?: string[];
  /**
   * Area to assess: an LSOA-name prefix for police.uk data (e.g. "Charnwood"), or — with
   * `boundary` — the value of `boundaryKey` naming the area's polygon(s).
   */
  area?: string;
  /** A GeoJSON boundary file (lon/lat) holding the area. */
  boundary?: string;
  /** The feature property that names areas in `boundary` (e.g. "AREANM"). */
  boundaryKey?: string;
  /** A population CSV (LSOA code → residents; optional district column) for rates. */
  population?: string;
  /**
   * What the population file's areas are: `"lsoa"` (default: LSOA codes, rolled up to districts
   * by `populationGroup` for the county picture), `"district"`, or `"ward"` / `"beat"` /
   * `"postcode-district"`, whose residents give rates per 1,000 in the `areas` table and map
   * (the layer's `areasKey` must hold the same codes).
   */
  populationLevel?: "lsoa" | "ward" | "beat" | "district" | "postcode-district";
  /** The property of `areas` naming each area when `areasKey` is a code (e.g. "ward_name"). */
  areasNameKey?: string;
  /** Column of the population file naming the district. Default "lad19nm" when present. */
  populationGroup?: string;
  /** Seed of the synthetic borough. */
  seed?: number;
  /** A GeoJSON layer (lon/lat) of beats or wards for the hot spots section. The synthetic borough uses its beats. */
  areas?: string;
  /** The feature property naming each area of `areas`. */
  areasKey?: string;
  /** What the areas are ("ward", "beat"). Default "area". */
  areasLabel?: string;
  /** A targets file (JSON; format in the README). The synthetic borough has a built-in example plan. */
  targets?: string;
  /** Month end progress is reported at ("2022-10"); default the file's `asAt`, else the last month in the data. */
  asAt?: string;
  /** First month (1–12) of the reporting year. Default 4 (April) for UK data, else 1 (calendar years). */
  fyStartMonth?: number;
  /** For `input`: the extract window the files hold (first and last period keys, inclusive); default found from the records. */
  extractWindow?: ExtractWindow;
  /**
   * Protect every output for publication (`--public`): `true` for the default policy (counts
   * from 1 to 4 withheld with secondary suppression), or a core `DisclosurePolicy`
   * (`{ threshold, method: "suppress" | "round", base }`). Derived values are withheld with
   * their counts, points of small counts are moved to their 500 m grid cell's centre, and
   * rejected rows are listed without their raw values. Every output file is checked against
   * its disclosure spec before anything is written.
   */
  public?: boolean | DisclosurePolicy;
  /** Also write every figure as PNG (twice its SVG size, rendered by resvg), linked beside its SVG. Default false (SVG only). */
  png?: boolean;
  /** The report's title. Default "Strategic assessment: <area name>". */
  title?: string;
  /**
   * The place the report is about, as sentences name it ("Charnwood", "Denver"). Default: `area`,
   * else the place a preset covers, else the force of police.uk data, else "the area" (and the title names none).
   */
  areaName?: string;
  /**
   * Assess every partnership area in the input from one read (`--all-areas`): a report per
   * district in its own folder under `out`, and `out/index.html` comparing them (rates, change,
   * the funnel). Not with `area`, `boundary` or `targets` (a plan belongs to one partnership).
   */
  allAreas?: boolean;
  /** Report processes for `allAreas` (child processes). Default one per core; 1 builds them in this process. */
  workers?: number;
  /** Time and measure memory per phase; print the table (slowest phase named) and write `profile.json` into `out`. */
  profile?: boolean;
  /** Output folder. */
  out: string;
  quiet?: boolean;
}

/** Dataset presets `--preset` accepts, for timestamped city data and ASB exports. */
export const PRESETS: Readonly<Record<string, { options: ReadDelimitedOptions; name: string; place?: string }>> = {
  chicago: { options: CHICAGO_CODE, name: "Chicago Police Department open data", place: "Chicago" },
  vancouver: { options: VANCOUVER_VPD, name: "Vancouver Police Department open data", place: "Vancouver" },
  memphis: { options: MEMPHIS_CODE, name: "Memphis Police Department open data", place: "Memphis" },
  cincinnati: { options: CINCINNATI_PDI, name: "Cincinnati Police Data Initiative", place: "Cincinnati" },
  denver: { options: DENVER_PD, name: "Denver Police Department open data", place: "Denver" },
  "police-uk-asb-tab": { options: POLICE_UK_ASB_TAB, name: "police.uk ASB export (.tab)" },
};

/** What `assess` wrote. */
export interface AssessResult {
  report: string;
  files: string[];
  sections: string[];
}

/** Runs the strategic-assessment job and writes report.html plus one CSV per table. */
export async function assess(options: AssessOptions): Promise<AssessResult> {
  const progress = new Progress(options.quiet);
  const profiler = new Profiler();
  if (options.allAreas) {
    const clash = (["area", "boundary", "targets"] as const).find((k) => options[k] !== undefined);
    if (clash) throw new InputError("invalid-option", `assess: --all-areas assesses every district, so it must come without --${clash}, got --${clash} ${JSON.stringify(options[clash])}`);
    if (options.workers !== undefined && !(Number.isInteger(options.workers) && options.workers >= 1 && options.workers <= 64)) throw new InputError("invalid-option", `assess: --workers must be an integer from 1 to 64, got ${JSON.stringify(options.workers)}`);
  }
  // The disclosure policy is checked before anything is read.
  new DisclosureContext(publicPolicy(options.public));
  // The output folder must take files before any input is read: a long run that cannot write
  // its report fails at once, naming the folder.
  const out = resolve(options.out);
  await probeOutputFolder(out);
  let ingest: IngestResult;
  let sourceDescription: string;
  let place: string | undefined;
  let synthetic = false;
  let population: ReadonlyMap<string, number> | null = null;
  let populationNote = "";
  let countyName = "All districts in the input";
  let plan: TargetPlan | null = null;
  let areasLayer: AreasLayer | undefined;
  if (options.areas) {
    if (!options.areasKey) throw new InputError("invalid-option", `assess: --areas-key must name the property holding area names in ${options.areas}, got undefined`);
    areasLayer = { featureCollection: await readGeoJsonFile(options.areas, "--areas"), key: options.areasKey, label: options.areasLabel ?? "area", nameKey: options.areasNameKey };
  }
  let planSource = "";
  if (options.targets) {
    plan = readTargets(await readFile(options.targets, "utf8"));
    planSource = basename(options.targets);
  }
  // Inputs: police.uk files, partners' files (each group read with its preset or mapping file),
  // or both — combined into one partnership table (police.uk rows first).
  const parts: IngestResult[] = [];
  const descriptions: string[] = [];
  let policeUkRows = 0;
  if (options.policeUk && options.policeUk.length) {
    progress.step(`Reading police.uk files from ${options.policeUk.join(", ")}`);
    const crime = await readPoliceUkFiles(options.policeUk, {
      // No report reads a Crime ID (they find republished crimes while reading): an all-areas run
      // does not keep them, 32 bytes a row of a national table held for the whole run.
      ids: !options.allAreas,
      onProgress: (p) => progress.tick(`  file ${p.filesDone + 1}/${p.files} (${p.file}), ${(p.bytes / 1e6).toFixed(1)} MB read`),
    });
    parts.push(crime);
    policeUkRows = crime.table.length;
    descriptions.push(`police.uk street-level crime and ASB (${crime.summary.files.length} monthly files from ${options.policeUk.map((p) => basename(p)).join(", ")}). Contains public sector information licensed under the Open Government Licence v3.0.`);
  }
  for (const group of await inputGroups(options)) {
    progress.step(`Reading ${group.files.join(", ")} (${group.name})`);
    parts.push(
      await readDelimitedFiles(group.files, {
        ...group.options,
        extractWindow: options.extractWindow ?? group.options.extractWindow,
        onProgress: (p) => progress.tick(`  file ${p.filesDone + 1}/${p.files} (${p.file}), ${(p.bytes / 1e6).toFixed(1)} MB read`),
      }),
    );
    descriptions.push(`${group.name} (${group.files.map((p) => basename(p)).join(", ")}).`);
    place ??= group.place;
  }
  if (parts.length) {
    ingest = combineIngests(parts);
    sourceDescription = descriptions.join(" ");
    const level = options.populationLevel ?? "lsoa";
    if (options.population && level !== "lsoa") {
      // Residents by ward, beat, district or postcode district, keyed by area code.
      const pop = readPopulation(await readFile(options.population, "utf8"), { level });
      const note = `Residents: ${basename(options.population)} (${pop.summary.accepted} ${level}s${pop.summary.rejected ? `, ${pop.summary.rejected} rows rejected` : ""}).`;
      if (level === "district") {
        population = pop.byKey;
        populationNote = note;
      } else if (areasLayer) {
        areasLayer.population = pop.byKey;
      } else {
        throw new InputError("invalid-option", `assess: --population-level ${level} needs --areas (the ${level} polygons, keyed by the same codes with --areas-key), got no --areas`);
      }
    } else if (options.population) {
      const text = await readFile(options.population, "utf8");
      const header = text.slice(0, 2000).split(/\r?\n/)[0];
      const group = options.populationGroup ?? (header.split(",").includes("lad19nm") ? "lad19nm" : undefined);
      if (!group) throw new InputError("missing-field", `assess: --population-group must name the district column of ${options.population}`);
      const pop = readPopulation(text, { group });
      population = pop.byGroup;
      populationNote = `Residents: ${basename(options.population)} (${pop.summary.accepted} areas${pop.summary.rejected ? `, ${pop.summary.rejected} rows rejected` : ""}); mid-2015 estimates where the file says so — dated as denominators for later years.`;
      countyName = "All districts in the input";
    }
  } else {
    progress.step(`Generating the synthetic borough (seed ${options.seed ?? "default"})`);
    const s = loadSynthetic(options.seed);
    ingest = s.ingest;
    sourceDescription = s.description;
    synthetic = true;
    population = s.population;
    populationNote = s.populationNote;
    countyName = s.name;
    areasLayer ??= { featureCollection: { type: "FeatureCollection", features: s.boundaries.features.filter((f) => f.properties.level === "beat") } as unknown as PolygonFeatureCollection, key: "name", label: "beat" };
    if (!plan) {
      plan = readTargets(SYNTHETIC_PLAN);
      planSource = "the synthetic borough's built-in example plan (see --targets in the README to use your own)";
    }
  }
  progress.step(`  ${ingest.summary.rows.toLocaleString("en-GB")} rows: ${ingest.summary.accepted.toLocaleString("en-GB")} accepted, ${ingest.summary.rejected.toLocaleString("en-GB")} rejected`);
  profiler.end(parts.length ? "Read inputs" : "Generate the synthetic borough", ingest.summary.rows);
  const boundary = options.boundary ? { featureCollection: await readGeoJsonFile(options.boundary, "--boundary"), key: options.boundaryKey, name: basename(options.boundary) } : undefined;
  const reportInput = { ingest, sourceDescription, parts: parts.length, policeUkRows, place, synthetic, population, populationNote, countyName, plan, planSource, areas: areasLayer, boundary };
  if (options.allAreas) {
    const run = await runAllAreas(reportInput, {
      out,
      report: { title: undefined, fyStartMonth: options.fyStartMonth, asAt: options.asAt, public: options.public, png: options.png },
      title: options.title,
      workers: options.workers,
      png: options.png,
      progress,
      profiler,
    });
    progress.step(`Wrote ${run.index} and ${run.areas.length} area reports (${run.workers} report process${run.workers === 1 ? "" : "es"})`);
    await finishProfile(options, profiler, out, progress, { rows: ingest.summary.rows, accepted: ingest.summary.accepted, tableBytes: tableBytes(ingest.table), areas: run.areas.length, workers: run.workers, buildSeconds: run.buildSeconds, writeSeconds: run.writeSeconds });
    return { report: run.index, files: ["index.html", ...run.areas.map((a) => `${a.folder}/report.html`)], sections: ["areas"] };
  }
  let stepName = "Select the area and the calendar";
  const built = await buildReport(reportInput, {
    area: options.area,
    areaName: options.areaName,
    title: options.title,
    fyStartMonth: options.fyStartMonth,
    asAt: options.asAt,
    public: options.public,
    png: options.png,
    onStep: (m) => {
      profiler.end(stepName);
      stepName = m;
      progress.step(m);
    },
  });
  profiler.end(stepName);
  const { sections, files, tables, figures: fig, crs } = built;
  const written = files.map((f) => f.name);
  const reportPath = join(out, "report.html");
  if (options.png) progress.step(`Rendering ${fig.length} figures as PNG`);
  const pngs = options.png ? await figurePngs(fig) : [];
  await writeOutputs(out, [
    ...files.map((f) => ({ name: f.name, text: () => f.text ?? csvText(f, crs) })),
    ...pngs.map((p) => ({ name: p.name, text: () => p.png })),
    { name: "report.html", text: () => built.html },
  ]);
  progress.step(`Wrote ${reportPath}, ${tables.length} tables (CSV, GeoJSON) and ${fig.length} figures (SVG${options.png ? " and PNG" : ""})`);
  profiler.end("Write outputs", files.length);
  await finishProfile(options, profiler, out, progress, { rows: ingest.summary.rows, accepted: ingest.summary.accepted, tableBytes: tableBytes(ingest.table) });
  return { report: reportPath, files: [...written, ...pngs.map((p) => p.name)], sections: sections.map((s) => s.id) };
}


/** With `--profile`: the phase table on stderr (slowest phase named) and profile.json in `out`. */
async function finishProfile(options: AssessOptions, profiler: Profiler, out: string, progress: Progress, facts: Record<string, number>): Promise<void> {
  if (!options.profile) return;
  process.stderr.write(profiler.report() + "\n");
  const json = { ...profiler.toJSON(), ...facts, bytesPerIncident: facts.accepted ? facts.tableBytes / facts.accepted : null, node: process.version };
  await writeOutputs(out, [{ name: "profile.json", text: () => JSON.stringify(json, null, 2) + "\n" }]);
  progress.step(`Profile: ${join(out, "profile.json")}`);
}

/**
 * A polygon GeoJSON file given on the command line, read with its errors naming the option and
 * the file: not JSON, or nested more than 32 levels deep (a MultiPolygon FeatureCollection needs
 * 7), which would otherwise overflow the stack in a later walk.
 */
async function readGeoJsonFile(path: string, option: string): Promise<PolygonFeatureCollection> {
  const text = await readFile(path, "utf8");
  const depth = jsonDepth(text);
  if (depth > 32) throw new InputError("invalid-input", `assess: ${option} must be GeoJSON nested at most 32 levels deep, got ${depth} levels in ${basename(path)}`);
  try {
    return JSON.parse(text) as PolygonFeatureCollection;
  } catch (e) {
    throw new InputError("invalid-input", `assess: ${option} must be a GeoJSON file, got text that is not JSON in ${basename(path)} (${(e as Error).message})`);
  }
}

/** One source of `--input` files with how to read them. */
interface InputGroup {
  files: string[];
  options: ReadDelimitedOptions;
  name: string;
  place?: string;
}

/**
 * The `--input` files grouped by how they are read: all with `--preset`; all with one
 * `--mapping`; or each with its own mapping (paired in order), consecutive files with the same
 * mapping read as one source.
 *
 * @throws InputError `invalid-option` for inputs with neither or both of preset and mapping, or
 *   a number of mappings that is neither 1 nor the number of inputs; the mapping's own errors
 *   (core's `readMapping`) name the file.
 */
async function inputGroups(options: AssessOptions): Promise<InputGroup[]> {
  const inputs = options.input ?? [];
  const mappings = options.mapping ?? [];
  if (!inputs.length) {
    if (mappings.length) throw new InputError("invalid-option", "assess: --mapping must come with --input (the files it maps), got no --input");
    return [];
  }
  if (options.preset !== undefined && mappings.length) throw new InputError("invalid-option", "assess: --input takes --preset or --mapping, got both");
  if (!mappings.length) {
    const preset = options.preset === undefined ? undefined : PRESETS[options.preset];
    if (!preset) throw new InputError("invalid-option", `assess: --preset must be one of ${Object.keys(PRESETS).join(", ")} (the column mapping of --input), or give --mapping, got ${options.preset === undefined ? "nothing" : `"${options.preset}"`}`);
    return [{ files: inputs, options: preset.options, name: preset.name, place: preset.place }];
  }
  if (mappings.length !== 1 && mappings.length !== inputs.length) throw new InputError("invalid-option", `assess: --mapping must be given once (for every --input) or once per --input, in order, got ${mappings.length} for ${inputs.length} inputs`);
  const groups: (InputGroup & { mapping: string })[] = [];
  for (const [k, file] of inputs.entries()) {
    const mapping = mappings.length === 1 ? mappings[0] : mappings[k];
    const last = groups[groups.length - 1];
    if (last && last.mapping === mapping) {
      last.files.push(file);
      continue;
    }
    const text = await readFile(mapping, "utf8");
    const parsed = readMapping(text, { name: basename(mapping) });
    const described = JSON.parse(text) as { name?: unknown; description?: unknown };
    groups.push({ mapping, files: [file], options: parsed, name: typeof described.name === "string" ? described.name : `${basename(mapping).replace(/\.json$/, "")} (mapped by ${basename(mapping)})` });
  }
  return groups;
}

/**
 * Creates `folder` if needed and checks that a file can be written and removed in it (a probe
 * file), so an unwritable `--out` fails before the analysis starts.
 *
 * @throws InputError `invalid-option` naming the folder and the system's reason.
 */
async function probeOutputFolder(folder: string): Promise<void> {
  const probe = join(folder, `.community-safety-probe-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    await mkdir(folder, { recursive: true });
    await writeFile(probe, "probe\n", { flag: "wx" });
    await unlink(probe);
  } catch (e) {
    throw new InputError("invalid-option", `assess: --out must be a folder that can be created and written, got "${folder}" (${systemReason(e)})`);
  }
}

/** "ENOTDIR: not a directory" from a Node system error (its message without the path), else the message. */
function systemReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (typeof err?.code === "string" && typeof err.message === "string") return err.message.split(",")[0];
  return String((e as Error)?.message ?? e);
}

