// Ctrl-C in the middle of writing a report: the command's signal handler removes the hidden
// temporary files of the writes in progress and exits with 130, as an interrupted program does.
// The writer runs in a child process (the built package's write-outputs.js) and is interrupted
// at a known moment: inside the second file's text(), after both temporary files were opened
// and before either is renamed into place.
import { describe, it, expect } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../helpers/data.js";

const built = join(repoRoot, "packages", "cli", "dist", "write-outputs.js");

/** Runs a writer of two files that blocks in the second's text(); SIGINT when it says so (or not). */
function interrupted(signal: boolean, handlers: boolean): Promise<{ code: number | null; files: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), "cs-interrupted-"));
  const out = join(dir, "out");
  const script = join(dir, "writer.mjs");
  writeFileSync(
    script,
    `import { mkdirSync } from "node:fs";
import { writeOutputs, removeTemporaryOutputsOnSignals } from ${JSON.stringify(built)};
${handlers ? "removeTemporaryOutputsOnSignals();" : ""}
mkdirSync(${JSON.stringify(out)});
await writeOutputs(${JSON.stringify(out)}, [
  { name: "a.csv", text: () => "a\\n1\\n" },
  { name: "report.html", text: () => {
    process.stdout.write("blocking\\n");
    const until = Date.now() + 1500;
    while (Date.now() < until);
    return "<p>done</p>";
  } },
]);
`,
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.on("data", (b: Buffer) => {
      if (signal && b.toString().includes("blocking")) child.kill("SIGINT");
    });
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, files: readdirSync(out) }));
  });
}

describe.skipIf(!existsSync(built))(`an interrupted write${existsSync(built) ? "" : ` (skipped: ${built} is missing; build first)`}`, () => {
  it("Ctrl-C while a report is written leaves no temporary file and exits with 130", async () => {
    const r = await interrupted(true, true);
    expect(r.code).toBe(130);
    expect(r.files).toEqual([]);
  });

  it("without the handler the same interruption leaves the temporary files (the test can fail)", async () => {
    const r = await interrupted(true, false);
    expect(r.code).toBeNull(); // killed by the signal
    expect(r.files.filter((f) => f.endsWith(".tmp")).length).toBe(2);
  });

  it("uninterrupted, both files are written and no temporary file is left", async () => {
    const r = await interrupted(false, true);
    expect(r.code).toBe(0);
    expect(r.files.sort()).toEqual(["a.csv", "report.html"]);
  });
});
