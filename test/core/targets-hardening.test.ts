import { describe, it, expect } from "vitest";
import { readTargets } from "@community-safety/core";
import { expectInputError } from "../helpers/errors.js";

// Issue 10, item 7(b): a plan file nested 100,000 deep overflowed the stack (RangeError: the
// error message itself turned the value into text recursively) instead of an InputError.

const DEEP = 100_000;
const ok = { name: "Reduce burglary", categories: ["burglary"], baseline: "2021/22", direction: "reduce", size: "5%", period: "2022/23" };

/** `[[[…]]]` nested `n` deep as JSON text, built without recursion. */
const deepArrayText = (n: number) => "[".repeat(n) + "]".repeat(n);
/** `{"a":{"a":…1…}}` nested `n` deep. */
const deepObjectText = (n: number) => '{"a":'.repeat(n) + "1" + "}".repeat(n);
/** The same nesting as values, built in a loop (JSON.parse is not needed to make them). */
function deepArray(n: number): unknown {
  let v: unknown[] = [];
  for (let i = 1; i < n; ++i) v = [v];
  return v;
}
function deepObject(n: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < n; ++i) v = { a: v };
  return v;
}

describe("readTargets on deeply nested input", () => {
  it("readTargets(text) refuses arrays nested 100,000 deep with an InputError, not a RangeError", () => {
    expectInputError(() => readTargets(deepArrayText(DEEP)), "invalid-input", "readTargets: the plan's nesting of arrays and objects must be at most 32 levels deep, got 100000");
  });

  it("readTargets(text) refuses objects nested 100,000 deep, at the top and inside a target", () => {
    expectInputError(() => readTargets(deepObjectText(DEEP)), "invalid-input", "readTargets: the plan's nesting of arrays and objects must be at most 32 levels deep, got 100000");
    // root {} + targets [] + target {} + where {} + ward [] + 100,000 more arrays.
    const inWhere = `{"targets":[{"name":"x","where":{"ward":${deepArrayText(DEEP)}}}]}`;
    expectInputError(() => readTargets(inWhere), "invalid-input", "readTargets: the plan's nesting of arrays and objects must be at most 32 levels deep, got 100004");
    // Brackets inside strings are text, not nesting.
    expect(readTargets({ targets: [{ ...ok, name: "[".repeat(DEEP) }] }).targets[0].name.length).toBe(DEEP);
    expect(readTargets(JSON.stringify({ targets: [{ ...ok, name: "{[\\\"".repeat(1000) }] })).targets[0].name.length).toBe(4000);
  });

  it("readTargets(value) refuses an already parsed value nested 100,000 deep, naming where", () => {
    expectInputError(() => readTargets(deepArray(DEEP)), "invalid-input", "readTargets: the plan's nesting of arrays and objects must be at most 32 levels deep, got more at [0][0][0]");
    expectInputError(() => readTargets({ targets: deepObject(DEEP) }), "invalid-input", "readTargets: the plan's nesting of arrays and objects must be at most 32 levels deep, got more at targets.a.a.a");
    expectInputError(() => readTargets({ targets: [{ ...ok, where: { ward: deepArray(DEEP) } }] }), "invalid-input", "readTargets: the plan's nesting of arrays and objects must be at most 32 levels deep, got more at targets[0].where.ward[0][0]");
  });

  it("readTargets accepts nesting up to 32 levels and refuses 33, as text and as a value", () => {
    // A $comment may hold any JSON: 1 (root) + 31 levels inside it = 32.
    const at = (n: number) => `{"$comment":${deepArrayText(n - 1)},"targets":[${JSON.stringify(ok)}]}`;
    expect(readTargets(at(32)).targets.map((t) => t.id)).toEqual(["reduce-burglary"]);
    expectInputError(() => readTargets(at(33)), "invalid-input", "readTargets: the plan's nesting of arrays and objects must be at most 32 levels deep, got 33");
    expect(readTargets(JSON.parse(at(32))).targets.map((t) => t.id)).toEqual(["reduce-burglary"]);
    expectInputError(() => readTargets(JSON.parse(at(33))), "invalid-input", "readTargets: the plan's nesting of arrays and objects must be at most 32 levels deep, got more at $comment");
  });

  it("readTargets(value) walks a cycle once and reports the bad field, without overflowing", () => {
    const cyclic: { targets: unknown[] } = { targets: [] };
    cyclic.targets.push(cyclic);
    expectInputError(() => readTargets(cyclic), "invalid-input", "readTargets: targets[0].targets must be a known field");
  });

  it("readTargets(text) keeps the JSON error for text that is not JSON", () => {
    expectInputError(() => readTargets("[[[["), "invalid-input", "readTargets: the plan must be valid JSON, got");
  });
});
