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

/** Asserts that `f` throws an InputError with `code` whose message starts with `message` (or matches it). */
export function expectInputError(f: () => unknown, code: string, message: string | RegExp): InputError {
  const e = thrownInputError(f);
  if (e.code !== code) throw new Error(`expected InputError code ${code}, got ${e.code}: ${e.message}`);
  const ok = typeof message === "string" ? e.message.startsWith(message) : message.test(e.message);
  if (!ok) throw new Error(`expected an InputError message ${typeof message === "string" ? "starting with" : "matching"} ${JSON.stringify(String(message))}, got ${JSON.stringify(e.message)}`);
  return e;
}
