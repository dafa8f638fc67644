/**
 * `readPoliceUkFiles` on worker threads (Node-only; reached from `node.ts`). Each worker reads
 * whole files with its own reader and posts their rows as parts; this thread appends the parts
 * to one reader in file-name order, re-mapping dictionary codes, and finishes it — so the result
 * is the one a single reader gives (see `PoliceUkReader.appendPart`).
 *
 * The worker's file: next to this module, `ingest-worker.js` in the built package (`dist/`).
 * Run from the TypeScript sources (this module's URL ends in `.ts`: tsx or vitest with the
 * `community-safety-source` condition), the worker is `ingest-worker.ts`, started through an
 * inline module that first registers tsx's loader (`tsx/esm/api`, resolved from this package:
 * the workspace root has it), since worker threads do not inherit tsx's hooks.
 * @internal
 */
import { createRequire } from "node:module";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { InputError, type InputErrorCode } from "./errors.js";
import type { IngestResult } from "./ingest-result.js";
import type { FromWorker, ToWorker } from "./ingest-worker.js";
import { PoliceUkReader, type PoliceUkOptions, type PoliceUkPart } from "./police-uk.js";

/** Progress of a long read (as `ProgressHandler` in `node.ts`). */
type Progress = (info: { file: string; filesDone: number; files: number; bytes: number }) => void;

function startWorker(options: PoliceUkOptions): Worker {
  const here = import.meta.url;
  // Workers inherit the process's flags, except --input-type (a script given with -e), which a
  // worker started from a file refuses; the list is only given then (a given list must hold no
  // process-wide flag such as --max-old-space-size, which inheriting skips silently).
  const execArgv = process.execArgv.some((a) => a.startsWith("--input-type")) ? process.execArgv.filter((a) => !a.startsWith("--input-type")) : undefined;
  const workerData = { options };
  if (!here.endsWith(".ts")) return new Worker(new URL("./ingest-worker.js", here), { workerData, execArgv });
  const target = new URL("./ingest-worker.ts", here).href;
  const api = pathToFileURL(createRequire(here).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`;
  return new Worker(code, { eval: true, workerData, execArgv });
}

/** The error a worker reported, as the same class and code as reading in this thread throws. */
function reviveError(e: { name: string; code?: string; message: string; stack?: string }): Error {
  if (e.name === "InputError" && e.code) return new InputError(e.code as InputErrorCode, e.message);
  const err = new Error(e.message) as Error & { code?: string };
  err.name = e.name;
  if (e.code) err.code = e.code;
  return err;
}

/**
 * Reads `files` (already listed and sorted) with `workers` threads into `reader`, which must be
 * fresh, and returns `reader.finish()`.
 */
export function readPoliceUkFilesOnWorkers(reader: PoliceUkReader, files: readonly string[], options: PoliceUkOptions, workers: number, onProgress?: Progress): Promise<IngestResult> {
  const { zone, dedupe, bounds, maxDistanceKm } = options;
  const workerOptions: PoliceUkOptions = { zone, dedupe, bounds, maxDistanceKm };
  return new Promise<IngestResult>((resolve, reject) => {
    const pool: Worker[] = [];
    // Per file: parts waiting to be appended, whether its last part came, or its error.
    const parts: { sender: number; part: PoliceUkPart }[][] = files.map(() => []);
    const ended = new Uint8Array(files.length);
    const errors = new Map<number, Error>();
    let front = 0; // the file being appended
    let dispatched = 0;
    let bytes = 0;
    let settled = false;
    // Files given to each worker and not yet finished, and which workers have started.
    const queued = new Array<number>(workers).fill(0);
    const started = new Uint8Array(workers);
    let startedCount = 0;
    // Gives files to the least-loaded started workers: one each, and once every worker has
    // started, a second one queued behind it — so a worker never waits for its next file while
    // the main thread is busy appending — but only while at least two files per worker remain:
    // near the end a queued file could wait behind a long one while another worker has none.
    const feed = () => {
      while (dispatched < files.length) {
        const limit = startedCount === workers && files.length - dispatched >= 2 * workers ? 2 : 1;
        let best = -1;
        for (let k = 0; k < workers; ++k) if (started[k] && queued[k] < limit && (best < 0 || queued[k] < queued[best])) best = k;
        if (best < 0) return;
        pool[best].postMessage({ type: "file", index: dispatched, path: files[dispatched] } satisfies ToWorker);
        queued[best] += 1;
        dispatched += 1;
      }
    };

    const stop = (error: unknown) => {
      if (settled) return;
      settled = true;
      for (const w of pool) void w.terminate();
      reject(error);
    };
    const appendReady = () => {
      try {
        while (front < files.length) {
          const queue = parts[front];
          while (queue.length > 0) {
            const { sender, part } = queue.shift()!;
            reader.appendPart(sender, part);
            pool[sender].postMessage({ type: "credit", rows: Math.max(1, part.length) } satisfies ToWorker);
          }
          const error = errors.get(front);
          if (error) return stop(error);
          if (!ended[front]) return;
          front += 1;
        }
        settled = true;
        for (const w of pool) w.postMessage({ type: "done" } satisfies ToWorker);
        for (const w of pool) void w.terminate();
        resolve(reader.finish());
      } catch (e) {
        stop(e);
      }
    };

    for (let k = 0; k < workers; ++k) {
      const w = startWorker(workerOptions);
      pool.push(w);
      w.on("message", (m: FromWorker) => {
        if (settled) return;
        if (m.type === "ready") {
          if (m.first) {
            started[k] = 1;
            startedCount += 1;
          } else queued[k] -= 1;
          feed();
          // No file left to give: this worker ends once its queue is read (it says "ready" after each file).
          if (dispatched >= files.length) w.postMessage({ type: "done" } satisfies ToWorker);
        } else if (m.type === "bytes") {
          bytes += m.bytes;
          onProgress?.({ file: basename(files[m.index]), filesDone: front, files: files.length, bytes });
        } else if (m.type === "part") {
          parts[m.index].push({ sender: k, part: m.part });
          if (m.part.last) ended[m.index] = 1;
          if (m.index === front) appendReady();
        } else if (m.type === "error") {
          errors.set(m.index, reviveError(m.error));
          if (m.index === front) appendReady();
        }
      });
      w.on("error", (e) => stop(e));
      w.on("exit", (code) => {
        if (!settled && code !== 0) stop(new Error(`readPoliceUkFiles: a worker thread stopped with exit code ${code}`));
      });
    }
  });
}
