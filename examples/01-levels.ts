/**
 * Example 1 — levels for a strategic assessment, notebook style.
 *
 *   npx --yes pnpm@10.34.9 --filter @community-safety/examples levels            # synthetic borough
 *   COMMUNITY_SAFETY_DATA=../shared/data npx --yes pnpm@10.34.9 --filter @community-safety/examples levels -- --charnwood
 *
 * Produces the statements a plan quotes ("Violence accounts for 41% of all recorded crime";
 * "N% of burglaries were in <district>") and one SVG figure, using only the public API.
 */
import { writeFile, mkdir } from "node:fs/promises";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import {
  categoryLabel,
  levels,
  lsoaNamePrefixTest,
  selectRows,
  syntheticBorough,
  POLICE_UK_CRIME_KEYS,
  COMMON_GROUPS,
  type IncidentTable,
} from "@community-safety/core";
import { readPoliceUkFiles } from "@community-safety/core/node";
import { renderSvg } from "@community-safety/cli";

const here = dirname(fileURLToPath(import.meta.url));
const data = process.env.COMMUNITY_SAFETY_DATA ?? resolve(here, "../../shared/data");

// 1. Load: the synthetic borough, or Charnwood from the police.uk county files.
let table: IncidentTable;
let county: IncidentTable;
let area: string;
if (process.argv.includes("--charnwood")) {
  const { table: all, summary } = await readPoliceUkFiles(join(data, "policeuk-leicestershire/county-2019-12_2022-10"));
  console.log(`read ${summary.rows} rows: ${summary.accepted} accepted, ${summary.rejected} rejected`, summary.byReason);
  county = all;
  table = selectRows(all, lsoaNamePrefixTest(all, "Charnwood"));
  area = "Charnwood";
} else {
  county = table = syntheticBorough({ seed: 1 }).table;
  area = "Wrefordshire";
}

// 2. What share of recorded crime is each type, in a financial year?
const fy = "2021/22";
const shares = levels(table, { by: ["category"], categories: POLICE_UK_CRIME_KEYS, periods: [fy] }).rows.sort((a, b) => b.count - a.count);
const [top] = shares;
console.log(`${categoryLabel(top.category as string)} accounts for ${(100 * top.share!).toFixed(1)}% of all recorded crime in ${area} in ${fy}.`);

// 3. Where did the burglaries happen? Share across districts of the whole input.
const byDistrict = levels(county, { by: ["district", "category"], categories: ["burglary"], shareOf: "district", periods: [fy], zeroFill: false }).rows
  .filter((r) => r.district !== null)
  .sort((a, b) => b.count - a.count);
console.log(`${(100 * byDistrict[0].share!).toFixed(0)}% of burglaries were in ${byDistrict[0].district} (${byDistrict[0].count} of ${Math.round(byDistrict[0].count / byDistrict[0].share!)}).`);

// 4. Serious acquisitive crime (a group) per financial year.
const sac = levels(table, { by: ["period", "category"], groups: { "serious-acquisitive": COMMON_GROUPS["serious-acquisitive"] }, periods: "financialYear" });
for (const r of sac.rows) console.log(`serious acquisitive crime ${r.period}: ${r.count}`);

// 5. A figure for the board paper.
const svg = await renderSvg({
  title: `${area}: share of recorded crime by type, ${fy}`,
  width: 420,
  data: { values: shares.map((r) => ({ type: categoryLabel(r.category as string), share: r.share })) },
  mark: "bar",
  encoding: {
    y: { field: "type", type: "nominal", sort: "-x", title: null },
    x: { field: "share", type: "quantitative", axis: { format: "%" }, title: "share of recorded crime" },
  },
});
const out = resolve(here, "../out/examples");
await mkdir(out, { recursive: true });
await writeFile(join(out, "01-shares.svg"), svg);
console.log(`wrote ${join(out, "01-shares.svg")}`);
