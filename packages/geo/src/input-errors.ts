import { InputError, type InputErrorCode } from "@community-safety/core";

/** Formats a value for an error message: strings quoted, long values cut (as core's describeValue). */
export function describe(value: unknown): string {
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

/** Throws an {@link InputError} worded `"<fn>: <what> must be <rule>, got <value>"`. */
export function fail(code: InputErrorCode, fn: string, what: string, rule: string, value: unknown): never {
  throw new InputError(code, `${fn}: ${what} must be ${rule}, got ${describe(value)}`);
}
