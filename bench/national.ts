/**
 * National bench: every partnership in England assessed from one read of a seeded national
 * police.uk extract (bench/make-national.ts: real Leicestershire rows resampled across England's
 * 32,844 LSOAs and 317 districts, 36 months).
 *
 *   pnpm build && npx tsx bench/national.ts                     # 18M rows (generates ~4.3 GB once)
 *   npx tsx bench/national.ts --sizes 1.8e6,4.5e6,9e6,18e6      # the scaling table
 *   options: --workers N (assess --workers), --seed S, --runs R (per size; min reported),
 *            --hugepages (the child runs with GLIBC_TUNABLES=glibc.malloc.hugetlb=1: glibc backs its
 *            large allocations, the typed-array columns, with transparent huge pages; Linux with
 *            glibc ≥ 2.35 only; results in bench/results/national-hugepages.json)
 *
 * Each run is the built command, as a user runs it, in a child process:
 *   node packages/cli/dist/bin.js assess --all-areas --police-uk DIR/street
 *        --population DIR/population.csv --out OUT --profile --quiet
 * and its `profile.json` gives rows, bytes, seconds, CPU and peak RSS per phase (the process's
 * VmHWM, its reading threads included; during the reports, each report process's peak added, and
 * the whole process tree's resident set sampled every 100 ms). Results: bench/results/national.json (and the README table).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeNational } from "./make-national.js";
import { machineInfo, writeResults, type BenchResults } from "./lib/results.js";

interface Phase {
  phase: string;
  seconds: number;
  cpuSeconds: number;
  rssBytes: number;
  peakRssBytes: number;
  sampledPeakRssBytes?: number;
}
interface Profile {
  totalSeconds: number;
  slowest: string;
  phases: Phase[];
  rows: number;
  accepted: number;
  tableBytes: number;
  bytesPerIncident: number;
  areas: number;
  workers: number;
  buildSeconds: number;
  writeSeconds: number;
}

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "packages", "cli", "dist", "bin.js");
const args = process.argv.slice(2);
const arg = (name: string) => {
  const k = args.indexOf(name);
  return k >= 0 ? args[k + 1] : undefined;
};
const sizes = (arg("--sizes") ?? arg("--rows") ?? "18e6").split(",").map(Number);
const seed = Number(arg("--seed") ?? 42);
const runs = Number(arg("--runs") ?? 1);
const workers = arg("--workers");
const hugepages = args.includes("--hugepages");
/** The child's environment: this one, with glibc's huge-page tunable added under --hugepages. */
const childEnv = hugepages ? { ...process.env, GLIBC_TUNABLES: [process.env.GLIBC_TUNABLES, "glibc.malloc.hugetlb=1"].filter(Boolean).join(":") } : process.env;
if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`pnpm build\` first`);
if (!sizes.every((n) => Number.isInteger(n) && n > 0)) throw new Error(`sizes must be positive integers, got ${sizes.join(",")}`);

const machine = machineInfo();
const rows: BenchResults["rows"] = [];
const detail: { size: number; run: number; wall: number; profile: Profile }[] = [];
for (const size of sizes) {
  const { dir, manifest } = makeNational(size, { seed, log: (s) => console.error(s) });
  console.error(`national ${size.toLocaleString("en-GB")} rows: ${dir} (${manifest.files} files, ${(manifest.bytes / 1e9).toFixed(2)} GB, ${manifest.districts} districts)`);
  let best: { wall: number; profile: Profile } | null = null;
  for (let r = 0; r < runs; ++r) {
    const out = mkdtempSync(join(tmpdir(), "cs-national-out-"));
    const t0 = performance.now();
    const cmd = ["--max-old-space-size=8192", bin, "assess", "--all-areas", "--police-uk", join(dir, "street"), "--population", join(dir, "population.csv"), "--out", out, "--profile", "--quiet", ...(workers ? ["--workers", workers] : [])];
    const res = spawnSync(process.execPath, cmd, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: childEnv });
    const wall = (performance.now() - t0) / 1000;
    if (res.status !== 0) throw new Error(`assess failed (${res.status}): ${res.stderr}`);
    process.stderr.write(res.stderr);
    const profile = JSON.parse(readFileSync(join(out, "profile.json"), "utf8")) as Profile;
    detail.push({ size, run: r, wall, profile });
    if (!best || wall < best.wall) best = { wall, profile };
    rmSync(out, { recursive: true, force: true });
  }
  const { wall, profile: p } = best!;
  const phase = (prefix: string) => p.phases.find((x) => x.phase.startsWith(prefix));
  const peak = Math.max(...p.phases.map((x) => x.peakRssBytes));
  // The memory held at once: the single process's peak before the reports, then the report
  // phase's sampled peak of all its processes together (the run's peak either way).
  const k = p.phases.findIndex((x) => x.phase.startsWith("Area reports"));
  const before = Math.max(...p.phases.slice(0, k).map((x) => x.peakRssBytes));
  const atOnce = p.phases[k].sampledPeakRssBytes ? Math.max(before, p.phases[k].sampledPeakRssBytes!) : null;
  rows.push({
    rows: p.rows,
    gb: manifest.bytes / 1e9,
    areas: p.areas,
    read: phase("Read")!.seconds,
    partition: phase("Partition")!.seconds,
    reports: phase("Area reports")!.seconds,
    index: phase("Index")!.seconds,
    total: wall,
    peakGb: peak / 2 ** 30,
    atOnceGb: atOnce === null ? null : atOnce / 2 ** 30,
    bytesPerIncident: p.bytesPerIncident,
    rowsPerSecond: p.rows / wall,
    slowest: p.slowest,
  });
  console.error(`  ${wall.toFixed(1)} s wall, peak RSS ${(peak / 2 ** 30).toFixed(2)} GiB (all processes at once: ${atOnce === null ? "not sampled" : `${(atOnce / 2 ** 30).toFixed(2)} GiB`}), ${p.bytesPerIncident.toFixed(1)} B/incident; slowest phase: ${p.slowest}`);
}

const path = writeResults({
  bench: hugepages ? "national-hugepages" : "national",
  title: `Every partnership assessed from one read of a national extract${hugepages ? ", glibc's large allocations on transparent huge pages" : ""}`,
  command: `npx tsx bench/national.ts --sizes ${sizes.join(",")}${workers ? ` --workers ${workers}` : ""}${hugepages ? " --hugepages" : ""}`,
  date: new Date().toISOString(),
  machine,
  columns: [
    { key: "rows", label: "rows" },
    { key: "gb", label: "CSV GB", digits: 2 },
    { key: "areas", label: "areas" },
    { key: "read", label: "read (s)", digits: 1 },
    { key: "partition", label: "partition + county (s)", digits: 1 },
    { key: "reports", label: "area reports (s)", digits: 1 },
    { key: "index", label: "index (s)", digits: 1 },
    { key: "total", label: "total wall (s)", digits: 1, bold: true },
    { key: "peakGb", label: "peak RSS, sum of peaks (GiB)", digits: 2 },
    { key: "atOnceGb", label: "peak RSS, all processes at once (GiB)", digits: 2 },
    { key: "bytesPerIncident", label: "resident B/incident", digits: 1 },
    { key: "rowsPerSecond", label: "rows/s" },
    { key: "slowest", label: "slowest phase" },
  ],
  rows,
  notes: [
    "Input: bench/make-national.ts (seed " + seed + "): real Leicestershire police.uk rows resampled across England's 32,844 LSOAs in proportion to residents, 36 months × 36 pseudo-forces (blocks of 3 × 3 neighbouring districts) = 1,296 plain CSV files, about 240 bytes a row; districts placed on a lattice (their real positions are not in the data), Wales not included.",
    "Each run is the built command in a child process (`assess --all-areas --profile`), one report per district (317) and the index; phases from its profile.json, “sum of peaks” is the profile's peak: the process's VmHWM (its reading threads included), and during the reports its VmHWM (reset as they start) plus each report process's VmHWM, an upper bound, since they need not peak together; “all processes at once” is the largest resident set of the process and its report processes together, sampled every 100 ms during the reports (a spike shorter than that can be missed), or the process's own peak before them if larger; total is the child's wall time including start-up. Files are on the local disk, warm in the page cache after generation.",
    "Crime IDs: an all-areas run reads with ids: false (they find republished crimes, then are let go), so resident B/incident is the table without them; readPoliceUkFiles keeps them by default (≈ 89 B/incident).",
    `Runs per size: ${runs} (the fastest shown).`,
    ...(hugepages ? [`Environment of the run: GLIBC_TUNABLES=${childEnv.GLIBC_TUNABLES} (glibc madvises its heap and large mappings for transparent huge pages; this machine's /sys/kernel/mm/transparent_hugepage/enabled: ${thpSetting()}). The report processes inherit it.`] : []),
  ],
});
console.error(`wrote ${path}`);

/** The kernel's transparent huge page mode ("always [madvise] never": the bracketed one), or "unknown". */
function thpSetting(): string {
  try {
    return /\[(\w+)\]/.exec(readFileSync("/sys/kernel/mm/transparent_hugepage/enabled", "utf8"))?.[1] ?? "unknown";
  } catch {
    return "unknown";
  }
}
void detail;
