/**
 * A report process of `assess --all-areas` (a child process, forked with V8 serialization):
 * builds and writes the reports of the areas it is sent (one message per area: the area's rows
 * as a table, its rejected rows), with the run's shared, read-only input (population, county
 * picture, options) sent once first. Each result carries the process's CPU time and peak
 * resident set so far, for `--profile`. It exits when the parent disconnects.
 */
import { cpuUsage } from "node:process";
import { join } from "node:path";
import { buildReport, type ReportInput, type ReportOptions } from "./report/build-report.js";
import { summariseArea, type SummaryContext } from "./report/build-all-areas.js";
import { writeReport } from "./area-report.js";
import { buildThenWrite } from "./build-then-write.js";
import { removeTemporaryOutputs, removeTemporaryOutputsOnSignals } from "./write-outputs.js";
import type { AreaJob, AreaJobResult, AreaMessage, WorkerBase } from "./all-areas.js";
import { peakRss } from "./profile.js";

if (!process.send) throw new Error("area-worker: run as a child process of assess --all-areas (it needs an IPC channel)");
const send = (r: AreaJobResult): void => {
  process.send!(r);
};
let base: WorkerBase;
process.on("message", (m: AreaMessage) => {
  if (m.kind === "base") base = m.base;
  else enqueue(m.job);
});
// The parent has all it asked for, or has gone (then a report may be half-written: its temporary
// files go): nothing more will come. Ctrl-C reaches this process too, and cleans up the same way.
process.on("disconnect", () => {
  removeTemporaryOutputs();
  process.exit(0);
});
removeTemporaryOutputsOnSignals();

// Jobs are built one after another, in the order sent (the pool keeps the next one queued here),
// and written one after another; a report's files are written and flushed while the next
// report is built.
const push = buildThenWrite(build, write);
function enqueue(job: AreaJob): void {
  push(job).then(
    (r) => send(r),
    (e: unknown) => {
      const err = e as Error & { code?: string };
      send({ folder: job.folder, error: { name: err?.name ?? "Error", message: String(err?.message ?? e), code: err?.code, stack: err?.stack } });
    },
  );
}

interface Built {
  readonly built: Awaited<ReturnType<typeof buildReport>>;
  readonly summary: AreaJobResult["summary"];
  readonly buildSeconds: number;
}

async function build(job: AreaJob): Promise<Built> {
  const t0 = performance.now();
  const input: ReportInput = {
    ...base.input,
    ingest: { table: job.table, summary: base.summary, rejected: job.rejected },
    policeUkRows: job.policeUkRows,
    selected: { table: job.table, ...job.info },
    shared: { countyPictures: base.countyPictures, sourceCounts: base.sourceCounts },
  };
  const options: ReportOptions = { ...base.options, area: job.area, areaName: job.area };
  const built = await buildReport(input, options);
  const summary = summariseArea({ name: job.area, folder: job.folder }, built, job.table, base.summaryContext as SummaryContext);
  return { built, summary, buildSeconds: (performance.now() - t0) / 1000 };
}

async function write(job: AreaJob, b: Built): Promise<AreaJobResult> {
  const t1 = performance.now();
  const files = await writeReport(join(base.out, job.folder), b.built, { png: base.png, sync: base.sync });
  const cpu = cpuUsage();
  return { folder: job.folder, summary: b.summary, files: files.length, buildSeconds: b.buildSeconds, writeSeconds: (performance.now() - t1) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssBytes: peakRss() };
}
