import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { csvParse } from "d3-dsv";
import {
  DENVER_PD,
  MEMPHIS_CODE,
  POLICE_UK_CRIME_KEYS,
  comparePrevious,
  coverage,
  coveredSpans,
  declaredCoverage,
  knownBreaks,
  levels,
  lsoaNamePrefixTest,
  parsePeriod,
  peerComparison,
  readPoliceUk,
  readPopulation,
  selectRows,
  yearOnYear,
  type IncidentTable,
} from "@community-safety/core";
import { readDelimitedFiles, readPoliceUkFiles } from "@community-safety/core/node";
import { countSeries, mannKendall, seasonalProfile, seriesRuns, stl } from "@community-safety/trends";
import { dataPath, fixturePath } from "../helpers/data.js";
import { expectInputError } from "../helpers/errors.js";

// Reference values: test/fixtures/coverage/reference.R (R 4.2.2, base R only) counts the raw
// files by string prefixes and runs poisson.test with exposures in elapsed days from R's own
// zone rules.
const R = JSON.parse(readFileSync(fixturePath("coverage", "reference.json"), "utf8"));
const leics = (...parts: string[]) => dataPath("policeuk-leicestershire", ...parts);
const charnwood = (t: IncidentTable) => selectRows(t, lsoaNamePrefixTest(t, "Charnwood"));

describe("coverage(table) from the files read", () => {
  it("two police.uk downloads five years apart: Jan–Nov 2014 and Dec 2019 – Oct 2022, the 60-month gap named", async () => {
    const { table } = await readPoliceUkFiles([leics("county-2014-01_2014-11"), leics("county-2019-12_2022-10")]);
    const c = coverage(table);
    expect(c.sentence).toBe("The data cover Jan 2014 – Nov 2014 and Dec 2019 – Oct 2022, with one gap: Dec 2014 – Nov 2019 (60 months).");
    expect(c.gaps.map((g) => [g.label, g.months])).toEqual([["Dec 2014 – Nov 2019", 60]]);
    // One entry per source, for the force the files are about (police.uk files are a force's month).
    expect(c.sources.map((s) => [s.source, s.area, s.basis, s.note])).toEqual([
      ["police-recorded-crime", "Leicestershire Police", "files", "the 46 months of the police.uk files read"],
      ["asb-incident", "Leicestershire Police", "files", "the 46 months of the police.uk files read"],
    ]);
    // A selection keeps the coverage of the table it came from.
    expect(coverage(charnwood(table)).sentence).toBe(c.sentence);
  });

  it("a header-only police.uk file covers its month (named in the file name) with no incident; a missing file leaves a gap", () => {
    const header = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context";
    const row = (m: string) => `,${m},Leicestershire Police,Leicestershire Police,-1.2,52.77,On or near A,E01025670,Charnwood 022A,Anti-social behaviour,,`;
    const jan = { name: "2021-01-leicestershire-street.csv", text: `${header}\n${row("2021-01")}\n` };
    const feb = { name: "2021-02-leicestershire-street.csv", text: `${header}\n` };
    const mar = { name: "2021-03-leicestershire-street.csv", text: `${header}\n${row("2021-03")}\n` };
    expect(coverage(readPoliceUk([jan, feb, mar]).table).sentence).toBe("The data cover Jan 2021 – Mar 2021.");
    const counts = countSeries(readPoliceUk([jan, feb, mar]).table, { unit: "month" }).series[0].counts;
    expect(Array.from(counts)).toEqual([1, 0, 1]); // February: covered, no incident
    const gappy = readPoliceUk([jan, mar]).table;
    expect(coverage(gappy).sentence).toBe("The data cover January 2021 and March 2021, with one gap: February 2021 (1 month).");
    const s = countSeries(gappy, { unit: "month" }).series[0];
    expect(Number.isNaN(s.counts[1])).toBe(true); // February: not covered, unknown
  });
});

describe("coverage(table) from the records, or declared", () => {
  it("Denver's sample: first to last record less the whole months with no record, which an independent count finds empty", async () => {
    const { table } = await readDelimitedFiles(dataPath("denver-crime-sample", "denver_crime_sample_non_traffic.csv.gz"), DENVER_PD);
    const c = coverage(table);
    // Independent: d3-dsv over the raw file, the month of FIRST_OCCURRENCE_DATE (M/d/yyyy …).
    const raw = csvParse(gunzipSync(readFileSync(dataPath("denver-crime-sample", "denver_crime_sample_non_traffic.csv.gz"))).toString("utf8"));
    const months = new Set<string>();
    for (const r of raw) {
      const [m, , y] = (r.FIRST_OCCURRENCE_DATE ?? "").split(" ")[0].split("/");
      if (y) months.add(`${y}-${m.padStart(2, "0")}`);
    }
    const sorted = [...months].sort();
    const empty: string[] = [];
    for (let y = +sorted[0].slice(0, 4), m = +sorted[0].slice(5); `${y}-${String(m).padStart(2, "0")}` <= sorted[sorted.length - 1]; m === 12 ? ((m = 1), ++y) : ++m) {
      const k = `${y}-${String(m).padStart(2, "0")}`;
      if (!months.has(k)) empty.push(k);
    }
    expect(empty).toEqual(["2014-06", "2014-08", "2014-09", "2014-10", "2015-04"]);
    expect(c.gaps.map((g) => g.label)).toEqual(["June 2014", "Aug 2014 – Oct 2014", "April 2015"]);
    expect(c.sources[0].basis).toBe("records");
  });

  it("readDelimited's extractWindow is the coverage, and rows outside it are rejected as outside-window", async () => {
    const file = dataPath("memphis-robberies-2019", "memphis_robberies_2019.csv");
    const { table, rejected, summary } = await readDelimitedFiles(file, { ...MEMPHIS_CODE, extractWindow: ["2019-01", "2019-06"] });
    // Independent count: rows whose date is in July–December 2019 (string prefix of the raw column).
    const late = csvParse(readFileSync(file, "utf8")).filter((r) => r.date! >= "2019-07").length;
    expect(rejected.length).toBe(late);
    expect(new Set(rejected.map((r) => r.reason))).toEqual(new Set(["outside-window"]));
    expect(rejected[0].message).toBe("date falls outside the declared extract window (Jan 2019 – Jun 2019)");
    expect(summary.rows).toBe(R.memphis.rows);
    expect(table.length).toBe(R.memphis.rows - late);
    expect(coverage(table).sources.map((s) => [s.source, s.basis, s.note])).toEqual([[null, "declared", "the declared extract window, Jan 2019 – Jun 2019"]]);
  });

  it("declaredCoverage validates its window", () => {
    expectInputError(() => declaredCoverage(["2019-12", "2019-01"]), "invalid-option", "declaredCoverage: extractWindow must be first and last periods in time order");
    expectInputError(() => declaredCoverage("2019-13"), "invalid-option", "declaredCoverage: extractWindow must be a period key or [first, last] period keys");
  });
});

describe("comparisons on a calendar-year extract (Memphis 2019) read with April financial years", () => {
  it("yearOnYear refuses to compare January–March with April–December as whole years (partial-period)", async () => {
    const { table } = await readDelimitedFiles(dataPath("memphis-robberies-2019", "memphis_robberies_2019.csv"), MEMPHIS_CODE);
    expectInputError(() => yearOnYear(table, "2019/20"), "partial-period", "change: 2018/19 (Apr 2018 – Mar 2019) is only partly covered by the data: Jan 2019 – Mar 2019 (90 of 365 days)");
    // No month is covered in both years, so there are no equal windows either.
    expectInputError(() => yearOnYear(table, "2019/20", { partial: "equal-windows" }), "partial-period", "change: no month is covered in every one of 2018/19, 2019/20");
    // Calendar years: 2018 is not covered at all.
    expectInputError(() => yearOnYear(table, "2019", { fyStartMonth: 1 }), "partial-period", "change: 2018 is not covered by the data at all");
  });

  it("partial: 'rate' compares rates per day of covered time: +18%, not +261%, as R's poisson.test with those exposures", async () => {
    const { table } = await readDelimitedFiles(dataPath("memphis-robberies-2019", "memphis_robberies_2019.csv"), MEMPHIS_CODE);
    const r = yearOnYear(table, "2019/20", { partial: "rate" });
    const row = r.rows[0];
    expect([row.previous, row.current]).toEqual([R.memphis.janMar, R.memphis.aprDec]);
    expect(row.currentDays).toBeCloseTo(R.memphis.rate.t[0], 12);
    expect(row.previousDays).toBeCloseTo(R.memphis.rate.t[1], 12);
    expect(row.pValue! / R.memphis.rate.pValue).toBeCloseTo(1, 10);
    expect(row.rateRatio).toBeCloseTo(R.memphis.rate.rateRatio, 12);
    expect(row.lower).toBeCloseTo(R.memphis.rate.lower, 10);
    expect(row.upper).toBeCloseTo(R.memphis.rate.upper, 10);
    expect(row.percentChange).toBeCloseTo(R.memphis.rate.rateRatio - 1, 12);
    expect(row.sentence).toBe(
      "Personal robbery rose from 5.41 a day in 2018/19 (Jan 2019 – Mar 2019 covered) to 6.39 a day in 2019/20 (Apr 2019 – Dec 2019 covered), +18.1% a day: 487 in 90 days against 1,758 in 275 days; this is statistically significant (p = 0.001).",
    );
  });

  it("levels marks each financial year's coverage (the share of its time the data cover)", async () => {
    const { table } = await readDelimitedFiles(dataPath("memphis-robberies-2019", "memphis_robberies_2019.csv"), MEMPHIS_CODE);
    const rows = levels(table, { by: ["period"], periods: "financialYear" }).rows;
    expect(rows.map((r) => [r.period, r.count])).toEqual([["2018/19", R.memphis.janMar], ["2019/20", R.memphis.aprDec]]);
    // 2018/19 runs 1 Apr 2018 – 1 Apr 2019 (365 days, CDT at both ends); 2019/20 to 1 Apr 2020 (366).
    expect(rows[0].coverage).toBeCloseTo(R.memphis.rate.t[1] / 365, 12);
    expect(rows[1].coverage).toBeCloseTo(R.memphis.rate.t[0] / 366, 12);
  });
});

describe("comparisons on Charnwood ending October 2022", () => {
  it("yearOnYear(table, '2022/23') is refused; on equal windows burglary rose 326 → 457, as R", async () => {
    const { table: all } = await readPoliceUkFiles(leics("county-2019-12_2022-10"));
    const t = charnwood(all);
    // Before: "Burglary fell by 135 (−22.8%), significant" — seven months counted against twelve.
    expectInputError(() => yearOnYear(t, "2022/23"), "partial-period", "change: 2022/23 (Apr 2022 – Mar 2023) is only partly covered by the data: Apr 2022 – Oct 2022 (214 of 365 days)");
    const r = yearOnYear(t, "2022/23", { partial: "equal-windows" });
    expect(r.basis).toBe("equal-windows");
    expect([r.windows.previous.label, r.windows.current.label]).toEqual(["Apr 2021 – Oct 2021", "Apr 2022 – Oct 2022"]);
    const burglary = r.rows.find((x) => x.category === "burglary")!;
    expect([burglary.previous, burglary.current]).toEqual(R.charnwoodEqualWindows.burglary.x.slice().reverse());
    expect([burglary.previousDays, burglary.currentDays]).toEqual([R.charnwoodEqualWindows.burglary.t[1], R.charnwoodEqualWindows.burglary.t[0]]);
    expect(burglary.pValue! / R.charnwoodEqualWindows.burglary.pValue).toBeCloseTo(1, 10);
    expect(burglary.lower).toBeCloseTo(R.charnwoodEqualWindows.burglary.lower, 10);
    expect(burglary.sentence).toBe("Burglary rose by 131 (+40.2%) in Apr 2022 – Oct 2022 compared with Apr 2021 – Oct 2021 (the months covered in both 2021/22 and 2022/23); this is statistically significant (p < 0.001).");
  });

  it("comparePrevious refuses to average in the four-month 2019/20; as rates per day it matches R's pooled poisson.test", async () => {
    const { table: all } = await readPoliceUkFiles(leics("county-2019-12_2022-10"));
    const t = charnwood(all);
    expectInputError(() => comparePrevious(t, "2021/22", { years: 2 }), "partial-period", "comparePrevious: 2019/20 (Apr 2019 – Mar 2020) is only partly covered by the data: Dec 2019 – Mar 2020 (122 of 366 days)");
    const r = comparePrevious(t, "2021/22", { years: 2, partial: "rate" });
    expect(r.basis).toBe("rate");
    for (const [key, ref] of [["burglary", R.charnwoodPooled.burglary], ["violent-crime", R.charnwoodPooled.violence]] as const) {
      const row = r.rows.find((x) => x.category === key)!;
      expect([...row.previous, row.current]).toEqual(ref.counts);
      expect(row.pValue! / ref.pValue).toBeCloseTo(1, 9);
      expect(row.rateRatio).toBeCloseTo(ref.rateRatio, 12);
      expect(row.lower).toBeCloseTo(ref.lower, 10);
      expect(row.upper).toBeCloseTo(ref.upper, 10);
    }
    const burglary = r.rows.find((x) => x.category === "burglary")!;
    // Ranked by rate per day: 332 in 122 days (2.72/day) is higher than 698 in 365 (1.91) or 592 (1.62).
    expect([burglary.lowest, burglary.highest, burglary.rankHighest]).toEqual([true, false, 3]);
  });

  it("levels marks 2019/20 and 2022/23 as part years", async () => {
    const { table: all } = await readPoliceUkFiles(leics("county-2019-12_2022-10"));
    const rows = levels(charnwood(all), { by: ["period"], periods: "financialYear" }).rows;
    expect(rows.map((r) => r.period)).toEqual(["2019/20", "2020/21", "2021/22", "2022/23"]);
    // 2019/20 (366 days, a leap year) is covered from 1 December: R's elapsed days of Dec–Mar.
    expect(rows[0].coverage).toBeCloseTo(R.charnwoodPooled.days[0] / 366, 12);
    expect([rows[1].coverage, rows[2].coverage]).toEqual([1, 1]);
    expect(rows[3].coverage).toBeCloseTo(R.charnwoodEqualWindows.burglary.t[0] / 365, 12);
  });
});

describe("series across the five-year gap between two downloads", () => {
  it("countSeries: uncovered months are NaN, the covered ones equal the data README's published Charnwood counts", async () => {
    const { table } = await readPoliceUkFiles([leics("county-2014-01_2014-11"), leics("county-2019-12_2022-10")]);
    const s = countSeries(charnwood(table), { unit: "month" });
    const counts = s.series[0].counts;
    expect(s.periods.length).toBe(106);
    expect(s.series[0].gaps).toEqual([{ from: 11, to: 70, first: "2014-12", last: "2019-11", steps: 60, partial: false }]);
    expect(counts.slice(11, 71).every(Number.isNaN)).toBe(true);
    // ../shared/data/README.md, "Per-month row counts", Charnwood rows (published with the data).
    expect(Array.from(counts.slice(0, 11))).toEqual([982, 958, 996, 903, 1095, 1020, 1104, 1001, 915, 1065, 1010]);
    expect(Array.from(counts.slice(71, 75))).toEqual([1074, 1122, 1065, 1099]);
    expect(seriesRuns(counts)).toEqual([
      { from: 0, to: 10, length: 11 },
      { from: 71, to: 105, length: 35 },
    ]);
    // STL refuses to run through the gap; Mann–Kendall skips it (never reads it as zeros).
    expectInputError(() => stl(counts, { period: 12, seasonalWindow: "periodic" }), "series-gap", "stl: values[11] is missing");
    const mk = mannKendall(counts);
    expect([mk.n, mk.skipped]).toEqual([46, 60]);
    // Seasonal profiles use only financial years the data wholly cover.
    expect(seasonalProfile(charnwood(table)).years).toEqual(["2020/21", "2021/22"]);
  });
});

describe("peers with residents but no rows", () => {
  it("are excluded from the group rate and listed (Leicester: 68.1, not 45.9, crimes per 1,000)", async () => {
    const { table } = await readPoliceUkFiles(leics("county-2019-12_2022-10"));
    const pop = readPopulation(readFileSync(dataPath("geography-leicestershire", "leicestershire-lsoa-population-imd.csv"), "utf8"), { group: "lad19nm" });
    const crimes = POLICE_UK_CRIME_KEYS.filter((k) => table.category.values.includes(k));
    const r = peerComparison(table, { population: pop.byGroup, period: "2021/22", categories: crimes });
    expect(r.excluded.map((e) => e.area)).toEqual(R.peers.absent);
    expect(r.rows.map((x) => x.area).sort()).toEqual(R.peers.present);
    const countOf = new Map(r.rows.map((x) => [x.area, x.count]));
    expect(R.peers.present.map((d: string) => countOf.get(d))).toEqual(R.peers.counts);
    expect(r.groupRate).toBeCloseTo(R.peers.groupRate, 10);
    expect(r.window.whole).toBe(true);
    // A part-covered period is refused here too.
    expectInputError(() => peerComparison(table, { population: pop.byGroup, period: "2022/23", categories: crimes }), "partial-period", "peerComparison: 2022/23 (Apr 2022 – Mar 2023) is only partly covered");
  });
});

describe("knownBreaks", () => {
  it("names COVID-19 restrictions for comparisons touching March 2020 – July 2021, and lasting changes that fall between the periods", () => {
    const span = (a: string, b: string) => [parsePeriod(a).start, parsePeriod(b).end] as const;
    expect(knownBreaks(...span("2019/20", "2020/21")).map((b) => b.id)).toEqual(["covid-19-restrictions-england"]);
    expect(knownBreaks(...span("2021/22", "2022/23")).map((b) => b.id)).toEqual(["covid-19-restrictions-england"]);
    expect(knownBreaks(...span("2022-04", "2022-10"))).toEqual([]);
    // police.uk's May 2013 categories and HMIC's report of 18 November 2014 both fall inside 2013/14 – 2014/15.
    expect(knownBreaks(...span("2013/14", "2014/15")).map((b) => b.id)).toEqual(["police-uk-categories-2013-05", "hmic-crime-data-integrity-2014"]);
    // A change starting before both periods does not split them; one that touches neither category is left out.
    expect(knownBreaks(...span("2024/25", "2025/26"))).toEqual([]);
    expect(knownBreaks(...span("2022/23", "2023/24"), { categories: ["burglary"] })).toEqual([]);
    expect(knownBreaks(...span("2022/23", "2023/24"), { categories: ["violent-crime"] }).map((b) => b.id)).toEqual(["hocr-principal-crime-2023-05"]);
    expect(knownBreaks(...span("2019/20", "2020/21"))[0].sentence).toMatch(/^COVID-19 restrictions in England \(23 Mar 2020 to 19 Jul 2021\): .* Source: The Health Protection \(Coronavirus, Restrictions\) \(England\) Regulations 2020, SI 2020\/350/);
  });
});

describe("coveredSpans", () => {
  it("intersects sources and areas, and adds up entries for the same source and area", () => {
    const header = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context";
    const row = (m: string, force: string) => `,${m},${force},${force},-1.2,52.77,On or near A,E01025670,Charnwood 022A,Anti-social behaviour,,`;
    const a = { name: "2021-01-a-street.csv", text: `${header}\n${row("2021-01", "A")}\n${row("2021-02", "A")}\n` };
    const b = { name: "2021-02-b-street.csv", text: `${header}\n${row("2021-02", "B")}\n${row("2021-03", "B")}\n` };
    const { table } = readPoliceUk([a, b]);
    // Force A covers Jan–Feb, force B Feb–Mar: the whole table is covered only in February.
    expect(coverage(table).sentence).toBe("The data cover February 2021.");
    // Force A's rows alone: its own coverage.
    const onlyA = selectRows(table, (i) => table.force.values[table.force.codes[i]] === "A");
    expect(coverage(onlyA).sentence).toBe("The data cover Jan 2021 – Feb 2021.");
    expect(coveredSpans(onlyA, { sources: ["asb-incident"] }).length).toBe(1);
  });
});

describe("empty and odd inputs", () => {
  it("a header-only police.uk file still names its month: covered, with nothing in it", () => {
    const { table } = readPoliceUk([{ name: "2021-05-x-street.csv", text: "Crime ID,Month,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type\n" }]);
    expect(table.length).toBe(0);
    expect(coverage(table).sentence).toBe("The data cover May 2021.");
    // Without a month in its name, it covers no time.
    expect(coverage(readPoliceUk([{ name: "extract.csv", text: "Crime ID,Month,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type\n" }]).table).sentence).toBe("The data cover no time.");
  });
});
