#!/usr/bin/env node
import { parseArgs } from "node:util";
import { InputError } from "@community-safety/core";
import { assess } from "./assess.js";
import { removeTemporaryOutputsOnSignals } from "./write-outputs.js";

const USAGE = `Usage: community-safety assess [options]

Writes a strategic-assessment report (report.html with SVG figures, plus every table as CSV).
With no input it assesses the seeded synthetic borough.

Options:
  --police-uk <path>     police.uk street-level CSV file or folder (.csv or .csv.gz); repeatable
  --input <path>         partners' or other incident files (council ASB, fire, ambulance, a city's
                         open data); repeatable; needs --preset or --mapping; may be combined with
                         --police-uk into one partnership assessment
  --preset <name>        column mapping of --input: chicago, vancouver, memphis, cincinnati, denver,
                         police-uk-asb-tab
  --mapping <json>       a mapping file for --input (examples/mappings/; README "Mapping files"):
                         once for all inputs, or once per --input in the same order
  --area <name>          area to assess: an LSOA-name prefix such as "Charnwood",
                         or with --boundary the name of the area's polygon
  --boundary <geojson>   boundary file holding the area (e.g. leicestershire-csp-2021.geojson)
  --boundary-key <prop>  the property naming areas in the boundary file (e.g. AREANM)
  --population <csv>     residents by LSOA (e.g. leicestershire-lsoa-population-imd.csv) for rates
  --population-group <c> the district column of the population file (default lad19nm)
  --population-level <l> what the population file's areas are: lsoa (default), district, ward,
                         beat or postcode-district; ward/beat residents give rates per 1,000 in
                         the --areas table and map (--areas-key must hold the same codes)
  --areas <geojson>      beats or wards (lon/lat) for the hot spots section, e.g.
                         leicestershire-census-merged-wards-2011.geojson
  --areas-key <prop>     the property naming each area (e.g. cmwd11nm)
  --areas-label <word>   what the areas are, e.g. ward (default area)
  --areas-name-key <p>   the property naming each area when --areas-key is a code (e.g. ward_name)
  --targets <json>       the plan's targets (format in the README); the synthetic borough has a built-in plan
  --as-at <YYYY-MM>      month end to report progress at (default: the file's asAt, else the last
                         month the data wholly cover)
  --fy-start <month>     first month of the reporting year: 1–12 or a name (default april for UK
                         data, january elsewhere); labels follow it ("2019/20" or "2019")
  --extract-window <p>   for --input: the time the files hold, as one period key (2019) or
                         first,last (2019-01-15,2019-12-31); rows outside are rejected. Default:
                         first to last record, less whole months with no record
  --public               protect every output for publication: counts from 1 to 4 withheld, with
                         secondary suppression; derived values withheld with them; points of
                         small counts moved to their 500 m grid cell's centre; rejected rows
                         without their raw values (README, "Security and privacy")
  --public-threshold <n> smallest count published under --public (default 5)
  --public-method <m>    suppress (default) or round (every count to the nearest 5)
  --seed <n>             seed of the synthetic borough (default 1)
  --png                  also write every figure as PNG (SVG files are always written)
  --title <text>         the report's title (default "Strategic assessment: <area name>")
  --area-name <text>     the place as sentences name it (default --area, else the preset's city,
                         else the police force's area)
  --all-areas            assess every partnership area (district) in the input from one read: a
                         report per area in its own folder under --out, and index.html comparing
                         them (rates, change, funnel); not with --area, --boundary or --targets.
                         On Linux, GLIBC_TUNABLES=glibc.malloc.hugetlb=1 in the environment reads
                         millions of rows about a quarter faster, for ~2% more memory (README)
  --workers <n>          report processes for --all-areas (default one per core; 1 = all in this process)
  --profile              time each phase (and its memory); print the table, the slowest phase,
                         and write profile.json into --out
  --out <dir>            output folder (default out/<area or synthetic>)
  --quiet                no progress output
  --help                 this text`;

/** The options `assess` takes (see USAGE). */
const OPTIONS = {
  "police-uk": { type: "string", multiple: true },
  input: { type: "string", multiple: true },
  preset: { type: "string" },
  mapping: { type: "string", multiple: true },
  area: { type: "string" },
  boundary: { type: "string" },
  "boundary-key": { type: "string" },
  population: { type: "string" },
  "population-group": { type: "string" },
  "population-level": { type: "string" },
  "areas-name-key": { type: "string" },
  seed: { type: "string" },
  targets: { type: "string" },
  areas: { type: "string" },
  "areas-key": { type: "string" },
  "areas-label": { type: "string" },
  "as-at": { type: "string" },
  "fy-start": { type: "string" },
  "extract-window": { type: "string" },
  out: { type: "string" },
  title: { type: "string" },
  png: { type: "boolean" },
  "area-name": { type: "string" },
  public: { type: "boolean" },
  "public-threshold": { type: "string" },
  "public-method": { type: "string" },
  quiet: { type: "boolean" },
  "all-areas": { type: "boolean" },
  workers: { type: "string" },
  profile: { type: "boolean" },
  help: { type: "boolean" },
} as const;

/**
 * The parsed command line. node:util's parseArgs throws a TypeError with a several-line
 * message for an unknown option or a missing value; it becomes one InputError line here.
 */
function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const option = /'(-[^' ]*)/.exec(String(err?.message))?.[1] ?? "an option";
    const more = "(assess --help lists the options)";
    switch (err?.code) {
      case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
        throw new InputError("invalid-option", `assess: options must be ones assess knows ${more}, got "${option}"`);
      case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
        if (/does not take an argument/.test(err.message)) throw new InputError("invalid-option", `assess: ${option} must be given without a value ${more}, got a value`);
        throw new InputError("invalid-option", `assess: ${option} must be followed by a value ${more}, got ${/ambiguous/.test(err.message) ? "another option" : "nothing"}`);
      case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
        throw new InputError("invalid-option", `assess: arguments must be options ${more}, got "${option}"`);
      default:
        throw e;
    }
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  if (values.help || positionals[0] !== "assess") {
    process.stdout.write(USAGE + "\n");
    return values.help ? 0 : 2;
  }
  if (positionals.length > 1) throw new InputError("invalid-option", `assess: arguments after "assess" must be options (assess --help lists them), got "${positionals[1]}"`);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new InputError("invalid-option", `assess: --seed must be an integer, got "${values.seed}"`);
  const fyStartMonth = values["fy-start"] === undefined ? undefined : monthNumber(values["fy-start"]);
  const win = values["extract-window"]?.split(",").map((x) => x.trim());
  if (win !== undefined && (win.length < 1 || win.length > 2 || win.some((x) => x === ""))) throw new InputError("invalid-option", `assess: --extract-window must be a period key or first,last, got "${values["extract-window"]}"`);
  const publicThreshold = values["public-threshold"] === undefined ? undefined : Number(values["public-threshold"]);
  if (publicThreshold !== undefined && !(Number.isInteger(publicThreshold) && publicThreshold >= 2 && publicThreshold <= 1000)) throw new InputError("invalid-option", `assess: --public-threshold must be an integer from 2 to 1000, got "${values["public-threshold"]}"`);
  const publicMethod = values["public-method"];
  if (publicMethod !== undefined && publicMethod !== "suppress" && publicMethod !== "round") throw new InputError("invalid-option", `assess: --public-method must be suppress or round, got "${publicMethod}"`);
  if ((publicThreshold !== undefined || publicMethod !== undefined) && !values.public) throw new InputError("invalid-option", "assess: --public-threshold and --public-method must come with --public, got them without it");
  const slug = values["all-areas"] ? "all-areas" : (values.area ?? (values["police-uk"] ? "police-uk" : values.input ? (values.preset ?? "input") : "synthetic")).toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const result = await assess({
    policeUk: values["police-uk"],
    input: values.input,
    preset: values.preset,
    mapping: values.mapping,
    area: values.area,
    boundary: values.boundary,
    boundaryKey: values["boundary-key"],
    population: values.population,
    populationGroup: values["population-group"],
    populationLevel: populationLevel(values["population-level"]),
    areasNameKey: values["areas-name-key"],
    seed,
    targets: values.targets,
    areas: values.areas,
    areasKey: values["areas-key"],
    areasLabel: values["areas-label"],
    asAt: values["as-at"],
    fyStartMonth,
    extractWindow: win === undefined ? undefined : win.length === 1 ? win[0] : [win[0], win[1]],
    title: values.title,
    png: values.png,
    areaName: values["area-name"],
    out: values.out ?? `out/${slug}`,
    public: values.public ? { threshold: publicThreshold, method: publicMethod } : undefined,
    quiet: values.quiet,
    allAreas: values["all-areas"],
    workers: values.workers === undefined ? undefined : Number(values.workers),
    profile: values.profile,
  });
  process.stdout.write(result.report + "\n");
  return 0;
}

const LEVELS = ["lsoa", "ward", "beat", "district", "postcode-district"] as const;

/** --population-level, checked. */
function populationLevel(text: string | undefined): (typeof LEVELS)[number] | undefined {
  if (text === undefined) return undefined;
  if (!(LEVELS as readonly string[]).includes(text)) throw new InputError("invalid-option", `assess: --population-level must be one of ${LEVELS.join(", ")}, got "${text}"`);
  return text as (typeof LEVELS)[number];
}

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/** 1–12 from "4", "apr" or "April". */
function monthNumber(text: string): number {
  const t = text.trim().toLowerCase();
  const n = /^\d{1,2}$/.test(t) ? Number(t) : MONTHS.findIndex((m) => t.length >= 3 && m.startsWith(t)) + 1;
  if (!(n >= 1 && n <= 12)) throw new InputError("invalid-option", `assess: --fy-start must be a month from 1 to 12 or its name (e.g. april, jan), got "${text}"`);
  return n;
}

// Ctrl-C leaves no half-written temporary file in --out.
removeTemporaryOutputsOnSignals();
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`community-safety: ${errorLine(err)}\n`);
    process.exit(1);
  },
);

/**
 * What to print for an error: one line for bad input and for system errors (a file that cannot
 * be read or written, a full disk), the stack only for anything else (a bug).
 */
function errorLine(err: unknown): string {
  if (err instanceof InputError) return `${oneLine(err.message)} [${err.code}]`;
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.code === "string" && typeof e.syscall === "string") return `${oneLine(e.message)} [${e.code}]`;
  return String((err as Error)?.stack ?? err);
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, " ");
}
