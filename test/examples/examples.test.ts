// The notebook-style examples run as documented (examples/package.json scripts) and say what
// they should: run as child processes from the examples folder, the way a user runs them.
import { describe, it, expect } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { dataDir, dataPath, repoRoot } from "../helpers/data.js";

const run = (file: string) => spawnSync(process.execPath, ["--conditions=community-safety-source", "--import", "tsx", file], { cwd: join(repoRoot, "examples"), encoding: "utf8", env: { ...process.env, COMMUNITY_SAFETY_DATA: dataDir } });

describe("examples", () => {
  it("04-partners combines three partners' extracts and compares fires with ASB", () => {
    const r = run("04-partners.ts");
    expect(r.status, r.stderr).toBe(0);
    // The synthetic borough's police crime, ASB and deliberate fires: 45,865 rows, all accepted.
    expect(r.stdout).toContain("45865 rows from 3 files: 45865 accepted, 0 rejected");
    expect(r.stdout).toContain("2021/22 deliberate-fire: 289");
    expect(r.stdout).toMatch(/Fires and ASB by beat: Spearman ρ = 0\.\d\d over 12 beats/);
    expect(existsSync(join(repoRoot, "out", "examples", "partners", "fires-vs-asb-by-beat.svg"))).toBe(true);
  }, 120_000);

  const charnwood = dataPath("policeuk-leicestershire", "county-2019-12_2022-10");
  it.skipIf(!existsSync(charnwood))(`03-chapter writes Charnwood's chapter and two figures — needs ${charnwood}`, () => {
    const r = run("03-chapter.ts");
    expect(r.status, r.stderr).toBe(0);
    const md = readFileSync(join(repoRoot, "out", "examples", "chapter", "chapter.md"), "utf8");
    // 13,999: the FY 2021/22 crime total of the independent raw-file count (test/core/police-uk.test.ts).
    expect(md).toContain("Charnwood recorded 13,999 crimes in 2021/22. Violence and sexual offences accounts for 41.0% of them.");
    expect(md).toContain("- Bicycle theft rose by 220 (+87.3%) from 2020/21 to 2021/22; this is statistically significant (p < 0.001).");
    expect(md).toContain("- **GREEN** Reduce cycle theft against the 2006/07 baseline of 504 offences");
    for (const f of ["change.svg", "burglary-by-month.svg"]) expect(readFileSync(join(repoRoot, "out", "examples", "chapter", f), "utf8")).toMatch(/^<svg /);
  }, 120_000);
});
