import { describe, expect, it } from "vitest";
import { categoryLabel, parsePeriod } from "@community-safety/core";
import { allCrimeLabel, gridWords, headlineWords, NARROW_EXTRACT, pluralLabel, type ReportCalendar } from "@community-safety/cli";

describe("pluralLabel: the verb of 'X account(s) for n% of all recorded crime'", () => {
  it("reads Denver's plural categories and bare plurals as plural", () => {
    for (const l of ["All other crimes", "Drugs", "Other crimes against persons", "all other crimes"]) expect(pluralLabel(l), l).toBe(true);
  });

  it("keeps police.uk's categories singular, whose head noun comes first, and words ending in 'ss'", () => {
    const keys = ["anti-social-behaviour", "bicycle-theft", "burglary", "criminal-damage-arson", "drugs", "other-crime", "other-theft", "possession-of-weapons", "public-order", "robbery", "shoplifting", "theft-from-the-person", "vehicle-crime", "violent-crime"];
    // Only "Drugs" is plural among police.uk's labels.
    expect(keys.filter((k) => pluralLabel(categoryLabel(k))).map(categoryLabel)).toEqual(["Drugs"]);
    for (const l of ["Violence and sexual offences", "Possession of weapons", "Larceny", "Class", "Other theft", "Aggravated assault"]) expect(pluralLabel(l), l).toBe(false);
  });
});

describe("allCrimeLabel: all the crime in the data, by name when the data hold only a few types", () => {
  it("names an extract of one to three crime types (a city's aggravated assaults, its burglaries)", () => {
    expect(NARROW_EXTRACT).toBe(3);
    expect(allCrimeLabel(["aggravated-assault"])).toBe("Aggravated assault");
    expect(allCrimeLabel(["aggravated-burglary", "burglary"])).toBe("All crime in the data (aggravated burglary and burglary)");
    expect(allCrimeLabel(["burglary", "robbery", "vehicle-crime"])).toBe("All crime in the data (burglary, robbery and vehicle crime)");
  });

  it("is all recorded crime with more types, or none", () => {
    expect(allCrimeLabel(["burglary", "drugs", "robbery", "vehicle-crime"])).toBe("All recorded crime");
    expect(allCrimeLabel([])).toBe("All recorded crime");
  });
});

describe("gridWords: the grid a map's cells are aligned to", () => {
  it("names the British National Grid only for EPSG:27700, and a city's UTM zone by its number and hemisphere", () => {
    expect(gridWords("EPSG:27700")).toBe("the British National Grid");
    // Chicago (−87.6°) lies in UTM zone 16 north; Sydney (151.2°, −33.9°) in zone 56 south.
    expect(gridWords("EPSG:32616")).toBe("the UTM zone 16N grid (EPSG:32616)");
    expect(gridWords("EPSG:32756")).toBe("the UTM zone 56S grid (EPSG:32756)");
    expect(gridWords("EPSG:3857")).toBe("the EPSG:3857 grid");
  });
});

describe("headlineWords: a part-covered headline period in words", () => {
  // Only the fields headlineWords reads: the headline period, its kind and the covered runs of whole months.
  const cal = (headline: string, runs: string[]) => ({ headline: parsePeriod(headline), headlineKind: "part", runs: runs.map((r) => parsePeriod(r)) }) as unknown as ReportCalendar;

  it("one run: its whole months, however many", () => {
    expect(headlineWords(cal("2019-07..2019-12", ["2019-07..2019-12"]))).toBe("Jul 2019 – Dec 2019 (the 6 whole months the data cover)");
    expect(headlineWords(cal("2022-10", ["2022-10"]))).toBe("October 2022 (the whole month the data cover)");
  });

  it("earlier runs too (a gap between downloads): the latest run, never 'the N months the data cover'", () => {
    expect(headlineWords(cal("2018-12..2019-05", ["2017-12..2018-07", "2018-12..2019-05"]))).toBe("Dec 2018 – May 2019 (the latest 6 months the data cover without a gap)");
    expect(headlineWords(cal("2022-10", ["2014-11", "2022-10"]))).toBe("October 2022 (the latest month the data cover)");
  });
});
