/**
 * Example 3 — a strategic assessment chapter in 60 lines (Charnwood, police.uk 2019–22).
 *
 *   COMMUNITY_SAFETY_DATA=../shared/data npx --yes pnpm@10.34.9 --filter @community-safety/examples chapter
 *
 * Levels, change since last year (with its test), where burglary concentrates, progress against
 * the plan's targets; writes chapter.md and two SVG figures to out/examples/chapter/.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { categoryLabel, change, levels, lsoaNamePrefixTest, parsePeriod, readTargets, selectRows, targetProgress, POLICE_UK_CRIME_KEYS } from "@community-safety/core";
import { readPoliceUkFiles } from "@community-safety/core/node";
import { streetCounts, topShareSentence } from "@community-safety/geo";
import { countSeries } from "@community-safety/trends";
import { changeFigure, monthlySeriesFigure, toSvg } from "@community-safety/figures";

const here = dirname(fileURLToPath(import.meta.url));
const data = process.env.COMMUNITY_SAFETY_DATA ?? resolve(here, "../../shared/data");
const out = resolve(here, "../out/examples/chapter");
await mkdir(out, { recursive: true });

// Load the county files and keep Charnwood (LSOA names start "Charnwood ").
const { table: county } = await readPoliceUkFiles(join(data, "policeuk-leicestershire/county-2019-12_2022-10"));
const t = selectRows(county, lsoaNamePrefixTest(county, "Charnwood"));
const [prev, cur] = ["2020/21", "2021/22"];
const md: string[] = [`# Charnwood: crime and disorder, ${cur}`];

// Levels: how much, and of what.
const shares = levels(t, { by: ["category"], categories: POLICE_UK_CRIME_KEYS, periods: [cur] }).rows.sort((a, b) => b.count - a.count);
const total = shares.reduce((s, r) => s + r.count, 0);
md.push(`Charnwood recorded ${total.toLocaleString("en-GB")} crimes in ${cur}. ${categoryLabel(shares[0].category as string)} accounts for ${(100 * shares[0].share!).toFixed(1)}% of them.`);

// Change since last year: only what is more than chance (exact Poisson test, 5% level).
const ch = change(t, prev, cur, { categories: [...POLICE_UK_CRIME_KEYS, "anti-social-behaviour"] });
for (const r of ch.rows.filter((r) => r.significant && !r.smallNumbers)) md.push(`- ${r.sentence}`);
await writeFile(join(out, "change.svg"), await toSvg(changeFigure(ch.rows, { title: `Charnwood: change from ${prev} to ${cur}` })));

// Where: the top five streets for burglary in the year.
const year = parsePeriod(cur, { zone: t.zone });
const inYear = selectRows(t, (i) => t.start[i] >= year.start && t.start[i] < year.end);
const streets = streetCounts(inYear, { categories: ["burglary"] });
md.push(topShareSentence(streets, 5).replace(/^./, (c) => c.toUpperCase()) + ".");

// When: burglary by month, for the board's figure.
const months = countSeries(selectRows(t, (i) => t.category.values[t.category.codes[i]] === "burglary"), { unit: "month" });
await writeFile(join(out, "burglary-by-month.svg"), await toSvg(monthlySeriesFigure(months.periods.map((p, k) => ({ series: "Burglary per month", month: `${p.key}-15`, value: months.series[0].counts[k], line: "monthly count" as const })), { columns: 1 })));

// Targets: progress as at October 2022 against the example plan.
const plan = readTargets(await readFile(resolve(here, "targets/charnwood-2022-23.json"), "utf8"));
for (const r of targetProgress(t, plan.targets, { asAt: "2022-10" }).rows) md.push(`- **${r.rag.toUpperCase()}** ${r.sentence}`);

await writeFile(join(out, "chapter.md"), md.join("\n\n") + "\n");
console.log(md.join("\n"));
console.log(`wrote ${join(out, "chapter.md")}, change.svg and burglary-by-month.svg`);
