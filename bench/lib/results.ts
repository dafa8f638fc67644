/**
 * Machine-readable benchmark results: every bench script writes `bench/results/<bench>.json`
 * with this shape, and `bench/render-readme.ts` turns each file into the README table between
 * `<!-- bench:<bench> -->` and `<!-- /bench:<bench> -->`. test/bench/readme-tables.test.ts
 * fails when the README and the JSON disagree, so nobody edits the table by hand.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem, platform, release } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface BenchColumn {
  /** Key into each row. */
  key: string;
  /** Column heading in the README (units in brackets: "ours (s)"). */
  label: string;
  /** Decimal places for numbers (default: 3 significant digits below 100, whole numbers above). */
  digits?: number;
  /** Right-align (default for numbers). */
  align?: "left" | "right";
  /** Print in bold (our method's headline column). */
  bold?: boolean;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memGiB: number;
  node: string;
  os: string;
  /** 1-minute load average when the run started and ended: other jobs on a shared VM. */
  loadStart: number;
  loadEnd?: number;
  /** Peer software versions measured in the run, e.g. { R: "4.2.2", spatstat: "3.0-6" }. */
  peers?: Record<string, string>;
}

export interface BenchResults {
  bench: string;
  title: string;
  /** The one command that re-runs this and rewrites the file. */
  command: string;
  /** ISO date-time of the run (UTC). */
  date: string;
  machine: MachineInfo;
  columns: BenchColumn[];
  rows: Record<string, string | number | null>[];
  /** Sentences printed under the table (method, checks, caveats). */
  notes?: string[];
}

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "results");

export function machineInfo(peers?: Record<string, string>): MachineInfo {
  const c = cpus();
  return {
    cpus: c.length,
    cpuModel: (c[0]?.model ?? "unknown").trim(),
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${platform()} ${release()}`,
    loadStart: Math.round(loadavg()[0] * 100) / 100,
    ...(peers ? { peers } : {}),
  };
}

/** Writes `bench/results/<bench>.json` atomically (load at the end filled in). */
export function writeResults(r: BenchResults): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const out = { ...r, machine: { ...r.machine, loadEnd: r.machine.loadEnd ?? Math.round(loadavg()[0] * 100) / 100 } };
  const path = join(RESULTS_DIR, `${r.bench}.json`);
  writeFileSync(path + ".tmp", JSON.stringify(out, null, 2) + "\n");
  renameSync(path + ".tmp", path);
  return path;
}

export function readResults(bench: string): BenchResults {
  return JSON.parse(readFileSync(join(RESULTS_DIR, `${bench}.json`), "utf8")) as BenchResults;
}

/** Peak resident set size of this process so far, bytes (Linux VmHWM; process.resourceUsage elsewhere). */
export function peakRssBytes(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    if (m) return Number(m[1]) * 1024;
  } catch {
    /* not Linux */
  }
  return process.resourceUsage().maxRSS * 1024;
}

/** Resets the peak RSS counter (Linux only; returns false elsewhere). */
export function resetPeakRss(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}
