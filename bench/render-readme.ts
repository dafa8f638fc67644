/**
 * Regenerates the README's benchmark tables from bench/results/*.json.
 *   npx tsx bench/render-readme.ts          # rewrite README.md
 *   npx tsx bench/render-readme.ts --check  # exit 1 if README.md is out of date
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderReadme } from "./lib/render.js";
import { RESULTS_DIR, type BenchResults } from "./lib/results.js";

const readmePath = fileURLToPath(new URL("../README.md", import.meta.url));
const results = new Map<string, BenchResults>();
for (const f of readdirSync(RESULTS_DIR).filter((f) => f.endsWith(".json"))) {
  const r = JSON.parse(readFileSync(join(RESULTS_DIR, f), "utf8")) as BenchResults;
  results.set(r.bench, r);
}
const before = readFileSync(readmePath, "utf8");
const { text, missing } = renderReadme(before, results);
if (missing.length) console.error(`no results file for README block(s): ${missing.join(", ")}`);
if (process.argv.includes("--check")) {
  if (text !== before || missing.length) {
    console.error("README.md benchmark tables are out of date: run `npx tsx bench/render-readme.ts`");
    process.exit(1);
  }
  console.log("README.md benchmark tables match bench/results/*.json");
} else {
  writeFileSync(readmePath, text);
  console.log(`README.md: ${results.size} results file(s) rendered`);
}
