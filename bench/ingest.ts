/**
 * Ingestion benchmark: police.uk CSV → IncidentTable, beside d3-dsv and arquero on the same bytes.
 *
 *   npm run bench                      # sizes 1e6 and 1e7 (about 6 minutes on 2 cores)
 *   npm run bench -- 1e5 1e6 --runs 7  # other sizes / more runs
 *   options: --runs N (timed runs per size; default 5 up to 1M rows, 3 above), --seed S,
 *            --chunk-mb M (streaming chunk size, default 64), --no-real (skip the real-file line)
 *
 * Input: police.uk-shaped text resampled from the real Leicestershire rows (bench/make-policeuk.ts).
 * Up to `WHOLE_LIMIT` bytes the text is one flat string (as read from a file) and every
 * method parses all of it. Above
 * that (10M rows ≈ 2.4 GB, past V8's string limit) the text is held as ~64 MB chunk strings:
 * ours streams them into one PoliceUkReader (push per chunk, one table at the end); the peers
 * cannot hold such a table as strings, so they parse each chunk on its own and drop it (rows
 * counted), which measures their parse speed but not their memory at that size.
 *
 * Methodology: one warm-up round of every method on 200k rows, then rounds in which every
 * method runs once in turn (interleaved, so drift hits all alike); min and median reported.
 * Each run is preceded by a full GC (not timed). Memory: peak RSS above the pre-run RSS
 * (VmHWM reset through /proc/self/clear_refs), and the RSS/heap still held by the result after
 * a GC. A sink keeps every result observable.
 *
 * Re-executes itself under `node --expose-gc --max-old-space-size=16000` when needed.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { PoliceUkReader, tableBytes } from "@community-safety/core";
import { readPoliceUkFiles } from "@community-safety/core/node";
import * as aq from "arquero";
import { csvParse, csvParseRows } from "d3-dsv";
import { benchArgs, exposedGc } from "./lib/args.js";
import { expectedBytes, loadRealRows, policeUkChunks, policeUkDataDir, policeUkText, type RealRows } from "./make-policeuk.js";

const collect = exposedGc(import.meta.url);

// ---------- arguments
const { sizes, value, has } = benchArgs(["--runs", "--seed", "--chunk-mb"]);
const opt = (name: string, dflt: number) => (value(name) === undefined ? dflt : Number(value(name)));
const runsOpt = opt("--runs", NaN);
const seed = opt("--seed", 42);
const chunkBytes = opt("--chunk-mb", 64) * 1024 * 1024;
const WHOLE_LIMIT = 400e6; // bytes: one string below this (V8 limit ~536M one-byte chars)

// ---------- measurement
let sink = 0;
const hwmKiB = () => +/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))![1];
function resetPeak(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}
const heapAll = () => {
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed + m.external }; // external includes arrayBuffers
};

interface Sample {
  ms: number;
  peakMB: number;
  retainedRss: number;
  retainedHeap: number;
  extra: Record<string, number>;
}
interface Method {
  name: string;
  note: string;
  /** Runs once; returns [rows seen, the result to keep alive while memory is read, extra figures]. */
  run: () => { rows: number; keep: unknown; extra?: Record<string, number> };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

async function measure(m: Method, expectRows: number): Promise<Sample> {
  collect();
  collect();
  const before = heapAll();
  const canPeak = resetPeak();
  const t0 = performance.now();
  const out = m.run();
  const ms = performance.now() - t0;
  const peakMB = canPeak ? (hwmKiB() * 1024 - before.rss) / 1e6 : NaN;
  if (out.rows !== expectRows) throw new Error(`${m.name}: saw ${out.rows} rows, expected ${expectRows}`);
  sink += out.rows;
  collect();
  await settle(); // freed ArrayBuffers are released by a background sweeper
  collect();
  const after = heapAll();
  const s: Sample = { ms, peakMB, retainedRss: after.rss - before.rss, retainedHeap: after.heap - before.heap, extra: out.extra ?? {} };
  void out.keep;
  return s;
}

// ---------- methods
const COLUMNS = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context".split(",");

function oursWhole(text: string): Method {
  return {
    name: "ours: PoliceUkReader",
    note: "tokenize + validate + dictionary-encode + project + dedupe index → IncidentTable",
    run: () => {
      const r = new PoliceUkReader();
      r.beginFile("generated.csv");
      r.push(text);
      r.endFile();
      const res = r.finish();
      return { rows: res.summary.rows, keep: res, extra: { tableBytesPerRow: tableBytes(res.table) / res.table.length, accepted: res.summary.accepted } };
    },
  };
}

function oursChunks(header: string, chunks: string[]): Method {
  return {
    name: "ours: PoliceUkReader",
    note: "streamed: push() per chunk into one reader → one IncidentTable",
    run: () => {
      const r = new PoliceUkReader();
      r.beginFile("generated.csv");
      r.push(header);
      for (const c of chunks) r.push(c);
      r.endFile();
      const res = r.finish();
      return { rows: res.summary.rows, keep: res, extra: { tableBytesPerRow: tableBytes(res.table) / res.table.length, accepted: res.summary.accepted } };
    },
  };
}

const peersWhole = (text: string): Method[] => [
  { name: "d3-dsv csvParse", note: "objects per row", run: () => ((t) => ({ rows: t.length, keep: t }))(csvParse(text)) },
  { name: "d3-dsv csvParseRows", note: "string arrays per row", run: () => ((t) => ({ rows: t.length - 1, keep: t }))(csvParseRows(text)) },
  { name: "arquero fromCSV", note: "default options (autoType)", run: () => ((t) => ({ rows: t.numRows(), keep: t }))(aq.fromCSV(text)) },
  { name: "arquero fromCSV autoType:false", note: "strings only", run: () => ((t) => ({ rows: t.numRows(), keep: t }))(aq.fromCSV(text, { autoType: false })) },
];

const peersChunks = (chunks: string[]): Method[] => [
  {
    name: "d3-dsv csvParseRows",
    note: "each chunk parsed separately, result dropped",
    run: () => {
      let rows = 0;
      for (const c of chunks) rows += csvParseRows(c).length;
      return { rows, keep: null };
    },
  },
  {
    name: "arquero fromCSV",
    note: "each chunk separately (header:false, names), result dropped",
    run: () => {
      let rows = 0;
      for (const c of chunks) rows += aq.fromCSV(c, { header: false, names: COLUMNS }).numRows();
      return { rows, keep: null };
    },
  },
];

// ---------- report
interface Line {
  size: string;
  method: string;
  note: string;
  rows: number;
  bytes: number;
  minMs: number;
  medMs: number;
  peakMB: number;
  retainedPerRow: number;
  tablePerRow: number;
}
const lines: Line[] = [];

async function round(methods: Method[], rows: number, bytes: number, size: string, runs: number): Promise<void> {
  const samples: Sample[][] = methods.map(() => []);
  for (let r = 0; r < runs; ++r) {
    for (const [k, m] of methods.entries()) {
      const s = await measure(m, rows);
      samples[k].push(s);
      process.stderr.write(`  ${size} run ${r + 1}/${runs} ${m.name}: ${(s.ms / 1000).toFixed(2)} s, peak +${s.peakMB.toFixed(0)} MB\n`);
    }
  }
  methods.forEach((m, k) => {
    const ss = samples[k];
    const ms = ss.map((s) => s.ms).sort((a, b) => a - b);
    const med = ms.length % 2 ? ms[ms.length >> 1] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
    const last = ss[ss.length - 1];
    lines.push({
      size,
      method: m.name,
      note: m.note,
      rows,
      bytes,
      minMs: ms[0],
      medMs: med,
      peakMB: Math.max(...ss.map((s) => s.peakMB)),
      retainedPerRow: last.retainedHeap / rows,
      tablePerRow: last.extra.tableBytesPerRow ?? NaN,
    });
  });
}

function fmt(n: number, d = 0): string {
  return Number.isFinite(n) ? n.toLocaleString("en-GB", { minimumFractionDigits: d, maximumFractionDigits: d }) : "–";
}

function table(): string {
  const out = [
    "| rows | method | median s | min s | MB/s | rows/s | bytes/incident (table) | retained heap B/row | peak RSS +MB | note |",
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
  ];
  for (const l of lines) {
    const s = l.medMs / 1000;
    out.push(
      `| ${l.size} | ${l.method} | ${fmt(s, 2)} | ${fmt(l.minMs / 1000, 2)} | ${fmt(l.bytes / 1e6 / s)} | ${fmt(l.rows / s)} | ${fmt(l.tablePerRow, 1)} | ${l.retainedPerRow > 0 ? fmt(l.retainedPerRow) : "–"} | ${fmt(l.peakMB)} | ${l.note} |`,
    );
  }
  return out.join("\n");
}

// ---------- main
async function main(): Promise<void> {
  const t0 = performance.now();
  const cpu = cpus()[0]?.model ?? "unknown";
  console.log(`node ${process.version}, ${cpus().length} cores (${cpu}), seed ${seed}, sizes ${sizes.join(", ")}, ${new Date().toISOString()}`);
  const real: RealRows = loadRealRows();
  console.log(`real rows: ${real.rest.length} from ${real.files} files (${fmt(real.bytes / 1e6, 1)} MB), ${real.quoted.reduce((a, b) => a + b, 0)} with quoted fields`);

  // Warm-up: every method, one round, on 200k rows (not reported).
  {
    const w = policeUkText(real, 200_000, { seed: seed + 1 });
    for (const m of [oursWhole(w), ...peersWhole(w)]) await measure(m, 200_000);
    const header = real.header;
    const chunks = [...policeUkChunks(real, 200_000, { seed: seed + 1, header: false, chunkBytes: 16 << 20 })];
    for (const m of [oursChunks(header, chunks), ...peersChunks(chunks)]) await measure(m, 200_000);
    process.stderr.write(`warm-up done\n`);
  }

  for (const n of sizes) {
    const label = n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : String(n);
    const runs = Number.isFinite(runsOpt) ? runsOpt : n <= 1e6 ? 5 : 3;
    const tg = performance.now();
    if (expectedBytes(real, n) <= WHOLE_LIMIT) {
      const text = policeUkText(real, n, { seed });
      process.stderr.write(`${label}: generated ${fmt(text.length / 1e6)} MB as one string (${((performance.now() - tg) / 1000).toFixed(1)} s)\n`);
      await round([oursWhole(text), ...peersWhole(text)], n, text.length, label, runs);
    } else {
      const chunks = [...policeUkChunks(real, n, { seed, header: false, chunkBytes })];
      const bytes = chunks.reduce((s, c) => s + c.length, 0) + real.header.length;
      process.stderr.write(`${label}: generated ${fmt(bytes / 1e6)} MB in ${chunks.length} chunks (${((performance.now() - tg) / 1000).toFixed(1)} s)\n`);
      await round([oursChunks(real.header, chunks), ...peersChunks(chunks)], n, bytes, `${label} (${chunks.length} × ${chunkBytes >> 20} MB chunks)`, runs);
    }
  }

  if (!has("--no-real")) {
    // The real files as read from disk: gunzip + decode + ingest, for the README's "real data" line.
    const dir = policeUkDataDir();
    const ms: number[] = [];
    let rows = 0;
    for (let r = 0; r < 6; ++r) {
      collect();
      const t = performance.now();
      const res = await readPoliceUkFiles(dir);
      if (r > 0) ms.push(performance.now() - t); // first run is the warm-up
      rows = res.summary.rows;
      sink += rows;
    }
    ms.sort((a, b) => a - b);
    lines.push({ size: "real 160k", method: "ours: readPoliceUkFiles", note: "35 real .csv.gz files from disk: gunzip + decode + ingest", rows, bytes: real.bytes, minMs: ms[0], medMs: ms[ms.length >> 1], peakMB: NaN, retainedPerRow: NaN, tablePerRow: NaN });
  }

  console.log("");
  console.log(table());
  console.log(`\n(sink ${sink}; total ${((performance.now() - t0) / 1000).toFixed(0)} s; peak RSS of the process ${fmt(process.resourceUsage().maxRSS / 1024)} MB)`);
}

await main();
