/**
 * Node-only entry point (`@community-safety/core/node`): reading files, folders and gzip.
 * Everything else in the package runs in a browser too.
 */
import { createReadStream } from "node:fs";
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
      const names = (await readdir(p)).filter((n) => pattern.test(n)).sort();
      for (const n of names) out.push(join(p, n));
    } else out.push(p);
  }
  return out;
}

/** Streams a text file (gunzipping `.gz`) in chunks of decoded UTF-8. */
export async function* readTextChunks(path: string, onBytes?: (bytes: number) => void): AsyncGenerator<string> {
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  if (onBytes) raw.on("data", (b) => onBytes((b as Buffer).length));
  // zlib's default 16 KB output chunks mean thousands of small strings per file; 1 MB ones
  // cut the per-chunk overhead (decode, push, async iteration) to a few percent.
  const stream = path.endsWith(".gz") ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw;
  const decoder = new TextDecoder("utf-8");
  for await (const chunk of stream) {
    const text = decoder.decode(chunk as Buffer, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** Reads a whole text file (gunzipping `.gz`) as a string. */
export async function readTextFile(path: string): Promise<string> {
  const buf = await readFile(path);
  return new TextDecoder("utf-8").decode(path.endsWith(".gz") ? gunzipSync(buf) : buf);
}

/** A streaming reader: files one after another, text in chunks, then the result. */
interface StreamingReader {
  beginFile(name: string): void;
  push(chunk: string): void;
  endFile(): void;
  finish(): IngestResult;
}

/** Feeds each file's decoded chunks to `reader` in order, reporting progress, and finishes it. */
async function streamFiles(reader: StreamingReader, files: readonly string[], onProgress?: ProgressHandler): Promise<IngestResult> {
  let bytes = 0;
  for (let k = 0; k < files.length; ++k) {
    const file = files[k];
    reader.beginFile(basename(file));
    for await (const chunk of readTextChunks(file, (n) => (bytes += n))) {
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
 */
export async function readPoliceUkFiles(paths: string | readonly string[], options: PoliceUkFileOptions = {}): Promise<IngestResult> {
  const files = await listDataFiles(paths, /\.csv(\.gz)?$/i);
  if (files.length === 0) throw new InputError("empty-input", `readPoliceUkFiles: no .csv or .csv.gz files in ${describeValue(paths)}`);
  const reader = new PoliceUkReader(options);
  return streamFiles(reader, files, options.onProgress);
}


/**
 * Reads delimited files (CSV, TSV, `.tab`; plain or `.gz`) through a column mapping —
 * one file, many, or folders of them, streamed in chunks. Files are read in name order.
 * See `readDelimited` for the rules; `summary.rows = accepted + rejected` always.
 * @throws InputError `empty-input` when no file is found or a file has no header.
 */
export async function readDelimitedFiles(paths: string | readonly string[], options: ReadDelimitedOptions & { onProgress?: ProgressHandler }): Promise<IngestResult> {
  const reader = new DelimitedReader(options); // validates options before any I/O
  const files = await listDataFiles(paths);
  if (files.length === 0) throw new InputError("empty-input", `readDelimitedFiles: no .csv, .tsv, .tab or .txt files in ${describeValue(paths)}`);
  return streamFiles(reader, files, options.onProgress);
}
