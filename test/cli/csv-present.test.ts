import { describe, it, expect } from "vitest";
import { presentCsv, toCsv } from "@community-safety/cli";

describe("presentCsv", () => {
  it("writes proportions as percentages under names that say so, and a crs beside coordinates", () => {
    const p = presentCsv(
      [
        { category: "burglary", count: 25, share: 0.0422297297297, cumulativeShare: 0.1, x: 452714.149079, y: 319517.012422, kde: 12.5 },
        { category: "robbery", count: 3, share: null, cumulativeShare: null, x: NaN, y: NaN, kde: 0 },
      ],
      { crs: "EPSG:27700" },
    );
    expect(p.columns).toEqual(["category", "count", "sharePercent", "cumulativeSharePercent", "x", "y", "kdePerKm2", "crs"]);
    expect(toCsv(p.rows, p.columns)).toBe(
      "category,count,sharePercent,cumulativeSharePercent,x,y,kdePerKm2,crs\r\n" +
        "burglary,25,4.22297297297,10,452714.149079,319517.012422,12.5,EPSG:27700\r\n" +
        "robbery,3,,,,,0,EPSG:27700\r\n",
    );
  });

  it("keeps a percent change's name and writes it as a percentage (−0.148 → −14.8)", () => {
    expect(presentCsv([{ category: "asb", percentChange: -0.148, rateRatio: 0.852 }]).rows).toEqual([{ category: "asb", percentChange: -14.8, rateRatio: 0.852 }]);
    // No coordinates, no crs column; an explicit column list is followed.
    expect(presentCsv([{ a: 1, share: 0.5, b: 2 }], { columns: ["share", "a"], crs: "EPSG:27700" }).columns).toEqual(["sharePercent", "a"]);
  });
});
