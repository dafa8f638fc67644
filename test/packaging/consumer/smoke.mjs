// Node smoke script of the throwaway consumer project (see consumer.test.ts): runs the compiled
// consumer modules against the installed tarballs and prints one JSON object.
// Usage: node smoke.mjs <fixtures folder> <report folder>
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { summarise } from "./out/browser.js";
import { assessFiles } from "./out/node.js";

const [fixtures, out] = process.argv.slice(2);
const march = join(fixtures, "police-uk", "2021-03-good.csv");
const april = join(fixtures, "police-uk", "2021-04-repeat.csv");
const six = JSON.parse(readFileSync(join(fixtures, "geo", "local-stats.json"), "utf8")).six;
const started = performance.now();
const summary = summarise(readFileSync(march, "utf8"), readFileSync(april, "utf8"), { values: six.values, x: six.x, y: six.y, band: six.band });
const assessed = await assessFiles([march, april], out);
const resolved = Object.fromEntries(
  ["@community-safety/core", "@community-safety/core/node", "@community-safety/geo", "@community-safety/trends", "@community-safety/cli"].map((s) => [s, import.meta.resolve(s)]),
);
console.log(JSON.stringify({ summary, assessed, resolved, ms: performance.now() - started }));
