// The library code a browser loads has no Node API in its import graph: core, geo, trends, figures
// (their index) and the report builder (`buildReport`, which the CLI wraps with file I/O). The
// graph is walked from the TypeScript sources: relative imports and @community-safety/* packages.
import { describe, it, expect } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { repoRoot } from "../helpers/data.js";

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  // Static imports and re-exports (type-only ones are erased and do not count).
  return [...text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+"([^"]+)"/gm)].map((m) => m[1]);
}

function resolveImport(from: string, spec: string): string | null {
  if (spec.startsWith(".")) {
    const ts = resolve(dirname(from), spec.replace(/\.js$/, ".ts"));
    return existsSync(ts) ? ts : null;
  }
  const pkg = /^@community-safety\/([a-z]+)(\/node)?$/.exec(spec);
  if (pkg) return join(repoRoot, "packages", pkg[1], "src", pkg[2] ? "node.ts" : "index.ts");
  return null; // a third-party package
}

/** Every module reachable from `entry`, with the import that brought in a Node API, if any. */
function nodeApis(entry: string): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  const stack = [entry];
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const spec of importsOf(f)) {
      if (/^node:|^(fs|path|os|crypto|zlib|stream|child_process)(\/|$)|^@community-safety\/core\/node$/.test(spec)) found.push(`${relative(repoRoot, f)} imports ${spec}`);
      const next = resolveImport(f, spec);
      if (next && !/@community-safety\/core\/node$/.test(spec)) stack.push(next);
    }
  }
  return found;
}

describe("browser-safe library code", () => {
  for (const entry of ["packages/core/src/index.ts", "packages/geo/src/index.ts", "packages/trends/src/index.ts", "packages/figures/src/index.ts", "packages/cli/src/report/build-report.ts", "packages/cli/src/report/build-all-areas.ts"]) {
    it(`${entry} reaches no Node API`, () => {
      expect(nodeApis(join(repoRoot, entry))).toEqual([]);
    });
  }
  it("the check finds one: the CLI's assess reads and writes files", () => {
    expect(nodeApis(join(repoRoot, "packages/cli/src/assess.ts"))).toContain("packages/cli/src/assess.ts imports node:fs/promises");
  });
});
