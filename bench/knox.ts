/**
 * Knox near-repeat test benchmark: knoxTest against the fastest close-pairs Knox test we could
 * write in R (bench/knox-closepairs.R: dbscan::frNN once for the pairs closer than the last
 * distance break, then per replication `sample()` of the times, a lookup table from (distance
 * band, day gap) to cell, and `tabulate()`), run with Rscript in the same run on the same
 * events through a temp CSV. Optionally (`--all-pairs N`) also NearRepeat's all-pairs method in
 * base R (bench/knox.R) at one size, extrapolated from a few replications.
 *
 * Data: N seeded events (mulberry32, seed 42) on whole metres in a square of side
 * 10 km × √(N / 10,000) (10 km for 10k events, 31.6 km — a city and its suburbs — for 100k, so
 * the density and the close pairs per event stay realistic): 60% uniform, 40% in 12 × N / 10,000
 * Gaussian clusters of sd 250 m, on whole days over two years, with 10% of events near repeats
 * of an earlier one (within ±55 m in x and y, 1–14 days later). For N = 10,000 these are the
 * events of earlier runs. Bands as a typical Near Repeat Calculator run: distance
 * [0, 100, …, 500) m × time [0, 7, …, 35) days, Euclidean.
 *
 * Method: per size, one warm-up run of ours (99 permutations), then `runs` timed runs with the
 * full permutation count (seeds 1…runs; min and median); then R once with `rPerms` replications
 * (all measured when rPerms = perms; otherwise setup + perms × time per replication, reported
 * as extrapolated). Observed counts and the number of close pairs of both are compared, and the
 * run fails if they differ. A sink keeps every result observable.
 *
 * Run: npx tsx --conditions=community-safety-source bench/knox.ts [--sizes 10000,100000] [--perms 999] [--runs 3] [--r-perms 999,999] [--all-pairs 10000 --all-pairs-perms 3]
 * Needs Rscript with the dbscan package (Debian: `apt-get install r-cran-dbscan`).
 * Writes bench/results/knox.json; figures and method in bench/KNOX_RESULTS.md.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { knoxTest, type KnoxTestResult } from "@community-safety/geo";
import { machineInfo, writeResults } from "./lib/results.js";

const arg = (name: string, dflt: string): string => {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 && process.argv[k + 1] !== undefined ? process.argv[k + 1] : dflt;
};
const SIZES = arg("sizes", "10000,100000").split(",").map(Number);
const PERMS = Number(arg("perms", "999"));
const RUNS = Number(arg("runs", "3"));
const R_PERMS = arg("r-perms", SIZES.map(() => String(PERMS)).join(",")).split(",").map(Number);
const ALL_PAIRS = Number(arg("all-pairs", "0"));
const ALL_PAIRS_PERMS = Number(arg("all-pairs-perms", "3"));
const SDS = [0, 100, 200, 300, 400, 500];
const TDS = [0, 7, 14, 21, 28, 35];
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

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

/** The seeded events (see the header); N = 10,000 gives exactly the events of earlier runs. */
function events(N: number): { x: Float64Array; y: Float64Array; t: Float64Array; side: number } {
  const rand = mulberry32(42);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const side = 10_000 * Math.sqrt(Math.max(1, N / 10_000));
  const nc = Math.max(12, Math.round((12 * N) / 10_000));
  const centres = Array.from({ length: nc }, () => [0.1 * side + rand() * 0.8 * side, 0.1 * side + rand() * 0.8 * side]);
  const x = new Float64Array(N), y = new Float64Array(N), t = new Float64Array(N);
  for (let i = 0; i < N; ++i) {
    if (i > 100 && rand() < 0.1) {
      const j = Math.floor(rand() * i);
      x[i] = x[j] + Math.round((rand() - 0.5) * 110);
      y[i] = y[j] + Math.round((rand() - 0.5) * 110);
      t[i] = t[j] + 1 + Math.floor(rand() * 14);
    } else if (rand() < 0.6) {
      x[i] = Math.round(rand() * side);
      y[i] = Math.round(rand() * side);
      t[i] = Math.floor(rand() * 730);
    } else {
      const [cx, cy] = centres[Math.floor(rand() * centres.length)];
      x[i] = Math.round(cx + 250 * gauss());
      y[i] = Math.round(cy + 250 * gauss());
      t[i] = Math.floor(rand() * 730);
    }
  }
  return { x, y, t, side };
}

function runR(script: string, csv: string, args: string[]): Record<string, unknown> & { wall: number } {
  const w0 = performance.now();
  const run = spawnSync("Rscript", [join(root, "bench", script), csv, ...args], { encoding: "utf8", maxBuffer: 1 << 26 });
  const wall = (performance.now() - w0) / 1000;
  if (run.status !== 0) throw new Error(`${script} failed (status ${run.status}): ${run.stderr}`);
  return { ...(JSON.parse(run.stdout.trim().split("\n").pop()!) as Record<string, unknown>), wall };
}

let sink = 0;
const load = () => Math.round(loadavg()[0] * 100) / 100;
const observedOf = (r: KnoxTestResult) => r.cells.map((c) => c.observed);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
const rows: Record<string, string | number | null>[] = [];
const notes: string[] = [];
let rVersion = "?", dbscanVersion = "?";
const machine = machineInfo();
console.log(`node ${process.version}, ${machine.cpuModel} × ${machine.cpus}, sizes ${SIZES.join(", ")}, ${PERMS} permutations, load ${load()}`);

for (let s = 0; s < SIZES.length; ++s) {
  const N = SIZES[s];
  const ev = events(N);
  const opts = { distanceBands: SDS, timeBands: TDS };
  sink += knoxTest(ev, { ...opts, permutations: 99 }).closePairs; // warm-up
  const t0 = performance.now();
  const setup = knoxTest(ev, { ...opts, permutations: 1 });
  const setupS = (performance.now() - t0) / 1000;
  const times: number[] = [];
  let result = setup;
  for (let r = 0; r < RUNS; ++r) {
    const a = performance.now();
    result = knoxTest(ev, { ...opts, permutations: PERMS, seed: r + 1 });
    times.push((performance.now() - a) / 1000);
    sink += result.cells[0].pValue;
  }
  const ours = median(times);
  const perPair = ((ours - setupS) * 1e9) / (result.closePairs * PERMS);
  const engine = /SIMD/.test(result.method) ? "WebAssembly SIMD, 8 permutations a pass" : /WebAssembly/.test(result.method) ? "WebAssembly" : /JavaScript/.test(result.method) ? "JavaScript" : "breaks";
  console.log(
    `N = ${N} (${(ev.side / 1000).toFixed(1)} km square): ${result.closePairs} close pairs; ours min ${Math.min(...times).toFixed(3)} s, median ${ours.toFixed(3)} s ` +
      `over ${RUNS} runs (setup + 1 permutation ${setupS.toFixed(3)} s; ${perPair.toFixed(2)} ns per pair per permutation; counting in ${engine}); load ${load()}`,
  );

  const dir = mkdtempSync(join(tmpdir(), "knox-bench-"));
  const csv = join(dir, "events.csv");
  const lines = ["x,y,t"];
  for (let i = 0; i < N; ++i) lines.push(`${ev.x[i]},${ev.y[i]},${ev.t[i]}`);
  writeFileSync(csv, lines.join("\n") + "\n");
  const rPerms = R_PERMS[s] ?? PERMS;
  let r: ReturnType<typeof runR>;
  try {
    r = runR("knox-closepairs.R", csv, [String(rPerms), SDS.join(","), TDS.join(","), "check"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  rVersion = String(r.R).replace(/^R version (\S+).*$/, "$1");
  dbscanVersion = String(r.dbscan);
  const rSetup = r.setupSeconds as number, rPer = r.perReplicationSeconds as number;
  const rTotal = rSetup + PERMS * rPer;
  const measured = rPerms === PERMS;
  const sameCounts = JSON.stringify(r.observed) === JSON.stringify(observedOf(result));
  const samePairs = r.closePairs === result.closePairs;
  const other = r.other as { kernel: string; perReplicationSeconds: number; observedEqual: boolean } | null;
  console.log(
    `  R close pairs (${r.kernel}): setup ${rSetup.toFixed(2)} s, ${(rPer * 1000).toFixed(1)} ms per replication (${rPerms} timed) → ${PERMS} ≈ ${rTotal.toFixed(1)} s ` +
      `${measured ? "(measured)" : "(extrapolated)"}; Rscript wall ${r.wall.toFixed(1)} s; peak ${r.peakMb} MB; ` +
      `${other ? `${other.kernel} kernel ${(other.perReplicationSeconds * 1000).toFixed(1)} ms per replication (counts ${other.observedEqual ? "equal" : "DIFFER"}); ` : ""}` +
      `observed counts ${sameCounts ? "equal ours" : "DIFFER from ours"}, close pairs ${samePairs ? "equal" : "DIFFER"}; ratio ${(rTotal / ours).toFixed(1)}×; load ${load()}`,
  );
  if (!sameCounts || !samePairs || (other && !other.observedEqual)) throw new Error(`N = ${N}: counts differ between ours and R`);
  rows.push({
    events: N,
    area: `${(ev.side / 1000).toFixed(1)} km square`,
    closePairs: result.closePairs,
    ours: ours,
    oursMin: Math.min(...times),
    nsPerPair: perPair,
    r: rTotal,
    rPerms: measured ? `${rPerms} (measured)` : `${rPerms} (extrapolated)`,
    rFindInterval: other ? PERMS * other.perReplicationSeconds + rSetup : null,
    ratio: rTotal / ours,
    counts: sameCounts && samePairs ? "equal" : "DIFFER",
  });
}

if (ALL_PAIRS > 0) {
  const ev = events(ALL_PAIRS);
  const dir = mkdtempSync(join(tmpdir(), "knox-bench-"));
  const csv = join(dir, "events.csv");
  const lines = ["x,y,t"];
  for (let i = 0; i < ALL_PAIRS; ++i) lines.push(`${ev.x[i]},${ev.y[i]},${ev.t[i]}`);
  writeFileSync(csv, lines.join("\n") + "\n");
  try {
    const r = runR("knox.R", csv, [String(ALL_PAIRS_PERMS), "euclidean", SDS.join(","), TDS.join(",")]);
    const total = (r.setupSeconds as number) + PERMS * (r.perReplicationSeconds as number);
    const ours = rows.find((row) => row.events === ALL_PAIRS)?.ours as number | undefined;
    const line = `NearRepeat's all-pairs method in base R (bench/knox.R) at ${ALL_PAIRS} events: ≈ ${total.toFixed(0)} s for ${PERMS} replications (extrapolated from ${ALL_PAIRS_PERMS}; peak ${r.peakMb} MB)${ours ? `, ≈ ${(total / ours).toFixed(0)}× ours` : ""}.`;
    console.log(line);
    notes.push(line);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

notes.unshift(
  "Same seeded events for both methods (60% uniform, 40% in Gaussian clusters, 10% near repeats, whole days over two years, on a square of 10 km × √(N / 10,000)); bands [0, 100, …, 500) m × [0, 7, …, 35) days.",
  `Ours: knoxTest, median of ${RUNS} runs of ${PERMS} permutations after a warm-up, setup included. R: bench/knox-closepairs.R (dbscan::frNN once, then per replication sample() + lookup table + tabulate()), setup (pairs, bands, observed) + replications, in one Rscript process.`,
  "Observed counts and close pairs checked equal, cell by cell, in the run. The R findInterval column times the kernel written as findInterval(abs(gap)) + tabulate (3 replications, same counts).",
  "Earlier figure (2026-11-24, bench/KNOX_RESULTS.md): NearRepeat's all-pairs method in base R ≈ 3,611 s at 10,000 events (extrapolated from 19 replications), ≈ 800× knoxTest then.",
);
const path = writeResults({
  bench: "knox",
  title: "Knox test, 999 permutations: knoxTest vs the close-pairs method in R",
  command: `npx tsx --conditions=community-safety-source bench/knox.ts --sizes ${SIZES.join(",")} --perms ${PERMS} --runs ${RUNS} --r-perms ${R_PERMS.join(",")}${ALL_PAIRS ? ` --all-pairs ${ALL_PAIRS} --all-pairs-perms ${ALL_PAIRS_PERMS}` : ""}`,
  date: new Date().toISOString(),
  machine: { ...machine, peers: { R: rVersion, dbscan: dbscanVersion } },
  columns: [
    { key: "events", label: "events" },
    { key: "area", label: "area", align: "left" },
    { key: "closePairs", label: "close pairs" },
    { key: "ours", label: "ours (s)", bold: true, digits: 2 },
    { key: "nsPerPair", label: "ns per pair × permutation", digits: 2 },
    { key: "r", label: "R close pairs (s)", digits: 1 },
    { key: "rPerms", label: "R replications" },
    { key: "rFindInterval", label: "R, findInterval kernel (s)", digits: 1 },
    { key: "ratio", label: "R / ours", digits: 1 },
    { key: "counts", label: "counts" },
  ],
  rows,
  notes,
});
console.log(`wrote ${path} (sink ${sink.toFixed(3)})`);
