// The published command: `community-safety` (packages/cli/bin/community-safety.mjs → the compiled
// dist/bin.js), as a user runs it after `pnpm build`. The README's test command builds first, so
// this runs the JavaScript that ships, not the TypeScript sources the other tests import.
import { describe, it, expect } from "vitest";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assess } from "@community-safety/cli";
import { fixturePath, repoRoot } from "../helpers/data.js";

const bin = join(repoRoot, "node_modules", ".bin", "community-safety");
const built = join(repoRoot, "packages", "cli", "dist", "bin.js");
const tmp = () => mkdtempSync(join(tmpdir(), "cs-bin-"));

describe.skipIf(!existsSync(built))(`the community-safety command (built JavaScript) — needs ${built}: run the build first`, () => {
  it("is linked into node_modules/.bin and prints its usage", () => {
    expect(existsSync(bin)).toBe(true);
    const started = performance.now();
    const r = spawnSync(bin, ["assess", "--help"], { encoding: "utf8" });
    const ms = performance.now() - started;
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("Usage: community-safety assess [options]");
    expect(r.stdout).toContain("--public");
    // Start-up time is measured, not asserted (machines differ): about half a second here.
    console.log(`community-safety assess --help: ${ms.toFixed(0)} ms`);
  });

  it("writes the same tables as the API on the sources", async () => {
    const files = ["2021-03-good.csv", "2021-04-repeat.csv", "2021-05-bad-rows.csv"].map((f) => fixturePath("police-uk", f));
    const viaBin = tmp();
    const r = spawnSync(bin, ["assess", ...files.flatMap((f) => ["--police-uk", f]), "--out", viaBin, "--quiet"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(join(viaBin, "report.html"));
    const viaApi = tmp();
    const result = await assess({ policeUk: files, out: viaApi, quiet: true });
    for (const f of result.files) expect(readFileSync(join(viaBin, f), "utf8"), f).toBe(readFileSync(join(viaApi, f), "utf8"));
  }, 60_000);
});
