import { InputError, PRECISION, clockFor, failInput, invalidOption, type IncidentTable, type LocalClock } from "@community-safety/core";
import { IANAZone } from "luxon";

/** Weekday names of the matrix rows, ISO order: row 0 is Monday, row 6 is Sunday. */
export const WEEKDAY_NAMES: readonly string[] = Object.freeze(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]);

/** Minutes in a week: windows at least this long are spread evenly over the 168 hours. */
export const WEEK_MINUTES = 10_080;

/** Options for {@link timeOfWeek}. */
export interface TimeOfWeekOptions {
  /**
   * Local hour (0–23) at which a "day" begins. Default 0 (midnight). With 6, the hours
   * 00:00–05:59 belong to the previous day, so the early hours of Saturday count as Friday
   * night and "a Saturday night stays Saturday". Rows are then those shifted days and the
   * columns run from 06:00 to 05:00 (see {@link TimeOfWeekResult.hours}).
   */
  dayStartHour?: number;
  /**
   * Leave out windows longer than this many minutes (counted in `excluded.windowTooLong`).
   * Default: none are left out (windows of a week or more are spread evenly).
   */
  maxWindowMinutes?: number;
  /**
   * What to do with records timed only to the month or year (police.uk): `"error"` (default)
   * throws `precision-too-coarse`; `"exclude"` leaves them out and counts them. They are never
   * placed on a day or an hour.
   */
  coarse?: "error" | "exclude";
  /**
   * What to do with records timed only to the day (e.g. hospital admissions):
   * - `"weekday"` (default): they count in the weekday totals (`byWeekday`, through
   *   `weekdayOnly`) but not in the matrix or the hour totals, since their hour is unknown;
   * - `"spread"`: their window (a local day) is apportioned over its hours like any other
   *   window — 1/24 to each hour of an ordinary day, which flattens the hour profile;
   * - `"exclude"`: left out and counted in `excluded.dayPrecision`.
   */
  dayPrecision?: "weekday" | "spread" | "exclude";
  /** Category keys to include (e.g. `["violent-crime"]`). Default every category. */
  categories?: readonly string[];
  /** Only these rows: a list of row indices, or a test `(i) => boolean`. Combined with `categories`. */
  rows?: ArrayLike<number> | ((i: number) => boolean);
}

/** Incidents not placed on the week, by reason. */
export interface TimeOfWeekExclusions {
  /** Month- or year-precision records (`coarse: "exclude"`). */
  precisionTooCoarse: number;
  /** Day-precision records with `dayPrecision: "exclude"`. */
  dayPrecision: number;
  /** Windows longer than `maxWindowMinutes`. */
  windowTooLong: number;
  /** Windows that end before they start. */
  invalidWindow: number;
}

/** Result of {@link timeOfWeek}. All arrays are new; the table is not modified. */
export interface TimeOfWeekResult {
  /** The table's IANA zone, in which weekdays and hours are reckoned. */
  readonly zone: string;
  /** Local hour at which each row's day begins (0 = midnight). */
  readonly dayStartHour: number;
  /** Row names: `WEEKDAY_NAMES`, Monday first (ISO). */
  readonly days: readonly string[];
  /**
   * The local clock hour of each column: `[0, 1, …, 23]`, or with `dayStartHour` 6
   * `[6, 7, …, 23, 0, …, 5]`. Column `c` holds minutes from `hours[c]:00` to `hours[c]:59`.
   */
  readonly hours: readonly number[];
  /**
   * Aoristic weights, 7 × 24 row-major: `matrix[d * 24 + c]` is the expected number of
   * incidents in hour `hours[c]` of day `d` (0 = Monday … 6 = Sunday; with `dayStartHour` h the
   * day that begins at h:00 on that weekday). Each incident placed here adds exactly 1 in all.
   */
  readonly matrix: Float64Array;
  /** Per day: the matrix's row sums plus `weekdayOnly`. */
  readonly byWeekday: Float64Array;
  /** Per column (in `hours` order): the matrix's column sums. */
  readonly byHour: Float64Array;
  /** Per day: the weights of day-precision records (`dayPrecision: "weekday"`), not in the matrix. */
  readonly weekdayOnly: Float64Array;
  /**
   * Whole incidents (not weights) whose entire window lies in one cell, per cell — the counts a
   * chi-square test may use (see `uniformityTest`).
   */
  readonly singleCell: Float64Array;
  /** Whole incidents whose entire window lies in one day, per day (day-precision records included). */
  readonly singleDay: Float64Array;
  /** Incidents placed in the matrix (equals the matrix's sum up to rounding). */
  readonly used: number;
  /** Day-precision incidents in the weekday totals only. */
  readonly usedWeekdayOnly: number;
  /** Of `used`, windows of a week or longer spread as 1/168 to every cell. */
  readonly spreadEvenly: number;
  /** Incidents selected by `categories`/`rows` (all rows without them). */
  readonly selected: number;
  readonly excluded: TimeOfWeekExclusions;
}

const FN = "timeOfWeek";

/** Walk state: the absolute shifted-local hour and day of the first segment, and whether all segments share them. */
interface WalkInfo {
  hour: number;
  day: number;
  singleHour: boolean;
  singleDay: boolean;
}

const STEP_MAX = 14 * 1440; // probes never skip more than 14 days: offset changes are further apart
const SPAN_LIMIT = 400 * 1440; // spans found at once are at most ~400 days each way

/**
 * A zone's UTC offsets as spans of constant offset, each found with a few dozen zone look-ups
 * (exponential then 14-day probing, then bisection to the minute), so a table of millions of
 * incidents over years costs a few thousand look-ups instead of two per distinct UTC hour.
 */
class OffsetSpans {
  private readonly spans: { from: number; to: number; off: number }[] = [];
  private last = -1;
  /** The end (exclusive) of the span holding the last instant asked about. */
  end = 0;
  constructor(private readonly clock: LocalClock) {}

  /** The offset in minutes at `t`; sets {@link end}. */
  at(t: number): number {
    const spans = this.spans;
    let k = this.last;
    if (k < 0 || t < spans[k].from || t >= spans[k].to) {
      let lo = 0;
      let hi = spans.length - 1;
      k = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (t < spans[mid].from) hi = mid - 1;
        else if (t >= spans[mid].to) lo = mid + 1;
        else {
          k = mid;
          break;
        }
      }
      if (k < 0) {
        const span = this.find(t);
        k = lo; // the binary search's insertion point keeps the list sorted
        spans.splice(k, 0, span);
      }
      this.last = k;
    }
    this.end = spans[k].to;
    return spans[k].off;
  }

  private find(t: number): { from: number; to: number; off: number } {
    const c = this.clock;
    const off = c.offset(t);
    const edge = (dir: 1 | -1): number => {
      let good = t;
      let step = 60;
      for (;;) {
        const probe = good + dir * step;
        if (c.offset(probe) !== off) {
          let bad = probe;
          while (Math.abs(bad - good) > 1) {
            const mid = good + dir * Math.floor(Math.abs(bad - good) / 2);
            if (c.offset(mid) === off) good = mid;
            else bad = mid;
          }
          return dir > 0 ? bad : good;
        }
        good = probe;
        if (Math.abs(good - t) >= SPAN_LIMIT) return dir > 0 ? good + 1 : good;
        step = Math.min(step * 2, STEP_MAX);
      }
    };
    // Clip to neighbours so spans stay disjoint.
    let from = edge(-1);
    let to = edge(1);
    for (const s of this.spans) {
      if (s.to <= t && s.to > from) from = s.to;
      if (s.from > t && s.from < to) to = s.from;
    }
    return { from, to, off };
  }
}

const spanCache = new Map<string, OffsetSpans>();
function spansFor(zone: string): OffsetSpans {
  let s = spanCache.get(zone);
  if (!s) spanCache.set(zone, (s = new OffsetSpans(clockFor(zone))));
  return s;
}

/**
 * Adds (real minutes of `[s, e)` in each week-hour cell) / `divisor` to `out`, walking local hour
 * boundaries: each step runs to the next local hour boundary, the window's end or a change of
 * the zone's offset, whichever is first. Local hours skipped by a spring-forward change get
 * nothing; the repeated autumn hour gets the minutes of both real hours. `shift` is the day
 * start in minutes. Requires e > s.
 */
function walkWindow(zone: OffsetSpans, s: number, e: number, shift: number, divisor: number, out: Float64Array, info: WalkInfo): void {
  let t = s;
  let first = true;
  while (t < e) {
    const off = zone.at(t);
    const local = t + off - shift;
    const hourAbs = Math.floor(local / 60);
    let next = t + (hourAbs + 1) * 60 - local; // the next local hour boundary, if the offset holds
    if (next > e) next = e;
    if (next > zone.end) next = zone.end;
    const day = Math.floor(hourAbs / 24);
    const col = hourAbs - day * 24;
    const wd = (((day + 3) % 7) + 7) % 7; // day 0 (1970-01-01) was a Thursday: row 3
    out[wd * 24 + col] += (next - t) / divisor;
    if (first) {
      info.hour = hourAbs;
      info.day = day;
      info.singleHour = info.singleDay = true;
      first = false;
    } else {
      if (hourAbs !== info.hour) info.singleHour = false;
      if (day !== info.day) info.singleDay = false;
    }
    t = next;
  }
}

/** The cell of instant `s` (a zero-length window). */
function pointCell(zone: OffsetSpans, s: number, shift: number, info: WalkInfo): number {
  const hourAbs = Math.floor((s + zone.at(s) - shift) / 60);
  const day = Math.floor(hourAbs / 24);
  info.hour = hourAbs;
  info.day = day;
  info.singleHour = info.singleDay = true;
  return ((((day + 3) % 7) + 7) % 7) * 24 + hourAbs - day * 24;
}

/**
 * Adds one incident's aoristic weights (summing to 1) for the window `[s, e)` to `out`
 * and returns whether the window lies in a single cell (`info` tells which day).
 */
function placeWindow(zone: OffsetSpans, s: number, e: number, shift: number, out: Float64Array, info: WalkInfo): "cell" | "spread" | "split" {
  const d = e - s;
  if (d <= 0) {
    out[pointCell(zone, s, shift, info)] += 1;
    return "cell";
  }
  if (d >= WEEK_MINUTES) {
    for (let k = 0; k < 168; ++k) out[k] += 1 / 168;
    info.singleHour = info.singleDay = false;
    return "spread";
  }
  walkWindow(zone, s, e, shift, d, out, info);
  return info.singleHour ? "cell" : "split";
}

function checkZoneName(fn: string, zone: unknown): string {
  if (typeof zone !== "string" || !IANAZone.isValidZone(zone)) invalidOption(fn, "zone", "a valid IANA time zone name", zone);
  return zone as string;
}

function checkDayStartHour(fn: string, value: number | undefined): number {
  const h = value ?? 0;
  if (!(Number.isInteger(h) && h >= 0 && h <= 23)) invalidOption(fn, "dayStartHour", "an integer from 0 to 23", h);
  return h;
}

/** The clock hour of each column for a day starting at `h`. */
function columnHours(dayStartHour: number): number[] {
  return Array.from({ length: 24 }, (_, c) => (c + dayStartHour) % 24);
}

/**
 * The day-of-week × hour-of-day profile of incidents in the table's zone, as aoristic weights:
 * a 7 × 24 matrix (Monday first, ISO), totals by weekday and by hour, and counts of the
 * incidents used and left out, with reasons.
 *
 * **Method.** Aoristic apportioning (J. H. Ratcliffe, "Aoristic signatures and the
 * spatio-temporal analysis of high volume crime patterns", J. Quantitative Criminology 18,
 * 2002, 23–43), as in the R package `aoristic` 1.1.1 (`aoristic.df`): each incident's
 * occurrence window `[start, end)` is split over the local hours it overlaps in proportion to
 * the minutes it spends in each, so its weights sum to 1. A window of zero length (`start =
 * end`) or of one minute (a point time) puts its whole weight in its hour. A window of a week
 * (10,080 minutes) or longer puts 1/168 in every cell — "evenly" means equal cells, as
 * `aoristic` does, not in proportion to minutes. Unlike `aoristic` (which steps in 60-minute
 * chunks from the start's wall-clock hour), the walk is in real elapsed minutes and each
 * minute is placed by its local weekday and hour, so across clock changes the local hour that
 * does not exist (01:00–01:59 on the spring-forward Sunday in London) gets nothing and the
 * repeated autumn hour gets both real hours' minutes. The walk steps from one local hour
 * boundary to the next (at most 168 steps per incident), never minute by minute. Two more
 * differences from `aoristic.df`: a window that ends before it starts is left out and counted
 * (`excluded.invalidWindow`) rather than put at its start, and `aoristic`'s columns `hour1` …
 * `hour168` begin on Sunday 00:00 (lubridate's `wday`), whereas row 0 here is Monday — its
 * `hour(24a + h + 1)` (a = 0 for Sunday) is cell `((a + 6) % 7) * 24 + h` here.
 *
 * **Precision.** Minute- and hour-precision records are placed as above (an hour-precision
 * record's window is its hour). Day-precision records go to the weekday totals only by
 * default (see {@link TimeOfWeekOptions.dayPrecision}): an analyst asking "which hours?" does
 * not want a flat 1/24 smear of unknown hours mixed in, but they do know the weekday.
 * Month- and year-precision records (police.uk) are never placed on a day or hour.
 *
 * An empty table or selection gives all-zero arrays.
 *
 * @throws InputError `precision-too-coarse` for month- or year-precision records with
 *   `coarse: "error"` (the default); `unknown-category` for a category the table does not
 *   have; `invalid-option` for bad options.
 * @example
 * // One incident, Monday 2021-03-01 10:30 → 12:00 in London (GMT = UTC).
 * const r = timeOfWeek(table);
 * [r.matrix[10], r.matrix[11]]; // => [0.3333333333333333, 0.6666666666666666]
 * r.byWeekday[0]; // => 1
 */
export function timeOfWeek(table: IncidentTable, options: TimeOfWeekOptions = {}): TimeOfWeekResult {
  const dayStartHour = checkDayStartHour(FN, options.dayStartHour);
  const coarse = options.coarse ?? "error";
  if (coarse !== "error" && coarse !== "exclude") invalidOption(FN, "coarse", '"error" or "exclude"', coarse);
  const dayMode = options.dayPrecision ?? "weekday";
  if (dayMode !== "weekday" && dayMode !== "spread" && dayMode !== "exclude") invalidOption(FN, "dayPrecision", '"weekday", "spread" or "exclude"', dayMode);
  const maxWindow = options.maxWindowMinutes ?? Infinity;
  if (!(typeof maxWindow === "number" && maxWindow > 0)) invalidOption(FN, "maxWindowMinutes", "a positive number of minutes", options.maxWindowMinutes);
  const selected = selection(table, options);
  const zone = checkZoneName(FN, table.zone);

  // Refuse coarse records before any work, naming how many there are.
  if (coarse === "error") {
    let n = 0;
    let kind = 0;
    const p = table.precision;
    for (let i = 0; i < table.length; ++i) {
      if (p[i] >= PRECISION.month && (selected === null || selected[i] === 1)) {
        n += 1;
        kind = Math.max(kind, p[i]);
      }
    }
    if (n > 0) {
      failInput(
        "precision-too-coarse",
        FN,
        "records",
        'timed to the minute, hour or day (month- and year-precision records have no weekday or hour; pass coarse: "exclude" to leave them out)',
        `${n} record${n === 1 ? "" : "s"} of ${kind === PRECISION.year ? "year" : "month"} precision`,
      );
    }
  }

  const spans = spansFor(zone);
  const shift = dayStartHour * 60;
  const matrix = new Float64Array(168);
  const weekdayOnly = new Float64Array(7);
  const singleCell = new Float64Array(168);
  const singleDay = new Float64Array(7);
  const scratch = new Float64Array(168);
  const excluded: TimeOfWeekExclusions = { precisionTooCoarse: 0, dayPrecision: 0, windowTooLong: 0, invalidWindow: 0 };
  const info: WalkInfo = { hour: 0, day: 0, singleHour: true, singleDay: true };
  let used = 0;
  let usedWeekdayOnly = 0;
  let spreadEvenly = 0;
  let count = 0;
  const { start, end, precision } = table;
  for (let i = 0; i < table.length; ++i) {
    if (selected !== null && selected[i] === 0) continue;
    count += 1;
    const p = precision[i];
    const s = start[i];
    const e = end[i];
    if (p >= PRECISION.month) {
      excluded.precisionTooCoarse += 1;
      continue;
    }
    if (e < s) {
      excluded.invalidWindow += 1;
      continue;
    }
    if (p === PRECISION.day && dayMode !== "spread") {
      if (dayMode === "exclude") {
        excluded.dayPrecision += 1;
        continue;
      }
      // Weekday only: apportion over days by minutes (summed exactly, then divided), no hours.
      const d = e - s;
      if (d === 0 || d >= WEEK_MINUTES) {
        placeWindow(spans, s, e, shift, scratch, info);
        for (let k = 0; k < 168; ++k) {
          weekdayOnly[Math.floor(k / 24)] += scratch[k];
          scratch[k] = 0;
        }
      } else {
        walkWindow(spans, s, e, shift, 1, scratch, info);
        for (let r = 0; r < 7; ++r) {
          let minutes = 0;
          for (let c = 0; c < 24; ++c) {
            minutes += scratch[r * 24 + c];
            scratch[r * 24 + c] = 0;
          }
          if (minutes > 0) weekdayOnly[r] += minutes / d;
        }
      }
      if (info.singleDay) singleDay[(((info.day + 3) % 7) + 7) % 7] += 1;
      usedWeekdayOnly += 1;
      continue;
    }
    if (e - s > maxWindow) {
      excluded.windowTooLong += 1;
      continue;
    }
    const how = placeWindow(spans, s, e, shift, matrix, info);
    used += 1;
    if (how === "spread") spreadEvenly += 1;
    else {
      if (how === "cell") {
        const day = info.day;
        singleCell[((((day + 3) % 7) + 7) % 7) * 24 + info.hour - day * 24] += 1;
      }
      if (info.singleDay) singleDay[(((info.day + 3) % 7) + 7) % 7] += 1;
    }
  }

  const byWeekday = new Float64Array(7);
  const byHour = new Float64Array(24);
  for (let d = 0; d < 7; ++d) {
    let w = weekdayOnly[d];
    for (let c = 0; c < 24; ++c) {
      w += matrix[d * 24 + c];
      byHour[c] += matrix[d * 24 + c];
    }
    byWeekday[d] = w;
  }
  return {
    zone,
    dayStartHour,
    days: WEEKDAY_NAMES,
    hours: columnHours(dayStartHour),
    matrix,
    byWeekday,
    byHour,
    weekdayOnly,
    singleCell,
    singleDay,
    used,
    usedWeekdayOnly,
    spreadEvenly,
    selected: count,
    excluded,
  };
}

/** A 0/1 mask of the rows picked by `categories` and `rows`, or `null` for all rows. */
function selection(table: IncidentTable, options: TimeOfWeekOptions): Uint8Array | null {
  const { categories, rows } = options;
  if (categories === undefined && rows === undefined) return null;
  const n = table.length;
  const mask = new Uint8Array(n);
  if (rows === undefined) mask.fill(1);
  else if (typeof rows === "function") {
    for (let i = 0; i < n; ++i) if (rows(i)) mask[i] = 1;
  } else if (rows !== null && typeof rows === "object" && typeof rows.length === "number") {
    for (let k = 0; k < rows.length; ++k) {
      const i = rows[k];
      if (!(Number.isInteger(i) && i >= 0 && i < n)) invalidOption(FN, `rows[${k}]`, `a row index from 0 to ${n - 1}`, i);
      mask[i] = 1;
    }
  } else invalidOption(FN, "rows", "a list of row indices or a function (i) => boolean", rows);
  if (categories !== undefined) {
    if (!Array.isArray(categories) || categories.length === 0) invalidOption(FN, "categories", "a non-empty array of category keys", categories);
    const values = table.category.values;
    const wanted = new Set<string>(categories);
    for (const c of wanted) if (!values.includes(c)) throw new InputError("unknown-category", `${FN}: categories must name categories in the table, got ${JSON.stringify(c)}`);
    const ok = Uint8Array.from(values, (v) => (v !== null && wanted.has(v) ? 1 : 0));
    const codes = table.category.codes;
    for (let i = 0; i < n; ++i) if (ok[codes[i]] === 0) mask[i] = 0;
  }
  return mask;
}

/** Options for {@link weekHourMinutes}. */
export interface WeekHourMinutesOptions {
  /** IANA zone. Default `"Europe/London"`. */
  zone?: string;
  /** As in {@link TimeOfWeekOptions.dayStartHour}. Default 0. */
  dayStartHour?: number;
}

/**
 * The real minutes each day-of-week × hour cell covers between two instants (epoch minutes,
 * `[start, end)`), in the same layout as {@link TimeOfWeekResult.matrix} — the exposure to
 * compare counts against when clock changes make some cells shorter or longer (the London
 * spring-forward Sunday has no 01:00 hour; the autumn Sunday's 01:00 hour lasts 120 minutes).
 * Pass it as `expected` to `uniformityTest` or `peakWindow`.
 *
 * @throws InputError `invalid-option` for a bad zone or day start, or when `end < start`.
 * @example
 * // The week from Monday 22 March 2021 00:00 GMT in London holds the spring change.
 * const m = weekHourMinutes(26_939_520, 26_939_520 + 10_080 - 60, { zone: "Europe/London" });
 * [m[6 * 24 + 1], m[6 * 24 + 2]]; // => [0, 60]
 */
export function weekHourMinutes(start: number, end: number, options: WeekHourMinutesOptions = {}): Float64Array {
  const fn = "weekHourMinutes";
  const zone = checkZoneName(fn, options.zone ?? "Europe/London");
  const h = checkDayStartHour(fn, options.dayStartHour);
  if (!Number.isFinite(start)) invalidOption(fn, "start", "a finite epoch minute", start);
  if (!(Number.isFinite(end) && end >= start)) invalidOption(fn, "end", "a finite epoch minute not before start", end);
  const out = new Float64Array(168);
  if (end > start) walkWindow(spansFor(zone), start, end, h * 60, 1, out, { hour: 0, day: 0, singleHour: true, singleDay: true });
  return out;
}
