import { InputError } from "@community-safety/core";

/** The InputError `f` throws (any other throw is re-thrown; no throw fails the test). */
export function thrownInputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error("expected an InputError");
}

/** `[code, message]` of what `f` throws, or `null` when it does not throw. */
export function thrownCodeAndMessage(f: () => unknown): [string, string] | null {
  try {
    f();
  } catch (e) {
    return [(e as InputError).code, (e as Error).message];
  }
  return null;
}
