import { describe, expect, it } from "vitest";
import { ordinal, rankWindow, rankWords } from "@community-safety/cli";

const letters = (n: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(97 + (i % 26)) + (i >= 26 ? String(i) : ""));

describe("rankWindow (hand-worked)", () => {
  it("keeps a list up to `max` whole, every item with its rank and nothing skipped", () => {
    const w = rankWindow(letters(5), 2, { max: 5 });
    expect(w.map((r) => [r.item, r.rank, r.skippedBefore])).toEqual([["a", 1, 0], ["b", 2, 0], ["c", 3, 0], ["d", 4, 0], ["e", 5, 0]]);
  });

  it("cuts a longer list to its ends and the focus's neighbours, counting what is left out", () => {
    // 10 items, focus "e" (index 4): ends 1 → a, j; around 1 → d, e, f.
    const w = rankWindow(letters(10), 4, { max: 5, ends: 1, around: 1 });
    expect(w.map((r) => [r.item, r.rank, r.skippedBefore])).toEqual([["a", 1, 0], ["d", 4, 2], ["e", 5, 0], ["f", 6, 0], ["j", 10, 3]]);
  });

  it("merges a focus near an end with that end (no item twice), and keeps the ends alone without a focus", () => {
    // 317 districts, the 6th lowest (rank 312, index 311): 3 highest, ranks 306–317.
    const near = rankWindow(letters(317), 311);
    expect(near.map((r) => r.rank)).toEqual([1, 2, 3, 306, 307, 308, 309, 310, 311, 312, 313, 314, 315, 316, 317]);
    expect(near[3].skippedBefore).toBe(302);
    expect(rankWindow(letters(317), -1).map((r) => r.rank)).toEqual([1, 2, 3, 315, 316, 317]);
    expect(rankWindow(letters(317), 0).map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 315, 316, 317]);
  });

  it("names a rank from the nearer end", () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual(["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]);
    expect(rankWords(1, 317)).toBe("highest");
    expect(rankWords(45, 317)).toBe("45th highest");
    expect(rankWords(159, 317)).toBe("159th highest"); // the middle one counts from the top
    expect(rankWords(160, 317)).toBe("158th lowest");
    expect(rankWords(312, 317)).toBe("6th lowest");
    expect(rankWords(317, 317)).toBe("lowest");
  });
});
