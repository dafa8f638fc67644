import { categoryLabel } from "./categories.js";
import { invalidOption } from "./errors.js";
import { FLAG, IncidentTableBuilder, PRECISION, type IncidentTable } from "./incident-table.js";
import { daysFromCivil, civilFromDays, type LocalParts } from "./local-time.js";
import { clockFor, financialYearKey } from "./periods.js";
import { projector } from "./projection.js";
import { seededRandom, weightedSampler, type Random } from "./random.js";

/** A settlement of the synthetic borough: a rectangle of square small areas (LSOA-like cells). */
export interface SyntheticTown {
  /** Settlement name, unique in the borough. */
  name: string;
  /** District (local authority / partnership area) it belongs to; LSOA names start with it. */
  district: string;
  /** South-west corner, British National Grid metres. */
  x: number;
  y: number;
  /** Cells east–west and north–south (1–40 each). */
  cols: number;
  rows: number;
  /** Side of each cell in metres (300–5000). */
  cellSize: number;
  /** A village: one ward and one beat, half the crime per resident of a town. Default false. */
  village?: boolean;
  /** Mean residents per cell. Default 1,700 (town) or 1,500 (village). */
  lsoaPopulation?: number;
}

/** Options for {@link syntheticBorough}. */
export interface SyntheticBoroughOptions {
  /** PRNG seed, an integer from 0 to 2³² − 1. Default 1. */
  seed?: number;
  /** Calendar year in which the first financial year (April–March) starts. Default 2019. */
  startYear?: number;
  /** Number of whole financial years (1–10). Default 3 (April 2019 – March 2022). */
  years?: number;
  /**
   * Expected police-recorded crime plus ASB incidents in the first year (before the planted
   * burglary trend, repeats and the emerging cluster), 0 – 1,000,000. Other sources scale
   * with it. Default 15,000 (about Charnwood's police.uk volume).
   */
  scale?: number;
  /**
   * The settlements. The first must be a town (not a village) that holds the 1 km
   * town-centre square: `1000 % cellSize === 0`, at least `1000 / cellSize` cells each way
   * and more cells than the square. The first village (if any) gets the emerging hotspot.
   * Towns must not overlap. Default {@link SYNTHETIC_TOWNS}.
   */
  towns?: readonly SyntheticTown[];
}

/** One small area (LSOA-like) of the synthetic borough. */
export interface SyntheticArea {
  /** LSOA-like code, `E019xxxxx` (outside the range of real codes). */
  area: string;
  /** `"<District> 001A"`: MSOA-like number (the ward within the district) and a letter. */
  name: string;
  district: string;
  town: string;
  /** Ward code (`E059xxxxx`) and beat code (`WRE01`). */
  ward: string;
  beat: string;
  population: number;
  /** The cell, British National Grid metres: `[x0, y0, x1, y1]`. */
  bbox: [number, number, number, number];
}

/** One street: a straight segment inside one small area. */
export interface SyntheticStreet {
  /** `S0001`, … in generation order. */
  id: string;
  name: string;
  town: string;
  district: string;
  lsoa: string;
  ward: string;
  beat: string;
  /** Segment ends, British National Grid metres. */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** Midpoint (metres) and its lon/lat: the police.uk-style snap point of the street. */
  x: number;
  y: number;
  lon: number;
  lat: number;
  /** Number of premises (house numbers 1…houses are the `place` keys of burglaries). */
  houses: number;
  /** In a town-centre cell (the main town's 1 km square, or another town's central cell). */
  centre: boolean;
}

/** Properties of a boundary feature. */
export interface SyntheticBoundaryProperties {
  level: "district" | "beat" | "ward" | "lsoa";
  /** Code (`E019…` LSOA, `E059…` ward, `WRE01` beat) or, for a district, its name. */
  code: string;
  name: string;
  district: string;
  /** The settlement, or `null` for a district spanning several. */
  town: string | null;
  population: number;
}

/** A GeoJSON polygon feature in lon/lat (RFC 7946, counter-clockwise outer rings). */
export interface SyntheticBoundaryFeature {
  type: "Feature";
  properties: SyntheticBoundaryProperties;
  geometry: { type: "Polygon"; coordinates: number[][][] } | { type: "MultiPolygon"; coordinates: number[][][][] };
}

/** Every planted truth of the synthetic borough, numerically (see SYNTHETIC_BOROUGH.md). */
export interface SyntheticBoroughTruths {
  seed: number;
  startYear: number;
  years: number;
  scale: number;
  zone: string;
  crs: string;
  /** First and last month (`YYYY-MM`, inclusive) and the financial-year keys. */
  months: { first: string; last: string; financialYears: string[] };
  /** Supplying organisation of each source (the `force` column). */
  organisations: Record<string, string>;
  /**
   * Poisson mean of each category's count per financial year (`key` is `source/category`),
   * before burglary repeats and the emerging cluster are added.
   */
  meanCounts: Record<string, number[]>;
  /**
   * Month-of-year factors (per day, January first) and the planted peaks: all police-recorded
   * crime, ASB (the same two peaks every year), deliberate fires.
   */
  seasonality: {
    crime: { peakMonths: number[]; monthFactors: number[] };
    asb: { peakMonths: number[]; monthFactors: number[] };
    fire: { peakMonths: number[]; monthFactors: number[] };
  };
  /** Planted trend: each financial year's mean is `(1 + annualChange)` times the previous. */
  trend: { source: string; category: string; annualChange: number };
  /**
   * Night-time economy: a share of violent crime (and of ambulance assault call-outs) starts
   * on ISO weekdays `weekdays` (5 = Friday … 7 = Sunday), local hours `[hours[0], hours[1])`: the
   * nights of Thursday, Friday and Saturday (a day starting at 06:00 keeps them on those days).
   */
  nteWindow: { weekdays: number[]; hours: [number, number]; category: string; share: number; ambulanceShare: number };
  /** Probability of the alcohol flag, by group. */
  alcohol: { violenceInWindow: number; violenceOutsideWindow: number; ambulanceInWindow: number; ambulanceOutsideWindow: number; publicOrder: number; asb: number };
  /** Probability of the domestic flag per violent-crime subcategory (overall, both windows). */
  domestic: Record<string, number>;
  /** Probability of the hate flag per category. */
  hate: Record<string, number>;
  /** The 1 km town-centre square `[x0, x0 + sizeM) × [y0, y0 + sizeM)` and its share of violent crime. */
  violenceCentre: { town: string; x0: number; y0: number; x: number; y: number; sizeM: number; share: number };
  /** Streets holding `burglaryTopStreetsShare` of burglary between them (equal shares). */
  burglaryTopStreets: { id: string; name: string; town: string; lsoa: string; x: number; y: number }[];
  burglaryTopStreetsShare: number;
  /**
   * Probability that a residential burglary victim (victim key) is burgled again at the same
   * place, the two record starts at most `withinDays` apart.
   */
  repeatBurglary: { subcategory: string; share: number; withinDays: number };
  /** Street names used in more than one settlement (each a different street), e.g. High Street. */
  duplicateStreetNames: { name: string; towns: string[] }[];
  /**
   * Extra incidents on `streets` (in `lsoa`) in the last financial year, ramping up month by
   * month: `monthlyMeans[category][m]` for the year's month m (0 = April).
   */
  emergingHotspot: { town: string; lsoa: string; streets: string[]; x: number; y: number; categories: string[]; firstMonth: string; monthlyMeans: Record<string, number[]> } | null;
  /** How records' times are given. */
  precision: { asbMonthShare: number; policeHourShare: number; windowShare: Record<string, number>; windowHours: [number, number] };
  /** Crime per resident of districts other than the first town's, relative to it. */
  otherDistrictFactor: number;
  /** Crime per resident of villages, relative to towns. */
  villageFactor: number;
  /** Each district's residents and expected share of each category (`source/category`). */
  districts: { name: string; population: number; expectedShare: Record<string, number> }[];
  /** Expected ratio of violent-crime rates per resident, the higher district over the lower. */
  peerDifference: { category: string; higher: string; lower: string; rateRatio: number } | null;
}

/** Result of {@link syntheticBorough}. */
export interface SyntheticBoroughResult {
  /** Every incident, sorted by `start` (zone `Europe/London`, crs `EPSG:27700`). */
  table: IncidentTable;
  /** Residents per small area. */
  population: SyntheticArea[];
  /** District, beat, ward and LSOA polygons in lon/lat. */
  boundaries: { type: "FeatureCollection"; features: SyntheticBoundaryFeature[] };
  streets: SyntheticStreet[];
  truths: SyntheticBoroughTruths;
}

/** The default settlements: two districts, Wreford (a town and two villages) and Callowmere (two towns and a village). */
export const SYNTHETIC_TOWNS: readonly SyntheticTown[] = [
  { name: "Wreford", district: "Wreford", x: 454000, y: 317000, cols: 6, rows: 6, cellSize: 500 },
  { name: "Thistleby", district: "Wreford", x: 448400, y: 321600, cols: 2, rows: 2, cellSize: 800, village: true },
  { name: "Hollinsby", district: "Wreford", x: 458400, y: 322400, cols: 2, rows: 1, cellSize: 800, village: true },
  { name: "Callowmere", district: "Callowmere", x: 463000, y: 312000, cols: 5, rows: 5, cellSize: 500 },
  { name: "Brindlecote", district: "Callowmere", x: 466800, y: 317400, cols: 3, rows: 2, cellSize: 600 },
  { name: "Marrowby", district: "Callowmere", x: 468000, y: 308800, cols: 2, rows: 1, cellSize: 800, village: true },
];

const FN = "syntheticBorough";
const ZONE = "Europe/London";
const CRS = "EPSG:27700";
const SQUARE = 1000;
const BASE_SCALE = 15000;

// ---- planted parameters -------------------------------------------------------------------
const TREND = { source: "police-recorded-crime", category: "burglary", annualChange: -0.1 };
const NTE = { weekdays: [5, 6, 7], hours: [0, 4] as [number, number], share: 0.2, ambulanceShare: 0.35, squareShare: 0.6, hourWeights: [0.3, 0.33, 0.24, 0.13] };
const CENTRE_SHARE = 0.21;
const TOP_STREETS = { count: 4, share: 0.08 };
const REPEAT = { share: 0.08, withinDays: 42, maxOffsetDays: 40 };
const ALCOHOL = { violenceInWindow: 0.7, violenceOutsideWindow: 0.12, ambulanceInWindow: 0.8, ambulanceOutsideWindow: 0.2, publicOrder: 0.2, asb: 0.15 };
const DOMESTIC: Record<string, number> = { "common-assault": 0.35, abh: 0.45, "gbh-wounding": 0.25, "stalking-harassment": 0.4, "sexual-offence": 0.3 };
const HATE: Record<string, number> = { "public-order": 0.08, "violent-crime": 0.02 };
const PRECISION_MIX = { asbMonthShare: 0.2, policeHourShare: 0.1, windowShare: { burglary: 0.6, "vehicle-crime": 0.5, "criminal-damage-arson": 0.4 } as Record<string, number>, windowHours: [2, 12] as [number, number] };
const OTHER_DISTRICT_FACTOR = 0.8;
const VILLAGE_FACTOR = 0.5;
const EMERGING_RAMP: Record<string, number> = { "anti-social-behaviour": 1.5, "criminal-damage-arson": 1 }; // extra per month × month number (1–12), at scale 15,000

const M_CRIME = [0.92, 0.88, 0.95, 0.97, 1.02, 1.25, 1.05, 1.03, 0.98, 1.04, 1.2, 0.96];
const M_ASB = [0.85, 0.8, 0.9, 0.95, 1.0, 1.0, 1.05, 1.6, 0.95, 1.5, 0.95, 0.8];
const M_FIRE = [0.8, 0.8, 1.0, 2.0, 1.2, 1.0, 1.0, 1.0, 0.9, 1.1, 2.2, 0.8];
const W_FLAT = [1, 1, 1, 1, 1, 1, 1];
const W_WEEKEND = [0.9, 0.9, 0.9, 1.0, 1.15, 1.25, 1.1];
const W_SHOP = [1.05, 1, 1, 1, 1.05, 1.2, 0.7];
const H_EVENING = [2.0, 1.6, 1.2, 0.9, 0.6, 0.4, 0.4, 0.6, 0.9, 1.1, 1.3, 1.5, 1.7, 1.8, 1.9, 2.1, 2.5, 2.8, 3.0, 3.1, 3.0, 2.8, 2.6, 2.3];
const H_SHOP = [0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.1, 0.4, 1.2, 2.2, 2.8, 3.0, 3.1, 3.1, 3.0, 3.0, 2.9, 2.6, 1.8, 0.9, 0.5, 0.3, 0.2, 0.1];
const H_BURGLARY = [1.0, 0.8, 0.6, 0.5, 0.4, 0.4, 0.5, 0.7, 0.9, 1.0, 1.1, 1.2, 1.2, 1.2, 1.3, 1.5, 1.8, 2.0, 2.1, 2.0, 1.8, 1.6, 1.4, 1.2];
const H_NIGHT = [1.8, 1.6, 1.4, 1.2, 1.0, 0.8, 0.7, 0.7, 0.8, 0.9, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.3, 1.5, 1.7, 1.9, 2.0, 2.1, 2.1, 2.0];
const H_DAY = [0.3, 0.2, 0.2, 0.1, 0.1, 0.1, 0.3, 0.6, 1.0, 1.3, 1.5, 1.6, 1.7, 1.7, 1.8, 1.9, 2.0, 2.0, 1.9, 1.7, 1.4, 1.1, 0.8, 0.5];

const ORGS: Record<string, string> = {
  "police-recorded-crime": "Wrefordshire Police",
  "asb-incident": "Wrefordshire Police",
  "deliberate-fire": "Wrefordshire Fire and Rescue Service",
  "ambulance-callout": "Wrefordshire Ambulance Service",
  "hospital-admission": "Wreford General Hospital",
};

const OUTCOMES: [string, number][] = [
  ["Investigation complete; no suspect identified", 0.4],
  ["Unable to prosecute suspect", 0.25],
  ["Status update unavailable", 0.05],
  ["Under investigation", 0.06],
  ["Offender given a caution", 0.03],
  ["Local resolution", 0.05],
  ["Awaiting court outcome", 0.04],
  ["Court result unavailable", 0.04],
  ["Further investigation is not in the public interest", 0.03],
  ["Formal action is not in the public interest", 0.02],
  ["Action to be taken by another organisation", 0.03],
];

interface Profile {
  months: readonly number[];
  weekdays: readonly number[];
  hours: readonly number[];
}

interface Spec {
  source: string;
  category: string;
  /** Expected count per year at scale 15,000. */
  perYear: number;
  profile: Profile;
  subs: readonly (readonly [string, number])[];
  /** Crime per resident in a town-centre cell relative to elsewhere. */
  centre: number;
  village: number;
  victim: boolean;
  place: "house" | "shop" | null;
  alcohol: number;
  hate: number;
}

const spec = (source: string, category: string, perYear: number, profile: Profile, more: Partial<Spec> = {}): Spec => ({
  source, category, perYear, profile, subs: [], centre: 1, village: VILLAGE_FACTOR, victim: false, place: null, alcohol: 0, hate: 0, ...more,
});

const P = (months: number[], weekdays: number[], hours: number[]): Profile => ({ months, weekdays, hours });
const PRC = "police-recorded-crime";
const S = BASE_SCALE;
const SPECS: Spec[] = [
  spec(PRC, "violent-crime", 0.33 * S, P(M_CRIME, W_WEEKEND, H_EVENING), {
    subs: [["common-assault", 0.36], ["abh", 0.3], ["gbh-wounding", 0.07], ["stalking-harassment", 0.2], ["sexual-offence", 0.07]],
    centre: 3, victim: true, hate: HATE["violent-crime"],
  }),
  spec("asb-incident", "anti-social-behaviour", 0.14 * S, P(M_ASB, W_WEEKEND, H_EVENING), { subs: [["personal", 0.25], ["nuisance", 0.65], ["environmental", 0.1]], centre: 2, alcohol: ALCOHOL.asb }),
  spec(PRC, "public-order", 0.085 * S, P(M_CRIME, W_WEEKEND, H_EVENING), { centre: 4, alcohol: ALCOHOL.publicOrder, hate: HATE["public-order"] }),
  spec(PRC, "criminal-damage-arson", 0.09 * S, P(M_CRIME, W_FLAT, H_NIGHT), { subs: [["criminal-damage", 0.93], ["arson", 0.07]], centre: 1.5, victim: true }),
  spec(PRC, "other-theft", 0.07 * S, P(M_CRIME, W_FLAT, H_DAY), { centre: 4, victim: true }),
  spec(PRC, "shoplifting", 0.075 * S, P(M_CRIME, W_SHOP, H_SHOP), { centre: 25, village: 0.3, place: "shop" }),
  spec(PRC, "vehicle-crime", 0.06 * S, P(M_CRIME, W_FLAT, H_NIGHT), { subs: [["theft-from-vehicle", 0.6], ["theft-of-vehicle", 0.25], ["vehicle-interference", 0.15]], victim: true }),
  spec(PRC, "burglary", 0.06 * S, P(M_CRIME, W_FLAT, H_BURGLARY), { subs: [["residential", 0.75], ["business-community", 0.25]], centre: 0.5, victim: true, place: "house" }),
  spec(PRC, "drugs", 0.025 * S, P(M_CRIME, W_WEEKEND, H_EVENING), { subs: [["possession", 0.8], ["trafficking", 0.2]], centre: 3 }),
  spec(PRC, "other-crime", 0.025 * S, P(M_CRIME, W_FLAT, H_DAY)),
  spec(PRC, "bicycle-theft", 0.015 * S, P(M_CRIME, W_FLAT, H_DAY), { centre: 3, victim: true }),
  spec(PRC, "theft-from-the-person", 0.01 * S, P(M_CRIME, W_WEEKEND, H_EVENING), { centre: 20, victim: true }),
  spec(PRC, "robbery", 0.008 * S, P(M_CRIME, W_WEEKEND, H_EVENING), { subs: [["personal", 0.85], ["business", 0.15]], centre: 3, victim: true }),
  spec(PRC, "possession-of-weapons", 0.007 * S, P(M_CRIME, W_WEEKEND, H_EVENING), { centre: 3 }),
  spec("deliberate-fire", "deliberate-primary-fire", 0.006 * S, P(M_FIRE, W_WEEKEND, H_EVENING), { subs: [["vehicle", 0.6], ["dwelling", 0.15], ["other-building", 0.25]], village: 1 }),
  spec("deliberate-fire", "deliberate-secondary-fire", 0.014 * S, P(M_FIRE, W_WEEKEND, H_EVENING), { subs: [["refuse", 0.6], ["grassland", 0.3], ["other-outdoor", 0.1]], centre: 0.5, village: 1.2 }),
  spec("ambulance-callout", "assault", 0.047 * S, P(M_CRIME, W_WEEKEND, H_EVENING), { centre: 3 }),
  spec("hospital-admission", "assault", 0.01 * S, P(M_CRIME, W_WEEKEND, H_EVENING), { subs: [["bodily-force", 0.7], ["sharp-object", 0.2], ["blunt-object", 0.1]] }),
];

const STREET_PREFIXES = [
  "Acorn", "Albert", "Alder", "Ash", "Aspen", "Beech", "Birch", "Blackthorn", "Bracken", "Bramble", "Brook", "Canal", "Castle", "Cedar",
  "Chapel", "Cherry", "Chestnut", "Church", "Clover", "Coronation", "Cromwell", "Dale", "Elm", "Fern", "Field", "Forest", "Foxglove",
  "Garden", "Gladstone", "Granby", "Grange", "Hawthorn", "Hazel", "Heather", "Hill", "Holly", "Juniper", "Kings", "Laburnum", "Larch",
  "Laurel", "Lime", "Linden", "Manor", "Maple", "Meadow", "Mill", "Nelson", "Oak", "Orchard", "Paddock", "Park", "Poplar", "Priory",
  "Queens", "Rectory", "Rowan", "School", "Spinney", "Spring", "Station", "Sycamore", "Thorn", "Valley", "Victoria", "Vicarage",
  "Wellington", "Willow", "Windmill",
];
const STREET_SUFFIXES = ["Road", "Street", "Lane", "Close", "Avenue", "Drive", "Way", "Crescent", "Grove", "Gardens", "Walk", "Rise"];
const SQUARE_NAMES = ["High Street", "Market Place", "Market Street", "Church Gate", "Bridge Street", "Wharf Street", "Silver Street", "Sheep Street", "Bell Lane", "Cattle Market", "Bank Street", "Swan Street"];
const TOWN_CENTRE_NAMES = ["High Street", "Market Place", "Church Street"];
const VILLAGE_NAMES = ["Main Street", "Church Lane"];
const QUALIFIERS = ["Upper", "Lower", "Old", "New"];

// ---- options ---------------------------------------------------------------------------------

interface Settings {
  seed: number;
  startYear: number;
  years: number;
  scale: number;
  towns: readonly SyntheticTown[];
}

function checkTowns(towns: unknown): readonly SyntheticTown[] {
  if (!Array.isArray(towns) || towns.length === 0) invalidOption(FN, "towns", "a non-empty array of towns", towns);
  const list = towns as SyntheticTown[];
  const names = new Set<string>();
  list.forEach((t, i) => {
    const at = `towns[${i}]`;
    if (t === null || typeof t !== "object") invalidOption(FN, at, "an object { name, district, x, y, cols, rows, cellSize }", t);
    if (typeof t.name !== "string" || t.name.trim() === "") invalidOption(FN, `${at}.name`, "a non-empty string", t.name);
    if (names.has(t.name)) invalidOption(FN, `${at}.name`, "unique among the towns", t.name);
    names.add(t.name);
    if (typeof t.district !== "string" || t.district.trim() === "") invalidOption(FN, `${at}.district`, "a non-empty string", t.district);
    for (const k of ["x", "y"] as const) if (!Number.isFinite(t[k])) invalidOption(FN, `${at}.${k}`, "a finite number of metres", t[k]);
    for (const k of ["cols", "rows"] as const) if (!Number.isInteger(t[k]) || t[k] < 1 || t[k] > 40) invalidOption(FN, `${at}.${k}`, "an integer from 1 to 40", t[k]);
    if (!(t.cellSize >= 300 && t.cellSize <= 5000)) invalidOption(FN, `${at}.cellSize`, "a number of metres from 300 to 5000", t.cellSize);
    if (t.village !== undefined && typeof t.village !== "boolean") invalidOption(FN, `${at}.village`, "a boolean", t.village);
    if (t.lsoaPopulation !== undefined && !(t.lsoaPopulation > 0 && Number.isFinite(t.lsoaPopulation))) invalidOption(FN, `${at}.lsoaPopulation`, "a positive number", t.lsoaPopulation);
  });
  const main = list[0];
  const k = SQUARE / main.cellSize;
  if (main.village || !Number.isInteger(k) || main.cols < k || main.rows < k || main.cols * main.rows <= k * k) {
    invalidOption(FN, "towns[0]", "a town (not a village) whose cellSize divides 1000 m and that has more cells than its 1 km centre square", main);
  }
  for (let i = 0; i < list.length; ++i) {
    for (let j = 0; j < i; ++j) {
      const a = list[i];
      const b = list[j];
      const overlap = a.x < b.x + b.cols * b.cellSize && b.x < a.x + a.cols * a.cellSize && a.y < b.y + b.rows * b.cellSize && b.y < a.y + a.rows * a.cellSize;
      if (overlap) invalidOption(FN, `towns[${i}]`, `a rectangle that does not overlap towns[${j}] (${b.name})`, a.name);
    }
  }
  return list;
}

function checkOptions(options: SyntheticBoroughOptions): Settings {
  if (options === null || typeof options !== "object") invalidOption(FN, "options", "an object", options);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) invalidOption(FN, "seed", "an integer from 0 to 4294967295", seed);
  const startYear = options.startYear ?? 2019;
  if (!Number.isInteger(startYear) || startYear < 1990 || startYear > 2100) invalidOption(FN, "startYear", "an integer year from 1990 to 2100", startYear);
  const years = options.years ?? 3;
  if (!Number.isInteger(years) || years < 1 || years > 10) invalidOption(FN, "years", "an integer from 1 to 10", years);
  const scale = options.scale ?? BASE_SCALE;
  if (!(scale >= 0 && scale <= 1_000_000)) invalidOption(FN, "scale", "a number of incidents per year from 0 to 1000000", scale);
  const towns = options.towns === undefined ? SYNTHETIC_TOWNS : checkTowns(options.towns);
  return { seed, startYear, years, scale, towns };
}

// ---- geography -------------------------------------------------------------------------------

interface Cell {
  town: number;
  col: number;
  row: number;
  x0: number;
  y0: number;
  size: number;
  code: string;
  name: string;
  ward: number;
  beat: number;
  population: number;
  centre: boolean;
  inSquare: boolean;
  streets: number[];
}

interface Block {
  code: string;
  name: string;
  town: number;
  district: string;
  bbox: [number, number, number, number];
  population: number;
}

interface Street extends SyntheticStreet {
  cell: number;
  fixed: boolean;
}

interface Geography {
  cells: Cell[];
  wards: Block[];
  beats: Block[];
  districts: string[];
  streets: Street[];
  square: { x0: number; y0: number };
  topStreets: number[];
  cluster: { town: number; cell: number; streets: number[] } | null;
}

const pad = (n: number, w: number) => String(n).padStart(w, "0");

/** "North West", "Central", …: where block (bx, by) of an nbx × nby grid lies (by counts from the south). */
function compass(bx: number, by: number, nbx: number, nby: number): string {
  const h = nbx === 1 ? "" : bx === 0 ? "West" : bx === nbx - 1 ? "East" : "Central";
  const v = nby === 1 ? "" : by === nby - 1 ? "North" : by === 0 ? "South" : "Central";
  if ((h === "" || h === "Central") && (v === "" || v === "Central")) return "Central";
  if (h === "" || h === "Central") return v;
  if (v === "" || v === "Central") return h;
  return `${v} ${h}`;
}

function uniqueName(name: string, used: Set<string>): string {
  let out = name;
  for (let k = 2; used.has(out); ++k) out = `${name} ${k}`;
  used.add(out);
  return out;
}

function buildGeography(towns: readonly SyntheticTown[], rng: Random): Geography {
  const proj = projector(CRS);
  const main = towns[0];
  const k = SQUARE / main.cellSize;
  const square = { x0: main.x + main.cellSize * Math.floor((main.cols - k) / 2), y0: main.y + main.cellSize * Math.floor((main.rows - k) / 2) };
  const districts: string[] = [];
  for (const t of towns) if (!districts.includes(t.district)) districts.push(t.district);
  const cells: Cell[] = [];
  const wards: Block[] = [];
  const beats: Block[] = [];
  const abbrevs = new Set<string>();
  const wardNames = new Set<string>();
  const beatNames = new Set<string>();
  let lsoaNo = 0;
  for (const district of districts) {
    let abbrev = (district.replace(/[^A-Za-z]/g, "").toUpperCase() + "XXX").slice(0, 3);
    for (let n = 2; abbrevs.has(abbrev); ++n) abbrev = abbrev.slice(0, 2) + n;
    abbrevs.add(abbrev);
    let msoa = 0;
    let beatNo = 0;
    towns.forEach((t, ti) => {
      if (t.district !== district) return;
      const size = t.cellSize;
      const wb = t.village ? Math.max(t.cols, t.rows) : 2;
      const bb = t.village ? Math.max(t.cols, t.rows) : 3;
      const nwx = Math.ceil(t.cols / wb);
      const nwy = Math.ceil(t.rows / wb);
      const nbx = Math.ceil(t.cols / bb);
      const nby = Math.ceil(t.rows / bb);
      const beatIndex = new Map<number, number>();
      for (let by = nby - 1; by >= 0; --by) {
        for (let bx = 0; bx < nbx; ++bx) {
          beatIndex.set(by * nbx + bx, beats.length);
          const x0 = t.x + bx * bb * size;
          const y0 = t.y + by * bb * size;
          beats.push({
            code: `${abbrev}${pad(++beatNo, 2)}`,
            name: uniqueName(t.village || nbx * nby === 1 ? t.name : `${t.name} ${compass(bx, by, nbx, nby)}`, beatNames),
            town: ti,
            district,
            bbox: [x0, y0, Math.min(t.x + t.cols * size, x0 + bb * size), Math.min(t.y + t.rows * size, y0 + bb * size)],
            population: 0,
          });
        }
      }
      for (let wy = nwy - 1; wy >= 0; --wy) {
        for (let wx = 0; wx < nwx; ++wx) {
          msoa += 1;
          const ward = wards.length;
          const x0 = t.x + wx * wb * size;
          const y0 = t.y + wy * wb * size;
          wards.push({
            code: `E059${pad(ward + 1, 5)}`,
            name: uniqueName(t.village || nwx * nwy === 1 ? t.name : `${t.name} ${compass(wx, wy, nwx, nwy)}`, wardNames),
            town: ti,
            district,
            bbox: [x0, y0, Math.min(t.x + t.cols * size, x0 + wb * size), Math.min(t.y + t.rows * size, y0 + wb * size)],
            population: 0,
          });
          let letter = 0;
          for (let row = Math.min(t.rows, (wy + 1) * wb) - 1; row >= wy * wb; --row) {
            for (let col = wx * wb; col < Math.min(t.cols, (wx + 1) * wb); ++col) {
              const x = t.x + col * size;
              const y = t.y + row * size;
              const inSquare = ti === 0 && x >= square.x0 && x < square.x0 + SQUARE && y >= square.y0 && y < square.y0 + SQUARE;
              const centre = inSquare || (ti !== 0 && !t.village && col === Math.floor(t.cols / 2) && row === Math.floor(t.rows / 2));
              const mean = t.lsoaPopulation ?? (t.village ? 1500 : 1700);
              const pop = Math.round(Math.min(1.5 * mean, Math.max(0.6 * mean, rng.normal(mean, 0.12 * mean))) * (centre ? 0.6 : 1));
              cells.push({
                town: ti,
                col,
                row,
                x0: x,
                y0: y,
                size,
                code: `E019${pad(++lsoaNo, 5)}`,
                name: `${district} ${pad(msoa, 3)}${String.fromCharCode(65 + (letter++ % 26))}`,
                ward,
                beat: beatIndex.get(Math.floor(row / bb) * nbx + Math.floor(col / bb))!,
                population: pop,
                centre,
                inSquare,
                streets: [],
              });
              wards[ward].population += pop;
              beats[beatIndex.get(Math.floor(row / bb) * nbx + Math.floor(col / bb))!].population += pop;
            }
          }
        }
      }
    });
  }

  // Streets: names unique within a settlement, drawn from a shuffled pool after the fixed ones.
  const combos: string[] = [];
  for (const p of STREET_PREFIXES) for (const s of STREET_SUFFIXES) combos.push(`${p} ${s}`);
  const streets: Street[] = [];
  towns.forEach((t, ti) => {
    const townCells = cells.filter((c) => c.town === ti);
    const fixedFor = (c: Cell, first: boolean): string[] =>
      c.inSquare ? SQUARE_NAMES : c.centre ? TOWN_CENTRE_NAMES : t.village && first ? VILLAGE_NAMES : [];
    const reserved = new Set([...SQUARE_NAMES, ...TOWN_CENTRE_NAMES, ...VILLAGE_NAMES]);
    const pool = rng.shuffled(combos).filter((n) => !reserved.has(n));
    let next = 0;
    let squareNext = 0;
    townCells.forEach((c, ci) => {
      const n = c.centre ? 6 : 4 + rng.int(3);
      const fixed = fixedFor(c, ci === 0);
      for (let j = 0; j < n; ++j) {
        let name: string;
        let isFixed = false;
        if (c.inSquare && squareNext < fixed.length) {
          name = fixed[squareNext++];
          isFixed = true;
        } else if (!c.inSquare && j < fixed.length) {
          name = fixed[j];
          isFixed = true;
        } else {
          // Past the pool (a settlement of more than ~800 streets), reuse it with a qualifier.
          const round = Math.floor(next / pool.length);
          const plain = pool[next++ % pool.length];
          name = round === 0 ? plain : round <= QUALIFIERS.length ? `${QUALIFIERS[round - 1]} ${plain}` : `${plain} ${round + 1}`;
        }
        const size = c.size;
        const len = rng.range(0.25, 0.55) * size;
        const theta = rng.uniform() * Math.PI;
        const hx = (len / 2) * Math.cos(theta);
        const hy = (len / 2) * Math.sin(theta);
        const mx = Math.abs(hx) + 30;
        const my = Math.abs(hy) + 30;
        const x = Math.round(c.x0 + rng.range(mx, size - mx));
        const y = Math.round(c.y0 + rng.range(my, size - my));
        const [lon, lat] = proj.inverse(x, y);
        const s: Street = {
          id: `S${pad(streets.length + 1, 4)}`,
          name,
          town: t.name,
          district: t.district,
          lsoa: c.code,
          ward: wards[c.ward].code,
          beat: beats[c.beat].code,
          x1: Math.round(x - hx),
          y1: Math.round(y - hy),
          x2: Math.round(x + hx),
          y2: Math.round(y + hy),
          x,
          y,
          lon,
          lat,
          houses: Math.max(6, Math.round(len / 8)),
          centre: c.centre,
          cell: cells.indexOf(c),
          fixed: isFixed,
        };
        c.streets.push(streets.length);
        streets.push(s);
      }
    });
  });

  // Burglary hotspot streets: town (not village), outside centres, a name used once in the borough.
  const nameCount = new Map<string, number>();
  for (const s of streets) nameCount.set(s.name, (nameCount.get(s.name) ?? 0) + 1);
  const eligible = streets.map((_, i) => i).filter((i) => !towns[cells[streets[i].cell].town].village && !streets[i].centre && nameCount.get(streets[i].name) === 1);
  const topStreets: number[] = [];
  const usedCells = new Set<number>();
  for (const i of rng.shuffled(eligible)) {
    if (topStreets.length === TOP_STREETS.count) break;
    if (usedCells.has(streets[i].cell)) continue;
    usedCells.add(streets[i].cell);
    topStreets.push(i);
  }

  // Emerging cluster: the first village's last cell, on its first two streets without a fixed name.
  let cluster: Geography["cluster"] = null;
  const vi = towns.findIndex((t) => t.village);
  if (vi >= 0) {
    const vcells = cells.map((c, i) => (c.town === vi ? i : -1)).filter((i) => i >= 0);
    const cell = vcells[vcells.length - 1];
    const own = cells[cell].streets.filter((s) => !streets[s].fixed && !topStreets.includes(s)).slice(0, 2);
    if (own.length > 0) cluster = { town: vi, cell, streets: own };
  }
  return { cells, wards, beats, districts, streets, square, topStreets, cluster };
}

// ---- calendar --------------------------------------------------------------------------------

interface Calendar {
  n: number;
  /** Local midnight of each day and of the day after the last (epoch minutes). */
  dayStart: Float64Array;
  y: Int16Array;
  m: Uint8Array;
  d: Uint8Array;
  weekday: Uint8Array;
  /** First day index of each month, plus the end. */
  monthFirst: number[];
  /** Day indices of each month on the NTE weekdays. */
  windowDays: number[][];
  monthKey: string[];
}

function buildCalendar(startYear: number, years: number): Calendar {
  const clock = clockFor(ZONE);
  const first = daysFromCivil(startYear, 4, 1);
  const n = daysFromCivil(startYear + years, 4, 1) - first;
  const cal: Calendar = {
    n,
    dayStart: new Float64Array(n + 1),
    y: new Int16Array(n + 1),
    m: new Uint8Array(n + 1),
    d: new Uint8Array(n + 1),
    weekday: new Uint8Array(n + 1),
    monthFirst: [],
    windowDays: [],
    monthKey: [],
  };
  const ymd = { year: 0, month: 0, day: 0 };
  for (let i = 0; i <= n; ++i) {
    civilFromDays(first + i, ymd);
    cal.y[i] = ymd.year;
    cal.m[i] = ymd.month;
    cal.d[i] = ymd.day;
    cal.weekday[i] = ((((first + i + 3) % 7) + 7) % 7) + 1;
    cal.dayStart[i] = clock.fromLocal(ymd.year, ymd.month, ymd.day);
    if (ymd.day === 1) {
      cal.monthFirst.push(i);
      if (i < n) {
        cal.monthKey.push(`${ymd.year}-${pad(ymd.month, 2)}`);
        cal.windowDays.push([]);
      }
    }
    if (i < n && NTE.weekdays.includes(cal.weekday[i])) cal.windowDays[cal.windowDays.length - 1].push(i);
  }
  return cal;
}

// ---- generation ------------------------------------------------------------------------------

/**
 * Returns a seeded synthetic community-safety partnership area — the fictional county of
 * Wrefordshire with the districts Wreford and Callowmere — for demonstrations and as ground
 * truth for tests: an {@link IncidentTable} of several financial years of incidents from five
 * sources (police-recorded crime, ASB incidents, deliberate fires, ambulance assault
 * call-outs, hospital assault admissions) with mixed time precision (minute, hour, from/to
 * windows, day, month), each located on a named street (hospital admissions: the patient's
 * home small area only), with small-area populations, lon/lat boundaries, the streets, and
 * `truths`, every planted pattern as numbers (documented in `SYNTHETIC_BOROUGH.md`).
 *
 * The geography sits around British National Grid E 455000 N 318000 with invented names; LSOA-like
 * cells (`E019xxxxx`, named `"<District> 001A"`) tile each settlement, wards and beats are blocks
 * of cells. Counts per category and financial year are Poisson; times follow month-of-year,
 * weekday and hour profiles; places follow population, with planted mixtures for the
 * town-centre square, the night-time economy, burglary hotspot streets, repeats and an
 * emerging village cluster. Same options → byte-identical output; only core code, no Node APIs.
 * About 50,000 rows at the defaults, generated in a few hundred milliseconds.
 *
 * @throws InputError `invalid-option` for a seed, startYear, years, scale or towns outside the
 *   documented ranges (see {@link SyntheticBoroughOptions}).
 * @example
 * const { table, truths } = syntheticBorough({ seed: 7 });
 * table.zone; // => "Europe/London"
 * truths.seasonality.crime.peakMonths; // => [6, 11]
 * syntheticBorough({ years: 0 }); // throws InputError "syntheticBorough: years must be an integer from 1 to 10, got 0"
 */
export function syntheticBorough(options: SyntheticBoroughOptions = {}): SyntheticBoroughResult {
  const o = checkOptions(options);
  const root = seededRandom(o.seed);
  const geo = buildGeography(o.towns, root.fork());
  const rng = root.fork();
  const cal = buildCalendar(o.startYear, o.years);
  const clock = clockFor(ZONE);
  const proj = projector(CRS);
  const { cells, streets } = geo;
  const ratio = o.scale / BASE_SCALE;
  const mainDistrict = o.towns[0].district;
  const periodStart = cal.dayStart[0];

  // Location weights per street.
  const nS = streets.length;
  const isVillage = (s: Street) => o.towns[cells[s.cell].town].village === true;
  const base = (sp: Spec, exclude: (s: Street, i: number) => boolean): Float64Array => {
    const w = new Float64Array(nS);
    let sum = 0;
    streets.forEach((s, i) => {
      if (exclude(s, i)) return;
      const c = cells[s.cell];
      let v = c.population / c.streets.length;
      if (isVillage(s)) v *= sp.village;
      if (s.district !== mainDistrict) v *= OTHER_DISTRICT_FACTOR;
      if (s.centre) v *= sp.centre;
      w[i] = v;
      sum += v;
    });
    if (sum > 0) for (let i = 0; i < nS; ++i) w[i] /= sum;
    return w;
  };
  const inSquare = (s: Street) => cells[s.cell].inSquare;
  const squareUniform = new Float64Array(nS);
  const squareStreets = streets.filter(inSquare).length;
  streets.forEach((s, i) => (squareUniform[i] = inSquare(s) ? 1 / squareStreets : 0));
  const mix = (parts: [number, Float64Array][]): Float64Array => {
    const w = new Float64Array(nS);
    for (const [p, v] of parts) for (let i = 0; i < nS; ++i) w[i] += p * v[i];
    return w;
  };
  const topSet = new Set(geo.topStreets);
  const topUniform = new Float64Array(nS);
  geo.topStreets.forEach((i) => (topUniform[i] = 1 / geo.topStreets.length));
  const outsideSquareShare = (CENTRE_SHARE - NTE.share * NTE.squareShare) / (1 - NTE.share);

  interface Runtime {
    sp: Spec;
    key: string;
    nte: number;
    loc: Float64Array;
    locIn: Float64Array | null;
    drawLoc: (r: Random) => number;
    drawLocIn: ((r: Random) => number) | null;
    drawSub: ((r: Random) => number) | null;
    hours: (r: Random) => number;
    hoursOutside: (r: Random) => number;
    monthDraw: ((r: Random) => number)[];
    dayDraw: Map<number, (r: Random) => number>;
  }
  const runtimes: Runtime[] = SPECS.map((sp) => {
    let loc: Float64Array;
    let locIn: Float64Array | null = null;
    let nte = 0;
    if (sp.category === "violent-crime" || sp.source === "ambulance-callout") {
      nte = sp.category === "violent-crime" ? NTE.share : NTE.ambulanceShare;
      const rest = base(sp, inSquare);
      locIn = mix([[NTE.squareShare, squareUniform], [1 - NTE.squareShare, rest]]);
      loc = sp.category === "violent-crime" ? mix([[outsideSquareShare, squareUniform], [1 - outsideSquareShare, rest]]) : base(sp, () => false);
    } else if (sp.category === TREND.category && geo.topStreets.length > 0) {
      loc = mix([[TOP_STREETS.share, topUniform], [1 - TOP_STREETS.share, base(sp, (_, i) => topSet.has(i))]]);
    } else if (sp.source === "hospital-admission") {
      // Residence: by population alone (no district, village or centre factor).
      const w = new Float64Array(nS);
      let sum = 0;
      streets.forEach((s, i) => {
        const c = cells[s.cell];
        w[i] = c.population / c.streets.length;
        sum += w[i];
      });
      for (let i = 0; i < nS; ++i) w[i] /= sum;
      loc = w;
    } else loc = base(sp, () => false);
    const hourOutside = sp.profile.hours.map((h, i) => (i >= NTE.hours[0] && i < NTE.hours[1] ? 0 : h));
    const monthDraw: ((r: Random) => number)[] = [];
    for (let fy = 0; fy < o.years; ++fy) {
      const w = [];
      for (let k = 0; k < 12; ++k) {
        const mi = fy * 12 + k;
        w.push(sp.profile.months[(k + 3) % 12] * (cal.monthFirst[mi + 1] - cal.monthFirst[mi]));
      }
      monthDraw.push(weightedSampler(w));
    }
    return {
      sp,
      key: `${sp.source}/${sp.category}`,
      nte,
      loc,
      locIn,
      drawLoc: weightedSampler(loc),
      drawLocIn: locIn ? weightedSampler(locIn) : null,
      drawSub: sp.subs.length ? weightedSampler(sp.subs.map((s) => s[1])) : null,
      hours: weightedSampler(sp.profile.hours),
      hoursOutside: weightedSampler(hourOutside),
      monthDraw,
      dayDraw: new Map(),
    };
  });
  const nteHour = weightedSampler(NTE.hourWeights);
  const outcomeDraw = weightedSampler(OUTCOMES.map((x) => x[1]));

  // Time of one incident.
  const T = { month: 0, day: 0, hour: 0, minute: 0, t: 0 };
  const localMinute = (day: number, hour: number, minute: number): number =>
    cal.dayStart[day + 1] - cal.dayStart[day] === 1440
      ? cal.dayStart[day] + hour * 60 + minute
      : clock.fromLocal(cal.y[day], cal.m[day], cal.d[day], hour, minute);
  const drawDay = (rt: Runtime, month: number): number => {
    let f = rt.dayDraw.get(month);
    if (!f) {
      const w = [];
      for (let i = cal.monthFirst[month]; i < cal.monthFirst[month + 1]; ++i) w.push(rt.sp.profile.weekdays[cal.weekday[i] - 1]);
      rt.dayDraw.set(month, (f = weightedSampler(w)));
    }
    return cal.monthFirst[month] + f(rng);
  };
  const windowSet = new Set(NTE.weekdays);
  /** mode: 0 no window, 1 inside the NTE window, 2 outside it. */
  const drawTime = (rt: Runtime, fy: number, mode: number): void => {
    T.month = fy * 12 + rt.monthDraw[fy](rng);
    if (mode === 1) {
      const days = cal.windowDays[T.month];
      T.day = days[rng.int(days.length)];
      T.hour = NTE.hours[0] + nteHour(rng);
    } else {
      T.day = drawDay(rt, T.month);
      T.hour = mode === 2 && windowSet.has(cal.weekday[T.day]) ? rt.hoursOutside(rng) : rt.hours(rng);
    }
    T.minute = rng.int(60);
    T.t = localMinute(T.day, T.hour, T.minute);
  };

  // Rows.
  const expected = Math.round(o.scale * o.years * 1.25) + 64;
  const b = new IncidentTableBuilder(ZONE, CRS, expected);
  const code = (col: keyof typeof b.dict, v: string) => b.dict[col].encode(v);
  const codes = {
    source: new Map<string, number>(),
    force: new Map<string, number>(),
    outcome: OUTCOMES.map((x) => code("outcome", x[0])),
  };
  for (const src of Object.keys(ORGS)) {
    codes.source.set(src, code("source", src));
    codes.force.set(src, code("force", ORGS[src]));
  }
  const streetCodes = streets.map((s) => ({
    location: code("location", s.name),
    lsoa: code("lsoa", s.lsoa),
    ward: code("ward", s.ward),
    beat: code("beat", s.beat),
    district: code("district", s.district),
  }));
  for (const c of cells) b.areaNames.set(c.code, c.name);
  for (const w of geo.wards) b.areaNames.set(w.code, w.name);
  for (const bt of geo.beats) b.areaNames.set(bt.code, bt.name);
  let victims = 0;
  const hex = (words: number): string => {
    let s = "";
    for (let k = 0; k < words; ++k) s += rng.uint32().toString(16).padStart(8, "0");
    return s;
  };
  const nextVictim = () => `V${pad(++victims, 6)}`;

  /** Writes one incident at time T on street `si`; returns its row. */
  const emit = (rt: Runtime, sub: string | null, si: number, flags: number, victim: string | null, place: string | null): number => {
    const sp = rt.sp;
    const i = b.addRow();
    b.id.set(i, sp.source === "asb-incident" ? null : hex(sp.source === PRC ? 8 : 2));
    b.dict.source.setCode(i, codes.source.get(sp.source)!);
    b.dict.force.setCode(i, codes.force.get(sp.source)!);
    b.dict.category.set(i, sp.category);
    b.dict.subcategory.set(i, sub);
    let start = T.t;
    let end = T.t + 1;
    let precision: number = PRECISION.minute;
    if (sp.source === PRC) {
      const ws = PRECISION_MIX.windowShare[sp.category] ?? 0;
      if (ws > 0 && rng.bernoulli(ws)) {
        const dur = Math.round(rng.range(PRECISION_MIX.windowHours[0], PRECISION_MIX.windowHours[1]) * 60);
        const from = T.t - rng.int(dur);
        start = Math.max(from, periodStart);
        end = from + dur;
      } else if (rng.bernoulli(PRECISION_MIX.policeHourShare)) {
        start = localMinute(T.day, T.hour, 0);
        end = start + 60;
        precision = PRECISION.hour;
      }
      b.dict.outcome.setCode(i, codes.outcome[outcomeDraw(rng)]);
    } else if (sp.source === "asb-incident") {
      if (rng.bernoulli(PRECISION_MIX.asbMonthShare)) {
        start = cal.dayStart[cal.monthFirst[T.month]];
        end = cal.dayStart[cal.monthFirst[T.month + 1]];
        precision = PRECISION.month;
      }
    } else if (sp.source === "hospital-admission") {
      start = cal.dayStart[T.day];
      end = cal.dayStart[T.day + 1];
      precision = PRECISION.day;
    }
    b.start[i] = start;
    b.end[i] = end;
    b.precision[i] = precision;
    const s = streets[si];
    const sc = streetCodes[si];
    if (sp.source === "hospital-admission") {
      b.dict.lsoa.setCode(i, sc.lsoa); // the patient's home area; no point, no street
      b.dict.ward.setCode(i, sc.ward);
      b.dict.beat.setCode(i, sc.beat);
      b.dict.district.setCode(i, sc.district);
    } else {
      const u = rng.uniform();
      const x = Math.round(s.x1 + u * (s.x2 - s.x1) + rng.range(-12, 12));
      const y = Math.round(s.y1 + u * (s.y2 - s.y1) + rng.range(-12, 12));
      const [lon, lat] = proj.inverse(x, y);
      b.x[i] = x;
      b.y[i] = y;
      b.lon[i] = lon;
      b.lat[i] = lat;
      b.dict.location.setCode(i, sc.location);
      b.dict.lsoa.setCode(i, sc.lsoa);
      b.dict.ward.setCode(i, sc.ward);
      b.dict.beat.setCode(i, sc.beat);
      b.dict.district.setCode(i, sc.district);
    }
    b.flags[i] = flags;
    b.dict.victim.set(i, victim);
    b.dict.place.set(i, place);
    return i;
  };

  const meanCounts: Record<string, number[]> = {};
  const burglaryRt = runtimes.find((r) => r.sp.category === TREND.category && r.sp.source === TREND.source)!;
  const repeats: { si: number; day: number; victim: string; place: string; sub: string }[] = [];
  for (const rt of runtimes) {
    const sp = rt.sp;
    const means: number[] = [];
    for (let fy = 0; fy < o.years; ++fy) {
      const trend = rt === burglaryRt ? (1 + TREND.annualChange) ** fy : 1;
      const mean = sp.perYear * ratio * trend;
      means.push(mean);
      const n = rng.poisson(mean);
      for (let j = 0; j < n; ++j) {
        const sub = rt.drawSub ? sp.subs[rt.drawSub(rng)][0] : null;
        const mode = rt.nte > 0 ? (rng.bernoulli(rt.nte) ? 1 : 2) : 0;
        drawTime(rt, fy, mode);
        const si = mode === 1 ? rt.drawLocIn!(rng) : rt.drawLoc(rng);
        let flags = 0;
        if (sp.category === "violent-crime") {
          if (mode === 2 && rng.bernoulli(DOMESTIC[sub!] / (1 - NTE.share))) flags |= FLAG.domestic;
          if (rng.bernoulli(mode === 1 ? ALCOHOL.violenceInWindow : ALCOHOL.violenceOutsideWindow)) flags |= FLAG.alcohol;
        } else if (sp.source === "ambulance-callout") {
          if (rng.bernoulli(mode === 1 ? ALCOHOL.ambulanceInWindow : ALCOHOL.ambulanceOutsideWindow)) flags |= FLAG.alcohol;
        } else if (sp.alcohol > 0 && rng.bernoulli(sp.alcohol)) flags |= FLAG.alcohol;
        if (sp.hate > 0 && rng.bernoulli(sp.hate)) flags |= FLAG.hate;
        const victim = sp.victim ? nextVictim() : null;
        let place: string | null = null;
        const s = streets[si];
        if (sp.place === "house" || (flags & FLAG.domestic) !== 0) place = `${s.id}/${1 + rng.int(s.houses)}`;
        else if (sp.place === "shop") place = `${s.id}/shop-${1 + rng.int(3)}`;
        emit(rt, sub, si, flags, victim, place);
        if (rt === burglaryRt && sub === "residential" && rng.bernoulli(REPEAT.share)) repeats.push({ si, day: T.day, victim: victim!, place: place!, sub });
      }
    }
    meanCounts[rt.key] = means;
  }

  // Repeat burglaries: same victim and place, 1–40 days later (record starts ≤ 42 days apart).
  for (const r of repeats) {
    const day = r.day + 1 + rng.int(REPEAT.maxOffsetDays);
    if (day >= cal.n) continue; // after the period: not recorded
    let month = 0;
    while (cal.monthFirst[month + 1] <= day) month += 1;
    T.month = month;
    T.day = day;
    T.hour = burglaryRt.hours(rng);
    T.minute = rng.int(60);
    T.t = localMinute(day, T.hour, T.minute);
    emit(burglaryRt, r.sub, r.si, 0, r.victim, r.place);
  }

  // Emerging cluster in the last financial year.
  let emerging: SyntheticBoroughTruths["emergingHotspot"] = null;
  if (geo.cluster) {
    const cl = geo.cluster;
    const monthlyMeans: Record<string, number[]> = {};
    for (const cat of Object.keys(EMERGING_RAMP)) {
      const rt = runtimes.find((r) => r.sp.category === cat)!;
      const means: number[] = [];
      for (let k = 0; k < 12; ++k) {
        const mean = EMERGING_RAMP[cat] * (k + 1) * ratio;
        means.push(mean);
        const n = rng.poisson(mean);
        const month = (o.years - 1) * 12 + k;
        for (let j = 0; j < n; ++j) {
          T.month = month;
          T.day = cal.monthFirst[month] + rng.int(cal.monthFirst[month + 1] - cal.monthFirst[month]);
          T.hour = rt.hours(rng);
          T.minute = rng.int(60);
          T.t = localMinute(T.day, T.hour, T.minute);
          const si = cl.streets[rng.int(cl.streets.length)];
          const flags = rt.sp.alcohol > 0 && rng.bernoulli(rt.sp.alcohol) ? FLAG.alcohol : 0;
          const sub = rt.drawSub ? rt.sp.subs[rt.drawSub(rng)][0] : null;
          emit(rt, sub, si, flags, rt.sp.victim ? nextVictim() : null, null);
        }
      }
      monthlyMeans[`${rt.sp.source}/${cat}`] = means;
    }
    const cs = cl.streets.map((i) => streets[i]);
    emerging = {
      town: o.towns[cl.town].name,
      lsoa: cells[cl.cell].code,
      streets: cs.map((s) => s.name),
      x: Math.round(cs.reduce((a, s) => a + s.x, 0) / cs.length),
      y: Math.round(cs.reduce((a, s) => a + s.y, 0) / cs.length),
      categories: Object.keys(monthlyMeans),
      firstMonth: cal.monthKey[(o.years - 1) * 12],
      monthlyMeans,
    };
  }

  // Sort by start (then generation order) and finish.
  // Keys start · 2²⁴ + row are exact doubles (start < 2²⁹ minutes, i.e. before 2990; rows < 2²⁴), so a numeric
  // typed-array sort orders by start and then generation order.
  const nRows = b.length;
  let order: Uint32Array;
  if (nRows < 2 ** 24) {
    const keys = new Float64Array(nRows);
    for (let i = 0; i < nRows; ++i) keys[i] = b.start[i] * 16777216 + i;
    keys.sort();
    order = new Uint32Array(nRows);
    for (let i = 0; i < nRows; ++i) order[i] = keys[i] % 16777216;
  } else {
    const starts = b.start;
    order = Uint32Array.from({ length: nRows }, (_, i) => i).sort((p, q) => starts[p] - starts[q] || p - q);
  }
  b.flagsRecorded = FLAG.alcohol | FLAG.domestic | FLAG.hate; // every synthetic source records all three
  // Every source is generated for every day of the financial years asked for.
  const span = { start: clock.fromLocal(o.startYear, 4, 1), end: clock.fromLocal(o.startYear + o.years, 4, 1) };
  b.coverage = Object.keys(ORGS).map((source) => ({ source, areaColumn: null, area: null, spans: [span], basis: "declared" as const, note: `generated for every day of ${o.years} financial year${o.years === 1 ? "" : "s"}` }));
  const table = b.finish(order);

  // Truths that depend on the geography.
  const districtPop = new Map<string, number>(geo.districts.map((d) => [d, 0]));
  for (const c of cells) districtPop.set(o.towns[c.town].district, districtPop.get(o.towns[c.town].district)! + c.population);
  const districts = geo.districts.map((name) => {
    const expectedShare: Record<string, number> = {};
    for (const rt of runtimes) {
      let p = 0;
      streets.forEach((s, i) => {
        if (s.district !== name) return;
        p += rt.locIn ? rt.nte * rt.locIn[i] + (1 - rt.nte) * rt.loc[i] : rt.loc[i];
      });
      expectedShare[rt.key] = p;
    }
    return { name, population: districtPop.get(name)!, expectedShare };
  });
  let peerDifference: SyntheticBoroughTruths["peerDifference"] = null;
  if (districts.length >= 2) {
    const key = `${PRC}/violent-crime`;
    const rates = districts.map((d) => ({ name: d.name, rate: d.expectedShare[key] / d.population })).sort((p, q) => q.rate - p.rate);
    peerDifference = { category: "violent-crime", higher: rates[0].name, lower: rates[rates.length - 1].name, rateRatio: rates[0].rate / rates[rates.length - 1].rate };
  }
  const townsByName = new Map<string, Set<string>>();
  for (const s of streets) {
    if (!townsByName.has(s.name)) townsByName.set(s.name, new Set());
    townsByName.get(s.name)!.add(s.town);
  }
  const duplicateStreetNames = [...townsByName]
    .filter(([, t]) => t.size > 1)
    .map(([name, t]) => ({ name, towns: [...t] }))
    .sort((p, q) => (p.name < q.name ? -1 : p.name > q.name ? 1 : 0));
  const peaks = (f: number[]) => {
    const days = [31, 28.25, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    return f.map((v, i) => [v * days[i], i + 1]).sort((p, q) => q[0] - p[0]).slice(0, 2).map((x) => x[1]).sort((p, q) => p - q);
  };
  const fyKeys = Array.from({ length: o.years }, (_, k) => financialYearKey(o.startYear + k));
  const truths: SyntheticBoroughTruths = {
    seed: o.seed,
    startYear: o.startYear,
    years: o.years,
    scale: o.scale,
    zone: ZONE,
    crs: CRS,
    months: { first: cal.monthKey[0], last: cal.monthKey[cal.monthKey.length - 1], financialYears: fyKeys },
    organisations: { ...ORGS },
    meanCounts,
    seasonality: {
      crime: { peakMonths: peaks(M_CRIME), monthFactors: [...M_CRIME] },
      asb: { peakMonths: peaks(M_ASB), monthFactors: [...M_ASB] },
      fire: { peakMonths: peaks(M_FIRE), monthFactors: [...M_FIRE] },
    },
    trend: { ...TREND },
    nteWindow: { weekdays: [...NTE.weekdays], hours: [...NTE.hours], category: "violent-crime", share: NTE.share, ambulanceShare: NTE.ambulanceShare },
    alcohol: { ...ALCOHOL },
    domestic: { ...DOMESTIC },
    hate: { ...HATE },
    violenceCentre: { town: o.towns[0].name, x0: geo.square.x0, y0: geo.square.y0, x: geo.square.x0 + SQUARE / 2, y: geo.square.y0 + SQUARE / 2, sizeM: SQUARE, share: CENTRE_SHARE },
    burglaryTopStreets: geo.topStreets.map((i) => {
      const s = streets[i];
      return { id: s.id, name: s.name, town: s.town, lsoa: s.lsoa, x: s.x, y: s.y };
    }),
    burglaryTopStreetsShare: geo.topStreets.length ? TOP_STREETS.share : 0,
    repeatBurglary: { subcategory: "residential", share: REPEAT.share, withinDays: REPEAT.withinDays },
    duplicateStreetNames,
    emergingHotspot: emerging,
    precision: { asbMonthShare: PRECISION_MIX.asbMonthShare, policeHourShare: PRECISION_MIX.policeHourShare, windowShare: { ...PRECISION_MIX.windowShare }, windowHours: [...PRECISION_MIX.windowHours] },
    otherDistrictFactor: OTHER_DISTRICT_FACTOR,
    villageFactor: VILLAGE_FACTOR,
    districts,
    peerDifference,
  };

  return {
    table,
    population: cells.map((c) => ({
      area: c.code,
      name: c.name,
      district: o.towns[c.town].district,
      town: o.towns[c.town].name,
      ward: geo.wards[c.ward].code,
      beat: geo.beats[c.beat].code,
      population: c.population,
      bbox: [c.x0, c.y0, c.x0 + c.size, c.y0 + c.size],
    })),
    boundaries: { type: "FeatureCollection", features: boundaryFeatures(geo, o.towns) },
    streets: streets.map(({ cell: _c, fixed: _f, ...s }) => s),
    truths,
  };
}

// ---- boundaries ------------------------------------------------------------------------------

/** A closed counter-clockwise ring around a rectangle with a vertex every `step` metres, in lon/lat. */
function rectRing(bbox: readonly number[], step: number, inverse: (x: number, y: number) => [number, number]): number[][] {
  const [x0, y0, x1, y1] = bbox;
  const pts: [number, number][] = [];
  const nx = Math.max(1, Math.round((x1 - x0) / step));
  const ny = Math.max(1, Math.round((y1 - y0) / step));
  for (let i = 0; i < nx; ++i) pts.push([x0 + ((x1 - x0) * i) / nx, y0]);
  for (let i = 0; i < ny; ++i) pts.push([x1, y0 + ((y1 - y0) * i) / ny]);
  for (let i = 0; i < nx; ++i) pts.push([x1 - ((x1 - x0) * i) / nx, y1]);
  for (let i = 0; i < ny; ++i) pts.push([x0, y1 - ((y1 - y0) * i) / ny]);
  pts.push([x0, y0]);
  const round = (v: number) => Math.round(v * 1e7) / 1e7;
  return pts.map(([x, y]) => {
    const [lon, lat] = inverse(x, y);
    return [round(lon), round(lat)];
  });
}

function boundaryFeatures(geo: Geography, towns: readonly SyntheticTown[]): SyntheticBoundaryFeature[] {
  const inv = projector(CRS).inverse;
  const features: SyntheticBoundaryFeature[] = [];
  for (const d of geo.districts) {
    const own = towns.filter((t) => t.district === d);
    const pop = geo.cells.filter((c) => towns[c.town].district === d).reduce((a, c) => a + c.population, 0);
    features.push({
      type: "Feature",
      properties: { level: "district", code: d, name: d, district: d, town: own.length === 1 ? own[0].name : null, population: pop },
      geometry: { type: "MultiPolygon", coordinates: own.map((t) => [rectRing([t.x, t.y, t.x + t.cols * t.cellSize, t.y + t.rows * t.cellSize], t.cellSize, inv)]) },
    });
  }
  for (const [level, blocks] of [["beat", geo.beats], ["ward", geo.wards]] as const) {
    for (const bl of blocks) {
      features.push({
        type: "Feature",
        properties: { level, code: bl.code, name: bl.name, district: bl.district, town: towns[bl.town].name, population: bl.population },
        geometry: { type: "Polygon", coordinates: [rectRing(bl.bbox, towns[bl.town].cellSize, inv)] },
      });
    }
  }
  for (const c of geo.cells) {
    features.push({
      type: "Feature",
      properties: { level: "lsoa", code: c.code, name: c.name, district: towns[c.town].district, town: towns[c.town].name, population: c.population },
      geometry: { type: "Polygon", coordinates: [rectRing([c.x0, c.y0, c.x0 + c.size, c.y0 + c.size], c.size, inv)] },
    });
  }
  return features;
}

// ---- police.uk export ------------------------------------------------------------------------

const POLICE_UK_HEADER = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context";

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * Returns the police-recorded crime and ASB incidents of a synthetic borough as police.uk
 * street-level CSV files, one per month (`YYYY-MM-wrefordshire-police-street.csv`, months in
 * order): the 12 police.uk columns, `Month` only (the local month of each record's `start`),
 * the street's snap point (midpoint) as Longitude/Latitude to 6 decimals, `On or near <street>`,
 * the LSOA code and name, police.uk's crime-type label, the last outcome, a blank Context, and a
 * blank Crime ID for ASB — ready for `readPoliceUk`. Rows keep the table's order (by start).
 * Other sources are left out (police.uk does not publish them). A borough with no police or
 * ASB rows gives an empty array.
 *
 * @throws InputError `invalid-option` when `borough` has no incident table and streets.
 * @example
 * const files = syntheticBoroughPoliceUkCsv(syntheticBorough());
 * files[0].name; // => "2019-04-wrefordshire-police-street.csv"
 * readPoliceUk(files).summary.rejected; // => 0
 */
export function syntheticBoroughPoliceUkCsv(borough: Pick<SyntheticBoroughResult, "table" | "streets">): { name: string; text: string }[] {
  const fn = "syntheticBoroughPoliceUkCsv";
  if (borough === null || typeof borough !== "object" || !borough.table || !Array.isArray(borough.streets)) {
    invalidOption(fn, "borough", "the result of syntheticBorough (with table and streets)", borough === null || typeof borough !== "object" ? borough : Object.keys(borough));
  }
  const { table, streets } = borough;
  const snap = new Map<string, SyntheticStreet>();
  for (const s of streets) snap.set(`${s.name}\u0000${s.lsoa}`, s);
  const clock = clockFor(table.zone);
  const months = new Map<string, string[]>();
  const parts: LocalParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, weekday: 0 };
  const v = (col: { codes: ArrayLike<number>; values: ReadonlyArray<string | null> }, i: number) => col.values[col.codes[i]];
  let slug = "";
  const idHex = (i: number): string => {
    const a = table.id.offsets[i];
    const z = table.id.offsets[i + 1];
    if (a === z) return "";
    if (table.id.encoding === "utf8") return new TextDecoder().decode(table.id.bytes.subarray(a, z));
    let s = "";
    for (let k = a; k < z; ++k) s += table.id.bytes[k].toString(16).padStart(2, "0");
    return s;
  };
  for (let i = 0; i < table.length; ++i) {
    const source = v(table.source, i);
    const isAsb = source === "asb-incident";
    if (!isAsb && source !== "police-recorded-crime") continue;
    clock.parts(table.start[i], parts);
    const month = `${parts.year}-${pad(parts.month, 2)}`;
    const location = v(table.location, i);
    const lsoa = v(table.lsoa, i);
    const street = location !== null && lsoa !== null ? snap.get(`${location}\u0000${lsoa}`) : undefined;
    const lon = street ? street.lon : table.lon[i];
    const lat = street ? street.lat : table.lat[i];
    const hasPoint = Number.isFinite(lon) && Number.isFinite(lat);
    const force = v(table.force, i) ?? "";
    if (slug === "") slug = force.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    const row = [
      isAsb ? "" : idHex(i),
      month,
      force,
      force,
      hasPoint ? lon.toFixed(6) : "",
      hasPoint ? lat.toFixed(6) : "",
      location !== null ? `On or near ${location}` : hasPoint ? "On or near" : "No Location",
      lsoa ?? "",
      lsoa !== null ? (table.areaNames.get(lsoa) ?? "") : "",
      categoryLabel(v(table.category, i) ?? ""),
      isAsb ? "" : (v(table.outcome, i) ?? ""),
      "",
    ];
    let list = months.get(month);
    if (!list) months.set(month, (list = []));
    list.push(row.map(csvField).join(","));
  }
  const keys = [...months.keys()].sort();
  return keys.map((m) => ({ name: `${m}-${slug}-street.csv`, text: POLICE_UK_HEADER + "\n" + months.get(m)!.join("\n") + "\n" }));
}
