import { InputError, invalidOption, describeValue } from "./errors.js";
import { PRECISION, PRECISIONS, type Precision } from "./incident-table.js";
import { LocalClock, checkZone, daysFromCivil, civilFromDays, type LocalParts } from "./local-time.js";
import { clockFor } from "./periods.js";

/** The part of a date text at fault when it cannot be read. `text` means the shape (a literal or a digit count). */
export type DatePart = "text" | "year" | "month" | "day" | "hour" | "minute" | "second" | "meridiem" | "offset";

/**
 * What {@link DateFormat.parse} read from one text: the half-open window `[start, end)` in
 * epoch minutes (UTC instants) of the precision unit that holds the local time, or, when the
 * text cannot be read, `start = end = NaN` and `error`/`message` saying why. One object is
 * reused across calls when passed as `out`, so a million rows allocate nothing.
 */
export interface DateReading {
  /** Window start, epoch minutes (UTC); `NaN` when rejected. */
  start: number;
  /** Window end (exclusive): the start of the next precision unit; `NaN` when rejected. */
  end: number;
  /** {@link PRECISION} code of this value (for `"iso"`, of this value's own shape). */
  precision: number;
  /** Local wall-clock fields as read (hour and minute 0 where the format has none). */
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** `null` when the text was read; else the part at fault. */
  error: DatePart | null;
  /** Why the text was rejected (`""` when read), e.g. `day 30 does not exist in 2021-02`. */
  message: string;
}

/** Options for {@link compileDateFormat}. */
export interface DateFormatOptions {
  /** IANA zone of the wall-clock times. Default `"Europe/London"`. */
  zone?: string;
  /**
   * Coarsen every value to at least this precision (police.uk-style `2022-01-01` month
   * columns: `"month"`): the window becomes the whole unit holding the time. Must not be
   * finer than the pattern's finest token. Default: the pattern's own precision.
   */
  precision?: Precision;
  /**
   * `"iso"` only: read a trailing `Z` or `±hh:mm` and ignore it, treating the time as local
   * wall-clock in `zone` (for exports whose `Z` is a lie). Default `false`: an offset makes
   * the value an exact instant.
   */
  ignoreOffset?: boolean;
}

/** A compiled date pattern. Build one with {@link compileDateFormat}; reuse it for every row. */
export interface DateFormat {
  /** The pattern as given (`"iso"` or luxon-style tokens). */
  readonly pattern: string;
  readonly zone: string;
  /** Precision of the values: the finest token, or the `precision` option; for `"iso"`, the coarsest a value is allowed to be refined to (values carry their own). */
  readonly precision: Precision;
  /** True when the pattern has a year, month and day token (or is `"iso"`). */
  readonly hasDate: boolean;
  /** True when the pattern has an hour token. */
  readonly hasTime: boolean;
  /** Reads `text`; writes the window (or the error) into `out` and returns it. */
  parse(text: string, out?: DateReading): DateReading;
  /**
   * Reads only the wall-clock fields present in the pattern into `out` (no window), for
   * combining a date column with a separate time column. Returns false on error.
   */
  readFields(text: string, out: DateReading): boolean;
}

/**
 * A fresh {@link DateReading} to pass as `out`.
 * @example
 * const out = dateReading();
 * compileDateFormat("yyyy-MM").parse("2021-07", out) === out // => true
 */
export function dateReading(): DateReading {
  return { start: NaN, end: NaN, precision: 0, year: 0, month: 1, day: 1, hour: 0, minute: 0, error: null, message: "" };
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/**
 * Days in a month of the proleptic Gregorian calendar.
 * @example
 * [daysInMonth(2020, 2), daysInMonth(2100, 2), daysInMonth(2021, 4)] // => [29, 28, 30]
 */
export function daysInMonth(year: number, month: number): number {
  if (month !== 2) return MONTH_DAYS[month - 1];
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** The earliest year read as a date; earlier years are rejected as implausible (`year` error). */
export const MIN_YEAR = 1800;
/** The latest year read as a date (Int32 epoch minutes could not hold years far beyond it). */
export const MAX_YEAR = 2200;

/**
 * Converts local wall-clock times in one IANA zone to UTC instants (epoch minutes),
 * deterministically across clock changes: a time skipped by a spring-forward change moves
 * forward by the gap (02:30 on a 02:00→03:00 night is read as 03:30), and a time repeated by
 * an autumn change takes the earlier instant (01:30 on a 02:00→01:00 night is the first
 * 01:30, still on summer time). Instants come from {@link LocalClock.fromLocal}
 * (offsets cached per local day), so ten years of rows cost a few thousand zone look-ups.
 */
export class ZoneResolver {
  readonly zone: string;
  readonly clock: LocalClock;
  private readonly scratch = { year: 0, month: 0, day: 0 };

  constructor(zone = "Europe/London") {
    this.zone = checkZone("ZoneResolver", zone);
    this.clock = clockFor(this.zone);
  }

  /** The instant (epoch minutes) of a local wall-clock time: {@link LocalClock.fromLocal}. */
  instant(year: number, month: number, day: number, hour = 0, minute = 0): number {
    return this.clock.fromLocal(year, month, day, hour, minute);
  }

  /**
   * Writes into `out.start`/`out.end` the window of the `precision` unit holding a local
   * time: a minute, an hour (60 minutes from the hour's start), a local day (23 or 25 hours
   * across a change), a calendar month or a year. Coarser units ignore the finer fields.
   */
  window(year: number, month: number, day: number, hour: number, minute: number, precision: number, out: { start: number; end: number }): void {
    switch (precision) {
      case PRECISION.minute:
        out.start = this.instant(year, month, day, hour, minute);
        out.end = out.start + 1;
        return;
      case PRECISION.hour:
        out.start = this.instant(year, month, day, hour, 0);
        out.end = out.start + 60;
        return;
      case PRECISION.day: {
        out.start = this.instant(year, month, day);
        const s = this.scratch;
        civilFromDays(daysFromCivil(year, month, day) + 1, s);
        out.end = this.instant(s.year, s.month, s.day);
        return;
      }
      case PRECISION.month:
        out.start = this.instant(year, month, 1);
        out.end = month === 12 ? this.instant(year + 1, 1, 1) : this.instant(year, month + 1, 1);
        return;
      default:
        out.start = this.instant(year, 1, 1);
        out.end = this.instant(year + 1, 1, 1);
    }
  }
}

const resolvers = new Map<string, ZoneResolver>();

/**
 * A shared {@link ZoneResolver} per zone (its caches live as long as the module).
 * @throws InputError `invalid-option` for a name that is not an IANA zone.
 * @example
 * zoneResolver("Europe/London").instant(2021, 7, 14, 22, 15) // => 27104955 (21:15Z, BST)
 */
export function zoneResolver(zone: string): ZoneResolver {
  let r = resolvers.get(zone);
  if (!r) resolvers.set(zone, (r = new ZoneResolver(zone)));
  return r;
}

// ---- pattern compilation -------------------------------------------------------------

const OP_LITERAL = 0;
const OP_SPACE = 1;
const OP_NUMBER = 2;
const OP_MERIDIEM = 3;

const F_YEAR = 0;
const F_MONTH = 1;
const F_DAY = 2;
const F_HOUR = 3; // 0–23
const F_HOUR12 = 4; // 1–12
const F_MINUTE = 5;
const F_SECOND = 6;
const FIELD_PART: readonly DatePart[] = ["year", "month", "day", "hour", "hour", "minute", "second"];

/** token → [field, min digits, max digits] */
const TOKENS: Record<string, [number, number, number]> = {
  yyyy: [F_YEAR, 4, 4],
  MM: [F_MONTH, 2, 2],
  M: [F_MONTH, 1, 2],
  dd: [F_DAY, 2, 2],
  d: [F_DAY, 1, 2],
  HH: [F_HOUR, 2, 2],
  H: [F_HOUR, 1, 2],
  hh: [F_HOUR12, 2, 2],
  h: [F_HOUR12, 1, 2],
  mm: [F_MINUTE, 2, 2],
  m: [F_MINUTE, 1, 2],
  ss: [F_SECOND, 2, 2],
  s: [F_SECOND, 1, 2],
};
const TOKEN_LIST = "yyyy, MM, M, dd, d, HH, H, hh, h, mm, m, ss, s, a";
const FN = "compileDateFormat";

interface Ops {
  kind: number[];
  arg: number[]; // literal char code, or field
  min: number[];
  max: number[];
  fields: number; // bit set of fields present
  meridiem: boolean;
}

function compilePattern(pattern: string, timeOnly: boolean): Ops {
  const ops: Ops = { kind: [], arg: [], min: [], max: [], fields: 0, meridiem: false };
  const push = (kind: number, arg: number, min = 0, max = 0) => {
    ops.kind.push(kind);
    ops.arg.push(arg);
    ops.min.push(min);
    ops.max.push(max);
  };
  const bad = (rule: string): never => invalidOption(FN, "pattern", rule, pattern);
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "'") {
      // Quoted literal; '' is a quote.
      let j = i + 1;
      if (pattern[j] === "'") {
        push(OP_LITERAL, 39);
        i = j + 1;
        continue;
      }
      while (j < pattern.length && pattern[j] !== "'") push(OP_LITERAL, pattern.charCodeAt(j++));
      if (j >= pattern.length) bad("closed quotes around literal text");
      i = j + 1;
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (j < pattern.length && pattern[j] === c) ++j;
      const run = pattern.slice(i, j);
      i = j;
      if (run === "a") {
        if (ops.meridiem) bad("free of repeated tokens");
        ops.meridiem = true;
        push(OP_MERIDIEM, 0);
        continue;
      }
      if (run === "T") {
        push(OP_LITERAL, 84);
        continue;
      }
      const t = TOKENS[run];
      if (!t) {
        const hint = /Y|D/.test(run) ? ` (${run} is not a luxon token: years are yyyy, days dd)` : "";
        bad(`made of the tokens ${TOKEN_LIST} and 'quoted' literals${hint}`);
      }
      const bit = t[0] === F_HOUR12 ? 1 << F_HOUR : 1 << t[0];
      if (ops.fields & bit) bad("free of repeated tokens");
      ops.fields |= bit;
      push(OP_NUMBER, t[0], t[1], t[2]);
      continue;
    }
    if (c === " ") {
      while (pattern[i] === " ") ++i;
      push(OP_SPACE, 32);
      continue;
    }
    push(OP_LITERAL, pattern.charCodeAt(i++));
  }
  const has = (f: number) => (ops.fields & (1 << f)) !== 0;
  const hour12 = ops.arg.some((a, k) => ops.kind[k] === OP_NUMBER && a === F_HOUR12);
  if (hour12 !== ops.meridiem) bad("using hh/h together with a (AM/PM), and HH/H without it");
  if (timeOnly) {
    if (has(F_YEAR) || has(F_MONTH) || has(F_DAY)) bad("a time pattern without year, month or day tokens");
    if (!has(F_HOUR)) bad("a time pattern with an hour token");
  } else {
    if (!has(F_YEAR)) bad("a pattern with a year token (yyyy)");
    if (has(F_DAY) && !has(F_MONTH)) bad("a pattern with a month token when it has a day");
    if (has(F_HOUR) && !has(F_DAY)) bad("a pattern with a day token when it has an hour");
  }
  if (has(F_MINUTE) && !has(F_HOUR)) bad("a pattern with an hour token when it has minutes");
  if (has(F_SECOND) && !has(F_MINUTE)) bad("a pattern with a minute token when it has seconds");
  return ops;
}

function precisionOfFields(fields: number): number {
  if (fields & (1 << F_MINUTE)) return PRECISION.minute;
  if (fields & (1 << F_HOUR)) return PRECISION.hour;
  if (fields & (1 << F_DAY)) return PRECISION.day;
  if (fields & (1 << F_MONTH)) return PRECISION.month;
  return PRECISION.year;
}

const isSpace = (c: number) => c === 32 || c === 9;

function fail(out: DateReading, part: DatePart, message: string): false {
  out.start = out.end = NaN;
  out.error = part;
  out.message = message;
  return false;
}

/** Checks calendar and clock ranges of the fields in `out`. */
function checkRanges(out: DateReading, fields: number): boolean {
  if (fields & (1 << F_YEAR) && (out.year < MIN_YEAR || out.year > MAX_YEAR)) {
    return fail(out, "year", `year ${out.year} is outside ${MIN_YEAR}–${MAX_YEAR}`);
  }
  if (fields & (1 << F_MONTH) && (out.month < 1 || out.month > 12)) return fail(out, "month", `month ${out.month} is not 1–12`);
  if (fields & (1 << F_DAY) && (out.day < 1 || out.day > daysInMonth(out.year, out.month))) {
    return fail(out, "day", `day ${out.day} does not exist in ${MONTH_NAMES[out.month - 1]} ${out.year}`);
  }
  if (out.hour > 23) return fail(out, "hour", `hour ${out.hour} is not 0–23`);
  if (out.minute > 59) return fail(out, "minute", `minute ${out.minute} is not 0–59`);
  return true;
}

class PatternFormat implements DateFormat {
  readonly hasDate: boolean;
  readonly hasTime: boolean;
  private readonly kind: Int32Array;
  private readonly arg: Int32Array;
  private readonly min: Int32Array;
  private readonly max: Int32Array;
  private readonly fields: number;
  private readonly resolver: ZoneResolver | null;
  private readonly target: number;

  constructor(
    readonly pattern: string,
    readonly zone: string,
    readonly precision: Precision,
    ops: Ops,
    resolver: ZoneResolver | null,
  ) {
    this.kind = Int32Array.from(ops.kind);
    this.arg = Int32Array.from(ops.arg);
    this.min = Int32Array.from(ops.min);
    this.max = Int32Array.from(ops.max);
    this.fields = ops.fields;
    this.hasDate = (ops.fields & (1 << F_DAY)) !== 0;
    this.hasTime = (ops.fields & (1 << F_HOUR)) !== 0;
    this.resolver = resolver;
    this.target = PRECISION[precision];
  }

  readFields(text: string, out: DateReading): boolean {
    out.error = null;
    out.message = "";
    if (this.fields & (1 << F_YEAR)) {
      out.year = 0;
      out.month = out.day = 1;
    }
    out.hour = out.minute = 0;
    let pos = 0;
    let end = text.length;
    while (pos < end && isSpace(text.charCodeAt(pos))) ++pos;
    while (end > pos && isSpace(text.charCodeAt(end - 1))) --end;
    let hour12 = -1;
    let pm = false;
    const kind = this.kind;
    for (let k = 0; k < kind.length; ++k) {
      const op = kind[k];
      if (op === OP_NUMBER) {
        const max = this.max[k];
        let v = 0;
        let n = 0;
        while (n < max && pos < end) {
          const c = text.charCodeAt(pos) - 48;
          if (c < 0 || c > 9) break;
          v = v * 10 + c;
          ++n;
          ++pos;
        }
        const f = this.arg[k];
        if (n < this.min[k]) {
          return fail(out, FIELD_PART[f], n === 0 ? `expected the ${FIELD_PART[f]} at character ${pos + 1}` : `the ${FIELD_PART[f]} must have ${this.min[k]} digits`);
        }
        switch (f) {
          case F_YEAR: out.year = v; break;
          case F_MONTH: out.month = v; break;
          case F_DAY: out.day = v; break;
          case F_HOUR: out.hour = v; break;
          case F_HOUR12: hour12 = v; break;
          case F_MINUTE: out.minute = v; break;
          default:
            if (v > 59) return fail(out, "second", `second ${v} is not 0–59`);
        }
      } else if (op === OP_LITERAL) {
        if (pos >= end || text.charCodeAt(pos) !== this.arg[k]) {
          return fail(out, "text", `expected ${JSON.stringify(String.fromCharCode(this.arg[k]))} at character ${pos + 1}`);
        }
        ++pos;
      } else if (op === OP_SPACE) {
        if (pos >= end || !isSpace(text.charCodeAt(pos))) return fail(out, "text", `expected a space at character ${pos + 1}`);
        while (pos < end && isSpace(text.charCodeAt(pos))) ++pos;
      } else {
        const a = pos < end ? text.charCodeAt(pos) | 32 : 0;
        const m = pos + 1 < end ? text.charCodeAt(pos + 1) | 32 : 0;
        if ((a !== 97 && a !== 112) || m !== 109) return fail(out, "meridiem", `expected AM or PM at character ${pos + 1}`);
        pm = a === 112;
        pos += 2;
      }
    }
    if (pos !== end) return fail(out, "text", `unexpected text after character ${pos}`);
    if (hour12 >= 0) {
      if (hour12 < 1 || hour12 > 12) return fail(out, "hour", `hour ${hour12} is not 1–12 on a 12-hour clock`);
      out.hour = (hour12 % 12) + (pm ? 12 : 0);
    }
    return checkRanges(out, this.fields);
  }

  parse(text: string, out: DateReading = dateReading()): DateReading {
    if (typeof text !== "string") {
      fail(out, "text", `expected text, got ${describeValue(text)}`);
      return out;
    }
    if (!this.readFields(text, out)) return out;
    out.precision = this.target;
    this.resolver!.window(out.year, out.month, out.day, out.hour, out.minute, this.target, out);
    return out;
  }
}

/**
 * ISO 8601 calendar dates and times: `yyyy`, `yyyy-MM`, `yyyy-MM-dd`, then optionally `T` (or
 * a space) `HH:mm`, `:ss`, `.fraction`, and `Z` or `±hh[:mm]`. Each value's precision
 * follows its own shape (year, month, day or minute; seconds are truncated).
 */
class IsoFormat implements DateFormat {
  readonly pattern = "iso";
  readonly hasDate = true;
  readonly hasTime = true;
  private readonly parts: LocalParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, weekday: 0 };
  private offset = NaN;
  private valuePrecision = 0;
  constructor(
    readonly zone: string,
    readonly precision: Precision,
    private readonly resolver: ZoneResolver,
    private readonly ignoreOffset: boolean,
    private readonly minPrecision: number,
  ) {}

  readFields(text: string, out: DateReading): boolean {
    out.error = null;
    out.message = "";
    out.year = 0;
    out.month = out.day = 1;
    out.hour = out.minute = 0;
    this.offset = NaN;
    let pos = 0;
    let end = text.length;
    while (pos < end && isSpace(text.charCodeAt(pos))) ++pos;
    while (end > pos && isSpace(text.charCodeAt(end - 1))) --end;
    const digits = (n: number): number => {
      let v = 0;
      for (let k = 0; k < n; ++k) {
        const c = pos < end ? text.charCodeAt(pos) - 48 : -1;
        if (c < 0 || c > 9) return -1;
        v = v * 10 + c;
        ++pos;
      }
      return v;
    };
    const at = (c: number) => pos < end && text.charCodeAt(pos) === c;
    let fields = 1 << F_YEAR;
    if ((out.year = digits(4)) < 0) return fail(out, "year", "expected a 4-digit year (ISO 8601)");
    let precision: number = PRECISION.year;
    if (at(45)) {
      ++pos;
      if ((out.month = digits(2)) < 0) return fail(out, "month", "expected a 2-digit month after yyyy-");
      fields |= 1 << F_MONTH;
      precision = PRECISION.month;
      if (at(45)) {
        ++pos;
        if ((out.day = digits(2)) < 0) return fail(out, "day", "expected a 2-digit day after yyyy-MM-");
        fields |= 1 << F_DAY;
        precision = PRECISION.day;
        if (at(84) || at(32)) {
          ++pos;
          if ((out.hour = digits(2)) < 0) return fail(out, "hour", "expected a 2-digit hour after the date");
          if (!at(58)) return fail(out, "minute", "expected :mm after the hour");
          ++pos;
          if ((out.minute = digits(2)) < 0) return fail(out, "minute", "expected a 2-digit minute");
          fields |= (1 << F_HOUR) | (1 << F_MINUTE);
          precision = PRECISION.minute;
          if (at(58)) {
            ++pos;
            const s = digits(2);
            if (s < 0) return fail(out, "second", "expected 2-digit seconds");
            if (s > 59) return fail(out, "second", `second ${s} is not 0–59`);
            if (at(46) || at(44)) {
              ++pos;
              const from = pos;
              while (pos < end && text.charCodeAt(pos) >= 48 && text.charCodeAt(pos) <= 57) ++pos;
              if (pos === from) return fail(out, "second", "expected digits after the decimal point");
            }
          }
          if (at(90) || at(122)) {
            ++pos;
            this.offset = 0;
          } else if (at(43) || at(45)) {
            const sign = text.charCodeAt(pos) === 45 ? -1 : 1;
            ++pos;
            const oh = digits(2);
            if (oh < 0 || oh > 18) return fail(out, "offset", "expected ±hh[:mm] after the time");
            let om = 0;
            if (at(58)) ++pos;
            if (pos < end) {
              om = digits(2);
              if (om < 0 || om > 59) return fail(out, "offset", "expected ±hh[:mm] after the time");
            }
            this.offset = sign * (oh * 60 + om);
          }
        }
      }
    }
    if (pos !== end) return fail(out, "text", `unexpected text at character ${pos + 1} (ISO 8601 expected)`);
    this.valuePrecision = precision;
    return checkRanges(out, fields);
  }

  parse(text: string, out: DateReading = dateReading()): DateReading {
    if (typeof text !== "string") {
      fail(out, "text", `expected text, got ${describeValue(text)}`);
      return out;
    }
    if (!this.readFields(text, out)) return out;
    const p = Math.max(this.valuePrecision, this.minPrecision);
    out.precision = p;
    if (!Number.isNaN(this.offset) && !this.ignoreOffset) {
      // An exact instant: find its local wall-clock fields, then the window in `zone`.
      const t = daysFromCivil(out.year, out.month, out.day) * 1440 + out.hour * 60 + out.minute - this.offset;
      // An offset can move an instant at either end of the range into another local year.
      const edge = out.year === MIN_YEAR || out.year === MAX_YEAR;
      if (p === PRECISION.minute && !edge) {
        out.start = t;
        out.end = t + 1;
        return out;
      }
      const q = this.resolver.clock.parts(t, this.parts);
      if (q.year < MIN_YEAR || q.year > MAX_YEAR) {
        fail(out, "year", `year ${q.year} (in ${this.zone}) is outside ${MIN_YEAR}–${MAX_YEAR}`);
        return out;
      }
      if (p === PRECISION.minute) {
        out.start = t;
        out.end = t + 1;
        return out;
      }
      out.year = q.year;
      out.month = q.month;
      out.day = q.day;
      out.hour = q.hour;
      out.minute = q.minute;
    }
    this.resolver.window(out.year, out.month, out.day, out.hour, out.minute, p, out);
    return out;
  }
}

function checkPrecision(fn: string, value: unknown, finest: number, label: string): number {
  if (value === undefined) return finest;
  const code = typeof value === "string" && Object.hasOwn(PRECISION, value) ? PRECISION[value as Precision] : -1;
  if (code < 0) invalidOption(fn, "precision", `one of ${PRECISIONS.join(", ")}`, value);
  if (code < finest) invalidOption(fn, "precision", `no finer than the pattern's finest token (${PRECISIONS[finest]}) for ${JSON.stringify(label)}`, value);
  return code;
}

/**
 * Compiles a date pattern into a fast parser from text to a time window in an IANA zone:
 * the half-open `[start, end)` (epoch minutes, UTC) of the precision unit holding the local
 * wall-clock time. Parse a million values with one compiled format and one reused `out`.
 *
 * Patterns use a subset of luxon's tokens — `yyyy`, `MM`/`M`, `dd`/`d`, `HH`/`H` (0–23),
 * `hh`/`h` (1–12, with `a` for AM/PM, any case), `mm`/`m`, `ss`/`s` — plus literals: any
 * character other than a letter, `T`, and `'quoted text'` (`''` is a quote). A space matches
 * one or more spaces; leading and trailing spaces in the text are ignored. Or the pattern is
 * `"iso"` for ISO 8601 (see {@link DateFormatOptions.ignoreOffset}).
 *
 * The precision follows the finest token: `mm`/`ss` → minute (seconds are truncated), `HH` →
 * hour, `dd` → day, `MM` → month, `yyyy` → year. Text that does not fit the pattern, or an
 * impossible date (`2021-02-30`, hour 25, minute 60), is rejected with `error` naming the
 * part. Clock changes follow {@link ZoneResolver}: non-existent local times move forward by
 * the gap; ambiguous ones take the earlier instant.
 *
 * @throws InputError `invalid-option` for an unknown token (`YYYY`, `DD`), a repeated token, a
 * day without a month, an hour without a day, `hh` without `a`, a bad zone or precision.
 * @example
 * const f = compileDateFormat("yyyy-MM-dd HH:mm", { zone: "America/Chicago" });
 * f.parse("2015-03-08 02:30").start // => 23763390 (08:30Z: 02:30 CST does not exist, read as 03:30 CDT)
 * f.parse("2021-02-30 10:00").error // => "day"
 */
export function compileDateFormat(pattern: string, options: DateFormatOptions = {}): DateFormat {
  if (typeof pattern !== "string" || pattern.trim() === "") invalidOption(FN, "pattern", 'a date pattern such as "yyyy-MM-dd HH:mm" or "iso"', pattern);
  const zone = checkZone(FN, options.zone ?? "Europe/London");
  const ignoreOffset = options.ignoreOffset ?? false;
  if (typeof ignoreOffset !== "boolean") invalidOption(FN, "ignoreOffset", "a boolean", ignoreOffset);
  const resolver = zoneResolver(zone);
  if (pattern === "iso") {
    const p = checkPrecision(FN, options.precision, PRECISION.minute, pattern);
    return new IsoFormat(zone, PRECISIONS[p], resolver, ignoreOffset, p);
  }
  const ops = compilePattern(pattern, false);
  const p = checkPrecision(FN, options.precision, precisionOfFields(ops.fields), pattern);
  return new PatternFormat(pattern, zone, PRECISIONS[p], ops, resolver);
}

/**
 * Compiles a time-of-day pattern (`HH:mm`, `h:mm a`, `HHmm`…: hour tokens required, no date
 * tokens) for a time column read beside a date column. Only {@link DateFormat.readFields} is
 * meaningful: it writes `hour` and `minute`.
 *
 * @throws InputError `invalid-option` for a pattern with date tokens or no hour.
 * @example
 * const t = compileTimeFormat("h:mm a"), out = dateReading();
 * t.readFields("7:05 PM", out); out.hour // => 19
 */
export function compileTimeFormat(pattern: string): DateFormat {
  if (typeof pattern !== "string" || pattern.trim() === "") invalidOption("compileTimeFormat", "pattern", 'a time pattern such as "HH:mm"', pattern);
  const ops = compilePattern(pattern, true);
  return new PatternFormat(pattern, "UTC", PRECISIONS[precisionOfFields(ops.fields)], ops, null);
}

/**
 * Reads one date text into its window — a convenience over {@link compileDateFormat} for a
 * single value (compile once for many).
 *
 * @throws InputError `invalid-date` when the text cannot be read (the message names the part);
 * `invalid-option` as {@link compileDateFormat}.
 * @example
 * const w = parseDateWindow("2022-01-01", "yyyy-MM-dd", { precision: "month" });
 * [w.start, w.end, w.precision] // => [27349920, 27394560, "month"] (Jan 2022 in London)
 */
export function parseDateWindow(text: string, pattern: string, options: DateFormatOptions = {}): { start: number; end: number; precision: Precision } {
  const r = compileDateFormat(pattern, options).parse(text);
  if (r.error !== null) throw new InputError("invalid-date", `parseDateWindow: text must match ${JSON.stringify(pattern)}, got ${describeValue(text)}: ${r.message}`);
  return { start: r.start, end: r.end, precision: PRECISIONS[r.precision] };
}
