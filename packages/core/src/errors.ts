/**
 * The machine-readable reason behind an {@link InputError}.
 *
 * - `invalid-option` — an option is outside its documented range or type.
 * - `missing-field` — a required column or field is absent (the message names every missing one).
 * - `invalid-date` — a date string or period key cannot be read.
 * - `invalid-coordinate` — a coordinate is not a finite number in range.
 * - `length-mismatch` — parallel arrays or columns differ in length.
 * - `precision-too-coarse` — an analysis needs finer timing than the records carry
 *   (a month-precision record asked for its day, weekday or hour).
 * - `unknown-category` — a category or group names something the table does not know.
 * - `empty-input` — the input has no header or no data where some is required.
 * - `invalid-input` — any other malformed input (wrong type of argument, unreadable file).
 * - `partial-period` — a compared period is only partly covered by the data (the message names
 *   the covered span); compare equal covered windows or rates per day instead.
 * - `series-gap` — a series has missing (uncovered) steps that a method cannot run through
 *   (STL, control charts); split it at its gaps.
 */
export type InputErrorCode =
  | "invalid-option"
  | "missing-field"
  | "invalid-date"
  | "invalid-coordinate"
  | "length-mismatch"
  | "precision-too-coarse"
  | "unknown-category"
  | "empty-input"
  | "invalid-input"
  | "partial-period"
  | "series-gap";

/**
 * The one error class thrown by every package for bad input. Messages follow
 * `"<fn>: <option> must be <rule>, got <value>"`; `code` is stable for programs.
 */
export class InputError extends Error {
  readonly code: InputErrorCode;
  constructor(code: InputErrorCode, message: string) {
    super(message);
    this.name = "InputError";
    this.code = code;
  }
}

/** Formats a value for an error message: strings quoted, long values cut. */
export function describeValue(value: unknown): string {
  let s: string;
  if (typeof value === "string") s = JSON.stringify(value);
  else if (typeof value === "function") s = "a function";
  else if (ArrayBuffer.isView(value)) s = `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  else {
    try {
      s = JSON.stringify(value) ?? String(value);
    } catch {
      s = String(value);
    }
  }
  return s.length > 80 ? s.slice(0, 77) + "..." : s;
}

/** Throws an {@link InputError} with `code`, worded `"<fn>: <what> must be <rule>, got <value>"`. */
export function failInput(code: InputErrorCode, fn: string, what: string, rule: string, value: unknown): never {
  throw new InputError(code, `${fn}: ${what} must be ${rule}, got ${describeValue(value)}`);
}

/** Throws `invalid-option` in the uniform format. */
export function invalidOption(fn: string, option: string, rule: string, value: unknown): never {
  failInput("invalid-option", fn, option, rule, value);
}
