/**
 * Synthetic borough benchmark: how long `syntheticBorough()` takes to generate its table,
 * streets, populations, boundaries and truths (moved here from test/core/synthetic-borough.test.ts,
 * which no longer asserts a time: timings belong in bench/, not in tests).
 *
 *   npx tsx --conditions=community-safety-source bench/synthetic-borough.ts
 *   npx tsx --conditions=community-safety-source bench/synthetic-borough.ts --runs 9 --seed 99 --scales 15000,150000
 *   options: --runs N (timed runs per scale, default 7), --seed S (default 99, as the test's
 *            row-count check), --scales a,b,… (expected police crimes + ASB in the first year;
 *            default 15000 (the default borough, ~48,000 rows) and 150000 (~480,000 rows))
 *
 * Methodology: seeded (the same seed for every run, so every run makes byte-identical tables);
 * one untimed warm-up call per scale; then `runs` timed calls; min and median reported, with
 * rows per second at the median. A sink (the sum of row counts and of the first x) keeps every
 * result observable. There is no peer: no other library generates this data set. SYNTHETIC_BOROUGH.md
 * quotes "roughly 0.3–0.6 s" for the default borough; update it from this script's output.
 */
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { syntheticBorough } from "@community-safety/core";

const argv = process.argv.slice(2);
const value = (name: string, dflt: string) => {
  const k = argv.indexOf(name);
  return k >= 0 ? argv[k + 1] : dflt;
};
const RUNS = Number(value("--runs", "7"));
const SEED = Number(value("--seed", "99"));
const SCALES = value("--scales", "15000,150000").split(",").map(Number);
if (!(Number.isInteger(RUNS) && RUNS > 0)) throw new Error(`--runs must be a positive integer, got ${RUNS}`);
if (!SCALES.every((s) => s > 0)) throw new Error(`--scales must be positive numbers, got ${SCALES}`);

let sink = 0;
const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

console.log(`syntheticBorough: seed ${SEED}, ${RUNS} timed runs per scale after one warm-up; Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "?"}`);
console.log("| scale | rows | median s | min s | rows/s (median) |");
console.log("|---:|---:|---:|---:|---:|");
for (const scale of SCALES) {
  const warm = syntheticBorough({ seed: SEED, scale });
  sink += warm.table.length;
  const times: number[] = [];
  let rows = 0;
  for (let r = 0; r < RUNS; ++r) {
    const t0 = performance.now();
    const b = syntheticBorough({ seed: SEED, scale });
    times.push((performance.now() - t0) / 1000);
    rows = b.table.length;
    sink += rows + b.table.x[0];
  }
  const med = median(times);
  console.log(`| ${scale.toLocaleString("en-GB")} | ${rows.toLocaleString("en-GB")} | ${med.toFixed(3)} | ${Math.min(...times).toFixed(3)} | ${Math.round(rows / med).toLocaleString("en-GB")} |`);
}
console.log(`(sink ${sink})`);
