/**
 * Example 4 — combining partners' sources (the synthetic borough's police crime, ASB and the
 * fire service's deliberate fires), notebook style.
 *
 *   npx --yes pnpm@10.34.9 --filter @community-safety/examples partners
 *
 * Each partner sends its own extract; here they are made from the synthetic borough and read
 * back the way a partner's file is: delimited text and a mapping (the JSON a mapping file holds,
 * see examples/mappings/). Then: one table, levels by source, and whether deliberate fires and
 * ASB rise and fall together and concentrate in the same beats.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { DateTime } from "luxon";
import { combineIngests, incidentRows, levels, rankCorrelation, readDelimited, readMapping, selectRows, syntheticBorough, whereTest } from "@community-safety/core";
import { countSeries } from "@community-safety/trends";
import { renderSvg } from "@community-safety/cli";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, "../out/examples/partners");
await mkdir(out, { recursive: true });

// 1. Three partners' extracts (as CSV text), each with its mapping.
const rows = incidentRows(syntheticBorough({ seed: 1 }).table);
const extract = (source: string) =>
  ["ref,when,type,lon,lat,beat", ...rows.filter((r) => r.source === source).map((r) => [r.id, DateTime.fromISO(r.start, { zone: "utc" }).setZone("Europe/London").toFormat("yyyy-MM-dd HH:mm"), r.category, r.lon, r.lat, r.beat].join(","))].join("\n");
const mapping = (source: string) =>
  readMapping(JSON.stringify({ columns: { id: "ref", source: { value: source }, category: "type", date: "when", lon: "lon", lat: "lat", beat: "beat" }, dateFormat: "yyyy-MM-dd HH:mm", zone: "Europe/London", crs: "EPSG:27700", extractWindow: ["2019-04", "2022-03"] }));
const sources = ["police-recorded-crime", "asb-incident", "deliberate-fire"];
const parts = sources.map((s) => readDelimited([{ name: `${s}.csv`, text: extract(s) }], mapping(s)));

// 2. One partnership table; every row of every file accounted for.
const { table, summary } = combineIngests(parts);
console.log(`${summary.rows} rows from ${summary.files.length} files: ${summary.accepted} accepted, ${summary.rejected} rejected`);

// 3. Levels by source and financial year.
for (const r of levels(table, { by: ["period", "source"], periods: "financialYear" }).rows) console.log(`${r.period} ${r.source}: ${r.count}`);

// 4. Month by month: do deliberate fires and ASB rise and fall together? (Both are seasonal.)
const monthly = (s: string) => countSeries(selectRows(table, whereTest(table, { source: s })), { unit: "month", from: "2019-04", to: "2022-03" }).series[0].counts;
const fires = monthly("deliberate-fire");
const asb = monthly("asb-incident");
const m = rankCorrelation(fires, asb);
console.log(`Fires and ASB by month: Spearman ρ = ${m.rho.toFixed(2)} over ${m.n} months (p = ${m.pValue!.toPrecision(2)})`);

// 5. By beat in 2021/22: the same places?
const byBeat = levels(table, { by: ["beat", "source"], periods: ["2021/22"], zeroFill: true }).rows.filter((r) => r.beat !== null);
const beats = [...new Set(byBeat.map((r) => r.beat as string))].sort();
const countOf = (s: string) => beats.map((b) => byBeat.find((r) => r.beat === b && r.source === s)?.count ?? 0);
const b = rankCorrelation(countOf("deliberate-fire"), countOf("asb-incident"));
console.log(`Fires and ASB by beat: Spearman ρ = ${b.rho.toFixed(2)} over ${b.n} beats (p = ${b.pValue!.toPrecision(2)})`);
await writeFile(join(out, "fires-vs-asb-by-beat.svg"), await renderSvg({
  title: "Deliberate fires and ASB by beat, 2021/22", width: 360, height: 300,
  data: { values: beats.map((beat, k) => ({ beat, fires: countOf("deliberate-fire")[k], asb: countOf("asb-incident")[k] })) },
  layer: [
    { mark: { type: "point", filled: true }, encoding: { x: { field: "asb", type: "quantitative", title: "ASB incidents" }, y: { field: "fires", type: "quantitative", title: "deliberate fires" } } },
    { mark: { type: "text", dx: 18, fontSize: 9 }, encoding: { x: { field: "asb", type: "quantitative" }, y: { field: "fires", type: "quantitative" }, text: { field: "beat" } } },
  ],
}));
console.log(`wrote ${join(out, "fires-vs-asb-by-beat.svg")}`);
