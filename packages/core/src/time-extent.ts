import type { IncidentTable } from "./incident-table.js";

/** The time span a table covers, in epoch minutes. */
export interface TimeExtent {
  /** The earliest window start. */
  readonly firstStart: number;
  /** The latest window start. */
  readonly lastStart: number;
  /** The latest window end (exclusive). */
  readonly lastEnd: number;
}

/**
 * The earliest and latest window starts and the latest window end of a table, in one pass;
 * `null` for an empty table. Use it to say which months the data covers, so that a month with
 * no data is never read as a month with no incidents.
 *
 * @example
 * periodOf(timeExtent(table)!.lastStart, "month", { zone: table.zone }).key; // => "2022-10"
 */
export function timeExtent(table: IncidentTable): TimeExtent | null {
  const { start, end, length } = table;
  if (length === 0) return null;
  let firstStart = Infinity;
  let lastStart = -Infinity;
  let lastEnd = -Infinity;
  for (let i = 0; i < length; ++i) {
    const s = start[i];
    if (s < firstStart) firstStart = s;
    if (s > lastStart) lastStart = s;
    if (end[i] > lastEnd) lastEnd = end[i];
  }
  return { firstStart, lastStart, lastEnd };
}
