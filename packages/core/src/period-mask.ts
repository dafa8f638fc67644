import { InputError, describeValue, invalidOption } from "./errors.js";
import { PRECISIONS } from "./incident-table.js";
import { type Period, parsePeriod, unitPrecision } from "./periods.js";

/** The columns {@link periodMask} reads: an incident table has them all. */
export interface PeriodMaskRows {
  readonly length: number;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly precision: Uint8Array;
  /** IANA zone in which period keys are reckoned. */
  readonly zone: string;
}

/** Options for {@link periodMask}. */
export interface PeriodMaskOptions {
  /** First month (1–12) of the financial year, for financial-year keys such as `"2021/22"`. Default 4. */
  fyStartMonth?: number;
  /** Name of the calling function in error messages. Default `"periodMask"`. */
  fn?: string;
}

/**
 * Returns a 0/1 mask over the rows of `table`: 1 where the row lies in `period`. A row is placed
 * by the start of its occurrence window, as {@link levels} and `countSeries` place it: it is in
 * the period when `period.start ≤ start < period.end` (periods are half-open). A key is read with
 * {@link parsePeriod} in the table's zone. A record coarser than the period (a month-precision
 * police.uk record against a day or an ISO week) whose window overlaps the period is refused
 * rather than placed on a day it may not belong to. An empty table gives an empty mask.
 *
 * The period filter of the geo functions (`streetCounts`, `grid`, `gridCounts`: option `period`).
 *
 * @throws InputError `invalid-date` for a key that is not a period key; `invalid-option` for a
 *   `period` that is neither a key nor a {@link Period}, or a bad `fyStartMonth`;
 *   `precision-too-coarse` for a record too coarse for the period (see above).
 * @example
 * const mask = periodMask(table, "2021/22"); // April 2021 – March 2022 in the table's zone
 * selectRows(table, (i) => mask[i] === 1).length; // => the incidents of 2021/22
 */
export function periodMask(table: PeriodMaskRows, period: Period | string, options: PeriodMaskOptions = {}): Uint8Array {
  const fn = options.fn ?? "periodMask";
  const fy = options.fyStartMonth;
  if (fy !== undefined && !(Number.isInteger(fy) && fy >= 1 && fy <= 12)) invalidOption(fn, "fyStartMonth", "an integer from 1 to 12", fy);
  const p = resolvePeriod(fn, table.zone, period, fy);
  const need = p.unit === "range" ? 3 : unitPrecision(p.unit);
  const n = table.length;
  const mask = new Uint8Array(n);
  const { start, end, precision } = table;
  const a = p.start;
  const b = p.end;
  for (let i = 0; i < n; ++i) {
    const t = start[i];
    // A coarse record is judged by its whole window, as levels does: a police.uk month overlaps
    // 30 October without starting in it, and must not be silently left out of that day.
    if (precision[i] > need && t < b && end[i] > a) {
      throw new InputError(
        "precision-too-coarse",
        `${fn}: period ${p.key} needs records known to the ${PRECISIONS[need]}; row ${i} is known only to the ${PRECISIONS[precision[i]]} (use a ${PRECISIONS[precision[i]]} or coarser period)`,
      );
    }
    if (t >= a && t < b) mask[i] = 1;
  }
  return mask;
}

/** A period given as a key (read in `zone`) or a {@link Period}, validated. */
function resolvePeriod(fn: string, zone: string, period: Period | string, fyStartMonth: number | undefined): Period {
  if (typeof period === "string") {
    try {
      return parsePeriod(period, { zone, fyStartMonth });
    } catch (e) {
      if (e instanceof InputError && e.code === "invalid-date") throw new InputError("invalid-date", `${fn}: period must be a period key such as "2021/22", "2021-Q3" or "2021-07", got ${describeValue(period)}`);
      throw e;
    }
  }
  const ok = period !== null && typeof period === "object" && typeof period.key === "string" && Number.isFinite(period.start) && Number.isFinite(period.end) && period.start < period.end;
  if (!ok) invalidOption(fn, "period", 'a period key such as "2021/22" or a Period', period);
  return period;
}
