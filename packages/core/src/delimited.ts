import { InputError, invalidOption } from "./errors.js";

/** Options for {@link DelimitedParser}. */
export interface DelimitedOptions {
  /** Field separator, one character. Default `","`. */
  delimiter?: string;
  /**
   * Whether a quoted field may hold line breaks (RFC 4180). Default `true`. With `false`
   * every physical line is one row: a quote still open at the end of its line makes that
   * line an unterminated row on its own (`openQuote` `"line-end"`) and the next line is read
   * as the next row, so a stray quote costs one row. For sources whose fields never span
   * lines (police.uk).
   */
  multilineFields?: boolean;
  /**
   * With `multilineFields`: the most physical lines one quoted field may span. Default 20.
   * A quoted field still open on the line after that is taken to be a stray quote: the row
   * ends at the end of the line the quote opened on (`openQuote` `"max-lines"`) and the next
   * line is read as the next row. `Infinity` turns the limit off.
   */
  maxFieldLines?: number;
  /**
   * With `multilineFields`: the most characters (UTF-16 code units, as written, quotes
   * included) one quoted field may hold. Default 65,536. A longer one is treated as a stray
   * quote, as for `maxFieldLines` (`openQuote` `"max-chars"`). `Infinity` turns the limit off.
   */
  maxFieldChars?: number;
}

/**
 * Why a row's last field is an unterminated quoted field (see {@link DelimitedOptions}):
 * `"line-end"` (its line ended, `multilineFields: false`), `"max-lines"` / `"max-chars"`
 * (it ran past a limit), `"end-of-input"` (the input ended inside it, within the limits).
 */
export type OpenQuote = "line-end" | "max-lines" | "max-chars" | "end-of-input";

/**
 * Called once per row. `fields` is reused between calls: copy what you keep.
 * `line` is the 1-based physical line on which the row starts (quoted newlines count),
 * `unterminated` is true when the row's last field is a quoted field that was never closed:
 * then `fields[count - 1]` holds its text (to the end of the input for `"end-of-input"`,
 * else to the end of the line it opened on) and the parser's `openQuote` says why.
 */
export type RowHandler = (fields: string[], count: number, line: number, unterminated: boolean) => void;

const QUOTE = 34;
const LF = 10;
const CR = 13;
/** Characters of the pending row and the next chunk joined to finish that row (grows if needed). */
const WINDOW = 4096;

/**
 * Receives rows from a {@link DelimitedScanner} as spans of its text, so a reader can look
 * fields up without making a string per field. Field `k` of the row is
 * `text.slice(scanner.starts[k], scanner.ends[k])` when `scanner.starts[k] >= 0`; a quoted
 * field (unescaped, so not a span of the text) has `starts[k] === -1` and its value in
 * `scanner.values[k]`. `scanner.field(text, k)` returns either as a string. Spans are valid
 * only during the call.
 * @internal Used by the adapters in this package; not exported from the index.
 */
export interface SpanSink {
  row(scanner: DelimitedScanner, text: string, count: number, line: number, unterminated: boolean): void;
}

/** Index of `search` in `text` from `from`, or `text.length` when absent. */
function indexOrEnd(text: string, search: string, from: number): number {
  const k = text.indexOf(search, from);
  return k < 0 ? text.length : k;
}

/** Index of the first LF or CR in `text` from `from`, or -1. */
function lineBreak(text: string, from: number): number {
  const lf = text.indexOf("\n", from);
  const cr = text.indexOf("\r", from);
  return lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
}

/**
 * Checks the tokenizer options, naming `fn` in errors; returns [delimiter, line breaks allowed
 * in a quoted field (-1: none, multilineFields false), characters allowed].
 * @internal Used by the readers in this package; not exported from the index.
 */
export function delimitedOptions(fn: string, options: DelimitedOptions): [string, number, number] {
  const delimiter = options.delimiter ?? ",";
  if (typeof delimiter !== "string" || delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    invalidOption(fn, "delimiter", "one character other than a quote or line break", delimiter);
  }
  const multiline = options.multilineFields ?? true;
  if (typeof multiline !== "boolean") invalidOption(fn, "multilineFields", "a boolean", multiline);
  const lines = options.maxFieldLines ?? 20;
  const chars = options.maxFieldChars ?? 65536;
  if (!multiline) {
    if (options.maxFieldLines !== undefined) invalidOption(fn, "maxFieldLines", "left out when multilineFields is false", options.maxFieldLines);
    if (options.maxFieldChars !== undefined) invalidOption(fn, "maxFieldChars", "left out when multilineFields is false", options.maxFieldChars);
    return [delimiter, -1, Infinity];
  }
  if (!(typeof lines === "number" && lines >= 1 && (Number.isInteger(lines) || lines === Infinity))) invalidOption(fn, "maxFieldLines", "a whole number of lines ≥ 1 (Infinity for no limit)", lines);
  if (!(typeof chars === "number" && chars >= 1 && (Number.isInteger(chars) || chars === Infinity))) invalidOption(fn, "maxFieldChars", "a whole number of characters ≥ 1 (Infinity for no limit)", chars);
  return [delimiter, lines - 1, chars];
}

/**
 * The tokenizer behind {@link DelimitedParser}, passing rows on as spans (see {@link SpanSink}).
 * Same grammar, line numbers and chunking rules as `DelimitedParser`.
 * @internal Used by the adapters in this package; not exported from the index.
 */
export class DelimitedScanner {
  /** Rows passed to the sink so far. */
  rows = 0;
  /** Empty lines skipped so far. */
  blankLines = 0;
  /** Field starts of the current row (-1 for a quoted field, whose value is in `values`). */
  starts = new Int32Array(32);
  /** Field ends of the current row. */
  ends = new Int32Array(32);
  /** Values of the current row's quoted fields, by field index. */
  readonly values: string[] = [];
  /** For an unterminated row (see {@link RowHandler}): why its last field's quote is open. */
  openQuote: OpenQuote | null = null;
  /**
   * Characters handed to the tokenizer so far, re-reads included (a pending row re-read
   * with the next chunk, the lines after a stray quote re-read as rows): a measure of its
   * work, which stays within a small multiple of the input's length.
   */
  scanned = 0;
  private readonly delim: number;
  private readonly delimText: string;
  private readonly highest: number;
  private readonly maxBreaks: number;
  private readonly singleLine: boolean;
  private readonly maxChars: number;
  private buffer = "";
  // Chunks held back while a long pending row waits for its end (see push).
  private held: string[] = [];
  private heldLength = 0;
  private holdUntil = 0;
  private line = 1;
  private first = true;

  constructor(
    private readonly sink: SpanSink,
    options: DelimitedOptions = {},
    fn = "DelimitedParser",
  ) {
    const [delimiter, maxBreaks, maxChars] = delimitedOptions(fn, options);
    this.delim = delimiter.charCodeAt(0);
    this.delimText = delimiter;
    this.highest = Math.max(this.delim, LF, CR);
    this.singleLine = maxBreaks < 0;
    this.maxBreaks = Math.max(0, maxBreaks);
    this.maxChars = maxChars;
  }

  /** Field `k` of the current row of `text` as a string. */
  field(text: string, k: number): string {
    const a = this.starts[k];
    return a < 0 ? this.values[k] : text.slice(a, this.ends[k]);
  }

  /** Parses every complete row in `chunk` (plus what was left over from earlier chunks). */
  push(chunk: string): void {
    if (typeof chunk !== "string") throw new InputError("invalid-input", `DelimitedParser.push: chunk must be a string, got ${typeof chunk}`);
    if (this.first && chunk.length) {
      // The buffer is empty until the first non-empty chunk has been seen.
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      this.first = false;
    }
    if (this.holdUntil > 0) {
      // A pending row already spans whole chunks (a very long line): re-reading it with
      // every chunk would cost O(length² / chunk). Hold chunks back until they add up to
      // the pending text, so each re-read at least doubles what is read: linear overall.
      this.held.push(chunk);
      this.heldLength += chunk.length;
      this.checkRowLength(this.buffer.length + this.heldLength);
      if (this.heldLength < this.holdUntil) return;
      chunk = this.held.join("");
      this.held = [];
      this.heldLength = this.holdUntil = 0;
    }
    let from = 0;
    let pending = this.buffer;
    if (pending.length) {
      // Finish the pending row from a short join of it and the chunk's start, then parse the
      // chunk in place: joining whole chunks would copy every chunk once more.
      let w = Math.min(chunk.length, WINDOW);
      for (;;) {
        const text = pending + chunk.slice(0, w);
        const consumed = this.parse(text, 0, false);
        if (consumed >= pending.length) {
          from = consumed - pending.length;
          break;
        }
        pending = consumed > 0 ? pending.slice(consumed) : pending;
        if (w === chunk.length) {
          this.buffer = text.slice(consumed);
          this.holdUntil = this.buffer.length;
          this.checkRowLength(this.buffer.length);
          return;
        }
        w = Math.min(chunk.length, w * 16);
      }
    }
    const consumed = this.parse(chunk, from, false);
    this.buffer = consumed < chunk.length ? chunk.slice(consumed) : "";
    this.checkRowLength(this.buffer.length);
  }

  /**
   * Fails on a row still without its end after {@link MAX_ROW_CHARS} characters: no crime
   * record is that long, and holding more would end in V8's "Invalid string length" (a
   * compressed file can expand to such a line: a gzip bomb, or a binary file named .csv).
   */
  private checkRowLength(pending: number): void {
    if (pending > MAX_ROW_CHARS) {
      throw new InputError("invalid-input", `DelimitedParser: the row starting on line ${this.line.toLocaleString("en-GB")} has more than ${MAX_ROW_CHARS.toLocaleString("en-GB")} characters without a line end: not delimited text (a binary or corrupt file?)`);
    }
  }

  /** Parses whatever is left as the final row. */
  end(): void {
    if (this.held.length) this.buffer += this.held.join("");
    this.held = [];
    this.heldLength = this.holdUntil = 0;
    if (this.buffer.length) this.parse(this.buffer, 0, true);
    this.buffer = "";
  }

  private grow(): void {
    const s = new Int32Array(this.starts.length * 2);
    s.set(this.starts);
    this.starts = s;
    const e = new Int32Array(this.ends.length * 2);
    e.set(this.ends);
    this.ends = e;
  }

  /** Returns the position in `text` up to which rows were complete (from `start`). */
  private parse(text: string, start: number, final: boolean): number {
    const n = text.length;
    this.scanned += n - start;
    const d = this.delim;
    const delimText = this.delimText;
    const hi = this.highest;
    const values = this.values;
    let starts = this.starts;
    let ends = this.ends;
    // Next LF, CR, quote and delimiter at or after the current position (n when none), found
    // with indexOf (much faster than a loop over charCodeAt) and only when passed, so each
    // character is searched at most once per kind.
    let nextLf = -1;
    let nextCr = -1;
    let nextQuote = -1;
    let nextDelim = -1;
    let pos = start;
    while (pos < n) {
      const rowStart = pos;
      const rowLine = this.line;
      let lines = 0; // line breaks inside quoted fields of this row
      let count = 0;
      let i = pos;
      let unterminated = false;
      // Blank line?
      let c = text.charCodeAt(i);
      if (c === LF || c === CR) {
        if (c === CR) {
          if (i + 1 >= n && !final) return rowStart;
          if (text.charCodeAt(i + 1) === LF) ++i;
        }
        pos = i + 1;
        this.line += 1;
        this.blankLines += 1;
        continue;
      }
      // Fast path: a row ended by LF or CRLF with no quote and no other CR in it is split at
      // each delimiter, exactly as the general loop below would split it.
      if (nextLf < pos && nextLf < n) nextLf = indexOrEnd(text, "\n", pos);
      if (nextLf < n) {
        if (nextQuote < pos) nextQuote = indexOrEnd(text, '"', pos);
        if (nextCr < pos) nextCr = indexOrEnd(text, "\r", pos);
        if (nextQuote > nextLf && nextCr >= nextLf - 1) {
          const end = nextCr === nextLf - 1 ? nextCr : nextLf;
          for (;;) {
            if (count + 1 >= starts.length) {
              this.grow();
              starts = this.starts;
              ends = this.ends;
            }
            if (nextDelim < i) nextDelim = indexOrEnd(text, delimText, i);
            const k = nextDelim < end ? nextDelim : end;
            starts[count] = i;
            ends[count++] = k;
            if (k === end) break;
            i = k + 1;
          }
          pos = nextLf + 1;
          this.line += 1;
          this.rows += 1;
          this.sink.row(this, text, count, rowLine, false);
          continue;
        }
      }
      for (;;) {
        if (count + 1 >= starts.length) {
          this.grow();
          starts = this.starts;
          ends = this.ends;
        }
        // One field starting at i.
        if (i < n && text.charCodeAt(i) === QUOTE) {
          let j = i + 1;
          let value = "";
          let segment = j;
          let closed = false;
          let breaks = 0; // line breaks inside this field
          let firstBreak = -1; // where the line the quote opened on ends
          let open: OpenQuote | null = null; // set when the quote is taken to be a stray one
          const stop = this.maxChars < n - i ? i + this.maxChars : n;
          while (j < stop) {
            c = text.charCodeAt(j);
            if (c === QUOTE) {
              if (j + 1 < n && text.charCodeAt(j + 1) === QUOTE) {
                value += text.slice(segment, j + 1);
                j += 2;
                segment = j;
                continue;
              }
              if (j + 1 >= n && !final) break; // cannot tell "" from " yet
              value += text.slice(segment, j);
              j += 1;
              closed = true;
              break;
            }
            if (c === LF || c === CR) {
              if (firstBreak < 0) firstBreak = j;
              if (c === LF || text.charCodeAt(j + 1) !== LF) {
                breaks += 1;
                if (breaks > this.maxBreaks) {
                  open = this.singleLine ? "line-end" : "max-lines";
                  break;
                }
              }
            }
            j += 1;
          }
          if (!closed && open === null && stop < n && j >= stop) open = "max-chars";
          if (open !== null) {
            // A stray quote: the row ends with the line the quote opened on, and the lines
            // after it are read again as rows.
            let lineEnd = firstBreak;
            if (lineEnd < 0) {
              lineEnd = lineBreak(text, j);
              if (lineEnd < 0) {
                if (!final) return rowStart;
                lineEnd = n;
              }
            }
            let next = lineEnd;
            if (next < n) {
              if (text.charCodeAt(next) === CR) {
                if (next + 1 >= n && !final) return rowStart; // CR or CRLF?
                if (text.charCodeAt(next + 1) === LF) ++next;
              }
              ++next;
            }
            if (j > next) this.scanned += j - next;
            values[count] = text.slice(i + 1, lineEnd);
            starts[count] = -1;
            ends[count++] = -1;
            this.openQuote = open;
            unterminated = true;
            pos = next;
            break;
          }
          lines += breaks;
          if (!closed) {
            if (!final) return rowStart; // wait for more text
            value += text.slice(segment, n);
            unterminated = true;
            this.openQuote = "end-of-input";
            j = n;
          }
          // Characters after the closing quote up to the delimiter are kept literally.
          let k = j;
          while (k < n) {
            c = text.charCodeAt(k);
            if (c === d || c === LF || c === CR) break;
            ++k;
          }
          if (k > j) value += text.slice(j, k);
          values[count] = value;
          starts[count] = -1;
          ends[count++] = -1;
          i = k;
        } else {
          let k = i;
          while (k < n) {
            c = text.charCodeAt(k);
            if (c <= hi && (c === d || c === LF || c === CR)) break;
            ++k;
          }
          starts[count] = i;
          ends[count++] = k;
          i = k;
        }
        if (i >= n) {
          if (!final) return rowStart;
          pos = n;
          break;
        }
        c = text.charCodeAt(i);
        if (c === d) {
          ++i;
          if (i >= n && !final) return rowStart;
          if (i >= n) {
            starts[count] = n;
            ends[count++] = n;
            pos = n;
            break;
          }
          continue;
        }
        // Line end.
        if (c === CR) {
          if (i + 1 >= n && !final) return rowStart;
          if (text.charCodeAt(i + 1) === LF) ++i;
        }
        pos = i + 1;
        break;
      }
      this.line += lines + 1;
      this.rows += 1;
      this.sink.row(this, text, count, rowLine, unterminated);
    }
    return pos;
  }
}

/**
 * A streaming RFC 4180 tokenizer: feed text in chunks of any size with `push`, then `end`.
 * Handles a leading BOM, CRLF, LF or CR line ends, quoted fields with `""` escapes and
 * embedded line breaks. A quote inside an unquoted field is kept literally (as d3-dsv
 * does). Empty lines are not rows; they are counted in `blankLines`. Ragged rows are passed
 * on with their true field count, so the caller can reject them by line number — unlike
 * uDSV 0.7.3, which we found merges a short row into the next.
 *
 * A stray quote cannot swallow the rest of the input: a quoted field may span at most
 * `maxFieldLines` lines and `maxFieldChars` characters (or one line, with
 * `multilineFields: false`); past that the row ends with the line the quote opened on, is
 * passed on as unterminated, and reading goes on with the next line. Work is linear in the
 * input's length whatever its content (see `scanned`), also for one very long line fed in
 * many chunks.
 *
 * @throws InputError `invalid-option` for a delimiter that is not one character other than a
 * quote or line break, or a limit that is not a whole number ≥ 1.
 * @example
 * const rows = [];
 * const p = new DelimitedParser((f, n) => rows.push(f.slice(0, n)));
 * p.push('a,"b,c"\r\n1,'); p.push("2\r\n"); p.end();
 * rows // => [["a", "b,c"], ["1", "2"]]
 * @example
 * parseDelimited('a,b\n1,"on or near\n2,3\n', { multilineFields: false }).map((r) => r.fields)
 * // => [["a", "b"], ["1", "on or near"], ["2", "3"]]
 */
/** The most characters a row may hold before its line end (16 Mi): see `DelimitedScanner`'s row-length check. */
export const MAX_ROW_CHARS = 1 << 24;

export class DelimitedParser {
  /** Rows passed to the handler so far. */
  rows = 0;
  /** Empty lines skipped so far. */
  blankLines = 0;
  private readonly scanner: DelimitedScanner;

  constructor(onRow: RowHandler, options: DelimitedOptions = {}) {
    const fields: string[] = [];
    this.scanner = new DelimitedScanner(
      {
        row: (s, text, count, line, unterminated) => {
          const starts = s.starts;
          const ends = s.ends;
          for (let k = 0; k < count; ++k) {
            const a = starts[k];
            fields[k] = a < 0 ? s.values[k] : text.slice(a, ends[k]);
          }
          this.rows = s.rows;
          this.blankLines = s.blankLines;
          onRow(fields, count, line, unterminated);
        },
      },
      options,
    );
  }

  /** For the row being handled, when it is unterminated: why its last field's quote is open. */
  get openQuote(): OpenQuote | null {
    return this.scanner.openQuote;
  }

  /** Characters handed to the tokenizer so far, re-reads included: a measure of its work (see {@link DelimitedScanner.scanned}). */
  get scanned(): number {
    return this.scanner.scanned;
  }

  /** Parses every complete row in `chunk` (plus what was left over from earlier chunks). */
  push(chunk: string): void {
    this.scanner.push(chunk);
    this.rows = this.scanner.rows;
    this.blankLines = this.scanner.blankLines;
  }

  /** Parses whatever is left as the final row. */
  end(): void {
    this.scanner.end();
    this.rows = this.scanner.rows;
    this.blankLines = this.scanner.blankLines;
  }
}

/** Parses a whole string into rows of fields (a convenience over {@link DelimitedParser}). */
export function parseDelimited(text: string, options: DelimitedOptions = {}): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = [];
  const p = new DelimitedParser((f, n, line) => out.push({ fields: f.slice(0, n), line }), options);
  p.push(text);
  p.end();
  return out;
}
