/**
 * A worker thread of `readPoliceUkFiles` (Node-only; started by `police-uk-workers.ts`, never
 * imported). It reads the files it is given one at a time with one {@link PoliceUkReader} —
 * whose dictionaries and look-up caches carry over from file to file — and posts each file's
 * rows as {@link PoliceUkPart}s (typed arrays transferred, not copied): a big file in slices of
 * about {@link PART_ROWS} rows, so memory stays bounded whatever the file's size. A part costs its
 * rows in credit; the main thread returns them once the part is appended, so at most
 * {@link CREDIT_ROWS} rows per worker wait in memory (a part is posted when any credit is left).
 * While at least two files per worker remain, the main thread keeps one file queued beside the
 * one being read (see `readPoliceUkFilesOnWorkers`), so a worker does not wait for its next file.
 * @internal
 */
import { basename } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { InputError } from "./errors.js";
import { inFile, textChunks } from "./node-files.js";
import { PoliceUkReader, type PoliceUkOptions, type PoliceUkPart } from "./police-uk.js";

/** Rows in a slice of a big file. */
export const PART_ROWS = 1 << 17;
/**
 * Rows a worker may have posted and not yet seen appended: three big-file slices, or many small
 * files' parts — a worker ahead of the file being appended (the other worker's, which may be
 * longer) goes on with its next files rather than waiting for it.
 */
export const CREDIT_ROWS = 3 * PART_ROWS;

/** Messages from the main thread. */
export type ToWorker = { type: "file"; index: number; path: string } | { type: "credit"; rows: number } | { type: "done" };
/** Messages to the main thread. */
export type FromWorker =
  | { type: "part"; index: number; part: PoliceUkPart }
  | { type: "bytes"; index: number; bytes: number }
  | { type: "error"; index: number; error: { name: string; code?: string; message: string; stack?: string } }
  | { type: "ready"; first: boolean };

const port = parentPort;
if (port) {
  const options = (workerData as { options: PoliceUkOptions }).options;
  let reader: PoliceUkReader | null = null;
  let credits = CREDIT_ROWS;
  let wake: (() => void) | null = null;
  const tasks: { index: number; path: string }[] = [];
  let taskWaiter: (() => void) | null = null;
  let done = false;

  const transfer = (p: PoliceUkPart): ArrayBuffer[] => {
    const list = [p.start, p.end, p.x, p.y, p.lon, p.lat, p.idBytes, p.idOffsets, p.line, p.row, p.noteBits, ...Object.values(p.codes)];
    return list.map((a) => a.buffer as ArrayBuffer);
  };
  const post = async (index: number, last: boolean): Promise<void> => {
    while (credits <= 0) await new Promise<void>((resolve) => (wake = resolve));
    const part = reader!.takePart(last);
    credits -= Math.max(1, part.length);
    const message: FromWorker = { type: "part", index, part };
    port.postMessage(message, transfer(part));
  };

  const readFile = async (index: number, path: string): Promise<void> => {
    reader ??= new PoliceUkReader(options);
    reader.beginFile(basename(path));
    let bytes = 0;
    for await (const chunk of textChunks("readPoliceUkFiles", path, (n) => (bytes += n))) {
      reader.push(chunk);
      if (bytes > 0) {
        port.postMessage({ type: "bytes", index, bytes } satisfies FromWorker);
        bytes = 0;
      }
      if (reader.pendingRows() >= PART_ROWS) await post(index, false);
    }
    if (bytes > 0) port.postMessage({ type: "bytes", index, bytes } satisfies FromWorker);
    reader.endFile();
    await post(index, true);
  };

  port.on("message", (m: ToWorker) => {
    if (m.type === "credit") {
      credits += m.rows;
      wake?.();
      wake = null;
    } else if (m.type === "file") {
      tasks.push(m);
      taskWaiter?.();
      taskWaiter = null;
    } else {
      done = true;
      taskWaiter?.();
      taskWaiter = null;
    }
  });

  const main = async (): Promise<void> => {
    port.postMessage({ type: "ready", first: true } satisfies FromWorker);
    for (;;) {
      while (tasks.length === 0 && !done) await new Promise<void>((resolve) => (taskWaiter = resolve));
      const task = tasks.shift();
      if (!task) break;
      try {
        await readFile(task.index, task.path);
      } catch (caught) {
        const e = inFile(caught, task.path);
        const err = e as Error & { code?: string };
        const error = { name: err?.name ?? "Error", code: e instanceof InputError ? e.code : typeof err?.code === "string" ? err.code : undefined, message: String(err?.message ?? e), stack: err?.stack };
        port.postMessage({ type: "error", index: task.index, error } satisfies FromWorker);
        break; // the main thread stops every worker at the first error it reaches
      }
      port.postMessage({ type: "ready", first: false } satisfies FromWorker);
    }
    port.close();
  };
  void main();
}
