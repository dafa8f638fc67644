import { describe, it, expect } from "vitest";
import { seriesRuns } from "@community-safety/trends";

describe("seriesRuns", () => {
  it("seriesRuns(values) lists the runs of present values between NaN gaps (hand cases)", () => {
    expect(seriesRuns([3, 4, NaN, NaN, 5, 6, 7])).toEqual([
      { from: 0, to: 1, length: 2 },
      { from: 4, to: 6, length: 3 },
    ]);
    expect(seriesRuns([NaN, 1, NaN])).toEqual([{ from: 1, to: 1, length: 1 }]);
    expect(seriesRuns(new Float64Array([0, 0, 0]))).toEqual([{ from: 0, to: 2, length: 3 }]); // zeros are values
    expect(seriesRuns([NaN, NaN])).toEqual([]);
    expect(seriesRuns([])).toEqual([]);
  });
});
