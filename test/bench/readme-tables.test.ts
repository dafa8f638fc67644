// The README's benchmark tables are generated from bench/results/*.json (bench/render-readme.ts).
// This fails when a table was edited by hand or a results file changed without re-rendering.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderReadme, renderResults } from "../../bench/lib/render.js";
import { RESULTS_DIR, type BenchResults } from "../../bench/lib/results.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const files = existsSync(RESULTS_DIR) ? readdirSync(RESULTS_DIR).filter((f) => f.endsWith(".json")) : [];

describe("README benchmark tables", () => {
  it("renders a hand-made results file exactly", () => {
    const r: BenchResults = {
      bench: "x", title: "X", command: "npx tsx bench/x.ts", date: "2026-12-05T12:00:00Z",
      machine: { cpus: 2, cpuModel: "CPU", memGiB: 24, node: "v20.20.2", os: "linux", loadStart: 1, loadEnd: 1.5 },
      columns: [{ key: "n", label: "rows" }, { key: "s", label: "ours (s)", bold: true }, { key: "p", label: "peer" }],
      rows: [{ n: 1800000, s: 1.23456, p: null }, { n: 18000000, s: 123.4, p: "n/a" }],
      notes: ["a note"],
    };
    expect(renderResults(r)).toBe([
      "`npx tsx bench/x.ts` — 2026-12-05, 2 × CPU, 24 GiB, Node v20.20.2; load average 1→1.5.",
      "",
      "| rows | ours (s) | peer |",
      "|---:|---:|---|",
      "| 1,800,000 | **1.23** | – |",
      "| 18,000,000 | **123** | n/a |",
      "",
      "- a note",
    ].join("\n"));
  });

  it.skipIf(files.length === 0)("every block in README.md equals its bench/results file (re-render with `npx tsx bench/render-readme.ts`)", () => {
    const results = new Map<string, BenchResults>();
    for (const f of files) {
      const r = JSON.parse(readFileSync(join(RESULTS_DIR, f), "utf8")) as BenchResults;
      results.set(r.bench, r);
    }
    const { text, missing } = renderReadme(readme, results);
    expect(missing).toEqual([]);
    expect(text).toBe(readme);
    // every results file is shown somewhere
    for (const name of results.keys()) expect(readme).toContain(`<!-- bench:${name} -->`);
  });
});
