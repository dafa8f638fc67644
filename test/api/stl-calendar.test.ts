/**
 * stl(values, { periods }): the decomposition with its calendar, so a notebook can ask for the
 * trend of July 2021 by name instead of by position. Expected values: R's stl() on the doc
 * example, and on Charnwood's anti-social behaviour the raw files counted a second way.
 */
import { describe, it, expect, beforeAll } from "vitest";
import { countSeries, stl, type CountSeriesResult } from "@community-safety/trends";
import { periodsBetween, selectArea } from "@community-safety/core";
import { readPoliceUkFiles } from "@community-safety/core/node";
import { expectInputError } from "../helpers/errors.js";
import { countyFolder, haveCounty, isCharnwood, rawCounty, skipNote } from "./raw-police-uk.js";

// The example of stl's documentation: 36 months of 100 + i + 10 sin(2πi/12), January 2020 on.
const x = Array.from({ length: 36 }, (_, i) => 100 + i + 10 * Math.sin((2 * Math.PI * i) / 12));
const months = periodsBetween("2020-01", "2022-12");

describe("stl(values, { periods })", () => {
  it("returns the components beside each period, for look-up by key", () => {
    const fit = stl(x, { period: 12, seasonalWindow: "periodic", periods: months });
    expect(fit.periods).toEqual(months.map((p) => p.key));
    expect(fit.rows!.length).toBe(36);
    const april = fit.rows!.find((r) => r.period === "2020-04")!;
    // R 4.2.2: stl(ts(x, frequency = 12), "periodic")$time.series[4, "seasonal"] = 9.195377
    expect(april.seasonal).toBeCloseTo(9.195377, 6);
    // The row is the fourth step of the arrays, and its parts add up to the value (x[3] by hand).
    expect(april).toEqual({ period: "2020-04", value: x[3], seasonal: fit.seasonal[3], trend: fit.trend[3], remainder: fit.remainder[3], weight: 1 });
    expect(april.value).toBe(103 + 10 * Math.sin(Math.PI / 2));
    // Periodic: every April has the same seasonal component.
    expect(fit.rows!.filter((r) => r.period.endsWith("-04")).map((r) => r.seasonal)).toEqual([april.seasonal, april.seasonal, april.seasonal]);
  });

  it("takes plain labels, and gives null without a calendar", () => {
    const labels = months.map((p) => p.label); // "January 2020", …
    const fit = stl(x, { period: 12, seasonalWindow: "periodic", periods: labels });
    expect(fit.rows!.find((r) => r.period === "July 2021")!.trend).toBe(fit.trend[18]);
    const bare = stl(x, { period: 12, seasonalWindow: "periodic" });
    expect([bare.periods, bare.rows]).toEqual([null, null]);
    expect(bare.trend).toEqual(fit.trend);
  });

  it("refuses a calendar that does not fit the series", () => {
    expectInputError(() => stl(x, { period: 12, seasonalWindow: "periodic", periods: months.slice(1) }), "length-mismatch", "stl: periods must have one period per value (36), got 35");
    const twice = months.map((p) => p.key);
    twice[5] = twice[4];
    expectInputError(() => stl(x, { period: 12, seasonalWindow: "periodic", periods: twice }), "invalid-option", 'stl: periods must be distinct periods (a key listed once), got "2020-05"');
    expectInputError(() => stl(x, { period: 12, seasonalWindow: "periodic", periods: [...months.slice(0, 35), ""] }), "invalid-option", "stl: periods[35] must be a period or a non-empty key");
  });
});

describe.skipIf(!haveCounty)(`Charnwood anti-social behaviour by month, 2019-12 – 2022-10${skipNote}`, () => {
  let cs: CountSeriesResult;
  beforeAll(async () => {
    const charnwood = selectArea((await readPoliceUkFiles(countyFolder)).table, { lsoaPrefix: "Charnwood" });
    cs = countSeries(charnwood, { categories: ["anti-social-behaviour"] });
  });

  it("the trend of July 2021 is a look-up, and the month's value is the raw files' count", () => {
    const asb = cs.series[0];
    expect(cs.periods.length).toBe(35);
    expect(asb.gaps).toEqual([]);
    const fit = stl(asb.counts, { period: 12, seasonalWindow: "periodic", periods: cs.periods });
    const july = fit.rows!.find((r) => r.period === "2021-07")!;
    // Second route: raw Charnwood rows with Crime type "Anti-social behaviour" and Month "2021-07".
    const raw = rawCounty().kept.filter((r) => isCharnwood(r) && r.type === "Anti-social behaviour" && r.month === "2021-07").length;
    expect(july.value).toBe(raw);
    // December 2019 is step 0, so July 2021 is step 19 (by hand: 1 + 12 + 6).
    expect(july.trend).toBe(fit.trend[19]);
    expect(july.seasonal + july.trend + july.remainder).toBeCloseTo(raw, 9);
  });
});
