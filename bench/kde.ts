/**
 * Kernel density benchmark: kernelDensity (quartic, exact, lattice scatter) against the exact R
 * oracle `Rscript shared/oracles/kde.R` on the same points and grid, with the numbers compared.
 *
 * Part 1 (ours vs R, same data): seeded clustered synthetic points in British National Grid
 * metres over a 10 km × 10 km box around E 455000 N 318000 — 45% uniform background, 55% in six
 * Gaussian "town centre / estate" clusters (sd 120–450 m), rounded to whole metres like
 * police.uk-derived co-ordinates — on the oracle grid (floor-aligned, full bounding box) with
 * 100 m, 32 m and 10 m cells (≈ 10⁴, 10⁵ and 10⁶ cells), h = 500 m. Points are written to a
 * temporary CSV and R runs as a child process:
 *   Rscript kde.R POINTS.csv CELL 500 OUT.csv --no-sfhotspot --no-spatstat
 * R's own timing (grid_count_s + kde_exact_s from its meta JSON: excluding start-up and CSV
 * reading) and the whole process's wall time are both reported; R's kde_density is read back
 * and compared with ours cell by cell.
 *
 * Part 2: shared/oracles/PEER_TIMINGS.md's data sets (`Rscript gen_synthetic.R points N 1`,
 * N = 10k, 100k, 1M; 100 m and 32 m cells; h = 500 m) so our times sit beside sfhotspot's and
 * spatstat's figures quoted in bench/KDE_RESULTS.md; with --peer-r the R oracle runs on them too
 * (about 5 more minutes, mostly 1M points on 98k cells).
 *
 * Part 3 (--spatstat, or --only-spatstat for this part alone; issue 13): the same
 * PEER_TIMINGS.md data (100k and 1M points; 100 m and 32 m cells; h = 500 m) with, in the same
 * run, our exact kernelDensity, our `method: "fft"`, the previous exact method (the per-point
 * scatter, still used for hexagons) and spatstat.explore's FFT `density.ppp` (quartic,
 * sigma = h/(2√2), dimyx = the same grid, edge = FALSE), run as a child process
 * (bench/kde-spatstat.R) on the same CSV. R is timed in-process with proc.time() around
 * density.ppp alone (median of --r-reps calls); the wall time of a separate one-call Rscript
 * process is reported too. Accuracy: spatstat and our FFT against our exact surface, max and
 * mean relative error over cells whose exact density is at least 1% of the peak. Writes
 * bench/results/kde.json (bench/lib/results.ts).
 *
 * Methodology: grid built once per case (timed separately); one warm-up call, then `runs`
 * timed calls of kernelDensity(points, grid, { bandwidth: 500 }); min and median; a sink keeps
 * the results observable. R runs once per case.
 *
 * Run: npx tsx --conditions=community-safety-source bench/kde.ts [--points 50000] [--runs 5] [--no-r] [--no-peer-data] [--peer-r] [--spatstat | --only-spatstat] [--r-reps 5]
 * Figures go in bench/KDE_RESULTS.md.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, cpus, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { seededRandom } from "@community-safety/core";
import { grid, type Grid } from "@community-safety/geo";
import { kernelDensity } from "@community-safety/geo";
// The previous exact method (per-point scatter), internal: timed beside the new one in part 3.
import { scatterQuarticSum } from "../packages/geo/src/kernel-density.js";
import { machineInfo, writeResults } from "./lib/results.js";

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const value = (name: string, dflt: number) => {
  const k = argv.indexOf(name);
  return k >= 0 ? Number(argv[k + 1]) : dflt;
};
const N = value("--points", 50_000);
const RUNS = value("--runs", 5);
const R_REPS = value("--r-reps", 5);
const ONLY_SPATSTAT = flag("--only-spatstat");
const SPATSTAT = ONLY_SPATSTAT || flag("--spatstat");
const H = 500;
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const oracleDir = process.env.COMMUNITY_SAFETY_ORACLES ?? join(root, "..", "shared", "oracles");
const haveR = !flag("--no-r") && existsSync(join(oracleDir, "kde.R"));

let sink = 0;

/** Seeded clustered points in BNG metres (whole metres). */
function syntheticPoints(n: number, seed: number): { x: Float64Array; y: Float64Array } {
  const rng = seededRandom(seed);
  const X0 = 450_000, Y0 = 313_000, SIDE = 10_000;
  const clusters = [
    { x: 455_500, y: 318_500, sd: 180, w: 0.2 },
    { x: 452_300, y: 320_400, sd: 300, w: 0.1 },
    { x: 457_800, y: 315_200, sd: 450, w: 0.1 },
    { x: 451_200, y: 314_600, sd: 120, w: 0.05 },
    { x: 458_400, y: 321_700, sd: 250, w: 0.05 },
    { x: 454_000, y: 316_000, sd: 350, w: 0.05 },
  ];
  const x = new Float64Array(n), y = new Float64Array(n);
  for (let i = 0; i < n; ++i) {
    let u = rng.uniform(), px = NaN, py = NaN;
    for (const c of clusters) {
      if (u < c.w) {
        px = rng.normal(c.x, c.sd);
        py = rng.normal(c.y, c.sd);
        break;
      }
      u -= c.w;
    }
    if (!(px >= X0 && px <= X0 + SIDE && py >= Y0 && py <= Y0 + SIDE)) {
      px = rng.range(X0, X0 + SIDE);
      py = rng.range(Y0, Y0 + SIDE);
    }
    x[i] = Math.round(px);
    y[i] = Math.round(py);
  }
  return { x, y };
}

function timeIt(runs: number, fn: () => number): { min: number; median: number } {
  sink += fn(); // warm-up
  const t: number[] = [];
  for (let r = 0; r < runs; ++r) {
    const t0 = performance.now();
    sink += fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return { min: t[0], median: t[t.length >> 1] };
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

interface Row {
  label: string;
  points: number;
  cells: number;
  pairs: number;
  gridMs: number;
  ours: { min: number; median: number };
  rInside?: number;
  rProcess?: number;
  maxRel?: number;
  zeroMismatch?: number;
}

/** Point–centre pairs within h (the exact method's work), counted from our unscaled sum's support. */
function pairsWithin(g: Grid, x: Float64Array, y: Float64Array): number {
  // Expected pairs ≈ points × (π h² / cell area) for interior points; count exactly per point.
  let pairs = 0;
  const h2 = H * H;
  const s = g.cellSize;
  for (let i = 0; i < x.length; ++i) {
    const c0 = Math.max(0, Math.floor((x[i] - H - g.originX) / s) - 1), c1 = Math.min(g.columns - 1, Math.floor((x[i] + H - g.originX) / s) + 1);
    const r0 = Math.max(0, Math.floor((y[i] - H - g.originY) / s) - 1), r1 = Math.min(g.rows - 1, Math.floor((y[i] + H - g.originY) / s) + 1);
    for (let r = r0; r <= r1; ++r) {
      const dy = g.y[r * g.columns] - y[i];
      for (let c = c0; c <= c1; ++c) {
        const dx = g.x[c] - x[i];
        if (dx * dx + dy * dy < h2) ++pairs;
      }
    }
  }
  return pairs;
}

function runR(x: Float64Array, y: Float64Array, cell: number, g: Grid, density: Float64Array): Pick<Row, "rInside" | "rProcess" | "maxRel" | "zeroMismatch"> {
  const dir = mkdtempSync(join(tmpdir(), "kde-bench-"));
  try {
    const lines = ["x,y"];
    for (let i = 0; i < x.length; ++i) lines.push(`${x[i]},${y[i]}`);
    const pts = join(dir, "points.csv");
    writeFileSync(pts, lines.join("\n") + "\n");
    const out = join(dir, "out.csv");
    const t0 = performance.now();
    execFileSync("Rscript", [join(oracleDir, "kde.R"), pts, String(cell), String(H), out, "--no-sfhotspot", "--no-spatstat"], { stdio: ["ignore", "ignore", "inherit"] });
    const rProcess = performance.now() - t0;
    const meta = JSON.parse(readFileSync(join(dir, "out.meta.json"), "utf8"));
    const rInside = (meta.timing_s.grid_count_s + meta.timing_s.kde_exact_s) * 1000;
    if (meta.n_cells !== g.length || meta.x0 !== g.originX || meta.y0 !== g.originY) throw new Error(`R grid differs: ${JSON.stringify([meta.n_cells, meta.x0, meta.y0])}`);
    const [head, ...rows] = readFileSync(out, "utf8").trim().split("\n");
    const cols = head.split(",");
    const kCol = cols.indexOf("kde_density"), xCol = cols.indexOf("cell_x"), yCol = cols.indexOf("cell_y");
    let maxRel = 0, zeroMismatch = 0;
    rows.forEach((line, i) => {
      const f = line.split(",");
      if (Number(f[xCol]) !== g.x[i] || Number(f[yCol]) !== g.y[i]) throw new Error(`cell ${i}: centre differs`);
      const want = Number(f[kCol]);
      if (want === 0) {
        if (density[i] !== 0) ++zeroMismatch;
      } else maxRel = Math.max(maxRel, Math.abs(density[i] - want) / want);
    });
    return { rInside, rProcess, maxRel, zeroMismatch };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function bench(label: string, x: Float64Array, y: Float64Array, cell: number, withR: boolean, runs: number): Row {
  const pts = { x, y };
  const gt = timeIt(runs, () => grid(pts, { cellSize: cell }).length);
  const g = grid(pts, { cellSize: cell });
  const ours = timeIt(runs, () => kernelDensity(pts, g, { bandwidth: H }).density[g.length >> 1]);
  const r = kernelDensity(pts, g, { bandwidth: H });
  const row: Row = { label, points: x.length, cells: g.length, pairs: pairsWithin(g, x, y), gridMs: gt.median, ours };
  if (withR) Object.assign(row, runR(x, y, cell, g, r.density));
  const speed = row.rInside === undefined ? "" : `  R ${fmt(row.rInside)} ms in-process (${fmt(row.rProcess!)} ms process) → ${(row.rInside / ours.median).toFixed(0)}× ; max rel diff ${row.maxRel!.toExponential(2)}, zero mismatches ${row.zeroMismatch}`;
  console.log(`${label}: ${x.length} points, ${g.length} cells (${g.columns}×${g.rows}), ${row.pairs} pairs; grid ${fmt(gt.median)} ms; kernelDensity min ${fmt(ours.min)} ms, median ${fmt(ours.median)} ms${speed}`);
  return row;
}


interface SpatstatRow {
  points: number;
  cells: number;
  cell: number;
  exact: { min: number; median: number };
  fft: { min: number; median: number };
  previous: { min: number; median: number };
  /** density.ppp seconds (in-process): min and median of the reps. */
  spatstat: { min: number; median: number };
  rProcess: number;
  exactVsPrevious: number;
  fftErr: { max: number; mean: number; cells: number };
  spatstatErr: { max: number; mean: number; cells: number };
  versions: Record<string, string>;
}

const pct = (v: number) => (v >= 0.1 ? `${(v * 100).toFixed(0)}%` : v >= 0.001 ? `${(v * 100).toFixed(2)}%` : `${(v * 100).toFixed(4)}%`);

/** Max and mean |a − e|/e over cells with e ≥ 1% of the largest e. */
function relErrors(approx: ArrayLike<number>, exact: ArrayLike<number>): { max: number; mean: number; cells: number } {
  let peak = 0;
  for (let i = 0; i < exact.length; ++i) if (exact[i] > peak) peak = exact[i];
  let max = 0, sum = 0, cells = 0;
  for (let i = 0; i < exact.length; ++i) {
    const e = exact[i];
    if (!(e >= 0.01 * peak) || e === 0) continue;
    const r = Math.abs(approx[i] - e) / e;
    if (r > max) max = r;
    sum += r;
    ++cells;
  }
  return { max, mean: sum / cells, cells };
}

function spatstatCase(pts: { file: string; x: Float64Array; y: Float64Array }, cell: number): SpatstatRow {
  const { x, y } = pts;
  const p = { x, y };
  const g = grid(p, { cellSize: cell });
  const label = `PEER_TIMINGS points_${x.length}, ${cell} m (${g.length} cells)`;
  const exact = timeIt(RUNS, () => kernelDensity(p, g, { bandwidth: H }).density[g.length >> 1]);
  const fft = timeIt(RUNS, () => kernelDensity(p, g, { bandwidth: H, method: "fft" }).density[g.length >> 1]);
  const previous = timeIt(3, () => scatterQuarticSum(g, x, y, null, H)[g.length >> 1]);
  const rExact = kernelDensity(p, g, { bandwidth: H });
  const rFft = kernelDensity(p, g, { bandwidth: H, method: "fft" });
  const prev = scatterQuarticSum(g, x, y, null, H);
  let exactVsPrevious = 0;
  for (let i = 0; i < g.length; ++i) {
    const want = prev[i], got = rExact.unscaled[i];
    const e = want === 0 ? (got === 0 ? 0 : Infinity) : Math.abs(got - want) / want;
    if (e > exactVsPrevious) exactVsPrevious = e;
  }
  // spatstat, child process: REPS calls timed in-process; then one call for the process wall time.
  const dir = mkdtempSync(join(tmpdir(), "kde-spatstat-"));
  try {
    const script = join(root, "bench", "kde-spatstat.R");
    const out = join(dir, "d.csv"), meta = join(dir, "meta.json");
    execFileSync("Rscript", [script, pts.file, String(cell), String(H), String(R_REPS), out, meta], { stdio: ["ignore", "ignore", "inherit"] });
    const m = JSON.parse(readFileSync(meta, "utf8"));
    if (m.nx !== g.columns || m.ny !== g.rows || m.x0 !== g.originX || m.y0 !== g.originY) throw new Error(`spatstat grid differs: ${JSON.stringify(m)}`);
    const ts = (m.density_s as number[]).slice().sort((a, b) => a - b);
    const d = readFileSync(out, "utf8").trim().split("\n").slice(1).map(Number);
    if (d.length !== g.length) throw new Error("spatstat: wrong number of cells");
    const t0 = performance.now();
    execFileSync("Rscript", [script, pts.file, String(cell), String(H), "1", join(dir, "d1.csv"), join(dir, "m1.json")], { stdio: ["ignore", "ignore", "inherit"] });
    const rProcess = performance.now() - t0;
    const row: SpatstatRow = {
      points: x.length,
      cells: g.length,
      cell,
      exact,
      fft,
      previous,
      spatstat: { min: ts[0], median: ts[ts.length >> 1] },
      rProcess,
      exactVsPrevious,
      fftErr: relErrors(rFft.density, rExact.density),
      spatstatErr: relErrors(d, rExact.density),
      versions: { R: m.R, "spatstat.explore": m.spatstat_explore, "spatstat.geom": m.spatstat_geom },
    };
    console.log(
      `${label}: exact ${fmt(exact.min)} / ${fmt(exact.median)} ms, fft ${fmt(fft.min)} / ${fmt(fft.median)} ms, previous ${fmt(previous.median)} ms; ` +
        `spatstat density.ppp ${(row.spatstat.min * 1000).toFixed(0)} / ${(row.spatstat.median * 1000).toFixed(0)} ms (process ${fmt(rProcess)} ms) → ` +
        `spatstat/exact ${(row.spatstat.median * 1000 / exact.median).toFixed(2)}×, spatstat/fft ${(row.spatstat.median * 1000 / fft.median).toFixed(1)}×; ` +
        `exact vs previous ${exactVsPrevious.toExponential(1)}; fft err max ${pct(row.fftErr.max)} mean ${pct(row.fftErr.mean)}; spatstat err max ${pct(row.spatstatErr.max)} mean ${pct(row.spatstatErr.mean)} (${row.fftErr.cells} cells ≥ 1% of peak)`,
    );
    return row;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, ${new Date().toISOString()}, load ${loadavg().map((v) => v.toFixed(2)).join(" ")}`);
const machine = machineInfo();
const rows: Row[] = [];
if (!ONLY_SPATSTAT) {
  const syn = syntheticPoints(N, 2024);
  for (const cell of [100, 32, 10]) rows.push(bench(`clustered ${N}, ${cell} m`, syn.x, syn.y, cell, haveR, cell === 10 ? Math.min(RUNS, 3) : RUNS));
}

/** `Rscript gen_synthetic.R points n 1` (PEER_TIMINGS.md's data) into dir; the file and its points. */
function peerPoints(dir: string, n: number): { file: string; x: Float64Array; y: Float64Array } {
  const file = join(dir, `points_${n}.csv`);
  execFileSync("Rscript", [join(oracleDir, "gen_synthetic.R"), "points", String(n), "1", file], { stdio: ["ignore", "ignore", "inherit"] });
  const [, ...lines] = readFileSync(file, "utf8").trim().split("\n");
  const x = new Float64Array(lines.length), y = new Float64Array(lines.length);
  lines.forEach((l, i) => {
    const k = l.indexOf(",");
    x[i] = Number(l.slice(0, k));
    y[i] = Number(l.slice(k + 1));
  });
  return { file, x, y };
}

// Part 2: PEER_TIMINGS.md's data (gen_synthetic.R points N 1), ours only.
const peerDir = mkdtempSync(join(tmpdir(), "kde-peer-"));
const spatstatRows: SpatstatRow[] = [];
try {
  if (!ONLY_SPATSTAT && !flag("--no-peer-data") && existsSync(join(oracleDir, "gen_synthetic.R"))) {
    for (const n of [10_000, 100_000, 1_000_000]) {
      const { x, y } = peerPoints(peerDir, n);
      for (const cell of [100, 32]) rows.push(bench(`PEER_TIMINGS points_${n}, ${cell} m`, x, y, cell, haveR && flag("--peer-r"), n >= 1_000_000 ? 3 : RUNS));
    }
  }
  // Part 3: ours exact, ours FFT, the previous scatter and spatstat's FFT density.ppp, same run.
  if (SPATSTAT) {
    for (const n of [100_000, 1_000_000]) {
      const pts = peerPoints(peerDir, n);
      for (const cell of [100, 32]) spatstatRows.push(spatstatCase(pts, cell));
    }
  }
} finally {
  rmSync(peerDir, { recursive: true, force: true });
}

if (rows.length) {
  console.log("\n| data | points | cells | pairs within h | grid (ms) | kernelDensity min / median (ms) | R kde.R in-process (ms) | R process (ms) | speed-up (R in-process / our median) | max rel diff |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    const rIn = r.rInside === undefined ? "–" : fmt(r.rInside);
    const rPr = r.rProcess === undefined ? "–" : fmt(r.rProcess);
    const sp = r.rInside === undefined ? "–" : `${(r.rInside / r.ours.median).toFixed(0)}×`;
    const md = r.maxRel === undefined ? "–" : `${r.maxRel.toExponential(1)}${r.zeroMismatch ? ` (${r.zeroMismatch} zero mismatches)` : ""}`;
    console.log(`| ${r.label} | ${r.points.toLocaleString("en-GB")} | ${r.cells.toLocaleString("en-GB")} | ${r.pairs.toLocaleString("en-GB")} | ${fmt(r.gridMs)} | ${fmt(r.ours.min)} / ${fmt(r.ours.median)} | ${rIn} | ${rPr} | ${sp} | ${md} |`);
  }
}
if (spatstatRows.length) {
  const versions = spatstatRows[0].versions;
  const path = writeResults({
    bench: "kde",
    title: "Kernel density: exact and FFT against spatstat's FFT density.ppp",
    command: `npx tsx --conditions=community-safety-source bench/kde.ts ${ONLY_SPATSTAT ? "--only-spatstat" : "--spatstat"} --runs ${RUNS} --r-reps ${R_REPS}`,
    date: new Date().toISOString(),
    machine: { ...machine, peers: versions },
    columns: [
      { key: "points", label: "points" },
      { key: "cells", label: "cells (cell size)", align: "right" },
      { key: "exact", label: "ours exact (s)", bold: true, digits: 3 },
      { key: "fft", label: "ours FFT (s)", digits: 3 },
      { key: "spatstat", label: "spatstat FFT (s)", digits: 3 },
      { key: "rProcess", label: "Rscript process (s)", digits: 2 },
      { key: "exactRatio", label: "spatstat / ours exact", bold: true, digits: 2 },
      { key: "fftRatio", label: "spatstat / ours FFT", digits: 1 },
      { key: "previous", label: "previous exact (s)", digits: 3 },
      { key: "exactVsPrevious", label: "exact vs previous, max rel" },
      { key: "fftErr", label: "ours FFT error, max / mean rel" },
      { key: "spatstatErr", label: "spatstat error, max / mean rel" },
    ],
    rows: spatstatRows.map((r) => ({
      points: r.points,
      cells: `${r.cells.toLocaleString("en-GB")} (${r.cell} m)`,
      exact: r.exact.median / 1000,
      fft: r.fft.median / 1000,
      spatstat: r.spatstat.median,
      rProcess: r.rProcess / 1000,
      exactRatio: r.spatstat.median / (r.exact.median / 1000),
      fftRatio: r.spatstat.median / (r.fft.median / 1000),
      previous: r.previous.median / 1000,
      exactVsPrevious: r.exactVsPrevious.toExponential(1),
      fftErr: `${pct(r.fftErr.max)} / ${pct(r.fftErr.mean)}`,
      spatstatErr: `${pct(r.spatstatErr.max)} / ${pct(r.spatstatErr.mean)}`,
    })),
    notes: [
      "Data: shared/oracles/gen_synthetic.R points N 1 (PEER_TIMINGS.md's files: 10 km box, 60% uniform, two Gaussian clusters, 0.01 m co-ordinates); the oracle grid; quartic kernel, h = 500 m.",
      `Ours: kernelDensity(points, grid, { bandwidth: 500 }) and { method: "fft" }, median of ${RUNS} calls after a warm-up, in seconds, in the same Node process; "previous exact" is the per-point scatter used before issue 13 (median of 3).`,
      `spatstat: density.ppp(X, kernel = "quartic", sigma = h/(2√2), dimyx = the grid, edge = FALSE) from bench/kde-spatstat.R as a child process on the same CSV; proc.time() around density.ppp alone, median of ${R_REPS} calls (owin + ppp not included); "Rscript process" is the wall time of a separate one-call run including R start-up, package loading and reading the CSV.`,
      "Errors are relative to our exact surface over the cells whose exact density is at least 1% of the peak; our FFT uses linear binning, spatstat simple binning (pixellate). \"exact vs previous\" is the largest relative difference over all cells, zeros matched exactly.",
    ],
  });
  console.log(`\nwrote ${path}`);
}
console.log(`(sink ${sink})`);
