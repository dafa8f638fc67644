import { describe, it, expect } from "vitest";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { csvParse } from "d3-dsv";
import { assess } from "@community-safety/cli";
import { charnwoodAssessOptions, dataPath, fixturePath } from "../helpers/data.js";

const tmp = () => mkdtempSync(join(tmpdir(), "cs-assess-"));

describe("community-safety assess", () => {
  it("writes a report and CSVs for police.uk files, accounting for every row", async () => {
    const out = tmp();
    const files = ["2021-03-good.csv", "2021-04-repeat.csv", "2021-05-bad-rows.csv"].map((f) => fixturePath("police-uk", f));
    const result = await assess({ policeUk: files, out, quiet: true });
    expect(result.sections).toEqual(["summary", "data-quality", "levels", "change"]);
    const html = readFileSync(result.report, "utf8");
    // 4 + 1 + 8 rows; 4 accepted after the duplicate; 1 duplicate + 7 bad rows rejected (hand count of the fixtures).
    expect(html).toContain("13 input rows were read from 3 files: 5 accepted and 8 rejected");
    // Figures: one SVG per <figure>, and exactly the three this input gives (the coverage strip,
    // the rejected rows by reason, the monthly counts; no year-on-year bars without two whole years),
    // each with its title, and the monthly axis on the months of the files in any time zone.
    const figures = html.match(/<figure>[\s\S]*?<\/figure>/g) ?? [];
    expect(figures.map((f) => [(f.match(/<svg/g) ?? []).length, (f.match(/<\/svg>/g) ?? []).length])).toEqual([[1, 1], [1, 1], [1, 1]]);
    expect((html.match(/<svg/g) ?? []).length).toBe(3);
    expect(figures.map((f) => /aria-label="Title text '([^']*)'/.exec(f)?.[1])).toEqual(["Months covered by each source", "Rejected rows by reason", "The Leicestershire Police area: incidents per month by source"]);
    expect(figures[1]).toContain("X-axis titled 'rows' for a linear scale with values from 0.0 to 2.0"); // invalid-coordinate: 2 rows
    expect(figures[2]).toContain("X-axis for a utc scale with values from March 2021 to May 2021");
    const rejected = csvParse(readFileSync(join(out, "rejected.csv"), "utf8"));
    expect(rejected.length).toBe(8);
    expect(rejected.map((r) => r.reason).sort()).toEqual(["duplicate-id", "invalid-coordinate", "invalid-coordinate", "invalid-date", "null-island", "outside-bounds", "ragged-row", "unknown-category"]);
    const levels = csvParse(readFileSync(join(out, "levels-financial-year-category.csv"), "utf8"));
    // Accepted: ASB (Mar 2021), violence (Mar 2021), shoplifting (Mar 2021) in 2020/21; burglary (Apr 2021) and drugs (May 2021) in 2021/22.
    const n = (period: string, category: string) => Number(levels.find((r) => r.period === period && r.category === category)?.count);
    expect(n("2020/21", "anti-social-behaviour")).toBe(1);
    expect(n("2020/21", "burglary")).toBe(0);
    expect(n("2021/22", "burglary")).toBe(1);
    expect(n("2021/22", "drugs")).toBe(1);
  });

  it("takes the title and the place's name from --title and --area-name, never from a file name", async () => {
    const files = ["2021-03-good.csv", "2021-04-repeat.csv"].map((f) => fixturePath("police-uk", f));
    const named = readFileSync((await assess({ policeUk: files, title: "Loughborough CSP: strategic assessment 2021", areaName: "Loughborough", out: tmp(), quiet: true })).report, "utf8");
    expect(named).toContain("<title>Loughborough CSP: strategic assessment 2021</title>");
    expect(named).toContain("<h1>Loughborough CSP: strategic assessment 2021</h1>");
    expect(named).toContain("Title text 'Loughborough: incidents per month by source'");
    const plain = readFileSync((await assess({ policeUk: files, out: tmp(), quiet: true })).report, "utf8");
    expect(plain).toContain("<h1>Strategic assessment: the Leicestershire Police area</h1>");
    expect(plain).not.toMatch(/<title>[^<]*2021-03|<h1>[^<]*2021-03/);
  });


  const lancashireAsb = dataPath("policeuk-lancashire-asb-2022", "lancashire_asb.tab");
  it.skipIf(!existsSync(lancashireAsb))(`names no place the data do not name: the Lancashire ASB export (no force, no place) is “the area”, capitalised where a sentence or title starts — needs ${lancashireAsb}`, async () => {
    const file = lancashireAsb;
    const html = readFileSync((await assess({ input: [file], preset: "police-uk-asb-tab", out: tmp(), quiet: true })).report, "utf8");
    // Rows counted independently of the reader: the file's non-blank lines after the header.
    const rows = readFileSync(file, "utf8").split("\n").slice(1).filter((l) => l.trim() !== "").length;
    expect(rows).toBe(56_434);
    expect(html).toContain("<h1>Strategic assessment</h1>");
    expect(html).toContain(`In the 12 months Jan 2022 – Dec 2022 the area recorded ${rows.toLocaleString("en-GB")} incidents of anti-social behaviour.`);
    expect(html).toContain("The area is not named: the data name no place or force");
    expect(html).toContain("Title text 'The area: incidents per month by source'");
    expect(html).not.toMatch(/the input recorded|Strategic assessment: the input|Title text 'the /);
  }, 120_000);
  it("assesses Charnwood from the county police.uk files with rates per 1,000", async () => {
    const out = tmp();
    const result = await assess({ ...charnwoodAssessOptions(), out, quiet: true });
    const html = readFileSync(result.report, "utf8");
    expect(result.sections).toEqual(["summary", "data-quality", "levels", "change", "hotspots", "trends", "performance"]);
    expect(html).toContain("160,246 input rows were read from 35 files");
    expect(html).toContain("Charnwood recorded");
    // The executive summary opens the report; every finding links to a section of it, and its
    // changes are the significant rows of change-year-on-year.csv (4,805 and 5,734: the
    // independent count of the raw files in test/cli/report-claims or police-uk tests).
    const summary = /<section id="summary">([\s\S]*?)<\/section>/.exec(html)![1];
    expect(html.indexOf('<section id="summary">')).toBeLessThan(html.indexOf('<section id="data-quality">'));
    for (const [, id] of summary.matchAll(/href="#([^"]+)"/g)) expect(html).toContain(`<section id="${id}">`);
    expect(summary).toContain("Violence and sexual offences rose by 929 (+19%) from 2020/21 to 2021/22, from 4,805 to 5,734: more than chance would explain. (COVID-19 restrictions in England affected 2020/21.)");
    // Hot spots in the summary are named by street, town and ward — never an LSOA code or coordinates.
    expect(summary).toMatch(/around Swan Street, Loughborough \([A-Za-z ]+ ward\)/);
    expect(summary).not.toMatch(/Charnwood \d{3}|\d{6}, \d{6}/);
    const yoy = csvParse(readFileSync(join(out, "change-year-on-year.csv"), "utf8"));
    for (const [, label, verb] of summary.matchAll(/<li>([A-Z][a-z ]+?) (rose|fell) by/g)) {
      const row = yoy.find((r) => r.sentence.startsWith(`${label} ${verb} by`))!;
      expect(row.significant, label).toBe("true");
    }
    const rates = csvParse(readFileSync(join(out, "levels-district-rates.csv"), "utf8"));
    const charnwood = rates.find((r) => r.district === "Charnwood")!;
    // Residents: the data README publishes Charnwood's mid-2015 population as 175,167.
    expect(Number(charnwood.population)).toBe(175167);
    // The CSV writes numbers to 12 significant digits (no binary noise).
    expect(charnwood.rate).toBe(String(Number(((Number(charnwood.count) / 175167) * 1000).toPrecision(12))));
    const fy = csvParse(readFileSync(join(out, "levels-financial-year-category.csv"), "utf8"));
    // FY 2020/21 ASB: 2,176 in the data README (ASB rows have no Crime ID, so no de-duplication).
    expect(Number(fy.find((r) => r.period === "2020/21" && r.category === "anti-social-behaviour")!.count)).toBe(2176);
    // Year on year for every police.uk type (14), with exact p-values; bicycle theft is pinned to R in test/core/change.test.ts.
    const funnel = csvParse(readFileSync(join(out, "peer-funnel.csv"), "utf8"));
    // Within the limits that allow for the usual variation between districts (Spiegelhalter 2005
    // random effects), above the plain Poisson ones (test/core/peer-comparison.test.ts).
    expect(funnel.find((r) => r.area === "Charnwood")).toMatchObject({ count: "13999", position: "within", poissonPosition: "above" });
    // Leicester City is in the population file but not in this extract: it must not be a peer
    // (it would pull the group rate down with 0 crimes for ~340,000 residents).
    expect(funnel.map((r) => r.area).sort()).toEqual(["Blaby", "Charnwood", "Harborough", "Hinckley and Bosworth", "Melton", "North West Leicestershire", "Oadby and Wigston", "Rutland"]);
    expect(html).toContain("Funnel plot: recorded crime per 1,000 residents, 2021/22");
    expect(html).toContain("No district is outside the 99.8% limits once the usual variation between districts is allowed for (6 of 8 are outside the limits for chance alone).");
    const change = csvParse(readFileSync(join(out, "change-year-on-year.csv"), "utf8"));
    expect(change.length).toBe(14);
    expect(change.find((r) => r.category === "bicycle-theft")).toMatchObject({ previous: "252", current: "472" });
    expect(html).toContain("Bicycle theft rose by 220 (+87.3%) from 2020/21 to 2021/22; this is statistically significant (p &lt; 0.001).");
    // Progress against the example plan as at October 2022. Burglary April–October: 457 in 2022
    // and 326 in 2021 (an independent count of the raw files, test/core/change.test.ts).
    expect(html).toContain("As at the end of October 2022: 7 targets");
    const progress = csvParse(readFileSync(join(out, "targets-progress.csv"), "utf8"));
    expect(progress.length).toBe(7);
    expect(progress.find((r) => r.id === "burglary")).toMatchObject({ actual: "457", baselineToDate: "326", baselineToDateMethod: "counted", monthsElapsed: "7", rag: "red" });
    expect(progress.find((r) => r.id === "cycle-theft")).toMatchObject({ baseline: "504", baselineLabel: "2006/07", baselineToDateMethod: "profiled" });
    const series = csvParse(readFileSync(join(out, "targets-series.csv"), "utf8"));
    expect(series.filter((r) => r.id === "burglary").length).toBe(12);
    // Hot spots, 2021/22: top streets per crime type, same-named streets kept apart (Charnwood
    // has five High Streets in five places), the densest 1 km square of violence in
    // Loughborough town centre, and a Gi* grid as GeoJSON.
    const streets = csvParse(readFileSync(join(out, "hotspots-streets.csv"), "utf8"));
    const highStreets = new Set(streets.filter((r) => r.name === "High Street" && r.category === "violent-crime").map((r) => `${r.x},${r.y}`));
    expect(highStreets.size).toBeGreaterThan(1);
    expect(html).toMatch(/Top five streets and places per crime type, Charnwood, 2021\/22/);
    expect(html).toMatch(/of violent crime \([\d,]+ of 5,734 located incidents\) fell within a 1 km square around Swan Street/);
    const gi = JSON.parse(readFileSync(join(out, "hotspots-gistar.geojson"), "utf8"));
    expect(gi.type).toBe("FeatureCollection");
    expect(gi.features.reduce((s: number, f: { properties: { count: number } }) => s + f.properties.count, 0)).toBe(5734);
    // Only the cells with an incident, a density or a significant Gi* value: the cells of hotspots-grid.csv, in the same order.
    type GiProps = { count: number; kdePerKm2: number; q: number };
    const gridCsv = csvParse(readFileSync(join(out, "hotspots-grid.csv"), "utf8"));
    expect(gi.features.length).toBe(gridCsv.length);
    expect(gi.features.every((f: { properties: GiProps }) => f.properties.count > 0 || f.properties.kdePerKm2 > 0 || f.properties.q < 0.05)).toBe(true);
    expect(gi.features.map((f: { properties: GiProps }) => f.properties.count)).toEqual(gridCsv.map((r) => Number(r.count)));
    // Wards: every located 2021/22 violent crime lies in exactly one Charnwood ward (or in none).
    const wards = csvParse(readFileSync(join(out, "hotspots-wards.csv"), "utf8"));
    expect(wards.reduce((s, r) => s + Number(r.count), 0)).toBeLessThanOrEqual(5734);
    expect(wards.reduce((s, r) => s + Number(r.count), 0)).toBeGreaterThan(5734 * 0.995);
    expect(wards[0].area).toMatch(/^Loughborough/);
  });

  it("assesses the synthetic borough by default, with its built-in plan as at November 2021", async () => {
    const out = tmp();
    const result = await assess({ out, quiet: true });
    expect(result.sections).toEqual(["summary", "data-quality", "levels", "change", "hotspots", "sources", "trends", "performance"]);
    const html = readFileSync(result.report, "utf8");
    expect(html).toContain("As at the end of November 2021: 6 targets");
    const progress = csvParse(readFileSync(join(out, "targets-progress.csv"), "utf8"));
    // The planted 10% annual fall in burglary keeps a 10% reduction target on track.
    expect(progress.find((r) => r.id === "burglary")).toMatchObject({ rag: "green", monthsElapsed: "8" });
    // Trends: the planted burglary fall, the planted seasonal peaks and the night-time economy.
    const tests = csvParse(readFileSync(join(out, "trends-monthly-tests.csv"), "utf8"));
    expect(tests.find((r) => r.series === "Burglary")).toMatchObject({ direction: "falling" });
    expect(html).toContain("Anti-social behaviour: busiest in August and October");
    expect(html).toMatch(/Thu–Sat (23|00):00–0[34]:00 \(days starting 06:00\) holds/);
    // Where: the planted town-centre square holds 21% of violence; the densest 1 km square holds at least that.
    const share = Number(/(\d+)% of violent crime \([\d,]+ of [\d,]+ located incidents\) fell within a 1 km square/.exec(html)![1]);
    expect(share).toBeGreaterThanOrEqual(20);
    const emerging = JSON.parse(readFileSync(join(out, "hotspots-emerging.geojson"), "utf8"));
    expect(emerging.features.some((f: { properties: { category: string } }) => f.properties.category === "Consecutive Hot Spot")).toBe(true);
    // The planted emerging ASB / criminal-damage hot spot (Beech Avenue and Willow Gardens, Thistleby, last year) is the first one named.
    expect(html).toMatch(/are emerging hot spots of anti-social behaviour and criminal damage \(2019-Q2 to 2022-Q1\):<\/p><ul><li>(Consecutive|New|Intensifying) Hot Spot around (Beech Avenue|Willow Gardens)/);
    const week = csvParse(readFileSync(join(out, "trends-time-of-week.csv"), "utf8"));
    expect(week.length).toBe(168);
  });

  it("assesses a timestamped city dataset (Chicago) with its day-of-week × hour picture", async () => {
    const out = tmp();
    const result = await assess({ input: [dataPath("chicago-aggravated-assaults-2010-2019", "chicago_aggravated_assaults.csv.gz")], preset: "chicago", out, quiet: true });
    expect(result.sections).toEqual(["summary", "data-quality", "levels", "change", "hotspots", "trends"]);
    const html = readFileSync(result.report, "utf8");
    expect(html).toContain("148,636 input rows were read from 1 file");
    expect(html).toContain("incidents by day of week and hour");
    // The extract holds aggravated assaults only: the headline says so, and no sentence calls them all recorded crime.
    expect(html).toMatch(/In 2019 \(Jan 2019 – Dec 2019\) Chicago recorded [\d,]+ crimes of aggravated assault \(the only crime type in the data\)\./);
    expect(html).toContain("Aggravated assault is busiest in");
    expect(html).not.toMatch(/all recorded crime/i);
    // Chicago's points are projected to UTM zone 16N: the grid's caption says so, not the British National Grid.
    expect(html).toContain("Getis–Ord Gi* on 250 m cells aligned to the UTM zone 16N grid (EPSG:32616)");
    expect(html).not.toContain("British National Grid");
    expect(html).not.toContain("snap point"); // police.uk's word; Chicago gives block addresses and points
    // Every incident is timed to the minute, so the aoristic matrix holds them all.
    const week = csvParse(readFileSync(join(out, "trends-time-of-week.csv"), "utf8"));
    expect(week.reduce((s, r) => s + Number(r.weight), 0)).toBeCloseTo(148636, 6);
    expect(html).toMatch(/Halloween \(30–31 October\) 2019: 78 incidents/); // pinned to R in test/trends/exceptional-period.test.ts
    await expect(assess({ input: [dataPath("chicago-aggravated-assaults-2010-2019", "chicago_aggravated_assaults.csv.gz")], preset: "nowhere", out, quiet: true })).rejects.toThrow(/--preset must be one of chicago, vancouver/);
  });

  it("refuses an area that matches nothing", async () => {
    await expect(assess({ policeUk: [fixturePath("police-uk", "2021-03-good.csv")], area: "Atlantis", out: tmp(), quiet: true })).rejects.toThrow(/--area must name an area in the input/);
  });
});

describe("community-safety assess with a boundary file", () => {
  it("selects Charnwood by the CSP polygon, agreeing with the LSOA-name selection to within a few snap points", async () => {
    const folder = dataPath("policeuk-leicestershire", "county-2019-12_2022-10");
    const byPolygon = await assess({
      policeUk: [folder],
      area: "Charnwood",
      boundary: dataPath("geography-leicestershire", "leicestershire-csp-2021.geojson"),
      boundaryKey: "AREANM",
      out: tmp(),
      quiet: true,
    });
    const html = readFileSync(byPolygon.report, "utf8");
    const m = /([\d,]+) accepted incidents fall in the area; ([\d,]+) lie elsewhere in the input and ([\d,]+) have no location/.exec(html)!;
    const inArea = Number(m[1].replace(/,/g, ""));
    // 43,971 rows have a Charnwood LSOA (LSOA-name test above). The generalised CSP polygon and
    // police.uk's full-resolution LSOA boundaries disagree only for snap points on the border.
    expect(Math.abs(inArea - 43971)).toBeLessThan(0.002 * 43971);
    expect(Number(m[3].replace(/,/g, ""))).toBe(7463); // "No Location" rows, as the data-quality notes count them
    expect(inArea + Number(m[2].replace(/,/g, "")) + 7463).toBe(160171);
  });
});

describe("community-safety assess on the data shapes partnerships meet", () => {
  it("two police.uk downloads five years apart: the gap is named, and no series or trend runs through it", async () => {
    const out = tmp();
    const result = await assess({ policeUk: [dataPath("policeuk-leicestershire", "county-2014-01_2014-11"), dataPath("policeuk-leicestershire", "county-2019-12_2022-10")], area: "Charnwood", out, quiet: true });
    const html = readFileSync(result.report, "utf8");
    expect(html).toContain("The data cover Jan 2014 – Nov 2014 and Dec 2019 – Oct 2022, with one gap: Dec 2014 – Nov 2019 (60 months).");
    expect(html).toContain("the latest unbroken run of months the data cover: December 2019 – October 2022 (35 months)");
    // Before: "rising over 106 months", with 60 invented zero months.
    expect(html).not.toMatch(/over (106|46|71) months/);
    const tests = csvParse(readFileSync(join(out, "trends-monthly-tests.csv"), "utf8"));
    expect(new Set(tests.map((r) => r.months))).toEqual(new Set(["35"]));
    expect(new Set(tests.map((r) => r.first))).toEqual(new Set(["2019-12"]));
    // The monthly CSV leaves uncovered months blank (unknown), never 0.
    const monthly = csvParse(readFileSync(join(out, "levels-month-source.csv"), "utf8"));
    const gap = monthly.filter((r) => r.period! >= "2014-12" && r.period! <= "2019-11");
    expect(gap.length).toBe(120); // 60 months × 2 sources
    expect(gap.every((r) => r.count === "" && r.coveragePercent === "0")).toBe(true);
    // Change: whole consecutive years, then the year so far on the months covered in both.
    const ytd = csvParse(readFileSync(join(out, "change-financial-year-to-date.csv"), "utf8"));
    expect(ytd.find((r) => r.category === "burglary")).toMatchObject({ previous: "326", current: "457", previousWindow: "Apr 2021 – Oct 2021", currentWindow: "Apr 2022 – Oct 2022", basis: "equal-windows" });
    const coverage = csvParse(readFileSync(join(out, "coverage.csv"), "utf8"));
    expect(coverage.filter((r) => r.status === "gap").map((r) => [r.source, r.label])).toEqual([
      ["police-recorded-crime", "Dec 2014 – Nov 2019"],
      ["asb-incident", "Dec 2014 – Nov 2019"],
    ]);
    // COVID-19 restrictions touch 2020/21 – 2021/22: the change section names them, with the source of the dates.
    expect(html).toContain("COVID-19 restrictions in England (23 Mar 2020 to 19 Jul 2021)");
  });

  it("a calendar-year extract read in April years: no January–March against April–December comparison, an honest headline", async () => {
    const out = tmp();
    const result = await assess({ input: [dataPath("memphis-robberies-2019", "memphis_robberies_2019.csv")], preset: "memphis", fyStartMonth: 4, out, quiet: true });
    const html = readFileSync(result.report, "utf8");
    // Before: "+261%, statistically significant", and a headline of "2019/20 (Apr 2019 – Mar 2020)".
    expect(html).not.toMatch(/\+261(\.\d)?%/);
    expect(html).toContain("In the 12 months Jan 2019 – Dec 2019 Memphis recorded 2,245 crimes of personal robbery (the only crime type in the data).");
    expect(html).toContain("No year-on-year comparison is possible: the data cover Jan 2019 – Dec 2019, and no two financial years are covered over the same months.");
    expect(result.files.some((f) => f.startsWith("change-"))).toBe(false);
    const fy = csvParse(readFileSync(join(out, "levels-financial-year-category.csv"), "utf8"));
    expect(fy.map((r) => [r.period, r.count, r.complete])).toEqual([
      ["2018/19", "487", "false"],
      ["2019/20", "1758", "false"],
      ["2019-01..2019-12", "2245", "true"],
    ]);
    // Calendar years (the default outside the UK) label the year "2019".
    const cal = await assess({ input: [dataPath("memphis-robberies-2019", "memphis_robberies_2019.csv")], preset: "memphis", out: tmp(), quiet: true });
    const calHtml = readFileSync(cal.report, "utf8");
    expect(calHtml).toContain("In 2019 (Jan 2019 – Dec 2019) Memphis recorded 2,245 crimes of personal robbery (the only crime type in the data).");
    // Memphis's file names no street: the section places the densest square by its coordinates
    // (for an analyst), the summary by the map (a board cannot read a UTM coordinate).
    const summary = calHtml.slice(calHtml.indexOf('id="summary"'), calHtml.indexOf("</section>", calHtml.indexOf('id="summary"')));
    expect(summary).toContain("2.4% of personal robbery (54 of 2,245 located incidents) fell within a 1 km square, dashed on the density map.");
    expect(summary).not.toMatch(/EPSG|x \d/);
    expect(calHtml).toMatch(/fell within a 1 km square around x \d+, y \d+ \(EPSG:32616\)\./);
  });

  it("Cincinnati's burglary extract: the headline names the two crime types, shares are of them, and the trend's subject is all the crime in the data", async () => {
    const result = await assess({ input: [dataPath("cincinnati-burglary-2016-2018", "cincinnati_burglary.csv.gz")], preset: "cincinnati", out: tmp(), quiet: true });
    const html = readFileSync(result.report, "utf8");
    expect(html).toMatch(/In 2018 \(Jan 2018 – Dec 2018\) Cincinnati recorded [\d,]+ crimes of aggravated burglary and burglary \(the only crime types in the data\)\./);
    // Two types only: their shares of the extract add up to the whole.
    const m = /Burglary accounts for (\d+\.\d)% of them, aggravated burglary for (\d+\.\d)%\./.exec(html);
    expect(m).not.toBeNull();
    expect(Number(m![1]) + Number(m![2])).toBeCloseTo(100, 6);
    expect(html).toContain("All crime in the data (aggravated burglary and burglary) has been");
    expect(html).not.toMatch(/all recorded crime/i);
  });

  it("Denver's sample: months with implausibly few records are left out like gaps, so no comparison rests on them", async () => {
    const out = tmp();
    const result = await assess({ input: [dataPath("denver-crime-sample", "denver_crime_sample_non_traffic.csv.gz")], preset: "denver", out, quiet: true });
    const html = readFileSync(result.report, "utf8");
    expect(html).toContain("Months with implausibly few records, treated as not covered:");
    expect(html).toContain("August 2018 – November 2018");
    // Before: "Auto theft rose by 1,574 (+1788.6%) from 2017 to 2018" — a thin 2017 against a fuller 2018.
    expect(html).not.toMatch(/from 2017 to 2018/);
    expect(result.files).not.toContain("change-year-on-year.csv");
    // The headline period is the latest unbroken run (Dec 2017 – Jul 2018 is covered too, and June 2019 only to the 18th): not "the 6 months the data cover".
    expect(html).toContain("In Dec 2018 – May 2019 (the latest 6 months the data cover without a gap) Denver recorded");
    expect(html).not.toContain("the 6 months the data cover)");
    expect(html).toMatch(/All other crimes account for \d+\.\d% of all recorded crime/);
    expect(html).not.toContain("All other crimes accounts for");
    // The year so far ends on the data's last day (18 June), not at a month's end: the summary
    // names both windows rather than "the same months a year before".
    expect(html).toMatch(/ (rose|fell) by [\d,]+ \([+−]\d+%\) in 1 Jan 2019 – 18 Jun 2019 against 1 Jan 2018 – 18 Jun 2018, from [\d,]+ to [\d,]+: more than chance would explain\./);
    expect(html).toContain("Denver, 1 Jan 2018 – 18 Jun 2018 to 1 Jan 2019 – 18 Jun 2019 (the same covered part of each year)");
    expect(html).not.toContain("same months a year before");
    expect(html).toContain("<h3>2019 so far (1 Jan 2019 – 18 Jun 2019) against the same part of 2018 (1 Jan 2018 – 18 Jun 2018)</h3>");
  });
});
