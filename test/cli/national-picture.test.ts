/**
 * The county picture when the "county" is England: 317 districts from a small seeded national
 * extract (bench/make-national.ts, real Leicestershire rows resampled over England's LSOAs).
 * Each report must show its area among its neighbours in the ranking — not 317 bars and rows,
 * the same in every report — and name it on the funnel.
 */
import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { csvParse } from "d3-dsv";
import { assess } from "@community-safety/cli";
import { makeNational } from "../../bench/make-national.js";
import { dataPath } from "../helpers/data.js";

const realRows = dataPath("policeuk-leicestershire", "county-2019-12_2022-10");
const england = dataPath("lsoa-population-imd-england", "File_6_-_IoD2019_Population_Denominators.csv.gz");
const ready = existsSync(realRows) && existsSync(england);

describe.skipIf(!ready)(`a 317-district national extract — needs ${realRows} and ${england}`, () => {
  it("ranks the area among 317 (table, chart and sentence agree with the full CSV) and rings it on the funnel", { timeout: 120_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), "cs-national-"));
    const { dir } = makeNational(40_000, { seed: 7, out: join(out, "input"), log: () => undefined });
    const report = join(out, "adur");
    await assess({ policeUk: [join(dir, "street")], population: join(dir, "population.csv"), area: "Adur", out: report, quiet: true });
    const html = readFileSync(join(report, "report.html"), "utf8");
    // The full ranking, from the CSV the report writes (every district, and the all-districts row).
    const csv = csvParse(readFileSync(join(report, "levels-district-rates.csv"), "utf8"));
    const named = csv.filter((r) => r.district !== "(all)" && r.district !== "" && r.rate !== "");
    expect(named.length).toBe(317);
    const ranked = named.map((r) => ({ district: r.district!, rate: Number(r.rate) })).sort((a, b) => b.rate - a.rate);
    const at = ranked.findIndex((r) => r.district === "Adur");
    expect(at).toBeGreaterThanOrEqual(0);
    const n = ranked.length;
    const words = at + 1 <= n - at ? `${at === 0 ? "" : `${ordinalOf(at + 1)} `}highest` : `${n - at === 1 ? "" : `${ordinalOf(n - at)} `}lowest`;
    expect(html).toContain(`Adur has the ${words} rate of the ${n} districts.`);
    // The ranks shown: 1–3, the last 3, and Adur's ±6, in the table's Rank column and on the chart's bars.
    const want = [...new Set([0, 1, 2, n - 3, n - 2, n - 1, ...Array.from({ length: 13 }, (_, k) => at - 6 + k).filter((k) => k >= 0 && k < n)])].sort((a, b) => a - b);
    const section = html.slice(html.indexOf("the county picture"));
    const table = section.slice(section.indexOf("<table"), section.indexOf("</table>"));
    const tableRows = [...table.matchAll(/<tr><td[^>]*>([\d,]+)<\/td><td[^>]*>([^<]+)<\/td>/g)].map((m) => [Number(m[1].replace(/,/g, "")), m[2]]);
    expect(tableRows).toEqual(want.map((k) => [k + 1, ranked[k].district]));
    const svg = readFileSync(join(report, "figure-04-levels-recorded-crime-per-1-000-residents-2021-22.svg"), "utf8");
    const bars = [...svg.matchAll(/aria-label="crimes per 1,000 residents: [^;]*; district: (\d+)\. ([^;"]+); focus: (?:true|false)"/g)].map((m) => [Number(m[1]), m[2]]);
    expect(bars.sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual(want.map((k) => [k + 1, ranked[k].district]));
    // The funnel names Adur (ringed) and counts, not lists, the unnamed dots.
    expect(html).toMatch(/Adur is ringed\. \d+ of the \d+ dots are unnamed for want of room; every district is in peer-funnel\.csv\./);

    // Adur has a handful of violent crimes in this extract: the section gives its densest square
    // and hot spots with their counts, but the summary makes no headline of so few.
    const densest = /\(([\d,]+) of ([\d,]+) located incidents\) fell within a 1 km square/.exec(html.slice(html.indexOf("<h3>Densest square kilometre</h3>")));
    expect(densest).not.toBeNull();
    expect(Number(densest![1])).toBeLessThan(10);
    const summary = html.slice(html.indexOf('id="summary"'), html.indexOf("</ul>", html.indexOf('id="summary"')));
    expect(summary).not.toContain("1 km square");
    expect(summary).not.toContain("hot spot");
  });
});

function ordinalOf(k: number): string {
  const t = k % 100;
  return `${k}${t >= 11 && t <= 13 ? "th" : k % 10 === 1 ? "st" : k % 10 === 2 ? "nd" : k % 10 === 3 ? "rd" : "th"}`;
}
