/**
 * A seeded national police.uk extract: real Leicestershire rows resampled across England's LSOAs.
 *
 *   npx tsx bench/make-national.ts [rows] [--seed S] [--out DIR]
 *
 * Writes `DIR/street/<month>-force-NN-street.csv` (36 months × 36 pseudo-forces — blocks of 3 × 3
 * neighbouring districts, each within 100 km of its median point as police.uk forces are — with
 * police.uk's columns and quoting) and `DIR/population.csv` (LSOA → district residents), and `DIR/manifest.json` last (a
 * folder without it is incomplete and is rebuilt). Default DIR:
 * `$TMPDIR/community-safety-national/<rows>-<seed>`.
 *
 * How a row is made. Every English LSOA (ONS/MHCLG mid-2015 population, 32,844 LSOAs in 317
 * districts, from ../shared/data/lsoa-population-imd-england) receives rows in proportion to its
 * residents. Each district borrows the geography of one Leicestershire district (in turn), shifted
 * to its own place on a lattice over England (districts do not overlap; their real positions are
 * not in the data), and each of its LSOAs borrows one of that district's LSOAs (by rank). A row is
 * a real police.uk row of the borrowed LSOA, drawn with replacement — its snap point (shifted),
 * `On or near` location, crime type, outcome and quoting are the real ones — with the target
 * LSOA's code and name (`<district> <suffix>`), a fresh unique Crime ID (blank stays blank, as for
 * ASB), the file's month and force. Rows with no location keep none (4.7% of the real rows), so
 * they belong to no district, as in police.uk. Wales is not in the data (its LSOAs would add 6%).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { csvParseRows } from "d3-dsv";
import { policeUkDataDir, splitmix32 } from "./make-policeuk.js";

export interface NationalManifest {
  rows: number;
  seed: number;
  files: number;
  bytes: number;
  districts: number;
  lsoas: number;
  months: string[];
  seconds: number;
}

const MONTHS = 36;
/** Pseudo-forces: blocks of 3 × 3 lattice places (neighbouring districts), as a force's districts are. */
const BLOCK = 3;
const COLS = 18;
const FIRST = { year: 2019, month: 11 };

function dataRoot(): string {
  return process.env.COMMUNITY_SAFETY_DATA ?? fileURLToPath(new URL("../../shared/data", import.meta.url));
}

export function nationalDir(rows: number, seed: number): string {
  return join(process.env.TMPDIR ?? tmpdir(), "community-safety-national", `${rows}-${seed}`);
}

const q = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

interface RealRow {
  hasId: boolean;
  lon: number;
  lat: number;
  /** `,location,` quoted as needed. */
  loc: string;
  /** `type,outcome,context\r\n`. */
  tail: string;
}

function loadReal(): { byLsoa: Map<string, RealRow[]>; noLocation: RealRow[]; districtOf: Map<string, string> } {
  const dir = policeUkDataDir();
  const byLsoa = new Map<string, RealRow[]>();
  const noLocation: RealRow[] = [];
  const districtOf = new Map<string, string>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".csv.gz")).sort()) {
    const rows = csvParseRows(gunzipSync(readFileSync(join(dir, name))).toString("utf8"));
    for (const f of rows.slice(1)) {
      if (f.length < 12) continue;
      const [id, , , , lon, lat, location, code, lsoaName, type, outcome, context] = f;
      const r: RealRow = { hasId: id !== "", lon: Number(lon), lat: Number(lat), loc: `,${q(location)},`, tail: `${q(type)},${q(outcome)},${q(context)}\r\n` };
      if (code === "" || lon === "") {
        noLocation.push(r);
        continue;
      }
      const district = lsoaName.replace(/ \d{3}[A-Z]$/, "");
      districtOf.set(code, district);
      let list = byLsoa.get(code);
      if (!list) byLsoa.set(code, (list = []));
      list.push(r);
    }
  }
  return { byLsoa, noLocation, districtOf };
}

interface TargetLsoa {
  code: string;
  name: string;
  district: string;
  population: number;
}

function loadEngland(): TargetLsoa[] {
  const path = join(dataRoot(), "lsoa-population-imd-england", "File_6_-_IoD2019_Population_Denominators.csv.gz");
  const rows = csvParseRows(gunzipSync(readFileSync(path)).toString("utf8").replace(/^\uFEFF/, ""));
  return rows.slice(1).filter((f) => f.length >= 5 && f[0].startsWith("E01")).map((f) => ({ code: f[0], name: f[1], district: f[3], population: Number(f[4].replace(/,/g, "")) }));
}

/** Walker's alias table for drawing index k with probability w[k] / Σw. */
function aliasTable(w: readonly number[]): (u1: number, u2: number) => number {
  const n = w.length;
  const sum = w.reduce((a, b) => a + b, 0);
  const prob = new Float64Array(n);
  const alias = new Int32Array(n);
  const scaled = w.map((x) => (x * n) / sum);
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
  while (small.length && large.length) {
    const s = small.pop()!;
    const l = large.pop()!;
    prob[s] = scaled[s];
    alias[s] = l;
    scaled[l] = scaled[l] + scaled[s] - 1;
    (scaled[l] < 1 ? small : large).push(l);
  }
  for (const i of [...small, ...large]) prob[i] = 1;
  return (u1, u2) => {
    const k = Math.min(n - 1, Math.floor(u1 * n));
    return u2 < prob[k] ? k : alias[k];
  };
}

/** Generates (or finds complete) the national folder; returns it and its manifest. */
export function makeNational(rows: number, options: { seed?: number; out?: string; log?: (s: string) => void } = {}): { dir: string; manifest: NationalManifest } {
  const seed = options.seed ?? 42;
  const dir = options.out ?? nationalDir(rows, seed);
  const log = options.log ?? ((s: string) => process.stderr.write(s + "\n"));
  const manifestPath = join(dir, "manifest.json");
  if (existsSync(manifestPath)) return { dir, manifest: JSON.parse(readFileSync(manifestPath, "utf8")) as NationalManifest };
  const t0 = performance.now();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "street"), { recursive: true });
  const real = loadReal();
  const england = loadEngland();
  // Source districts (Leicestershire's, with their LSOAs sorted) and their centres.
  const sourceLsoas = new Map<string, string[]>();
  for (const [code, d] of real.districtOf) if (real.byLsoa.get(code)!.length >= 3) (sourceLsoas.get(d) ?? sourceLsoas.set(d, []).get(d)!).push(code);
  const sources = [...sourceLsoas.entries()].filter(([, l]) => l.length >= 30).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (const [, l] of sources) l.sort();
  const centre = new Map<string, { lon: number; lat: number }>();
  for (const [d, list] of sources) {
    let lon = 0;
    let lat = 0;
    let n = 0;
    for (const c of list) for (const r of real.byLsoa.get(c)!) ((lon += r.lon), (lat += r.lat), (n += 1));
    centre.set(d, { lon: lon / n, lat: lat / n });
  }
  // Target districts in name order, each on its lattice place, borrowing a source district.
  const districts = [...new Set(england.map((l) => l.district))].sort();
  const cols = COLS;
  const blockCols = Math.ceil(cols / BLOCK);
  const place = new Map<string, { source: string; dLon: number; dLat: number; force: number }>();
  districts.forEach((d, k) => {
    const [source] = sources[k % sources.length];
    const c = centre.get(source)!;
    const lon = -5.2 + (k % cols) * 0.38;
    const lat = 50.5 + Math.floor(k / cols) * 0.29;
    place.set(d, { source, dLon: lon - c.lon, dLat: lat - c.lat, force: Math.floor((k % cols) / BLOCK) + blockCols * Math.floor(Math.floor(k / cols) / BLOCK) });
  });
  // Each target LSOA borrows a source LSOA of its district's source (by rank within the district).
  const rank = new Map<string, number>();
  const borrowed: RealRow[][] = england.map((l) => {
    const k = rank.get(l.district) ?? 0;
    rank.set(l.district, k + 1);
    const list = sources.find(([d]) => d === place.get(l.district)!.source)![1];
    return real.byLsoa.get(list[k % list.length])!;
  });
  const prefix = england.map((l) => `,${q(l.code)},${q(`${l.district} ${l.name.slice(-4)}`)},`);
  const FORCES = Math.max(...[...place.values()].map((p) => p.force)) + 1;
  const forceOf = Int32Array.from(england, (l) => place.get(l.district)!.force);
  const dLon = Float64Array.from(england, (l) => place.get(l.district)!.dLon);
  const dLat = Float64Array.from(england, (l) => place.get(l.district)!.dLat);
  const forceName = Array.from({ length: FORCES }, (_, f) => q(`National Force ${String(f + 1).padStart(2, "0")} Police`));
  const draw = aliasTable(england.map((l) => l.population));
  const noLocationShare = real.noLocation.length / (real.noLocation.length + [...real.byLsoa.values()].reduce((a, l) => a + l.length, 0));
  const rand = splitmix32(seed);
  const u = () => rand() / 4294967296;
  const header = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\r\n";
  const months: string[] = [];
  let written = 0;
  let bytes = 0;
  let idCounter = 0;
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, "0");
  for (let m = 0; m < MONTHS; ++m) {
    const m0 = FIRST.month - 1 + m;
    const month = `${FIRST.year + Math.floor(m0 / 12)}-${String((m0 % 12) + 1).padStart(2, "0")}`;
    months.push(month);
    const monthRows = Math.floor(((m + 1) * rows) / MONTHS) - Math.floor((m * rows) / MONTHS);
    const parts: string[][] = Array.from({ length: FORCES }, () => []);
    for (let i = 0; i < monthRows; ++i) {
      const t = draw(u(), u());
      const f = forceOf[t];
      let r: RealRow;
      let line: string;
      const id = (has: boolean) => (has ? hex(seed) + hex(++idCounter) + hex(Math.imul(idCounter, 0x9e3779b1)) + hex(rand()) + hex(rand()) + hex(rand()) + hex(rand()) + hex(rand()) : "");
      if (u() < noLocationShare) {
        r = real.noLocation[Math.floor(u() * real.noLocation.length)];
        line = `${id(r.hasId)},${month},${forceName[f]},${forceName[f]},,,No Location,,,${r.tail}`;
      } else {
        const pool = borrowed[t];
        r = pool[Math.floor(u() * pool.length)];
        line = `${id(r.hasId)},${month},${forceName[f]},${forceName[f]},${(r.lon + dLon[t]).toFixed(6)},${(r.lat + dLat[t]).toFixed(6)}${r.loc.slice(0, -1)}${prefix[t]}${r.tail}`;
      }
      parts[f].push(line);
    }
    for (let f = 0; f < FORCES; ++f) {
      const text = header + parts[f].join("");
      const name = `${month}-force-${String(f + 1).padStart(2, "0")}-street.csv`;
      writeFileSync(join(dir, "street", name), text);
      bytes += Buffer.byteLength(text);
      written += parts[f].length;
    }
    if (m % 6 === 5) log(`  ${month}: ${written.toLocaleString("en-GB")} rows, ${(bytes / 1e9).toFixed(2)} GB`);
  }
  // Residents by LSOA with the district column `assess --population` groups by.
  const pop = "lsoa11cd,lsoa11nm,lad19nm,pop_mid2015_total\n" + england.map((l) => `${l.code},${q(`${l.district} ${l.name.slice(-4)}`)},${q(l.district)},${l.population}`).join("\n") + "\n";
  writeFileSync(join(dir, "population.csv"), pop);
  const manifest: NationalManifest = { rows: written, seed, files: MONTHS * FORCES, bytes, districts: districts.length, lsoas: england.length, months, seconds: (performance.now() - t0) / 1000 };
  writeFileSync(manifestPath + ".tmp", JSON.stringify(manifest, null, 2));
  renameSync(manifestPath + ".tmp", manifestPath);
  return { dir, manifest };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const rows = Number(args.find((a) => !a.startsWith("--")) ?? 18e6);
  const seedArg = args.indexOf("--seed");
  const outArg = args.indexOf("--out");
  const r = makeNational(rows, { seed: seedArg >= 0 ? Number(args[seedArg + 1]) : 42, out: outArg >= 0 ? args[outArg + 1] : undefined });
  console.log(r.dir, JSON.stringify(r.manifest));
}
