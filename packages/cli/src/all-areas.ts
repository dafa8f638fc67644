/**
 * `assess --all-areas` in Node: every partnership's report from one read. The input is partitioned
 * once (core's `partitionRows`), the county picture computed once, then the areas' reports are
 * built and written on a pool of child processes (one per core by default), each sent only its
 * area's rows; this process then writes the index page. Memory stays bounded: the whole table
 * once, plus per report process one area's rows and report in flight and the next area's rows
 * queued.
 *
 * Processes, not worker threads: on the 2-core machine of the national bench, two report threads
 * in one process built 317 reports only 8% faster than one thread (212 CPU-seconds against 155:
 * the threads of one process slow each other down — V8's shared platform threads and the
 * process's one address space, whose page faults and unmaps serialise), while two processes
 * built them 1.46× faster than one.
 */
import { fork, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError, type IncidentTable, type IngestSummary, type Rejection } from "@community-safety/core";
import { buildReport, type ReportInput, type ReportOptions } from "./report/build-report.js";
import { allAreasIndex, areaReportInput, prepareAllAreas, summariseArea, type AllAreasContext, type AreaPlan, type AreaSummary, type SummaryContext } from "./report/build-all-areas.js";
import type { AreaFilterInfo } from "./sections/data-quality.js";
import { areaLayerCounts } from "./sections/hotspot-maps.js";
import type { CountyPictureCache } from "./sections/levels-section.js";
import { writeReport } from "./area-report.js";
import { buildThenWrite } from "./build-then-write.js";
import { csvText, writeOutputs } from "./write-outputs.js";
import { processPeakRss, sampleTreeRss, type Profiler } from "./profile.js";
import type { Progress } from "./progress.js";

/** The run's shared input, sent once to each worker. */
export interface WorkerBase {
  readonly input: Omit<ReportInput, "ingest" | "selected" | "shared" | "policeUkRows">;
  readonly summary: IngestSummary;
  readonly options: ReportOptions;
  readonly countyPictures: CountyPictureCache;
  readonly sourceCounts: Map<string, Float64Array>;
  readonly summaryContext: SummaryContext;
  readonly out: string;
  readonly png: boolean;
  readonly sync: boolean;
}

/** One area for a worker. */
export interface AreaJob {
  readonly area: string;
  readonly folder: string;
  readonly table: IncidentTable;
  readonly rejected: Rejection[];
  readonly policeUkRows: number;
  readonly info: AreaFilterInfo;
}

/** A message to a report process: the run's shared input (first, once), then one per area. */
export type AreaMessage = { readonly kind: "base"; readonly base: WorkerBase } | { readonly kind: "job"; readonly job: AreaJob };

export interface AreaJobResult {
  readonly folder: string;
  readonly summary?: AreaSummary;
  readonly files?: number;
  readonly buildSeconds?: number;
  readonly writeSeconds?: number;
  /** The report process's CPU seconds and peak resident set (bytes) so far. */
  readonly cpuSeconds?: number;
  readonly peakRssBytes?: number;
  readonly error?: { name: string; message: string; code?: string; stack?: string };
}

export interface AllAreasRunOptions {
  readonly out: string;
  readonly report: Omit<ReportOptions, "area" | "areaName" | "onStep">;
  readonly title?: string;
  /** Report processes for the areas' reports. Default: one per core (`os.availableParallelism()`), at most the number of areas; 1 builds them in this process. */
  readonly workers?: number;
  readonly png?: boolean;
  readonly progress: Progress;
  readonly profiler?: Profiler;
}

export interface AllAreasRunResult {
  readonly index: string;
  readonly areas: AreaSummary[];
  readonly workers: number;
  /** Seconds building and writing reports, summed over areas (more than the wall time with several workers). */
  readonly buildSeconds: number;
  readonly writeSeconds: number;
}

/** Builds and writes every area's report and the index (see the module's comment). */
export async function runAllAreas(input: ReportInput, options: AllAreasRunOptions): Promise<AllAreasRunResult> {
  const { progress, profiler, out } = options;
  const ctx: AllAreasContext = prepareAllAreas(input, { fyStartMonth: options.report.fyStartMonth });
  // The areas layer's whole-input counts for the headline period, once (each map's "which wards are the area's").
  if (input.areas && ctx.latest) ctx.shared.sourceCounts.set(ctx.latest.key, areaLayerCounts(input.ingest.table, ctx.latest, input.areas));
  const areas = ctx.plan.areas;
  profiler?.end("Partition and county picture", areas.length);
  progress.step(`${areas.length} partnership areas: ${areas.slice(0, 6).map((a) => a.name).join(", ")}${areas.length > 6 ? ", …" : ""}`);
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), areas.length));
  const summaries: AreaSummary[] = new Array(areas.length);
  let buildSeconds = 0;
  let writeSeconds = 0;
  let done = 0;
  const tick = (a: AreaPlan) => progress.step(`  [${++done}/${areas.length}] ${a.name}`);
  const sync = true;
  let childStats: { cpuSeconds: number; peakRssBytes: number; sampledPeakRssBytes: number; sampledSelfPeakBytes: number } | undefined;
  if (workers === 1) {
    // An area's files are written and flushed while the next area's report is built.
    const push = buildThenWrite(
      async (k: number) => {
        const t0 = performance.now();
        const areaInput = areaReportInput(input, ctx, areas[k]);
        const built = await buildReport(areaInput, { ...options.report, area: areas[k].name, areaName: areas[k].name });
        buildSeconds += (performance.now() - t0) / 1000;
        summaries[k] = summariseArea(areas[k], built, areaInput.selected!.table, ctx);
        return built;
      },
      async (k: number, built) => {
        const t1 = performance.now();
        await writeReport(join(out, areas[k].folder), built, { png: options.png, sync });
        writeSeconds += (performance.now() - t1) / 1000;
        tick(areas[k]);
      },
    );
    await Promise.all(areas.map((_, k) => push(k)));
  } else {
    const { ingest, selected: _s, shared: _sh, policeUkRows: _p, ...rest } = input;
    const base: WorkerBase = {
      input: rest,
      summary: ingest.summary,
      options: { ...options.report },
      countyPictures: ctx.shared.countyPictures,
      sourceCounts: ctx.shared.sourceCounts,
      summaryContext: { latest: ctx.latest, previous: ctx.previous, crimes: ctx.crimes, fyStartMonth: ctx.fyStartMonth },
      out,
      png: Boolean(options.png),
      sync,
    };
    // From the built package the report process runs area-worker.js; run from sources (tsx,
    // vitest) it is the .ts file, and the process needs tsx's loader (area-worker-tsx.mjs).
    const fromSource = import.meta.url.endsWith(".ts");
    const entry = fileURLToPath(new URL(fromSource ? "./area-worker-tsx.mjs" : "./area-worker.js", import.meta.url));
    const execArgv = [...(fromSource ? ["--conditions=community-safety-source"] : []), ...heapFlags()];
    profiler?.resetPeak();
    const pool: (ChildProcess & { jobs: number[]; cpu: number; peak: number })[] = Array.from({ length: workers }, () =>
      Object.assign(fork(entry, [], { serialization: "advanced", execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] }), { jobs: [] as number[], cpu: 0, peak: 0 }),
    );
    let sampledPeak = 0;
    const sampler = sampleTreeRss(() => pool.map((w) => (w.exitCode === null ? w.pid : undefined)));
    try {
      await new Promise<void>((resolve, reject) => {
        let next = 0;
        let running = 0;
        let failed = false;
        const fail = (e: unknown) => {
          if (failed) return;
          failed = true;
          reject(e);
        };
        const send = (w: (typeof pool)[number]) => {
          if (failed) return;
          if (next >= areas.length) {
            if (running === 0) resolve();
            return;
          }
          const k = next++;
          const job = areaReportInput(input, ctx, areas[k]);
          const sel = job.selected!;
          const msg: AreaMessage = { kind: "job", job: { area: areas[k].name, folder: areas[k].folder, table: sel.table, rejected: job.ingest.rejected as Rejection[], policeUkRows: job.policeUkRows ?? 0, info: { description: sel.description, inArea: sel.inArea, outside: sel.outside, noLocation: sel.noLocation } } };
          running += 1;
          w.jobs.push(k);
          w.send(msg);
        };
        for (const w of pool) {
          w.on("message", (r: AreaJobResult) => {
            running -= 1;
            const k = w.jobs.shift()!;
            w.cpu = r.cpuSeconds ?? w.cpu;
            w.peak = Math.max(w.peak, r.peakRssBytes ?? 0);
            if (r.error) {
              fail(r.error.code ? new InputError(r.error.code as never, r.error.message) : Object.assign(new Error(`${areas[k].name}: ${r.error.message}`), { stack: r.error.stack }));
              return;
            }
            summaries[k] = r.summary!;
            buildSeconds += r.buildSeconds ?? 0;
            writeSeconds += r.writeSeconds ?? 0;
            tick(areas[k]);
            send(w);
          });
          w.on("error", fail);
          w.on("exit", (code, signal) => {
            if (w.jobs.length) fail(new Error(`assess --all-areas: a report process stopped (${signal ?? `exit code ${code}`}) while building ${areas[w.jobs[0]].name}`));
          });
          w.send({ kind: "base", base } satisfies AreaMessage);
          // Two areas in flight per process: the next one's rows are picked out and sent while
          // the process builds the current one, so it never waits for this one.
          send(w);
          send(w);
        }
      });
    } finally {
      sampledPeak = sampler.stop();
      // Each process's peak as it is now, idle: its last result's peak was read before that result
      // was sent, and sending it can add a few MB; so the sum of peaks bounds every sampled sum.
      // … and never below the largest resident set sampled for it (its VmHWM can be: see sampleTreeRss).
      for (const w of pool) if (w.pid !== undefined) w.peak = Math.max(w.peak, processPeakRss(w.pid) ?? 0, sampler.peakOf(w.pid));
      await Promise.all(
        pool.map(
          (w) =>
            new Promise<void>((done) => {
              if (w.exitCode !== null || w.signalCode !== null) return done();
              w.once("exit", () => done());
              // Disconnecting ends a process with nothing left to do; one still busy (a failed run) is stopped.
              if (w.jobs.length) w.kill();
              else if (w.connected) w.disconnect();
              else w.kill();
            }),
        ),
      );
    }
    childStats = { cpuSeconds: pool.reduce((a, w) => a + w.cpu, 0), peakRssBytes: pool.reduce((a, w) => a + w.peak, 0), sampledPeakRssBytes: sampledPeak, sampledSelfPeakBytes: sampler.peakOf("self") };
  }
  profiler?.end(`Area reports (${workers === 1 ? "1 process" : `${workers} processes`})`, areas.length, childStats);
  const index = await allAreasIndex(input, ctx, summaries, { public: options.report.public, title: options.title, seconds: profiler?.total() });
  await writeOutputs(out, [...index.files.map((f) => ({ name: f.name, text: () => f.text ?? csvText(f, input.ingest.table.crs) })), { name: "index.html", text: () => index.html }]);
  profiler?.end("Index page");
  return { index: join(out, "index.html"), areas: summaries, workers, buildSeconds, writeSeconds };
}

/** Each report process's young-generation semi-space (MB) when the command gives none: twice V8's 16. */
export const REPORT_SEMI_SPACE_MB = 32;

/**
 * The report processes' V8 heap flags: this process's `--max-old-space-size=…` and
 * `--max-semi-space-size=…`, the last of each from its flags or NODE_OPTIONS; with no
 * semi-space flag, {@link REPORT_SEMI_SPACE_MB}. A larger young generation is a trade of memory
 * for time: a report allocates many short-lived objects (Vega's scenegraph, strings, GeoJSON),
 * and with 32 MB semi-spaces the reports of a 1.8M-row national run took 84.4 and 91.5 s against
 * 99.2 and 93.9 s with V8's 16 MB (2 processes, runs alternated, 2026-12-06; 94–99 against
 * 109–114 s the day before) for 90–140 MB more at the peak of all processes. That used to pass
 * the 3 GB goal at 18M rows; since an all-areas run keeps no Crime IDs (576 MB) it does not.
 * `node --max-semi-space-size=16 …` gives V8's default back.
 */
export function reportHeapFlags(flags: readonly string[]): string[] {
  const last = (re: RegExp) => flags.filter((f) => re.test(f)).at(-1);
  return [last(/^--max-old-space-size=/), last(/^--max-semi-space-size=/) ?? `--max-semi-space-size=${REPORT_SEMI_SPACE_MB}`].filter((f): f is string => f !== undefined);
}

function heapFlags(): string[] {
  return reportHeapFlags([...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)]);
}
