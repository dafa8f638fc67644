import { InputError, invalidOption } from "./errors.js";

/** Options for {@link DelimitedParser}. */
export interface DelimitedOptions {
  /** Field separator, one character. Default `","`. */
  delimiter?: string;
}

/**
 * Called once per row. `fields` is reused between calls: copy what you keep.
 * `line` is the 1-based physical line on which the row starts (quoted newlines count),
 * `unterminated` is true when the input ended inside a quoted field.
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
  private readonly delim: number;
  private readonly delimText: string;
  private readonly highest: number;
  private buffer = "";
  private line = 1;
  private first = true;

  constructor(
    private readonly sink: SpanSink,
    options: DelimitedOptions = {},
  ) {
    const delimiter = options.delimiter ?? ",";
    if (typeof delimiter !== "string" || delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
      invalidOption("DelimitedParser", "delimiter", "one character other than a quote or line break", delimiter);
    }
    this.delim = delimiter.charCodeAt(0);
    this.delimText = delimiter;
    this.highest = Math.max(this.delim, LF, CR);
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
          return;
        }
        w = Math.min(chunk.length, w * 16);
      }
    }
    const consumed = this.parse(chunk, from, false);
    this.buffer = consumed < chunk.length ? chunk.slice(consumed) : "";
  }

  /** Parses whatever is left as the final row. */
  end(): void {
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
          while (j < n) {
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
            if (c === LF) lines += 1;
            else if (c === CR && text.charCodeAt(j + 1) !== LF) lines += 1;
            j += 1;
          }
          if (!closed) {
            if (!final) return rowStart; // wait for more text
            value += text.slice(segment, n);
            unterminated = true;
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
 * @example
 * const rows = [];
 * const p = new DelimitedParser((f, n) => rows.push(f.slice(0, n)));
 * p.push('a,"b,c"\r\n1,'); p.push("2\r\n"); p.end();
 * rows // => [["a", "b,c"], ["1", "2"]]
 */
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
