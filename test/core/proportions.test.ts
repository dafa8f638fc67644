import { describe, it, expect } from "vitest";
import { IncidentTableBuilder, PRECISION, FLAG, clockFor, dictValue, proportions, syntheticBorough, type IncidentTable } from "@community-safety/core";
import { readPoliceUkFiles } from "@community-safety/core/node";
import { thrownInputError } from "../helpers/errors.js";
import { dataPath } from "../helpers/data.js";

// Violence with the domestic flag: North 30 of 60, South 20 of 80, East 5 of 40; plus 10 burglaries in North, none flagged.
function table(): IncidentTable {
  const clock = clockFor("Europe/London");
  const b = new IncidentTableBuilder("Europe/London", "EPSG:27700");
  b.flagsRecorded = FLAG.domestic;
  const add = (district: string, category: string, n: number, flagged: number) => {
    for (let k = 0; k < n; ++k) {
      const i = b.addRow();
      b.dict.category.set(i, category);
      b.dict.district.set(i, district);
      b.start[i] = clock.fromLocal(2021, 5, 1 + (k % 28), 12, 0);
      b.end[i] = b.start[i] + 1;
      b.precision[i] = PRECISION.minute;
      if (k < flagged) b.flags[i] = FLAG.domestic;
    }
  };
  add("North", "violence", 60, 30);
  add("South", "violence", 80, 20);
  add("East", "violence", 40, 5);
  add("North", "burglary", 10, 0);
  return b.finish();
}

describe("proportions", () => {
  it("gives the flagged share per cell with the Wilson interval of R's prop.test(x, n, correct = FALSE)", () => {
    const { rows } = proportions(table(), { flag: "domestic", by: ["district", "category"] });
    const north = rows.find((r) => r.district === "North" && r.category === "violence")!;
    expect(north).toMatchObject({ flagged: 30, total: 60, proportion: 0.5 });
    // R 4.2.2: prop.test(30, 60, correct = FALSE)$conf.int
    expect(north.lower).toBeCloseTo(0.37735024241555776, 12);
    expect(north.upper).toBeCloseTo(0.6226497575844423, 12);
    expect(north.sentence).toBe("50.0% of Violence in North (30 of 60) was domestic-related (95% CI 37.7%–62.3%).");
    const south = rows.find((r) => r.district === "South" && r.category === "violence")!;
    // R: prop.test(20, 80, correct = FALSE)$conf.int
    expect(south.lower).toBeCloseTo(0.16806231857542384, 12);
    expect(south.upper).toBeCloseTo(0.35484674619233975, 12);
    // Zero-filled cells have no share rather than 0%.
    const empty = rows.find((r) => r.district === "South" && r.category === "burglary")!;
    expect(empty).toMatchObject({ flagged: 0, total: 0, proportion: null, lower: null, upper: null });
    const east = rows.find((r) => r.district === "East" && r.category === "violence")!;
    expect(east).toMatchObject({ flagged: 5, total: 40, proportion: 0.125 });
    // R: prop.test(5, 40, correct = FALSE)$conf.int
    expect(east.lower).toBeCloseTo(0.054595002509454031, 12);
    expect(east.upper).toBeCloseTo(0.26112119838851094, 12);
    const none = rows.find((r) => r.district === "North" && r.category === "burglary")!;
    expect(none).toMatchObject({ flagged: 0, total: 10, proportion: 0 });
    // R: prop.test(0, 10, correct = FALSE)$conf.int = [0, 0.27753279986288915]
    expect(none.lower).toBeCloseTo(0, 14);
    expect(none.upper).toBeCloseTo(0.27753279986288915, 12);
  });

  it("compares the same proportion across areas with R's prop.test", () => {
    const two = proportions(table(), { flag: "domestic", by: ["district", "category"], categories: ["violence"], values: { district: ["North", "South"] }, compareAcross: "district" });
    expect(two.comparisons.length).toBe(1);
    const c = two.comparisons[0];
    // R: prop.test(c(30, 20), c(60, 80)) — Yates-corrected with two groups, R's default.
    expect(c.statistic).toBeCloseTo(8.276203703703704, 10);
    expect(c.pValue).toBeCloseTo(0.0040168024350980174, 12);
    expect(c).toMatchObject({ category: "violence", df: 1, significant: true, compared: ["North", "South"] });
    expect(c.sentence).toBe("The domestic-related share of Violence differs across 2 district values (North 50.0%, South 25.0%; chi-square 8.28 on 1 df, p = 0.004).");
    const three = proportions(table(), { flag: "domestic", by: ["category", "district"], categories: ["violence"], compareAcross: "district" }).comparisons[0];
    // R: prop.test(c(30, 20, 5), c(60, 80, 40))
    expect(three.statistic).toBeCloseTo(18, 10);
    expect(three.pValue).toBeCloseTo(0.00012340980408667978, 12);
    expect(three.df).toBe(2);
    // Burglary: only one district has any, so there is nothing to compare.
    const burglary = proportions(table(), { flag: "domestic", by: ["category", "district"], compareAcross: "district" }).comparisons.find((x) => x.category === "burglary")!;
    expect(burglary).toMatchObject({ pValue: null, significant: false, reason: "fewer than two district values with incidents" });
  });

  it("refuses a flag the source does not record, instead of reporting 0%", async () => {
    const b = new IncidentTableBuilder("Europe/London", "EPSG:27700");
    const e = thrownInputError(() => proportions(b.finish(), { flag: "domestic" }));
    expect(e.code).toBe("missing-field");
    expect(e.message).toBe('proportions: flag "domestic" is not recorded by this table\'s source (it records no flags), so its share is unknown rather than 0');
    expect(thrownInputError(() => proportions(table(), { flag: "alcohol" })).message).toMatch(/it records domestic\)/);
    expect(thrownInputError(() => proportions(table(), { flag: "drunk" as never })).message).toBe('proportions: flag must be one of alcohol, domestic, hate, got "drunk"');
    expect(thrownInputError(() => proportions(table(), { flag: "domestic", compareAcross: "ward" })).message).toMatch(/compareAcross must be one of the dimensions in by/);
    // police.uk publishes no flags.
    const { table: real } = await readPoliceUkFiles(dataPath("policeuk-leicestershire", "raw-force-wide-sample", "2022-10-leicestershire-street.csv.gz"));
    expect(real.flagsRecorded).toBe(0);
    expect(thrownInputError(() => proportions(real, { flag: "domestic" })).code).toBe("missing-field");
  });

  it("recovers the synthetic borough's planted domestic share of ABH (45%): exact counts and R's Wilson intervals", () => {
    const { table: t, truths } = syntheticBorough({ seed: 1 });
    expect(truths.domestic.abh).toBe(0.45);
    // Independent: the flagged and total ABH counted straight from the table, overall and per
    // financial year (April–March of the local start).
    const direct = { all: [0, 0], "2019/20": [0, 0], "2020/21": [0, 0], "2021/22": [0, 0] } as Record<string, [number, number]>;
    const clock = clockFor("Europe/London");
    for (let i = 0; i < t.length; ++i) {
      if (dictValue(t.category, i) !== "violent-crime" || dictValue(t.subcategory, i) !== "abh") continue;
      const { year, month } = clock.parts(t.start[i]);
      const fy = month >= 4 ? year : year - 1;
      for (const key of ["all", `${fy}/${String((fy + 1) % 100).padStart(2, "0")}`]) {
        direct[key][1] += 1;
        if (t.flags[i] & FLAG.domestic) direct[key][0] += 1;
      }
    }
    // Seed 1 realises these counts (the values below were computed by R from them).
    expect(direct).toEqual({ all: [2008, 4422], "2019/20": [695, 1510], "2020/21": [635, 1409], "2021/22": [678, 1503] });
    const abh = proportions(t, { flag: "domestic", by: ["subcategory"], categories: ["violent-crime"] }).rows.find((r) => r.subcategory === "abh")!;
    expect(abh).toMatchObject({ flagged: 2008, total: 4422, proportion: 2008 / 4422 });
    // R 4.2.2: prop.test(2008, 4422, correct = FALSE)$conf.int
    expect(abh.lower).toBeCloseTo(0.43946458980529751, 13);
    expect(abh.upper).toBeCloseTo(0.46880144191374595, 13);
    expect(abh.sentence).toBe("45.4% of Abh (2,008 of 4,422) was domestic-related (95% CI 43.9%–46.9%).");
    // The planted 45% lies inside the interval. (Seed 2 realises 1,872 of 4,383 = 42.7%, 3.05 SD
    // below 45%: a chance draw — twelve seeds pooled give 44.6% of 53,598.)
    expect(abh.lower!).toBeLessThan(0.45);
    expect(abh.upper!).toBeGreaterThan(0.45);
    // The planted share does not change from year to year: compared across the three
    // financial years, the test has 2 df and uses every year's counts.
    const years = proportions(t, { flag: "domestic", by: ["period", "subcategory"], periods: truths.months.financialYears, categories: ["violent-crime"], compareAcross: "period" });
    const cells = years.rows.filter((r) => r.subcategory === "abh");
    expect(cells.map((r) => [r.period, r.flagged, r.total])).toEqual(truths.months.financialYears.map((fy) => [fy, ...direct[fy]]));
    // R: prop.test(695, 1510, correct = FALSE), (635, 1409), (678, 1503) $conf.int
    const wilson = [
      [0.43525810449385005, 0.48547335698066796],
      [0.42486336058475571, 0.47675334302187256],
      [0.42609767964892731, 0.47634726627454932],
    ];
    cells.forEach((r, k) => {
      expect(r.lower).toBeCloseTo(wilson[k][0], 13);
      expect(r.upper).toBeCloseTo(wilson[k][1], 13);
    });
    const cmp = years.comparisons.find((c) => c.subcategory === "abh")!;
    expect(cmp.df).toBe(2);
    expect(cmp.compared).toEqual(truths.months.financialYears);
    // R: prop.test(c(695, 635, 678), c(1510, 1409, 1503)) — X² = 0.35286043031796693, p = 0.83825727476475764
    expect(cmp.statistic).toBeCloseTo(0.35286043031796693, 12);
    expect(cmp.pValue).toBeCloseTo(0.83825727476475764, 12);
    expect(cmp.significant).toBe(false);
  });
});
