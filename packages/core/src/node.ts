/**
 * Node-only entry point (`@community-safety/core/node`): reading files, folders and gzip.
 * Everything else in the package runs in a browser too.
 */
import { createReadStream, type ReadStream } from "node:fs";
import { readdir, stat, readFile } from "node:fs/promises";
import { join, basename } from "node:path";
import { createGunzip, gunzipSync } from "node:zlib";
import { InputError, describeValue } from "./errors.js";
import type { IngestResult } from "./ingest-result.js";
import { PoliceUkReader, type PoliceUkOptions } from "./police-uk.js";
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
 * An {@link InputError} naming the file (in full) for an error met reading it: a path that is a folder
 * or does not exist, a corrupt or truncated gzip stream. Other errors pass through.
 */
function fileError(fn: string, path: string, e: unknown): unknown {
  if (e instanceof InputError) return e;
  const err = e as NodeJS.ErrnoException;
  const code = err?.code;
  if (code === "EISDIR") return new InputError("invalid-input", `${fn}: path ${JSON.stringify(path)} must be a file, got a folder`);
  if (code === "ENOENT") return new InputError("invalid-input", `${fn}: path ${JSON.stringify(path)} must be a file, got nothing (no such file)`);
  if (typeof code === "string" && code.startsWith("Z_")) {
    return new InputError("invalid-input", `${fn}: file ${JSON.stringify(path)} must be complete gzip data (it ends in .gz), got ${err.message} (${code})`);
  }
  if (code === "EACCES" || code === "EPERM") return new InputError("invalid-input", `${fn}: file ${JSON.stringify(path)} must be readable, got ${code}`);
  return e;
}

/**
 * Streams a text file (gunzipping `.gz`) in chunks of decoded UTF-8.
 * @throws InputError `invalid-input` naming the path for a folder, a missing file, or a
 * corrupt or truncated `.gz`.
 */
export function readTextChunks(path: string, onBytes?: (bytes: number) => void): AsyncGenerator<string> {
  return textChunks("readTextChunks", path, onBytes);
}

async function* textChunks(fn: string, path: string, onBytes?: (bytes: number) => void): AsyncGenerator<string> {
  const raw: ReadStream = createReadStream(path, { highWaterMark: 1 << 20 });
  if (onBytes) raw.on("data", (b) => onBytes((b as Buffer).length));
  // zlib's default 16 KB output chunks mean thousands of small strings per file; 1 MB ones
  // cut the per-chunk overhead (decode, push, async iteration) to a few percent.
  let stream: NodeJS.ReadableStream = raw;
  if (path.endsWith(".gz")) {
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    // pipe() does not forward errors: a folder or missing file must end the gunzip stream too.
    raw.on("error", (e) => gunzip.destroy(e));
    stream = raw.pipe(gunzip);
  }
  const decoder = new TextDecoder("utf-8");
  try {
    for await (const chunk of stream) {
      const text = decoder.decode(chunk as Buffer, { stream: true });
      if (text) yield text;
    }
  } catch (e) {
    throw fileError(fn, path, e);
  } finally {
    raw.destroy();
  }
  const rest = decoder.decode();
  if (rest) yield rest;
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
    for await (const chunk of textChunks(fn, file, (n) => (bytes += n))) {
      reader.push(chunk);
      onProgress?.({ file: basename(file), filesDone: k, files: files.length, bytes });
    }
    reader.endFile();
  }
  return reader.finish();
}

/** Options for {@link readPoliceUkFiles}. */
export interface PoliceUkFileOptions extends PoliceUkOptions {
  /** Called after each chunk with bytes read so far. */
  onProgress?: ProgressHandler;
}

/**
 * Reads police.uk street-level files — one file, many monthly files, or folders of them,
 * plain or gzipped — streaming, so inputs larger than memory as text are fine.
 * Files are read in name order (so "latest month" de-duplication is stable).
 * @throws InputError `empty-input` when no file is found or a file has no header;
 * `invalid-input` naming the path for a missing file or a corrupt or truncated `.gz`.
 */
export async function readPoliceUkFiles(paths: string | readonly string[], options: PoliceUkFileOptions = {}): Promise<IngestResult> {
  const files = await listDataFiles(paths, /\.csv(\.gz)?$/i);
  if (files.length === 0) throw new InputError("empty-input", `readPoliceUkFiles: no .csv or .csv.gz files in ${describeValue(paths)}`);
  const reader = new PoliceUkReader(options);
  return streamFiles("readPoliceUkFiles", reader, files, options.onProgress);
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
