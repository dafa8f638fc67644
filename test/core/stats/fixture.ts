import { readFileSync } from "node:fs";
import { expect } from "vitest";

/**
 * Reads test/fixtures/stats/<name>.json, written by test/fixtures/stats/reference.R from R
 * (doubles round-trip exact; "Infinity" strings become Infinity).
 */
export function rFixture<T>(name: string): T[] {
  const url = new URL(`../../fixtures/stats/${name}.json`, import.meta.url);
  const text = readFileSync(url, "utf8");
  const parsed = JSON.parse(text, (_key, value) => (value === "Infinity" ? Infinity : value === "-Infinity" ? -Infinity : value)) as { cases: T[] };
  return parsed.cases;
}

/** Asserts |actual − expected| ≤ rel·|expected| (|actual| ≤ 1e-300 for 0, equal for ±∞; both null passes). */
export function expectRel(actual: number | null | undefined, expected: number | null, rel = 1e-9, label = ""): void {
  if (expected === null) {
    expect(actual, label).toBeNull();
    return;
  }
  expect(typeof actual, label).toBe("number");
  const a = actual as number;
  if (expected === 0) {
    if (!(Math.abs(a) <= 1e-300)) expect.fail(`${label}: got ${a}, R gives 0`);
    return;
  }
  if (!Number.isFinite(expected)) {
    expect(a, label).toBe(expected);
    return;
  }
  const err = Math.abs(a - expected) / Math.abs(expected);
  if (!(err <= rel)) expect.fail(`${label}: got ${a}, R gives ${expected} (relative error ${err.toExponential(2)} > ${rel})`);
}

/** Asserts that `call` throws an InputError with `code` (default `invalid-option`) and exactly `message`. */
export function expectInputError(call: () => unknown, message: string, code = "invalid-option"): void {
  let thrown: unknown = null;
  try {
    call();
  } catch (e) {
    thrown = e;
  }
  if (thrown === null) expect.fail(`expected a throw: ${message}`);
  expect((thrown as Error).name).toBe("InputError");
  expect((thrown as { code: string }).code).toBe(code);
  expect((thrown as Error).message).toBe(message);
}
