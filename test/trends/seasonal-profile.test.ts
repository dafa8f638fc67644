import { describe, it, expect } from "vitest";
import { selectRows, lsoaNamePrefixTest, syntheticBorough } from "@community-safety/core";
import { readPoliceUkFiles } from "@community-safety/core/node";
import { seasonalProfile, friedman } from "@community-safety/trends";
import { compareSeasonalProfiles } from "@community-safety/trends";
import { dataPath } from "../helpers/data.js";
import { thrownInputError } from "../helpers/errors.js";

describe("seasonalProfile on Charnwood ASB (police.uk)", () => {
  it("uses the complete financial years, with counts, index and Friedman's test equal to R", async () => {
    const { table: all } = await readPoliceUkFiles(dataPath("policeuk-leicestershire", "county-2019-12_2022-10"));
    const charnwood = selectRows(all, lsoaNamePrefixTest(all, "Charnwood"));
    const r = seasonalProfile(charnwood, { categories: ["anti-social-behaviour"] });
    expect(r.years).toEqual(["2020/21", "2021/22"]);
    expect(r.months).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]);
    const p = r.profiles[0];
    // Independent count (Python csv over the raw files; ASB rows have no Crime ID, so no de-duplication).
    expect([...p.counts]).toEqual([255, 223, 258, 238, 269, 194, 153, 129, 114, 97, 103, 143, 156, 159, 188, 199, 145, 140, 141, 146, 122, 135, 141, 182]);
    // The partial years: December 2019 – March 2020 (558) and April – October 2022 (1,109).
    expect(r.outside).toBe(558 + 1109);
    // R 4.2.2: r <- sweep(matrix(counts, 2, byrow = TRUE), 2, days, "/"); colMeans(r) / mean(colMeans(r))
    const rIndex = [1.24150747286706586, 1.11668437634852635, 1.34723195352484537, 1.27746354048247679, 1.21022861729918851, 1.00891361541995139, 0.8594377137342063, 0.83069234802540903, 0.6898887770111316, 0.67819574689229878, 0.78969714123973944, 0.95005869715516];
    rIndex.forEach((v, j) => expect(p.index[j]).toBeCloseTo(v, 12));
    // R: friedman.test(r) — X² = 17.2308, p = 0.1012 (two years of rankings agree only loosely).
    expect(p.consistency!.statistic).toBeCloseTo(17.23076923076923, 10);
    expect(p.consistency!.pValue).toBeCloseTo(0.1012323919681488, 12);
    expect(p.consistency!.kendallW).toBeCloseTo(17.23076923076923 / (2 * 11), 12);
    expect(p.ranking.slice(0, 2)).toEqual([6, 7]);
    expect(p.sentence).toBe("Anti-social behaviour: busiest in June and July (index 1.35 and 1.28); quietest in January (0.68). A second, smaller peak in April (1.24). The pattern is not consistent year on year (Kendall's W = 0.78 over 2 years, Friedman p = 0.10).");
  });
});

describe("friedman", () => {
  it("equals R's friedman.test with ties (average ranks, tie-corrected statistic)", () => {
    // R: friedman.test(matrix(c(255,223,258,238,269,194,153,129,114,97,103,143, 156,159,188,199,145,140,141,146,122,135,141,182), 2, byrow = TRUE))
    const counts = [255, 223, 258, 238, 269, 194, 153, 129, 114, 97, 103, 143, 156, 159, 188, 199, 145, 140, 141, 146, 122, 135, 141, 182];
    const f = friedman(counts, 2, 12);
    expect(f.statistic).toBeCloseTo(17.626970227670753, 10);
    expect(f.pValue).toBeCloseTo(0.090649647025849669, 12);
    // Hand-worked: three identical years give W = 1 and mean Spearman 1.
    const same = friedman([1, 2, 3, 1, 2, 3, 1, 2, 3], 3, 3);
    expect(same.kendallW).toBeCloseTo(1, 14);
    expect(same.meanSpearman).toBeCloseTo(1, 14);
    // Two years in opposite order: W = 0, mean Spearman −1.
    const opposite = friedman([1, 2, 3, 3, 2, 1], 2, 3);
    expect(opposite.kendallW).toBeCloseTo(0, 14);
    expect(opposite.meanSpearman).toBeCloseTo(-1, 14);
  });
});

describe("seasonalProfile on the synthetic borough", () => {
  const { table, truths } = syntheticBorough({ seed: 1 });

  it("recovers the planted peaks: ASB in August and October every year, crime in June and November", () => {
    const r = seasonalProfile(table, { by: "category", categories: ["anti-social-behaviour", "deliberate-primary-fire"] });
    expect(r.years).toEqual(truths.months.financialYears);
    const asb = r.profiles.find((p) => p.key === "anti-social-behaviour")!;
    expect(asb.ranking.slice(0, 2).sort()).toEqual([...truths.seasonality.asb.peakMonths].sort());
    expect(asb.consistency!.pValue).toBeLessThan(0.01);
    expect(asb.sentence).toMatch(/^Anti-social behaviour: busiest in August and October .* The pattern is very similar year on year/);
    const crime = seasonalProfile(table, { categories: table.category.values.filter((v): v is string => v !== null && ["burglary", "violent-crime", "shoplifting", "criminal-damage-arson", "vehicle-crime", "public-order", "other-theft"].includes(v)) }).profiles[0];
    expect(crime.peaks.slice(0, 2).sort((a, b) => a - b)).toEqual(truths.seasonality.crime.peakMonths);
  });

  it("compareSeasonalProfiles: the districts share the planted ASB pattern; ASB and primary fires do not (R chisq.test)", () => {
    const d = seasonalProfile(table, { by: "district", categories: ["anti-social-behaviour"] });
    const same = compareSeasonalProfiles(d.profiles[0], d.profiles[1], { months: d.months });
    expect(same.different).toBe(false);
    const c = seasonalProfile(table, { by: "category", categories: ["anti-social-behaviour", "deliberate-primary-fire"] });
    const diff = compareSeasonalProfiles(c.profiles.find((p) => p.key === "anti-social-behaviour")!, c.profiles.find((p) => p.key === "deliberate-primary-fire")!, { months: c.months });
    // R 4.2.2: chisq.test(rbind(c(431,549,515,539,846,498,768,452,424,496,401,510), c(39,20,13,16,23,14,20,36,17,14,13,23)))
    // (the two rows are these profiles' counts summed over the three years, April first)
    expect(diff.statistic).toBeCloseTo(58.844075531478907, 9);
    expect(diff.pValue).toBeCloseTo(1.5189856885884316e-8, 18);
    expect(diff.df).toBe(11);
    expect(diff.largestDifference).toBe(4);
    expect(diff.sentence).toBe("The seasonal patterns of Anti-social behaviour and Deliberate primary fire differ (chi-square 58.8 on 11 df, p < 0.001); most in Apr (index 0.82 against 1.91).");
  });

  it("refuses unknown categories and bad options", () => {
    expect(thrownInputError(() => seasonalProfile(table, { categories: ["nope"] })).code).toBe("unknown-category");
    expect(thrownInputError(() => seasonalProfile(table, { years: "fiscal" as never })).message).toBe('seasonalProfile: years must be "financial" or "calendar", got "fiscal"');
  });
});
