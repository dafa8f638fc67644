import { invalidOption } from "../errors.js";

/** The alternative hypothesis of a test, in R's words. */
export type Alternative = "two.sided" | "less" | "greater";

const ALTERNATIVES: readonly Alternative[] = ["two.sided", "less", "greater"];

/** Throws unless `value` is a non-negative integer count. */
export function checkCount(fn: string, name: string, value: number): void {
  if (!(Number.isInteger(value) && value >= 0)) invalidOption(fn, name, "a non-negative integer", value);
}

/** Throws unless `value` is a positive finite number. */
export function checkPositive(fn: string, name: string, value: number): void {
  if (!(typeof value === "number" && value > 0 && Number.isFinite(value))) invalidOption(fn, name, "a positive finite number", value);
}

/** Throws unless `value` is a non-negative finite number. */
export function checkNonNegative(fn: string, name: string, value: number): void {
  if (!(typeof value === "number" && value >= 0 && Number.isFinite(value))) invalidOption(fn, name, "a non-negative finite number", value);
}

/** Returns the confidence level (default 0.95), throwing unless it lies strictly inside (0, 1). */
export function checkConfLevel(fn: string, value: number | undefined): number {
  const level = value ?? 0.95;
  if (!(typeof level === "number" && level > 0 && level < 1)) invalidOption(fn, "confLevel", "a number strictly between 0 and 1", level);
  return level;
}

/** Returns the alternative (default `"two.sided"`), throwing on anything else. */
export function checkAlternative(fn: string, value: Alternative | undefined): Alternative {
  const alt = value ?? "two.sided";
  if (!ALTERNATIVES.includes(alt)) invalidOption(fn, "alternative", 'one of "two.sided", "less", "greater"', alt);
  return alt;
}

/** Returns a pair of exposures (default [1, 1]), each positive and finite. */
export function checkExposures(fn: string, value: readonly [number, number] | undefined): [number, number] {
  if (value === undefined) return [1, 1];
  if (!Array.isArray(value) || value.length !== 2) invalidOption(fn, "exposures", "a pair [exposure1, exposure2] of positive numbers", value);
  checkPositive(fn, "exposures[0]", value[0]);
  checkPositive(fn, "exposures[1]", value[1]);
  return [value[0], value[1]];
}
