/**
 * Example 2 — ingesting timestamped city data with reconciliation, notebook style.
 *
 *   COMMUNITY_SAFETY_DATA=../shared/data npx --yes pnpm@10.34.9 --filter @community-safety/examples sources
 *
 * Reads Vancouver's 2020 file with the VANCOUVER_VPD preset: separate date/time columns, UTM
 * coordinates, and privacy-suppressed rows reported rather than analysed. Then counts by
 * neighbourhood and month — with every input row accounted for.
 */
import { resolve, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readDelimited, levels, VANCOUVER_VPD, incidentRow } from "@community-safety/core";
import { readTextFile } from "@community-safety/core/node";

const here = dirname(fileURLToPath(import.meta.url));
const data = process.env.COMMUNITY_SAFETY_DATA ?? resolve(here, "../../shared/data");
const text = await readTextFile(join(data, "vancouver-vpd-2020/crimedata_csv_AllNeighbourhoods_2020.csv"));
const { table, rejected, summary } = readDelimited([{ name: "vancouver-2020.csv", text }], VANCOUVER_VPD);

console.log(`${summary.rows} rows = ${summary.accepted} accepted + ${summary.rejected} rejected`, summary.byReason);
console.log("first rejection:", rejected[0]?.message);
console.log("first incident:", incidentRow(table, 0));

const byArea = levels(table, { by: ["district"], zeroFill: false }).rows.sort((a, b) => b.count - a.count).slice(0, 5);
for (const r of byArea) console.log(`${r.district}: ${r.count} (${(100 * r.share!).toFixed(1)}%)`);
const monthly = levels(table, { by: ["period"], periods: "month" }).rows;
console.log(monthly.map((r) => `${r.period} ${r.count}`).join("\n"));
