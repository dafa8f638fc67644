/**
 * An independent reading of the police.uk county files for the API tests: d3-dsv parses each
 * gunzipped file, and only the two documented whole-input rules are applied by hand — a Crime ID
 * seen in several months is kept once, in its latest month (on a tie the one read last; files
 * are read in name order, which is month order), and ASB rows (blank ID) are always kept. No
 * library code is involved beyond d3-dsv, so values counted from these rows are a second route
 * to what the readers and analysis functions compute.
 *
 * (The 100 km rule is not applied: the 68 rows it rejects in these files lie in LSOAs outside
 * Leicestershire — Wandsworth, East Lindsey… — so no Charnwood row is among them; the tests
 * check their Charnwood totals against the R count in test/fixtures/police-uk.)
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { csvParse } from "d3-dsv";
import { dataPath } from "../helpers/data.js";

/** One raw police.uk row, as written. */
export interface RawRow {
  file: string;
  /** 1-based physical line in its file (header = line 1). */
  line: number;
  id: string;
  month: string;
  lon: string;
  lat: string;
  location: string;
  lsoaCode: string;
  lsoaName: string;
  type: string;
}

/** The county extract of 2019-12 – 2022-10 (35 monthly files). */
export const countyFolder = dataPath("policeuk-leicestershire", "county-2019-12_2022-10");
export const haveCounty = existsSync(countyFolder);
export const skipNote = haveCounty ? "" : ` — skipped: no data at ${countyFolder}`;

let cache: { all: RawRow[]; kept: RawRow[] } | null = null;

/** Every raw row (`all`) and the rows kept after the Crime ID rule (`kept`), in file and line order. */
export function rawCounty(): { all: RawRow[]; kept: RawRow[] } {
  if (cache) return cache;
  const all: RawRow[] = [];
  for (const file of readdirSync(countyFolder).sort()) {
    const rows = csvParse(gunzipSync(readFileSync(`${countyFolder}/${file}`)).toString("utf8"));
    rows.forEach((r, k) =>
      all.push({
        file,
        line: k + 2, // police.uk fields never span lines: data row k is on line k + 2
        id: r["Crime ID"] ?? "",
        month: r["Month"] ?? "",
        lon: r["Longitude"] ?? "",
        lat: r["Latitude"] ?? "",
        location: r["Location"] ?? "",
        lsoaCode: r["LSOA code"] ?? "",
        lsoaName: r["LSOA name"] ?? "",
        type: r["Crime type"] ?? "",
      }),
    );
  }
  const latest = new Map<string, RawRow>();
  for (const r of all) if (r.id !== "" && (!latest.has(r.id) || latest.get(r.id)!.month <= r.month)) latest.set(r.id, r);
  const kept = all.filter((r) => r.id === "" || latest.get(r.id) === r);
  return (cache = { all, kept });
}

/** The financial year (April–March) key of a `YYYY-MM` month: "2021-04" → "2021/22". */
export function financialYearOf(month: string): string {
  const y = +month.slice(0, 4);
  const start = +month.slice(5, 7) >= 4 ? y : y - 1;
  return `${start}/${String((start + 1) % 100).padStart(2, "0")}`;
}

/** Charnwood rows: LSOA name "Charnwood " + code, police.uk's way of naming the CSP. */
export const isCharnwood = (r: RawRow) => r.lsoaName.startsWith("Charnwood ");
