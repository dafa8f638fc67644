import { DelimitedParser, delimitedOptions, type DelimitedOptions } from "./delimited.js";
import { InputError, describeValue } from "./errors.js";
import { clipValue, type IngestResult } from "./ingest-result.js";
import { RecordIngest, type ReadRecordsOptions } from "./read-records.js";

/** Options for {@link readDelimited} and {@link DelimitedReader}: a column mapping plus the file's delimiter. */
export interface ReadDelimitedOptions extends Omit<ReadRecordsOptions, "name"> {
  /** Field separator, one character: `","` (default), `"\t"` for `.tab`/`.tsv`, `";"`, `"|"`. */
  readonly delimiter?: string;
  /**
   * Whether a quoted field may hold line breaks. Default `true` (RFC 4180). `false` for
   * sources whose fields never span lines: every physical line is then one row, and a quote
   * left open costs that line alone (rejected as `unterminated-quote`).
   */
  readonly multilineFields?: boolean;
  /**
   * The most lines one quoted field may span. Default 20. A quote still open after that is
   * taken to be a stray quote: the row ends with the line the quote opened on and is rejected
   * as `unterminated-quote`, and reading goes on with the next line. `Infinity`: no limit.
   */
  readonly maxFieldLines?: number;
  /** The most characters one quoted field may hold, as for `maxFieldLines`. Default 65,536. `Infinity`: no limit. */
  readonly maxFieldChars?: number;
}

const FN = "readDelimited";
const plural = (n: number, unit: string) => `${n.toLocaleString("en-GB")} ${unit}${n === 1 ? "" : "s"}`;

/**
 * Reads delimited text (CSV, TSV, `.tab`) with a header row into an {@link IncidentTable}
 * through a column mapping, streaming: call `beginFile`, `push` text chunks of any size,
 * `endFile` for each file, then `finish` — so a file of millions of rows is never one string.
 * Browser-safe; `@community-safety/core/node` adds file, folder and gzip reading
 * (`readDelimitedFiles`).
 *
 * Tokenising is core's RFC 4180 {@link DelimitedParser} (BOM, CRLF/LF/CR, quoted fields with
 * embedded delimiters and line breaks). Header names are trimmed and matched exactly; every
 * mapped column must be present. A row whose field count differs from the header is rejected
 * as `ragged-row`. A quoted field still open after `maxFieldLines` lines or `maxFieldChars`
 * characters (or at its line's end, with `multilineFields: false`) is taken to be a stray
 * quote: its row ends with the line the quote opened on, is rejected as `unterminated-quote`
 * naming the field, and reading goes on with the next line — so one stray quote cannot
 * swallow the rows after it, and reading stays linear in the input's size. A file ending
 * inside a quoted field (within those limits) rejects that last row as `unterminated-quote`.
 * All other rules are those of `readRecords` (see {@link ReadRecordsOptions}).
 * Rejections carry the 1-based data row (header not counted) and the physical line it starts on.
 */
export class DelimitedReader {
  private readonly engine: RecordIngest;
  private readonly delimiter: string;
  private readonly tokenizer: DelimitedOptions;
  private header: string[] = [];
  private parser: DelimitedParser | null = null;
  private width = -1;
  private file = "";

  /** @throws InputError `invalid-option` for bad options (checked before any text is read). */
  constructor(options: ReadDelimitedOptions) {
    this.engine = new RecordIngest(FN, options);
    const { delimiter, multilineFields, maxFieldLines, maxFieldChars } = options;
    this.tokenizer = { delimiter, multilineFields, maxFieldLines, maxFieldChars };
    this.delimiter = delimitedOptions(FN, this.tokenizer)[0];
  }

  /** Starts a new file; `name` appears in rejections and the summary. */
  beginFile(name: string): void {
    if (this.parser) this.endFile();
    this.engine.beginFile(name);
    this.file = name;
    this.width = -1;
    this.parser = new DelimitedParser((f, n, line, unterminated) => this.onRow(f, n, line, unterminated), this.tokenizer);
  }

  /** Parses a chunk of the current file's text. */
  push(chunk: string): void {
    if (!this.parser) throw new InputError("invalid-input", `${FN}: call beginFile before push`);
    this.parser.push(chunk);
  }

  /**
   * Ends the current file.
   * @throws InputError `empty-input` when the file had no header row.
   */
  endFile(): void {
    if (!this.parser) return;
    this.parser.end();
    this.engine.setBlankLines(this.parser.blankLines);
    this.parser = null;
    if (this.width < 0) throw new InputError("empty-input", `${FN}: file ${describeValue(this.file)} is empty: expected a header row naming ${this.engine.names.join(", ")}`);
  }

  private onRow(f: string[], n: number, line: number, unterminated: boolean): void {
    if (this.width < 0) {
      const header = f.slice(0, n).map((s) => s.trim());
      this.width = n;
      this.header = header;
      this.engine.bind(header);
      return;
    }
    if (unterminated) {
      const open = this.parser!.openQuote;
      if (open === "end-of-input") return this.engine.rejectRow(line, null, null, "unterminated-quote", `the file ends inside a quoted field that starts on line ${line}`);
      const k = n - 1;
      const name = k < this.header.length ? this.header[k] : null;
      const label = name === null ? `field ${k + 1}` : JSON.stringify(name);
      const o = this.tokenizer;
      const message =
        open === "line-end"
          ? `${label}: its quote is not closed on line ${line} and fields do not span lines (multilineFields: false): the line is rejected on its own and reading goes on with the next`
          : `${label}: its quote is not closed within ${open === "max-lines" ? plural(o.maxFieldLines ?? 20, "line") + " (maxFieldLines)" : plural(o.maxFieldChars ?? 65536, "character") + " (maxFieldChars)"}, so it is taken to be a stray quote: the row starting on line ${line} ends with the quote's line and reading goes on with the next line`;
      return this.engine.rejectRow(line, name, clipValue('"' + f[k]), "unterminated-quote", message);
    }
    if (n !== this.width) {
      return this.engine.rejectRow(line, null, clipValue(f.slice(0, n).join(this.delimiter)), "ragged-row", `row has ${n} field${n === 1 ? "" : "s"}, the header has ${this.width}`);
    }
    this.engine.row(f, line);
  }

  /** Applies the whole-input rules (duplicate ids, far-away points) and returns the result. */
  finish(): IngestResult {
    if (this.parser) this.endFile();
    return this.engine.finish();
  }
}

/**
 * Reads delimited text with a header row — one string, or several named files — through a
 * column mapping. See {@link DelimitedReader} for the format rules and
 * {@link ReadRecordsOptions} for the mapping and rejection rules; `summary.rows =
 * accepted + rejected` always.
 *
 * @throws InputError `empty-input` for a file with no header row (or no files);
 * `missing-field` naming every mapped column a header lacks; `invalid-option` for bad options.
 * @example
 * const text = "TYPE,YEAR,MONTH,DAY,HOUR,MINUTE,X,Y\nMischief,2020,6,19,3,40,491059.5,5459122.4\n";
 * const { table } = readDelimited(text, {
 *   columns: { category: "TYPE", dateParts: { year: "YEAR", month: "MONTH", day: "DAY", hour: "HOUR", minute: "MINUTE" }, x: "X", y: "Y" },
 *   crs: "EPSG:32610", zone: "America/Vancouver",
 * });
 * new Date(table.start[0] * 60_000).toISOString() // => "2020-06-19T10:40:00.000Z" (03:40 PDT)
 */
export function readDelimited(input: string | ReadonlyArray<{ readonly name: string; readonly text: string }>, options: ReadDelimitedOptions): IngestResult {
  const files = typeof input === "string" ? [{ name: "input", text: input }] : input;
  if (!Array.isArray(files) || !files.every((f) => f !== null && typeof f === "object" && typeof f.name === "string" && typeof f.text === "string")) {
    throw new InputError("invalid-input", `${FN}: input must be delimited text or an array of { name, text }, got ${describeValue(input)}`);
  }
  const reader = new DelimitedReader(options);
  if (files.length === 0) throw new InputError("empty-input", `${FN}: input must hold at least one file, got []`);
  for (const f of files) {
    reader.beginFile(f.name);
    reader.push(f.text);
    reader.endFile();
  }
  return reader.finish();
}
