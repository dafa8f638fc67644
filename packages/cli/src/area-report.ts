/** Writing one area's report into its folder: shared by the in-process path and the report processes of `assess --all-areas`. */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { BuiltReport } from "./report/build-report.js";
import { figurePngs } from "./report/figure-png.js";
import { csvText, writeOutputs } from "./write-outputs.js";

/** Writes `built` (tables, figures, PNGs when asked, report.html last) into `folder`; returns the file names. */
export async function writeReport(folder: string, built: BuiltReport, options: { png?: boolean; sync?: boolean } = {}): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  const pngs = options.png ? await figurePngs(built.figures) : [];
  await writeOutputs(
    folder,
    [
      ...built.files.map((f) => ({ name: f.name, text: () => f.text ?? csvText(f, built.crs) })),
      ...pngs.map((p) => ({ name: p.name, text: () => p.png })),
      { name: "report.html", text: () => built.html },
    ],
    { sync: options.sync },
  );
  return [...built.files.map((f) => f.name), ...pngs.map((p) => p.name), "report.html"];
}
