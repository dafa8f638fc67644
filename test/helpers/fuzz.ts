/**
 * Seeded input mutation and the invariants every reader must keep, for
 * test/core/fuzz-readers.test.ts. All randomness comes from `seededRandom`.
 */
import { DateTime } from "luxon";
import { InputError, projectedBounds, type IngestResult, type Random, type RejectionReason } from "@community-safety/core";

/** A positive integer from the environment, or `fallback`. */
export function envCount(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === "") return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got ${JSON.stringify(v)}`);
  return n;
}

// ---- junk -----------------------------------------------------------------------------

/** Texts that are not plain decimal coordinates (or are, at the edges of their range). */
export const JUNK_NUMBERS = [
  "0x34", "0X1f", "0b1", "0o7", "NaN", "Infinity", "-Infinity", "+Infinity", "1e999", "-1e999", "1.8e308", "1.7e308",
  "5e9", "-5e9", "", " ", "\t", "1_000", "１２", "1,5", "--1", "+-1", "1e", "e5", ".", "-.", "0", "-0", "0.0000001",
  "180.0000001", "-180.5", "90.0001", "-91", "1e-400", "9".repeat(400), "0." + "1".repeat(400), "Ⅻ", "٣", "1 2",
  "\u00a0-1.2", "null", "undefined", "true", "[]", "{}", "-1.2e0", "+52.7", ".5", "5.",
];

/** Police.uk `Month` values: out of range, malformed, and the valid edges. */
export const JUNK_MONTHS = [
  "9999-12", "0000-01", "1799-12", "1800-01", "2200-12", "2201-01", "2021-13", "2021-00", "2021-1", "21-01", " 2021-01",
  "2021-01 ", "2021/01", "", "２０２１-01", "2021-01-01", "+2021-01", "-2021-01", "2021-01\u0000",
];

/** Generic date texts (any format): out of range, impossible, malformed, offsets at the edges. */
export const JUNK_DATES = [
  "9999-12-31 23:59", "0000-01-01 00:00", "1799-12-31 23:59", "1800-01-01 00:00", "2200-12-31 23:59", "2201-01-01 00:00",
  "2021-02-30 10:00", "2021-13-01 10:00", "2021-01-01 24:00", "2021-01-01 10:60", "", "  ", "2021-01-01T10:00Z",
  "2200-12-31T23:30-05:00", "1800-01-01T00:30+14:00", "2200-12-31T23:59-12:00", "+002021-01-01", "2021-W01",
  "12/31/2200 11:59:59 PM", "1/1/1800 12:00:00 AM", "13/1/2021 1:00:00 PM", "2/29/2021 1:00:00 PM", "٢٠٢١-٠١-٠١ 10:00",
  "2021-03-28 01:30", "2021-10-31 01:30", "2021", "2021-06", "2021-06-01", "99999-01-01 00:00", "2021-06-01T10:00:00.000+25:00",
];

/** Awkward text: control characters, lone surrogates, BOM, RTL, line separators, CSV syntax. */
export const JUNK_TEXT = [
  "\u0000", "\uFEFF", "\uD800", "\uDC00", "😀", "e\u0301", "\u202E", "\u2028", "\u0085", "ß", "İ", '"', '""', ",", "\t",
  "\r", "\n", "\r\n", "\\", "'", "=1+1", "%s", "NULL", "NA", "No Location", "On or near ", "On or near", ";", "|",
];

/** A string of `n` characters drawn from letters, digits, punctuation and some non-ASCII. */
export function randomText(rng: Random, n: number): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .-/é€😀";
  let s = "";
  for (let k = 0; k < n; ++k) s += alphabet[rng.int(alphabet.length)];
  return s;
}

// ---- delimited text -------------------------------------------------------------------

/** Quotes a field when it needs it (RFC 4180). */
export function quote(field: string, delimiter = ","): string {
  return field.includes('"') || field.includes(delimiter) || field.includes("\n") || field.includes("\r") ? `"${field.replace(/"/g, '""')}"` : field;
}

export interface CsvMutation {
  /** Column indices holding coordinates. */
  readonly coords: readonly number[];
  /** Column index of the date, and the junk to put there. */
  readonly date: number;
  readonly junkDates: readonly string[];
  /** Column index of the id (for duplicates). */
  readonly id: number;
  readonly delimiter: string;
  /** Whether valid quoted fields may hold line breaks (false for police.uk). */
  readonly multiline: boolean;
}

/** What the mutation did, for failure reports. */
export interface Mutated {
  text: string;
  /** Mutation kinds applied. */
  kinds: string[];
  /** True when a very long field was put in (linear-work check with small chunks). */
  long: boolean;
}

const KINDS = ["coord", "coord", "swap", "date", "date", "empty", "extra", "missing", "unicode", "unicode", "long", "quote-field", "stray-quote", "stray-quote", "duplicate", "cr", "bom"] as const;

/**
 * Serialises `header` and `rows` as delimited text after 1–4 random mutations of the rows
 * (see KINDS), with random line ends (LF, CRLF, CR or a mix), blank lines, a BOM, and no
 * final line break at times. Rarely (2%) the header loses a column.
 */
export function mutateCsv(rng: Random, header: string[], rows: string[][], m: CsvMutation): Mutated {
  const d = m.delimiter;
  const out = rows.map((r) => r.map((f) => quote(f, d)));
  const kinds: string[] = [];
  let long = false;
  const count = 1 + rng.int(4);
  for (let t = 0; t < count && out.length; ++t) {
    const kind = rng.pick(KINDS);
    kinds.push(kind);
    const r = rng.int(out.length);
    const row = out[r];
    const f = rng.int(row.length);
    switch (kind) {
      case "coord":
        row[m.coords[rng.int(m.coords.length)]] = quote(rng.pick(JUNK_NUMBERS), d);
        break;
      case "swap": {
        const [a, b] = m.coords;
        [row[a], row[b]] = [row[b], row[a]];
        break;
      }
      case "date":
        row[m.date] = quote(rng.pick(m.junkDates), d);
        break;
      case "empty":
        row[f] = "";
        break;
      case "extra":
        row.push(rng.bernoulli(0.5) ? "" : "x");
        break;
      case "missing":
        row.pop();
        break;
      case "unicode": {
        // Raw: a quote, delimiter or line break here breaks the row's structure on purpose.
        const junk = rng.pick(JUNK_TEXT);
        const at = rng.int(row[f].length + 1);
        row[f] = row[f].slice(0, at) + junk + row[f].slice(at);
        break;
      }
      case "long": {
        long = true;
        const n = rng.bernoulli(0.8) ? 1_000 + rng.int(10_000) : 50_000 + rng.int(150_000);
        let text = randomText(rng, n);
        if (rng.bernoulli(0.3)) text = text.slice(0, n >> 1) + (m.multiline && rng.bernoulli(0.5) ? "\n" : '"') + text.slice(n >> 1);
        row[f] = rng.bernoulli(0.5) ? quote(text, d) : `"${text}`; // valid, or a quote never closed
        break;
      }
      case "quote-field": {
        const inner = row[f] + (rng.bernoulli(0.5) ? `${d}"x"` : "") + (m.multiline && rng.bernoulli(0.3) ? "\r\nnext line" : "");
        row[f] = `"${inner.replace(/"/g, '""')}"`;
        break;
      }
      case "stray-quote": {
        const at = rng.bernoulli(0.6) ? 0 : rng.int(row[f].length + 1);
        row[f] = row[f].slice(0, at) + '"' + row[f].slice(at);
        break;
      }
      case "duplicate":
        out.splice(r + 1, 0, [...row]);
        break;
      case "cr": {
        const at = rng.int(row[f].length + 1);
        row[f] = row[f].slice(0, at) + rng.pick(["\r", "\n", "\r\n", "\n\n"]) + row[f].slice(at);
        break;
      }
      case "bom":
        row[f] = "\uFEFF" + row[f];
        break;
    }
  }
  const head = [...header];
  if (rng.bernoulli(0.02)) head.splice(rng.int(head.length), 1);
  const mode = rng.int(10); // 0–5 LF, 6–7 CRLF, 8 CR, 9 mixed
  const eol = () => (mode < 6 ? "\n" : mode < 8 ? "\r\n" : mode === 8 ? "\r" : rng.pick(["\n", "\r\n", "\r"]));
  let text = (rng.bernoulli(0.2) ? "\uFEFF" : "") + head.join(d) + eol();
  for (const row of out) {
    if (rng.bernoulli(0.03)) text += eol(); // a blank line
    text += row.join(d) + eol();
  }
  if (rng.bernoulli(0.2)) text = text.replace(/(\r\n|\r|\n)$/, "");
  return { text, kinds, long };
}

/**
 * The physical lines of `text` as the tokenizer counts them with `multilineFields: false`:
 * LF, CRLF and a lone CR end a line; empty lines are blank, not rows; a leading BOM is not
 * text. Returns [non-empty lines, blank lines].
 */
export function physicalLines(text: string): [number, number] {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = t.split(/\r\n|\r|\n/);
  if (lines.length && lines[lines.length - 1] === "") lines.pop(); // after the last break
  let rows = 0;
  let blank = 0;
  for (const l of lines) if (l === "") blank += 1;
  else rows += 1;
  return [rows, blank];
}

/** Splits `text` into chunks of random sizes between `min` and `max` characters. */
export function chunks(rng: Random, text: string, min: number, max: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < text.length; ) {
    const n = min + rng.int(max - min + 1);
    out.push(text.slice(k, k + n));
    k += n;
  }
  return out;
}

// ---- invariants -----------------------------------------------------------------------

const REASONS = new Set<RejectionReason>([
  "ragged-row", "unterminated-quote", "missing-value", "invalid-date", "invalid-coordinate", "null-island", "outside-bounds",
  "far-outside-area", "suppressed", "unknown-category", "duplicate-id", "invalid-value", "outside-window",
]);

/**
 * The invariants every accepted input must keep; returns what is broken (empty when none):
 * reconciliation (rows = accepted + rejected, per file and overall; byReason sums), every
 * rejection well formed, every accepted window within 1800–2200 in the table's zone with
 * end > start, every accepted point finite and inside the CRS's area of use, or no point.
 */
export function brokenInvariants(r: IngestResult): string[] {
  const out: string[] = [];
  const s = r.summary;
  const t = r.table;
  if (s.rows !== s.accepted + s.rejected) out.push(`rows ${s.rows} ≠ accepted ${s.accepted} + rejected ${s.rejected}`);
  if (s.accepted !== t.length) out.push(`summary.accepted ${s.accepted} ≠ table.length ${t.length}`);
  if (s.rejected !== r.rejected.length) out.push(`summary.rejected ${s.rejected} ≠ rejected.length ${r.rejected.length}`);
  const sum = (k: "rows" | "accepted" | "rejected") => s.files.reduce((a, f) => a + f[k], 0);
  for (const k of ["rows", "accepted", "rejected"] as const) if (sum(k) !== s[k]) out.push(`files' ${k} add up to ${sum(k)}, not ${s[k]}`);
  for (const f of s.files) {
    if (f.rows !== f.accepted + f.rejected) out.push(`file ${f.file}: rows ${f.rows} ≠ ${f.accepted} + ${f.rejected}`);
    const n = r.rejected.filter((x) => x.file === f.file).length;
    if (s.files.filter((g) => g.file === f.file).length === 1 && n !== f.rejected) out.push(`file ${f.file}: ${n} rejections listed, ${f.rejected} counted`);
  }
  const byReason = Object.values(s.byReason).reduce((a, b) => a + (b ?? 0), 0);
  if (byReason !== s.rejected) out.push(`byReason adds up to ${byReason}, not ${s.rejected}`);
  for (const x of r.rejected) {
    if (!REASONS.has(x.reason)) out.push(`unknown reason ${x.reason}`);
    if (!(Number.isInteger(x.row) && x.row >= 1 && Number.isInteger(x.line) && x.line >= 1)) out.push(`rejection row ${x.row} line ${x.line}`);
    if (typeof x.message !== "string" || x.message === "") out.push(`rejection without a message: ${JSON.stringify(x)}`);
  }
  const box = projectedBounds(t.crs);
  for (let i = 0; i < t.length; ++i) {
    const a = t.start[i];
    const b = t.end[i];
    if (!(b > a)) out.push(`row ${i}: end ${b} ≤ start ${a}`);
    const y0 = DateTime.fromMillis(a * 60_000, { zone: t.zone }).year;
    const y1 = DateTime.fromMillis((b - 1) * 60_000, { zone: t.zone }).year;
    if (!(y0 >= 1800 && y1 <= 2200)) out.push(`row ${i}: window ${a}–${b} is years ${y0}–${y1} in ${t.zone}`);
    const [x, y, lon, lat] = [t.x[i], t.y[i], t.lon[i], t.lat[i]];
    if (Number.isNaN(x) && Number.isNaN(y) && Number.isNaN(lon) && Number.isNaN(lat)) continue;
    const ok =
      Number.isFinite(x) && Number.isFinite(y) && lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90 && (box === null || (x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3]));
    if (!ok) out.push(`row ${i}: point ${x},${y} (${lon},${lat}) is not in ${t.crs}`);
  }
  return out;
}

/** Runs `read`; returns its result, or the whole-input error when it is an InputError with an allowed code (any other throw is returned as a crash). */
export function attempt<T>(read: () => T, allowed: readonly string[]): { result?: T; error?: InputError; crash?: unknown } {
  try {
    return { result: read() };
  } catch (e) {
    if (e instanceof InputError && allowed.includes(e.code)) return { error: e };
    return { crash: e };
  }
}
