/**
 * `readPoliceUkFiles` from disk with 1 worker (read in the calling thread) against 2 worker
 * threads, on police.uk files written to a temporary folder.
 *
 *   npx tsx --conditions=community-safety-source bench/ingest-workers.ts            # 1M and 10M rows
 *   npx tsx --conditions=community-safety-source bench/ingest-workers.ts 1e6 --runs 3 --workers 1,2,3
 *   options: --runs N (default 3 up to 1M rows, 2 above), --workers list (default 1,2),
 *            --rows-per-file R (default 12000: a national extract's ~1,500 monthly per-force files
 *            hold 18M rows), --seed S, --keep (leave the folder)
 *
 * Input: police.uk CSV resampled from the real Leicestershire rows (bench/make-policeuk.ts, seed
 * 42, ~235 bytes a row), cut at row ends into plain .csv files of about R rows, each with the
 * header, named in reading order. Months run over 36 months across the files, Crime IDs are
 * unique (no duplicates to drop; ~0.04% far-outside-area rejections from the real snap points).
 *
 * Method: one warm-up read of the 1M folder per worker count (the page cache then holds the
 * files, so runs measure parsing, not the disk); then rounds in which each worker count runs once
 * in turn. A full GC before each run (not timed). Peak RSS is the process's (threads included)
 * during the run, absolute and above the RSS before it (VmHWM reset through /proc/self/clear_refs).
 * Resident B/incident is the RSS still held after the run and a GC, over the incidents kept;
 * table B/incident is `tableBytes(table) / table.length`. The runs' results are checked equal
 * (summary, rejections and a SHA-256 of every column and dictionary).
 *
 * Re-executes itself under `node --expose-gc --max-old-space-size=16000` when needed.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { DICT_COLUMNS, tableBytes, type IngestResult } from "@community-safety/core";
import { readPoliceUkFiles, type PoliceUkReadStats } from "@community-safety/core/node";
import { loadRealRows, policeUkChunks } from "./make-policeuk.js";
import { benchArgs, exposedGc } from "./lib/args.js";
import { machineInfo, peakRssBytes, resetPeakRss, writeResults } from "./lib/results.js";

const collect = exposedGc(import.meta.url);

// ---------- arguments
const { sizes, value, has } = benchArgs(["--runs", "--seed", "--rows-per-file", "--workers"]);
const seed = Number(value("--seed") ?? 42);
const rowsPerFile = Number(value("--rows-per-file") ?? 12_000);
const workerCounts = (value("--workers") ?? "1,2").split(",").map(Number);
const keep = has("--keep");
const label = (n: number) => (n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : String(n));

// ---------- data
const real = loadRealRows();
const BYTES_PER_ROW = 235;

/** Writes `rows` generated rows as files of about `rowsPerFile` rows; returns the folder, files and bytes. */
function writeFolder(rows: number): { dir: string; files: number; bytes: number } {
  const dir = mkdtempSync(join(tmpdir(), `ingest-workers-${label(rows)}-`));
  let files = 0;
  let bytes = 0;
  for (const chunk of policeUkChunks(real, rows, { seed, header: false, chunkBytes: rowsPerFile * BYTES_PER_ROW })) {
    const text = real.header + chunk;
    writeFileSync(join(dir, `${String(files).padStart(5, "0")}-generated-street.csv`), text, "latin1");
    bytes += text.length;
    files += 1;
  }
  return { dir, files, bytes };
}

/** A digest of the whole result: summary, rejections, every column and dictionary. */
function digest(r: IngestResult): string {
  const h = createHash("sha256");
  const t = r.table;
  h.update(JSON.stringify(r.summary));
  h.update(JSON.stringify(r.rejected));
  const bytes = (a: ArrayBufferView) => h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  for (const a of [t.start, t.end, t.precision, t.x, t.y, t.lon, t.lat, t.flags, t.id.bytes, t.id.offsets]) bytes(a);
  for (const name of DICT_COLUMNS) {
    bytes(t[name].codes);
    h.update(JSON.stringify(t[name].values));
  }
  h.update(JSON.stringify([...t.areaNames]));
  h.update(JSON.stringify(t.coverage));
  return h.digest("hex");
}

// ---------- measurement
interface Sample {
  s: number;
  peakMB: number;
  peakAboveMB: number;
  residentPerIncident: number;
  tablePerIncident: number;
  rows: number;
  accepted: number;
  digest: string;
  stats: PoliceUkReadStats;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 200));
let sink = 0;

async function run(dir: string, workers: number, check: boolean): Promise<Sample> {
  collect();
  collect();
  await settle();
  const before = process.memoryUsage().rss;
  resetPeakRss();
  let stats: PoliceUkReadStats | undefined;
  const t0 = performance.now();
  let result: IngestResult | null = await readPoliceUkFiles(dir, { workers, onStats: (s) => (stats = s) });
  const s = (performance.now() - t0) / 1000;
  const peak = peakRssBytes();
  collect();
  await settle();
  collect();
  const after = process.memoryUsage().rss;
  const accepted = result.table.length;
  const sample: Sample = {
    s,
    peakMB: peak / 1e6,
    peakAboveMB: (peak - before) / 1e6,
    residentPerIncident: (after - before) / accepted,
    tablePerIncident: tableBytes(result.table) / accepted,
    rows: result.summary.rows,
    accepted,
    digest: check ? digest(result) : "",
    stats: stats!,
  };
  sink += result.summary.rows;
  result = null;
  return sample;
}

const median = (xs: number[]) => {
  const a = [...xs].sort((p, q) => p - q);
  return a.length % 2 ? a[a.length >> 1] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
};

// ---------- main
const rowsOut: Record<string, string | number | null>[] = [];
const notes: string[] = [];
const machine = machineInfo();
console.log(`node ${process.version}, ${machine.cpus} × ${machine.cpuModel}, load ${loadavg().map((l) => l.toFixed(2)).join(" ")}, ${new Date().toISOString()}`);

for (const n of sizes) {
  const tg = performance.now();
  const folder = writeFolder(n);
  console.log(`${label(n)}: ${folder.files} files, ${(folder.bytes / 1e6).toFixed(0)} MB in ${folder.dir} (${((performance.now() - tg) / 1000).toFixed(1)} s)`);
  try {
    // Warm-up (page cache, tsx's transform cache for the workers) on this folder.
    for (const w of workerCounts) await run(folder.dir, w, false);
    const runs = Number(value("--runs") ?? (n <= 1e6 ? 3 : 2));
    const samples = new Map<number, Sample[]>(workerCounts.map((w) => [w, []]));
    for (let r = 0; r < runs; ++r) {
      for (const w of workerCounts) {
        const sm = await run(folder.dir, w, r === 0);
        samples.get(w)!.push(sm);
        console.log(`  run ${r + 1}/${runs}, ${w} worker${w > 1 ? "s" : ""} (${sm.stats.workers} used): ${sm.s.toFixed(2)} s, peak RSS ${sm.peakMB.toFixed(0)} MB (+${sm.peakAboveMB.toFixed(0)}), resident ${sm.residentPerIncident.toFixed(0)} B/incident, growths ${sm.stats.growths}, load ${loadavg()[0].toFixed(2)}`);
      }
    }
    const digests = new Set(workerCounts.map((w) => samples.get(w)![0].digest));
    if (digests.size !== 1) throw new Error(`${label(n)}: the worker counts gave different results`);
    const base = median(samples.get(workerCounts[0])!.map((x) => x.s));
    for (const w of workerCounts) {
      const ss = samples.get(w)!;
      const med = median(ss.map((x) => x.s));
      const last = ss[ss.length - 1];
      rowsOut.push({
        rows: label(n),
        files: folder.files,
        workers: w,
        median: med,
        min: Math.min(...ss.map((x) => x.s)),
        rowsPerSecond: Math.round(last.rows / med),
        speedup: base / med,
        resident: last.residentPerIncident,
        table: last.tablePerIncident,
        peak: Math.max(...ss.map((x) => x.peakMB)),
        peakAbove: Math.max(...ss.map((x) => x.peakAboveMB)),
        growths: last.stats.growths,
      });
    }
    notes.push(`${label(n)}: ${folder.files} files of ~${rowsPerFile.toLocaleString("en-GB")} rows (${(folder.bytes / 1e6).toFixed(0)} MB); storage estimated at ${samples.get(workerCounts[0])![0].stats.capacity.toLocaleString("en-GB")} rows from the sizes; ${runs} runs per worker count after a warm-up; results identical (SHA-256 of every column, summary and rejections).`);
  } finally {
    if (!keep) rmSync(folder.dir, { recursive: true, force: true });
  }
}

notes.push("Peak RSS is the whole process (worker threads included) during the run; \"+\" is above the RSS just before it. Resident B/incident is the RSS the result still holds after a GC.");
notes.push(`Load average during the runs: ${loadavg().map((l) => l.toFixed(2)).join(", ")} at the end (1, 5, 15 min). The VM is shared: other jobs' load shows in the times.`);
const path = writeResults({
  bench: "ingest-workers",
  title: "readPoliceUkFiles from disk: 1 worker (the calling thread) against worker threads",
  command: "npx tsx --conditions=community-safety-source bench/ingest-workers.ts",
  date: new Date().toISOString(),
  machine,
  columns: [
    { key: "rows", label: "rows" },
    { key: "files", label: "files" },
    { key: "workers", label: "workers" },
    { key: "median", label: "median (s)", digits: 2, bold: true },
    { key: "min", label: "min (s)", digits: 2 },
    { key: "rowsPerSecond", label: "rows/s" },
    { key: "speedup", label: "speed-up", digits: 2 },
    { key: "resident", label: "resident B/incident", digits: 0 },
    { key: "table", label: "table B/incident", digits: 1 },
    { key: "peak", label: "peak RSS (MB)", digits: 0 },
    { key: "peakAbove", label: "peak above start (MB)", digits: 0 },
    { key: "growths", label: "storage growths" },
  ],
  rows: rowsOut,
  notes,
});
console.log(`\nwrote ${path} (sink ${sink})`);
console.table(rowsOut);
