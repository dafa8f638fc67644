import { InputError, describeValue } from "@community-safety/core";
import type { VegaLiteSpec } from "./to-svg.js";

/** One cell of a day × hour table: the aoristic weight of `timeOfWeek` in `@community-safety/trends` (`matrix[d * 24 + h]`), or a protected copy of it. */
export interface TimeOfWeekRow {
  /** The day's name, one of `options.days`. */
  day: string;
  /** The hour as `"HH:00"`, one of the hours from `options.dayStartHour`. */
  hour: string;
  /** Incidents (a fractional aoristic weight); `null` when withheld (not drawn). */
  weight: number | null;
}

/** Options for {@link timeOfWeekFigure}. */
export interface TimeOfWeekFigureOptions {
  /** The hour each day starts at (0–23; 6 keeps a Saturday night on Saturday), as in `timeOfWeek`. Default 0. */
  dayStartHour?: number;
  /** The days down the y axis, in order. Default Monday to Sunday. */
  days?: readonly string[];
  /** The title. Default "Incidents by day of week and hour". */
  title?: string;
}

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const pad = (h: number) => `${String(h).padStart(2, "0")}:00`;

/**
 * A Vega-Lite spec of a day-of-week × hour heat map: one cell per day and hour, coloured by its
 * count (orange–red), the hours from `dayStartHour` along x. Rows are drawn as given.
 *
 * @throws {InputError} `invalid-option` when `dayStartHour` is not an integer from 0 to 23.
 * @example
 * timeOfWeekFigure(rows, { dayStartHour: 6 }).encoding.x.sort[0]; // => "06:00"
 */
export function timeOfWeekFigure(rows: readonly TimeOfWeekRow[], options: TimeOfWeekFigureOptions = {}): VegaLiteSpec {
  const dayStartHour = options.dayStartHour ?? 0;
  if (!Number.isInteger(dayStartHour) || dayStartHour < 0 || dayStartHour > 23) throw new InputError("invalid-option", `timeOfWeekFigure: dayStartHour must be an integer from 0 to 23, got ${describeValue(dayStartHour)}`);
  const days = options.days ?? WEEKDAYS;
  const hours = Array.from({ length: 24 }, (_, k) => pad((dayStartHour + k) % 24));
  return {
    title: options.title ?? "Incidents by day of week and hour",
    width: 640,
    height: 200,
    data: { values: [...rows] },
    mark: "rect",
    encoding: {
      x: { field: "hour", type: "ordinal", sort: hours, title: `hour (days start at ${pad(dayStartHour)})`, axis: { labelAngle: -60 } },
      y: { field: "day", type: "ordinal", sort: [...days], title: null },
      color: { field: "weight", type: "quantitative", title: "incidents", scale: { scheme: "orangered" } },
      tooltip: [{ field: "day" }, { field: "hour" }, { field: "weight", format: ".1f" }],
    },
  };
}
