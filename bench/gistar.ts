/**
 * Getis–Ord Gi* benchmark: distanceBandNeighbours (kdbush) + getisOrdGiStar against spdep
 * (dnearneigh + include.self + nb2listw(style = "B") + localG, via bench/gistar-spdep.R) on the
 * same seeded cell counts, in the same run, with the z-scores compared.
 *
 * Grids: square, 100 m cells, side √N for N = 10⁴, 10⁵, 10⁶ cells (100², 316², 1000²); counts
 * Poisson (core's seededRandom, seed 1) with mean 2 plus two Gaussian hot spots; band 150 m
 * (1.5 cells: the queen neighbourhood, 9 cells with the cell itself).
 *
 * Run: npx tsx --conditions=community-safety-source bench/gistar.ts [sizes=10000,100000,1000000] [rReps=3,3,1]
 * Figures go in bench/GISTAR_RESULTS.md.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { seededRandom } from "@community-safety/core";
import { distanceBandNeighbours } from "@community-safety/geo";
import { getisOrdGiStar } from "@community-safety/geo";

const SIZES = (process.argv[2] ?? "10000,100000,1000000").split(",").map(Number);
const R_REPS = (process.argv[3] ?? "3,3,1").split(",").map(Number);
const CELL = 100;
const BAND = 150;
const here = dirname(fileURLToPath(import.meta.url));

/** min and median of ms timings after one warm-up; the sink defeats dead-code elimination. */
function time(label: string, runs: number, fn: () => number): { min: number; median: number } {
  let sink = fn(); // warm-up
  const t: number[] = [];
  for (let r = 0; r < runs; ++r) {
    const t0 = performance.now();
    sink += fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  const out = { min: t[0], median: t[t.length >> 1] };
  console.log(`${label}: min ${out.min.toFixed(1)} ms, median ${out.median.toFixed(1)} ms over ${runs} run(s) (sink ${sink.toFixed(3)})`);
  return out;
}

function grid(n: number) {
  const side = Math.round(Math.sqrt(n));
  const N = side * side;
  const rng = seededRandom(1);
  const x = new Float64Array(N);
  const y = new Float64Array(N);
  const count = new Float64Array(N);
  const L = side * CELL;
  const bumps = [
    { x: 0.3 * L, y: 0.6 * L, s: 0.05 * L, h: 12 },
    { x: 0.7 * L, y: 0.25 * L, s: 0.02 * L, h: 25 },
  ];
  for (let r = 0; r < side; ++r) {
    for (let c = 0; c < side; ++c) {
      const i = r * side + c;
      x[i] = 450000 + (c + 0.5) * CELL;
      y[i] = 300000 + (r + 0.5) * CELL;
      let mean = 2;
      for (const b of bumps) mean += b.h * Math.exp(-(((c + 0.5) * CELL - b.x) ** 2 + ((r + 0.5) * CELL - b.y) ** 2) / (2 * b.s * b.s));
      count[i] = rng.poisson(mean);
    }
  }
  return { x, y, count, side, N };
}

console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; cell ${CELL} m, band ${BAND} m`);
const dir = mkdtempSync(join(tmpdir(), "gistar-bench-"));
const rows: string[] = [];
for (let k = 0; k < SIZES.length; ++k) {
  const { x, y, count, side, N } = grid(SIZES[k]);
  console.log(`\n${side} × ${side} = ${N} cells, ${count.reduce((a, b) => a + b, 0)} incidents`);
  const runs = N >= 1_000_000 ? 5 : N >= 100_000 ? 10 : 20;
  let nb = distanceBandNeighbours(x, y, BAND);
  const tNb = time("distanceBandNeighbours", runs, () => (nb = distanceBandNeighbours(x, y, BAND)).indices.length);
  const tGi = time("getisOrdGiStar (prebuilt neighbours)", runs, () => getisOrdGiStar(count, nb).z[N >> 1]);
  let ours = getisOrdGiStar(count, { x, y, distance: BAND });
  const tAll = time("getisOrdGiStar({ x, y, distance }) (neighbours + Gi*)", runs, () => (ours = getisOrdGiStar(count, { x, y, distance: BAND })).z[N >> 1]);

  let csv = "x,y,count\n";
  for (let i = 0; i < N; ++i) csv += `${x[i]},${y[i]},${count[i]}\n`;
  const cells = join(dir, `cells_${N}.csv`);
  writeFileSync(cells, csv);
  const reps = R_REPS[k] ?? 1;
  const zPath = join(dir, `z_${N}.csv`);
  const tPath = join(dir, `timing_${N}.json`);
  const wall0 = performance.now();
  execFileSync("Rscript", [join(here, "gistar-spdep.R"), cells, String(BAND), String(reps), zPath, tPath], { stdio: "inherit" });
  const wall = (performance.now() - wall0) / 1000;
  const rt = JSON.parse(readFileSync(tPath, "utf8"));
  const totals = [...(rt.total as number[])].sort((a, b) => a - b);
  const rMin = totals[0] * 1000;
  const rMedian = totals[totals.length >> 1] * 1000;
  const zR = readFileSync(zPath, "utf8").trim().split("\n").slice(1).map(Number);
  let maxDiff = 0;
  for (let i = 0; i < N; ++i) maxDiff = Math.max(maxDiff, Math.abs(ours.z[i] - zR[i]));
  console.log(
    `spdep ${rt.spdep} (R ${rt.R}, dbscan ${rt.dbscan}): min ${rMin.toFixed(0)} ms, median ${rMedian.toFixed(0)} ms over ${rt.reps} rep(s) ` +
      `[last: dnearneigh ${rt.phases_last.dnearneigh}s, nb2listw ${rt.phases_last.nb2listw}s, localG ${rt.phases_last.localG}s]; Rscript wall ${wall.toFixed(1)} s`,
  );
  console.log(`max |z_ours − z_spdep| = ${maxDiff.toExponential(2)}; speed-up (median, neighbours + Gi*) ${(rMedian / tAll.median).toFixed(0)}×`);
  rows.push(
    `| ${N.toLocaleString("en-GB")} | ${tNb.median.toFixed(1)} | ${tGi.median.toFixed(1)} | **${tAll.median.toFixed(1)}** (min ${tAll.min.toFixed(1)}) | ` +
      `${rMedian.toFixed(0)} (min ${rMin.toFixed(0)}; ${rt.reps} rep) | ${rt.phases_last.dnearneigh} / ${rt.phases_last.nb2listw} / ${rt.phases_last.localG} | ` +
      `**${(rMedian / tAll.median).toFixed(0)}×** | ${maxDiff.toExponential(1)} |`,
  );
}
rmSync(dir, { recursive: true, force: true });
console.log("\n| cells | ours: neighbours (ms) | ours: Gi* (ms) | ours: total (ms) | spdep total (ms) | spdep phases, s (dnearneigh / nb2listw / localG) | speed-up | max abs z diff |");
console.log("|---:|---:|---:|---:|---:|---|---:|---:|");
for (const r of rows) console.log(r);
