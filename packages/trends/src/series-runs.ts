import { InputError } from "@community-safety/core";

/** A run of consecutive present (non-missing) values in a series. */
export interface SeriesRun {
  /** Index of the run's first and last value (inclusive). */
  readonly from: number;
  readonly to: number;
  readonly length: number;
}

/**
 * The runs of present values in a series whose missing steps are `NaN` (as `countSeries` marks
 * uncovered periods), in order: split a series at its gaps before methods that cannot run
 * through them (STL, control charts), or pick the latest run for a trend that must not reach
 * across uncovered time.
 *
 * @example
 * seriesRuns([3, 4, NaN, NaN, 5, 6, 7]) // => [{ from: 0, to: 1, length: 2 }, { from: 4, to: 6, length: 3 }]
 */
export function seriesRuns(values: ArrayLike<number>): SeriesRun[] {
  const runs: SeriesRun[] = [];
  const n = values.length;
  for (let k = 0; k < n; ) {
    while (k < n && Number.isNaN(values[k])) ++k;
    if (k >= n) break;
    const from = k;
    while (k < n && !Number.isNaN(values[k])) ++k;
    runs.push({ from, to: k - 1, length: k - from });
  }
  return runs;
}

/** Throws `series-gap` naming the first missing value, for methods that cannot run through gaps. */
export function refuseGaps(fn: string, values: ArrayLike<unknown>, method: string): void {
  for (let i = 0; i < values.length; ++i) {
    const v = values[i];
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) {
      throw new InputError("series-gap", `${fn}: values[${i}] is missing (a gap in the series, e.g. a period the data do not cover); ${method} cannot run through a gap: split the series at its gaps (seriesRuns) and use a run without them`);
    }
  }
}
