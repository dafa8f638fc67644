/**
 * `assess --profile`: wall time, CPU time and memory of each phase of a run, and the slowest
 * phase named. Memory is the process's resident set (worker threads included): at the end of the
 * phase and the peak so far (Linux VmHWM, else `process.resourceUsage().maxRSS`). A phase run on
 * child processes (the report processes of `--all-areas`) adds their CPU time, and their peaks
 * summed on top of this process's peak during that phase (an upper bound: they need not peak at
 * the same moment).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { cpuUsage, memoryUsage, resourceUsage } from "node:process";

export interface PhaseRecord {
  readonly phase: string;
  readonly seconds: number;
  /** User + system CPU seconds of the process in the phase (worker threads and child processes included): above `seconds` when they ran in parallel. */
  readonly cpuSeconds: number;
  /** Resident set at the phase's end, and the peak of the run so far (bytes; with child processes, this process's peak plus the sum of theirs). */
  readonly rssBytes: number;
  readonly peakRssBytes: number;
  /**
   * For a phase on child processes (Linux): the largest resident set of this process and its
   * children together, sampled every 100 ms during the phase — the memory the run really held at
   * once, where `peakRssBytes` adds peaks that need not coincide.
   */
  readonly sampledPeakRssBytes?: number;
  /** Rows or areas handled in the phase, when it counts some. */
  readonly items?: number;
}

/** A memory field (`VmHWM`, `VmRSS`) of a process's /proc/<pid>/status in bytes, or null where it cannot be read (not Linux, or the process is gone). */
function statusBytes(pid: number | "self", field: "VmHWM" | "VmRSS"): number | null {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Another process's peak resident set so far in bytes (Linux VmHWM), or null where it cannot be read (not Linux, or the process is gone). */
export function processPeakRss(pid: number): number | null {
  return statusBytes(pid, "VmHWM");
}

/** This process's peak resident set in bytes (Linux VmHWM, else `resourceUsage().maxRSS`). */
export function peakRss(): number {
  return statusBytes("self", "VmHWM") ?? resourceUsage().maxRSS * 1024;
}

/**
 * Samples the resident set of this process plus that of the processes `pids()` lists, every
 * `everyMs` ms, until `stop()`, which returns the largest sum seen (0 where /proc cannot be
 * read: not Linux). A spike shorter than the interval can be missed. `peakOf(pid)` (`"self"` for
 * this process) is the largest resident set sampled for one process: a process's own peak is
 * the larger of it and its VmHWM, since VmHWM can fall short of a resident set seen earlier —
 * Linux raises it when memory is unmapped, not when pages are taken back by reclaim (a fresh-clone
 * CI run on this VM once sampled 208 KB more for all processes together than the sum of their
 * VmHWMs).
 */
export function sampleTreeRss(pids: () => readonly (number | undefined)[], everyMs = 100): { stop(): number; peakOf(pid: number | "self"): number } {
  let peak = 0;
  const each = new Map<number | "self", number>();
  const note = (pid: number | "self", bytes: number) => {
    if (bytes > (each.get(pid) ?? 0)) each.set(pid, bytes);
  };
  const tick = () => {
    let sum = statusBytes("self", "VmRSS") ?? 0;
    if (sum === 0) return;
    note("self", sum);
    for (const pid of pids()) {
      if (pid === undefined) continue;
      const bytes = statusBytes(pid, "VmRSS") ?? 0;
      note(pid, bytes);
      sum += bytes;
    }
    peak = Math.max(peak, sum);
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      tick();
      return peak;
    },
    peakOf: (pid) => each.get(pid) ?? 0,
  };
}

export class Profiler {
  readonly phases: PhaseRecord[] = [];
  private start = performance.now();
  private cpu = cpuUsage();
  private readonly t0 = performance.now();
  private peakSoFar = 0;

  /**
   * Starts measuring this process's peak afresh (Linux: VmHWM reset through /proc/self/clear_refs),
   * keeping the peak so far: before a phase on child processes, whose peaks are added to this
   * process's peak during that phase, not to its peak of the whole run. Elsewhere a no-op.
   */
  resetPeak(): void {
    this.peakSoFar = Math.max(this.peakSoFar, peakRss());
    try {
      writeFileSync("/proc/self/clear_refs", "5");
    } catch {
      /* not Linux, or not allowed: the peak stays the whole run's (an upper bound) */
    }
  }

  /**
   * Ends the current phase under `name` (it began where the previous one ended). `children`: the
   * CPU seconds the phase's child processes used, the sum of their peak resident sets and, when
   * sampled ({@link sampleTreeRss}), the largest resident set of the whole process tree and the
   * largest sampled for this process alone.
   */
  end(phase: string, items?: number, children?: { cpuSeconds: number; peakRssBytes: number; sampledPeakRssBytes?: number; sampledSelfPeakBytes?: number }): void {
    const now = performance.now();
    const cpu = cpuUsage(this.cpu);
    // This process's own peak: its VmHWM, or the largest resident set sampled for it if more (see sampleTreeRss).
    const self = Math.max(peakRss(), children?.sampledSelfPeakBytes ?? 0);
    this.peakSoFar = Math.max(this.peakSoFar, self + (children?.peakRssBytes ?? 0));
    this.phases.push({
      phase,
      seconds: (now - this.start) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6 + (children?.cpuSeconds ?? 0),
      rssBytes: memoryUsage.rss(),
      peakRssBytes: this.peakSoFar,
      ...(children?.sampledPeakRssBytes ? { sampledPeakRssBytes: children.sampledPeakRssBytes } : {}),
      ...(items === undefined ? {} : { items }),
    });
    this.start = now;
    this.cpu = cpuUsage();
  }

  /** Seconds since the profiler was made. */
  total(): number {
    return (performance.now() - this.t0) / 1000;
  }

  slowest(): PhaseRecord | null {
    return this.phases.reduce<PhaseRecord | null>((a, p) => (a === null || p.seconds > a.seconds ? p : a), null);
  }

  /** A plain-text table of the phases and the slowest named. */
  report(): string {
    const total = this.total();
    const mb = (b: number) => (b / 2 ** 20).toFixed(0);
    const lines = ["phase                              seconds    cpu s   share   RSS MB  peak MB"];
    for (const p of this.phases) {
      lines.push(`${p.phase.padEnd(33).slice(0, 33)} ${p.seconds.toFixed(2).padStart(8)} ${p.cpuSeconds.toFixed(2).padStart(8)} ${((100 * p.seconds) / total).toFixed(1).padStart(6)}% ${mb(p.rssBytes).padStart(8)} ${mb(p.peakRssBytes).padStart(8)}`);
    }
    lines.push(`${"total".padEnd(33)} ${total.toFixed(2).padStart(8)}`);
    for (const p of this.phases) {
      if (p.sampledPeakRssBytes) lines.push(`${p.phase}: peak of all its processes together ${mb(p.sampledPeakRssBytes)} MB (sampled every 100 ms; the peak column adds each process's own peak, ${mb(p.peakRssBytes)} MB).`);
    }
    const s = this.slowest();
    if (s) lines.push(`Slowest phase: ${s.phase} (${s.seconds.toFixed(2)} s, ${((100 * s.seconds) / total).toFixed(0)}% of the run).`);
    return lines.join("\n");
  }

  toJSON(): { totalSeconds: number; slowest: string | null; phases: PhaseRecord[] } {
    return { totalSeconds: this.total(), slowest: this.slowest()?.phase ?? null, phases: this.phases };
  }
}
