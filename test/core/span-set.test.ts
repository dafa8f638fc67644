import { describe, it, expect } from "vitest";
import { coveredMinutes, intersectSpans, mergeSpans, spansContain, subtractSpans } from "@community-safety/core";

const s = (start: number, end: number) => ({ start, end });

describe("span sets (half-open [start, end) minutes)", () => {
  it("mergeSpans sorts, joins touching and overlapping spans, drops empty ones, and leaves its input alone", () => {
    const input = [s(10, 12), s(0, 5), s(5, 7), s(3, 4), s(8, 8)];
    expect(mergeSpans(input)).toEqual([s(0, 7), s(10, 12)]);
    expect(input[0]).toEqual(s(10, 12));
  });

  it("intersectSpans, subtractSpans, coveredMinutes and spansContain agree with hand-worked cases", () => {
    const a = [s(0, 10), s(20, 30)];
    const b = [s(5, 25), s(28, 40)];
    expect(intersectSpans(a, b)).toEqual([s(5, 10), s(20, 25), s(28, 30)]);
    expect(subtractSpans(s(0, 40), a)).toEqual([s(10, 20), s(30, 40)]);
    expect(subtractSpans(s(2, 8), a)).toEqual([]);
    expect(subtractSpans(s(-5, 2), a)).toEqual([s(-5, 0)]);
    expect(coveredMinutes(a, 5, 25)).toBe(10); // 5 in [5, 10) + 5 in [20, 25)
    expect(spansContain(a, 20, 30)).toBe(true);
    expect(spansContain(a, 9, 21)).toBe(false); // crosses the gap [10, 20)
    expect(spansContain(a, -1, 1)).toBe(false);
    expect(spansContain([], 0, 1)).toBe(false);
  });
});
