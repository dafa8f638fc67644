/**
 * Seeded police.uk-shaped CSV at any size, resampled from REAL rows.
 *
 * The real rows are the Leicestershire county street-level files (2019-12 to 2022-10,
 * 160k rows) in `shared/data`. Each generated row is a real row drawn with replacement by
 * a seeded PRNG, byte for byte (its snap point, `On or near` location, LSOA, type, outcome,
 * quoting and CRLF line end are the real ones, so the mix of quoted fields, "No Location"
 * rows and distinct points is the real mix), except:
 * - `Crime ID`: a fresh, unique 64-hex id (blank stays blank: ASB rows have none);
 * - `Month`: rows are spread evenly over 36 consecutive months (2019-11 … 2022-10), in
 *   month order, as when a year's monthly files are read one after another.
 *
 * Text is produced in chunks of about `chunkBytes` (cut at row ends), so 10M rows (≈2.4 GB,
 * beyond V8's ~512 MB string limit) can be streamed. Generated as bytes in a Buffer and
 * turned into a one-byte string, like text decoded from an ASCII file.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

/** The directory of real county files. */
export function policeUkDataDir(): string {
  const root = process.env.COMMUNITY_SAFETY_DATA ?? new URL("../../shared/data", import.meta.url).pathname;
  return join(root, "policeuk-leicestershire", "county-2019-12_2022-10");
}

/** Real rows split into the parts the generator rewrites. */
export interface RealRows {
  /** The header line with its CRLF. */
  header: string;
  /** Bytes of each row after `Month` (from the comma after Month to the end of the line, CRLF included). */
  rest: Buffer[];
  /** Whether each row had a Crime ID. */
  hasId: Uint8Array;
  /** Whether each row has a quoted field. */
  quoted: Uint8Array;
  /** Bytes of the real files, decompressed. */
  bytes: number;
  files: number;
}

/** Reads and splits every real row (about 0.5 s). */
export function loadRealRows(dir = policeUkDataDir()): RealRows {
  const names = readdirSync(dir).filter((n) => n.endsWith(".csv.gz")).sort();
  if (names.length === 0) throw new Error(`no .csv.gz files in ${dir}`);
  let header = "";
  const rest: Buffer[] = [];
  const hasId: number[] = [];
  const quoted: number[] = [];
  let bytes = 0;
  for (const name of names) {
    const buf = gunzipSync(readFileSync(join(dir, name)));
    bytes += buf.length;
    let pos = 0;
    let first = true;
    while (pos < buf.length) {
      let end = buf.indexOf(10, pos);
      end = end < 0 ? buf.length : end + 1; // include the LF
      const line = buf.subarray(pos, end);
      pos = end;
      if (first) {
        header = line.toString("latin1");
        first = false;
        continue;
      }
      if (line.length <= 2) continue;
      const c1 = line.indexOf(44); // after Crime ID (never quoted)
      const c2 = line.indexOf(44, c1 + 1); // after Month
      rest.push(Buffer.from(line.subarray(c2)));
      hasId.push(c1 > 0 ? 1 : 0);
      quoted.push(line.includes(34) ? 1 : 0);
    }
  }
  if (!header.endsWith("\r\n")) header = header.replace(/\n$/, "\r\n");
  return { header, rest, hasId: Uint8Array.from(hasId), quoted: Uint8Array.from(quoted), bytes, files: names.length };
}

/** splitmix32: a small seeded PRNG (returns uint32). */
export function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** murmur3's fmix32: a bijection on uint32, so distinct counters give distinct words. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const HEX = Buffer.from("0123456789abcdef");
const MONTHS = 36;
const FIRST_YEAR = 2019;
const FIRST_MONTH = 11;

function monthBytes(k: number): Buffer {
  const m0 = FIRST_MONTH - 1 + k;
  const y = FIRST_YEAR + Math.floor(m0 / 12);
  const m = (m0 % 12) + 1;
  return Buffer.from(`,${y}-${m < 10 ? "0" : ""}${m}`);
}

/** Options for {@link policeUkChunks}. */
export interface MakeOptions {
  /** PRNG seed. Default 42. */
  seed?: number;
  /** Target chunk size in bytes (chunks end at a row end). Default 64 MiB. */
  chunkBytes?: number;
  /** Start the first chunk with the header line. Default true. */
  header?: boolean;
}

/**
 * Yields the CSV text of `rows` generated rows in chunks of about `chunkBytes`
 * (the first chunk starts with the header unless `header: false`). Deterministic for a seed.
 */
export function* policeUkChunks(real: RealRows, rows: number, options: MakeOptions = {}): Generator<string> {
  const seed = options.seed ?? 42;
  const chunkBytes = options.chunkBytes ?? 64 * 1024 * 1024;
  const rand = splitmix32(seed);
  const idWord = splitmix32(seed ^ 0x5bd1e995);
  const months = Array.from({ length: MONTHS }, (_, k) => monthBytes(k));
  const R = real.rest.length;
  let maxRest = 0;
  for (const r of real.rest) maxRest = Math.max(maxRest, r.length);
  const maxRow = 64 + 8 + maxRest;
  const buf = Buffer.allocUnsafe(Math.max(chunkBytes, 1 << 16) + maxRow + real.header.length);
  let used = 0;
  if (options.header ?? true) used = buf.write(real.header, 0, "latin1");
  for (let k = 0; k < rows; ++k) {
    const r = Math.floor((rand() / 4294967296) * R);
    if (real.hasId[r]) {
      // 8 words: 7 from the PRNG and one a bijection of the row number, so ids are unique.
      for (let w = 0; w < 8; ++w) {
        const v = w === 3 ? fmix32(k ^ 0x2545f491) : idWord();
        for (let s = 28; s >= 0; s -= 4) buf[used++] = HEX[(v >>> s) & 15];
      }
    }
    used += months[Math.floor((k * MONTHS) / rows)].copy(buf, used);
    used += real.rest[r].copy(buf, used);
    if (used >= chunkBytes) {
      yield buf.toString("latin1", 0, used);
      used = 0;
    }
  }
  if (used > 0) yield buf.toString("latin1", 0, used);
}

/** Expected bytes of `rows` generated rows (header excluded). */
export function expectedBytes(real: RealRows, rows: number): number {
  let rest = 0;
  let ids = 0;
  for (let k = 0; k < real.rest.length; ++k) {
    rest += real.rest[k].length;
    ids += real.hasId[k];
  }
  return (rows * (rest + 64 * ids)) / real.rest.length + rows * 8;
}

/**
 * The whole text as one flat string, header included, as text read from a file would be
 * (one `Buffer#toString`: no rope for parsers to walk). Below V8's ~512 MB string limit only.
 */
export function policeUkText(real: RealRows, rows: number, options: Omit<MakeOptions, "chunkBytes" | "header"> = {}): string {
  const parts = [...policeUkChunks(real, rows, { ...options, chunkBytes: 1 << 29 })];
  if (parts.length !== 1) throw new Error(`policeUkText: ${rows} rows do not fit one string; use policeUkChunks`);
  return parts[0];
}
