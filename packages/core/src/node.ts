/**
 * Node-only entry point (`@community-safety/core/node`): reading files, folders and gzip.
 * Everything else in the package runs in a browser too.
 */
import { readdir, stat, readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join, basename } from "node:path";
import { gunzipSync } from "node:zlib";
import { InputError, describeValue, invalidOption } from "./errors.js";
import type { IngestResult } from "./ingest-result.js";
import { fileError, inFile, textBytes, textChunks } from "./node-files.js";
import { PoliceUkReader, type PoliceUkOptions, type PoliceUkStorageStats } from "./police-uk.js";
import { readPoliceUkFilesOnWorkers } from "./police-uk-workers.js";
import { DelimitedReader, type ReadDelimitedOptions } from "./read-delimited.js";

/** Progress of a long read: bytes of input consumed so far (compressed bytes for .gz). */
export type ProgressHandler = (info: { file: string; filesDone: number; files: number; bytes: number }) => void;

/** Expands files and folders into a sorted list of `.csv`, `.csv.gz`, `.tab`, `.txt` files (folders non-recursively). */
export async function listDataFiles(paths: string | readonly string[], pattern = /\.(csv|tsv|tab|txt)(\.gz)?$/i): Promise<string[]> {
  const list = typeof paths === "string" ? [paths] : paths;
  const out: string[] = [];
  for (const p of list) {
    let s;
    try {
      s = await stat(p);
    } catch {
      throw new InputError("invalid-input", `listDataFiles: path ${describeValue(p)} does not exist`);
    }
    if (s.isDirectory()) {
      // Entries that are folders (a folder named "x.csv") are not data files: skipped.
      const entries = (await readdir(p, { withFileTypes: true })).filter((e) => !e.isDirectory() && pattern.test(e.name));
      for (const n of entries.map((e) => e.name).sort()) out.push(join(p, n));
    } else out.push(p);
  }
  return out;
}

/**
 * Streams a text file (gunzipping `.gz`) in chunks of decoded UTF-8.
 * @throws InputError `invalid-input` naming the path for a folder, a missing file, or a
 * corrupt or truncated `.gz`.
 */
export function readTextChunks(path: string, onBytes?: (bytes: number) => void): AsyncGenerator<string> {
  return textChunks("readTextChunks", path, onBytes);
}

/**
 * Reads a whole text file (gunzipping `.gz`) as a string.
 * @throws InputError `invalid-input` naming the path for a folder, a missing file, or a
 * corrupt or truncated `.gz`.
 */
export async function readTextFile(path: string): Promise<string> {
  try {
    const buf = await readFile(path);
    return new TextDecoder("utf-8").decode(path.endsWith(".gz") ? gunzipSync(buf) : buf);
  } catch (e) {
    throw fileError("readTextFile", path, e);
  }
}

/** A streaming reader: files one after another, text in chunks, then the result. */
interface StreamingReader {
  beginFile(name: string): void;
  push(chunk: string): void;
  endFile(): void;
  finish(): IngestResult;
}

/** Feeds each file's decoded chunks to `reader` in order, reporting progress, and finishes it. */
async function streamFiles(fn: string, reader: StreamingReader, files: readonly string[], onProgress?: ProgressHandler): Promise<IngestResult> {
  let bytes = 0;
  for (let k = 0; k < files.length; ++k) {
    const file = files[k];
    reader.beginFile(basename(file));
    try {
      for await (const chunk of textChunks(fn, file, (n) => (bytes += n))) {
        reader.push(chunk);
        onProgress?.({ file: basename(file), filesDone: k, files: files.length, bytes });
      }
      reader.endFile();
    } catch (e) {
      throw inFile(e, file);
    }
  }
  return reader.finish();
}

/**
 * Bytes of text per police.uk row below which no real file goes, used to estimate rows from
 * file sizes: the shortest of the 214,875 real Leicestershire rows (2014 and 2019–22) is 131
 * bytes (an anti-social behaviour row: no Crime ID, no outcome) and files average 216–235. At
 * 128 the estimate is 1.7–1.9× the rows of typical files: storage is allocated once for that
 * many rows, and the pages never written are never resident.
 */
export const POLICE_UK_MIN_ROW_BYTES = 128;

/** The most worker threads `readPoliceUkFiles` starts by default. */
export const MAX_DEFAULT_WORKERS = 4;

/**
 * By default each worker thread gets at least this many bytes of text (64 MB, about 280,000
 * police.uk rows): starting a worker (its modules, its own caches of points and streets) costs
 * about 0.2 s, which smaller inputs do not win back.
 */
export const MIN_BYTES_PER_WORKER = 64 * 1024 * 1024;

/** Bytes of text the files hold (see `textBytes`). */
async function policeUkTextBytes(files: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const f of files) {
    try {
      const s = await stat(f);
      if (s.isFile()) bytes += await textBytes(f, s.size);
    } catch {
      /* missing: reading it throws the error that names it */
    }
  }
  return bytes;
}

const rowsOfTextBytes = (bytes: number) => Math.max(1024, Math.ceil(bytes / POLICE_UK_MIN_ROW_BYTES));

/**
 * An upper estimate of the rows in police.uk files: the bytes of text they hold (a plain file's
 * size; a `.gz` file's uncompressed size from its gzip trailer) over
 * {@link POLICE_UK_MIN_ROW_BYTES}, at least 1024. Files that cannot be read count 0 (reading
 * them reports why).
 */
export async function estimatePoliceUkRows(files: readonly string[]): Promise<number> {
  return rowsOfTextBytes(await policeUkTextBytes(files));
}

/** What `readPoliceUkFiles` did, for tuning and tests (see {@link PoliceUkFileOptions.onStats}). */
export interface PoliceUkReadStats extends PoliceUkStorageStats {
  files: number;
  /** Worker threads used (1: read in the calling thread). */
  workers: number;
  /** The row estimate from the files' sizes, or `null` when `capacity` was given. */
  estimatedRows: number | null;
  /** Rows read (accepted and rejected). */
  rows: number;
}

/** Options for {@link readPoliceUkFiles}. */
export interface PoliceUkFileOptions extends PoliceUkOptions {
  /** Called after each chunk with bytes read so far. */
  onProgress?: ProgressHandler;
  /**
   * Rows to allocate storage for. Default: estimated from the files' sizes
   * ({@link estimatePoliceUkRows}), so storage is allocated once and never doubled and copied.
   */
  capacity?: number;
  /**
   * Worker threads that parse files in parallel (`node:worker_threads`), each whole files; the
   * rows are appended in file-name order, so the result is identical to reading in one thread.
   * Default: `min(os.availableParallelism(), files, 4)`, and at most one per 64 MB of text
   * ({@link MIN_BYTES_PER_WORKER}), so small inputs are read in the calling thread; `1` reads in
   * the calling thread.
   */
  workers?: number;
  /** Called once before the result is returned with the storage and threads used. */
  onStats?: (stats: PoliceUkReadStats) => void;
}

/**
 * Reads police.uk street-level files — one file, many monthly files, or folders of them,
 * plain or gzipped — streaming, so inputs larger than memory as text are fine.
 * Files are read in name order (so "latest month" de-duplication is stable); with more than one
 * worker thread they are parsed in parallel and appended in that order, with the same result.
 * Storage is sized once from the files' sizes (see {@link estimatePoliceUkRows}).
 * @throws InputError `empty-input` when no file is found or a file has no header;
 * `invalid-input` naming the path for a missing file or a corrupt or truncated `.gz` (also when a
 * worker thread met it); `invalid-option` for a `workers` or `capacity` that is not a positive integer.
 */
export async function readPoliceUkFiles(paths: string | readonly string[], options: PoliceUkFileOptions = {}): Promise<IngestResult> {
  const { onProgress, onStats, workers: workersOption, capacity: capacityOption, ...readerOptions } = options;
  if (workersOption !== undefined && !(Number.isInteger(workersOption) && workersOption >= 1)) invalidOption("readPoliceUkFiles", "workers", "a positive integer", workersOption);
  if (capacityOption !== undefined && !(Number.isInteger(capacityOption) && capacityOption > 0)) invalidOption("readPoliceUkFiles", "capacity", "a positive integer", capacityOption);
  new PoliceUkReader(readerOptions); // validates the other options before any I/O
  const files = await listDataFiles(paths, /\.csv(\.gz)?$/i);
  if (files.length === 0) throw new InputError("empty-input", `readPoliceUkFiles: no .csv or .csv.gz files in ${describeValue(paths)}`);
  const textBytes = await policeUkTextBytes(files);
  const estimatedRows = capacityOption === undefined ? rowsOfTextBytes(textBytes) : null;
  const capacity = capacityOption ?? estimatedRows!;
  const byDefault = Math.max(1, Math.min(availableParallelism(), MAX_DEFAULT_WORKERS, Math.floor(textBytes / MIN_BYTES_PER_WORKER)));
  const workers = Math.min(workersOption ?? byDefault, files.length);
  const reader = new PoliceUkReader({ ...readerOptions, capacity });
  const result = workers > 1 ? await readPoliceUkFilesOnWorkers(reader, files, readerOptions, workers, onProgress) : await streamFiles("readPoliceUkFiles", reader, files, onProgress);
  onStats?.({ ...reader.storageStats(), files: files.length, workers, estimatedRows, rows: result.summary.rows });
  return result;
}

/**
 * Reads delimited files (CSV, TSV, `.tab`; plain or `.gz`) through a column mapping —
 * one file, many, or folders of them, streamed in chunks. Files are read in name order.
 * See `readDelimited` for the rules; `summary.rows = accepted + rejected` always.
 * @throws InputError `empty-input` when no file is found or a file has no header;
 * `invalid-input` naming the path for a missing file or a corrupt or truncated `.gz`.
 */
export async function readDelimitedFiles(paths: string | readonly string[], options: ReadDelimitedOptions & { onProgress?: ProgressHandler }): Promise<IngestResult> {
  const reader = new DelimitedReader(options); // validates options before any I/O
  const files = await listDataFiles(paths);
  if (files.length === 0) throw new InputError("empty-input", `readDelimitedFiles: no .csv, .tsv, .tab or .txt files in ${describeValue(paths)}`);
  return streamFiles("readDelimitedFiles", reader, files, options.onProgress);
}
