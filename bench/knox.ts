/**
 * Knox near-repeat test benchmark: knoxTest (kdbush close pairs stored once, each permutation
 * recomputing only their time bands) against the all-pairs method of the R package NearRepeat
 * (full dist() matrices, one dist(sample(time)) + cut + table per permutation; bench/knox.R,
 * run with Rscript in the same run on the same events through a temp CSV), and an all-pairs
 * JavaScript version of that method (space band of every pair computed once, every pair's
 * time band recomputed per permutation) for reference.
 *
 * Data: N seeded events (mulberry32, seed 42) on whole metres in a 10 km × 10 km area (60%
 * uniform, 40% in 12 Gaussian clusters of sd 250 m) on whole days over two years, with 10% of
 * events near repeats of an earlier one (within ±55 m in x and y, 1–14 days later). Bands as
 * a typical Near Repeat Calculator run: distance [0, 100, 200, 300, 400, 500) m × time
 * [0, 7, …, 35) days, Euclidean.
 *
 * Method: one warm-up run of ours (99 permutations), then `runs` timed runs of ours with the
 * full permutation count (min and median); the JS all-pairs method is timed once with
 * `jsPerms` permutations and R with `rPerms` (both extrapolated linearly to the full count
 * when fewer: setup + perms × time per permutation, reported as such). Observed counts of all
 * three are compared cell by cell. A sink keeps every result observable.
 *
 * Run: npx tsx --conditions=community-safety-source bench/knox.ts [N=10000] [perms=999] [rPerms=9] [jsPerms=99] [runs=5]
 * Figures go in bench/KNOX_RESULTS.md.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { knoxTest } from "@community-safety/geo";

const N = Number(process.argv[2] ?? 10_000);
const PERMS = Number(process.argv[3] ?? 999);
const R_PERMS = Number(process.argv[4] ?? 9);
const JS_PERMS = Number(process.argv[5] ?? 99);
const RUNS = Number(process.argv[6] ?? 5);
const SDS = [0, 100, 200, 300, 400, 500];
const TDS = [0, 7, 14, 21, 28, 35];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(42);
const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const centres = Array.from({ length: 12 }, () => [1000 + rand() * 8000, 1000 + rand() * 8000]);
const x = new Float64Array(N), y = new Float64Array(N), t = new Float64Array(N);
for (let i = 0; i < N; ++i) {
  if (i > 100 && rand() < 0.1) {
    const j = Math.floor(rand() * i);
    x[i] = x[j] + Math.round((rand() - 0.5) * 110);
    y[i] = y[j] + Math.round((rand() - 0.5) * 110);
    t[i] = t[j] + 1 + Math.floor(rand() * 14);
  } else if (rand() < 0.6) {
    x[i] = Math.round(rand() * 10_000);
    y[i] = Math.round(rand() * 10_000);
    t[i] = Math.floor(rand() * 730);
  } else {
    const [cx, cy] = centres[Math.floor(rand() * centres.length)];
    x[i] = Math.round(cx + 250 * gauss());
    y[i] = Math.round(cy + 250 * gauss());
    t[i] = Math.floor(rand() * 730);
  }
}

let sink = 0;
const cellsOf = (r: ReturnType<typeof knoxTest>) => r.cells.map((c) => c.observed);

console.log(`node ${process.version}, ${cpus()[0]?.model ?? "?"} × ${cpus().length}, N = ${N}, permutations ${PERMS}`);

// Ours.
sink += knoxTest({ x, y, t }, { distanceBands: SDS, timeBands: TDS, permutations: 99 }).closePairs; // warm-up
const ours: number[] = [];
let result = knoxTest({ x, y, t }, { distanceBands: SDS, timeBands: TDS, permutations: 1 });
for (let r = 0; r < RUNS; ++r) {
  const t0 = performance.now();
  result = knoxTest({ x, y, t }, { distanceBands: SDS, timeBands: TDS, permutations: PERMS, seed: r + 1 });
  ours.push(performance.now() - t0);
  sink += result.cells[0].pValue;
}
ours.sort((a, b) => a - b);
const t0 = performance.now();
const setupOnly = knoxTest({ x, y, t }, { distanceBands: SDS, timeBands: TDS, permutations: 1 });
const oursSetup = performance.now() - t0;
sink += setupOnly.closePairs;
console.log(
  `ours knoxTest: min ${(ours[0] / 1000).toFixed(3)} s, median ${(ours[ours.length >> 1] / 1000).toFixed(3)} s over ${RUNS} runs; ` +
    `${result.closePairs} close pairs of ${result.totalPairs} (${((result.closePairs * 4 + (N * (SDS.length - 1) + 1) * 4) / 2 ** 20).toFixed(1)} MiB of pair storage: 4 B a pair + offsets); ` +
    `setup + 1 permutation ${(oursSetup / 1000).toFixed(3)} s`,
);

// JavaScript all-pairs (NearRepeat's method): the space band of every pair once (Int8, n(n−1)/2 bytes), then per permutation every pair's time band.
function allPairsJs(perms: number): { observed: number[]; setup: number; perPerm: number } {
  const n = N, nd = SDS.length - 1, nt = TDS.length - 1;
  const s0 = performance.now();
  const pairs = (n * (n - 1)) / 2;
  const sband = new Int8Array(pairs);
  let k = 0;
  for (let i = 0; i < n; ++i) {
    for (let j = i + 1; j < n; ++j, ++k) {
      const dx = x[i] - x[j], dy = y[i] - y[j];
      const d = Math.sqrt(dx * dx + dy * dy);
      let b = -1;
      if (d >= SDS[0] && d < SDS[nd]) {
        b = 0;
        while (d >= SDS[b + 1]) ++b;
      }
      sband[k] = b;
    }
  }
  const count = (tt: Float64Array, out: Float64Array) => {
    let m = 0;
    for (let i = 0; i < n; ++i) {
      const ti = tt[i];
      for (let j = i + 1; j < n; ++j, ++m) {
        const dt = Math.abs(ti - tt[j]);
        if (dt < TDS[0] || dt >= TDS[nt]) continue;
        const s = sband[m];
        if (s < 0) continue;
        let b = 0;
        while (dt >= TDS[b + 1]) ++b;
        out[s * nt + b] += 1;
      }
    }
  };
  const observed = new Float64Array(nd * nt);
  count(t, observed);
  const setup = performance.now() - s0;
  const p0 = performance.now();
  const perm = Float64Array.from(t);
  const tmp = new Float64Array(nd * nt);
  for (let r = 0; r < perms; ++r) {
    for (let i = n - 1; i > 0; --i) {
      const j = Math.floor(rand() * (i + 1));
      const v = perm[i];
      perm[i] = perm[j];
      perm[j] = v;
    }
    tmp.fill(0);
    count(perm, tmp);
    sink += tmp[0];
  }
  return { observed: Array.from(observed), setup, perPerm: (performance.now() - p0) / perms };
}
const js = allPairsJs(JS_PERMS);
const jsTotal = js.setup + PERMS * js.perPerm;
console.log(
  `JS all-pairs: setup ${(js.setup / 1000).toFixed(3)} s, ${(js.perPerm / 1000).toFixed(4)} s per permutation (${JS_PERMS} timed) → ${PERMS} permutations ≈ ${(jsTotal / 1000).toFixed(1)} s` +
    `${JS_PERMS === PERMS ? " (measured)" : " (extrapolated)"}; observed counts ${JSON.stringify(js.observed) === JSON.stringify(cellsOf(result)) ? "equal ours" : "DIFFER from ours"}`,
);

// R peer (NearRepeat's method in base R) on the same events through a temp CSV.
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dir = mkdtempSync(join(tmpdir(), "knox-bench-"));
const csv = join(dir, "events.csv");
const lines = ["x,y,t"];
for (let i = 0; i < N; ++i) lines.push(`${x[i]},${y[i]},${t[i]}`);
writeFileSync(csv, lines.join("\n") + "\n");
const w0 = performance.now();
const run = spawnSync("Rscript", [join(root, "bench", "knox.R"), csv, String(R_PERMS), "euclidean", SDS.join(","), TDS.join(",")], { encoding: "utf8", maxBuffer: 1 << 26 });
const rWall = performance.now() - w0;
rmSync(dir, { recursive: true, force: true });
if (run.status !== 0) {
  console.log(`R peer failed (status ${run.status}): ${run.stderr}`);
} else {
  const r = JSON.parse(run.stdout.trim().split("\n").pop()!) as { R: string; setupSeconds: number; perReplicationSeconds: number; replicationSeconds: number; peakMb: number; observed: number[] };
  const rTotal = r.setupSeconds + PERMS * r.perReplicationSeconds;
  const same = JSON.stringify(r.observed) === JSON.stringify(cellsOf(result));
  console.log(
    `R peer (${r.R}): setup ${r.setupSeconds.toFixed(2)} s, ${r.perReplicationSeconds.toFixed(3)} s per replication (${R_PERMS} timed, ${r.replicationSeconds.toFixed(1)} s) → ` +
      `${PERMS} replications ≈ ${rTotal.toFixed(0)} s${R_PERMS === PERMS ? " (measured)" : " (extrapolated)"}; R peak memory ${r.peakMb} MB; ` +
      `Rscript wall ${(rWall / 1000).toFixed(1)} s; observed counts ${same ? "equal ours" : "DIFFER from ours"}`,
  );
  console.log(`speed-up (median): ${(rTotal / (ours[ours.length >> 1] / 1000)).toFixed(0)}× vs R, ${(jsTotal / ours[ours.length >> 1]).toFixed(0)}× vs JS all-pairs`);
}
console.log(`observed [0,100) m × [0,7) d: ${result.cells[0].observed}, Knox ratio ${result.cells[0].knoxRatio?.toFixed(2)}, p ${result.cells[0].pValue} (sink ${sink.toFixed(3)})`);
