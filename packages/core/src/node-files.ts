/**
 * Reading text files in Node (plain or gzipped), shared by the `node` entry point and the
 * ingestion worker threads. Node-only: reachable from `node.ts`, never from the index.
 * @internal
 */
import { isAscii } from "node:buffer";
import { createReadStream, type ReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { basename } from "node:path";
import { createGunzip } from "node:zlib";
import { InputError } from "./errors.js";

/**
 * An {@link InputError} naming the file (in full) for an error met reading it: a path that is a folder
 * or does not exist, a corrupt or truncated gzip stream. Other errors pass through.
 */
export function fileError(fn: string, path: string, e: unknown): unknown {
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
 * An error met while parsing the file at `path`, naming the file: an {@link InputError} whose
 * message does not name it gets ` (in "<file name>")` added; anything else is returned as it is.
 */
export function inFile(e: unknown, path: string): unknown {
  if (!(e instanceof InputError)) return e;
  const name = basename(path);
  return e.message.includes(name) ? e : new InputError(e.code, `${e.message} (in ${JSON.stringify(name)})`);
}

/**
 * Bytes decoded into one string. A string of more than V8's largest regular object (128 KiB; a
 * two-byte string of 32 Ki characters is 64 KiB) is allocated in its own pages in the
 * large-object space and freed to the system when collected, so a file read as 1 MB strings pays
 * for fresh pages all the time: 431 MB of police.uk CSV took 2.3 s as 1 MB strings and 0.07 s as
 * 32 KB or 64 KB ones on the bench machine, where a first touch of a page costs ≈ 11 µs. Read in
 * 1 MB buffers (few reads, little per-chunk overhead), decoded in 32 KB pieces.
 */
const TEXT_PIECE = 1 << 15;

/** Streams a text file (gunzipping `.gz`) as decoded UTF-8 chunks; errors name the path (see {@link fileError}). */
export async function* textChunks(fn: string, path: string, onBytes?: (bytes: number) => void): AsyncGenerator<string> {
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
  // The byte-order mark is removed here, at the start of the file only (a decoder that first sees
  // bytes mid-file, after ASCII chunks, must not take a U+FEFF there for one).
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  let first = true;
  // An all-ASCII chunk (police.uk files are, as a rule) is copied as one-byte text, several times
  // faster than decoding; it is the same string. Only when nothing is held back: after a chunk
  // ending in a non-ASCII byte the decoder may hold the start of a character, so the next chunk
  // goes through it too. A chunk ending in an ASCII byte leaves nothing held back.
  let clean = true;
  try {
    for await (const chunk of stream) {
      const whole = chunk as Buffer;
      for (let at = 0; at < whole.length; at += TEXT_PIECE) {
        const b = whole.subarray(at, at + TEXT_PIECE);
        const text = clean && isAscii(b) ? b.toString("latin1") : decoder.decode(b, { stream: true });
        clean = b[b.length - 1] < 0x80;
        const out = first ? withoutBom(text) : text;
        if (text) first = false; // (a first chunk of one or two bytes may hold back a partial mark)
        if (out) yield out;
      }
    }
  } catch (e) {
    throw fileError(fn, path, e);
  } finally {
    raw.destroy();
  }
  const rest = decoder.decode();
  const out = first ? withoutBom(rest) : rest;
  if (out) yield out;
}

/** The text without a leading byte-order mark (U+FEFF). */
const withoutBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/**
 * Bytes of text a file holds: its size, or for `.gz` the size the gzip trailer (ISIZE, RFC 1952
 * §2.3.1) records, which is the uncompressed size modulo 2^32. A recorded size below the
 * compressed size (for a file of 1 MB or more, where gzip's own overhead is well under 1%) must have
 * wrapped, so 2^32 is added until it is not; a wrap that leaves it
 * above (text of 4 GiB or more compressing well) and multi-member files (the trailer gives the
 * last member only) are counted short. 0 when the file cannot be read (reading it reports that).
 */
export async function textBytes(path: string, size: number): Promise<number> {
  if (!/\.gz$/i.test(path)) return size;
  if (size < 18) return 0; // shorter than an empty gzip member
  let handle;
  try {
    handle = await open(path, "r");
    const tail = Buffer.alloc(4);
    await handle.read(tail, 0, 4, size - 4);
    let bytes = tail.readUInt32LE(0);
    if (size >= 1 << 20) while (bytes < size * 0.99) bytes += 2 ** 32;
    return bytes;
  } catch {
    return 0;
  } finally {
    await handle?.close();
  }
}
