// Seeded fuzz of the four readers (issue 10): mutations of valid rows — stray quotes, CR/LF
// mixes, BOMs, huge/hex/NaN/Infinity coordinates, swapped lon/lat, out-of-range and malformed
// dates, empty fields, extra/missing columns, unicode, very long fields, hostile JS values.
//
// CI runs 300 inputs per reader with a fixed seed. The full run (≥ 10,000 per reader):
//
//   FUZZ_COUNT=10000 npx vitest run test/core/fuzz-readers.test.ts
//
// (FUZZ_SEED=<n> for another seed.) For every input: no throw except an InputError with a
// documented whole-input code (missing-field, empty-input); rows = accepted + rejected per file
// and overall; every accepted window within 1800–2200 with end > start; every accepted point
// finite and inside the CRS's area of use, or no point. Linear work is checked without a
// clock: the tokenizer's own count of characters handed to it (`scanned`, re-reads included)
// stays within a fixed multiple of the input's length, also for 200,000-character fields fed
// in 64-character chunks (re-reading a pending row per chunk would cost length² / chunk), and
// doubling an input doubles the rows read.
import { describe, it, expect } from "vitest";
import {
  seededRandom,
  readPoliceUk,
  readDelimited,
  readRecords,
  readGeoJsonPoints,
  PoliceUkReader,
  DelimitedReader,
  DelimitedParser,
  POLICE_UK_CATEGORIES,
  type Random,
  type IngestResult,
  type InputError,
  type PoliceUkOptions,
  type ReadDelimitedOptions,
  type ReadRecordsOptions,
  type ReadGeoJsonPointsOptions,
  type DelimitedOptions,
} from "@community-safety/core";
import { envCount, mutateCsv, physicalLines, chunks, brokenInvariants, attempt, randomText, JUNK_NUMBERS, JUNK_MONTHS, JUNK_DATES, JUNK_TEXT } from "../helpers/fuzz.js";

const COUNT = envCount("FUZZ_COUNT", 300);
const SEED = envCount("FUZZ_SEED", 20240610);
const WHOLE_INPUT = ["missing-field", "empty-input"];
/**
 * Bound on tokenizer work, in characters handed to it per input character (+ 4,096): a
 * pending row re-read as chunks arrive costs at most a few times its length (chunks are held
 * back until they double it), and a stray quote re-reads at most the `maxFieldLines` lines
 * after its own, so each line is re-read by at most `maxFieldLines` stray quotes.
 */
const workBound = (length: number, maxFieldLines: number) => (12 + maxFieldLines) * length + 4096;

interface Tally {
  inputs: number;
  rows: number;
  accepted: number;
  rejected: number;
  wholeInputErrors: number;
  maxWork: number;
  failures: string[];
}
const tally = (): Tally => ({ inputs: 0, rows: 0, accepted: 0, rejected: 0, wholeInputErrors: 0, maxWork: 0, failures: [] });
const excerpt = (text: string) => JSON.stringify(text.length > 400 ? text.slice(0, 400) + "…" : text);
function fail(t: Tally, k: number, what: string, input: string) {
  if (t.failures.length < 20) t.failures.push(`input ${k}: ${what}\n  ${input}`);
  else if (t.failures.length === 20) t.failures.push("…");
}
function count(t: Tally, r: IngestResult) {
  t.rows += r.summary.rows;
  t.accepted += r.summary.accepted;
  t.rejected += r.summary.rejected;
}
/**
 * Judges one run: a crash or a broken invariant is a failure, a whole-input error (missing
 * columns, no rows) is counted; returns the result to check further, or null.
 */
function judge(t: Tally, k: number, run: { result?: IngestResult; error?: InputError; crash?: unknown }, input: string): IngestResult | null {
  if (run.crash !== undefined) {
    fail(t, k, `crash: ${String(run.crash)}`, input);
    return null;
  }
  if (run.error) {
    t.wholeInputErrors += 1;
    return null;
  }
  const r = run.result!;
  count(t, r);
  for (const b of brokenInvariants(r)) fail(t, k, b, input);
  return r;
}
/** Doubling an input must double its rows (reading is linear in rows, none lost or invented). */
function checkDoubled(t: Tally, k: number, r: IngestResult, d: IngestResult, input: string) {
  if (d.summary.rows !== 2 * r.summary.rows) fail(t, k, `doubling the input gives ${d.summary.rows} rows, not ${2 * r.summary.rows}`, input);
}
function report(name: string, t: Tally) {
  console.info(
    `${name}: ${t.inputs} inputs (seed ${SEED}), ${t.rows} rows = ${t.accepted} accepted + ${t.rejected} rejected, ` +
      `${t.wholeInputErrors} whole-input errors, ${t.failures.length} failures` +
      (t.maxWork > 0 ? `, tokenizer work at most ${t.maxWork.toFixed(2)}× the input` : ""),
  );
  expect(t.failures).toEqual([]);
  expect(t.inputs).toBe(COUNT);
  if (COUNT >= 100) expect(t.accepted > 0 && t.rejected > 0).toBe(true); // the inputs exercise both
}

/** Runs the tokenizer alone over `text` in random chunks; returns [rows, scanned / length]. */
function tokenizerWork(rng: Random, text: string, options: DelimitedOptions, long: boolean): [number, number, boolean] {
  const p = new DelimitedParser(() => {}, options);
  const [min, max] = long ? [64, 512] : [1, rng.pick([7, 64, 1024, 65536])];
  for (const c of chunks(rng, text, min, max)) p.push(c);
  p.end();
  const lines = options.multilineFields === false ? 0 : (options.maxFieldLines ?? 20);
  return [p.rows, p.scanned / Math.max(1, text.length), p.scanned <= workBound(text.length, lines)];
}

/** The text after the header line (for the doubling check). */
function body(text: string): string {
  const m = /\r\n|\r|\n/.exec(text);
  return m ? text.slice(m.index + m[0].length) : "";
}
const doubled = (text: string) => text + (/[\r\n]$/.test(text) ? "" : "\n") + body(text);

// ---- police.uk --------------------------------------------------------------------------

const PUK_HEADER = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"];
const LABELS = POLICE_UK_CATEGORIES.map((c) => c.label);
const hex = (rng: Random, n: number) => Array.from({ length: n }, () => "0123456789abcdef"[rng.int(16)]).join("");

function policeUkRows(rng: Random, n: number): string[][] {
  const month = `${2019 + rng.int(4)}-${String(1 + rng.int(12)).padStart(2, "0")}`;
  return Array.from({ length: n }, () => {
    const type = rng.pick(LABELS);
    const noLocation = rng.bernoulli(0.05);
    return [
      type === "Anti-social behaviour" ? "" : hex(rng, 64),
      month,
      "Leicestershire Police",
      "Leicestershire Police",
      noLocation ? "" : (-1.2 + rng.range(-0.2, 0.2)).toFixed(6),
      noLocation ? "" : (52.7 + rng.range(-0.2, 0.2)).toFixed(6),
      noLocation ? "No Location" : rng.bernoulli(0.1) ? "On or near " : `On or near ${rng.pick(["High Street", "Swan Street", "Ellis Park, Glenfield", "Market Place"])}`,
      noLocation ? "" : "E01025670",
      noLocation ? "" : "Charnwood 022A",
      type,
      rng.pick(["", "Under investigation", "Unable to prosecute suspect"]),
      "",
    ];
  });
}

describe("fuzz: readPoliceUk", () => {
  it(`${COUNT} mutated police.uk files: no crash, every row accounted for, one row per physical line, plausible rows only`, () => {
    const rng = seededRandom(SEED);
    const t = tally();
    for (let k = 0; k < COUNT; ++k) {
      const m = mutateCsv(rng, PUK_HEADER, policeUkRows(rng, 1 + rng.int(12)), { coords: [4, 5], date: 1, junkDates: JUNK_MONTHS, id: 0, delimiter: ",", multiline: false });
      const options: PoliceUkOptions = rng.pick([{}, { bounds: null }, { dedupe: "none" }, { maxDistanceKm: 5 }, { bounds: null, maxDistanceKm: Infinity }]);
      t.inputs += 1;
      const parts = chunks(rng, m.text, 1, rng.pick([7, 64, 4096, 1 << 20]));
      const run = attempt(() => {
        const reader = new PoliceUkReader(options);
        reader.beginFile("2021-01-leicestershire-street.csv");
        for (const c of parts) reader.push(c);
        reader.endFile();
        return reader.finish();
      }, WHOLE_INPUT);
      const input = `${m.kinds.join(",")} ${JSON.stringify(options)} ${excerpt(m.text)}`;
      const [rows, work, linear] = tokenizerWork(rng, m.text, { multilineFields: false }, m.long);
      t.maxWork = Math.max(t.maxWork, work);
      if (!linear) fail(t, k, `tokenizer work ${work.toFixed(1)}× the input`, input);
      const r = judge(t, k, run, input);
      if (!r) continue;
      const [lines, blank] = physicalLines(m.text);
      if (r.summary.rows !== lines - 1 || r.summary.files[0].blankLines !== blank || rows !== lines) {
        fail(t, k, `rows ${r.summary.rows} (tokenizer ${rows - 1}), blank ${r.summary.files[0].blankLines}: the text has ${lines - 1} data lines, ${blank} blank`, input);
      }
      if (k % 5 === 0) {
        const whole = readPoliceUk([{ name: "2021-01-leicestershire-street.csv", text: m.text }], options);
        if (JSON.stringify(whole.summary) !== JSON.stringify(r.summary)) fail(t, k, "the summary depends on the chunk boundaries", input);
      }
      if (k % 10 === 0) {
        const d = readPoliceUk(doubled(m.text), options);
        checkDoubled(t, k, r, d, input);
      }
    }
    report("readPoliceUk", t);
  });
});

// ---- delimited text ----------------------------------------------------------------------

const GEN_HEADER = ["ref", "when", "until", "type", "lon", "lat", "x", "y", "street", "ward", "year", "month", "day", "hour", "dv"];
const JUNK_YEARS = ["0x7E4", "9999", "1799", "1800", "2200", "2201", "", "2020.5", "1e3", "-2020", "２０２０", "2020 ", "Infinity", "2.02e3"];

interface Variant {
  readonly options: ReadDelimitedOptions;
  readonly date: (rng: Random) => [string, string];
  readonly region: "auto" | "gb" | "utm";
}
const pad = (n: number) => String(n).padStart(2, "0");
function wallClock(rng: Random) {
  return { y: 2000 + rng.int(24), mo: 1 + rng.int(12), d: 1 + rng.int(28), h: rng.int(24), mi: rng.int(60) };
}
const VARIANTS: Variant[] = [
  {
    options: { columns: { id: "ref", date: "when", category: "type", lon: "lon", lat: "lat", location: "street", ward: "ward" }, dateFormat: "yyyy-MM-dd HH:mm", dedupe: "first" },
    date: (rng) => {
      const w = wallClock(rng);
      return [`${w.y}-${pad(w.mo)}-${pad(w.d)} ${pad(w.h)}:${pad(w.mi)}`, ""];
    },
    region: "auto",
  },
  {
    options: {
      columns: { id: "ref", date: "when", endDate: "until", category: "type", x: "x", y: "y", location: "street" },
      dateFormat: "iso",
      zone: "America/Chicago",
      crs: "EPSG:32616",
      maxDistanceKm: 200,
    },
    date: (rng) => {
      const w = wallClock(rng);
      const z = rng.pick(["", "Z", "-05:00", "+14:00"]);
      const from = `${w.y}-${pad(w.mo)}-${pad(w.d)}T${pad(w.h)}:${pad(w.mi)}${z}`;
      return [from, rng.bernoulli(0.5) ? "" : `${w.y}-${pad(w.mo)}-${pad(w.d)}T23:59${z}`];
    },
    region: "utm",
  },
  {
    options: {
      columns: { category: "type", dateParts: { year: "year", month: "month", day: "day", hour: "hour" }, lon: "lon", lat: "lat", flags: { domestic: "dv" } },
      crs: "EPSG:27700",
      multilineFields: false,
    },
    date: () => ["", ""],
    region: "gb",
  },
  {
    options: {
      columns: { id: "ref", date: "when", category: "type", lon: "lon", lat: "lat", location: "street" },
      dateFormat: "M/d/yyyy h:mm:ss a",
      zone: "Pacific/Kiritimati",
      maxDistanceKm: 50,
      categoryMap: { Burglary: "burglary", Robbery: "robbery" },
      unknownCategory: "keep",
      suppressedWhen: { field: "street", equals: "OFFSET TO PROTECT PRIVACY" },
      maxFieldLines: 3,
      delimiter: ";",
    },
    date: (rng) => {
      const w = wallClock(rng);
      return [`${w.mo}/${w.d}/${w.y} ${w.h % 12 === 0 ? 12 : w.h % 12}:${pad(w.mi)}:${pad(rng.int(60))} ${w.h < 12 ? "AM" : "PM"}`, ""];
    },
    region: "auto",
  },
];

/** Valid generic rows (all 15 columns) around one place: Leicester or Chicago. */
function genericRows(rng: Random, v: Variant, n: number): string[][] {
  const gb = v.region === "gb" || (v.region === "auto" && rng.bernoulli(0.5));
  return Array.from({ length: n }, (_, k) => {
    const [when, until] = v.date(rng);
    const w = wallClock(rng);
    const lon = gb ? -1.2 + rng.range(-0.1, 0.1) : -87.6 + rng.range(-0.1, 0.1);
    const lat = gb ? 52.7 + rng.range(-0.1, 0.1) : 41.8 + rng.range(-0.1, 0.1);
    return [
      `R${k}-${rng.int(3)}`,
      when,
      until,
      rng.pick(["Burglary", "Robbery", "Theft from vehicle"]),
      lon.toFixed(5),
      lat.toFixed(5),
      (440000 + rng.range(-5000, 5000)).toFixed(1),
      (4630000 + rng.range(-5000, 5000)).toFixed(1),
      rng.bernoulli(0.05) ? "OFFSET TO PROTECT PRIVACY" : rng.pick(["On or near High St", "On or near", "", "100 BLOCK W MAIN ST"]),
      rng.pick(["Hastings", "", "NA"]),
      String(w.y),
      String(w.mo),
      String(w.d),
      rng.bernoulli(0.1) ? "" : String(w.h),
      rng.pick(["Y", "N", ""]),
    ];
  });
}

describe("fuzz: readDelimited", () => {
  it(`${COUNT} mutated delimited files in four mappings: no crash, every row accounted for, plausible rows only, linear work`, () => {
    const rng = seededRandom(SEED + 1);
    const t = tally();
    for (let k = 0; k < COUNT; ++k) {
      const vi = rng.int(VARIANTS.length);
      const v = VARIANTS[vi];
      const o = v.options;
      const delimiter = o.delimiter ?? ",";
      const coords = o.columns.x !== undefined ? [6, 7] : [4, 5];
      const dateAt = o.columns.dateParts !== undefined ? 10 : 1;
      const m = mutateCsv(rng, GEN_HEADER, genericRows(rng, v, 1 + rng.int(12)), {
        coords,
        date: dateAt,
        junkDates: dateAt === 10 ? JUNK_YEARS : JUNK_DATES,
        id: 0,
        delimiter,
        multiline: o.multilineFields !== false,
      });
      t.inputs += 1;
      const input = `variant ${vi} ${m.kinds.join(",")} ${excerpt(m.text)}`;
      const parts = chunks(rng, m.text, 1, rng.pick([7, 64, 4096, 1 << 20]));
      const run = attempt(() => {
        const reader = new DelimitedReader(o);
        reader.beginFile("input.csv");
        for (const c of parts) reader.push(c);
        reader.endFile();
        return reader.finish();
      }, WHOLE_INPUT);
      const tokenizer: DelimitedOptions = { delimiter, multilineFields: o.multilineFields, maxFieldLines: o.maxFieldLines };
      const [rows, work, linear] = tokenizerWork(rng, m.text, tokenizer, m.long);
      t.maxWork = Math.max(t.maxWork, work);
      if (!linear) fail(t, k, `tokenizer work ${work.toFixed(1)}× the input`, input);
      const r = judge(t, k, run, input);
      if (!r) continue;
      if (r.summary.rows !== rows - 1) fail(t, k, `rows ${r.summary.rows}, but the tokenizer reads ${rows - 1} data rows`, input);
      if (o.multilineFields === false) {
        const [lines] = physicalLines(m.text);
        if (r.summary.rows !== lines - 1) fail(t, k, `rows ${r.summary.rows}: the text has ${lines - 1} data lines`, input);
        if (k % 10 === 0) {
          const d = readDelimited(doubled(m.text), o);
          checkDoubled(t, k, r, d, input);
        }
      }
      if (k % 5 === 0) {
        const whole = readDelimited([{ name: "input.csv", text: m.text }], o);
        if (JSON.stringify(whole.summary) !== JSON.stringify(r.summary)) fail(t, k, "the summary depends on the chunk boundaries", input);
      }
    }
    report("readDelimited", t);
  });
});

// ---- records and GeoJSON -----------------------------------------------------------------

/** Values a record or feature property might hold, from a driver, a spreadsheet or an attacker. */
function junkValue(rng: Random): unknown {
  switch (rng.int(6)) {
    case 0:
      return rng.pick(JUNK_NUMBERS);
    case 1:
      return rng.pick(JUNK_DATES);
    case 2:
      return rng.pick(JUNK_TEXT) + randomText(rng, rng.int(20));
    case 3:
      return rng.pick([NaN, Infinity, -Infinity, 1e308, -1e308, 5e9, -0, 0, 0.0001, 181, -91, 2020.5, Number.MAX_SAFE_INTEGER + 2]);
    case 4:
      return rng.pick([
        new Date(Date.UTC(9999, 11, 31)),
        new Date(Date.UTC(1799, 11, 31, 23)),
        new Date(Date.UTC(1800, 0, 1)),
        new Date(Date.UTC(2200, 11, 31, 23, 59)),
        new Date(Date.UTC(2201, 0, 1)),
        new Date(8.64e15),
        new Date(-8.64e15),
        new Date(NaN),
        new Date(Date.UTC(2021, 2, 28, 1, 30)),
      ]);
    default:
      return rng.pick<unknown>([
        null,
        undefined,
        true,
        false,
        10n,
        Symbol("s"),
        {},
        [],
        [1, 2],
        Object.create(null),
        { toString: () => "Burglary" },
        {
          toString() {
            throw new Error("no text");
          },
        },
        () => 1,
        "x".repeat(100_000),
      ]);
  }
}

interface RecordVariant {
  readonly options: ReadRecordsOptions;
  readonly keys: readonly string[];
  readonly make: (rng: Random, k: number) => Record<string, unknown>;
}
const RECORD_VARIANTS: RecordVariant[] = [
  {
    options: { columns: { id: "ref", date: "when", category: "type", lon: "lon", lat: "lat", location: "street" }, dateFormat: "yyyy-MM-dd HH:mm", dedupe: "first" },
    keys: ["ref", "when", "type", "lon", "lat", "street"],
    make: (rng, k) => {
      const w = wallClock(rng);
      const gb = rng.bernoulli(0.7);
      return {
        ref: `R${k % 7}`,
        when: rng.bernoulli(0.3) ? new Date(Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi)) : `${w.y}-${pad(w.mo)}-${pad(w.d)} ${pad(w.h)}:${pad(w.mi)}`,
        type: rng.pick(["Burglary", "Robbery"]),
        lon: gb ? -1.2 + rng.range(-0.1, 0.1) : -87.6 + rng.range(-0.1, 0.1),
        lat: gb ? 52.7 + rng.range(-0.1, 0.1) : 41.8 + rng.range(-0.1, 0.1),
        street: rng.pick(["On or near High St", "On or near", null]),
      };
    },
  },
  {
    options: { columns: { category: { value: "burglary" }, dateParts: { year: "y", month: "m", day: "d" }, x: "e", y: "n" }, crs: "EPSG:27700", maxDistanceKm: 30 },
    keys: ["y", "m", "d", "e", "n"],
    make: (rng) => {
      const w = wallClock(rng);
      return { y: rng.bernoulli(0.5) ? w.y : String(w.y), m: w.mo, d: w.d, e: 450000 + rng.range(-5000, 5000), n: 300000 + rng.range(-5000, 5000) };
    },
  },
  {
    options: { columns: { id: "ref", date: "when", category: "type", lon: "lon", lat: "lat" }, dateFormat: "iso", zone: "America/Chicago", crs: "EPSG:32616", requireLocation: true },
    keys: ["ref", "when", "type", "lon", "lat"],
    make: (rng, k) => {
      const w = wallClock(rng);
      return {
        ref: k,
        when: `${w.y}-${pad(w.mo)}-${pad(w.d)}T${pad(w.h)}:${pad(w.mi)}${rng.pick(["", "Z", "+14:00"])}`,
        type: rng.pick(["Burglary", "Robbery"]),
        lon: String(-87.6 + rng.range(-0.1, 0.1)),
        lat: String(41.8 + rng.range(-0.1, 0.1)),
      };
    },
  },
];

/** 1–4 mutations of records: junk values, deleted keys, swapped lon/lat, non-objects, duplicates. */
function mutateRecords(rng: Random, recs: unknown[], keys: readonly string[]): string[] {
  const kinds: string[] = [];
  const n = 1 + rng.int(4);
  for (let t = 0; t < n && recs.length; ++t) {
    const i = rng.int(recs.length);
    const rec = recs[i] as Record<string, unknown>;
    const kind = rng.pick(["value", "value", "value", "delete", "swap", "not-object", "duplicate", "extra"]);
    kinds.push(kind);
    if (typeof rec !== "object" || rec === null) continue;
    const key = rng.pick(keys);
    if (kind === "value") rec[key] = junkValue(rng);
    else if (kind === "delete") delete rec[key];
    else if (kind === "swap") [rec.lon, rec.lat] = [rec.lat, rec.lon];
    else if (kind === "not-object") recs[i] = rng.pick<unknown>([null, 1, "row", [], undefined, true]);
    else if (kind === "duplicate") recs.splice(i, 0, { ...rec });
    else rec["__proto__x"] = junkValue(rng);
  }
  return kinds;
}

const describeInput = (v: unknown) => {
  try {
    return excerpt(JSON.stringify(v, (_k, x) => (typeof x === "bigint" || typeof x === "symbol" || typeof x === "function" ? String(x) : x)) ?? "");
  } catch {
    return "(not JSON)";
  }
};

describe("fuzz: readRecords", () => {
  it(`${COUNT} mutated record arrays: no crash, every record accounted for, plausible rows only`, () => {
    const rng = seededRandom(SEED + 2);
    const t = tally();
    for (let k = 0; k < COUNT; ++k) {
      const vi = rng.int(RECORD_VARIANTS.length);
      const v = RECORD_VARIANTS[vi];
      const recs: unknown[] = Array.from({ length: 1 + rng.int(12) }, (_, j) => v.make(rng, j));
      const kinds = mutateRecords(rng, recs, v.keys);
      t.inputs += 1;
      const run = attempt(() => readRecords(recs as Record<string, unknown>[], v.options), WHOLE_INPUT);
      const input = `variant ${vi} ${kinds.join(",")} ${describeInput(recs)}`;
      const r = judge(t, k, run, input);
      if (!r) continue;
      if (r.summary.rows !== recs.length) fail(t, k, `rows ${r.summary.rows} for ${recs.length} records`, input);
      if (k % 10 === 0) {
        const d = readRecords([...recs, ...recs] as Record<string, unknown>[], v.options);
        checkDoubled(t, k, r, d, input);
      }
    }
    report("readRecords", t);
  });
});

const GEOJSON_VARIANTS: ReadGeoJsonPointsOptions[] = [
  { columns: { date: "when", category: "type", location: "street" }, dateFormat: "yyyy-MM-dd HH:mm" },
  { columns: { id: "ref", date: "when", category: { value: "burglary" } }, dateFormat: "iso", zone: "America/Chicago", crs: "EPSG:32616", dedupe: "first" },
  { columns: { date: "when", category: "type" }, dateFormat: "yyyy-MM-dd HH:mm", maxDistanceKm: 20, requireLocation: true },
];

function junkGeometry(rng: Random, lon: number, lat: number): unknown {
  return rng.pick<unknown>([
    null,
    undefined,
    { type: "Point" },
    { type: "Point", coordinates: [lat, lon] },
    { type: "Point", coordinates: [NaN, lat] },
    { type: "Point", coordinates: [Infinity, lat] },
    { type: "Point", coordinates: [1e308, lat] },
    { type: "Point", coordinates: [String(lon), String(lat)] },
    { type: "Point", coordinates: [lon] },
    { type: "Point", coordinates: [] },
    { type: "Point", coordinates: [lon, lat, 120] },
    { type: "Point", coordinates: [[lon, lat]] },
    { type: "Point", coordinates: { 0: lon, 1: lat } },
    { type: "Point", coordinates: [lon, 95] },
    { type: "Point", coordinates: [0, 0] },
    { type: "Point", coordinates: [16, lat] },
    { type: "MultiPoint", coordinates: [[lon, lat]] },
    { type: "point", coordinates: [lon, lat] },
    { type: Symbol("Point"), coordinates: [lon, lat] },
    "POINT(1 2)",
  ]);
}

describe("fuzz: readGeoJsonPoints", () => {
  it(`${COUNT} mutated FeatureCollections: no crash, every feature accounted for, plausible rows only`, () => {
    const rng = seededRandom(SEED + 3);
    const t = tally();
    for (let k = 0; k < COUNT; ++k) {
      const vi = rng.int(GEOJSON_VARIANTS.length);
      const options = GEOJSON_VARIANTS[vi];
      const gb = vi !== 1 && rng.bernoulli(0.6);
      const features: unknown[] = Array.from({ length: 1 + rng.int(12) }, (_, j) => {
        const w = wallClock(rng);
        const lon = gb ? -1.2 + rng.range(-0.1, 0.1) : -87.6 + rng.range(-0.1, 0.1);
        const lat = gb ? 52.7 + rng.range(-0.1, 0.1) : 41.8 + rng.range(-0.1, 0.1);
        return {
          type: "Feature",
          geometry: { type: "Point", coordinates: [lon, lat] },
          properties: {
            ref: `F${j % 5}`,
            when: vi === 1 ? `${w.y}-${pad(w.mo)}-${pad(w.d)}T${pad(w.h)}:${pad(w.mi)}Z` : `${w.y}-${pad(w.mo)}-${pad(w.d)} ${pad(w.h)}:${pad(w.mi)}`,
            type: rng.pick(["Burglary", "Robbery"]),
            street: rng.pick(["On or near High St", "On or near", null]),
          },
        };
      });
      const kinds: string[] = [];
      const n = 1 + rng.int(4);
      for (let q = 0; q < n; ++q) {
        const i = rng.int(features.length);
        const f = features[i] as { type: unknown; geometry: { coordinates: number[] } | unknown; properties: Record<string, unknown> | unknown };
        const kind = rng.pick(["geometry", "geometry", "property", "property", "properties", "feature", "type"]);
        kinds.push(kind);
        if (typeof f !== "object" || f === null) continue;
        const c = (f.geometry as { coordinates?: number[] } | null)?.coordinates;
        const [lon, lat] = Array.isArray(c) ? c : [-1.2, 52.7];
        if (kind === "geometry") f.geometry = junkGeometry(rng, lon, lat);
        else if (kind === "property" && typeof f.properties === "object" && f.properties !== null) {
          (f.properties as Record<string, unknown>)[rng.pick(["ref", "when", "type", "street"])] = junkValue(rng);
        } else if (kind === "properties") f.properties = rng.pick<unknown>([null, undefined, [], "props", Object.create(null)]);
        else if (kind === "feature") features[i] = rng.pick<unknown>([null, 1, "Feature", [], { type: "Feature" }]);
        else f.type = rng.pick<unknown>(["feature", "Point", undefined, null]);
      }
      const fc = { type: "FeatureCollection", features };
      t.inputs += 1;
      const run = attempt(() => readGeoJsonPoints(fc, options), WHOLE_INPUT);
      const input = `variant ${vi} ${kinds.join(",")} ${describeInput(fc)}`;
      const r = judge(t, k, run, input);
      if (!r) continue;
      if (r.summary.rows !== features.length) fail(t, k, `rows ${r.summary.rows} for ${features.length} features`, input);
      if (k % 10 === 0) {
        const d = readGeoJsonPoints({ type: "FeatureCollection", features: [...features, ...features] }, options);
        checkDoubled(t, k, r, d, input);
      }
    }
    report("readGeoJsonPoints", t);
  });
});
