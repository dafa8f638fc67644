import { IANAZone } from "luxon";
import { invalidOption } from "./errors.js";

/** Local calendar fields of an instant in a zone. `weekday` is ISO: 1 = Monday … 7 = Sunday. */
export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date of a day number (inverse of {@link daysFromCivil}), written into `out`. */
export function civilFromDays(z: number, out: { year: number; month: number; day: number }): void {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  out.year = era * 400 + yoe + (m <= 2 ? 1 : 0);
  out.month = m;
  out.day = d;
}

/** Validates an IANA zone name, throwing `invalid-option` naming the function. */
export function checkZone(fn: string, zone: unknown): string {
  // luxon's check builds an Intl.DateTimeFormat (tens of µs): remembered per name, as clocks are made per call.
  if (typeof zone === "string" && VALID_ZONES.has(zone)) return zone;
  if (typeof zone !== "string" || !IANAZone.isValidZone(zone)) invalidOption(fn, "zone", "a valid IANA time zone name", zone);
  VALID_ZONES.add(zone as string);
  return zone as string;
}

const VALID_ZONES = new Set<string>();

/**
 * Converts between UTC instants (epoch minutes) and local wall-clock time in one IANA
 * zone, exactly across clock changes, with luxon consulted once per UTC hour (or local
 * hour) and cached — so millions of rows cost a few thousand zone look-ups.
 */
export class LocalClock {
  readonly zone: string;
  private readonly iana: IANAZone;
  private readonly offsets = new Map<number, number>(); // UTC hour -> offset minutes, or NaN if it changes within the hour
  constructor(zone = "Europe/London") {
    this.zone = checkZone("LocalClock", zone);
    this.iana = IANAZone.create(zone);
  }

  /** The zone's offset from UTC in minutes at the instant `epochMinute`. */
  offset(epochMinute: number): number {
    const hour = Math.floor(epochMinute / 60);
    let off = this.offsets.get(hour);
    if (off === undefined) {
      const a = this.iana.offset(hour * 3_600_000);
      const b = this.iana.offset((hour * 60 + 59) * 60_000);
      off = a === b ? a : NaN;
      this.offsets.set(hour, off);
    }
    return Number.isNaN(off) ? this.iana.offset(epochMinute * 60_000) : off;
  }

  /** Local calendar fields of `epochMinute`, written into `out` (reused to avoid allocation). */
  parts(epochMinute: number, out: LocalParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, weekday: 0 }): LocalParts {
    const local = epochMinute + this.offset(epochMinute);
    const days = Math.floor(local / 1440);
    const mod = local - days * 1440;
    civilFromDays(days, out);
    out.hour = Math.floor(mod / 60);
    out.minute = mod - out.hour * 60;
    out.weekday = ((((days + 3) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday (4)
    return out;
  }

  /** Local day number (days since 1970-01-01 in local time) of an instant. */
  localDay(epochMinute: number): number {
    return Math.floor((epochMinute + this.offset(epochMinute)) / 1440);
  }

  private readonly dayOffsets = new Map<number, number>(); // local day -> offset in force all day, NaN on a change day
  private lastDay = NaN;
  private lastOffset = NaN;

  /** The offset in force all through local day `d`, or NaN when it changes during the day. */
  private dayOffset(d: number): number {
    const local = d * 1440;
    const o = this.offset(local - 1440);
    if (this.offset(local - o) !== o || this.offset(local + 720 - o) !== o || this.offset(local + 1439 - o) !== o || this.offset(local + 2880) !== o) return NaN;
    return o;
  }

  /** The instant of local minute `local` (minutes since 1970-01-01 00:00 local, as if UTC). */
  private resolve(local: number): number {
    // Offsets a day either side bracket the instant: at most one change lies in between.
    const before = this.offset(local - 1440);
    const after = this.offset(local + 1440);
    const tBefore = local - before;
    const tAfter = local - after;
    const okBefore = this.offset(tBefore) === before;
    const okAfter = this.offset(tAfter) === after;
    if (okBefore && okAfter) return Math.min(tBefore, tAfter); // repeated time: the earlier instant
    if (okBefore) return tBefore;
    if (okAfter) return tAfter;
    return tBefore; // skipped time: keep the offset in force before the gap, i.e. move forward by the gap
  }

  /**
   * The instant (epoch minutes) of a local wall-clock time. A time that does not exist
   * (skipped by a spring-forward change) moves forward by the gap (01:30 on 28 March 2021 in
   * London is 02:30 BST); a time that occurs twice (repeated by an autumn change) resolves to
   * the earlier instant (01:30 on 31 October 2021 is 01:30 BST). The answer depends only on
   * the zone's rules — never on today's date (luxon's `fromObject` guesses from the current
   * offset, so we do not use it for this). Offsets are cached per local day.
   */
  fromLocal(year: number, month: number, day: number, hour = 0, minute = 0): number {
    const d = daysFromCivil(year, month, day);
    let off: number;
    if (d === this.lastDay) off = this.lastOffset;
    else {
      let o = this.dayOffsets.get(d);
      if (o === undefined) this.dayOffsets.set(d, (o = this.dayOffset(d)));
      off = o;
      this.lastDay = d;
      this.lastOffset = o;
    }
    const local = d * 1440 + hour * 60 + minute;
    return Number.isNaN(off) ? this.resolve(local) : local - off;
  }
}
