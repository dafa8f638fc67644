/**
 * A worker thread of `assess --all-areas`: builds and writes the reports of the areas it is sent
 * (one message per area: the area's rows as a table, its rejected rows), with the run's shared,
 * read-only input (population, county picture, options) given once as `workerData`.
 */
import { parentPort, workerData } from "node:worker_threads";
import { join } from "node:path";
import { buildReport, type ReportInput, type ReportOptions } from "./report/build-report.js";
import { summariseArea, type SummaryContext } from "./report/build-all-areas.js";
import { writeReport } from "./area-report.js";
import type { AreaJob, AreaJobResult, WorkerBase } from "./all-areas.js";

const base = workerData as WorkerBase;
const port = parentPort!;

// Jobs are built one after another, in the order sent (the pool keeps the next one queued here).
let queue: Promise<void> = Promise.resolve();
port.on("message", (job: AreaJob) => {
  queue = queue.then(() => run(job)).then(
    (r) => port.postMessage(r),
    (e: unknown) => {
      const err = e as Error & { code?: string };
      port.postMessage({ folder: job.folder, error: { name: err?.name ?? "Error", message: String(err?.message ?? e), code: err?.code, stack: err?.stack } } satisfies AreaJobResult);
    },
  );
});

async function run(job: AreaJob): Promise<AreaJobResult> {
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
  const t1 = performance.now();
  const files = await writeReport(join(base.out, job.folder), built, { png: base.png, sync: base.sync });
  const summary = summariseArea({ name: job.area, folder: job.folder }, built, job.table, base.summaryContext as SummaryContext);
  return { folder: job.folder, summary, files: files.length, buildSeconds: (t1 - t0) / 1000, writeSeconds: (performance.now() - t1) / 1000 };
}
