import { DateTime, IANAZone } from "luxon";
import { InputError, invalidOption } from "./errors.js";

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
  if (typeof zone !== "string" || !IANAZone.isValidZone(zone)) invalidOption(fn, "zone", "a valid IANA time zone name", zone);
  return zone as string;
}

/**
 * Converts between UTC instants (epoch minutes) and local wall-clock time in one IANA
 * zone, exactly across clock changes, with luxon consulted once per UTC hour (or local
 * hour) and cached — so millions of rows cost a few thousand zone look-ups.
 */
export class LocalClock {
  readonly zone: string;
  private readonly iana: IANAZone;
  private readonly offsets = new Map<number, number>(); // UTC hour -> offset minutes, or NaN if it changes within the hour
  private readonly locals = new Map<number, number>(); // local hour index -> epoch minute of local hour start (NaN in a gap)
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

  /**
   * The instant of a local wall-clock time. A time that does not exist (skipped by a
   * spring-forward change) moves forward by the gap, and an ambiguous time (repeated by an
   * autumn change) resolves to the earlier instant — luxon's rules.
   */
  fromLocal(year: number, month: number, day: number, hour = 0, minute = 0): number {
    const days = daysFromCivil(year, month, day);
    const key = days * 24 + hour;
    let base = this.locals.get(key);
    if (base === undefined) {
      const dt = DateTime.fromObject({ year, month, day, hour }, { zone: this.iana });
      if (!dt.isValid) throw new InputError("invalid-date", `LocalClock: ${year}-${month}-${day} ${hour}:00 is not a valid time in ${this.zone}`);
      const ms = dt.toMillis();
      // luxon moves a non-existent hour forward; keep the minute arithmetic from that instant.
      base = ms / 60_000;
      this.locals.set(key, base);
    }
    return base + minute;
  }
}
