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
 * Methodology: grid built once per case (timed separately); one warm-up call, then `runs`
 * timed calls of kernelDensity(points, grid, { bandwidth: 500 }); min and median; a sink keeps
 * the results observable. R runs once per case.
 *
 * Run: npx tsx --conditions=community-safety-source bench/kde.ts [--points 50000] [--runs 5] [--no-r] [--no-peer-data] [--peer-r]
 * Figures go in bench/KDE_RESULTS.md.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { seededRandom } from "@community-safety/core";
import { grid, type Grid } from "@community-safety/geo";
import { kernelDensity } from "@community-safety/geo";

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const value = (name: string, dflt: number) => {
  const k = argv.indexOf(name);
  return k >= 0 ? Number(argv[k + 1]) : dflt;
};
const N = value("--points", 50_000);
const RUNS = value("--runs", 5);
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

console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, ${new Date().toISOString()}`);
const rows: Row[] = [];
const syn = syntheticPoints(N, 2024);
for (const cell of [100, 32, 10]) rows.push(bench(`clustered ${N}, ${cell} m`, syn.x, syn.y, cell, haveR, cell === 10 ? Math.min(RUNS, 3) : RUNS));

// Part 2: PEER_TIMINGS.md's data (gen_synthetic.R points N 1), ours only.
if (!flag("--no-peer-data") && existsSync(join(oracleDir, "gen_synthetic.R"))) {
  const dir = mkdtempSync(join(tmpdir(), "kde-peer-"));
  try {
    for (const n of [10_000, 100_000, 1_000_000]) {
      const f = join(dir, `points_${n}.csv`);
      execFileSync("Rscript", [join(oracleDir, "gen_synthetic.R"), "points", String(n), "1", f], { stdio: ["ignore", "ignore", "inherit"] });
      const [, ...lines] = readFileSync(f, "utf8").trim().split("\n");
      const x = new Float64Array(lines.length), y = new Float64Array(lines.length);
      lines.forEach((l, i) => {
        const k = l.indexOf(",");
        x[i] = Number(l.slice(0, k));
        y[i] = Number(l.slice(k + 1));
      });
      for (const cell of [100, 32]) rows.push(bench(`PEER_TIMINGS points_${n}, ${cell} m`, x, y, cell, haveR && flag("--peer-r"), n >= 1_000_000 ? 3 : RUNS));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log("\n| data | points | cells | pairs within h | grid (ms) | kernelDensity min / median (ms) | R kde.R in-process (ms) | R process (ms) | speed-up (R in-process / our median) | max rel diff |");
console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of rows) {
  const rIn = r.rInside === undefined ? "–" : fmt(r.rInside);
  const rPr = r.rProcess === undefined ? "–" : fmt(r.rProcess);
  const sp = r.rInside === undefined ? "–" : `${(r.rInside / r.ours.median).toFixed(0)}×`;
  const md = r.maxRel === undefined ? "–" : `${r.maxRel.toExponential(1)}${r.zeroMismatch ? ` (${r.zeroMismatch} zero mismatches)` : ""}`;
  console.log(`| ${r.label} | ${r.points.toLocaleString("en-GB")} | ${r.cells.toLocaleString("en-GB")} | ${r.pairs.toLocaleString("en-GB")} | ${fmt(r.gridMs)} | ${fmt(r.ours.min)} / ${fmt(r.ours.median)} | ${rIn} | ${rPr} | ${sp} | ${md} |`);
}
console.log(`(sink ${sink})`);
